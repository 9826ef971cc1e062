//! Keeps webhooks off the server's own network (SSRF): loopback, private, link-local,
//! shared, multicast and unspecified addresses are refused — a literal one when the URL is
//! saved and when it is sent to, a name after it is resolved (by the HTTP client's own
//! resolver, so the address checked is the address connected to) — unless the server runs
//! with `--webhook-allow-private`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Whether a webhook may not be sent to `ip`.
pub fn forbidden(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => forbidden_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => forbidden_v4(v4),
            None => forbidden_v6(v6),
        },
    }
}

fn forbidden_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || a == 0
        // 100.64.0.0/10, carrier-grade NAT: someone's private network.
        || (a == 100 && (64..128).contains(&b))
}

fn forbidden_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        // fc00::/7 unique local, fe80::/10 link-local.
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
}

/// Why a URL's literal host may not be used, if it may not.
pub fn literal_refused(url: &reqwest::Url, allow_private: bool) -> Option<&'static str> {
    let host = url.host_str()?;
    let ip = if host.eq_ignore_ascii_case("localhost") {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    } else {
        // An IPv6 literal comes bracketed.
        host.trim_start_matches('[')
            .trim_end_matches(']')
            .parse()
            .ok()?
    };
    (!allow_private && forbidden(ip)).then_some("is a loopback, private or link-local address")
}

/// A resolver that drops forbidden addresses and fails when none is left.
pub struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let found = tokio::net::lookup_host((name.as_str(), 0)).await?;
            let public: Vec<SocketAddr> = found.filter(|a| !forbidden(a.ip())).collect();
            if public.is_empty() {
                return Err(format!(
                    "{} resolves only to loopback, private or link-local addresses",
                    name.as_str()
                )
                .into());
            }
            let addrs: Addrs = Box::new(public.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_local_addresses_are_forbidden_and_public_ones_not() {
        for bad in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(forbidden(bad.parse().unwrap()), "{bad}");
        }
        for good in [
            "8.8.8.8",
            "203.0.114.1",
            "2001:4860:4860::8888",
            "100.128.0.1",
        ] {
            assert!(!forbidden(good.parse().unwrap()), "{good}");
        }
    }

    #[test]
    fn literal_hosts_are_checked_and_names_left_to_the_resolver() {
        let url = |s: &str| reqwest::Url::parse(s).unwrap();
        assert!(literal_refused(&url("http://127.0.0.1:9/x"), false).is_some());
        assert!(literal_refused(&url("http://[::1]/x"), false).is_some());
        assert!(literal_refused(&url("http://LOCALHOST/x"), false).is_some());
        assert!(literal_refused(&url("http://127.0.0.1:9/x"), true).is_none());
        assert!(literal_refused(&url("https://hooks.example.com/x"), false).is_none());
        assert!(literal_refused(&url("https://8.8.8.8/x"), false).is_none());
    }
}
