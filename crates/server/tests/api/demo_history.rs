//! The demo's history (`serve --demo --demo-history DAYS`): three days played through the real
//! routing engine into a fresh demo tenant. Each day has traffic in the queue report, every
//! visit ends one way, the agents talked and took breaks, nothing is left open or signed in,
//! calls have their records, callers and chat visitors are in the directory with their calls
//! and transcripts, the live engine starts clean on it, and playing again adds nothing.

use serde_json::Value;
use switchboard_engine::stats::DAY_MS;
use switchboard_engine::ticket::time::local_date;
use switchboard_engine::{TenantName, TenantZone};
use switchboard_server::demo::history;

use crate::on_both;
use crate::support::TestApp;

/// The tenant's local date `days` before the server's today (the demo is in Asia/Shanghai).
fn date(app: &TestApp, days: i64) -> String {
    let zone = TenantZone::parse("Asia/Shanghai").unwrap();
    local_date(app.clock.now_ms() - days * DAY_MS, &zone)
}

fn num(v: &Value, key: &str) -> i64 {
    v[key].as_i64().unwrap_or_else(|| panic!("no {key} in {v}"))
}

/// Each day has contacts, and each queue's visits that day ended exactly one way.
fn check_days(app: &TestApp, report: &Value) {
    let rows = report["rows"].as_array().unwrap();
    for d in 1..=3 {
        let day = date(app, d);
        let of_day: Vec<&Value> = rows
            .iter()
            .filter(|r| r["period"].as_str().unwrap().starts_with(&day))
            .collect();
        let offered: i64 = of_day.iter().map(|r| num(&r["figures"], "offered")).sum();
        assert!(offered > 0, "nothing offered on {day}: {report}");
        for r in of_day {
            let f = &r["figures"];
            let ended = num(f, "answered")
                + num(f, "abandoned")
                + num(f, "timed_out")
                + num(f, "overflowed_out");
            assert!(num(f, "answered") <= num(f, "offered"), "{r}");
            assert_eq!(ended, num(f, "offered"), "every visit ended one way: {r}");
        }
    }
}

async fn three_days_of_history_fill_the_reports_once(app: TestApp) {
    let store = app.store.as_ref();
    let tenant = store
        .tenant_by_name(&TenantName::parse("demo").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(!store.has_engine_events(tenant.id).await.unwrap());
    let now = app.clock.now_ms();
    assert_eq!(history::seed(&app.state, 0, now).await.unwrap(), None);
    assert!(history::seed(&app.state, history::MAX_DAYS + 1, now)
        .await
        .is_err());
    let played = history::seed(&app.state, 3, now).await.unwrap().unwrap();
    assert_eq!(played.days, 3);
    assert!(played.contacts > 100, "{played:?}");
    assert!(store.open_contacts(tenant.id).await.unwrap().is_empty());
    assert!(store.agent_sessions(tenant.id).await.unwrap().is_empty());

    let admin = app.admin().await;
    let (from, to) = (date(&app, 3), date(&app, 1));
    let queues = format!("/api/v1/reports/queues?from={from}&to={to}&interval=day");
    let (status, report) = app.get(&admin, &queues).await;
    assert_eq!(status, 200, "{report}");
    check_days(&app, &report);
    let total = num(&report["total"], "offered");
    assert!(num(&report["total"], "answered") > total / 2, "{report}");
    assert!(num(&report["total"], "abandoned") > 0, "{report}");

    let agents = format!("/api/v1/reports/agents?from={from}&to={to}&interval=total");
    let (status, by_agent) = app.get(&admin, &agents).await;
    assert_eq!(status, 200, "{by_agent}");
    let rows = by_agent["rows"].as_array().unwrap();
    let talked: Vec<&Value> = rows
        .iter()
        .filter(|r| num(&r["figures"], "talk_ms") > 0)
        .collect();
    assert_eq!(talked.len(), 3, "the three agents talked: {by_agent}");
    let lunch = talked.iter().any(|r| {
        r["figures"]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["reason"] == "lunch" && x["state"] == "rest")
    });
    assert!(lunch, "lunch breaks are counted: {by_agent}");

    // An agent's day has its states and contacts.
    let agent = talked[0]["agent_id"].as_str().unwrap();
    let path = format!("/api/v1/agents/{agent}/timeline?date={}", date(&app, 1));
    let (status, day) = app.get(&admin, &path).await;
    assert_eq!(status, 200, "{day}");
    assert!(!day["spans"].as_array().unwrap().is_empty(), "{day}");

    // The quality draw finds contacts served by each agent.
    let draw = serde_json::json!({ "from": from, "to": to, "per_agent": 2, "seed": 7 });
    let (status, sample) = app.post(&admin, "/api/v1/quality/samples", draw).await;
    assert_eq!(status, 201, "{sample}");
    let drawn = sample["contacts"].as_array().unwrap();
    assert!(drawn.len() >= 3, "{sample}");

    calls_and_customers(&app, &admin).await;

    // The live engine starts clean on it: nobody waiting, nobody signed in.
    let (status, board) = app.get(&admin, "/api/v1/supervisor/wallboard").await;
    assert_eq!(status, 200, "{board}");
    for q in board["queues"].as_array().unwrap() {
        assert_eq!(q["waiting"], 0, "{q}");
    }
    assert!(board["reasons"].as_array().unwrap().is_empty(), "{board}");
    let a = &board["agents"];
    let signed_in: i64 = ["idle", "talking", "wrap_up", "busy", "rest"]
        .iter()
        .map(|s| num(a, s))
        .sum();
    assert_eq!(signed_in, 0, "{board}");

    // A restart plays nothing again: the engine has events now.
    let later = app.clock.now_ms();
    assert_eq!(history::seed(&app.state, 3, later).await.unwrap(), None);
    assert_eq!(app.get(&admin, &queues).await.1, report);
}

/// Every history call has its record (answered ones an agent, given-up ones none, none
/// recorded); a caller's profile lists their calls; a visitor's chat has a transcript in
/// which customer and agent both speak.
async fn calls_and_customers(app: &TestApp, admin: &str) {
    let (status, calls) = app.get(admin, "/api/v1/calls?limit=200").await;
    assert_eq!(status, 200, "{calls}");
    let calls = calls["items"].as_array().unwrap();
    assert!(calls.len() > 20, "three days of calls: {}", calls.len());
    for c in calls {
        assert!(
            c["contact_id"].is_string() && !c["queue_id"].is_null(),
            "{c}"
        );
        assert_eq!(c["recording"], false, "{c}");
        let answered = !c["answered_at"].is_null();
        assert_eq!(answered, !c["agent_id"].is_null(), "{c}");
        assert_eq!(c["end_status"], if answered { 200 } else { 487 }, "{c}");
        assert!(num(c, "wait_ms") >= 0, "{c}");
    }
    let caller = calls[0]["caller"].as_str().unwrap();
    let found = app
        .get(admin, &format!("/api/v1/customers?q={}", &caller[3..]))
        .await
        .1;
    let customer = found["items"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{found}"));
    let trail = app
        .get(admin, &format!("/api/v1/customers/{customer}/trail"))
        .await
        .1;
    let entries = trail["items"].as_array().unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e["kind"] == "call" && e["contact_id"] == calls[0]["contact_id"]),
        "{trail}"
    );

    // A chat visitor: the demo's first visitors gave a caller's number (to merge), the others not.
    let (status, found) = app.get(admin, "/api/v1/customers?q=王女士").await;
    assert_eq!(status, 200, "{found}");
    let mut transcripts = 0;
    for v in found["items"].as_array().unwrap() {
        let id = v["id"].as_str().unwrap();
        let trail = app
            .get(admin, &format!("/api/v1/customers/{id}/trail"))
            .await
            .1;
        for chat in trail["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "chat" && e["state"] == "closed")
        {
            let path = format!(
                "/api/v1/customers/{id}/chats/{}",
                chat["contact_id"].as_str().unwrap()
            );
            let (status, lines) = app.get(admin, &path).await;
            assert_eq!(status, 200, "{lines}");
            let lines = lines.as_array().unwrap();
            assert_eq!(
                lines[0]["sender"], "customer",
                "the question first: {lines:?}"
            );
            assert_eq!(lines[0]["body"], chat["title"], "{lines:?}");
            let agent_spoke = lines
                .iter()
                .any(|l| l["sender"] == "agent" && !l["agent_id"].is_null());
            transcripts += usize::from(agent_spoke);
        }
    }
    assert!(
        transcripts > 0,
        "a chat an agent answered has the agent's lines: {found}"
    );
}

on_both!(three_days_of_history_fill_the_reports_once);
