//! Outgoing webhooks through the API: who may manage them, what input is refused (and
//! changes nothing), and deliveries to a real receiver on loopback — signed, retried as the
//! server's clock moves, and sent again on request.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode as AxumStatus};
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sha2::Sha256;

use crate::on_both;
use crate::support::{assert_error, TestApp};

/// What a receiver got: the request's headers and body.
#[derive(Clone, Debug)]
struct Received {
    headers: HeaderMap,
    body: String,
}

/// A webhook receiver on 127.0.0.1: records every request and answers with `status`.
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Received>>>,
    status: Arc<Mutex<u16>>,
}

impl Receiver {
    async fn start() -> Receiver {
        let got = Arc::new(Mutex::new(Vec::new()));
        let status = Arc::new(Mutex::new(200u16));
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post({
                let (got, status) = (got.clone(), status.clone());
                move |headers: HeaderMap, body: String| async move {
                    got.lock().unwrap().push(Received { headers, body });
                    let code = *status.lock().unwrap();
                    (AxumStatus::from_u16(code).unwrap(), "received")
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Receiver {
            url: format!("http://{addr}/hook"),
            got,
            status,
        }
    }

    fn answer(&self, status: u16) {
        *self.status.lock().unwrap() = status;
    }

    /// Waits (real time, up to 10 s) for a request whose body satisfies `wanted`.
    async fn wait_for(&self, what: &str, wanted: impl Fn(&Value) -> bool) -> Received {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let found = self
                .got
                .lock()
                .unwrap()
                .iter()
                .rev()
                .find(|r| serde_json::from_str::<Value>(&r.body).is_ok_and(|b| wanted(&b)))
                .cloned();
            if let Some(r) = found {
                return r;
            }
            assert!(Instant::now() < deadline, "the receiver never got {what}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn count(&self, event_id: &str) -> usize {
        self.got
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.body.contains(event_id))
            .count()
    }
}

fn header<'a>(r: &'a Received, name: &str) -> &'a str {
    r.headers[name].to_str().unwrap()
}

/// Checks the signature the way the docs tell a receiver to.
fn verify(r: &Received, secret: &str) {
    let timestamp = header(r, "x-switchboard-timestamp");
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.{}", r.body).as_bytes());
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        header(r, "x-switchboard-signature"),
        format!("sha256={hex}")
    );
}

async fn create(app: &TestApp, admin: &str, url: &str, events: &[&str]) -> (String, String) {
    let (status, body) = app
        .post(
            admin,
            "/api/v1/webhooks",
            json!({ "url": url, "description": "工单系统", "events": events }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["webhook"]["id"].as_str().unwrap().to_owned();
    (id, body["secret"].as_str().unwrap().to_owned())
}

async fn task_queue(app: &TestApp, admin: &str) -> String {
    let (_, queues) = app.get(admin, "/api/v1/queues").await;
    let task = queues
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["channel"] == "task")
        .unwrap();
    task["id"].as_str().unwrap().to_owned()
}

async fn new_task(app: &TestApp, admin: &str, queue: &str, title: &str) -> String {
    let (status, contact) = app
        .post(
            admin,
            "/api/v1/contacts",
            json!({ "queue_id": queue, "title": title }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{contact}");
    contact["id"].as_str().unwrap().to_owned()
}

/// Waits (real time, up to 10 s) until the log shows a delivery of `event_id` that `done` likes.
async fn logged(
    app: &TestApp,
    admin: &str,
    hook: &str,
    event_id: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, log) = app
            .get(admin, &format!("/api/v1/webhooks/{hook}/deliveries"))
            .await;
        assert_eq!(status, StatusCode::OK, "{log}");
        let found = log
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["event_id"] == event_id && done(d))
            .cloned();
        if let Some(d) = found {
            return d;
        }
        assert!(Instant::now() < deadline, "the log never showed it: {log}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn managing_webhooks_needs_the_permission_and_good_input(app: TestApp) {
    let admin = app.admin().await;
    let agent = app.ready_user(&admin, "hookless", &["agent"]).await;
    let (status, _) = app.get(&agent, "/api/v1/webhooks").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let refused = app
        .post(
            &agent,
            "/api/v1/webhooks",
            json!({ "url": "https://hooks.example.com/in", "events": ["contact.created"] }),
        )
        .await;
    assert_error(&refused, StatusCode::FORBIDDEN, "forbidden");

    let bad = [
        (
            json!({ "url": "ftp://hooks.example.com/in", "events": ["contact.created"] }),
            "url",
        ),
        (
            json!({ "url": "not a url", "events": ["contact.created"] }),
            "url",
        ),
        (
            json!({ "url": "https://hooks.example.com/in", "events": ["contact.exploded"] }),
            "events[0]",
        ),
        (
            json!({ "url": "https://hooks.example.com/in", "events": [] }),
            "events",
        ),
        (
            json!({ "url": "https://hooks.example.com/in", "events": ["agent.state", "agent.state"] }),
            "events[1]",
        ),
    ];
    for (body, field) in bad {
        let got = app.post(&admin, "/api/v1/webhooks", body.clone()).await;
        assert_error(&got, StatusCode::BAD_REQUEST, "invalid_field");
        assert_eq!(got.1["field"], field, "{body}");
    }
    // Private addresses: refused unless the server allows them (the tests' server does).
    app.state.webhooks.set_allow_private(false);
    let private = app
        .post(
            &admin,
            "/api/v1/webhooks",
            json!({ "url": "http://192.168.1.10/in", "events": ["contact.created"] }),
        )
        .await;
    app.state.webhooks.set_allow_private(true);
    assert_error(&private, StatusCode::BAD_REQUEST, "invalid_field");
    let (_, none) = app.get(&admin, "/api/v1/webhooks").await;
    assert_eq!(none, json!([]), "refused input changed nothing");

    let (status, types) = app.get(&admin, "/api/v1/webhook-event-types").await;
    assert_eq!(status, StatusCode::OK);
    assert!(types.as_array().unwrap().contains(&json!("ticket.closed")));

    let (id, secret) = create(
        &app,
        &admin,
        "https://hooks.example.com/in",
        &["contact.created"],
    )
    .await;
    assert!(secret.starts_with("whsec_"), "{secret}");
    let (_, list) = app.get(&admin, "/api/v1/webhooks").await;
    assert_eq!(list[0]["id"], id.as_str());
    assert!(
        !list.to_string().contains(&secret),
        "the secret is shown once"
    );
    let (status, changed) = app
        .put(
            &admin,
            &format!("/api/v1/webhooks/{id}"),
            json!({ "url": "https://hooks.example.com/v2", "events": ["agent.state", "ticket.created"], "enabled": false }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(
        (changed["enabled"].clone(), changed["events"].clone()),
        (json!(false), json!(["agent.state", "ticket.created"]))
    );
    let bad_update = app
        .put(
            &admin,
            &format!("/api/v1/webhooks/{id}"),
            json!({ "url": "gopher://x", "events": ["agent.state"] }),
        )
        .await;
    assert_error(&bad_update, StatusCode::BAD_REQUEST, "invalid_field");
    let (_, kept) = app.get(&admin, &format!("/api/v1/webhooks/{id}")).await;
    assert_eq!(kept["url"], "https://hooks.example.com/v2");
    let (status, rotated) = app
        .post(
            &admin,
            &format!("/api/v1/webhooks/{id}/rotate-secret"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(rotated["secret"], secret.as_str());
    let (status, _) = app.delete(&admin, &format!("/api/v1/webhooks/{id}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.get(&admin, &format!("/api/v1/webhooks/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn contact_events_arrive_signed_retried_and_redelivered(app: TestApp) {
    let admin = app.admin().await;
    let receiver = Receiver::start().await;
    let (hook, secret) = create(
        &app,
        &admin,
        &receiver.url,
        &["contact.created", "ticket.created"],
    )
    .await;
    let queue = task_queue(&app, &admin).await;
    let contact = new_task(&app, &admin, &queue, "回访").await;

    let got = receiver
        .wait_for("contact.created", |b| {
            b["data"]["contact_id"] == contact.as_str()
        })
        .await;
    verify(&got, &secret);
    let body: Value = serde_json::from_str(&got.body).unwrap();
    assert_eq!(
        (body["type"].clone(), body["tenant"].clone()),
        (json!("contact.created"), json!("demo"))
    );
    assert!(body["id"].as_str().unwrap().starts_with("e-"));
    assert_eq!(header(&got, "x-switchboard-event"), "contact.created");
    assert_eq!(header(&got, "content-type"), "application/json");
    let event_id = body["id"].as_str().unwrap().to_owned();
    let delivered = logged(&app, &admin, &hook, &event_id, |d| {
        d["state"] == "delivered"
    })
    .await;
    assert_eq!(
        header(&got, "x-switchboard-delivery"),
        delivered["id"].as_str().unwrap()
    );
    assert_eq!(
        (
            delivered["attempts"].clone(),
            delivered["last_status"].clone()
        ),
        (json!(1), json!(200))
    );
    assert_eq!(delivered["response"], "received");
    assert_eq!(
        receiver.count(&contact),
        1,
        "contact.queued is not subscribed"
    );

    // A receiver failing: retried when the server's clock reaches the back-off, then done.
    receiver.answer(500);
    let second = new_task(&app, &admin, &queue, "再次回访").await;
    let failed = receiver
        .wait_for("the second contact", |b| {
            b["data"]["contact_id"] == second.as_str()
        })
        .await;
    let second_event: Value = serde_json::from_str(&failed.body).unwrap();
    let second_event = second_event["id"].as_str().unwrap().to_owned();
    let waiting = logged(&app, &admin, &hook, &second_event, |d| d["attempts"] == 1).await;
    assert_eq!(
        (waiting["state"].clone(), waiting["last_status"].clone()),
        (json!("pending"), json!(500))
    );
    assert!(waiting["next_attempt_at"].is_string());
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(receiver.count(&second), 1, "no retry before its time");
    receiver.answer(200);
    app.clock.advance(Duration::from_secs(11));
    let done = logged(&app, &admin, &hook, &second_event, |d| {
        d["state"] == "delivered"
    })
    .await;
    assert_eq!(done["attempts"], 2);
    assert_eq!(receiver.count(&second), 2);

    // Sent again on request, the same delivery with the same body.
    let (status, again) = app
        .post(
            &admin,
            &format!(
                "/api/v1/webhooks/{hook}/deliveries/{}/redeliver",
                done["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{again}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while receiver.count(&second) < 3 {
        assert!(Instant::now() < deadline, "the redelivery never came");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let last = receiver.got.lock().unwrap().last().cloned().unwrap();
    assert_eq!(last.body, failed.body);
    verify(&last, &secret);

    // A test event, on request.
    let (status, ping) = app
        .post(&admin, &format!("/api/v1/webhooks/{hook}/ping"), json!({}))
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{ping}");
    let got = receiver.wait_for("the ping", |b| b["type"] == "ping").await;
    assert_eq!(
        header(&got, "x-switchboard-delivery"),
        ping["id"].as_str().unwrap()
    );
}

async fn ticket_events_arrive(app: TestApp) {
    let admin = app.admin().await;
    let receiver = Receiver::start().await;
    let (_, secret) = create(
        &app,
        &admin,
        &receiver.url,
        &["ticket.created", "ticket.updated"],
    )
    .await;
    let (status, ty) = app
        .post(
            &admin,
            "/api/v1/ticket-types",
            json!({ "name": "投诉", "fields": null }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{ty}");
    let (status, ticket) = app
        .post(
            &admin,
            "/api/v1/tickets",
            json!({ "type_id": ty["id"], "fields": { "title": "噪音投诉" } }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{ticket}");
    let got = receiver
        .wait_for("ticket.created", |b| {
            b["type"] == "ticket.created" && b["data"]["ticket_id"] == ticket["id"]
        })
        .await;
    verify(&got, &secret);
    let body: Value = serde_json::from_str(&got.body).unwrap();
    assert!(body["data"]["number"].as_str().unwrap().starts_with('T'));
}

on_both!(
    managing_webhooks_needs_the_permission_and_good_input,
    contact_events_arrive_signed_retried_and_redelivered,
    ticket_events_arrive,
);
