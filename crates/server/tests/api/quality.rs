//! Quality inspection through the API (issue #16, P4): scorecards checked and versioned,
//! a contact picked and scored, the agent seeing only their own submitted reviews and
//! acknowledging or disputing them, disputes resolved, the report's figures and the seeded
//! sample — every refusal changing nothing, every other tenant's record a 404.

use reqwest::StatusCode;
use serde_json::{json, Value};
use switchboard_engine::ticket::time::local_date;
use switchboard_engine::TenantZone;

use crate::on_both;
use crate::support::{assert_error, TestApp, DEMO_PASSWORD};

const DAY: i64 = 86_400_000;

fn card(name: &str, weights: (u32, u32)) -> Value {
    json!({
        "name": name,
        "sections": [
            { "name": "服务态度", "items": [
                { "label": "礼貌用语", "description": "问候与致谢", "weight": weights.0,
                  "scale": "points", "max_points": 5, "comment_on_low": true },
            ]},
            { "name": "合规", "items": [
                { "label": "身份核实", "weight": weights.1, "scale": "yes_no", "critical": true },
            ]},
        ],
    })
}

/// Yesterday and tomorrow in the demo tenant's zone.
fn around_today(app: &TestApp) -> (String, String) {
    let zone = TenantZone::default();
    let now = app.clock.now_ms();
    (local_date(now - DAY, &zone), local_date(now + DAY, &zone))
}

async fn queue_id(app: &TestApp, token: &str, name_part: &str) -> String {
    let (_, queues) = app.get(token, "/api/v1/queues").await;
    let q = queues
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["name"].as_str().unwrap().contains(name_part));
    q.unwrap()["id"].as_str().unwrap().to_owned()
}

/// A task served from offer to close by the signed-in agent behind `agent`.
async fn served_task(app: &TestApp, admin: &str, agent: &str, title: &str) -> String {
    let q = queue_id(app, admin, "Tasks").await;
    let (status, contact) = app
        .post(
            admin,
            "/api/v1/contacts",
            json!({ "queue_id": q, "title": title, "customer": "13800138000" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{contact}");
    let id = contact["id"].as_str().unwrap().to_owned();
    for step in ["answer", "release"] {
        let (status, body) = app
            .post(agent, &format!("/api/v1/contacts/{id}/{step}"), json!({}))
            .await;
        assert_eq!(status, StatusCode::OK, "{step}: {body}");
    }
    let (status, body) = app
        .post(agent, "/api/v1/agent/continue", json!({ "contact_id": id }))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    id
}

struct Desk {
    admin: String,
    supervisor: String,
    agent: String,
    other_agent: String,
}

async fn desk(app: &TestApp) -> Desk {
    let admin = app.admin().await;
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let (status, body) = app.post(&agent, "/api/v1/agent/sign-in", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    Desk {
        supervisor: app.token("demo", "supervisor", DEMO_PASSWORD).await,
        other_agent: app.token("demo", "agent2", DEMO_PASSWORD).await,
        agent,
        admin,
    }
}

async fn new_card(app: &TestApp, admin: &str, name: &str) -> String {
    let (status, body) = app
        .post(admin, "/api/v1/quality/scorecards", card(name, (60, 40)))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_str().unwrap().to_owned()
}

async fn start(app: &TestApp, reviewer: &str, contact: &str, card: &str) -> String {
    let (status, body) = app
        .post(
            reviewer,
            "/api/v1/quality/reviews",
            json!({ "contact_id": contact, "scorecard_id": card }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_str().unwrap().to_owned()
}

fn scoring(polite: u8, verified: u8, why: &str) -> Value {
    json!({ "answers": [
        { "points": polite, "comment": why },
        { "points": verified, "comment": "" },
    ], "comment": "整体不错" })
}

async fn scorecards_are_checked_and_versioned(app: TestApp) {
    let d = desk(&app).await;
    assert_error(
        &app.post(
            &d.supervisor,
            "/api/v1/quality/scorecards",
            card("x", (60, 40)),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    assert_error(
        &app.get(&d.agent, "/api/v1/quality/scorecards").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    let id = new_card(&app, &d.admin, "通话质检").await;

    // Weights adding up to 90: refused naming the field, nothing stored.
    let refused = app
        .post(
            &d.admin,
            "/api/v1/quality/scorecards",
            card("少了", (60, 30)),
        )
        .await;
    assert_error(&refused, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    assert_eq!(refused.1["field"], "sections");
    assert!(
        refused.1["message"].as_str().unwrap().contains("90"),
        "{}",
        refused.1
    );
    let mut bad = card("坏的", (60, 40));
    bad["sections"][0]["items"][0]["max_points"] = json!(11);
    let refused = app.post(&d.admin, "/api/v1/quality/scorecards", bad).await;
    assert_eq!(
        refused.1["field"], "sections[0].items[0].points",
        "{}",
        refused.1
    );
    let refused = app
        .put(
            &d.admin,
            &format!("/api/v1/quality/scorecards/{id}"),
            card("通话质检", (50, 40)),
        )
        .await;
    assert_error(&refused, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    let (_, cards) = app.get(&d.supervisor, "/api/v1/quality/scorecards").await;
    assert_eq!(cards.as_array().unwrap().len(), 1, "{cards}");
    assert_eq!(cards[0]["sections"][0]["items"][0]["weight"], 60);
    assert_error(
        &app.post(
            &d.admin,
            "/api/v1/quality/scorecards",
            card("通话质检", (60, 40)),
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    );

    // Unused, an edit keeps version 1; once a review used it, the edit is version 2.
    let (_, edited) = app
        .put(
            &d.admin,
            &format!("/api/v1/quality/scorecards/{id}"),
            card("通话质检", (70, 30)),
        )
        .await;
    assert_eq!(
        (edited["version"].as_u64(), edited["in_use"].as_bool()),
        (Some(1), Some(false))
    );
    let contact = served_task(&app, &d.admin, &d.agent, "回访").await;
    let review = start(&app, &d.supervisor, &contact, &id).await;
    let (_, edited) = app
        .put(
            &d.admin,
            &format!("/api/v1/quality/scorecards/{id}"),
            card("通话质检", (50, 50)),
        )
        .await;
    assert_eq!(edited["version"], 2, "{edited}");
    let (_, r) = app
        .get(&d.supervisor, &format!("/api/v1/quality/reviews/{review}"))
        .await;
    assert_eq!(
        (
            r["scorecard_version"].as_u64(),
            r["sections"][0]["items"][0]["weight"].as_u64()
        ),
        (Some(1), Some(70))
    );

    // Retired: no new reviews with it.
    let (status, retired) = app
        .put(
            &d.admin,
            &format!("/api/v1/quality/scorecards/{id}/active"),
            json!({ "active": false }),
        )
        .await;
    assert_eq!(
        (status, retired["active"].as_bool()),
        (StatusCode::OK, Some(false))
    );
    let other = served_task(&app, &d.admin, &d.agent, "回访 2").await;
    let refused = app
        .post(
            &d.supervisor,
            "/api/v1/quality/reviews",
            json!({ "contact_id": other, "scorecard_id": id }),
        )
        .await;
    assert_eq!(refused.1["field"], "scorecard_id", "{}", refused.1);
}

async fn a_review_goes_from_draft_to_resolved(app: TestApp) {
    let d = desk(&app).await;
    let card = new_card(&app, &d.admin, "通话质检").await;
    let first = served_task(&app, &d.admin, &d.agent, "第一单").await;
    let second = served_task(&app, &d.admin, &d.agent, "第二单").await;
    let (from, to) = around_today(&app);
    let (status, picked) = app
        .get(
            &d.supervisor,
            &format!("/api/v1/quality/contacts?from={from}&to={to}&channel=task"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{picked}");
    let ids: Vec<&str> = picked
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["contact_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![second.as_str(), first.as_str()]);
    assert_eq!(picked[0]["agent_name"], "小红 Xiaohong");

    let review = start(&app, &d.supervisor, &first, &card).await;
    assert_error(
        &app.post(
            &d.supervisor,
            "/api/v1/quality/reviews",
            json!({ "contact_id": first, "scorecard_id": card }),
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    );
    // A draft is the reviewer's: the agent does not see it.
    assert_eq!(
        app.get(&d.agent, "/api/v1/agent/quality/reviews").await.1,
        json!([])
    );
    let mine = format!("/api/v1/agent/quality/reviews/{review}");
    assert_error(
        &app.get(&d.agent, &mine).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );

    let url = format!("/api/v1/quality/reviews/{review}");
    let draft =
        json!({ "answers": [{ "points": 4, "comment": "" }, { "points": null }], "comment": "" });
    let (status, saved) = app.put(&d.supervisor, &url, draft).await;
    assert_eq!(
        (status, saved["score"].clone()),
        (StatusCode::OK, Value::Null),
        "{saved}"
    );
    let incomplete = json!({ "answers": [{ "points": 4 }, { "points": null }] });
    let refused = app
        .post(&d.supervisor, &format!("{url}/submit"), incomplete)
        .await;
    assert_eq!(
        (refused.0, refused.1["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("answers[1].points"))
    );
    let refused = app
        .post(&d.supervisor, &format!("{url}/submit"), scoring(2, 1, ""))
        .await;
    assert_eq!(refused.1["field"], "answers[0].comment", "{}", refused.1);
    let (_, still) = app.get(&d.supervisor, &url).await;
    assert_eq!(
        (
            still["status"].as_str(),
            still["answers"][0]["points"].as_u64()
        ),
        (Some("draft"), Some(4))
    );

    // 60 × 2/5 + 40 = 64 %.
    let (status, sent) = app
        .post(
            &d.supervisor,
            &format!("{url}/submit"),
            scoring(2, 1, "语气生硬"),
        )
        .await;
    assert_eq!(
        (status, sent["status"].as_str(), sent["score"].as_f64()),
        (StatusCode::OK, Some("submitted"), Some(64.0)),
        "{sent}"
    );
    assert_error(
        &app.put(&d.supervisor, &url, scoring(5, 1, "")).await,
        StatusCode::CONFLICT,
        "wrong_status",
    );

    // The agent sees their score and the comments; nobody else's agent does.
    let (_, listed) = app.get(&d.agent, "/api/v1/agent/quality/reviews").await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["answers"][0]["comment"], "语气生硬");
    assert_eq!(listed[0]["comment"], "整体不错");
    assert_eq!(listed[0]["sections"][0]["items"][0]["label"], "礼貌用语");
    assert_eq!(
        app.get(&d.other_agent, "/api/v1/agent/quality/reviews")
            .await
            .1,
        json!([])
    );
    assert_error(
        &app.get(&d.other_agent, &mine).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_error(
        &app.post(&d.other_agent, &format!("{mine}/acknowledge"), json!({}))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_error(
        &app.get(&d.agent, &url).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );

    // Disputed with a reason, then resolved by a re-score.
    let refused = app
        .post(
            &d.agent,
            &format!("{mine}/dispute"),
            json!({ "reason": "  " }),
        )
        .await;
    assert_eq!(
        (refused.0, refused.1["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("reason"))
    );
    let (status, disputed) = app
        .post(
            &d.agent,
            &format!("{mine}/dispute"),
            json!({ "reason": "客户情绪激动" }),
        )
        .await;
    assert_eq!(
        (status, disputed["status"].as_str()),
        (StatusCode::OK, Some("disputed"))
    );
    assert_error(
        &app.post(&d.agent, &format!("{mine}/acknowledge"), json!({}))
            .await,
        StatusCode::CONFLICT,
        "wrong_status",
    );
    let (_, disputed_list) = app
        .get(&d.supervisor, "/api/v1/quality/reviews?status=disputed")
        .await;
    assert_eq!(disputed_list[0]["dispute_reason"], "客户情绪激动");
    let refused = app
        .post(
            &d.supervisor,
            &format!("{url}/resolve"),
            json!({ "resolution": "rescored", "note": "重听后改分" }),
        )
        .await;
    assert_eq!(refused.1["field"], "answers", "{}", refused.1);
    let mut rescore = scoring(4, 1, "");
    rescore["resolution"] = json!("rescored");
    rescore["note"] = json!("重听后改分");
    rescore.as_object_mut().unwrap().remove("comment");
    let (status, resolved) = app
        .post(&d.supervisor, &format!("{url}/resolve"), rescore)
        .await;
    assert_eq!(status, StatusCode::OK, "{resolved}");
    assert_eq!(
        (resolved["status"].as_str(), resolved["score"].as_f64()),
        (Some("resolved"), Some(88.0))
    );
    assert_eq!(
        (
            resolved["resolution"].as_str(),
            resolved["resolution_note"].as_str()
        ),
        (Some("rescored"), Some("重听后改分"))
    );

    // The second: failed on the critical item, acknowledged.
    let review2 = start(&app, &d.supervisor, &second, &card).await;
    let (_, failed) = app
        .post(
            &d.supervisor,
            &format!("/api/v1/quality/reviews/{review2}/submit"),
            scoring(5, 0, ""),
        )
        .await;
    assert_eq!(
        (
            failed["score"].as_f64(),
            failed["failed_critical"].as_bool()
        ),
        (Some(0.0), Some(true))
    );
    let (status, ack) = app
        .post(
            &d.agent,
            &format!("/api/v1/agent/quality/reviews/{review2}/acknowledge"),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, ack["status"].as_str()),
        (StatusCode::OK, Some("acknowledged"))
    );
}

async fn the_report_and_the_seeded_sample(app: TestApp) {
    let d = desk(&app).await;
    let card = new_card(&app, &d.admin, "通话质检").await;
    let mut contacts = Vec::new();
    for n in 0..4 {
        contacts.push(served_task(&app, &d.admin, &d.agent, &format!("任务 {n}")).await);
    }
    let (from, to) = around_today(&app);
    let draw = json!({ "from": from, "to": to, "per_agent": 2, "seed": 7 });
    let (status, sample) = app
        .post(&d.supervisor, "/api/v1/quality/samples", draw.clone())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sample}");
    let drawn: Vec<String> = sample["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["contact_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(drawn.len(), 2);
    assert!(drawn.iter().all(|c| contacts.contains(c)));
    let (_, again) = app
        .post(&d.supervisor, "/api/v1/quality/samples", draw)
        .await;
    assert_eq!(again["contacts"], sample["contacts"]);
    assert_eq!(
        app.get(&d.supervisor, "/api/v1/quality/samples")
            .await
            .1
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let refused = app
        .post(
            &d.supervisor,
            "/api/v1/quality/samples",
            json!({ "from": from, "to": to, "per_agent": 0 }),
        )
        .await;
    assert_eq!(refused.1["field"], "per_agent");

    for (contact, (polite, verified)) in contacts.iter().zip([(5, 1), (4, 1), (5, 0)]) {
        let r = start(&app, &d.supervisor, contact, &card).await;
        let why = if polite <= 2 { "差" } else { "" };
        let (status, body) = app
            .post(
                &d.supervisor,
                &format!("/api/v1/quality/reviews/{r}/submit"),
                scoring(polite, verified, why),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    // A draft does not count.
    start(&app, &d.supervisor, &contacts[3], &card).await;

    let (status, report) = app
        .get(
            &d.supervisor,
            &format!("/api/v1/quality/report?from={from}&to={to}&period=week&by=agent"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let rows = report["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{report}");
    // 100, 88 and 0 (critical failed): 62.67.
    assert_eq!(rows[0]["label"], "小红 Xiaohong");
    assert_eq!(
        (
            rows[0]["total"]["count"].as_u64(),
            rows[0]["total"]["average"].as_f64(),
            rows[0]["total"]["failed"].as_u64()
        ),
        (Some(3), Some(62.67), Some(1))
    );
    let points: u64 = rows[0]["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["count"].as_u64().unwrap())
        .sum();
    assert_eq!(points, 3);
    let (_, by_queue) = app
        .get(
            &d.supervisor,
            &format!("/api/v1/quality/report?from={from}&to={to}&period=month&by=queue"),
        )
        .await;
    assert_eq!(by_queue["rows"][0]["label"], "工单任务 Tasks");
    let (_, by_item) = app
        .get(
            &d.supervisor,
            &format!("/api/v1/quality/report?from={from}&to={to}&by=item"),
        )
        .await;
    let items: Vec<(String, f64, u64)> = by_item["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["key"].as_str().unwrap().to_owned(),
                r["total"]["average"].as_f64().unwrap(),
                r["total"]["failed"].as_u64().unwrap(),
            )
        })
        .collect();
    // 5, 4, 5 of 5: 93.33 %; yes, yes, no: 66.67 %.
    assert_eq!(
        items,
        vec![
            ("合规 / 身份核实".to_owned(), 66.67, 1),
            ("服务态度 / 礼貌用语".to_owned(), 93.33, 0)
        ]
    );

    // Inverted and over-a-year ranges are refused; agents may not read the report.
    let refused = app
        .get(
            &d.supervisor,
            &format!("/api/v1/quality/report?from={to}&to={from}"),
        )
        .await;
    assert_eq!(
        (refused.0, refused.1["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("to"))
    );
    let refused = app
        .get(
            &d.supervisor,
            "/api/v1/quality/report?from=2025-01-01&to=2026-06-01",
        )
        .await;
    assert_eq!(
        (refused.0, refused.1["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("to"))
    );
    let refused = app
        .get(
            &d.supervisor,
            &format!("/api/v1/quality/report?from={from}&to={to}&by=team"),
        )
        .await;
    assert_eq!(refused.1["field"], "by");
    assert_error(
        &app.get(
            &d.agent,
            &format!("/api/v1/quality/report?from={from}&to={to}"),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
}

async fn another_tenants_quality_records_are_not_found(app: TestApp) {
    let d = desk(&app).await;
    let card_id = new_card(&app, &d.admin, "通话质检").await;
    let contact = served_task(&app, &d.admin, &d.agent, "回访").await;
    let review = start(&app, &d.supervisor, &contact, &card_id).await;
    let beta = crate::isolation::second_tenant(&app).await;
    for path in [
        format!("/api/v1/quality/scorecards/{card_id}"),
        format!("/api/v1/quality/reviews/{review}"),
    ] {
        assert_error(
            &app.get(&beta, &path).await,
            StatusCode::NOT_FOUND,
            "not_found",
        );
    }
    assert_error(
        &app.put(
            &beta,
            &format!("/api/v1/quality/scorecards/{card_id}"),
            card("偷改", (50, 50)),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let beta_card = new_card(&app, &beta, "通话质检").await;
    // Reviewing the demo tenant's contact from beta: 404, nothing stored.
    assert_error(
        &app.post(
            &beta,
            "/api/v1/quality/reviews",
            json!({ "contact_id": contact, "scorecard_id": beta_card }),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_eq!(app.get(&beta, "/api/v1/quality/reviews").await.1, json!([]));
    let (from, to) = around_today(&app);
    assert_eq!(
        app.get(
            &beta,
            &format!("/api/v1/quality/contacts?from={from}&to={to}")
        )
        .await
        .1,
        json!([])
    );
    let (_, report) = app
        .get(
            &beta,
            &format!("/api/v1/quality/report?from={from}&to={to}"),
        )
        .await;
    assert_eq!(report["rows"], json!([]));
    let (_, title) = app
        .get(&d.admin, &format!("/api/v1/quality/scorecards/{card_id}"))
        .await;
    assert_eq!(title["sections"][0]["items"][0]["weight"], 60);
}

on_both!(
    scorecards_are_checked_and_versioned,
    a_review_goes_from_draft_to_resolved,
    the_report_and_the_seeded_sample,
    another_tenants_quality_records_are_not_found,
);
