//! Strangers and broken messages on the real SIP socket: every RFC 4475 torture message is
//! sent by UDP (answered at the source address only, never at an address inside the
//! message); invalid requests get 400 or 505, valid ones an ordinary answer, and the server
//! still registers a phone afterwards. A flood from one address leaves another served.

use std::time::Duration;

use tokio::net::UdpSocket;

use crate::on_both;
use crate::peers;
use crate::support::TestApp;

fn corpus(group: &str) -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../sip/tests/rfc4475")
        .join(group);
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "dat"))
        .map(|p| {
            (
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Sends one datagram and returns the status line of the first answer, if any comes.
async fn exchange(
    socket: &UdpSocket,
    server: std::net::SocketAddr,
    bytes: &[u8],
) -> Option<String> {
    socket.send_to(bytes, server).await.unwrap();
    let mut buf = vec![0u8; 65_536];
    loop {
        let got =
            tokio::time::timeout(Duration::from_millis(700), socket.recv_from(&mut buf)).await;
        let Ok(Ok((n, _))) = got else { return None };
        let text = String::from_utf8_lossy(&buf[..n]).into_owned();
        let line = text.lines().next().unwrap_or("").to_owned();
        // Skip a provisional answer to an INVITE; its final answer follows.
        if !line.starts_with("SIP/2.0 100") {
            return Some(line);
        }
    }
}

async fn torture_messages_get_their_answers_and_nothing_breaks(app: TestApp) {
    let voice = peers::start(&app).await;
    let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    for (name, bytes) in corpus("invalid") {
        let answer = exchange(&socket, voice.sip, &bytes).await;
        if bytes.starts_with(b"SIP/2.0") {
            assert_eq!(answer, None, "{name}: a malformed response is dropped");
        } else {
            let expected = if name == "badvers" {
                "SIP/2.0 505"
            } else {
                "SIP/2.0 400"
            };
            assert!(
                answer.as_deref().is_some_and(|a| a.starts_with(expected)),
                "{name}: {answer:?}"
            );
        }
    }
    for (name, bytes) in corpus("valid")
        .into_iter()
        .chain(corpus("application"))
        .chain(corpus("compat"))
    {
        let answer = exchange(&socket, voice.sip, &bytes).await;
        if let Some(a) = &answer {
            assert!(
                !a.starts_with("SIP/2.0 5") || a.starts_with("SIP/2.0 505"),
                "{name}: no server error: {a}"
            );
        }
    }
    let ok = peers::sipp(
        voice.sip,
        &crate::registration::register(200),
        &["-s", "1003", "-au", "1003", "-ap", peers::SIP_PASSWORD],
    )
    .await;
    assert!(ok, "the server still registers phones");
}

async fn a_flood_from_one_address_leaves_another_served(app: TestApp) {
    let voice = peers::start(&app).await;
    let flood = UdpSocket::bind("127.0.0.2:0").await.unwrap();
    let options = |n: u32, from: std::net::SocketAddr| {
        format!(
            "OPTIONS sip:{} SIP/2.0\r\nVia: SIP/2.0/UDP {from};branch=z9hG4bKflood{n}\r\nFrom: <sip:x@demo>;tag=f\r\nTo: <sip:{}>\r\nCall-ID: flood{n}\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
            voice.sip, voice.sip
        )
    };
    let from = flood.local_addr().unwrap();
    for n in 0..2_000 {
        flood
            .send_to(options(n, from).as_bytes(), voice.sip)
            .await
            .unwrap();
    }
    let other = UdpSocket::bind("127.0.0.3:0").await.unwrap();
    let answer = exchange(
        &other,
        voice.sip,
        options(1, other.local_addr().unwrap()).as_bytes(),
    )
    .await;
    assert_eq!(
        answer.as_deref(),
        Some("SIP/2.0 200 OK"),
        "another address is still answered"
    );
}

on_both!(
    torture_messages_get_their_answers_and_nothing_breaks,
    a_flood_from_one_address_leaves_another_served
);
