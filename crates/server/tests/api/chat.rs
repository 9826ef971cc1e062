//! Web chat: a customer socket and an agent, durable acknowledged messages, idempotent
//! retries, resume after reconnecting, verified identities, flooding.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::on_both;
use crate::support::{refusal, TestApp, DEMO_PASSWORD};

pub(crate) type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

const VISITOR: &str = "visitor-0123456789abcdef";

pub(crate) async fn customer(app: &TestApp, query: &str) -> Socket {
    let url = format!("ws://{}/api/v1/chat/demo/web/ws?{query}", app.addr);
    tokio_tungstenite::connect_async(url)
        .await
        .expect("customer socket")
        .0
}

pub(crate) async fn send(socket: &mut Socket, v: Value) {
    socket
        .send(Message::Text(v.to_string().into()))
        .await
        .unwrap();
}

/// The next message of one of these types (others are skipped), within two seconds.
pub(crate) async fn next_of(socket: &mut Socket, types: &[&str]) -> Value {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(2), socket.next())
            .await
            .expect("in time")
            .unwrap()
            .unwrap();
        if let Message::Text(text) = msg {
            let v: Value = serde_json::from_str(&text).unwrap();
            if types.iter().any(|t| v["type"] == *t) {
                return v;
            }
        }
    }
}

async fn a_customer_and_an_agent_chat_durably(app: TestApp) {
    let mut c = customer(&app, &format!("visitor={VISITOR}")).await;
    let welcome = next_of(&mut c, &["welcome"]).await;
    assert_eq!(welcome["prechat_form"], true);
    assert_eq!(welcome["conversation"], Value::Null);
    send(
        &mut c,
        json!({ "type": "start", "name": "王女士", "question": "订单还没到 my order is late" }),
    )
    .await;
    let conversation = next_of(&mut c, &["conversation"]).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let ack = next_of(&mut c, &["ack"]).await;
    assert_eq!(ack["seq"], 1, "the question is the first message");

    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    app.post(&agent, "/api/v1/agent/sign-in", json!({})).await;
    let (_, me) = app.get(&agent, "/api/v1/agent").await;
    let offered = me["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == conversation.as_str())
        .cloned()
        .expect("offered to agent1");
    assert_eq!(offered["channel"], "chat");
    assert_eq!(offered["title"], "订单还没到 my order is late");
    app.post(
        &agent,
        &format!("/api/v1/contacts/{conversation}/answer"),
        json!({}),
    )
    .await;
    next_of(&mut c, &["agent_joined"]).await;

    send(
        &mut c,
        json!({ "type": "message", "client_id": "m-1", "text": "单号 12345" }),
    )
    .await;
    let ack = next_of(&mut c, &["ack"]).await;
    assert_eq!(
        (ack["client_id"].as_str(), ack["seq"].as_i64()),
        (Some("m-1"), Some(2))
    );
    send(
        &mut c,
        json!({ "type": "message", "client_id": "m-1", "text": "单号 12345" }),
    )
    .await;
    let again = next_of(&mut c, &["ack"]).await;
    assert_eq!(
        again["id"], ack["id"],
        "a retry is acknowledged with the first copy"
    );

    let (status, sent) = app
        .post(
            &agent,
            &format!("/api/v1/contacts/{conversation}/messages"),
            json!({ "client_id": "a-1", "text": "马上为您查询" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    let to_customer = loop {
        let m = next_of(&mut c, &["message"]).await;
        if m["sender"] == "agent" {
            break m;
        }
    };
    assert_eq!(
        to_customer["body"], "马上为您查询",
        "the agent's message reaches the customer"
    );
    let (_, history) = app
        .get(&agent, &format!("/api/v1/contacts/{conversation}/messages"))
        .await;
    let texts: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        ["订单还没到 my order is late", "单号 12345", "马上为您查询"],
        "one order, no duplicate"
    );
    drop(c);

    // Reconnect: everything after the last seen seq comes back, in order.
    let mut c = customer(
        &app,
        &format!("visitor={VISITOR}&conversation={conversation}&after=1"),
    )
    .await;
    assert_eq!(
        next_of(&mut c, &["welcome"]).await["conversation"],
        conversation.as_str()
    );
    let replay: Vec<i64> = [
        next_of(&mut c, &["message"]).await,
        next_of(&mut c, &["message"]).await,
    ]
    .iter()
    .map(|m| m["seq"].as_i64().unwrap())
    .collect();
    assert_eq!(replay, [2, 3]);

    app.post(
        &agent,
        &format!("/api/v1/contacts/{conversation}/release"),
        json!({}),
    )
    .await;
    next_of(&mut c, &["agent_left"]).await;
    let other_visitor = customer(&app, "visitor=someone-else-0123456789").await;
    drop(other_visitor);
    let stranger = format!("visitor=someone-else-0123456789&conversation={conversation}&after=0");
    let mut s = customer(&app, &stranger).await;
    assert_eq!(
        next_of(&mut s, &["welcome"]).await["conversation"],
        Value::Null,
        "another visitor cannot resume it"
    );
}

async fn identities_entry_points_and_flooding(app: TestApp) {
    let url = |q: &str| format!("ws://{}/api/v1/chat/demo/web/ws?{q}", app.addr);
    assert_eq!(
        refusal(&url("identity=u42&ts=1&sig=00")).await,
        ("invalid_identity".into(), 4401)
    );
    assert_eq!(
        refusal(&url("visitor=x")).await,
        ("invalid_field".into(), 4400)
    );
    let nowhere = format!(
        "ws://{}/api/v1/chat/demo/nope/ws?visitor={VISITOR}",
        app.addr
    );
    assert_eq!(refusal(&nowhere).await, ("not_found".into(), 4404));

    use hmac::Mac;
    let ts = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(b"demo-identity-secret").unwrap();
    mac.update(format!("member-42:{ts}").as_bytes());
    let sig: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut verified = customer(&app, &format!("identity=member-42&ts={ts}&sig={sig}")).await;
    next_of(&mut verified, &["welcome"]).await;

    send(
        &mut verified,
        json!({ "type": "message", "client_id": "x", "text": "hi" }),
    )
    .await;
    assert_eq!(
        next_of(&mut verified, &["error"]).await["code"],
        "no_conversation"
    );
    send(&mut verified, json!({ "type": "start" })).await;
    next_of(&mut verified, &["conversation"]).await;
    send(
        &mut verified,
        json!({ "type": "message", "client_id": "big", "text": "字".repeat(5001) }),
    )
    .await;
    assert_eq!(
        next_of(&mut verified, &["error", "ack"]).await["code"],
        "invalid_field"
    );
    let mut codes = Vec::new();
    for n in 0..12 {
        send(
            &mut verified,
            json!({ "type": "message", "client_id": format!("f{n}"), "text": "spam" }),
        )
        .await;
        codes.push(next_of(&mut verified, &["error", "ack"]).await);
    }
    assert!(
        codes.iter().any(|v| v["code"] == "rate_limited"),
        "flooding is refused"
    );
    send(&mut verified, json!("not an object")).await;
    assert_eq!(
        next_of(&mut verified, &["error"]).await["code"],
        "invalid_field"
    );
}

async fn agents_recall_messages_within_the_limit(app: TestApp) {
    let mut c = customer(&app, &format!("visitor={VISITOR}")).await;
    next_of(&mut c, &["welcome"]).await;
    send(&mut c, json!({ "type": "start", "question": "在吗" })).await;
    let conversation = next_of(&mut c, &["conversation"]).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    app.post(&agent, "/api/v1/agent/sign-in", json!({})).await;
    app.post(
        &agent,
        &format!("/api/v1/contacts/{conversation}/answer"),
        json!({}),
    )
    .await;
    let (_, sent) = app
        .post(
            &agent,
            &format!("/api/v1/contacts/{conversation}/messages"),
            json!({ "client_id": "a-1", "text": "发错了" }),
        )
        .await;
    let id = sent["id"].as_str().unwrap();
    let (status, recalled) = app
        .post(
            &agent,
            &format!("/api/v1/contacts/{conversation}/messages/{id}/recall"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{recalled}");
    assert_eq!(
        (recalled["recalled"].as_bool(), recalled["body"].as_str()),
        (Some(true), Some("发错了")),
        "kept for the audit trail"
    );
    assert_eq!(next_of(&mut c, &["recalled"]).await["id"], id);
    assert_eq!(
        app.post(
            &agent,
            &format!("/api/v1/contacts/{conversation}/messages/{id}/recall"),
            json!({})
        )
        .await
        .1["code"],
        "already_recalled"
    );
    let mut again = customer(
        &app,
        &format!("visitor={VISITOR}&conversation={conversation}&after=0"),
    )
    .await;
    next_of(&mut again, &["welcome"]).await;
    next_of(&mut again, &["message"]).await;
    let seen = next_of(&mut again, &["message"]).await;
    assert_eq!(
        (seen["recalled"].as_bool(), &seen["body"]),
        (Some(true), &Value::Null),
        "the customer sees it withdrawn"
    );
    let shown = sent["seq"].as_i64().unwrap();
    let mut resumed = customer(
        &app,
        &format!("visitor={VISITOR}&conversation={conversation}&after={shown}"),
    )
    .await;
    next_of(&mut resumed, &["welcome"]).await;
    assert_eq!(
        next_of(&mut resumed, &["recalled", "message"]).await["id"],
        id,
        "a client that already shows it learns of the withdrawal on resume"
    );

    let admin = app.admin().await;
    let mut params = app.get(&admin, "/api/v1/tenant/params").await.1;
    assert_eq!(params["recall_limit_s"], 120, "two minutes by default");
    params["recall_limit_s"] = json!(0);
    app.put(&admin, "/api/v1/tenant/params", params).await;
    let (_, late) = app
        .post(
            &agent,
            &format!("/api/v1/contacts/{conversation}/messages"),
            json!({ "client_id": "a-2", "text": "太晚了" }),
        )
        .await;
    app.clock.advance(Duration::from_millis(1));
    let expired = app
        .post(
            &agent,
            &format!(
                "/api/v1/contacts/{conversation}/messages/{}/recall",
                late["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await;
    assert_eq!(
        (expired.0, expired.1["code"].as_str()),
        (StatusCode::CONFLICT, Some("recall_expired"))
    );
    let customer_message = app
        .get(&agent, &format!("/api/v1/contacts/{conversation}/messages"))
        .await
        .1[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.post(
            &agent,
            &format!("/api/v1/contacts/{conversation}/messages/{customer_message}/recall"),
            json!({})
        )
        .await
        .0,
        StatusCode::NOT_FOUND,
        "only one's own messages"
    );
}

async fn transfers_carry_the_history_and_an_internal_note(app: TestApp) {
    let mut c = customer(&app, &format!("visitor={VISITOR}")).await;
    next_of(&mut c, &["welcome"]).await;
    send(
        &mut c,
        json!({ "type": "start", "question": "退货 return" }),
    )
    .await;
    let conversation = next_of(&mut c, &["conversation"]).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let agent1 = app.token("demo", "agent1", DEMO_PASSWORD).await;
    app.post(&agent1, "/api/v1/agent/sign-in", json!({})).await;
    app.post(
        &agent1,
        &format!("/api/v1/contacts/{conversation}/answer"),
        json!({}),
    )
    .await;
    app.post(
        &agent1,
        &format!("/api/v1/contacts/{conversation}/messages"),
        json!({ "client_id": "a1", "text": "请稍等" }),
    )
    .await;

    let admin = app.admin().await;
    let (_, users) = app.get(&admin, "/api/v1/users").await;
    let agent2_id = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["login"] == "agent2")
        .unwrap()["id"]
        .clone();
    let path = format!("/api/v1/contacts/{conversation}/transfer");
    assert_eq!(
        app.post(
            &agent1,
            &path,
            json!({ "agent_id": agent2_id, "note": " " })
        )
        .await
        .1["field"],
        "note"
    );
    let busy = app
        .post(
            &agent1,
            &path,
            json!({ "agent_id": agent2_id, "note": "退货问题" }),
        )
        .await;
    assert_eq!(
        (busy.0, busy.1["code"].as_str()),
        (StatusCode::CONFLICT, Some("target_unavailable")),
        "agent2 is signed out"
    );

    let agent2 = app.token("demo", "agent2", DEMO_PASSWORD).await;
    app.post(&agent2, "/api/v1/agent/sign-in", json!({})).await;
    let (status, moved) = app
        .post(
            &agent1,
            &path,
            json!({ "agent_id": agent2_id, "note": "客户要退货，已核实订单" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(
        (moved["state"].as_str(), &moved["agent_id"]),
        (Some("offered"), &agent2_id)
    );
    next_of(&mut c, &["transferred"]).await;
    app.post(
        &agent2,
        &format!("/api/v1/contacts/{conversation}/answer"),
        json!({}),
    )
    .await;
    let (_, history) = app
        .get(
            &agent2,
            &format!("/api/v1/contacts/{conversation}/messages"),
        )
        .await;
    let kinds: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["text", "text", "notice"],
        "the new agent sees the whole history and the note"
    );
    assert_eq!(history[2]["body"]["note"], "客户要退货，已核实订单");
    assert_eq!(
        app.get(
            &agent1,
            &format!("/api/v1/contacts/{conversation}/messages")
        )
        .await
        .0,
        StatusCode::NOT_FOUND,
        "agent1 no longer holds it"
    );

    let mut again = customer(
        &app,
        &format!("visitor={VISITOR}&conversation={conversation}&after=0"),
    )
    .await;
    next_of(&mut again, &["welcome"]).await;
    let first = next_of(&mut again, &["message"]).await;
    let second = next_of(&mut again, &["message"]).await;
    assert_eq!(
        (first["seq"].as_i64(), second["seq"].as_i64()),
        (Some(1), Some(2))
    );
    let extra = tokio::time::timeout(Duration::from_millis(300), again.next()).await;
    assert!(
        extra.is_err(),
        "the internal note never reaches the customer: {extra:?}"
    );
}

async fn an_agent_serving_a_customer_reads_their_past_chats(app: TestApp) {
    let start = |question: &'static str| {
        let app = &app;
        async move {
            let mut c = customer(app, &format!("visitor={VISITOR}")).await;
            next_of(&mut c, &["welcome"]).await;
            send(&mut c, json!({ "type": "start", "question": question })).await;
            let id = next_of(&mut c, &["conversation"]).await["id"]
                .as_str()
                .unwrap()
                .to_owned();
            (c, id)
        }
    };
    let (_first_socket, first) = start("第一次").await;
    let agent1 = app.token("demo", "agent1", DEMO_PASSWORD).await;
    app.post(&agent1, "/api/v1/agent/sign-in", json!({})).await;
    app.post(
        &agent1,
        &format!("/api/v1/contacts/{first}/answer"),
        json!({}),
    )
    .await;
    app.post(
        &agent1,
        &format!("/api/v1/contacts/{first}/release"),
        json!({}),
    )
    .await;
    app.post(&agent1, "/api/v1/agent/continue", json!({})).await;
    app.post(&agent1, "/api/v1/agent/sign-out", json!({})).await;

    let agent2 = app.token("demo", "agent2", DEMO_PASSWORD).await;
    let past = format!("/api/v1/contacts/{first}/messages");
    assert_eq!(
        app.get(&agent2, &past).await.0,
        StatusCode::NOT_FOUND,
        "not while serving someone else"
    );
    let (_second_socket, second) = start("第二次").await;
    app.post(&agent2, "/api/v1/agent/sign-in", json!({})).await;
    let answered = app
        .post(
            &agent2,
            &format!("/api/v1/contacts/{second}/answer"),
            json!({}),
        )
        .await;
    assert_eq!(answered.0, StatusCode::OK, "{}", answered.1);
    let (status, messages) = app.get(&agent2, &past).await;
    assert_eq!(status, StatusCode::OK, "{messages}");
    assert_eq!(messages[0]["body"], "第一次");
    assert_eq!(
        app.get(&agent2, &format!("/api/v1/contacts/{first}"))
            .await
            .0,
        StatusCode::OK
    );
    let agent3 = app.token("demo", "agent3", DEMO_PASSWORD).await;
    assert_eq!(app.get(&agent3, &past).await.0, StatusCode::NOT_FOUND);
}

async fn the_starting_socket_hears_everything_and_closed_conversations_refuse(app: TestApp) {
    let mut c = customer(&app, &format!("visitor={VISITOR}")).await;
    next_of(&mut c, &["welcome"]).await;
    send(&mut c, json!({ "type": "start", "question": "第一句" })).await;
    let conversation = next_of(&mut c, &["conversation"]).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        next_of(&mut c, &["message"]).await["body"],
        "第一句",
        "the starting socket gets its own first message"
    );
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    app.post(&agent, "/api/v1/agent/sign-in", json!({})).await;
    app.post(
        &agent,
        &format!("/api/v1/contacts/{conversation}/answer"),
        json!({}),
    )
    .await;
    next_of(&mut c, &["agent_joined"]).await;
    send(
        &mut c,
        json!({ "type": "message", "client_id": "bad", "text": "" }),
    )
    .await;
    let refused = next_of(&mut c, &["error"]).await;
    assert_eq!(
        (refused["code"].as_str(), refused["client_id"].as_str()),
        (Some("invalid_field"), Some("bad")),
        "errors name the message"
    );

    app.post(
        &agent,
        &format!("/api/v1/contacts/{conversation}/release"),
        json!({}),
    )
    .await;
    app.post(&agent, "/api/v1/agent/continue", json!({})).await;
    next_of(&mut c, &["closed"]).await;
    send(
        &mut c,
        json!({ "type": "message", "client_id": "late", "text": "还在吗" }),
    )
    .await;
    assert_eq!(
        next_of(&mut c, &["error", "ack"]).await["code"],
        "conversation_closed"
    );
    let mut resumed = customer(
        &app,
        &format!("visitor={VISITOR}&conversation={conversation}&after=0"),
    )
    .await;
    assert_eq!(
        next_of(&mut resumed, &["welcome"]).await["state"],
        "closed",
        "welcome says where the conversation stands"
    );

    send(&mut c, json!({ "type": "start", "question": "新问题" })).await;
    let second = next_of(&mut c, &["conversation"]).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(second, conversation);
    assert_eq!(
        next_of(&mut c, &["message"]).await["body"],
        "新问题",
        "the socket now listens to the new conversation"
    );
    app.post(
        &agent,
        &format!("/api/v1/contacts/{second}/answer"),
        json!({}),
    )
    .await;
    next_of(&mut c, &["agent_joined"]).await;
}

async fn customers_see_their_place_in_line_and_rate_the_chat(app: TestApp) {
    let mut first = customer(&app, &format!("visitor={VISITOR}")).await;
    next_of(&mut first, &["welcome"]).await;
    send(&mut first, json!({ "type": "start" })).await;
    let conversation = next_of(&mut first, &["conversation"]).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        next_of(&mut first, &["queue"]).await["position"],
        1,
        "nobody is signed in: first in line"
    );
    let mut second = customer(&app, "visitor=second-visitor-0123456789").await;
    next_of(&mut second, &["welcome"]).await;
    send(&mut second, json!({ "type": "start" })).await;
    assert_eq!(next_of(&mut second, &["queue"]).await["position"], 2);

    // One chat at a time, so the second customer keeps waiting while the first is served.
    let admin = app.admin().await;
    let (_, users) = app.get(&admin, "/api/v1/users").await;
    let agent1 = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["login"] == "agent1")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.patch(
        &admin,
        &format!("/api/v1/users/{agent1}"),
        json!({ "chat_limit": 1 }),
    )
    .await;
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    app.post(&agent, "/api/v1/agent/sign-in", json!({})).await;
    app.post(
        &agent,
        &format!("/api/v1/contacts/{conversation}/answer"),
        json!({}),
    )
    .await;
    send(&mut first, json!({ "type": "position" })).await;
    assert_eq!(
        next_of(&mut first, &["queue"]).await["position"],
        Value::Null,
        "connected: no longer in line"
    );
    send(&mut second, json!({ "type": "position" })).await;
    let place = next_of(&mut second, &["queue"]).await;
    assert_eq!(place["position"], 1);
    assert!(
        place["estimated_wait_s"].is_u64(),
        "one contact connected: the queue has a typical wait: {place}"
    );

    app.post(
        &agent,
        &format!("/api/v1/contacts/{conversation}/release"),
        json!({}),
    )
    .await;
    send(&mut first, json!({ "type": "rate", "score": 6 })).await;
    assert_eq!(
        next_of(&mut first, &["error", "rated"]).await["code"],
        "invalid_field"
    );
    send(
        &mut first,
        json!({ "type": "rate", "score": 5, "comment": "很满意 great" }),
    )
    .await;
    assert_eq!(next_of(&mut first, &["rated", "error"]).await["score"], 5);
    let (_, contact) = app
        .get(&agent, &format!("/api/v1/contacts/{conversation}"))
        .await;
    assert_eq!(
        (
            contact["rating"].as_u64(),
            contact["rating_comment"].as_str()
        ),
        (Some(5), Some("很满意 great"))
    );
    // A page coming back to the conversation (a reload, or a copy of its state from before
    // the rating) hears that it was rated.
    let mut back = customer(
        &app,
        &format!("visitor={VISITOR}&conversation={conversation}"),
    )
    .await;
    let welcome = next_of(&mut back, &["welcome"]).await;
    assert_eq!(
        (welcome["conversation"].as_str(), welcome["rating"].as_u64()),
        (Some(conversation.as_str()), Some(5)),
        "{welcome}"
    );
    let mut other = customer(&app, "visitor=second-visitor-0123456789").await;
    assert_eq!(
        next_of(&mut other, &["welcome"]).await["rating"],
        Value::Null,
        "no conversation resumed: nothing rated"
    );
}

async fn a_repeated_start_returns_the_open_conversation(app: TestApp) {
    let mut c = customer(&app, &format!("visitor={VISITOR}")).await;
    next_of(&mut c, &["welcome"]).await;
    send(&mut c, json!({ "type": "start", "question": "一" })).await;
    let first = next_of(&mut c, &["conversation"]).await["id"].clone();
    // The reply was lost: the widget reconnects without a conversation id and starts again.
    let mut again = customer(&app, &format!("visitor={VISITOR}")).await;
    next_of(&mut again, &["welcome"]).await;
    send(&mut again, json!({ "type": "start", "question": "一" })).await;
    assert_eq!(
        next_of(&mut again, &["conversation"]).await["id"],
        first,
        "no duplicate conversation"
    );
    send(
        &mut again,
        json!({ "type": "message", "client_id": "x1", "text": "二" }),
    )
    .await;
    assert_eq!(next_of(&mut again, &["ack"]).await["seq"], 2);
    assert_eq!(next_of(&mut c, &["message"]).await["body"], "一");
    assert_eq!(
        next_of(&mut c, &["message"]).await["body"],
        "二",
        "both sockets follow the one conversation"
    );
}

/// An agent's (or supervisor's) event socket, past its `hello`.
async fn events(app: &TestApp, token: &str) -> Socket {
    let url = format!("ws://{}/api/v1/ws?token={token}", app.addr);
    let mut socket = tokio_tungstenite::connect_async(url)
        .await
        .expect("event socket")
        .0;
    next_of(&mut socket, &["hello"]).await;
    socket
}

/// A supervisor (`supervisor.monitor`) hears every message of a conversation that is not
/// theirs, both sides, as it is stored, and reads its history; another agent hears nothing.
async fn supervisors_watch_conversations_live(app: TestApp) {
    let admin = app.admin().await;
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let sup = app.token("demo", "supervisor", DEMO_PASSWORD).await;
    let bystander = app.token("demo", "agent2", DEMO_PASSWORD).await;
    let mut sup_ws = events(&app, &sup).await;
    let mut bystander_ws = events(&app, &bystander).await;

    let mut c = customer(&app, &format!("visitor={VISITOR}")).await;
    next_of(&mut c, &["welcome"]).await;
    send(&mut c, json!({ "type": "start", "question": "发票怎么开" })).await;
    let conversation = next_of(&mut c, &["conversation"]).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post(&agent, "/api/v1/agent/sign-in", json!({})).await;
    let (status, body) = app
        .post(
            &agent,
            &format!("/api/v1/contacts/{conversation}/answer"),
            json!({}),
        )
        .await;
    assert!(status.is_success(), "{body}");
    next_of(&mut c, &["agent_joined"]).await;

    send(
        &mut c,
        json!({ "type": "message", "client_id": "c-1", "text": "要专票" }),
    )
    .await;
    let (status, body) = app
        .post(
            &agent,
            &format!("/api/v1/contacts/{conversation}/messages"),
            json!({ "client_id": "a-1", "text": "好的,请提供税号" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let mut heard = Vec::new();
    while heard.len() < 3 {
        let e = next_of(&mut sup_ws, &["chat.message"]).await;
        assert_eq!(e["contact_id"], conversation.as_str());
        let m = &e["message"];
        heard.push((m["sender"].as_str().unwrap().to_owned(), m["body"].clone()));
    }
    assert_eq!(
        heard,
        [
            ("customer".to_owned(), json!("发票怎么开")),
            ("customer".to_owned(), json!("要专票")),
            ("agent".to_owned(), json!("好的,请提供税号")),
        ],
        "the supervisor hears both sides of a conversation not theirs"
    );
    let (status, history) = app
        .get(&sup, &format!("/api/v1/contacts/{conversation}/messages"))
        .await;
    assert_eq!(status, StatusCode::OK, "{history}");
    assert_eq!(history.as_array().unwrap().len(), 3);

    // The bystander's next event is a tenant-wide one, not the chat.
    let mut params = app.get(&admin, "/api/v1/tenant/params").await.1;
    params["wrap_up_limit_s"] = json!(45);
    app.put(&admin, "/api/v1/tenant/params", params).await;
    assert_eq!(
        next_of(&mut bystander_ws, &["chat.message", "params.updated"]).await["type"],
        "params.updated",
        "another agent hears nothing of the conversation"
    );
    let (status, _) = app
        .get(
            &bystander,
            &format!("/api/v1/contacts/{conversation}/messages"),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

on_both!(
    supervisors_watch_conversations_live,
    a_customer_and_an_agent_chat_durably,
    identities_entry_points_and_flooding,
    agents_recall_messages_within_the_limit,
    transfers_carry_the_history_and_an_internal_note,
    an_agent_serving_a_customer_reads_their_past_chats,
    the_starting_socket_hears_everything_and_closed_conversations_refuse,
    customers_see_their_place_in_line_and_rate_the_chat,
    a_repeated_start_returns_the_open_conversation
);
