//! What a first walk through the product found: the wallboard naming what each agent's
//! contacts are, a ticket from a chat filled with what the customer told, parameters out of
//! range refused with their range, exports for people (names, labels, offsets in the user's
//! language), a forced state that tells the agent who and why, a wallboard of agents only, and
//! the other fixes of that walk.

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

async fn the_wallboard_names_each_contacts_id_channel_and_state(app: TestApp) {
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
    let id = contact["id"].as_str().unwrap();
    let row = live_row(&app, &supervisor, "agent1").await.unwrap();
    assert_eq!(
        (row["state"].as_str(), &row["activity"]),
        (
            Some("idle"),
            &json!([{ "id": id, "channel": "task", "state": "offered" }])
        ),
        "an offer rings while the engine still says idle"
    );
    let (status, _) = app
        .post(&agent, &format!("/api/v1/contacts/{id}/answer"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let row = live_row(&app, &supervisor, "agent1").await.unwrap();
    assert_eq!(
        row["activity"],
        json!([{ "id": id, "channel": "task", "state": "connected" }])
    );
}

/// A customer starts a chat (with or without the pre-chat form); the chat is offered to
/// agent1, who answers it. Returns the contact id.
async fn answered_chat(app: &TestApp, agent: &str, visitor: &str, start: Value) -> String {
    use crate::chat::{customer, next_of, send};
    let mut c = customer(app, &format!("visitor={visitor}")).await;
    next_of(&mut c, &["welcome"]).await;
    send(&mut c, start).await;
    let id = next_of(&mut c, &["conversation"]).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post(agent, "/api/v1/agent/sign-in", json!({})).await;
    let (status, body) = app
        .post(agent, &format!("/api/v1/contacts/{id}/answer"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    id
}

async fn a_ticket_from_a_chat_is_filled_with_what_the_customer_told(app: TestApp) {
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let ticket_type = find(&app, &agent, "/api/v1/ticket-types", "name", "After-sales").await;
    let type_id = ticket_type["id"].as_str().unwrap();
    let told = answered_chat(
        &app,
        &agent,
        "visitor-walk-0123456789",
        json!({ "type": "start", "name": "王女士", "phone": "13800138000",
                "question": "耳机坏了 my earbuds broke" }),
    )
    .await;
    let (status, prefill) = app
        .get(
            &agent,
            &format!("/api/v1/tickets/prefill?contact_id={told}&type_id={type_id}"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{prefill}");
    // The customer's number as the directory keeps it: E.164, whatever form they typed.
    assert_eq!(
        prefill["fields"],
        json!({ "customer": "王女士", "phone": "+8613800138000",
                "title": "耳机坏了 my earbuds broke", "description": "耳机坏了 my earbuds broke" })
    );

    // Without a name, the customer field stays empty: never our internal customer id.
    app.post(
        &agent,
        &format!("/api/v1/contacts/{told}/release"),
        json!({}),
    )
    .await;
    app.post(
        &agent,
        "/api/v1/agent/continue",
        json!({ "contact_id": told }),
    )
    .await;
    let anonymous = answered_chat(
        &app,
        &agent,
        "visitor-anon-0123456789",
        json!({ "type": "start", "question": "在吗" }),
    )
    .await;
    let (_, prefill) = app
        .get(
            &agent,
            &format!("/api/v1/tickets/prefill?contact_id={anonymous}&type_id={type_id}"),
        )
        .await;
    assert_eq!(
        prefill["fields"],
        json!({ "title": "在吗", "description": "在吗" }),
        "{prefill}"
    );
}

async fn parameters_out_of_range_are_refused_with_their_range(app: TestApp) {
    let admin = app.admin().await;
    let (_, before) = app.get(&admin, "/api/v1/tenant/params").await;
    for (field, value, range) in [
        ("offer_timeout_s", 1, "5 and 300"),
        ("offer_timeout_s", 301, "5 and 300"),
        ("task_limit", 0, "1 and 50"),
        ("recall_limit_s", 3601, "0 and 3600"),
    ] {
        let mut params = before.clone();
        params[field] = json!(value);
        let (status, body) = app.put(&admin, "/api/v1/tenant/params", params).await;
        assert_eq!(
            (status, body["code"].as_str(), body["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some("invalid_field"), Some(field)),
            "{body}"
        );
        assert!(
            body["message"].as_str().unwrap().contains(range),
            "{field}={value}: {body}"
        );
    }
    let (_, after) = app.get(&admin, "/api/v1/tenant/params").await;
    assert_eq!(after, before, "nothing was clamped and saved");
}

async fn csv(app: &TestApp, token: &str, query: &str) -> (StatusCode, String) {
    let res = app
        .client
        .get(app.url(&format!(
            "/api/v1/tickets/export?format=csv&tab=created{query}"
        )))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

async fn exports_speak_the_users_language_with_labels_and_offsets(app: TestApp) {
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let ticket_type = find(&app, &agent, "/api/v1/ticket-types", "name", "After-sales").await;
    let (status, created) = app
        .post(
            &agent,
            "/api/v1/tickets",
            json!({ "type_id": ticket_type["id"], "fields": {
                "title": "耳机没声音 no sound", "priority": "high", "product": "earbuds",
                "due_at": "2026-12-01T10:00:00+08:00" } }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");

    let (status, zh) = csv(&app, &agent, "").await;
    assert_eq!(status, StatusCode::OK, "{zh}");
    let lines: Vec<&str> = zh.lines().collect();
    assert_eq!(
        lines[0],
        "\u{feff}工单编号,标题,工单类型,状态,优先级,客户,电话,技能组,处理人,创建时间,更新时间,截止时间,地址 Address,订单号 Order no.,产品 Product",
        "Chinese by default: the fields' names, not their codes"
    );
    let row = lines[1];
    assert!(row.contains(",新建,高,"), "{row}");
    assert!(
        row.ends_with(",2026-12-01 10:00:00 +08:00,,,耳机 Earbuds"),
        "{row}"
    );

    let (_, en) = csv(&app, &agent, "&lang=en").await;
    let lines: Vec<&str> = en.lines().collect();
    assert!(
        lines[0].starts_with("\u{feff}Number,Title,Type,Status,Priority,Customer,Phone,Group,Assignee,Created,Updated,Due,"),
        "{}",
        lines[0]
    );
    assert!(lines[1].contains(",New,High,"), "{}", lines[1]);
    let created_at = lines[1].split(',').nth(9).unwrap();
    assert!(
        created_at.len() == "2026-12-01 10:00:00 +08:00".len() && created_at.ends_with(" +08:00"),
        "times carry their offset: {created_at}"
    );

    let (status, refused) = csv(&app, &agent, "&lang=fr").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert!(refused.contains("\"lang\""), "{refused}");
}

async fn a_forced_state_tells_the_agent_who_and_why_and_the_wallboard_lists_agents_only(
    app: TestApp,
) {
    use futures_util::StreamExt;
    let supervisor = app.token("demo", "supervisor", DEMO_PASSWORD).await;
    let (_, live) = app.get(&supervisor, "/api/v1/supervisor/live").await;
    let logins: Vec<&str> = live["agents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["login"].as_str().unwrap())
        .collect();
    assert!(
        !logins.contains(&"admin"),
        "an administrator bound to no queue is no agent: {logins:?}"
    );
    for agent in ["agent1", "agent2", "agent3", "supervisor"] {
        assert!(
            logins.contains(&agent),
            "{agent} is bound to queues: {logins:?}"
        );
    }

    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    app.post(&agent, "/api/v1/agent/sign-in", json!({})).await;
    let url = format!("ws://{}/api/v1/ws?token={agent}", app.addr);
    let mut ws = tokio_tungstenite::connect_async(url).await.unwrap().0;
    let id = live_row(&app, &supervisor, "agent1").await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let force = |body: Value| {
        let path = format!("/api/v1/supervisor/agents/{id}/state");
        let (app, supervisor) = (&app, &supervisor);
        async move { app.post(supervisor, &path, body).await }
    };
    let (status, body) = force(json!({ "state": "busy", "reason": "x".repeat(33) })).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("reason")),
        "{body}"
    );
    let (status, row) = force(json!({ "state": "busy", "reason": "质检抽查" })).await;
    assert_eq!(
        (status, row["state"].as_str(), row["reason"].as_str()),
        (StatusCode::OK, Some("busy"), Some("质检抽查"))
    );
    let (status, _) = force(json!({ "state": "signed_out", "reason": "下班 end of shift" })).await;
    assert_eq!(status, StatusCode::OK);
    let mut notices = Vec::new();
    while notices.len() < 2 {
        let msg = tokio::time::timeout(std::time::Duration::from_secs(2), ws.next())
            .await
            .expect("the notices arrive")
            .unwrap()
            .unwrap();
        let v: Value = serde_json::from_str(msg.to_text().unwrap_or("{}")).unwrap_or_default();
        if v["type"] == "agent.forced" {
            notices.push(v);
        }
    }
    let said: Vec<(&str, &str, &str)> = notices
        .iter()
        .map(|n| {
            assert_eq!(n["agent_id"], id.as_str());
            (
                n["state"].as_str().unwrap(),
                n["reason"].as_str().unwrap(),
                n["by_name"].as_str().unwrap(),
            )
        })
        .collect();
    let by = find(
        &app,
        &supervisor,
        "/api/v1/users/directory",
        "login",
        "supervisor",
    )
    .await;
    let by = by["display_name"].as_str().unwrap();
    assert_eq!(
        said,
        [
            ("busy", "质检抽查", by),
            ("signed_out", "下班 end of shift", by)
        ]
    );
}

on_both!(
    a_forced_state_tells_the_agent_who_and_why_and_the_wallboard_lists_agents_only,
    exports_speak_the_users_language_with_labels_and_offsets,
    the_wallboard_names_each_contacts_id_channel_and_state,
    a_ticket_from_a_chat_is_filled_with_what_the_customer_told,
    parameters_out_of_range_are_refused_with_their_range,
);
