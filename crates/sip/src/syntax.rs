//! The lexical rules of RFC 3261 §25 that every header parser shares: tokens, quoted
//! strings, optional whitespace, parameters and comma-separated lists.

use std::fmt;

/// `token` characters: alphanumerics and `-.!%*_+`'~`.
pub fn is_token_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"-.!%*_+`'~".contains(&c)
}

pub fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(is_token_char)
}

/// Whitespace is folded to single spaces before headers are parsed, so SWS is spaces/tabs.
pub fn trim_ws(s: &str) -> &str {
    s.trim_matches(|c| c == ' ' || c == '\t')
}

/// Splits at `sep` outside quoted strings and angle brackets. An unbalanced quote or
/// bracket is an error: the list cannot be read.
pub fn split_top_level(s: &str, sep: u8) -> Result<Vec<&str>, &'static str> {
    let bytes = s.as_bytes();
    let (mut parts, mut start, mut i) = (Vec::new(), 0, 0);
    let (mut quoted, mut angle) = (false, false);
    while i < bytes.len() {
        let c = bytes[i];
        if quoted {
            match c {
                b'\\' => i += 1,
                b'"' => quoted = false,
                _ => {}
            }
        } else if c == b'"' {
            quoted = true;
        } else if c == b'<' {
            if angle {
                return Err("nested <");
            }
            angle = true;
        } else if c == b'>' {
            if !angle {
                return Err("> without <");
            }
            angle = false;
        } else if c == sep && !angle {
            parts.push(&s[start..i]);
            start = i + 1;
        }
        i += 1;
    }
    if quoted {
        return Err("unbalanced quotes");
    }
    if angle {
        return Err("< without >");
    }
    parts.push(&s[start..]);
    Ok(parts)
}

/// Reads a quoted string at the start of `s` (which begins with `"`): the unescaped
/// content and the rest after the closing quote.
pub fn read_quoted(s: &str) -> Result<(String, &str), &'static str> {
    let bytes = s.as_bytes();
    if bytes.first() != Some(&b'"') {
        return Err("expected a quoted string");
    }
    let mut out = Vec::new();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let text = String::from_utf8(out).map_err(|_| "quoted string is not UTF-8")?;
                return Ok((text, &s[i + 1..]));
            }
            b'\\' => {
                let next = *bytes
                    .get(i + 1)
                    .ok_or("quoted string ends in a backslash")?;
                if next == b'\r' || next == b'\n' {
                    return Err("quoted pair escapes a line break");
                }
                out.push(next);
                i += 2;
            }
            b'\r' | b'\n' => return Err("line break in a quoted string"),
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Err("unbalanced quotes")
}

/// Writes `text` as a quoted string, escaping `"` and `\`.
pub fn write_quoted(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in text.chars() {
        if c == '"' || c == '\\' {
            f.write_str("\\")?;
        }
        write!(f, "{c}")?;
    }
    f.write_str("\"")
}

/// A generic parameter (`;name` or `;name=value`); a quoted value keeps its quotes so the
/// parameter is written back as it came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    pub name: String,
    pub value: Option<String>,
}

impl Param {
    pub fn new(name: &str, value: Option<&str>) -> Self {
        Param {
            name: name.to_owned(),
            value: value.map(str::to_owned),
        }
    }
}

impl fmt::Display for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            Some(v) => write!(f, ";{}={}", self.name, v),
            None => write!(f, ";{}", self.name),
        }
    }
}

/// Parses `*( SEMI generic-param )`: `s` is empty or starts (after whitespace) with `;`.
/// Values are tokens, hosts (IPv6 references included) or quoted strings.
pub fn parse_params(s: &str) -> Result<Vec<Param>, &'static str> {
    let s = trim_ws(s);
    if s.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = s.strip_prefix(';') else {
        return Err("parameters must start with ;");
    };
    let mut params = Vec::new();
    for part in split_top_level(rest, b';')? {
        let part = trim_ws(part);
        let (name, value) = match part.split_once('=') {
            Some((n, v)) => (trim_ws(n), Some(trim_ws(v))),
            None => (part, None),
        };
        if !is_token(name) {
            return Err("a parameter name is not a token");
        }
        if let Some(v) = value {
            check_param_value(v)?;
        }
        params.push(Param::new(name, value));
    }
    Ok(params)
}

fn check_param_value(v: &str) -> Result<(), &'static str> {
    if v.starts_with('"') {
        let (_, rest) = read_quoted(v)?;
        return if rest.is_empty() {
            Ok(())
        } else {
            Err("text after a quoted value")
        };
    }
    if v.starts_with('[') && v.ends_with(']') {
        return v[1..v.len() - 1]
            .parse::<std::net::Ipv6Addr>()
            .map(|_| ())
            .map_err(|_| "a bad IPv6 reference");
    }
    if v.bytes().all(|c| is_token_char(c) || c == b':') && !v.is_empty() {
        Ok(())
    } else {
        Err("a parameter value is not a token, host or quoted string")
    }
}

pub fn find_param<'a>(params: &'a [Param], name: &str) -> Option<&'a Param> {
    params.iter().find(|p| p.name.eq_ignore_ascii_case(name))
}

/// Decodes `%HH` escapes; `None` if an escape is malformed.
pub fn unescape(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Every `%` in `s` starts a two-hex-digit escape.
pub fn escapes_well_formed(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let ok = bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
            if !ok {
                return false;
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_outside_quotes_and_brackets() {
        let parts = split_top_level(r#""a,b" <sip:x;y,z>, <sip:w>"#, b',').unwrap();
        assert_eq!(parts, vec![r#""a,b" <sip:x;y,z>"#, " <sip:w>"]);
        assert!(split_top_level(r#""open"#, b',').is_err());
        assert!(split_top_level("<sip:x", b',').is_err());
    }

    #[test]
    fn quoted_strings_unescape() {
        let (text, rest) = read_quoted(r#""J Rosenberg \\\"" <x>"#).unwrap();
        assert_eq!(text, r#"J Rosenberg \""#);
        assert_eq!(rest, " <x>");
    }

    #[test]
    fn params_allow_whitespace_around_equals() {
        let p = parse_params(";   tag    = 1918181833n ; lr").unwrap();
        assert_eq!(p[0], Param::new("tag", Some("1918181833n")));
        assert_eq!(p[1], Param::new("lr", None));
        assert!(parse_params(";;").is_err());
        assert!(parse_params("tag=1").is_err());
    }
}
