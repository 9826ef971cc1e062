//! The edge: text the product refuses (control characters such as NUL) is a 400 naming the
//! field on every way in, on both databases, and every rejection — query, path, body, upload,
//! socket — speaks the one error shape `{code, message, field?}`.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::chat::{customer, next_of, send};
use crate::on_both;
use crate::support::{assert_error, TestApp};

/// A 400 `invalid_field` naming `field`.
fn refused(got: &(StatusCode, Value), field: &str) {
    assert_error(got, StatusCode::BAD_REQUEST, "invalid_field");
    assert_eq!(got.1["field"], field, "{}", got.1);
}

async fn control_characters_are_refused_in_queries_and_bodies(app: TestApp) {
    let admin = app.admin().await;
    for query in [
        "q=a%00b",
        "text=a%00b",
        "status=a%00",
        "priority=%1b",
        "f.address=a%00b",
    ] {
        let field = query.split('=').next().unwrap();
        refused(
            &app.get(&admin, &format!("/api/v1/tickets?tab=all&{query}"))
                .await,
            field,
        );
        refused(
            &app.get(
                &admin,
                &format!("/api/v1/tickets/export?tab=all&format=csv&{query}"),
            )
            .await,
            field,
        );
    }
    let reply = app
        .post(
            &admin,
            "/api/v1/canned-replies",
            json!({ "scope": "team", "title": "t", "text": "a\u{0}b" }),
        )
        .await;
    refused(&reply, "text");
    let ticket_type = app
        .post(
            &admin,
            "/api/v1/ticket-types",
            json!({ "name": "类型", "description": "a\u{0}b" }),
        )
        .await;
    refused(&ticket_type, "description");
    let view = app
        .post(
            &admin,
            "/api/v1/ticket-views",
            json!({ "name": "v", "filters": { "text": "a\u{0}b" } }),
        )
        .await;
    refused(&view, "filters.text");
    let nested_key = app
        .post(
            &admin,
            "/api/v1/ticket-views",
            json!({ "name": "v", "filters": { "a\u{0}": "x" } }),
        )
        .await;
    refused(&nested_key, "filters.a\u{0}");
    // Nothing was stored, and lists keep working.
    let (_, replies) = app.get(&admin, "/api/v1/canned-replies").await;
    assert!(!replies.to_string().contains("\\u0000"), "{replies}");
    assert_eq!(
        app.get(&admin, "/api/v1/ticket-views").await.0,
        StatusCode::OK
    );
    assert_eq!(
        app.get(&admin, "/api/v1/tickets?tab=all").await.0,
        StatusCode::OK
    );
    // Line breaks and tabs are text, not control characters.
    let (status, ok) = app
        .post(
            &admin,
            "/api/v1/canned-replies",
            json!({ "scope": "team", "title": "多行", "text": "第一行\n\t第二行" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{ok}");
}

async fn every_rejection_speaks_the_error_shape(app: TestApp) {
    let admin = app.admin().await;
    let missing = app.get(&admin, "/api/v1/tickets/prefill").await;
    refused(&missing, "contact_id");
    let malformed = app
        .get(&admin, "/api/v1/tickets/prefill?contact_id=not-an-id")
        .await;
    assert_error(&malformed, StatusCode::BAD_REQUEST, "invalid_field");
    let no_token = app.get(&admin, "/api/v1/ws").await;
    assert!(no_token.0.is_client_error(), "{no_token:?}");
    assert!(no_token.1["code"].is_string(), "{no_token:?}");
    let id = uuid::Uuid::new_v4();
    let bad_id = app
        .delete(&admin, &format!("/api/v1/tickets/{id}/reminders/%C3%BF"))
        .await;
    assert_error(&bad_id, StatusCode::NOT_FOUND, "not_found");
    let nul_id = app
        .delete(&admin, &format!("/api/v1/tickets/{id}/reminders/a%00"))
        .await;
    assert_error(&nul_id, StatusCode::NOT_FOUND, "not_found");
    let json_upload = app
        .post(&admin, "/api/v1/users/import", json!({ "file": "x" }))
        .await;
    assert_error(
        &json_upload,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    );
    let not_a_socket = app.get(&admin, &format!("/api/v1/ws?token={admin}")).await;
    assert!(not_a_socket.0.is_client_error(), "{not_a_socket:?}");
    assert_eq!(
        not_a_socket.1["code"], "websocket_required",
        "{not_a_socket:?}"
    );
}

async fn chat_frames_with_control_characters_are_refused(app: TestApp) {
    let mut c = customer(&app, "visitor=visitor-edge-0123456789").await;
    next_of(&mut c, &["welcome"]).await;
    for (frame, field) in [
        (
            json!({ "type": "start", "name": "王\u{0}", "question": "hi" }),
            "name",
        ),
        (
            json!({ "type": "message", "client_id": "a\u{0}", "text": "hi" }),
            "client_id",
        ),
        (
            json!({ "type": "rate", "score": 5, "comment": "\u{0}" }),
            "comment",
        ),
    ] {
        send(&mut c, frame).await;
        let error = next_of(&mut c, &["error"]).await;
        assert_eq!(
            (error["code"].as_str(), error["field"].as_str()),
            (Some("invalid_field"), Some(field)),
            "{error}"
        );
    }
    // The socket still works: a clean start is accepted.
    send(
        &mut c,
        json!({ "type": "start", "name": "王女士", "question": "你好" }),
    )
    .await;
    let started = next_of(&mut c, &["conversation", "error"]).await;
    assert_ne!(started["type"], "error", "{started}");
}

on_both!(
    control_characters_are_refused_in_queries_and_bodies,
    every_rejection_speaks_the_error_shape,
    chat_frames_with_control_characters_are_refused,
);
