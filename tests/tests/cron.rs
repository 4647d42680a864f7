//! `xero_sync` on a schedule with pg_cron (Debian's postgresql-15-cron, 1.4: cron syntax, one
//! minute at the finest), in a throwaway cluster of its own that preloads both libraries: the job
//! syncs, `xero_sync_status` shows its success, and the job is unscheduled. Bounded: gives up
//! after 150 seconds.

use std::time::{Duration, Instant};

use postgres::{Client, NoTls};
use xero_dbtests::*;

#[test]
fn pg_cron_runs_xero_sync_on_a_schedule() {
    // scripts/setup.sh installs it; a missing pg_cron is a broken set-up, not a reason to pass.
    assert!(
        std::path::Path::new("/usr/share/postgresql/15/extension/pg_cron.control").exists(),
        "pg_cron is not installed: run scripts/setup.sh (it installs postgresql-15-cron)"
    );
    let conf = "shared_preload_libraries = 'xero_fdw,pg_cron'\ncron.database_name = 'postgres'\ncron.host = '127.0.0.1'";
    with_own_cluster("cron", conf, |url| {
        let mut admin = Client::connect(&url("postgres"), NoTls).unwrap();
        admin.batch_execute("CREATE EXTENSION pg_cron").unwrap();
        admin.batch_execute("CREATE DATABASE cronsync").unwrap();
        let m = small_mock();
        let mut c = Client::connect(&url("cronsync"), NoTls).unwrap();
        c.batch_execute("CREATE EXTENSION xero_fdw; CREATE SCHEMA local").unwrap();
        register_org(&mut c, &m, "acme");
        let job: i64 = admin
            .query_one(
                "SELECT cron.schedule_in_database('xero-sync-acme', '* * * * *', $$CALL xero_sync('acme', 'local', ARRAY['contacts'])$$, 'cronsync')",
                &[],
            )
            .unwrap()
            .get(0);
        let deadline = Instant::now() + Duration::from_secs(150);
        let synced = loop {
            let done: Option<bool> = c
                .query_opt("SELECT last_success_at IS NOT NULL FROM xero_sync_status WHERE server_name = 'acme' AND entity = 'contacts'", &[])
                .unwrap()
                .map(|r| r.get(0));
            if done == Some(true) || Instant::now() > deadline {
                break done == Some(true);
            }
            std::thread::sleep(Duration::from_secs(2));
        };
        let runs: Vec<(String, Option<String>)> = admin
            .query("SELECT status, return_message FROM cron.job_run_details WHERE jobid = $1", &[&job])
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        admin.execute("SELECT cron.unschedule('xero-sync-acme')", &[]).unwrap();
        assert!(synced, "no sync recorded by the job within 150 s; runs: {runs:?}");
        let n: i64 = c.query_one("SELECT count(*) FROM local.contacts", &[]).unwrap().get(0);
        assert!(n > 0);
        assert!(count(&m, "Contacts") >= 1, "the job read Xero");
        let left: i64 = admin.query_one("SELECT count(*) FROM cron.job", &[]).unwrap().get(0);
        assert_eq!(left, 0, "unscheduled");
    });
}
