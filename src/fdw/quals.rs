//! PostgreSQL quals the pushdown understands, as the core's [`Cond`]s: a column of this table
//! compared by a built-in operator of its own type with a constant or with an expression that
//! does not involve this table (a parameter, an outer row's column, a subquery's value). Such
//! expressions become the scan's runtime values (`fdw_exprs`), evaluated at each (re)scan.
//! Anything else is simply not converted: it stays a local condition.

use pgrx::pg_sys;
use pgrx::PgList;
use xero_core::entities::ColumnType;
use xero_core::pushdown::{Cond, Op, Operand};

use crate::fdw::table::{datum_value, text_of, type_oid, TableInfo};

pub struct QualContext<'a> {
    pub root: *mut pg_sys::PlannerInfo,
    /// The range-table index of the scanned relation.
    pub varno: i32,
    /// For attribute number `i + 1`: the index of its column (as `Cond`s number them).
    pub attmap: &'a [Option<usize>],
    /// Each column's type.
    pub types: Vec<ColumnType>,
    /// Runtime value expressions, `Operand::Param(i)` being `params[i]`.
    pub params: Vec<*mut pg_sys::Expr>,
}

fn is(node: *mut pg_sys::Node, tag: pg_sys::NodeTag) -> bool {
    // SAFETY: callers pass valid nodes (or NULL, checked).
    !node.is_null() && unsafe { (*node).type_ } == tag
}

impl<'a> QualContext<'a> {
    pub fn new(root: *mut pg_sys::PlannerInfo, varno: i32, attmap: &'a [Option<usize>], types: Vec<ColumnType>) -> Self {
        QualContext { root, varno, attmap, types, params: Vec::new() }
    }

    /// The conditions of a collection table.
    pub fn for_table(root: *mut pg_sys::PlannerInfo, varno: i32, info: &'a TableInfo) -> Self {
        Self::new(root, varno, &info.attmap, info.columns.iter().map(|c| c.ty).collect())
    }

    /// The table column a node is (a Var of this relation), with its index in `info.columns`.
    unsafe fn column(&self, node: *mut pg_sys::Node) -> Option<usize> {
        if !is(node, pg_sys::NodeTag::T_Var) {
            return None;
        }
        let var = node as *mut pg_sys::Var;
        // SAFETY: a Var node (tag checked).
        let (varno, level, attno) = unsafe { ((*var).varno, (*var).varlevelsup, (*var).varattno) };
        if varno != self.varno || level != 0 || attno <= 0 {
            return None;
        }
        self.attmap.get(attno as usize - 1).copied().flatten()
    }

    fn column_type(&self, column: usize) -> ColumnType {
        self.types[column]
    }

    /// A constant or a runtime value of SQL type `want`.
    unsafe fn operand(&mut self, node: *mut pg_sys::Node, want: pg_sys::Oid) -> Option<Operand> {
        // SAFETY: valid expression nodes of the qual being converted.
        unsafe {
            if node.is_null() || pg_sys::exprType(node) != want {
                return None;
            }
            if is(node, pg_sys::NodeTag::T_Const) {
                let c = node as *mut pg_sys::Const;
                return datum_value((*c).constvalue, (*c).constisnull, (*c).consttype).map(Operand::Const);
            }
            let varnos = pg_sys::pull_varnos(self.root, node);
            if pg_sys::bms_is_member(self.varno, varnos) || pg_sys::contain_volatile_functions(node) {
                return None;
            }
            self.params.push(node as *mut pg_sys::Expr);
            Some(Operand::Param(self.params.len() - 1))
        }
    }

    /// The condition a qual expresses, or None when the pushdown cannot take it.
    ///
    /// # Safety
    /// `node` is a valid expression of the query being planned.
    pub unsafe fn cond(&mut self, node: *mut pg_sys::Node) -> Option<Cond> {
        let mark = self.params.len();
        // SAFETY: the caller's contract.
        let cond = unsafe { self.cond_inner(node) };
        if cond.is_none() {
            self.params.truncate(mark);
        }
        cond
    }

    unsafe fn cond_inner(&mut self, node: *mut pg_sys::Node) -> Option<Cond> {
        use pg_sys::NodeTag::*;
        // SAFETY: every cast follows a check of the node's tag; lists hold nodes.
        unsafe {
            if node.is_null() {
                return None;
            }
            match (*node).type_ {
                T_Var => {
                    let column = self.column(node)?;
                    (self.column_type(column) == ColumnType::Boolean)
                        .then(|| Cond::Cmp { column, op: Op::Eq, value: Operand::Const(xero_core::pushdown::Value::Bool(true)) })
                }
                T_BoolExpr => {
                    let b = node as *mut pg_sys::BoolExpr;
                    let args: Vec<*mut pg_sys::Node> = PgList::<pg_sys::Node>::from_pg((*b).args).iter_ptr().collect();
                    match (*b).boolop {
                        pg_sys::BoolExprType::AND_EXPR => Some(Cond::And(args.into_iter().map(|a| self.cond(a)).collect::<Option<_>>()?)),
                        pg_sys::BoolExprType::OR_EXPR => Some(Cond::Or(args.into_iter().map(|a| self.cond(a)).collect::<Option<_>>()?)),
                        _ => {
                            let column = self.column(*args.first()?)?;
                            (self.column_type(column) == ColumnType::Boolean)
                                .then(|| Cond::Cmp { column, op: Op::Eq, value: Operand::Const(xero_core::pushdown::Value::Bool(false)) })
                        }
                    }
                }
                T_NullTest => {
                    let t = node as *mut pg_sys::NullTest;
                    if (*t).argisrow {
                        return None;
                    }
                    let column = self.column((*t).arg as *mut pg_sys::Node)?;
                    Some(Cond::IsNull { column, negated: (*t).nulltesttype == pg_sys::NullTestType::IS_NOT_NULL })
                }
                T_OpExpr => {
                    let o = node as *mut pg_sys::OpExpr;
                    let args: Vec<*mut pg_sys::Node> = PgList::<pg_sys::Node>::from_pg((*o).args).iter_ptr().collect();
                    if args.len() != 2 || (*o).opno.to_u32() >= pg_sys::FirstNormalObjectId {
                        return None;
                    }
                    let name = text_of(pg_sys::get_opname((*o).opno));
                    let (column, other, flipped) = match (self.column(args[0]), self.column(args[1])) {
                        (Some(c), None) => (c, args[1], false),
                        (None, Some(c)) => (c, args[0], true),
                        _ => return None,
                    };
                    let ty = self.column_type(column);
                    if name == "~~" {
                        return (ty == ColumnType::Text && !flipped)
                            .then(|| self.operand(other, type_oid(ty)))
                            .flatten()
                            .map(|pattern| Cond::Like { column, pattern });
                    }
                    let op = match (name.as_str(), flipped) {
                        ("=", _) => Op::Eq,
                        ("<>", _) => Op::Ne,
                        ("<", false) | (">", true) => Op::Lt,
                        ("<=", false) | (">=", true) => Op::Le,
                        (">", false) | ("<", true) => Op::Gt,
                        (">=", false) | ("<=", true) => Op::Ge,
                        _ => return None,
                    };
                    if ty == ColumnType::Jsonb {
                        return None;
                    }
                    let value = self.operand(other, type_oid(ty))?;
                    Some(Cond::Cmp { column, op, value })
                }
                T_ScalarArrayOpExpr => {
                    let s = node as *mut pg_sys::ScalarArrayOpExpr;
                    let args: Vec<*mut pg_sys::Node> = PgList::<pg_sys::Node>::from_pg((*s).args).iter_ptr().collect();
                    if !(*s).useOr || args.len() != 2 || (*s).opno.to_u32() >= pg_sys::FirstNormalObjectId || text_of(pg_sys::get_opname((*s).opno)) != "=" {
                        return None;
                    }
                    let column = self.column(args[0])?;
                    let ty = self.column_type(column);
                    if ty == ColumnType::Jsonb {
                        return None;
                    }
                    let values = self.operand(args[1], pg_sys::get_array_type(type_oid(ty)))?;
                    Some(Cond::In { column, values })
                }
                _ => None,
            }
        }
    }
}
