//! Canned replies, the document library with link cards, and files in conversations.

use futures_util::{SinkExt, StreamExt};
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::on_both;
use crate::support::{assert_error, refusal, TestApp, DEMO_PASSWORD};

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;
const VISITOR: &str = "library-visitor-0123456789";

async fn next_of(socket: &mut Socket, kind: &str) -> Value {
    loop {
        let msg = tokio::time::timeout(std::time::Duration::from_secs(2), socket.next())
            .await
            .expect("in time")
            .unwrap()
            .unwrap();
        if let Message::Text(text) = msg {
            let v: Value = serde_json::from_str(&text).unwrap();
            if v["type"] == kind {
                return v;
            }
        }
    }
}

/// A customer socket with a conversation answered by agent1; returns (socket, conversation, agent token).
async fn connected_chat(app: &TestApp) -> (Socket, String, String) {
    let url = format!(
        "ws://{}/api/v1/chat/demo/web/ws?visitor={VISITOR}",
        app.addr
    );
    let (mut c, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    c.send(Message::Text(
        json!({ "type": "start", "question": "你好" })
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    let conversation = next_of(&mut c, "conversation").await["id"]
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
    next_of(&mut c, "agent_joined").await;
    (c, conversation, agent)
}

async fn canned_replies_are_personal_or_team(app: TestApp) {
    let admin = app.admin().await;
    let agent1 = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let agent2 = app.token("demo", "agent2", DEMO_PASSWORD).await;
    let (status, mine) = app
        .post(
            &agent1,
            "/api/v1/canned-replies",
            json!({ "scope": "personal", "title": "问候", "text": "您好，请问有什么可以帮您？" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{mine}");
    assert_error(
        &app.post(
            &agent1,
            "/api/v1/canned-replies",
            json!({ "scope": "team", "title": "t", "text": "x" }),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    let (_, team) = app
        .post(
            &admin,
            "/api/v1/canned-replies",
            json!({ "scope": "team", "title": "结束语", "text": "感谢您的耐心" }),
        )
        .await;
    assert_eq!(
        app.post(
            &agent1,
            "/api/v1/canned-replies",
            json!({ "scope": "everyone", "title": "t", "text": "x" })
        )
        .await
        .1["field"],
        "scope"
    );
    let titles = |v: &Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| r["title"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        titles(&app.get(&agent1, "/api/v1/canned-replies").await.1),
        ["结束语", "问候"]
    );
    assert_eq!(
        titles(&app.get(&agent2, "/api/v1/canned-replies").await.1),
        ["结束语"],
        "personal replies stay personal"
    );
    assert_eq!(
        app.delete(
            &agent2,
            &format!("/api/v1/canned-replies/{}", mine["id"].as_str().unwrap())
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.delete(
            &agent1,
            &format!("/api/v1/canned-replies/{}", team["id"].as_str().unwrap())
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.delete(
            &agent1,
            &format!("/api/v1/canned-replies/{}", mine["id"].as_str().unwrap())
        )
        .await
        .0,
        StatusCode::NO_CONTENT
    );
}

async fn documents_are_sent_as_link_cards(app: TestApp) {
    let admin = app.admin().await;
    let (status, doc) = app.post(&admin, "/api/v1/documents", json!({ "title": "退货政策", "url": "https://help.example/returns", "description": "七天无理由" })).await;
    assert_eq!(status, StatusCode::CREATED, "{doc}");
    assert_eq!(
        app.post(
            &admin,
            "/api/v1/documents",
            json!({ "title": "x", "url": "ftp://x" })
        )
        .await
        .1["field"],
        "url"
    );
    let (mut c, conversation, agent) = connected_chat(&app).await;
    assert_eq!(
        app.post(
            &agent,
            "/api/v1/documents",
            json!({ "title": "x", "url": "https://x" })
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&agent, "/api/v1/documents")
            .await
            .1
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let path = format!("/api/v1/contacts/{conversation}/messages");
    let (status, sent) = app
        .post(
            &agent,
            &path,
            json!({ "client_id": "d1", "document_id": doc["id"] }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    let card = loop {
        let m = next_of(&mut c, "message").await;
        if m["kind"] == "document" {
            break m;
        }
    };
    assert_eq!(
        (card["body"]["title"].as_str(), card["body"]["url"].as_str()),
        (Some("退货政策"), Some("https://help.example/returns"))
    );
    assert_eq!(
        app.post(
            &agent,
            &path,
            json!({ "client_id": "d2", "document_id": "00000000-0000-7000-8000-000000000000" })
        )
        .await
        .1["field"],
        "document_id"
    );
    assert_eq!(
        app.post(&agent, &path, json!({ "client_id": "d3" }))
            .await
            .0,
        StatusCode::BAD_REQUEST,
        "text or a document"
    );
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\x0f\0\x01\x01\x01\0\x18\xdd\x8d\xb0\0\0\0\0IEND\xaeB`\x82";

async fn files_travel_both_ways_and_are_served_safely(app: TestApp) {
    let (mut c, conversation, agent) = connected_chat(&app).await;
    let upload = |bytes: Vec<u8>, name: &str| {
        Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()))
    };
    let res = app
        .client
        .post(app.url(&format!("/api/v1/contacts/{conversation}/files")))
        .bearer_auth(&agent)
        .multipart(upload(PNG.to_vec(), "截图.png"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let sent: Value = res.json().await.unwrap();
    assert_eq!(
        (sent["kind"].as_str(), sent["body"]["content_type"].as_str()),
        (Some("file"), Some("image/png"))
    );
    let seen = loop {
        let m = next_of(&mut c, "message").await;
        if m["kind"] == "file" {
            break m;
        }
    };
    let url = seen["body"]["url"].as_str().unwrap().to_owned();
    let res = app.client.get(app.url(&url)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("inline"));
    assert_eq!(res.bytes().await.unwrap().as_ref(), PNG);
    let forged = url.split("key=").next().unwrap().to_owned() + "key=guess";
    assert_eq!(
        app.client
            .get(app.url(&forged))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );

    let customer_url =
        format!("/api/v1/chat/demo/web/files?visitor={VISITOR}&conversation={conversation}");
    let send_order = || async {
        let form =
            upload("订单号: 12345".as_bytes().to_vec(), "order.txt").text("client_id", "f-1");
        let res = app
            .client
            .post(app.url(&customer_url))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        res.json::<Value>().await.unwrap()
    };
    let (first, retry) = (send_order().await, send_order().await);
    assert_eq!(first["id"], retry["id"], "a retried upload is stored once");
    let (_, history) = app
        .get(&agent, &format!("/api/v1/contacts/{conversation}/messages"))
        .await;
    assert_eq!(
        history
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["body"]["name"] == "order.txt")
            .count(),
        1
    );
    let txt = history
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["body"]["name"] == "order.txt")
        .expect("the agent sees the customer's file")
        .clone();
    let res = app
        .client
        .get(app.url(txt["body"]["url"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["content-type"],
        "application/octet-stream",
        "never served as something a browser runs"
    );
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));

    let html = app
        .client
        .post(app.url(&customer_url))
        .multipart(upload(b"<script>alert(1)</script>".to_vec(), "x.html"))
        .send()
        .await
        .unwrap();
    assert_eq!(html.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let stranger = app.client.post(app.url(&format!("/api/v1/chat/demo/web/files?visitor=someone-else-0123456789&conversation={conversation}"))).multipart(upload(PNG.to_vec(), "a.png")).send().await.unwrap();
    assert_eq!(
        stranger.status(),
        StatusCode::NOT_FOUND,
        "only the conversation's customer uploads to it"
    );
    let big = vec![b'a'; 11 * 1024 * 1024];
    match app
        .client
        .post(app.url(&format!("/api/v1/contacts/{conversation}/files")))
        .bearer_auth(&agent)
        .multipart(upload(big, "big.txt"))
        .send()
        .await
    {
        Ok(res) => assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE),
        Err(err) => assert!(err.is_request() || err.is_body(), "{err}"),
    }
}

async fn admins_manage_chat_entry_points(app: TestApp) {
    let admin = app.admin().await;
    let (_, queues) = app.get(&admin, "/api/v1/queues").await;
    let id_of = |channel: &str| {
        queues
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["channel"] == channel)
            .unwrap()["id"]
            .clone()
    };
    let (status, entry) = app
        .post(
            &admin,
            "/api/v1/chat-entries",
            json!({ "name": "app", "title": "App 客服", "queue_id": id_of("chat") }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{entry}");
    assert_eq!(entry["verifies_identities"], false);
    assert_eq!(
        app.post(
            &admin,
            "/api/v1/chat-entries",
            json!({ "name": "app", "title": "x", "queue_id": id_of("chat") })
        )
        .await
        .0,
        StatusCode::CONFLICT
    );
    assert_eq!(
        app.post(
            &admin,
            "/api/v1/chat-entries",
            json!({ "name": "v", "title": "x", "queue_id": id_of("voice") })
        )
        .await
        .1["field"],
        "queue_id"
    );
    assert_eq!(
        app.post(
            &admin,
            "/api/v1/chat-entries",
            json!({ "name": "Bad Name", "title": "x", "queue_id": id_of("chat") })
        )
        .await
        .1["field"],
        "name"
    );
    assert_eq!(app.post(&admin, "/api/v1/chat-entries", json!({ "name": "s", "title": "x", "queue_id": id_of("chat"), "identity_secret": "short" })).await.1["field"], "identity_secret");
    let (_, all) = app.get(&admin, "/api/v1/chat-entries").await;
    assert_eq!(all.as_array().unwrap().len(), 2, "web and app");
    let url = format!(
        "ws://{}/api/v1/chat/demo/app/ws?visitor={VISITOR}",
        app.addr
    );
    assert!(
        tokio_tungstenite::connect_async(url.clone()).await.is_ok(),
        "the new entry point takes customers"
    );
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    assert_eq!(
        app.get(&agent, "/api/v1/chat-entries").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.delete(
            &admin,
            &format!("/api/v1/chat-entries/{}", entry["id"].as_str().unwrap())
        )
        .await
        .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        refusal(&url).await,
        ("not_found".into(), 4404),
        "removed entry points refuse customers"
    );
}

on_both!(
    canned_replies_are_personal_or_team,
    documents_are_sent_as_link_cards,
    files_travel_both_ways_and_are_served_safely,
    admins_manage_chat_entry_points
);
