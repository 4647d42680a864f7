//! Just enough XML reading for the mock's own output: elements, text and the five
//! predefined entities; attributes (only the root's namespaces) are skipped.

#[derive(Debug)]
pub struct Element {
    pub name: String,
    pub text: String,
    pub children: Vec<Element>,
}

impl Element {
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }
}

pub fn parse(s: &str) -> Element {
    let s = s.trim_start();
    let s = match s.strip_prefix("<?xml") {
        Some(rest) => &rest[rest.find("?>").expect("declaration ends") + 2..],
        None => s,
    };
    let mut pos = 0;
    let e = element(s.as_bytes(), &mut pos);
    e
}

fn element(b: &[u8], pos: &mut usize) -> Element {
    while b[*pos] != b'<' {
        *pos += 1;
    }
    let start = *pos + 1;
    let end = start
        + b[start..]
            .iter()
            .position(|&c| c == b'>')
            .expect("tag ends");
    let tag = std::str::from_utf8(&b[start..end]).unwrap();
    let self_closing = tag.ends_with('/');
    let name = tag
        .trim_end_matches('/')
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    *pos = end + 1;
    let mut e = Element {
        name,
        text: String::new(),
        children: Vec::new(),
    };
    if self_closing {
        return e;
    }
    loop {
        let lt = *pos
            + b[*pos..]
                .iter()
                .position(|&c| c == b'<')
                .expect("element closes");
        e.text
            .push_str(&unescape(std::str::from_utf8(&b[*pos..lt]).unwrap()));
        *pos = lt;
        if b[lt + 1] == b'/' {
            *pos = lt + b[lt..].iter().position(|&c| c == b'>').unwrap() + 1;
            return e;
        }
        e.children.push(element(b, pos));
    }
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}
