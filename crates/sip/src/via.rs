//! The Via header: where responses go back (RFC 3261 §18.2.2, RFC 3581 `rport`) and the
//! branch that names the transaction.

use std::fmt;
use std::net::IpAddr;

use crate::syntax::{find_param, is_token, parse_params, split_top_level, trim_ws, Param};
use crate::uri::{parse_host_name, Host};

/// The branch of every RFC 3261 transaction starts with this cookie.
pub const BRANCH_COOKIE: &str = "z9hG4bK";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Via {
    /// Upper case: `UDP`, `TCP`, `TLS`, `WS`…
    pub transport: String,
    pub host: Host,
    pub port: Option<u16>,
    pub params: Vec<Param>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("bad Via: {0}")]
pub struct ViaError(pub &'static str);

impl Via {
    pub fn new(transport: &str, host: Host, port: Option<u16>, branch: &str) -> Via {
        Via {
            transport: transport.to_ascii_uppercase(),
            host,
            port,
            params: vec![Param::new("branch", Some(branch))],
        }
    }

    /// Every via-parm of one header value (they may be comma-separated).
    pub fn parse_list(value: &str) -> Result<Vec<Via>, ViaError> {
        split_top_level(value, b',')
            .map_err(ViaError)?
            .into_iter()
            .map(Via::parse)
            .collect()
    }

    pub fn parse(s: &str) -> Result<Via, ViaError> {
        let mut parts = s.splitn(3, '/');
        let name = trim_ws(parts.next().unwrap_or(""));
        let version = parts
            .next()
            .map(trim_ws)
            .ok_or(ViaError("no protocol version"))?;
        let rest = trim_ws(parts.next().ok_or(ViaError("no transport"))?);
        if !name.eq_ignore_ascii_case("SIP") || version != "2.0" {
            return Err(ViaError("not SIP/2.0"));
        }
        let split = rest.find([' ', '\t']).ok_or(ViaError("no sent-by"))?;
        let transport = &rest[..split];
        if !is_token(transport) {
            return Err(ViaError("bad transport"));
        }
        let rest = trim_ws(&rest[split..]);
        let (sent_by, params) = match rest.find(';') {
            Some(i) => (trim_ws(&rest[..i]), &rest[i..]),
            None => (rest, ""),
        };
        let (host, port) = parse_sent_by(sent_by)?;
        let params = parse_params(params).map_err(ViaError)?;
        Ok(Via {
            transport: transport.to_ascii_uppercase(),
            host,
            port,
            params,
        })
    }

    pub fn param(&self, name: &str) -> Option<&Param> {
        find_param(&self.params, name)
    }

    pub fn branch(&self) -> Option<&str> {
        self.param("branch").and_then(|p| p.value.as_deref())
    }

    /// A branch with the RFC 3261 cookie; otherwise the transaction is matched by the
    /// RFC 2543 rules.
    pub fn has_rfc3261_branch(&self) -> bool {
        self.branch()
            .is_some_and(|b| b.len() > BRANCH_COOKIE.len() && b.starts_with(BRANCH_COOKIE))
    }

    /// `rport` asked for (RFC 3581): `Some(None)` when present without a value.
    pub fn rport(&self) -> Option<Option<u16>> {
        self.param("rport")
            .map(|p| p.value.as_deref().and_then(|v| v.parse().ok()))
    }

    /// Adds what a server learns from the packet: `received` when the source differs from
    /// sent-by, and the source port in `rport` when the client asked for it.
    pub fn stamp_source(&mut self, ip: IpAddr, port: u16) {
        if self.host != Host::Ip(ip) {
            self.set_param("received", Some(&ip.to_string()));
        }
        if self.rport().is_some() {
            self.set_param("rport", Some(&port.to_string()));
        }
    }

    pub fn set_param(&mut self, name: &str, value: Option<&str>) {
        match self
            .params
            .iter_mut()
            .find(|p| p.name.eq_ignore_ascii_case(name))
        {
            Some(p) => p.value = value.map(str::to_owned),
            None => self.params.push(Param::new(name, value)),
        }
    }
}

fn parse_sent_by(s: &str) -> Result<(Host, Option<u16>), ViaError> {
    let (host, port) = if let Some(inner) = s.strip_prefix('[') {
        let close = inner.find(']').ok_or(ViaError("unclosed IPv6 reference"))?;
        let ip = inner[..close]
            .parse()
            .map_err(|_| ViaError("bad IPv6 address"))?;
        (
            Host::Ip(IpAddr::V6(ip)),
            inner[close + 1..].strip_prefix(':'),
        )
    } else {
        let (h, p) = match s.split_once(':') {
            Some((h, p)) => (trim_ws(h), Some(trim_ws(p))),
            None => (s, None),
        };
        (parse_host_name(h).map_err(|e| ViaError(e.0))?, p)
    };
    let port = match port {
        None => None,
        Some(p) => Some(p.parse::<u16>().map_err(|_| ViaError("bad port"))?),
    };
    Ok((host, port))
}

impl fmt::Display for Via {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SIP/2.0/{} {}", self.transport, self.host)?;
        if let Some(port) = self.port {
            write!(f, ":{port}")?;
        }
        for p in &self.params {
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_whitespace_everywhere_it_may_be() {
        let vias = Via::parse_list(
            "SIP  / 2.0  / TCP     spindle.example.com   ;   branch  =   z9hG4bK9ikj8  , SIP  /    2.0   / UDP  192.168.255.111   ; branch= z9hG4bK30239",
        )
        .unwrap();
        assert_eq!(vias.len(), 2);
        assert_eq!(vias[0].transport, "TCP");
        assert_eq!(vias[0].branch(), Some("z9hG4bK9ikj8"));
        assert_eq!(vias[1].host, Host::Ip("192.168.255.111".parse().unwrap()));
    }

    #[test]
    fn stamps_received_and_rport() {
        let mut via = Via::parse("SIP/2.0/UDP phone.example;branch=z9hG4bKa;rport").unwrap();
        via.stamp_source("127.0.0.1".parse().unwrap(), 40000);
        assert_eq!(
            via.to_string(),
            "SIP/2.0/UDP phone.example;branch=z9hG4bKa;rport=40000;received=127.0.0.1"
        );
    }

    #[test]
    fn refuses_broken_vias() {
        for bad in [
            "SIP/2.0/UDP 192.0.2.15;;,;,,",
            "SIP/7.0/UDP c.example.com",
            "SIP/2.0/UDP",
            "SIP/2.0/UDP host:99999",
        ] {
            assert!(Via::parse_list(bad).is_err(), "{bad}");
        }
    }
}
