//! `xero_push`, the pgrx half: the checks before a push (`xero_push_check`), picked staging rows
//! made into calls whose texts and keys are stored before anything is sent
//! (`xero_push_prepare`), and one stored call sent (`xero_push_send`). The loop, its lock and
//! its COMMITs are the PL/pgSQL procedure `xero_push` (sql/push.sql), which also holds these
//! functions' SQL definitions (so the upgrade script can carry the same text).

use pgrx::prelude::*;
use pgrx::JsonB;
use xero_core::writes::push::{self, PushCall};
use xero_core::{ErrorKind, Result, XeroError};

use crate::pg::catalog::{resolve_org, Org};
use crate::pg::report::OrRaise;
use crate::pg::writer::spi_error;
use crate::tokens::write::{may_write, send};

const RESEND_HINT: &str = "Run xero_push again: the batch in flight is resent with its original key, so Xero acts on it once.";

fn given<'a>(v: Option<&'a str>, what: &str) -> Result<&'a str> {
    v.ok_or_else(|| XeroError::invalid_argument(format!("xero_push: {what} must not be NULL")))
}

/// The organisation, after checking the role may write to it.
fn writable_org(org: &str) -> Result<Org> {
    let org = resolve_org(org)?;
    may_write(&org, "xero_push")?;
    Ok(org)
}

/// Everything `xero_push` checks before it commits anything: outside a transaction block, the
/// organisation and the write grant, the entity writable, the staging table's columns, the batch
/// size. Returns the entity's table name (`invoices` for `xero_invoices` too).
#[pg_extern(sql = false)]
fn xero_push_check(org: Option<&str>, entity: Option<&str>, staging: Option<pg_sys::Oid>, batch_size: Option<i32>) -> String {
    let run = || -> Result<String> {
        // SAFETY: reads the transaction state of this backend.
        if unsafe { pg_sys::IsTransactionBlock() } {
            return Err(XeroError::new(ErrorKind::InvalidArgument, "xero_push cannot run inside a transaction block")
                .with_detail("It commits each batch before sending the next, so that an interrupted push, run again, sends nothing twice.")
                .with_hint("CALL xero_push(…) on its own (autocommit), not after BEGIN or in a multi-statement query."));
        }
        let (org, entity) = (given(org, "org")?, given(entity, "entity")?);
        let staging = staging.ok_or_else(|| XeroError::invalid_argument("xero_push: staging must not be NULL"))?;
        writable_org(org)?;
        let (entity, write) = push::push_target(entity)?;
        use xero_core::options::{DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE};
        match batch_size {
            Some(n) if (1..=MAX_BATCH_SIZE as i32).contains(&n) => {}
            other => {
                return Err(XeroError::invalid_argument(format!("batch_size must be between 1 and {MAX_BATCH_SIZE}, not {}", other.map_or("NULL".into(), |b| b.to_string())))
                    .with_hint(format!("Xero takes up to {MAX_BATCH_SIZE} elements a call and advises about {DEFAULT_BATCH_SIZE}.")))
            }
        }
        let (name, kind) = Spi::get_two_with_args::<String, String>("SELECT $1::regclass::text, relkind::text FROM pg_catalog.pg_class WHERE oid = $1", &[staging.into()])
            .map_err(|_| XeroError::new(ErrorKind::UndefinedObject, format!("relation with OID {} does not exist", staging.to_u32())))?;
        let name = name.unwrap_or_default();
        if !matches!(kind.as_deref(), Some("r" | "p")) {
            return Err(XeroError::invalid_argument(format!("{name} is not a table"))
                .with_hint("xero_push reads a local staging table and writes each row's result into it; a foreign table is written with INSERT."));
        }
        let columns: Vec<(String, String)> = Spi::connect(|c| {
            c.select(
                "SELECT attname::text, pg_catalog.format_type(atttypid, NULL) FROM pg_catalog.pg_attribute WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
                None,
                &[staging.into()],
            )?
            .map(|r| Ok((r.get::<String>(1)?.unwrap_or_default(), r.get::<String>(2)?.unwrap_or_default())))
            .collect::<std::result::Result<Vec<_>, pgrx::spi::Error>>()
        })
        .map_err(spi_error)?;
        push::check_staging(entity, write, &name, &columns)?;
        Ok(xero_core::pushdown::table_name(entity).to_string())
    };
    run().or_raise_for(org.unwrap_or(""), "xero_push")
}

type Prepared = (i32, Option<String>, Option<String>, Option<i32>, Option<String>, Option<String>, Option<String>, Option<String>);

/// The picked rows (a jsonb array of `to_jsonb` of staging rows) as calls: for each row (`ord`,
/// 1-based) its call's key and what salts it, its position in that call, its element text, the record it updates
/// and its parent — or why it cannot be sent.
// pgrx reads the result columns from the tuple spelled out here (an alias is refused).
#[allow(clippy::type_complexity)]
#[pg_extern(sql = false)]
fn xero_push_prepare(
    org: Option<&str>,
    entity: Option<&str>,
    rows: Option<JsonB>,
) -> TableIterator<'static, (
    name!(ord, i32),
    name!(key, Option<String>),
    name!(salt, Option<String>),
    name!(pos, Option<i32>),
    name!(element, Option<String>),
    name!(xero_id, Option<String>),
    name!(parent, Option<String>),
    name!(error, Option<String>),
)> {
    let run = || -> Result<Vec<Prepared>> {
        let org = writable_org(given(org, "org")?)?;
        let (entity, write) = push::push_target(given(entity, "entity")?)?;
        let rows = match rows.map(|r| r.0) {
            Some(serde_json::Value::Array(a)) => a,
            Some(serde_json::Value::Null) | None => Vec::new(),
            Some(_) => return Err(XeroError::invalid_argument("xero_push_prepare: rows must be a jsonb array")),
        };
        // Unique to this batch: salts its calls' keys (see push::salted_key).
        let nonce = xero_core::writes::nonce();
        let (calls, failed) = push::prepare(&org.config.api_url, entity, write, &rows, &nonce);
        let mut out: Vec<Prepared> = Vec::new();
        for PushCall { key, salt, rows, elements, id, parent } in calls {
            for (position, (row, element)) in rows.into_iter().zip(elements).enumerate() {
                out.push((row as i32 + 1, Some(key.clone()), Some(salt.clone()), Some(position as i32), Some(element), id.clone(), parent.clone(), None));
            }
        }
        for (row, e) in failed {
            out.push((row as i32 + 1, None, None, None, None, None, None, Some(e.message)));
        }
        out.sort_by_key(|r| r.0);
        Ok(out)
    };
    TableIterator::new(run().or_raise_for(org.unwrap_or(""), "xero_push"))
}

/// Sends the call stored as `key` (salted with `salt`) with its element texts (in position order), and returns one
/// result per element. A call that fails as a whole raises its error: its rows stay in flight.
#[pg_extern(sql = false)]
fn xero_push_send(org: Option<&str>, entity: Option<&str>, key: Option<&str>, salt: Option<&str>, elements: Option<Vec<Option<String>>>, xero_id: Option<&str>, parent: Option<&str>) -> JsonB {
    let run = || -> Result<serde_json::Value> {
        let org = writable_org(given(org, "org")?)?;
        let (entity, write) = push::push_target(given(entity, "entity")?)?;
        let elements: Vec<String> = elements
            .unwrap_or_default()
            .into_iter()
            .collect::<Option<_>>()
            .ok_or_else(|| XeroError::invalid_argument("xero_push_send: elements contains a NULL"))?;
        let call = push::resend(&org.config.api_url, write, given(key, "key")?, given(salt, "salt")?, &elements, xero_id, parent)?;
        let answered = send(&org, &call).and_then(|response| push::results(entity, write, &call, &response));
        let results = answered.map_err(|e| {
            let hint = match e.hint.as_deref() {
                Some(h) => format!("{h} {RESEND_HINT}"),
                None => RESEND_HINT.to_string(),
            };
            e.with_hint(hint)
        })?;
        Ok(serde_json::Value::Array(results))
    };
    JsonB(run().or_raise_for(org.unwrap_or(""), "xero_push"))
}

// The C functions above and the xero_push procedure over them.
extension_sql_file!("../../sql/push.sql", name = "push");
