//! Running the center through the API (issue #16): two tasks waited, answered (one within
//! the queue's 20 s target, one not), worked and wrapped up while the clock moved; then the
//! queue and agent reports, their 15-minute rows and spreadsheet, the live wallboard and the
//! wallboard as of earlier moments, the agent's day and the contact's life all say so.
//! Bad ranges and targets are refused and change nothing.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::on_both;
use crate::support::{assert_error, TestApp, DEMO_PASSWORD};

async fn id_of(app: &TestApp, token: &str, path: &str, key: &str, value: &str) -> String {
    let (_, list) = app.get(token, path).await;
    list.as_array()
        .unwrap()
        .iter()
        .find(|x| x[key].as_str().unwrap().contains(value))
        .unwrap_or_else(|| panic!("no {value} in {list}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn secs(app: &TestApp, s: u64) {
    app.clock.advance(Duration::from_secs(s));
}

/// The tenant's local date of the server's clock (the demo tenant is in Asia/Shanghai).
fn today(app: &TestApp) -> String {
    let zone = switchboard_engine::TenantZone::parse("Asia/Shanghai").unwrap();
    switchboard_engine::ticket::time::local_date(app.clock.now_ms(), &zone)
}

async fn task(app: &TestApp, admin: &str, queue: &str, title: &str) -> String {
    let (status, c) = app
        .post(
            admin,
            "/api/v1/contacts",
            json!({ "queue_id": queue, "title": title }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    c["id"].as_str().unwrap().to_owned()
}

/// Answers after `wait_s`, works `talk_s`, wraps up `wrap_s`.
async fn serve(app: &TestApp, agent: &str, id: &str, wait_s: u64, talk_s: u64, wrap_s: u64) {
    secs(app, wait_s);
    let answered = app
        .post(agent, &format!("/api/v1/contacts/{id}/answer"), json!({}))
        .await;
    assert_eq!(answered.0, StatusCode::OK, "{}", answered.1);
    secs(app, talk_s);
    let released = app
        .post(agent, &format!("/api/v1/contacts/{id}/release"), json!({}))
        .await;
    assert_eq!(released.1["state"], "wrap_up");
    secs(app, wrap_s);
    let (status, me) = app
        .post(agent, "/api/v1/agent/continue", json!({ "contact_id": id }))
        .await;
    assert_eq!(status, StatusCode::OK, "{me}");
}

/// A duration measured on the server's clock, which runs on with real time between the
/// test's steps: at least what the test's steps add up to, and less than 5 s more.
fn near(got: &Value, expected: i64) {
    let v = got
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {got}"));
    assert!(
        (expected as f64..expected as f64 + 5_000.0).contains(&v),
        "{v} is not {expected} (+ the test's own time)"
    );
}

fn queue_in<'a>(report: &'a Value, list: &str, queue: &str) -> &'a Value {
    report[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["queue_id"] == queue)
        .unwrap_or_else(|| panic!("{queue} not in {report}"))
}

async fn reports_wallboards_and_timelines_tell_what_happened(app: TestApp) {
    let admin = app.admin().await;
    let queue = id_of(&app, &admin, "/api/v1/queues", "name", "Tasks").await;
    let agent1_id = id_of(&app, &admin, "/api/v1/users", "login", "agent1").await;
    // Targets: 80 % in 20 s; a contradictory colour is refused and changes nothing.
    let path = format!("/api/v1/queues/{queue}/targets");
    let (_, defaults) = app.get(&admin, &path).await;
    assert_eq!(
        (
            defaults["answer_within_s"].as_u64(),
            defaults["service_level_goal"].as_u64()
        ),
        (Some(20), Some(80))
    );
    let mut targets = defaults.clone();
    targets["waiting"] = json!({ "warn": 5, "alarm": 3 });
    let bad = app.put(&admin, &path, targets.clone()).await;
    assert_eq!(bad.1["field"], "waiting.alarm", "{}", bad.1);
    assert_eq!(app.get(&admin, &path).await.1, defaults);
    targets["waiting"] = json!({ "warn": 3, "alarm": 5 });
    targets["short_abandon_s"] = json!(8);
    assert_eq!(
        app.put(&admin, &path, targets.clone()).await.0,
        StatusCode::OK
    );
    assert_eq!(app.get(&admin, &path).await.1, targets);

    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    app.post(&agent, "/api/v1/agent/sign-in", json!({})).await;
    secs(&app, 5);
    let first = task(&app, &admin, &queue, "回访 A").await;
    serve(&app, &agent, &first, 12, 30, 10).await;
    let between = app.clock.now_ms();
    // Tighter targets from here on: the first task stays answered in time (12 s of 20), on
    // the live wallboard and on one rebuilt later.
    secs(&app, 1);
    targets["answer_within_s"] = json!(10);
    assert_eq!(
        app.put(&admin, &path, targets.clone()).await.0,
        StatusCode::OK
    );
    // Busy for training: the second task waits 25 s, then is answered out of target.
    app.post(
        &agent,
        "/api/v1/agent/state",
        json!({ "state": "busy", "reason": "培训" }),
    )
    .await;
    let second = task(&app, &admin, &queue, "回访 B").await;
    secs(&app, 25);
    let waiting_moment = app.clock.now_ms();
    app.post(&agent, "/api/v1/agent/state", json!({ "state": "idle" }))
        .await;
    serve(&app, &agent, &second, 0, 20, 5).await;

    let day = today(&app);
    let q = format!("/api/v1/reports/queues?from={day}&to={day}&interval=total");
    let (status, report) = app.get(&admin, &q).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let t = &queue_in(&report, "rows", &queue)["figures"];
    assert_eq!(
        (
            t["offered"].as_i64(),
            t["answered"].as_i64(),
            t["answered_in_target"].as_i64()
        ),
        (Some(2), Some(2), Some(1))
    );
    assert_eq!(t["service_level"].as_f64(), Some(0.5));
    near(&t["asa_ms"], 18_500);
    assert_eq!(t["handled"], 2);
    near(&t["talk_ms"], 50_000);
    near(&t["wrap_ms"], 15_000);
    near(&t["aht_ms"], 32_500);
    assert_eq!(report["total"]["offered"], 2);

    // 15-minute rows add up to the total.
    let (_, quarters) = app
        .get(
            &admin,
            &format!("/api/v1/reports/queues?from={day}&to={day}&interval=15"),
        )
        .await;
    let rows: Vec<&Value> = quarters["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["queue_id"] == queue)
        .collect();
    assert!(!rows.is_empty());
    let sum: i64 = rows
        .iter()
        .map(|r| r["figures"]["offered"].as_i64().unwrap())
        .sum();
    assert_eq!(sum, 2);
    assert!(rows
        .iter()
        .all(|r| r["period"].as_str().unwrap().starts_with(&day)));
    assert_eq!(
        queue_in(&quarters, "totals", &queue)["figures"]["answered"],
        2
    );
    // By month: this month's row, cut to the range, holds the same.
    let (_, months) = app
        .get(
            &admin,
            &format!("/api/v1/reports/queues?from={day}&to={day}&interval=month"),
        )
        .await;
    let m = queue_in(&months, "rows", &queue);
    assert_eq!(m["period"], day[..7], "{m}");
    assert_eq!(m["figures"]["offered"], 2);
    assert_eq!(m["figures"]["service_level"], 0.5);

    let (_, agents) = app
        .get(
            &admin,
            &format!("/api/v1/reports/agents?from={day}&to={day}&interval=total&ids={agent1_id}"),
        )
        .await;
    let a = &agents["rows"][0]["figures"];
    assert_eq!(
        (a["answered"].as_i64(), a["handled"].as_i64()),
        (Some(2), Some(2))
    );
    near(&a["talk_ms"], 50_000);
    near(&a["talking_ms"], 50_000);
    near(&a["wrap_up_ms"], 15_000);
    let training = a["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["reason"] == "培训")
        .unwrap();
    assert_eq!(training["state"], "busy");
    near(&training["ms"], 25_000);
    assert!(a["occupancy"].as_f64().unwrap() > 0.0);

    // The spreadsheet holds the same figures.
    let csv = app
        .client
        .get(app.url(&format!(
            "/api/v1/reports/queues/export?from={day}&to={day}&interval=total&format=csv&lang=en"
        )))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    let text = csv.text().await.unwrap();
    assert!(text.contains("Service level (%)"), "{text}");
    let line = text.lines().find(|l| l.contains("Tasks")).unwrap();
    assert!(
        line.starts_with("total,") && line.contains(",2,2,1,50.0,18."),
        "{line}"
    );
    let xlsx = app
        .client
        .get(app.url(&format!(
            "/api/v1/reports/agents/export?from={day}&to={day}"
        )))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));

    // The live wallboard, and the same rebuilt as of now and as of earlier moments (read to
    // the second: the last events are a few seconds old).
    secs(&app, 2);
    let (status, live) = app.get(&admin, "/api/v1/supervisor/wallboard").await;
    assert_eq!(status, StatusCode::OK, "{live}");
    let lq = queue_in(&live, "queues", &queue);
    assert_eq!(
        (
            lq["today"]["offered"].as_i64(),
            lq["window"]["answered"].as_i64()
        ),
        (Some(2), Some(2))
    );
    assert_eq!(lq["targets"]["waiting"], json!({ "warn": 3, "alarm": 5 }));
    assert_eq!(lq["targets"]["answer_within_s"], 10);
    assert_eq!(lq["today"]["answered_in_target"], 1, "{lq}");
    let at = |ms: i64| switchboard_server::api::wire::rfc3339(ms).replace('+', "%2B");
    let (_, now) = app
        .get(
            &admin,
            &format!("/api/v1/reports/wallboard?at={}", at(app.clock.now_ms())),
        )
        .await;
    assert_eq!(
        queue_in(&now, "queues", &queue)["today"],
        lq["today"],
        "as of now = live"
    );
    assert_eq!(now["agents"], live["agents"]);
    let (_, then) = app
        .get(
            &admin,
            &format!("/api/v1/reports/wallboard?at={}", at(between)),
        )
        .await;
    let tq = queue_in(&then, "queues", &queue);
    assert_eq!(
        (tq["today"]["offered"].as_i64(), tq["waiting"].as_i64()),
        (Some(1), Some(0))
    );
    assert_eq!(tq["targets"]["answer_within_s"], 20, "the targets of then");
    let (_, waiting) = app
        .get(
            &admin,
            &format!("/api/v1/reports/wallboard?at={}", at(waiting_moment)),
        )
        .await;
    let wq = queue_in(&waiting, "queues", &queue);
    assert_eq!(wq["waiting"], 1, "{wq}");
    assert_eq!(waiting["agents"]["busy"], 1);
    assert_eq!(waiting["reasons"][0]["reason"], "培训");

    // Agent1's day, as a supervisor and as agent1 sees it (idle for a moment after each
    // wrap-up, until the next step).
    let (_, day_strip) = app
        .get(
            &admin,
            &format!("/api/v1/agents/{agent1_id}/timeline?date={day}"),
        )
        .await;
    let states: Vec<&str> = day_strip["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["state"].as_str().unwrap())
        .collect();
    assert_eq!(
        states,
        ["idle", "talking", "wrap_up", "idle", "busy", "idle", "talking", "wrap_up", "idle"],
        "{day_strip}"
    );
    assert_eq!(day_strip["contacts"].as_array().unwrap().len(), 2);
    let (_, mine) = app.get(&agent, "/api/v1/agent/timeline").await;
    // The same strip; today's last stretch runs to the moment asked.
    let strip = |v: &Value| {
        let mut spans = v["spans"].as_array().unwrap().clone();
        spans.last_mut().unwrap()["to"] = Value::Null;
        spans
    };
    assert_eq!(strip(&mine), strip(&day_strip));
    // A contact's life.
    let (_, life) = app
        .get(&admin, &format!("/api/v1/contacts/{second}/life"))
        .await;
    let kinds: Vec<&str> = life["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "contact.created",
            "contact.queued",
            "contact.offered",
            "contact.connected",
            "contact.wrap_up",
            "contact.closed"
        ]
    );
    assert_eq!(
        life["steps"][2]["agent_name"], "小红 Xiaohong",
        "offered to agent1"
    );
    assert_eq!(
        app.get(&agent, &format!("/api/v1/contacts/{second}/life"))
            .await
            .0,
        StatusCode::OK
    );

    // Refusals.
    for (query, field) in [
        (format!("from={day}&to=2020-01-01"), "to"),
        (format!("from={day}&to={day}&interval=7"), "interval"),
        (format!("from=2020-01-01&to={day}"), "to"),
        (format!("from=yesterday&to={day}"), "from"),
    ] {
        let got = app
            .get(&admin, &format!("/api/v1/reports/queues?{query}"))
            .await;
        assert_eq!(
            (got.0, got.1["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some(field)),
            "{query}: {}",
            got.1
        );
    }
    let future = app
        .get(
            &admin,
            &format!(
                "/api/v1/reports/wallboard?at={}",
                at(app.clock.now_ms() + 60_000)
            ),
        )
        .await;
    assert_eq!(future.1["field"], "at");
    assert_error(
        &app.get(&agent, &q).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    assert_error(
        &app.get(&agent, "/api/v1/supervisor/wallboard").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
}

on_both!(reports_wallboards_and_timelines_tell_what_happened);
