//! DBAs upgrade, they don't drop and recreate: `ALTER EXTENSION xero_fdw UPDATE` from the
//! previous release keeps every organisation, user mapping, token set and key, the organisation
//! answers queries again without being authorized again, and the upgraded extension has exactly
//! the SQL surface of a fresh install of the new version.
//!
//! The previous releases' install scripts are kept in `sql/releases/` (installed by
//! scripts/test.sh); each release that changes the SQL adds `sql/xero_fdw--OLD--NEW.sql`.

use xero_dbtests::*;

/// The release before this one.
const PREVIOUS: &str = "0.2.0";
/// Every earlier release, each updated through the chain of scripts.
const EARLIER: &[&str] = &["0.1.0", "0.2.0"];

fn installed_version(c: &mut postgres::Client) -> String {
    c.query_one("SELECT extversion FROM pg_extension WHERE extname = 'xero_fdw'", &[]).unwrap().get(0)
}

fn default_version(c: &mut postgres::Client) -> String {
    c.query_one("SELECT default_version FROM pg_available_extensions WHERE name = 'xero_fdw'", &[]).unwrap().get(0)
}

/// Everything of the extension a user or DBA can see, one line per object: functions with their
/// signatures, results, volatility, parallel safety, C symbols and comments; views and their
/// definitions; tables and their columns; the wrapper's handler and validator; the tables dumped
/// as configuration.
fn sql_surface(c: &mut postgres::Client) -> Vec<String> {
    let queries = [
        "SELECT format('function %s(%s) -> %s [%s%s%s] %s: %s', p.proname, pg_get_function_identity_arguments(p.oid), \
                pg_get_function_result(p.oid), p.provolatile, p.proparallel, CASE WHEN p.proisstrict THEN ' strict' ELSE '' END, \
                p.prosrc, coalesce(obj_description(p.oid, 'pg_proc'), '<no comment>')) \
         FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e' \
         JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'xero_fdw'",
        "SELECT format('relation %s.%s (%s): %s %s', n.nspname, c.relname, c.relkind, coalesce(obj_description(c.oid, 'pg_class'), '<no comment>'), \
                CASE WHEN c.relkind = 'v' THEN pg_get_viewdef(c.oid) ELSE '' END) \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e' \
         JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'xero_fdw'",
        "SELECT format('column %s.%s.%s %s %s default %s', table_schema, table_name, column_name, data_type, is_nullable, coalesce(column_default, '-')) \
         FROM information_schema.columns WHERE table_schema = 'xero_fdw_private'",
        "SELECT format('index %s', indexdef) FROM pg_indexes WHERE schemaname = 'xero_fdw_private'",
        "SELECT format('wrapper %s handler %s validator %s', fdwname, fdwhandler::regproc, fdwvalidator::regproc) FROM pg_foreign_data_wrapper",
        "SELECT format('config %s', array_to_string(ARRAY(SELECT unnest(extconfig)::regclass::text ORDER BY 1), ',')) FROM pg_extension WHERE extname = 'xero_fdw'",
        "SELECT format('schema acl %s', nspacl) FROM pg_namespace WHERE nspname = 'xero_fdw_private'",
    ];
    let mut lines: Vec<String> = queries.iter().flat_map(|q| c.query(*q, &[]).unwrap().into_iter().map(|r| r.get::<_, String>(0))).collect();
    lines.sort();
    lines
}

#[test]
fn update_from_the_previous_release_keeps_organisations_tokens_and_keys() {
    let m = small_mock();
    let db = TestDb::at_version("upg", Some(PREVIOUS));
    let mut c = db.superuser();
    assert_eq!(installed_version(&mut c), PREVIOUS);

    // An organisation as a DBA set it up on the previous release: server, user mapping, an
    // authorized token set, a stored key, and a role allowed to use it.
    register_org(&mut c, &m, "acme");
    let key = std::fs::read_to_string(format!("{}/../crates/xero-mock/tests/keys/private_app.key", env!("CARGO_MANIFEST_DIR"))).unwrap();
    c.query_one("SELECT xero_oauth1_set_rsa_key('acme', $1)", &[&key]).unwrap();
    let analyst = db.role("analyst");
    c.batch_execute(&format!("GRANT USAGE ON FOREIGN SERVER acme TO {analyst}")).unwrap();
    let invoices_before: i64 = c.query_one("SELECT count(*) FROM xero_invoices('acme')", &[]).unwrap().get(0);
    assert!(invoices_before > 0);
    let state = |c: &mut postgres::Client| -> Vec<String> {
        let q = "SELECT format('%s|%s|%s|%s|%s', name, client_id, access_token, refresh_token, access_token_expires_at) FROM xero_fdw_private.token_sets \
                 UNION ALL SELECT format('%s|%s', server_name, md5(rsa_private_key)) FROM xero_fdw_private.key_material \
                 UNION ALL SELECT format('%s|%s', srvname, srvoptions) FROM pg_foreign_server \
                 UNION ALL SELECT format('%s|%s|%s', srvname, usename, umoptions) FROM pg_user_mappings \
                 UNION ALL SELECT format('%s', srvacl) FROM pg_foreign_server";
        let mut v: Vec<String> = c.query(q, &[]).unwrap().into_iter().map(|r| r.get(0)).collect();
        v.sort();
        v
    };
    let before = state(&mut c);
    // token set, key, server options, user mapping: all named acme.
    assert_eq!(before.iter().filter(|l| l.starts_with("acme|")).count(), 4, "{before:?}");

    c.batch_execute("ALTER EXTENSION xero_fdw UPDATE").unwrap();
    assert_eq!(installed_version(&mut c), default_version(&mut c));
    assert_ne!(installed_version(&mut c), PREVIOUS);
    assert_eq!(state(&mut c), before, "organisations, mappings, token sets and keys survive the update");

    // The organisation works at once, with the tokens it had: no refresh, no new authorization.
    reset(&m);
    let mut a = db.connect(&analyst);
    let invoices_after: i64 = a.query_one("SELECT count(*) FROM xero_invoices('acme')", &[]).unwrap().get(0);
    assert_eq!(invoices_after, invoices_before);
    assert_eq!(count(&m, "token:refresh_token"), 0);
    assert!(count(&m, "Invoices") > 0);
}

#[test]
fn an_updated_extension_has_the_sql_surface_of_a_fresh_install() {
    let fresh = TestDb::new("upg_fresh");
    let want = sql_surface(&mut fresh.superuser());
    for (n, from) in EARLIER.iter().enumerate() {
        let updated = TestDb::at_version(&format!("upg_old{n}"), Some(from));
        let mut u = updated.superuser();
        u.batch_execute("ALTER EXTENSION xero_fdw UPDATE").unwrap();
        let got = sql_surface(&mut u);
        let missing: Vec<_> = want.iter().filter(|l| !got.contains(l)).collect();
        let extra: Vec<_> = got.iter().filter(|l| !want.contains(l)).collect();
        assert!(missing.is_empty() && extra.is_empty(), "after UPDATE from {from}, missing: {missing:#?}\nunexpected: {extra:#?}");
    }
    assert!(want.iter().any(|l| l.starts_with("function xero_invoices(")), "the surface query sees the entity functions");
    assert!(want.iter().all(|l| !l.ends_with("<no comment>") || l.starts_with("relation xero_fdw_private")), "every function and view has a COMMENT: {want:#?}");
}

#[test]
fn the_previous_release_is_installable_and_update_is_a_no_op_afterwards() {
    let db = TestDb::at_version("upg_noop", Some(PREVIOUS));
    let mut c = db.superuser();
    c.batch_execute("ALTER EXTENSION xero_fdw UPDATE").unwrap();
    let version = installed_version(&mut c);
    // A second UPDATE finds nothing to do (PostgreSQL says so with a NOTICE, not an error).
    c.batch_execute("ALTER EXTENSION xero_fdw UPDATE").unwrap();
    assert_eq!(installed_version(&mut c), version);
    let path: Option<String> = c
        .query_one("SELECT path FROM pg_extension_update_paths('xero_fdw') WHERE source = $1 AND target = $2", &[&PREVIOUS, &version])
        .unwrap()
        .get(0);
    assert_eq!(path, Some(format!("{PREVIOUS}--{version}")), "one upgrade script from the previous release");
}
