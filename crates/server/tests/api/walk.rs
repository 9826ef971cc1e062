//! What a first walk through the product found: the wallboard naming what each agent's
//! contacts are, and the other fixes of that walk.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::on_both;
use crate::support::{TestApp, DEMO_PASSWORD};

async fn find(app: &TestApp, token: &str, path: &str, key: &str, value: &str) -> Value {
    let (status, list) = app.get(token, path).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list.as_array()
        .unwrap()
        .iter()
        .find(|x| x[key].as_str().is_some_and(|v| v.contains(value)))
        .cloned()
        .unwrap_or_else(|| panic!("{key} ~ {value} in {path}"))
}

async fn live_row(app: &TestApp, supervisor: &str, login: &str) -> Option<Value> {
    let (status, live) = app.get(supervisor, "/api/v1/supervisor/live").await;
    assert_eq!(status, StatusCode::OK, "{live}");
    live["agents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["login"] == login)
        .cloned()
}

async fn the_wallboard_names_each_contacts_channel_and_state(app: TestApp) {
    let admin = app.admin().await;
    let supervisor = app.token("demo", "supervisor", DEMO_PASSWORD).await;
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    app.post(&agent, "/api/v1/agent/sign-in", json!({})).await;
    let row = live_row(&app, &supervisor, "agent1").await.unwrap();
    assert_eq!(row["activity"], json!([]), "{row}");

    let tasks = find(&app, &admin, "/api/v1/queues", "name", "Tasks").await;
    let (status, contact) = app
        .post(
            &admin,
            "/api/v1/contacts",
            json!({ "queue_id": tasks["id"], "title": "振铃 ringing" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{contact}");
    let row = live_row(&app, &supervisor, "agent1").await.unwrap();
    assert_eq!(
        (row["state"].as_str(), &row["activity"]),
        (
            Some("idle"),
            &json!([{ "channel": "task", "state": "offered" }])
        ),
        "an offer rings while the engine still says idle"
    );
    let id = contact["id"].as_str().unwrap();
    let (status, _) = app
        .post(&agent, &format!("/api/v1/contacts/{id}/answer"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let row = live_row(&app, &supervisor, "agent1").await.unwrap();
    assert_eq!(
        row["activity"],
        json!([{ "channel": "task", "state": "connected" }])
    );
}

on_both!(the_wallboard_names_each_contacts_channel_and_state);
