//! Incremental sync, the pgrx half: `xero_sync_entity` keeps one entity's local table in step in
//! the caller's transaction (table created if missing, rows upserted through a prepared
//! statement, vanished rows swept, the watermark stored with the data it covers);
//! `xero_sync_entities` checks an organisation and schema and names what `xero_sync` loops over;
//! `xero_sync_record_failure` keeps a failed entity's error. The loop itself, its lock and its
//! COMMITs are the PL/pgSQL procedure `xero_sync` (sql/bootstrap.sql).

use std::time::Instant;

use pgrx::datum::{DatumWithOid, TimestampWithTimeZone};
use pgrx::prelude::*;
use xero_core::decode::parse_uuid;
use xero_core::list::plan_list;
use xero_core::sync::{self, ddl, State, SyncSpec};
use xero_core::{ErrorKind, Result, XeroError};

use crate::pg::catalog::{as_extension_owner, resolve_org, with_latest_snapshot, Org};
use crate::pg::report::OrRaise;
use crate::pg::writer::{spi_error, RowWriter};
use crate::tokens::read;

/// The organisation, its tenant, and the schema the caller may create tables in.
fn check(org_name: &str, schema: &str) -> Result<(Org, pgrx::Uuid)> {
    let org = resolve_org(org_name)?;
    let tenant = org.config.tenant_id.as_deref().and_then(parse_uuid).ok_or_else(|| {
        XeroError::invalid_option(format!("organisation \"{org_name}\" has no tenant_id"))
            .with_detail("Synced rows carry the organisation's tenant id as the first column of their key.")
            .with_hint(format!("ALTER SERVER {org_name} OPTIONS (ADD tenant_id '…'); xero_tenants('{org_name}') lists them."))
    })?;
    let may_create = Spi::get_one_with_args::<bool>(
        "SELECT (SELECT has_schema_privilege(n.oid, 'CREATE') FROM pg_catalog.pg_namespace n WHERE n.nspname = $1)",
        &[schema.into()],
    )
    .map_err(spi_error)?;
    match may_create {
        None => Err(XeroError::new(ErrorKind::UndefinedObject, format!("schema \"{schema}\" does not exist"))
            .with_hint(format!("CREATE SCHEMA {} first; xero_sync creates its tables there.", xero_core::sql::ident(schema)))),
        Some(false) => Err(XeroError::new(ErrorKind::PermissionDenied, format!("permission denied to create tables in schema \"{schema}\""))
            .with_hint(format!("GRANT CREATE ON SCHEMA {} TO …;", xero_core::sql::ident(schema)))),
        Some(true) => Ok((org, pgrx::Uuid::from_bytes(tenant))),
    }
}

fn spec_named(name: &str) -> Result<SyncSpec> {
    sync::entity_named(name).map(SyncSpec::new).ok_or_else(|| {
        XeroError::invalid_argument(format!("\"{name}\" is not an entity xero_sync knows"))
            .with_hint("Name a collection or child collection as its table (invoices, invoice_line_items) or its function (xero_invoices); reports are read live.")
    })
}

/// The entities `xero_sync` keeps, in registry order (every collection and child collection when
/// `entities` is NULL), after checking the organisation and the schema.
#[pg_extern]
fn xero_sync_entities(org: &str, into_schema: &str, entities: Option<Vec<Option<String>>>) -> SetOfIterator<'static, String> {
    let run = || -> Result<Vec<String>> {
        check(org, into_schema)?;
        match entities {
            None => Ok(sync::syncable().map(|e| sync::table_name(e).to_string()).collect()),
            Some(names) => names
                .into_iter()
                .map(|n| {
                    let n = n.ok_or_else(|| XeroError::invalid_argument("entities contains a NULL element"))?;
                    Ok(sync::table_name(spec_named(&n)?.entity).to_string())
                })
                .collect(),
        }
    };
    SetOfIterator::new(run().or_raise_for(org, "xero_sync_entities"))
}

const READ_STATE: &str = "SELECT watermark, next_offset FROM xero_fdw_private.sync_state WHERE server_name = $1 AND into_schema = $2 AND entity = $3";

const WRITE_STATE: &str = "INSERT INTO xero_fdw_private.sync_state AS s \
     (server_name, into_schema, entity, tenant_id, mode, watermark, next_offset, last_success_at, rows_inserted, rows_updated, rows_deleted, calls, duration) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, now(), $8, $9, $10, $11, make_interval(secs => $12)) \
     ON CONFLICT (server_name, into_schema, entity) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, mode = EXCLUDED.mode, \
     watermark = EXCLUDED.watermark, next_offset = EXCLUDED.next_offset, last_success_at = EXCLUDED.last_success_at, \
     rows_inserted = EXCLUDED.rows_inserted, rows_updated = EXCLUDED.rows_updated, rows_deleted = EXCLUDED.rows_deleted, \
     calls = EXCLUDED.calls, duration = EXCLUDED.duration";

#[derive(Default)]
struct Counts {
    inserted: i64,
    updated: i64,
    deleted: i64,
    calls: i64,
}

fn micros(t: Option<TimestampWithTimeZone>) -> Option<i64> {
    t.map(pg_sys::TimestampTz::from)
}

fn timestamptz(micros: Option<i64>) -> Option<TimestampWithTimeZone> {
    micros.and_then(|m| TimestampWithTimeZone::try_from(m).ok())
}


/// One entity's sync in the caller's transaction: its rows and its watermark are committed
/// together, or neither.
#[pg_extern]
fn xero_sync_entity(org: &str, into_schema: &str, entity: &str) -> TableIterator<'static, (
    name!(mode, String),
    name!(inserted, i64),
    name!(updated, i64),
    name!(deleted, i64),
    name!(calls, i64),
    name!(watermark, Option<TimestampWithTimeZone>),
    name!(next_offset, Option<i64>),
)> {
    let run = || -> Result<(String, i64, i64, i64, i64, Option<TimestampWithTimeZone>, Option<i64>)> {
        let spec = spec_named(entity)?;
        let (org_data, tenant) = check(org, into_schema)?;
        let table = sync::table_name(spec.entity);
        let started = Instant::now();
        // One sync of an organisation's entity into a schema at a time, whoever started it.
        Spi::run_with_args(
            "SELECT pg_advisory_xact_lock(hashtext('xero_fdw.sync'), hashtext($1 || '/' || $2 || '/' || $3))",
            &[org.into(), into_schema.into(), table.into()],
        )
        .map_err(spi_error)?;
        let exists = Spi::get_one_with_args::<bool>("SELECT to_regclass(format('%I.%I', $1::text, $2::text)) IS NOT NULL", &[into_schema.into(), table.into()])
            .map_err(spi_error)?
            .unwrap_or(false);
        if !exists {
            for statement in ddl::create_table(into_schema, &spec) {
                Spi::run(&statement).map_err(spi_error)?;
            }
        }
        let mut state = as_extension_owner(|| {
            with_latest_snapshot(|| {
                Spi::get_two_with_args::<TimestampWithTimeZone, i64>(READ_STATE, &[org.into(), into_schema.into(), table.into()])
            })
        })
        .map(|(w, o)| State { watermark: micros(w), offset: o })
        .or_else(|e| match e {
            pgrx::spi::Error::InvalidPosition => Ok(State::default()),
            e => Err(spi_error(e)),
        })?;
        let mut plan = plan_list(spec.read, &org_data.config.api_url, &spec.filters(&state))?;
        plan.start_offset = spec.start_offset(&state);
        let mut reader = read::start(&org_data, spec.read, plan)?;
        let mut counts = Counts::default();
        let mut keys: Vec<Vec<String>> = vec![Vec::new(); spec.key.len()];
        let mut parents: Vec<String> = Vec::new();
        Spi::connect_mut(|client| -> Result<()> {
            let types = spec.columns.iter().map(|c| c.ty).collect();
            let mut upsert = RowWriter::prepare(client, &ddl::upsert_sql(into_schema, &spec), &[pg_sys::TEXTOID, pg_sys::UUIDOID], types)?;
            let lead: [DatumWithOid<'static>; 2] = [org.to_string().into(), tenant.into()];
            while let Some(mut row) = reader.next_row()? {
                spec.advance(&mut state, &row);
                let row = spec.written(&mut row);
                if spec.sweeps() {
                    for (k, &i) in keys.iter_mut().zip(spec.key.iter()) {
                        k.extend(SyncSpec::key_text(&row[i]));
                    }
                    if let Some(p) = spec.parent_key.and_then(|p| SyncSpec::key_text(&row[p])) {
                        if parents.last() != Some(&p) {
                            parents.push(p);
                        }
                    }
                }
                match upsert.write(client, &lead, row)? {
                    None => {}
                    Some(true) => counts.inserted += 1,
                    Some(false) => counts.updated += 1,
                }
            }
            // A changed parent that lost all its children has no rows: its local children go
            // too (the sweep below deletes the children of every parent read that were not read).
            for mut parent in reader.take_childless() {
                spec.advance(&mut state, &parent);
                let parent = spec.written(&mut parent);
                if let Some(p) = spec.parent_key.and_then(|p| SyncSpec::key_text(&parent[p])) {
                    parents.push(p);
                }
            }
            if spec.sweeps() {
                let limited = spec.mode != sync::Mode::Full;
                let (sql, _) = ddl::sweep_sql(into_schema, &spec, limited);
                let mut args: Vec<DatumWithOid> = vec![tenant.into()];
                args.extend(keys.drain(..).map(DatumWithOid::from));
                if limited {
                    args.push(std::mem::take(&mut parents).into());
                }
                counts.deleted = client.update(sql.as_str(), None, &args).map_err(spi_error)?.len() as i64;
            }
            Ok(())
        })?;
        counts.calls = reader.stats().calls as i64;
        let seconds = started.elapsed().as_secs_f64();
        as_extension_owner(|| {
            Spi::run_with_args(
                WRITE_STATE,
                &[
                    org.into(),
                    into_schema.into(),
                    table.into(),
                    tenant.into(),
                    spec.mode_name().into(),
                    timestamptz(state.watermark).into(),
                    state.offset.into(),
                    counts.inserted.into(),
                    counts.updated.into(),
                    counts.deleted.into(),
                    counts.calls.into(),
                    seconds.into(),
                ],
            )
        })
        .map_err(spi_error)?;
        Ok((spec.mode_name().to_string(), counts.inserted, counts.updated, counts.deleted, counts.calls, timestamptz(state.watermark), state.offset))
    };
    TableIterator::once(run().or_raise_for(org, "xero_sync_entity"))
}

/// Keeps the error of an entity whose sync failed (its data and watermark were rolled back).
#[pg_extern]
fn xero_sync_record_failure(org: &str, into_schema: &str, entity: &str, error: &str) {
    let run = || -> Result<()> {
        resolve_org(org)?;
        as_extension_owner(|| {
            Spi::run_with_args(
                "INSERT INTO xero_fdw_private.sync_state AS s (server_name, into_schema, entity, last_error_at, last_error) \
                 VALUES ($1, $2, $3, now(), $4) ON CONFLICT (server_name, into_schema, entity) \
                 DO UPDATE SET last_error_at = EXCLUDED.last_error_at, last_error = EXCLUDED.last_error",
                &[org.into(), into_schema.into(), entity.into(), error.into()],
            )
        })
        .map_err(spi_error)
    };
    run().or_raise_for(org, "xero_sync_record_failure")
}

// The state table, the status view and the xero_sync procedure over the functions above.
extension_sql_file!("../../sql/sync.sql", name = "sync", requires = [xero_sync_entity, xero_sync_entities, xero_sync_record_failure]);
