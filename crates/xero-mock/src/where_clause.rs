//! Recursive-descent parser and evaluator for Xero's `where` parameter.
//!
//! Grammar (the subset of Dynamic LINQ that Xero's documentation and clients use):
//! ```text
//! expr      := and ( (OR | "||") and )*
//! and       := unary ( (AND | "&&") unary )*
//! unary     := (NOT | "!") unary | "(" expr ")" | predicate
//! predicate := path case* ( "." TextMethod "(" string ")" | op literal | ε  (Boolean field) )
//! case      := "." ("ToLower" | "ToUpper") "(" ")"
//! literal   := string | number | true | false | null | Guid("…")
//!            | DateTime(y,m,d[,h,mi,s]) | DateTime(yyyy-MM-dd) | DateTime("yyyy-MM-dd")
//! ```
//! Field names resolve against the record's table in `fields.rs` at parse time, so a
//! typo fails the request (400 QueryParseException) instead of silently matching nothing.
//! String comparisons are ordinal (case-sensitive) unless `ToLower()`/`ToUpper()` is used.

use std::cmp::Ordering;

use crate::dates;
#[cfg(test)]
use crate::fields::Queryable;
use crate::fields::{Field, Table, Ty, Value, NUM_SCALE};
use crate::model::Tenant;
use crate::where_lexer::{tokenize, Op, Tok};

pub struct Filter<R: 'static> {
    expr: Expr<R>,
}

enum Expr<R: 'static> {
    And(Box<Expr<R>>, Box<Expr<R>>),
    Or(Box<Expr<R>>, Box<Expr<R>>),
    Not(Box<Expr<R>>),
    Cmp {
        field: &'static Field<R>,
        case: Case,
        op: Op,
        lit: Lit,
    },
    Text {
        field: &'static Field<R>,
        case: Case,
        method: TextMethod,
        arg: String,
    },
}

#[derive(Clone, Debug, PartialEq)]
enum Lit {
    Null,
    Str(String),
    Num(i128),
    Bool(bool),
    Date(i64),
    Guid(u128),
}

impl Lit {
    fn type_name(&self) -> &'static str {
        match self {
            Lit::Null => "Object",
            Lit::Str(_) => "String",
            Lit::Num(_) => "Decimal",
            Lit::Bool(_) => "Boolean",
            Lit::Date(_) => "DateTime",
            Lit::Guid(_) => "Guid",
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Case {
    AsIs,
    Lower,
    Upper,
}

#[derive(Clone, Copy)]
enum TextMethod {
    Contains,
    StartsWith,
    EndsWith,
}

/// Parses a `where` expression for record type `R`; the error is the message for
/// Xero's `QueryParseException`.
#[cfg(test)]
pub fn parse<R: Queryable>(src: &str) -> Result<Filter<R>, String> {
    parse_in(R::table(), src)
}

/// Like [`parse`], resolving field names in `table`.
pub fn parse_in<R>(table: Table<R>, src: &str) -> Result<Filter<R>, String> {
    let toks = tokenize(src)?;
    let mut p = Parser::<R> {
        toks,
        pos: 0,
        table,
    };
    if p.toks.is_empty() {
        return Err("Expression expected".to_string());
    }
    let expr = p.or()?;
    match p.toks.get(p.pos) {
        None => Ok(Filter { expr }),
        Some((at, _)) => Err(format!(
            "Syntax error: ')' or operator expected (at index {at})"
        )),
    }
}

impl<R> Filter<R> {
    pub fn matches(&self, rec: &R, tenant: &Tenant) -> bool {
        eval(&self.expr, rec, tenant)
    }
}

fn eval<R>(e: &Expr<R>, rec: &R, t: &Tenant) -> bool {
    match e {
        Expr::And(a, b) => eval(a, rec, t) && eval(b, rec, t),
        Expr::Or(a, b) => eval(a, rec, t) || eval(b, rec, t),
        Expr::Not(a) => !eval(a, rec, t),
        Expr::Cmp {
            field,
            case,
            op,
            lit,
        } => {
            let v = (field.get)(rec, t);
            match (v, lit) {
                (Value::Null, Lit::Null) => *op == Op::Eq,
                (Value::Null, _) | (_, Lit::Null) => *op == Op::Ne,
                (v, lit) => compare(v, *case, lit).is_some_and(|ord| op_holds(*op, ord)),
            }
        }
        Expr::Text {
            field,
            case,
            method,
            arg,
        } => match (field.get)(rec, t) {
            Value::Str(s) => {
                let s = apply_case(s, *case);
                match method {
                    TextMethod::Contains => s.contains(arg.as_str()),
                    TextMethod::StartsWith => s.starts_with(arg.as_str()),
                    TextMethod::EndsWith => s.ends_with(arg.as_str()),
                }
            }
            _ => false,
        },
    }
}

fn apply_case(s: &str, case: Case) -> std::borrow::Cow<'_, str> {
    match case {
        Case::AsIs => s.into(),
        Case::Lower => s.to_lowercase().into(),
        Case::Upper => s.to_uppercase().into(),
    }
}

fn compare(v: Value<'_>, case: Case, lit: &Lit) -> Option<Ordering> {
    Some(match (v, lit) {
        (Value::Str(a), Lit::Str(b)) => apply_case(a, case).as_ref().cmp(b.as_str()),
        (Value::Num(a), Lit::Num(b)) => a.cmp(b),
        (Value::Bool(a), Lit::Bool(b)) => a.cmp(b),
        (Value::Date(a), Lit::Date(b)) => a.cmp(b),
        (Value::Guid(a), Lit::Guid(b)) => a.cmp(b),
        _ => return None,
    })
}

fn op_holds(op: Op, ord: Ordering) -> bool {
    match op {
        Op::Eq => ord == Ordering::Equal,
        Op::Ne => ord != Ordering::Equal,
        Op::Gt => ord == Ordering::Greater,
        Op::Ge => ord != Ordering::Less,
        Op::Lt => ord == Ordering::Less,
        Op::Le => ord != Ordering::Greater,
    }
}

struct Parser<R: 'static> {
    toks: Vec<(usize, Tok)>,
    pos: usize,
    table: Table<R>,
}

impl<R> Parser<R> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(_, t)| t)
    }

    fn peek_at(&self, k: usize) -> Option<&Tok> {
        self.toks.get(self.pos + k).map(|(_, t)| t)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).map(|(_, t)| t.clone());
        self.pos += 1;
        t
    }

    fn expect(&mut self, want: Tok, what: &str) -> Result<(), String> {
        match self.next() {
            Some(t) if t == want => Ok(()),
            _ => Err(format!("Syntax error: {what} expected")),
        }
    }

    fn or(&mut self) -> Result<Expr<R>, String> {
        let mut left = self.and()?;
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr<R>, String> {
        let mut left = self.unary()?;
        while self.peek() == Some(&Tok::And) {
            self.pos += 1;
            left = Expr::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr<R>, String> {
        match self.next() {
            Some(Tok::Not) => Ok(Expr::Not(Box::new(self.unary()?))),
            Some(Tok::LParen) => {
                let e = self.or()?;
                self.expect(Tok::RParen, "')' or operator")?;
                Ok(e)
            }
            Some(Tok::Ident(first)) => self.predicate(first),
            _ => Err("Expression expected".to_string()),
        }
    }

    fn predicate(&mut self, first: String) -> Result<Expr<R>, String> {
        let mut path = first;
        // A segment followed by "(" is a method call, not part of the field path.
        while self.peek() == Some(&Tok::Dot) && self.peek_at(2) != Some(&Tok::LParen) {
            match self.peek_at(1) {
                Some(Tok::Ident(seg)) => {
                    path.push('.');
                    path.push_str(seg);
                    self.pos += 2;
                }
                _ => return Err("Syntax error: identifier expected".to_string()),
            }
        }
        if self.peek() == Some(&Tok::LParen) {
            return Err(format!("Syntax error: unknown function '{path}'"));
        }
        let field = self.table.field(&path).ok_or_else(|| {
            format!(
                "No property or field '{path}' exists in type '{}'",
                self.table.type_name
            )
        })?;
        let mut case = Case::AsIs;
        while self.peek() == Some(&Tok::Dot) {
            self.pos += 1;
            let Some(Tok::Ident(method)) = self.next() else {
                return Err("Syntax error: identifier expected".to_string());
            };
            let on_type = field.ty.dotnet_name();
            if field.ty != Ty::Str {
                return Err(format!(
                    "No applicable method '{method}' exists in type '{on_type}'"
                ));
            }
            self.expect(Tok::LParen, "'('")?;
            let text = match method.to_ascii_lowercase().as_str() {
                "tolower" | "toupper" => {
                    case = if method.eq_ignore_ascii_case("tolower") {
                        Case::Lower
                    } else {
                        Case::Upper
                    };
                    self.expect(Tok::RParen, "')'")?;
                    continue;
                }
                "contains" => TextMethod::Contains,
                "startswith" => TextMethod::StartsWith,
                "endswith" => TextMethod::EndsWith,
                _ => {
                    return Err(format!(
                        "No applicable method '{method}' exists in type 'String'"
                    ))
                }
            };
            let Some(Tok::Str(arg)) = self.next() else {
                return Err(format!(
                    "No applicable method '{method}' exists in type 'String' for these arguments"
                ));
            };
            self.expect(Tok::RParen, "')'")?;
            return Ok(Expr::Text {
                field,
                case,
                method: text,
                arg,
            });
        }
        match self.peek() {
            Some(Tok::Op(op)) => {
                let op = *op;
                self.pos += 1;
                let lit = self.literal()?;
                let lit = check_types(field, op, lit)?;
                Ok(Expr::Cmp {
                    field,
                    case,
                    op,
                    lit,
                })
            }
            _ if field.ty == Ty::Bool => Ok(Expr::Cmp {
                field,
                case,
                op: Op::Eq,
                lit: Lit::Bool(true),
            }),
            _ => Err("Expression of type 'Boolean' expected".to_string()),
        }
    }

    fn literal(&mut self) -> Result<Lit, String> {
        match self.next() {
            Some(Tok::Str(s)) => Ok(Lit::Str(s)),
            Some(Tok::Num(n)) => parse_number(&n).map(Lit::Num),
            Some(Tok::Ident(w)) => match w.to_ascii_lowercase().as_str() {
                "true" => Ok(Lit::Bool(true)),
                "false" => Ok(Lit::Bool(false)),
                "null" => Ok(Lit::Null),
                "guid" => {
                    self.expect(Tok::LParen, "'('")?;
                    let Some(Tok::Str(s)) = self.next() else {
                        return Err("Guid(...) expects a string".to_string());
                    };
                    self.expect(Tok::RParen, "')'")?;
                    crate::ids::Uuid::parse(&s)
                        .map(|u| Lit::Guid(u.0))
                        .ok_or_else(|| format!("Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx): '{s}'"))
                }
                "datetime" => self.datetime().map(Lit::Date),
                _ => Err(format!("Unknown identifier '{w}'")),
            },
            _ => Err("Expression expected".to_string()),
        }
    }

    /// After `DateTime`: `(y, m, d[, h, mi, s])`, `(yyyy-MM-dd[THH:mm:ss])` or `("…")`.
    fn datetime(&mut self) -> Result<i64, String> {
        self.expect(Tok::LParen, "'('")?;
        let bad = || "Invalid DateTime literal".to_string();
        let ms = match self.next() {
            Some(Tok::DateText(s) | Tok::Str(s)) => dates::parse_http_date(&s).ok_or_else(bad)?,
            Some(Tok::Num(first)) => {
                let mut parts = vec![first];
                while self.peek() == Some(&Tok::Comma) {
                    self.pos += 1;
                    match self.next() {
                        Some(Tok::Num(n)) => parts.push(n),
                        _ => return Err(bad()),
                    }
                }
                let n: Vec<u32> = parts
                    .iter()
                    .map(|p| p.parse().map_err(|_| bad()))
                    .collect::<Result<_, _>>()?;
                match n[..] {
                    [y, m, d] => dates::to_ms(i64::from(y), m, d, 0, 0, 0, 0),
                    [y, m, d, h, mi, s] => dates::to_ms(i64::from(y), m, d, h, mi, s, 0),
                    _ => None,
                }
                .ok_or_else(bad)?
            }
            _ => return Err(bad()),
        };
        self.expect(Tok::RParen, "')'")?;
        Ok(ms)
    }
}

/// Converts a decimal literal to fixed point with six decimals.
fn parse_number(s: &str) -> Result<i128, String> {
    let bad = || format!("Invalid numeric literal '{s}'");
    let (neg, digits) = s.strip_prefix('-').map_or((false, s), |d| (true, d));
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty()
        || frac.len() > 6
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let whole: i128 = int.parse().map_err(|_| bad())?;
    let frac_val: i128 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<6}").parse().map_err(|_| bad())?
    };
    let v = whole
        .checked_mul(NUM_SCALE)
        .and_then(|w| w.checked_add(frac_val))
        .ok_or_else(bad)?;
    Ok(if neg { -v } else { v })
}

fn check_types<R>(field: &Field<R>, op: Op, lit: Lit) -> Result<Lit, String> {
    let ok = match (field.ty, &lit) {
        (_, Lit::Null) => true,
        (Ty::Str, Lit::Str(_)) | (Ty::Num, Lit::Num(_)) | (Ty::Bool, Lit::Bool(_)) => true,
        (Ty::Date, Lit::Date(_)) | (Ty::Guid, Lit::Guid(_)) => true,
        // Xero accepts a GUID written as a plain string for GUID fields.
        (Ty::Guid, Lit::Str(s)) => {
            if let Some(u) = crate::ids::Uuid::parse(s) {
                return Ok(Lit::Guid(u.0));
            }
            false
        }
        _ => false,
    };
    if ok {
        Ok(lit)
    } else {
        Err(format!(
            "Operator '{}' incompatible with operand types '{}' and '{}'",
            op.symbol(),
            field.ty.dotnet_name(),
            lit.type_name()
        ))
    }
}

#[cfg(test)]
#[path = "where_clause_tests.rs"]
mod tests;
