//! A client of rtpengine's ng control protocol: one UDP datagram `COOKIE <bencoded dict>`
//! per command (`ping`, `offer`, `answer`, `delete`), answered by `COOKIE <bencoded dict>`
//! with `result` and, for offer and answer, the rewritten `sdp`.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context;
use tokio::net::UdpSocket;

/// A bencoded value (strings stay bytes: SDP is text, but the format does not promise it).
#[derive(Debug, Clone, PartialEq)]
pub enum Bencode {
    Bytes(Vec<u8>),
    Int(i64),
    List(Vec<Bencode>),
    Dict(BTreeMap<Vec<u8>, Bencode>),
}

impl Bencode {
    pub fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Bencode::Bytes(b) => {
                out.extend_from_slice(format!("{}:", b.len()).as_bytes());
                out.extend_from_slice(b);
            }
            Bencode::Int(i) => out.extend_from_slice(format!("i{i}e").as_bytes()),
            Bencode::List(items) => {
                out.push(b'l');
                items.iter().for_each(|i| i.encode(out));
                out.push(b'e');
            }
            Bencode::Dict(map) => {
                out.push(b'd');
                // BTreeMap iterates keys sorted, as bencode requires.
                for (k, v) in map {
                    Bencode::Bytes(k.clone()).encode(out);
                    v.encode(out);
                }
                out.push(b'e');
            }
        }
    }

    /// One value from the front of `input`, and what follows it.
    pub fn decode(input: &[u8]) -> anyhow::Result<(Bencode, &[u8])> {
        match input.first().context("bencode: unexpected end")? {
            b'i' => {
                let end = input
                    .iter()
                    .position(|&c| c == b'e')
                    .context("bencode: open int")?;
                let n = std::str::from_utf8(&input[1..end])?.parse()?;
                Ok((Bencode::Int(n), &input[end + 1..]))
            }
            b'l' => {
                let (mut rest, mut items) = (&input[1..], Vec::new());
                while rest.first() != Some(&b'e') {
                    let (item, r) = Bencode::decode(rest)?;
                    items.push(item);
                    rest = r;
                }
                Ok((Bencode::List(items), &rest[1..]))
            }
            b'd' => {
                let (mut rest, mut map) = (&input[1..], BTreeMap::new());
                while rest.first() != Some(&b'e') {
                    let (Bencode::Bytes(key), r) = Bencode::decode(rest)? else {
                        anyhow::bail!("bencode: a dictionary key that is not a string");
                    };
                    let (value, r) = Bencode::decode(r)?;
                    map.insert(key, value);
                    rest = r;
                }
                Ok((Bencode::Dict(map), &rest[1..]))
            }
            b'0'..=b'9' => {
                let colon = input
                    .iter()
                    .position(|&c| c == b':')
                    .context("bencode: no ':'")?;
                let len: usize = std::str::from_utf8(&input[..colon])?.parse()?;
                let body = input
                    .get(colon + 1..colon + 1 + len)
                    .context("bencode: short string")?;
                Ok((Bencode::Bytes(body.to_vec()), &input[colon + 1 + len..]))
            }
            other => anyhow::bail!("bencode: unexpected byte {other:#x}"),
        }
    }

    /// A dictionary's string entry, as text.
    pub fn text(&self, key: &str) -> Option<String> {
        match self {
            Bencode::Dict(map) => match map.get(key.as_bytes()) {
                Some(Bencode::Bytes(b)) => Some(String::from_utf8_lossy(b).into_owned()),
                _ => None,
            },
            _ => None,
        }
    }
}

/// A dictionary of string entries.
fn dict(entries: &[(&str, &str)]) -> Bencode {
    Bencode::Dict(
        entries
            .iter()
            .map(|(k, v)| (k.as_bytes().to_vec(), Bencode::Bytes(v.as_bytes().to_vec())))
            .collect(),
    )
}

static COOKIE: AtomicU64 = AtomicU64::new(1);

/// Sends one command and waits (up to 5 s, three tries) for its answer.
async fn command(ng: SocketAddr, entries: &[(&str, &str)]) -> anyhow::Result<Bencode> {
    let socket = UdpSocket::bind("127.0.0.1:0").await?;
    let cookie = format!(
        "{}_{}",
        std::process::id(),
        COOKIE.fetch_add(1, Ordering::Relaxed)
    );
    let mut datagram = format!("{cookie} ").into_bytes();
    dict(entries).encode(&mut datagram);
    let mut buf = vec![0u8; 65_536];
    for _ in 0..3 {
        socket.send_to(&datagram, ng).await?;
        let Ok(got) = tokio::time::timeout(Duration::from_secs(2), socket.recv(&mut buf)).await
        else {
            continue;
        };
        let n = got?;
        let reply = &buf[..n];
        let Some(body) = reply.strip_prefix(format!("{cookie} ").as_bytes()) else {
            continue;
        };
        let (value, _) = Bencode::decode(body)?;
        match value.text("result").as_deref() {
            Some("ok") | Some("pong") => return Ok(value),
            _ => anyhow::bail!(
                "rtpengine refused {:?}: {:?}",
                entries.first(),
                value.text("error-reason")
            ),
        }
    }
    anyhow::bail!("rtpengine did not answer {:?}", entries.first())
}

pub async fn ping(ng: SocketAddr) -> anyhow::Result<()> {
    command(ng, &[("command", "ping")]).await.map(|_| ())
}

/// The caller's offer; the SDP rtpengine gives the callee (its port for the callee to send to).
pub async fn offer(
    ng: SocketAddr,
    call_id: &str,
    from_tag: &str,
    sdp: &str,
) -> anyhow::Result<String> {
    let answer = command(
        ng,
        &[
            ("command", "offer"),
            ("call-id", call_id),
            ("from-tag", from_tag),
            ("sdp", sdp),
        ],
    )
    .await?;
    answer
        .text("sdp")
        .context("rtpengine's offer answer has no sdp")
}

/// The callee's answer; the SDP rtpengine gives the caller.
pub async fn answer(
    ng: SocketAddr,
    call_id: &str,
    from_tag: &str,
    to_tag: &str,
    sdp: &str,
) -> anyhow::Result<String> {
    let entries = [
        ("command", "answer"),
        ("call-id", call_id),
        ("from-tag", from_tag),
        ("to-tag", to_tag),
        ("sdp", sdp),
    ];
    let answer = command(ng, &entries).await?;
    answer.text("sdp").context("rtpengine's answer has no sdp")
}

pub async fn delete(ng: SocketAddr, call_id: &str, from_tag: &str) -> anyhow::Result<()> {
    command(
        ng,
        &[
            ("command", "delete"),
            ("call-id", call_id),
            ("from-tag", from_tag),
        ],
    )
    .await
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bencode_round_trips_and_refuses_garbage() {
        let mut map = BTreeMap::new();
        map.insert(b"sdp".to_vec(), Bencode::Bytes(b"v=0\r\n".to_vec()));
        map.insert(b"n".to_vec(), Bencode::Int(-3));
        map.insert(b"l".to_vec(), Bencode::List(vec![Bencode::Int(1)]));
        let value = Bencode::Dict(map);
        let mut out = Vec::new();
        value.encode(&mut out);
        assert_eq!(out, b"d1:lli1ee1:ni-3e3:sdp5:v=0\r\ne".to_vec());
        let (back, rest) = Bencode::decode(&out).expect("decodes");
        assert!(rest.is_empty());
        assert_eq!(back, value);
        assert_eq!(back.text("sdp").as_deref(), Some("v=0\r\n"));
        assert!(Bencode::decode(b"5:abc").is_err());
        assert!(Bencode::decode(b"x").is_err());
    }
}
