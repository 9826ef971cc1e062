//! Request-URIs and addresses: `sip:`/`sips:` URIs parsed into their parts, `tel:` and any
//! other absolute URI kept whole (the application answers 416 for schemes it cannot route).

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::syntax::{escapes_well_formed, find_param, unescape, Param};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Uri {
    Sip(SipUri),
    Tel(String),
    Other { scheme: String, rest: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SipUri {
    pub secure: bool,
    /// As written, escapes kept (`%40`); [`SipUri::user_decoded`] undoes them.
    pub user: Option<String>,
    pub password: Option<String>,
    pub host: Host,
    pub port: Option<u16>,
    pub params: Vec<Param>,
    /// `hname=hvalue&…` after `?`, as written.
    pub headers: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    Name(String),
    Ip(IpAddr),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("bad URI: {0}")]
pub struct UriError(pub &'static str);

impl Uri {
    pub fn parse(s: &str) -> Result<Uri, UriError> {
        let colon = s.find(':').ok_or(UriError("no scheme"))?;
        let (scheme, rest) = (&s[..colon], &s[colon + 1..]);
        let scheme_ok = scheme
            .bytes()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"+-.".contains(&c));
        if !scheme_ok {
            return Err(UriError("bad scheme"));
        }
        match scheme.to_ascii_lowercase().as_str() {
            "sip" => SipUri::parse_parts(false, rest).map(Uri::Sip),
            "sips" => SipUri::parse_parts(true, rest).map(Uri::Sip),
            lower => {
                let bad = |c: u8| c <= b' ' || c >= 0x7f || b"<>\"".contains(&c);
                if rest.is_empty() || rest.bytes().any(bad) {
                    return Err(UriError("bad characters"));
                }
                if lower == "tel" {
                    Ok(Uri::Tel(rest.to_owned()))
                } else {
                    Ok(Uri::Other {
                        scheme: scheme.to_owned(),
                        rest: rest.to_owned(),
                    })
                }
            }
        }
    }

    pub fn as_sip(&self) -> Option<&SipUri> {
        match self {
            Uri::Sip(u) => Some(u),
            _ => None,
        }
    }
}

impl fmt::Display for Uri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Uri::Sip(u) => u.fmt(f),
            Uri::Tel(rest) => write!(f, "tel:{rest}"),
            Uri::Other { scheme, rest } => write!(f, "{scheme}:{rest}"),
        }
    }
}

fn user_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"-_.!~*'()%&=+$,;?/".contains(&c)
}

fn password_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"-_.!~*'()%&=+$,".contains(&c)
}

fn param_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"-_.!~*'()%[]/:&+$".contains(&c)
}

fn header_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"-_.!~*'()%[]/?:+$=&".contains(&c)
}

impl SipUri {
    pub fn new(user: Option<&str>, host: Host, port: Option<u16>) -> SipUri {
        SipUri {
            secure: false,
            user: user.map(str::to_owned),
            password: None,
            host,
            port,
            params: Vec::new(),
            headers: None,
        }
    }

    fn parse_parts(secure: bool, s: &str) -> Result<SipUri, UriError> {
        // The user part may hold `;`, `?` and `/`, never a raw `@`, so the last `@` ends it.
        let (userinfo, hostpart) = match s.rfind('@') {
            Some(at) => (Some(&s[..at]), &s[at + 1..]),
            None => (None, s),
        };
        let (user, password) = match userinfo {
            None => (None, None),
            Some(info) => {
                let (u, p) = match info.split_once(':') {
                    Some((u, p)) => (u, Some(p)),
                    None => (info, None),
                };
                if u.is_empty() || !u.bytes().all(user_char) || !escapes_well_formed(u) {
                    return Err(UriError("bad user part"));
                }
                if let Some(p) = p {
                    if !p.bytes().all(password_char) || !escapes_well_formed(p) {
                        return Err(UriError("bad password"));
                    }
                }
                (Some(u.to_owned()), p.map(str::to_owned))
            }
        };
        let (hostport, after) = split_hostport(hostpart)?;
        let (host, port) = parse_hostport(hostport)?;
        let (params_text, headers) = match after.split_once('?') {
            Some((p, h)) => (p, Some(h)),
            None => (after, None),
        };
        let params = parse_uri_params(params_text)?;
        if let Some(h) = headers {
            if h.is_empty() || !h.bytes().all(header_char) || !escapes_well_formed(h) {
                return Err(UriError("bad headers"));
            }
        }
        let headers = headers.map(str::to_owned);
        Ok(SipUri {
            secure,
            user,
            password,
            host,
            port,
            params,
            headers,
        })
    }

    pub fn user_decoded(&self) -> Option<String> {
        let raw = unescape(self.user.as_deref()?)?;
        Some(String::from_utf8_lossy(&raw).into_owned())
    }

    pub fn param(&self, name: &str) -> Option<&Param> {
        find_param(&self.params, name)
    }
}

fn split_hostport(s: &str) -> Result<(&str, &str), UriError> {
    let end = if s.starts_with('[') {
        s.find(']').ok_or(UriError("unclosed IPv6 reference"))? + 1
    } else {
        0
    };
    let cut = s[end..].find([';', '?']).map_or(s.len(), |i| i + end);
    Ok((&s[..cut], &s[cut..]))
}

fn parse_hostport(s: &str) -> Result<(Host, Option<u16>), UriError> {
    let (host, port) = if let Some(inner) = s.strip_prefix('[') {
        let close = inner.find(']').ok_or(UriError("unclosed IPv6 reference"))?;
        let ip: Ipv6Addr = inner[..close]
            .parse()
            .map_err(|_| UriError("bad IPv6 address"))?;
        (
            Host::Ip(IpAddr::V6(ip)),
            inner[close + 1..].strip_prefix(':'),
        )
    } else {
        let (h, p) = match s.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (s, None),
        };
        (parse_host_name(h)?, p)
    };
    let port = match port {
        None => None,
        Some(p) if !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()) => Some(
            p.parse::<u16>()
                .map_err(|_| UriError("port out of range"))?,
        ),
        Some(_) => return Err(UriError("bad port")),
    };
    Ok((host, port))
}

pub(crate) fn parse_host_name(h: &str) -> Result<Host, UriError> {
    if h.is_empty() {
        return Err(UriError("empty host"));
    }
    if h.bytes().all(|c| c.is_ascii_digit() || c == b'.') {
        let ip: Ipv4Addr = h.parse().map_err(|_| UriError("bad IPv4 address"))?;
        return Ok(Host::Ip(IpAddr::V4(ip)));
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let trimmed = h.strip_suffix('.').unwrap_or(h);
    if trimmed.split('.').all(label_ok) {
        Ok(Host::Name(h.to_owned()))
    } else {
        Err(UriError("bad host name"))
    }
}

fn parse_uri_params(s: &str) -> Result<Vec<Param>, UriError> {
    if s.is_empty() {
        return Ok(Vec::new());
    }
    let rest = s.strip_prefix(';').ok_or(UriError("bad parameters"))?;
    rest.split(';')
        .map(|part| {
            let (name, value) = match part.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (part, None),
            };
            let ok = |t: &str| !t.is_empty() && t.bytes().all(param_char) && escapes_well_formed(t);
            if !ok(name) || value.is_some_and(|v| !ok(v)) {
                return Err(UriError("bad parameter"));
            }
            Ok(Param::new(name, value))
        })
        .collect()
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Name(n) => f.write_str(n),
            Host::Ip(IpAddr::V4(ip)) => write!(f, "{ip}"),
            Host::Ip(IpAddr::V6(ip)) => write!(f, "[{ip}]"),
        }
    }
}

impl fmt::Display for SipUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.secure { "sips:" } else { "sip:" })?;
        if let Some(user) = &self.user {
            f.write_str(user)?;
            if let Some(p) = &self.password {
                write!(f, ":{p}")?;
            }
            f.write_str("@")?;
        }
        write!(f, "{}", self.host)?;
        if let Some(port) = self.port {
            write!(f, ":{port}")?;
        }
        for p in &self.params {
            write!(f, "{p}")?;
        }
        if let Some(h) = &self.headers {
            write!(f, "?{h}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sip(s: &str) -> SipUri {
        match Uri::parse(s) {
            Ok(Uri::Sip(u)) => u,
            other => panic!("{s}: {other:?}"),
        }
    }

    #[test]
    fn parses_the_parts_and_writes_them_back() {
        let u = sip("sip:alice:secret@[2001:db8::1]:5070;transport=tcp;lr?subject=hi");
        assert_eq!(u.user.as_deref(), Some("alice"));
        assert_eq!(u.password.as_deref(), Some("secret"));
        assert_eq!(u.port, Some(5070));
        assert_eq!(
            u.param("transport").and_then(|p| p.value.as_deref()),
            Some("tcp")
        );
        assert_eq!(
            u.to_string(),
            "sip:alice:secret@[2001:db8::1]:5070;transport=tcp;lr?subject=hi"
        );
    }

    #[test]
    fn the_user_part_may_hold_semicolons_and_escapes() {
        let u = sip("sip:user;par=u%40example.net@example.com");
        assert_eq!(u.user_decoded().as_deref(), Some("user;par=u@example.net"));
        assert_eq!(u.host, Host::Name("example.com".into()));
    }

    #[test]
    fn refuses_what_is_not_a_uri() {
        for bad in [
            "sip:",
            "sip:user@",
            "sip:a b@x",
            "sip:x:99999",
            "sip:us%zzer@x",
            "<sip:x>",
            "sip:[::1",
        ] {
            assert!(Uri::parse(bad).is_err(), "{bad}");
        }
        assert!(matches!(
            Uri::parse("soap.beep://192.0.2.103:3002"),
            Ok(Uri::Other { .. })
        ));
        assert!(matches!(Uri::parse("tel:+8613800138000"), Ok(Uri::Tel(_))));
    }
}
