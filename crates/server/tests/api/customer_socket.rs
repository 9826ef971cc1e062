//! The customer's public socket under abuse: conversations whose customer is gone leave the
//! queue after the grace period, sockets alone store nothing, sockets and starts are limited
//! per source, and malformed frames get proper close codes or a refusal naming the field.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use reqwest::StatusCode;
use serde_json::{json, Value};
use switchboard_engine::TenantName;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::Message;

use crate::chat::{customer, next_of, send, Socket};
use crate::on_both;
use crate::support::{refusal, TestApp, DEMO_PASSWORD};

/// The server's grace period (`chat::presence::GRACE_MS`) and a second more.
const PAST_GRACE: Duration = Duration::from_secs(61);

fn visitor(n: u32) -> String {
    format!("visitor=hardening-visitor-{n:08}")
}

/// A customer socket from `addr`, as a trusted proxy on loopback reports it.
async fn customer_from(app: &TestApp, addr: &str, query: &str) -> Socket {
    let url = format!("ws://{}/api/v1/chat/demo/web/ws?{query}", app.addr);
    let mut req = url.into_client_request().unwrap();
    req.headers_mut()
        .insert("x-forwarded-for", addr.parse().unwrap());
    tokio_tungstenite::connect_async(req).await.unwrap().0
}

/// Starts a conversation on a fresh socket; the socket and the conversation id.
async fn started(app: &TestApp, query: &str) -> (Socket, String) {
    let mut c = customer(app, query).await;
    next_of(&mut c, &["welcome"]).await;
    send(&mut c, json!({ "type": "start" })).await;
    let id = next_of(&mut c, &["conversation"]).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (c, id)
}

/// Closes a socket the way a browser tab does.
async fn hang_up(mut socket: Socket) {
    socket.close(None).await.unwrap();
    while let Ok(Some(Ok(_))) = tokio::time::timeout(Duration::from_secs(2), socket.next()).await {}
}

/// The close code the server ends this socket with, skipping other frames.
async fn close_code(socket: &mut Socket) -> u16 {
    loop {
        match tokio::time::timeout(Duration::from_secs(2), socket.next()).await {
            Ok(Some(Ok(Message::Close(Some(frame))))) => return u16::from(frame.code),
            Ok(Some(Ok(_))) => continue,
            other => panic!("expected a close frame, got {other:?}"),
        }
    }
}

/// How many contacts wait in the demo chat queue, as a supervisor sees it.
async fn waiting(app: &TestApp, supervisor: &str) -> i64 {
    let (status, live) = app.get(supervisor, "/api/v1/supervisor/live").await;
    assert_eq!(status, StatusCode::OK, "{live}");
    live["queues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["channel"] == "chat")
        .unwrap()["waiting"]
        .as_i64()
        .unwrap()
}

/// A contact as a supervisor reads it.
async fn contact(app: &TestApp, supervisor: &str, id: &str) -> Value {
    let (status, contact) = app.get(supervisor, &format!("/api/v1/contacts/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{contact}");
    contact
}

/// Moves the clock past the grace period until `id` is closed: the server notices a closed
/// socket a moment after the client, so one jump may come before its grace period began.
async fn abandoned_after_grace(app: &TestApp, supervisor: &str, id: &str) -> Value {
    for _ in 0..3 {
        app.clock.advance(PAST_GRACE);
        for _ in 0..40 {
            let c = contact(app, supervisor, id).await;
            if c["state"] == "closed" {
                return c;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    panic!("{id} is still open after the grace period");
}

async fn a_customer_gone_past_the_grace_period_leaves_the_queue(app: TestApp) {
    let supervisor = app.token("demo", "supervisor", DEMO_PASSWORD).await;
    let (gone, first) = started(&app, &visitor(1)).await;
    let (away, second) = started(&app, &visitor(2)).await;
    assert_eq!(waiting(&app, &supervisor).await, 2);

    hang_up(away).await;
    app.clock.advance(Duration::from_secs(30));
    let mut back = customer(
        &app,
        &format!("{}&conversation={second}&after=0", visitor(2)),
    )
    .await;
    assert_eq!(next_of(&mut back, &["welcome"]).await["state"], "queued");

    hang_up(gone).await;
    let closed = abandoned_after_grace(&app, &supervisor, &first).await;
    assert_eq!(closed["outcome"], "abandoned", "{closed}");
    assert_eq!(
        waiting(&app, &supervisor).await,
        1,
        "only the customer who came back still waits"
    );
    send(&mut back, json!({ "type": "position" })).await;
    assert_eq!(
        next_of(&mut back, &["queue"]).await["position"],
        1,
        "reconnecting within the grace period kept the place"
    );
    assert_eq!(contact(&app, &supervisor, &second).await["state"], "queued");

    let mut late = customer(
        &app,
        &format!("{}&conversation={first}&after=0", visitor(1)),
    )
    .await;
    assert_eq!(
        next_of(&mut late, &["welcome"]).await["state"],
        "closed",
        "a later reconnect sees the conversation ended"
    );
}

/// The next `chat.customer_*` event on an agent's event socket.
async fn customer_event(events: &mut Socket) -> Value {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(2), events.next())
            .await
            .expect("a customer event in time")
            .unwrap()
            .unwrap();
        if let Ok(v) = serde_json::from_str::<Value>(msg.to_text().unwrap_or("")) {
            if v["type"]
                .as_str()
                .is_some_and(|t| t.starts_with("chat.customer_"))
            {
                return v;
            }
        }
    }
}

async fn the_agent_hears_when_the_customer_leaves_and_comes_back(app: TestApp) {
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let url = format!("ws://{}/api/v1/ws?token={agent}", app.addr);
    let mut events = tokio_tungstenite::connect_async(url).await.unwrap().0;
    app.post(&agent, "/api/v1/agent/sign-in", json!({})).await;
    let (c, id) = started(&app, &visitor(1)).await;
    let answered = app
        .post(&agent, &format!("/api/v1/contacts/{id}/answer"), json!({}))
        .await;
    assert_eq!(answered.0, StatusCode::OK, "{}", answered.1);

    hang_up(c).await;
    let left = customer_event(&mut events).await;
    assert_eq!(
        (left["type"].as_str(), left["reason"].as_str()),
        (Some("chat.customer_left"), Some("disconnected"))
    );
    assert_eq!(left["contact_id"], id.as_str());
    app.clock.advance(PAST_GRACE);
    let mut c = customer(&app, &format!("{}&conversation={id}&after=0", visitor(1))).await;
    assert_eq!(
        next_of(&mut c, &["welcome"]).await["state"],
        "connected",
        "an answered chat stays with its agent"
    );
    let back = customer_event(&mut events).await;
    assert_eq!(back["type"], "chat.customer_back");
    assert_eq!(back["contact_id"], id.as_str());

    send(&mut c, json!({ "type": "leave" })).await;
    let left = customer_event(&mut events).await;
    assert_eq!(
        (left["type"].as_str(), left["reason"].as_str()),
        (Some("chat.customer_left"), Some("left"))
    );
}

async fn sockets_without_a_start_store_no_customer(app: TestApp) {
    let tenant = app
        .store
        .tenant_by_name(&TenantName::parse("demo").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let stored = |n: u32| {
        let store = app.store.clone();
        async move {
            let identity = format!("visitor:hardening-visitor-{n:08}");
            store.customer_by_identity(tenant, &identity).await.unwrap()
        }
    };
    for n in 0..15 {
        let mut c = customer(&app, &visitor(n)).await;
        let welcome = next_of(&mut c, &["welcome"]).await;
        assert_eq!(welcome["customer_id"], Value::Null, "{welcome}");
        hang_up(c).await;
    }
    for n in 0..15 {
        assert!(stored(n).await.is_none(), "visitor {n} was stored");
    }
    let (mut c, _) = started(&app, &visitor(0)).await;
    send(&mut c, json!({ "type": "position" })).await;
    next_of(&mut c, &["queue"]).await;
    assert!(stored(0).await.is_some(), "start stores the customer");
}

async fn customer_sockets_are_limited_per_source(app: TestApp) {
    let mut open = Vec::new();
    for n in 0..20 {
        let mut c = customer(&app, &visitor(n)).await;
        next_of(&mut c, &["welcome"]).await;
        open.push(c);
    }
    let url = format!("ws://{}/api/v1/chat/demo/web/ws?{}", app.addr, visitor(99));
    assert_eq!(
        refusal(&url).await,
        ("too_many_connections".into(), 4429),
        "the 21st socket from one address"
    );
    let mut elsewhere = customer_from(&app, "198.51.100.7", &visitor(100)).await;
    next_of(&mut elsewhere, &["welcome"]).await;

    hang_up(open.pop().unwrap()).await;
    for attempt in 0.. {
        let mut c = customer(&app, &visitor(98)).await;
        match tokio::time::timeout(Duration::from_secs(2), c.next()).await {
            Ok(Some(Ok(Message::Text(t)))) if t.contains("welcome") => break,
            other => assert!(attempt < 20, "a closed socket frees its place: {other:?}"),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn starts_are_rate_limited_per_source(app: TestApp) {
    let (mut c, id) = started(&app, &visitor(1)).await;
    // Starting again returns the open conversation, and still counts.
    for _ in 1..20 {
        send(&mut c, json!({ "type": "start" })).await;
        assert_eq!(next_of(&mut c, &["conversation", "error"]).await["id"], id);
    }
    send(&mut c, json!({ "type": "start" })).await;
    let refused = next_of(&mut c, &["conversation", "error"]).await;
    assert_eq!(refused["code"], "rate_limited", "{refused}");
    assert!(
        refused["retry_after_s"]
            .as_u64()
            .is_some_and(|s| (1..=3).contains(&s)),
        "one start every 3 s: {refused}"
    );
    send(&mut c, json!({ "type": "position" })).await;
    assert_eq!(
        next_of(&mut c, &["queue", "error"]).await["type"],
        "queue",
        "the socket stays usable"
    );

    let mut other = customer_from(&app, "198.51.100.7", &visitor(2)).await;
    next_of(&mut other, &["welcome"]).await;
    send(&mut other, json!({ "type": "start" })).await;
    next_of(&mut other, &["conversation"]).await;

    app.clock.advance(Duration::from_secs(3));
    send(&mut c, json!({ "type": "start" })).await;
    assert_eq!(
        next_of(&mut c, &["conversation", "error"]).await["id"],
        id,
        "a token back after one interval"
    );
}

async fn malformed_frames_are_refused_or_closed_with_their_code(app: TestApp) {
    let fresh = |n: u32| {
        let app = &app;
        async move {
            let mut c = customer(app, &visitor(n)).await;
            next_of(&mut c, &["welcome"]).await;
            c
        }
    };
    let mut c = fresh(1).await;
    let mut name = json!("王");
    for _ in 0..100 {
        name = json!({ "a": name });
    }
    send(&mut c, json!({ "type": "start", "name": name })).await;
    let refused = next_of(&mut c, &["error", "conversation"]).await;
    assert_eq!(
        (refused["code"].as_str(), refused["field"].as_str()),
        (Some("invalid_field"), Some("name")),
        "{refused}"
    );
    send(&mut c, json!({ "type": "start", "nmae": "typo" })).await;
    let refused = next_of(&mut c, &["error", "conversation"]).await;
    assert_eq!(refused["field"], "nmae", "{refused}");
    send(&mut c, json!({ "type": "rate", "score": "5" })).await;
    assert_eq!(next_of(&mut c, &["error"]).await["field"], "score");

    let big = json!({ "type": "message", "client_id": "x", "text": "a".repeat(70_000) });
    send(&mut c, big).await;
    assert_eq!(close_code(&mut c).await, 1009, "a frame over the limit");

    let mut c = fresh(2).await;
    let not_utf8 = Frame::message(vec![b'{', 0xff, 0xfe, b'}'], OpCode::Data(Data::Text), true);
    c.send(Message::Frame(not_utf8)).await.unwrap();
    assert_eq!(close_code(&mut c).await, 1007, "text that is not UTF-8");

    let mut c = fresh(3).await;
    c.send(Message::Binary(vec![1, 2, 3].into())).await.unwrap();
    assert_eq!(close_code(&mut c).await, 1003, "a binary frame");
}

on_both!(
    a_customer_gone_past_the_grace_period_leaves_the_queue,
    the_agent_hears_when_the_customer_leaves_and_comes_back,
    sockets_without_a_start_store_no_customer,
    customer_sockets_are_limited_per_source,
    starts_are_rate_limited_per_source,
    malformed_frames_are_refused_or_closed_with_their_code,
);
