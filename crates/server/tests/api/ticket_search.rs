//! Full-text search covers every field of a ticket that holds words: text, long text,
//! address and email fields, and options by their labels (Chinese by character pairs, as
//! titles are); a relabelled option makes its type's tickets findable by the new label once
//! the ticket jobs indexed them again.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::on_both;
use crate::support::{TestApp, DEMO_PASSWORD};

/// The titles a search by `text` finds among agent1's tickets.
async fn found(app: &TestApp, token: &str, text: &str) -> Vec<String> {
    let (status, page) = app
        .get(
            token,
            &format!("/api/v1/tickets?tab=created&text={}", urlencode(text)),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_owned())
        .collect()
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn words_of_every_field_are_found(app: TestApp) {
    let admin = app.admin().await;
    let agent1 = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let (_, types) = app.get(&admin, "/api/v1/ticket-types").await;
    let t = &types[0];
    let type_id = t["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/ticket-types/{type_id}");
    // A long text field of the tenant's own beside the demo's address, order number and
    // product fields.
    let mut fields = t["fields"].as_array().unwrap().clone();
    fields.push(json!({ "code": "remark", "label": "备注", "type": "long_text" }));
    fields.push(json!({ "code": "amount", "label": "金额", "type": "number" }));
    let (status, saved) = app
        .put(
            &admin,
            &path,
            json!({ "name": t["name"], "version": t["version"], "fields": fields }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");

    let (status, created) = app
        .post(
            &agent1,
            "/api/v1/tickets",
            json!({ "type_id": type_id, "fields": {
                "title": "耳机没有声音",
                "address": "深圳市南山区科技园 Keji Road",
                "order_no": "SO-20261204",
                "product": "watch",
                "email": "li.lei@example.com",
                "remark": "客户要求上门取件",
                "amount": "4321",
            } }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let title = vec!["耳机没有声音".to_owned()];
    for words in [
        "南山区",
        "科技园",
        "keji road",
        "so 20261204",
        "上门取件",
        "li.lei",
        "example",
        "手表",
        "Watch",
        "耳机",
    ] {
        assert_eq!(found(&app, &agent1, words).await, title, "{words}");
    }
    assert!(
        found(&app, &agent1, "4321").await.is_empty(),
        "numbers are not words"
    );
    assert!(found(&app, &agent1, "北京").await.is_empty());

    // An edit of the address alone changes the terms.
    let (status, edited) = app
        .patch(
            &agent1,
            &format!("/api/v1/tickets/{}", created["id"].as_str().unwrap()),
            json!({ "version": created["version"], "fields": { "address": "北京市海淀区" } }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(found(&app, &agent1, "海淀").await, title);
    assert!(
        found(&app, &agent1, "南山区").await.is_empty(),
        "the old address is gone"
    );

    // The product's option is relabelled: the type's tickets are indexed again on the next
    // tick of the ticket jobs, and are found by the new label only.
    let (_, t) = app.get(&admin, &path).await;
    let mut fields = t["fields"].as_array().unwrap().clone();
    let product = fields.iter_mut().find(|f| f["code"] == "product").unwrap();
    let watch = product["options"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|o| o["value"] == "watch")
        .unwrap();
    watch["label"] = Value::from("智能手环 Band");
    let (status, saved) = app
        .put(
            &admin,
            &path,
            json!({ "name": t["name"], "version": t["version"], "fields": fields }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let mut hits = Vec::new();
    for _ in 0..100 {
        app.clock.advance(Duration::from_secs(1));
        hits = found(&app, &agent1, "手环").await;
        if !hits.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(hits, title, "found by the new label");
    assert_eq!(found(&app, &agent1, "band").await, title);
    assert!(
        found(&app, &agent1, "手表").await.is_empty(),
        "not by the old one"
    );
    assert_eq!(found(&app, &agent1, "海淀").await, title, "the rest stays");
}

on_both!(words_of_every_field_are_found);
