//! Sorted scans and pushed LIMITs: the query's pathkeys as Xero's `order` (when every key is a
//! column Xero sorts exactly as PostgreSQL does, see `xero_core::pushdown::order_term`), and the
//! LIMIT a scan may stop at (when nothing between it and the LIMIT reorders, groups or drops rows).

use pgrx::pg_sys;
use pgrx::PgList;
use xero_core::pushdown::{order_term, Cond, OrderKey};

use crate::fdw::table::{type_oid, TableInfo};

/// The order keys of `pathkeys` when each is a column of this table, sorted by its type's default
/// btree order, that Xero can sort by (given the scan's conditions `conds`); None otherwise.
///
/// # Safety
/// `pathkeys` is a valid list of PathKeys of the query `baserel` belongs to.
pub unsafe fn order_keys(baserel: *mut pg_sys::RelOptInfo, info: &TableInfo, pathkeys: *mut pg_sys::List, conds: &[Cond]) -> Option<Vec<OrderKey>> {
    // SAFETY: the caller's contract; PathKeys, EquivalenceClasses and their members are the
    // planner's valid nodes.
    unsafe {
        let mut keys = Vec::new();
        for pk in PgList::<pg_sys::PathKey>::from_pg(pathkeys).iter_ptr() {
            let ec = (*pk).pk_eclass;
            if (*ec).ec_has_volatile {
                return None;
            }
            let column = PgList::<pg_sys::EquivalenceMember>::from_pg((*ec).ec_members).iter_ptr().find_map(|em| member_column(baserel, info, em))?;
            let desc = match (*pk).pk_strategy as u32 {
                pg_sys::BTLessStrategyNumber => false,
                pg_sys::BTGreaterStrategyNumber => true,
                _ => return None,
            };
            let opclass = pg_sys::GetDefaultOpClass(type_oid(info.columns[column].ty), pg_sys::BTREE_AM_OID);
            if opclass == pg_sys::InvalidOid || pg_sys::get_opclass_family(opclass) != (*pk).pk_opfamily {
                return None;
            }
            let key = OrderKey { column, desc };
            order_term(info.entity, key, conds)?;
            keys.push(key);
        }
        (!keys.is_empty()).then_some(keys)
    }
}

/// The table column an equivalence member is: a plain Var of `baserel`.
///
/// # Safety
/// `em` is a valid EquivalenceMember.
unsafe fn member_column(baserel: *mut pg_sys::RelOptInfo, info: &TableInfo, em: *mut pg_sys::EquivalenceMember) -> Option<usize> {
    // SAFETY: the caller's contract; the tag is checked before the node is read as a Var.
    unsafe {
        let expr = (*em).em_expr as *mut pg_sys::Node;
        if (*em).em_is_const || (*em).em_is_child || expr.is_null() || (*expr).type_ != pg_sys::NodeTag::T_Var {
            return None;
        }
        let var = expr as *mut pg_sys::Var;
        if (*var).varno != (*baserel).relid as i32 || (*var).varlevelsup != 0 || (*var).varattno <= 0 {
            return None;
        }
        info.attmap.get((*var).varattno as usize - 1).copied().flatten()
    }
}

/// The query's LIMIT (plus OFFSET) when this scan is all the query reads and nothing between the
/// scan and the LIMIT reorders, groups or drops rows. `sorted`: the scan returns the rows in the
/// query's ORDER BY (then the first rows in that order are what the LIMIT keeps).
///
/// # Safety
/// `root` is the planner's valid state.
pub unsafe fn pushable_limit(root: *mut pg_sys::PlannerInfo, sorted: bool) -> Option<u64> {
    // SAFETY: the planner's valid query tree.
    unsafe {
        let parse = (*root).parse;
        if pg_sys::bms_membership((*root).all_baserels) != pg_sys::BMS_Membership::BMS_SINGLETON
            || (!(*parse).sortClause.is_null() && !sorted)
            || !(*parse).groupClause.is_null()
            || !(*parse).distinctClause.is_null()
            || !(*parse).havingQual.is_null()
            || (*parse).hasAggs
            || (*parse).hasWindowFuncs
            || (*parse).hasTargetSRFs
            || !(*parse).groupingSets.is_null()
            || (*parse).limitOption != pg_sys::LimitOption::LIMIT_OPTION_COUNT
        {
            return None;
        }
        let int_const = |n: *mut pg_sys::Node| -> Option<Option<u64>> {
            if n.is_null() {
                return Some(None);
            }
            if (*n).type_ != pg_sys::NodeTag::T_Const {
                return None;
            }
            let c = n as *mut pg_sys::Const;
            if (*c).constisnull || (*c).consttype != pg_sys::BuiltinOid::INT8OID.value() {
                return None;
            }
            Some(Some(u64::try_from((*c).constvalue.value() as i64).unwrap_or(0)))
        };
        let count = int_const((*parse).limitCount)??;
        let offset = int_const((*parse).limitOffset)?.unwrap_or(0);
        count.checked_add(offset)
    }
}
