//! `name-addr` and `addr-spec` (From, To, Contact, Route, Record-Route): a display name, a
//! URI and header parameters such as `tag` and `expires`.

use std::fmt;

use crate::syntax::{
    find_param, is_token, parse_params, read_quoted, trim_ws, write_quoted, Param,
};
use crate::uri::Uri;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameAddr {
    pub display: Option<String>,
    pub uri: Uri,
    pub params: Vec<Param>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("bad address: {0}")]
pub struct AddrError(pub &'static str);

impl NameAddr {
    pub fn new(uri: Uri) -> NameAddr {
        NameAddr {
            display: None,
            uri,
            params: Vec::new(),
        }
    }

    pub fn parse(s: &str) -> Result<NameAddr, AddrError> {
        let s = trim_ws(s);
        if s.starts_with('"') {
            let (display, rest) = read_quoted(s).map_err(AddrError)?;
            let rest = trim_ws(rest);
            if !rest.starts_with('<') {
                return Err(AddrError("a quoted display name must be followed by <uri>"));
            }
            return Self::bracketed(Some(display), rest);
        }
        if let Some(open) = s.find('<') {
            let words = trim_ws(&s[..open]);
            let display = if words.is_empty() {
                None
            } else if words
                .split([' ', '\t'])
                .filter(|w| !w.is_empty())
                .all(is_token)
            {
                Some(words.to_owned())
            } else {
                return Err(AddrError(
                    "a display name that is not quoted must be tokens",
                ));
            };
            return Self::bracketed(display, &s[open..]);
        }
        // addr-spec: what follows the first `;` are header parameters, so the URI itself
        // cannot carry parameters, headers or commas without brackets.
        let (uri_text, params) = match s.find(';') {
            Some(i) => (trim_ws(&s[..i]), &s[i..]),
            None => (s, ""),
        };
        if uri_text.contains(['?', ',', ' ', '\t']) {
            return Err(AddrError("a URI with headers must be written in <>"));
        }
        let uri = Uri::parse(uri_text).map_err(|e| AddrError(e.0))?;
        let params = parse_params(params).map_err(AddrError)?;
        Ok(NameAddr {
            display: None,
            uri,
            params,
        })
    }

    fn bracketed(display: Option<String>, s: &str) -> Result<NameAddr, AddrError> {
        let close = s.find('>').ok_or(AddrError("< without >"))?;
        let uri = Uri::parse(&s[1..close]).map_err(|e| AddrError(e.0))?;
        let params = parse_params(&s[close + 1..]).map_err(AddrError)?;
        Ok(NameAddr {
            display,
            uri,
            params,
        })
    }

    pub fn param(&self, name: &str) -> Option<&str> {
        find_param(&self.params, name).map(|p| p.value.as_deref().unwrap_or(""))
    }

    pub fn tag(&self) -> Option<&str> {
        self.param("tag").filter(|t| !t.is_empty())
    }

    pub fn with_tag(mut self, tag: &str) -> NameAddr {
        self.params.retain(|p| !p.name.eq_ignore_ascii_case("tag"));
        self.params.push(Param::new("tag", Some(tag)));
        self
    }
}

impl fmt::Display for NameAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(d) = &self.display {
            write_quoted(f, d)?;
            f.write_str(" ")?;
        }
        write!(f, "<{}>", self.uri)?;
        for p in &self.params {
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

/// A Contact header value: addresses, or `*` (remove all bindings, REGISTER only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contacts {
    Star,
    List(Vec<NameAddr>),
}

pub fn parse_contacts(values: &[&str]) -> Result<Contacts, AddrError> {
    if values.len() == 1 && trim_ws(values[0]) == "*" {
        return Ok(Contacts::Star);
    }
    let mut list = Vec::new();
    for value in values {
        let parts = crate::syntax::split_top_level(value, b',').map_err(AddrError)?;
        for part in parts {
            list.push(NameAddr::parse(part)?);
        }
    }
    Ok(Contacts::List(list))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_display_name_forms() {
        let a = NameAddr::parse(
            r#""J Rosenberg \\\""       <sip:jdrosen@example.com> ;   tag = 98asjd8"#,
        )
        .unwrap();
        assert_eq!(a.display.as_deref(), Some(r#"J Rosenberg \""#));
        assert_eq!(a.tag(), Some("98asjd8"));
        let b = NameAddr::parse("caller<sip:caller@example.com>;tag=323").unwrap();
        assert_eq!(b.display.as_deref(), Some("caller"));
        let c = NameAddr::parse("sip:+19725552222@gw1.example.net;unknownparam").unwrap();
        assert_eq!(c.param("unknownparam"), Some(""));
    }

    #[test]
    fn refuses_the_broken_forms() {
        for bad in [
            r#""Watson, Thomas" < sip:t.watson@example.org >"#,
            "Bell, Alexander <sip:a.g.bell@example.com>;tag=43",
            r#""Mr. J. User <sip:j.user@example.com>"#,
            "sip:user@example.com?Route=%3Csip:sip.example.com%3E",
            r#""Joe" <sip:joe@example.org>;;;;"#,
        ] {
            assert!(NameAddr::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn writes_back_what_it_read() {
        let a = NameAddr::parse(r#""A \"B\"" <sip:a@b.example>;tag=x"#).unwrap();
        assert_eq!(NameAddr::parse(&a.to_string()).unwrap(), a);
    }
}
