//! Rows written through SPI with a prepared statement: the values are datums made from decoded
//! cells (`pg::cells`), never text spliced into SQL. Variable-length datums live in a per-row
//! memory context, reset after each execution.

use pgrx::pg_sys::{self, Oid};
use pgrx::spi::{OwnedPreparedStatement, SpiClient};
use pgrx::{datum::DatumWithOid, PgMemoryContexts, PgOid};
use xero_core::decode::Cell;
use xero_core::entities::ColumnType;
use xero_core::{Result, XeroError};

use crate::pg::cells;

pub fn spi_error(e: pgrx::spi::Error) -> XeroError {
    XeroError::internal("xero_fdw could not run its own SQL").with_detail(e.to_string())
}

pub fn type_oid(ty: ColumnType) -> Oid {
    match ty {
        ColumnType::Uuid => pg_sys::UUIDOID,
        ColumnType::Text => pg_sys::TEXTOID,
        ColumnType::Numeric => pg_sys::NUMERICOID,
        ColumnType::Date => pg_sys::DATEOID,
        ColumnType::Timestamptz => pg_sys::TIMESTAMPTZOID,
        ColumnType::Boolean => pg_sys::BOOLOID,
        ColumnType::Integer => pg_sys::INT4OID,
        ColumnType::BigInt => pg_sys::INT8OID,
        ColumnType::Jsonb => pg_sys::JSONBOID,
    }
}

/// A prepared statement whose parameters are some fixed leading values and then one per cell.
pub struct RowWriter {
    statement: OwnedPreparedStatement,
    types: Vec<ColumnType>,
    context: PgMemoryContexts,
}

impl RowWriter {
    /// Prepares `sql`, whose parameters are `lead` (fixed values, given to each `write`) followed
    /// by one of each of `types`.
    pub fn prepare(client: &SpiClient<'_>, sql: &str, lead: &[Oid], types: Vec<ColumnType>) -> Result<RowWriter> {
        let oids: Vec<PgOid> = lead.iter().copied().chain(types.iter().map(|t| type_oid(*t))).map(PgOid::from).collect();
        let statement = client.prepare_mut(sql, &oids).map_err(spi_error)?.keep();
        Ok(RowWriter { statement, types, context: PgMemoryContexts::new("xero_fdw sync row") })
    }

    /// Runs the statement for one row; returns the first column (a boolean) of the first row it
    /// returned, None when it returned none.
    pub fn write(&mut self, client: &mut SpiClient<'_>, lead: &[DatumWithOid<'static>], row: &[Cell]) -> Result<Option<bool>> {
        let (types, statement) = (&self.types, &self.statement);
        // SAFETY: the datums made in the per-row context are used only by the execution inside
        // the closure (SPI copies what it keeps); the context is reset after it.
        let out = unsafe {
            self.context.switch_to(|_| {
                let mut args: Vec<DatumWithOid> = lead.iter().map(|d| DatumWithOid::new_from_datum(d.datum(), d.oid())).collect();
                for (cell, ty) in row.iter().zip(types.iter()) {
                    let (datum, null) = cells::to_datum(cell, *ty);
                    args.push(if null { DatumWithOid::null_oid(type_oid(*ty)) } else { DatumWithOid::new(datum, type_oid(*ty)) });
                }
                client.update(statement, None, &args).and_then(|t| if t.is_empty() { Ok(None) } else { t.first().get_one::<bool>() })
            })
        };
        // SAFETY: nothing allocated in the context is referenced any more.
        unsafe { self.context.reset() };
        out.map_err(spi_error)
    }
}
