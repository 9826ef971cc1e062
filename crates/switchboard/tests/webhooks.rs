//! Webhook deliveries survive a crash: an event stored while its receiver was down is
//! delivered, signed, by the server started again on the same data after a `kill -9`.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use reqwest::Method;
use serde_json::{json, Value};
use sha2::Sha256;
use support::{call, start, switchboard, task_queue, token_of};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn serve(data: &std::path::Path) -> support::Server {
    let mut cmd = switchboard();
    cmd.args(["serve", "--http", "127.0.0.1:0", "--sip", "off", "--demo"])
        .args(["--webhook-allow-private", "--data"])
        .arg(data);
    start(cmd)
}

/// One request read off a connection: its header block and body.
async fn read_request(socket: &mut tokio::net::TcpStream) -> (String, String) {
    let mut bytes = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = socket.read(&mut buf).await.unwrap();
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let head = text[..end].to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().unwrap());
            if bytes.len() >= end + 4 + length {
                return (head, text[end + 4..end + 4 + length].to_owned());
            }
        }
    }
    panic!("the connection closed mid-request");
}

/// A receiver on `port` that answers 200 and keeps what it got.
async fn receive_on(port: u16) -> Arc<Mutex<Vec<(String, String)>>> {
    let got = Arc::new(Mutex::new(Vec::new()));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    let kept = got.clone();
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let request = read_request(&mut socket).await;
            kept.lock().unwrap().push(request);
            let answer = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok";
            let _ = socket.write_all(answer).await;
        }
    });
    got
}

fn header<'a>(head: &'a str, name: &str) -> &'a str {
    head.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .unwrap()
}

#[tokio::test]
async fn an_event_stored_before_a_crash_is_delivered_after_it() {
    let dir = tempfile::tempdir().unwrap();
    // A port nothing listens on yet: the first attempt fails and is retried in 10 s.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = serve(dir.path());
    let base = server.base.clone();
    let admin = token_of(&base, "admin").await;
    let hook = call(
        &base,
        &admin,
        Method::POST,
        "/api/v1/webhooks",
        Some(json!({ "url": format!("http://127.0.0.1:{port}/hook"), "events": ["contact.created"] })),
    )
    .await;
    let (id, secret) = (
        hook["webhook"]["id"].as_str().unwrap().to_owned(),
        hook["secret"].as_str().unwrap().to_owned(),
    );
    let tasks = task_queue(&base, &admin).await;
    let contact = call(
        &base,
        &admin,
        Method::POST,
        "/api/v1/contacts",
        Some(json!({ "queue_id": tasks, "title": "崩溃之前" })),
    )
    .await;
    let contact = contact["id"].as_str().unwrap().to_owned();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let log = call(
            &base,
            &admin,
            Method::GET,
            &format!("/api/v1/webhooks/{id}/deliveries"),
            None,
        )
        .await;
        let first: &Value = &log[0];
        if first["attempts"] == 1 {
            assert_eq!(first["state"], "pending", "{log}");
            assert!(first["last_error"].is_string(), "{log}");
            break;
        }
        assert!(Instant::now() < deadline, "no failed first attempt: {log}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(server); // SIGKILL, with the delivery stored and not delivered.

    let got = receive_on(port).await;
    let _server = serve(dir.path());
    let deadline = Instant::now() + Duration::from_secs(20);
    let (head, body) = loop {
        if let Some(r) = got.lock().unwrap().first().cloned() {
            break r;
        }
        assert!(
            Instant::now() < deadline,
            "the restarted server never delivered"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let event: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(event["type"], "contact.created");
    assert_eq!(event["data"]["contact_id"], contact.as_str());
    let timestamp = header(&head, "x-switchboard-timestamp");
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.{body}").as_bytes());
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        header(&head, "x-switchboard-signature"),
        format!("sha256={hex}")
    );
}
