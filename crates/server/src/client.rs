//! Who is asking: the client's address, from the connection, or from `X-Forwarded-For` when
//! the connection comes from a proxy the operator named as trusted. Limits per source
//! (logins, chat sockets, chat starts) key on this, so a stranger cannot pick their own
//! address by sending the header.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::error::ApiError;
use crate::state::AppState;

/// The client's address as far as the server can trust it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// The client behind `peer`: the right-most `X-Forwarded-For` entry that is not a trusted
/// proxy, when `peer` itself is one; otherwise `peer`.
pub fn client_of(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let Some(chain) = forwarded_for else {
        return peer;
    };
    let mut hops = chain.rsplit(',').map(str::trim);
    hops.by_ref()
        .map(|hop| hop.parse::<IpAddr>().ok())
        .take_while(Option::is_some)
        .flatten()
        .find(|ip| !trusted.contains(ip))
        .unwrap_or(peer)
}

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
            .ok_or_else(|| anyhow::anyhow!("served without connection info"))?;
        let header = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        let header = (!header.is_empty()).then_some(header.as_str());
        Ok(ClientAddr(client_of(peer, header, &state.trusted_proxies)))
    }
}

#[cfg(test)]
mod tests {
    use super::client_of;
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("address")
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_proxy() {
        let proxy = [ip("127.0.0.1")];
        let stranger = ip("203.0.113.9");
        assert_eq!(client_of(stranger, Some("198.51.100.1"), &proxy), stranger);
        assert_eq!(
            client_of(ip("127.0.0.1"), Some("198.51.100.1"), &proxy),
            ip("198.51.100.1")
        );
        assert_eq!(client_of(ip("127.0.0.1"), None, &proxy), ip("127.0.0.1"));
    }

    #[test]
    fn a_forged_left_part_is_ignored() {
        let proxies = [ip("127.0.0.1"), ip("10.0.0.2")];
        // The client wrote "1.1.1.1" itself; the proxies appended what they saw.
        let chain = "1.1.1.1, 198.51.100.7, 10.0.0.2";
        assert_eq!(
            client_of(ip("127.0.0.1"), Some(chain), &proxies),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_of(ip("127.0.0.1"), Some("garbage, 10.0.0.2"), &proxies),
            ip("127.0.0.1")
        );
    }
}
