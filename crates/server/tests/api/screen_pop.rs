//! The screen pop (V3) and the wrap-up summary's disposition codes (V11): a voice contact,
//! made as the SIP bridge makes it (the caller, the call record, the IVR path and variables
//! in its data), offered to an agent who then sees the caller's number, its location, the
//! name the records know and the latest 3 earlier contacts — and nobody else sees them.

use reqwest::StatusCode;
use serde_json::{json, Value};
use switchboard_engine::acd::{
    ContactOutcome, ContactStatus, CustomerPriority, Direction, NewContact,
};
use switchboard_engine::{Channel, ContactId, SkillQueueId, TenantId, TenantName, UserId};
use switchboard_server::engines::ContactMeta;
use switchboard_storage::{CustomerDetails, EngineBatch, StoredContact};
use uuid::Uuid;

use crate::isolation::second_tenant;
use crate::on_both;
use crate::support::{assert_error, TestApp, DEMO_PASSWORD};

const CALLER: &str = "+8613800138000";

struct Demo {
    tenant: TenantId,
    agent1: UserId,
    presales: SkillQueueId,
    chat: SkillQueueId,
}

async fn demo(app: &TestApp) -> Demo {
    let s = &app.store;
    let tenant = s
        .tenant_by_name(&TenantName::parse("demo").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let users = s.users(tenant).await.unwrap();
    let agent1 = users
        .iter()
        .find(|u| u.login.as_str() == "agent1")
        .unwrap()
        .id;
    let queues = s.skill_queues(tenant).await.unwrap();
    let queue = |start: &str| {
        queues
            .iter()
            .find(|q| q.spec.name.as_str().starts_with(start))
            .unwrap()
            .id
    };
    Demo {
        tenant,
        agent1,
        presales: queue("售前咨询"),
        chat: queue("在线客服"),
    }
}

/// An earlier, closed contact of some customer key.
fn past(
    d: &Demo,
    channel: Channel,
    customer: &str,
    at: i64,
    summary: &str,
    data: Value,
) -> StoredContact {
    StoredContact {
        id: ContactId::new(),
        channel,
        direction: Direction::Inbound,
        queue: if channel == Channel::Chat {
            d.chat
        } else {
            d.presales
        },
        priority: CustomerPriority::new(0).unwrap(),
        customer: Some(customer.into()),
        title: None,
        link: None,
        data: data.to_string(),
        state: ContactStatus::Closed,
        agent: Some(d.agent1),
        offer_expires_at: None,
        created_at: at,
        enqueued_at: at,
        closed_at: Some(at + 60_000),
        outcome: Some(ContactOutcome::Completed),
        summary: Some(summary.into()),
        solution: None,
        disposition: None,
        summary_saved: true,
        rating: None,
    }
}

/// A queued call's contact, made as `voice::bridge` makes it; returns its id.
async fn call_contact(app: &TestApp, d: &Demo, record: Uuid) -> String {
    call_from(app, d, record, CALLER).await
}

async fn call_from(app: &TestApp, d: &Demo, record: Uuid, caller: &str) -> String {
    let id = ContactId::new();
    let new = NewContact {
        id,
        channel: Channel::Voice,
        direction: Direction::Inbound,
        queue: d.presales,
        priority: CustomerPriority::new(0).unwrap(),
        customer: Some(caller.into()),
        familiar_agent: None,
    };
    let meta = ContactMeta {
        title: Some(caller.into()),
        link: None,
        data: json!({
            "caller": caller, "call_record": record.to_string(),
            "ivr_path": "主菜单 → 1 售前", "ivr_variables": { "order": "20261204" },
        })
        .to_string(),
    };
    let engine = app.state.engines.get(d.tenant).await.unwrap();
    engine.create_contact(new, meta).await.unwrap();
    id.to_string()
}

async fn the_agent_offered_a_call_sees_who_calls_and_nobody_else_does(app: TestApp) {
    let d = demo(&app).await;
    let now = app.clock.now_ms();
    // The records: a chat customer who gave this number (typed with spaces), two earlier
    // calls from it, an older one, and someone else's call.
    let customer = app
        .store
        .upsert_customer(
            d.tenant,
            "visitor:screen-pop-0001",
            false,
            &CustomerDetails {
                name: Some("王小明".into()),
                phone: Some("138 0013 8000".into()),
                email: None,
            },
            now,
        )
        .await
        .unwrap();
    let earlier_call = Uuid::now_v7();
    let batch = EngineBatch {
        new_contacts: vec![
            past(
                &d,
                Channel::Voice,
                CALLER,
                now - 400_000,
                "最早的来电",
                json!({}),
            ),
            past(
                &d,
                Channel::Voice,
                "+8613900139000",
                now - 50_000,
                "别人的来电",
                json!({}),
            ),
            past(
                &d,
                Channel::Voice,
                CALLER,
                now - 300_000,
                "查询订单",
                json!({ "call_record": earlier_call.to_string() }),
            ),
            past(
                &d,
                Channel::Chat,
                &customer.id.to_string(),
                now - 200_000,
                "咨询发票",
                json!({}),
            ),
            past(
                &d,
                Channel::Voice,
                CALLER,
                now - 100_000,
                "修改地址",
                json!({}),
            ),
        ],
        ..EngineBatch::default()
    };
    app.store
        .apply_engine_batch(d.tenant, &batch)
        .await
        .unwrap();

    let agent1 = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let agent2 = app.token("demo", "agent2", DEMO_PASSWORD).await;
    app.post(&agent1, "/api/v1/agent/sign-in", json!({})).await;
    let record = Uuid::now_v7();
    let id = call_contact(&app, &d, record).await;
    let (_, me) = app.get(&agent1, "/api/v1/agent").await;
    assert_eq!(me["contacts"][0]["state"], "offered", "{me}");
    let path = format!("/api/v1/contacts/{id}/caller");

    let (status, pop) = app.get(&agent1, &path).await;
    assert_eq!(status, StatusCode::OK, "{pop}");
    assert_eq!(pop["number"], CALLER);
    assert_eq!(pop["location"]["country"], "CN");
    assert_eq!(pop["location"]["zh"]["region"], "北京市");
    assert_eq!(pop["location"]["en"]["region"], "Beijing");
    assert_eq!(pop["location"]["zh"]["country"], "中国");
    assert_eq!(pop["name"], "王小明");
    assert_eq!(pop["name_source"], "chat_customer");
    assert_eq!(pop["ivr_path"], "主菜单 → 1 售前");
    assert_eq!(pop["ivr_variables"]["order"], "20261204");
    assert_eq!(pop["call_id"], record.to_string());
    let recent = pop["recent"].as_array().unwrap();
    let summaries: Vec<&str> = recent
        .iter()
        .map(|c| c["summary"].as_str().unwrap())
        .collect();
    assert_eq!(
        summaries,
        ["修改地址", "咨询发票", "查询订单"],
        "newest 3, any channel"
    );
    assert_eq!(recent[1]["channel"], "chat");
    assert_eq!(recent[2]["call_id"], earlier_call.to_string());
    assert_eq!(recent[0]["agent_name"], "小红 Xiaohong");
    assert!(recent[0]["queue_name"]
        .as_str()
        .unwrap()
        .starts_with("售前咨询"));

    // Not offered to them, another tenant, no agent.work: nothing is shown.
    assert_error(
        &app.get(&agent2, &path).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let supervisor = app.token("demo", "supervisor", DEMO_PASSWORD).await;
    assert_error(
        &app.get(&supervisor, &path).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let beta = second_tenant(&app).await;
    assert_error(
        &app.get(&beta, &path).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let admin = app.admin().await;
    let viewer = app.ready_user(&admin, "pop-viewer", &["supervisor"]).await;
    let (status, _) = app.get(&viewer, &path).await;
    assert!(
        matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{status}"
    );

    // Connected and in wrap-up the pop stays.
    app.post(&agent1, &format!("/api/v1/contacts/{id}/answer"), json!({}))
        .await;
    assert_eq!(app.get(&agent1, &path).await.0, StatusCode::OK);
    app.post(
        &agent1,
        &format!("/api/v1/contacts/{id}/release"),
        json!({}),
    )
    .await;
    let (status, pop) = app.get(&agent1, &path).await;
    assert_eq!(
        (status, pop["name"].as_str()),
        (StatusCode::OK, Some("王小明"))
    );
}

async fn a_disposition_is_picked_from_the_tenants_codes(app: TestApp) {
    let d = demo(&app).await;
    let admin = app.admin().await;
    let codes = "/api/v1/tenant/disposition-codes";
    let (status, list) = app.get(&admin, codes).await;
    assert_eq!(
        (status, list["codes"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(0))
    );
    let (status, list) = app
        .put(
            &admin,
            codes,
            json!({ "codes": [
                { "code": "resolved", "label": "已解决" },
                { "code": "callback", "label": "需回访" },
                { "code": "spam", "label": "骚扰电话" },
            ]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    // Bad lists change nothing: a code twice, a bad code, a stored code dropped.
    for bad in [
        json!({ "codes": [{ "code": "a", "label": "A" }, { "code": "a", "label": "B" }] }),
        json!({ "codes": [{ "code": "有空格 x", "label": "A" }] }),
        json!({ "codes": [{ "code": "resolved", "label": "已解决" }, { "code": "callback", "label": "需回访" }] }),
        json!({ "codes": [{ "code": "resolved", "label": "" }, { "code": "callback", "label": "x" }, { "code": "spam", "label": "x" }] }),
    ] {
        assert_error(
            &app.put(&admin, codes, bad).await,
            StatusCode::BAD_REQUEST,
            "invalid_field",
        );
    }
    // Rename and retire.
    let (status, list) = app
        .put(
            &admin,
            codes,
            json!({ "codes": [
                { "code": "resolved", "label": "已解决 Resolved" },
                { "code": "callback", "label": "需回访" },
                { "code": "spam", "label": "骚扰电话", "retired": true },
            ]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["codes"][0]["label"], "已解决 Resolved");
    assert_eq!(list["codes"][2]["retired"], true);
    let agent1 = app.token("demo", "agent1", DEMO_PASSWORD).await;
    assert_error(
        &app.put(&agent1, codes, json!({ "codes": [] })).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    assert_eq!(app.get(&agent1, codes).await.1, list);

    let mut params = app.get(&admin, "/api/v1/tenant/params").await.1;
    params["summary_required"] = json!(true);
    app.put(&admin, "/api/v1/tenant/params", params).await;
    app.post(&agent1, "/api/v1/agent/sign-in", json!({})).await;
    let record = Uuid::now_v7();
    let id = call_contact(&app, &d, record).await;
    app.post(&agent1, &format!("/api/v1/contacts/{id}/answer"), json!({}))
        .await;
    app.post(
        &agent1,
        &format!("/api/v1/contacts/{id}/release"),
        json!({}),
    )
    .await;
    let summary = format!("/api/v1/contacts/{id}/summary");
    // Required with the summary; one of the codes, not a retired one.
    for bad in [
        json!({ "text": "查询物流" }),
        json!({ "text": "查询物流", "disposition": "nonsense" }),
        json!({ "text": "查询物流", "disposition": "spam" }),
    ] {
        let got = app.put(&agent1, &summary, bad).await;
        assert_error(&got, StatusCode::BAD_REQUEST, "invalid_field");
        assert_eq!(got.1["field"], "disposition", "{}", got.1);
    }
    assert_error(
        &app.post(&agent1, "/api/v1/agent/continue", json!({})).await,
        StatusCode::CONFLICT,
        "summary_required",
    );
    let (status, saved) = app
        .put(
            &agent1,
            &summary,
            json!({ "text": "查询物流", "solution": "告知单号", "disposition": "resolved" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(
        (saved["summary"].as_str(), saved["solution"].as_str()),
        (Some("查询物流"), Some("告知单号"))
    );
    assert_eq!(saved["disposition"], "resolved");
    let (status, _) = app
        .post(
            &agent1,
            "/api/v1/agent/continue",
            json!({ "contact_id": id }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    // The call record shows the summary, and so does its export.
    let record_row = switchboard_storage::CallRecord {
        id: record,
        caller: CALLER.into(),
        dialled: "4000".into(),
        direction: switchboard_storage::CallDirection::Inbound,
        started_at: app.clock.now_ms() - 60_000,
        answered_at: None,
        ended_at: Some(app.clock.now_ms()),
        queue: Some(d.presales),
        queued_at: None,
        wait_ms: None,
        agent: Some(d.agent1),
        released_by: Some(switchboard_storage::CallReleasedBy::Caller),
        end_status: Some(200),
        contact: Some(ContactId(Uuid::parse_str(&id).unwrap())),
        recording: false,
        recording_ms: None,
        ivr_path: "主菜单 → 1 售前".into(),
        variables: Vec::new(),
        survey: None,
        survey_score: None,
        handoffs: Vec::new(),
    };
    app.store
        .save_call_record(d.tenant, &record_row)
        .await
        .unwrap();
    let (status, detail) = app.get(&agent1, &format!("/api/v1/calls/{record}")).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["summary"]["problem"], "查询物流");
    assert_eq!(detail["summary"]["solution"], "告知单号");
    assert_eq!(detail["summary"]["disposition_label"], "已解决 Resolved");
    let res = app
        .client
        .get(app.url("/api/v1/calls/export?format=csv"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    assert!(text.lines().next().unwrap().contains("处理结果"), "{text}");
    assert!(
        text.contains("告知单号") && text.contains("已解决 Resolved"),
        "{text}"
    );

    // Another tenant sees none of these codes.
    let beta = second_tenant(&app).await;
    assert_eq!(app.get(&beta, codes).await.1["codes"], json!([]));
}

/// Without a chat customer for the number, a ticket with that phone names the caller.
async fn a_ticket_names_a_caller_no_chat_customer_did(app: TestApp) {
    let d = demo(&app).await;
    let agent1 = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let (_, types) = app.get(&agent1, "/api/v1/ticket-types").await;
    let type_id = types[0]["id"].as_str().unwrap().to_owned();
    let (status, ticket) = app
        .post(&agent1, "/api/v1/tickets", json!({ "type_id": type_id, "fields": {
            "title": "退货咨询", "customer": "李女士", "phone": "021-61234567", "product": "phone",
        }}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{ticket}");
    app.post(&agent1, "/api/v1/agent/sign-in", json!({})).await;
    let id = call_from(&app, &d, Uuid::now_v7(), "+862161234567").await;
    let (status, pop) = app
        .get(&agent1, &format!("/api/v1/contacts/{id}/caller"))
        .await;
    assert_eq!(status, StatusCode::OK, "{pop}");
    assert_eq!(
        (pop["name"].as_str(), pop["name_source"].as_str()),
        (Some("李女士"), Some("ticket"))
    );
    assert_eq!(pop["location"]["zh"]["region"], "上海市");
    assert_eq!(pop["location"]["en"]["region"], "Shanghai");
    assert_eq!(pop["recent"], json!([]));
}

on_both!(
    a_ticket_names_a_caller_no_chat_customer_did,
    the_agent_offered_a_call_sees_who_calls_and_nobody_else_does,
    a_disposition_is_picked_from_the_tenants_codes,
);
