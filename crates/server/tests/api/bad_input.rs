//! Bad input gets a clear 4xx and changes nothing.

use reqwest::StatusCode;
use serde_json::json;

use crate::on_both;
use crate::support::{assert_error, TestApp};

async fn malformed_requests_are_explained(app: TestApp) {
    let admin = app.admin().await;
    let raw = |body: &'static str, content_type: &'static str| {
        app.client
            .post(app.url("/api/v1/users"))
            .bearer_auth(&admin)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let res = raw("{\"login\": ", "application/json").await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap()["code"],
        "invalid_json"
    );
    let res = raw("{}", "text/plain").await.unwrap();
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let missing = app
        .post(&admin, "/api/v1/users", json!({ "login": "a" }))
        .await;
    assert_error(&missing, StatusCode::BAD_REQUEST, "invalid_field");
    assert!(
        missing.1["message"]
            .as_str()
            .unwrap()
            .contains("missing field"),
        "{}",
        missing.1
    );

    let unknown = app.post(&admin, "/api/v1/users", json!({
        "login": "a", "real_name": "a", "display_name": "a", "chat_limit": 1, "password": "long-enough", "admin": true
    })).await;
    assert_error(&unknown, StatusCode::BAD_REQUEST, "invalid_field");

    let long_name = "长".repeat(65);
    let too_long = app.post(&admin, "/api/v1/users", json!({
        "login": "a", "real_name": long_name, "display_name": "a", "chat_limit": 1, "password": "long-enough"
    })).await;
    assert_error(&too_long, StatusCode::BAD_REQUEST, "invalid_field");
    assert_eq!(too_long.1["field"], "real_name");

    let wrong_type = app.post(&admin, "/api/v1/users", json!({
        "login": "a", "real_name": "a", "display_name": "a", "chat_limit": "many", "password": "long-enough"
    })).await;
    assert_eq!(wrong_type.1["field"], "chat_limit");
    let out_of_range = app.post(&admin, "/api/v1/users", json!({
        "login": "a", "real_name": "a", "display_name": "a", "chat_limit": 51, "password": "long-enough"
    })).await;
    assert_eq!(out_of_range.1["field"], "chat_limit");

    let bad_enum = app
        .post(
            &admin,
            "/api/v1/queues",
            json!({ "name": "q", "channel": "fax" }),
        )
        .await;
    assert_error(&bad_enum, StatusCode::BAD_REQUEST, "invalid_field");
    assert_eq!(bad_enum.1["field"], "channel");
    assert!(bad_enum.1["message"].as_str().unwrap().contains("voice"));

    let (_, users) = app.get(&admin, "/api/v1/users").await;
    assert_eq!(
        users.as_array().unwrap().len(),
        5,
        "nothing was created by refused requests"
    );

    let huge = "x".repeat(2 * 1024 * 1024);
    let res = app
        .client
        .post(app.url("/api/v1/roles"))
        .bearer_auth(&admin)
        .header("content-type", "application/json")
        .body(format!("{{\"name\": \"{huge}\", \"permissions\": []}}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap()["code"],
        "payload_too_large"
    );
}

async fn health_docs_and_unknown_paths(app: TestApp) {
    let res = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap(),
        serde_json::json!({ "status": "ok", "role": "active" })
    );
    let doc: serde_json::Value = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/v1/auth/login",
        "/api/v1/users",
        "/api/v1/users/import",
        "/api/v1/queues/{id}/agents",
        "/api/v1/tenant/params",
        "/api/v1/ws",
    ] {
        assert!(paths.contains_key(p), "OpenAPI documents {p}");
    }
    let channel = &doc["components"]["schemas"]["QueueOut"]["properties"]["channel"]["enum"];
    assert_eq!(
        channel,
        &json!(["voice", "video", "chat", "task"]),
        "enums come from the engine"
    );
    let docs = app.client.get(app.url("/api/docs/")).send().await.unwrap();
    assert_eq!(docs.status(), StatusCode::OK);
    assert!(docs.text().await.unwrap().contains("swagger"));

    let res = app
        .client
        .get(app.url("/api/v1/nothing-here"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap()["code"],
        "not_found"
    );
    let page = app
        .client
        .get(app.url("/admin/users"))
        .send()
        .await
        .unwrap();
    assert!(
        page.status() == StatusCode::OK || page.status() == StatusCode::SERVICE_UNAVAILABLE,
        "client routes get the UI shell"
    );
    assert!(page.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
}

on_both!(
    malformed_requests_are_explained,
    health_docs_and_unknown_paths
);
