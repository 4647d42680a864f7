//! Tokenizer for Xero's `where` expressions (a subset of .NET Dynamic LINQ).

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Ident(String),
    Str(String),
    /// Kept as written; the parser converts it to fixed point.
    Num(String),
    /// A bare `yyyy-MM-dd[THH:mm:ss]` as in `DateTime(2024-01-31)`.
    DateText(String),
    Op(Op),
    And,
    Or,
    Not,
    LParen,
    RParen,
    Comma,
    Dot,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

impl Op {
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
        }
    }
}

/// Splits `src` into tokens with their byte positions (for error messages).
pub fn tokenize(src: &str) -> Result<Vec<(usize, Tok)>, String> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        let rest = &b[i..];
        let fixed = if rest.starts_with(b"==") {
            Some((Tok::Op(Op::Eq), 2))
        } else if rest.starts_with(b"!=") || rest.starts_with(b"<>") {
            Some((Tok::Op(Op::Ne), 2))
        } else if rest.starts_with(b">=") {
            Some((Tok::Op(Op::Ge), 2))
        } else if rest.starts_with(b"<=") {
            Some((Tok::Op(Op::Le), 2))
        } else if rest.starts_with(b"&&") {
            Some((Tok::And, 2))
        } else if rest.starts_with(b"||") {
            Some((Tok::Or, 2))
        } else {
            match c {
                b'(' => Some((Tok::LParen, 1)),
                b')' => Some((Tok::RParen, 1)),
                b',' => Some((Tok::Comma, 1)),
                b'.' => Some((Tok::Dot, 1)),
                b'=' => Some((Tok::Op(Op::Eq), 1)),
                b'>' => Some((Tok::Op(Op::Gt), 1)),
                b'<' => Some((Tok::Op(Op::Lt), 1)),
                b'!' => Some((Tok::Not, 1)),
                _ => None,
            }
        };
        if let Some((tok, len)) = fixed {
            out.push((start, tok));
            i += len;
            continue;
        }
        let (tok, end) = match c {
            b' ' | b'\t' | b'\r' | b'\n' => {
                i += 1;
                continue;
            }
            b'"' | b'\'' => {
                let (s, end) = string_literal(src, i)?;
                (Tok::Str(s), end)
            }
            b'0'..=b'9' => number_or_date(src, i),
            b'-' if b.get(i + 1).is_some_and(u8::is_ascii_digit) => number_or_date(src, i),
            _ if c.is_ascii_alphabetic() || c == b'_' => {
                let mut end = i;
                while end < b.len() && (b[end].is_ascii_alphanumeric() || b[end] == b'_') {
                    end += 1;
                }
                let word = &src[start..end];
                let t = if word.eq_ignore_ascii_case("and") {
                    Tok::And
                } else if word.eq_ignore_ascii_case("or") {
                    Tok::Or
                } else if word.eq_ignore_ascii_case("not") {
                    Tok::Not
                } else {
                    Tok::Ident(word.to_string())
                };
                (t, end)
            }
            _ => {
                let ch = src[i..].chars().next().unwrap_or('?');
                return Err(format!("Syntax error '{ch}'"));
            }
        };
        out.push((start, tok));
        i = end;
    }
    Ok(out)
}

/// Reads a quoted literal starting at `start`; the quote doubles or is backslash-escaped inside.
fn string_literal(src: &str, start: usize) -> Result<(String, usize), String> {
    let quote = src.as_bytes()[start] as char;
    let mut s = String::new();
    let mut chars = src[start + 1..].char_indices().peekable();
    while let Some((k, ch)) = chars.next() {
        match ch {
            '\\' => match chars.next() {
                Some((_, esc)) => s.push(esc),
                None => break,
            },
            c if c == quote => {
                if chars.peek().is_some_and(|&(_, n)| n == quote) {
                    chars.next();
                    s.push(quote);
                } else {
                    return Ok((s, start + 1 + k + 1));
                }
            }
            c => s.push(c),
        }
    }
    Err("Unterminated string literal".to_string())
}

fn number_or_date(src: &str, start: usize) -> (Tok, usize) {
    let b = src.as_bytes();
    let mut i = start + 1;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
        i += 1;
    }
    // `2024-01-31` (and `2024-01-31T10:30:00`) inside DateTime(...).
    if i - start == 4 && b.get(i) == Some(&b'-') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        while i < b.len() && (b[i].is_ascii_digit() || matches!(b[i], b'-' | b':' | b'T')) {
            i += 1;
        }
        return (Tok::DateText(src[start..i].to_string()), i);
    }
    // .NET numeric suffixes (`100m`, `1.5d`) are accepted and ignored.
    let end = if i < b.len() && matches!(b[i], b'm' | b'M' | b'd' | b'D') {
        i + 1
    } else {
        i
    };
    (Tok::Num(src[start..i].to_string()), end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        tokenize(s).unwrap().into_iter().map(|(_, t)| t).collect()
    }

    #[test]
    fn tokens() {
        assert_eq!(
            toks(r#"Status=="PAID" AND Total>=10.5"#),
            vec![
                Tok::Ident("Status".into()),
                Tok::Op(Op::Eq),
                Tok::Str("PAID".into()),
                Tok::And,
                Tok::Ident("Total".into()),
                Tok::Op(Op::Ge),
                Tok::Num("10.5".into()),
            ]
        );
        assert_eq!(
            toks("a<>b||!c"),
            vec![
                Tok::Ident("a".into()),
                Tok::Op(Op::Ne),
                Tok::Ident("b".into()),
                Tok::Or,
                Tok::Not,
                Tok::Ident("c".into())
            ]
        );
        assert_eq!(
            toks("DateTime(2024-01-31)")[2],
            Tok::DateText("2024-01-31".into())
        );
        assert_eq!(toks("x>-5")[2], Tok::Num("-5".into()));
        assert_eq!(toks(r#""a\"b""#), vec![Tok::Str("a\"b".into())]);
        assert_eq!(toks(r#""O""Brien""#), vec![Tok::Str("O\"Brien".into())]);
        assert_eq!(
            toks("Name=\"Tūhoe\""),
            vec![
                Tok::Ident("Name".into()),
                Tok::Op(Op::Eq),
                Tok::Str("Tūhoe".into())
            ]
        );
    }

    #[test]
    fn token_errors() {
        assert!(tokenize("Name==\"open")
            .unwrap_err()
            .contains("Unterminated"));
        assert!(tokenize("Total # 3").unwrap_err().contains("Syntax error"));
    }
}
