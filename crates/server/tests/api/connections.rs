//! What a stranger can make the server hold: unfinished headers and bodies are cut off after
//! their timeouts, and connections are bounded per source address.

use std::time::Duration;

use switchboard_server::listen::Limits;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::{spawn_with, Backend, TestApp};

async fn app(limits: Limits) -> TestApp {
    spawn_with(Backend::Sqlite, limits).await.unwrap()
}

/// What the server sends before it closes the connection, or `None` if it is still open
/// after `within`.
async fn answer_before_close(socket: &mut TcpStream, within: Duration) -> Option<String> {
    let mut got = Vec::new();
    let read = tokio::time::timeout(within, socket.read_to_end(&mut got)).await;
    read.ok()
        .map(|_| String::from_utf8_lossy(&got).into_owned())
}

fn short_timeouts() -> Limits {
    Limits {
        header_timeout: Duration::from_millis(300),
        body_timeout: Duration::from_millis(300),
        ..Limits::default()
    }
}

#[tokio::test]
async fn unfinished_headers_are_cut_off() {
    let app = app(short_timeouts()).await;
    let mut socket = TcpStream::connect(app.addr).await.unwrap();
    socket
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let answer = answer_before_close(&mut socket, Duration::from_secs(5)).await;
    assert!(answer.is_some(), "the connection was still open after 5 s");
}

#[tokio::test]
async fn a_login_body_shorter_than_its_length_is_cut_off() {
    let app = app(short_timeouts()).await;
    let mut socket = TcpStream::connect(app.addr).await.unwrap();
    let head = "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"tenant\":";
    socket.write_all(head.as_bytes()).await.unwrap();
    let answer = answer_before_close(&mut socket, Duration::from_secs(5))
        .await
        .expect("the connection was still open after 5 s");
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 400"),
        "{answer}"
    );
    if !answer.is_empty() {
        assert!(answer.contains("incomplete_body"), "{answer}");
    }
}

#[tokio::test]
async fn connections_are_bounded_per_source() {
    let app = app(Limits {
        per_source: 4,
        ..Limits::default()
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut s = TcpStream::connect(app.addr).await.unwrap();
        // A request proves the connection was taken in.
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let mut buf = [0u8; 12];
        s.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"HTTP/1.1 200");
        held.push(s);
    }
    let mut fifth = TcpStream::connect(app.addr).await.unwrap();
    let _ = fifth
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await;
    let refused = answer_before_close(&mut fifth, Duration::from_secs(5)).await;
    assert_eq!(refused.as_deref(), Some(""), "closed without an answer");
    drop(held.pop());
    // The place is given back once the server sees the close.
    let mut ok = false;
    for _ in 0..100 {
        let status = reqwest::get(app.url("/healthz")).await.map(|r| r.status());
        if status.is_ok_and(|s| s.is_success()) {
            ok = true;
            break;
        }
        tokio::task::yield_now().await;
    }
    assert!(ok, "a place came free");
}
