//! The event stream: authenticated, tenant-scoped, filtered by permission.

use std::time::Duration;

use futures_util::StreamExt;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::on_both;
use crate::support::{TestApp, DEMO_PASSWORD};

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(app: &TestApp, token: &str) -> Socket {
    let url = format!("ws://{}/api/v1/ws?token={token}", app.addr);
    let (socket, _) = tokio_tungstenite::connect_async(url)
        .await
        .expect("websocket connects");
    socket
}

/// The next message of one of these types, skipping others (live counts, agent events),
/// waiting at most two seconds.
async fn next_of(socket: &mut Socket, types: &[&str]) -> Option<Value> {
    loop {
        let msg = next(socket).await?;
        if types.iter().any(|t| msg["type"] == *t) {
            return Some(msg);
        }
    }
}

/// The next JSON message, waiting at most two seconds.
async fn next(socket: &mut Socket) -> Option<Value> {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(2), socket.next())
            .await
            .ok()??
            .ok()?;
        if let Message::Text(text) = msg {
            return serde_json::from_str(&text).ok();
        }
    }
}

async fn events_reach_the_users_allowed_to_see_them(app: TestApp) {
    const TYPES: &[&str] = &["user.updated", "params.updated"];
    let admin = app.admin().await;
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let mut admin_ws = connect(&app, &admin).await;
    let mut agent_ws = connect(&app, &agent).await;
    assert_eq!(next(&mut admin_ws).await.unwrap()["type"], "hello");
    assert_eq!(next(&mut agent_ws).await.unwrap()["type"], "hello");

    // A user change is for user managers only; a parameter change is for everyone.
    app.create_user(&admin, "watched", &["agent"], "initial-pass")
        .await;
    let mut params = app.get(&admin, "/api/v1/tenant/params").await.1;
    params["wrap_up_limit_s"] = json!(45);
    app.put(&admin, "/api/v1/tenant/params", params).await;

    let first = next_of(&mut admin_ws, TYPES).await.unwrap();
    assert_eq!(first["type"], "user.updated");
    assert_eq!(first["user"]["login"], "watched");
    assert_eq!(
        next_of(&mut admin_ws, TYPES).await.unwrap()["type"],
        "params.updated"
    );
    let seen = next_of(&mut agent_ws, TYPES).await.unwrap();
    assert_eq!(
        seen["type"], "params.updated",
        "the agent never sees the user event"
    );
    assert_eq!(seen["params"]["wrap_up_limit_s"], 45);
}

async fn sockets_need_a_valid_token(app: TestApp) {
    let url = format!("ws://{}/api/v1/ws?token=forged", app.addr);
    match tokio_tungstenite::connect_async(url).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(res)) => {
            assert_eq!(res.status(), StatusCode::UNAUTHORIZED)
        }
        other => panic!("expected a 401, got {:?}", other.map(|_| ())),
    }
}

on_both!(
    events_reach_the_users_allowed_to_see_them,
    sockets_need_a_valid_token
);
