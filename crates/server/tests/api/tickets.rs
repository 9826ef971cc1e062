//! The ticket center: configuration, creating from a contact with pre-filled data, tabs,
//! transfer and claim (one winner), stale edits, the workflow, the trail, search, rules,
//! reminders over the WebSocket, export, and bad input.

use std::time::Duration;

use futures_util::StreamExt;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::on_both;
use crate::support::{assert_error, TestApp, DEMO_PASSWORD};

struct Demo {
    type_id: String,
    template_id: String,
    after_sales: String,
    tasks: String,
}

async fn demo(app: &TestApp, token: &str) -> Demo {
    let (_, types) = app.get(token, "/api/v1/ticket-types").await;
    let t = &types[0];
    assert_eq!(t["name"], "售后工单 After-sales ticket");
    let type_id = t["id"].as_str().unwrap().to_owned();
    let (_, templates) = app
        .get(
            token,
            &format!("/api/v1/ticket-templates?type_id={type_id}"),
        )
        .await;
    let (_, queues) = app.get(&app.admin().await, "/api/v1/queues").await;
    let queue = |prefix: &str| {
        queues
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["name"].as_str().unwrap().starts_with(prefix))
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    Demo {
        type_id,
        template_id: templates[0]["id"].as_str().unwrap().to_owned(),
        after_sales: queue("售后服务"),
        tasks: queue("工单任务"),
    }
}

async fn user_id(app: &TestApp, login: &str) -> String {
    let (_, users) = app.get(&app.admin().await, "/api/v1/users").await;
    users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["login"] == login)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn create(app: &TestApp, token: &str, d: &Demo, fields: Value) -> (StatusCode, Value) {
    app.post(
        token,
        "/api/v1/tickets",
        json!({ "type_id": d.type_id, "template_id": d.template_id, "fields": fields }),
    )
    .await
}

async fn admins_define_types_and_bad_definitions_are_refused(app: TestApp) {
    let admin = app.admin().await;
    let (status, t) = app
        .post(
            &admin,
            "/api/v1/ticket-types",
            json!({ "name": "投诉单 Complaint", "fields": null }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    assert_eq!(t["workflow"]["initial"], "new", "the default workflow");
    let mut fields = t["fields"].as_array().unwrap().clone();
    fields.push(json!({ "code": "region", "label": "地区", "type": "cascade", "required": true,
        "options": [{ "value": "gd", "label": "广东", "children": [{ "value": "sz", "label": "深圳" }] }] }));
    let mut workflow = t["workflow"].clone();
    workflow["actions"].as_array_mut().unwrap().push(json!({
        "code": "tier2", "label": "升级二线", "from": ["processing"], "to": "new", "requires_note": true
    }));
    let id = t["id"].as_str().unwrap();
    let path = format!("/api/v1/ticket-types/{id}");
    let body = |version: i64, fields: &Vec<Value>, workflow: &Value| json!({ "name": "投诉单 Complaint", "version": version, "fields": fields, "workflow": workflow });
    let (status, saved) = app.put(&admin, &path, body(1, &fields, &workflow)).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"], 2);
    assert_error(
        &app.put(&admin, &path, body(1, &fields, &workflow)).await,
        StatusCode::CONFLICT,
        "stale",
    );

    let mut bad = fields.clone();
    bad.push(json!({ "code": "color", "label": "颜色", "type": "single_select" }));
    let refused = app.put(&admin, &path, body(2, &bad, &workflow)).await;
    assert_eq!(
        (refused.0, refused.1["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("color"))
    );
    let mut bad = fields.clone();
    bad.push(json!({ "code": "x", "label": "X", "type": "colour" }));
    assert_eq!(
        app.put(&admin, &path, body(2, &bad, &workflow)).await.0,
        StatusCode::BAD_REQUEST
    );
    let mut broken = workflow.clone();
    broken["actions"][0]["to"] = json!("nowhere");
    assert_eq!(
        app.put(&admin, &path, body(2, &fields, &broken)).await.0,
        StatusCode::BAD_REQUEST
    );
    let without_title: Vec<Value> = fields
        .iter()
        .filter(|f| f["code"] != "title")
        .cloned()
        .collect();
    let refused = app
        .put(&admin, &path, body(2, &without_title, &workflow))
        .await;
    assert_eq!(refused.1["field"], "title", "system fields stay");

    let (status, template) = app
        .post(
            &admin,
            "/api/v1/ticket-templates",
            json!({ "type_id": id, "name": "简版",
            "fields": [{ "code": "title" }, { "code": "region", "width": "half" }] }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{template}");
    let unknown = app
        .post(
            &admin,
            "/api/v1/ticket-templates",
            json!({ "type_id": id, "name": "坏",
            "fields": [{ "code": "title" }, { "code": "nope" }] }),
        )
        .await;
    assert_eq!(unknown.0, StatusCode::BAD_REQUEST);

    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    assert_eq!(
        app.post(&agent, "/api/v1/ticket-types", json!({ "name": "x" }))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let created = app
        .post(
            &agent,
            "/api/v1/tickets",
            json!({ "type_id": id, "fields": { "title": "投诉", "region": "广东/深圳" } }),
        )
        .await;
    assert_eq!(created.0, StatusCode::CREATED, "{}", created.1);
    assert_eq!(created.1["fields"]["region"], json!(["gd", "sz"]));
    let missing = app
        .post(
            &agent,
            "/api/v1/tickets",
            json!({ "type_id": id, "fields": { "title": "投诉" } }),
        )
        .await;
    assert_eq!(
        (missing.0, missing.1["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("region"))
    );
    assert_eq!(
        app.delete(&admin, &path).await.1["code"],
        "in_use",
        "a type with tickets stays"
    );
}

async fn a_ticket_from_a_contact_is_prefilled_transferred_claimed_and_completed(app: TestApp) {
    let admin = app.admin().await;
    let agent1 = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let d = demo(&app, &agent1).await;
    // A task contact whose custom data carries the address collected in the IVR.
    let (status, contact) = app
        .post(
            &admin,
            "/api/v1/contacts",
            json!({ "queue_id": d.tasks, "title": "耳机退货",
            "customer": "13800138000", "data": { "address": "深圳市南山区科技园", "ivr": "1-2" } }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{contact}");
    let contact_id = contact["id"].as_str().unwrap();
    app.post(&agent1, "/api/v1/agent/sign-in", json!({})).await;
    app.post(
        &agent1,
        &format!("/api/v1/contacts/{contact_id}/answer"),
        json!({}),
    )
    .await;
    let (status, prefill) = app
        .get(
            &agent1,
            &format!(
                "/api/v1/tickets/prefill?contact_id={contact_id}&type_id={}",
                d.type_id
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{prefill}");
    assert_eq!(prefill["fields"]["address"], "深圳市南山区科技园");
    assert_eq!(prefill["fields"]["title"], "耳机退货");
    assert!(
        prefill["fields"].get("ivr").is_none(),
        "only fields of the type"
    );

    let mut fields = prefill["fields"].clone();
    fields["product"] = json!("耳机 Earbuds");
    let (status, t) = app
        .post(
            &agent1,
            "/api/v1/tickets",
            json!({ "type_id": d.type_id, "contact_id": contact_id, "fields": fields }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    assert_eq!(
        (t["fields"]["product"].as_str(), t["assignee_id"].as_str()),
        (Some("earbuds"), Some(&*user_id(&app, "agent1").await))
    );
    assert_eq!(t["contact_ids"][0], contact_id);
    assert_eq!(t["number"], "T000001");
    let id = t["id"].as_str().unwrap().to_owned();
    let path = |rest: &str| format!("/api/v1/tickets/{id}{rest}");

    assert_error(
        &app.post(
            &agent1,
            &path("/transfer"),
            json!({ "group_id": d.after_sales, "note": " " }),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_field",
    );
    let (status, moved) = app
        .post(
            &agent1,
            &path("/transfer"),
            json!({ "group_id": d.after_sales, "note": "需要售后上门取件" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["assignee_id"], Value::Null);

    let agent2 = app.token("demo", "agent2", DEMO_PASSWORD).await;
    let agent3 = app.token("demo", "agent3", DEMO_PASSWORD).await;
    let (_, counts) = app.get(&agent2, "/api/v1/tickets/counts").await;
    assert_eq!(counts["unassigned"], 1, "{counts}");
    assert!(counts.get("all").is_none(), "agents have no 'all' tab");
    let (_, mine) = app.get(&agent1, "/api/v1/tickets?tab=transferred").await;
    assert_eq!(mine["items"][0]["id"], id.as_str());
    // agent2 and agent3 are both in the after-sales group: they claim at once.
    let claim = path("/claim");
    let (a, b) = tokio::join!(
        app.post(&agent2, &claim, json!({})),
        app.post(&agent3, &claim, json!({}))
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "{} / {}",
        a.1,
        b.1
    );
    let (winner, loser, late) = if a.0 == StatusCode::OK {
        (&agent2, &b, &agent3)
    } else {
        (&agent3, &a, &agent2)
    };
    assert_eq!(loser.1["code"], "already_claimed");
    assert_error(
        &app.post(late, &claim, json!({})).await,
        StatusCode::CONFLICT,
        "already_claimed",
    );

    let (_, t) = app.get(winner, &path("")).await;
    let version = t["version"].as_i64().unwrap();
    let edit = |v: i64, order: &str| json!({ "version": v, "fields": { "order_no": order } });
    assert_eq!(
        app.patch(winner, &path(""), edit(version, "A-778")).await.0,
        StatusCode::OK
    );
    assert_error(
        &app.patch(winner, &path(""), edit(version, "B-1")).await,
        StatusCode::CONFLICT,
        "stale",
    );
    assert_error(
        &app.post(winner, &path("/actions/wait"), json!({})).await,
        StatusCode::CONFLICT,
        "transition_forbidden",
    );
    let escalate = app
        .post(winner, &path("/actions/escalate"), json!({}))
        .await;
    assert_eq!(escalate.1["field"], "note", "escalating needs a note");
    assert_eq!(
        app.post(winner, &path("/actions/start"), json!({})).await.0,
        StatusCode::OK
    );
    let (status, done) = app
        .post(
            winner,
            &path("/actions/complete"),
            json!({ "note": "已换新" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(
        (done["status"].as_str(), done["status_category"].as_str()),
        (Some("done"), Some("closed"))
    );
    let (_, completed) = app.get(winner, "/api/v1/tickets?tab=completed").await;
    assert_eq!(completed["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        app.post(winner, &path("/reopen"), json!({ "note": "x" }))
            .await
            .0,
        StatusCode::CONFLICT,
        "agents may not reopen"
    );
    let supervisor = app.token("demo", "supervisor", DEMO_PASSWORD).await;
    let (status, reopened) = app
        .post(
            &supervisor,
            &path("/reopen"),
            json!({ "note": "客户反馈仍有问题" }),
        )
        .await;
    assert_eq!(
        (status, reopened["status"].as_str()),
        (StatusCode::OK, Some("new"))
    );

    let (_, trail) = app.get(&supervisor, &path("/trail")).await;
    let actions: Vec<&str> = trail
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "created",
            "contact_linked",
            "transferred",
            "claimed",
            "edited",
            "status",
            "status",
            "reopened"
        ]
    );
    assert_eq!(trail[2]["detail"]["note"], "需要售后上门取件");
    assert_eq!(trail[4]["detail"]["changes"][0]["to"], "A-778");

    let other = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let (_, row) = app.get(&other, "/api/v1/tickets?tab=created&q=T1").await;
    assert_eq!(
        row["items"][0]["number"], "T000001",
        "quick search by number"
    );
}

async fn search_rules_reminders_and_export(app: TestApp) {
    let admin = app.admin().await;
    let agent1 = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let d = demo(&app, &agent1).await;
    // A rule: urgent tickets go to the after-sales group and its members are told.
    let (_, t) = app
        .get(&admin, &format!("/api/v1/ticket-types/{}", d.type_id))
        .await;
    let rules = json!([{ "name": "紧急转售后", "trigger": "created",
        "conditions": [{ "field": "priority", "op": "eq", "value": "urgent" }],
        "actions": [{ "type": "assign_group", "group_id": d.after_sales }, { "type": "notify", "to": "group" }] }]);
    let (status, saved) = app
        .put(
            &admin,
            &format!("/api/v1/ticket-types/{}", d.type_id),
            json!({ "name": t["name"], "version": t["version"], "rules": rules }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");

    let ws_url = |token: &str| format!("ws://{}/api/v1/ws?token={token}", app.addr);
    let agent2 = app.token("demo", "agent2", DEMO_PASSWORD).await;
    let (mut agent2_ws, _) = tokio_tungstenite::connect_async(ws_url(&agent2))
        .await
        .unwrap();
    let (status, urgent) = create(
        &app,
        &agent1,
        &d,
        json!({ "title": "屏幕碎裂需要紧急维修", "priority": "urgent",
        "description": "客户说手机从桌上掉落" }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{urgent}");
    assert_eq!(
        (urgent["group_id"].as_str(), &urgent["assignee_id"]),
        (Some(d.after_sales.as_str()), &Value::Null)
    );
    let notice = next_event(&mut agent2_ws, "ticket.notice").await;
    assert_eq!(notice["rule"], "紧急转售后");
    create(
        &app,
        &agent1,
        &d,
        json!({ "title": "发票抬头修改", "description": "需要重开发票", "product": "watch", "order_no": "SO-1,2" }),
    )
    .await;

    let search = |q: &str| {
        let (app, agent1) = (&app, &agent1);
        let q = q.to_owned();
        async move {
            let (status, page) = app
                .get(agent1, &format!("/api/v1/tickets?tab=created&{q}"))
                .await;
            assert_eq!(status, StatusCode::OK, "{page}");
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["title"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(search("text=维修").await, ["屏幕碎裂需要紧急维修"]);
    assert_eq!(
        search("text=掉落").await,
        ["屏幕碎裂需要紧急维修"],
        "descriptions are searched"
    );
    assert_eq!(search("text=发票").await, ["发票抬头修改"]);
    assert_eq!(search("f.priority=urgent").await, ["屏幕碎裂需要紧急维修"]);
    assert_eq!(search("priority=normal").await, ["发票抬头修改"]);
    let id = urgent["id"].as_str().unwrap();
    let (status, _) = app
        .post(
            &agent1,
            &format!("/api/v1/tickets/{id}/notes"),
            json!({ "text": "已联系顺丰取件" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        search("text=顺丰").await,
        ["屏幕碎裂需要紧急维修"],
        "notes are searched"
    );
    assert_eq!(
        app.get(&agent1, "/api/v1/tickets?tab=all").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&agent1, "/api/v1/tickets?tab=created&f.bad-code=1")
            .await
            .0,
        StatusCode::BAD_REQUEST
    );

    let (mut agent1_ws, _) = tokio_tungstenite::connect_async(ws_url(&agent1))
        .await
        .unwrap();
    next_event(&mut agent1_ws, "hello").await;
    let at = rfc3339_at(app.clock.now_ms() + 3_600_000);
    let (status, reminder) = app
        .post(
            &agent1,
            &format!("/api/v1/tickets/{id}/reminders"),
            json!({ "at": at, "note": "回电客户" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{reminder}");
    app.clock.advance(Duration::from_secs(3600));
    let fired = next_event(&mut agent1_ws, "ticket.reminder").await;
    assert_eq!(
        (fired["ticket_id"].as_str(), fired["note"].as_str()),
        (Some(id), Some("回电客户"))
    );
    assert_error(
        &app.post(
            &agent1,
            &format!("/api/v1/tickets/{id}/reminders"),
            json!({ "at": "2000-01-01T00:00:00Z" }),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_field",
    );
    assert_eq!(
        app.put(
            &agent1,
            &format!("/api/v1/tickets/{id}/flag"),
            json!({ "color": "red" })
        )
        .await
        .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(search("flag=red").await, ["屏幕碎裂需要紧急维修"]);

    let res = app
        .client
        .get(app.url("/api/v1/tickets/export?format=csv&tab=created"))
        .bearer_auth(&agent1)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with("\u{feff}工单编号,标题"), "{csv}");
    assert!(csv.contains("屏幕碎裂需要紧急维修") && csv.contains("T000002"));
    let lines: Vec<&str> = csv.lines().collect();
    assert!(
        lines[0].ends_with(",截止时间,地址 Address,订单号 Order no.,产品 Product"),
        "the type's own fields follow, by their labels: {csv}"
    );
    let invoice = lines.iter().find(|l| l.contains("发票抬头修改")).unwrap();
    assert!(
        invoice.ends_with(",,\"SO-1,2\",手表 Watch"),
        "options by their labels: {invoice}"
    );
    let xlsx = app
        .client
        .get(app.url("/api/v1/tickets/export?format=xlsx&tab=created"))
        .bearer_auth(&agent1)
        .send()
        .await
        .unwrap();
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));

    let (_, stats) = app.get(&admin, "/api/v1/tickets/stats").await;
    assert_eq!(
        (stats["created"].as_i64(), stats["backlog"].as_i64()),
        (Some(2), Some(2)),
        "{stats}"
    );
    assert_eq!(
        app.get(&agent1, "/api/v1/tickets/stats").await.0,
        StatusCode::FORBIDDEN
    );
}

async fn tickets_stay_in_their_tenant_and_out_of_strangers_hands(app: TestApp) {
    let agent1 = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let d = demo(&app, &agent1).await;
    let (_, t) = create(&app, &agent1, &d, json!({ "title": "私人工单" })).await;
    let id = t["id"].as_str().unwrap();
    let agent3 = app.token("demo", "agent3", DEMO_PASSWORD).await;
    assert_eq!(
        app.get(&agent3, &format!("/api/v1/tickets/{id}")).await.0,
        StatusCode::NOT_FOUND,
        "not theirs"
    );
    assert_eq!(
        app.post(&agent3, &format!("/api/v1/tickets/{id}/claim"), json!({}))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let agent3_id = user_id(&app, "agent3").await;
    let (status, people) = app.get(&agent1, "/api/v1/users/directory").await;
    assert_eq!(status, StatusCode::OK, "agents may read names");
    assert!(people
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["id"] == agent3_id.as_str() && u["login"] == "agent3"));
    assert!(people[0].get("roles").is_none(), "names only");
    let (_, categories) = app.get(&agent1, "/api/v1/ticket-categories").await;
    let category = categories[0]["id"].clone();
    let edit =
        |version: i64, category: Value| json!({ "version": version, "category_id": category });
    let (_, filed) = app
        .patch(
            &agent1,
            &format!("/api/v1/tickets/{id}"),
            edit(1, category.clone()),
        )
        .await;
    assert_eq!(filed["category_id"], category);
    let (_, unfiled) = app
        .patch(
            &agent1,
            &format!("/api/v1/tickets/{id}"),
            edit(2, Value::Null),
        )
        .await;
    assert_eq!(
        unfiled["category_id"],
        Value::Null,
        "null clears the category"
    );
    assert_eq!(
        app.post(
            &agent1,
            &format!("/api/v1/tickets/{id}/cc"),
            json!({ "user_id": agent3_id })
        )
        .await
        .0,
        StatusCode::OK
    );
    assert_eq!(
        app.get(&agent3, &format!("/api/v1/tickets/{id}")).await.0,
        StatusCode::OK,
        "cc'd"
    );
    let (_, cc) = app.get(&agent3, "/api/v1/tickets?tab=cc").await;
    assert_eq!(cc["items"].as_array().unwrap().len(), 1);

    assert_error(
        &create(
            &app,
            &agent1,
            &d,
            json!({ "title": "x", "product": "tablet" }),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_field",
    );
    assert_error(
        &create(&app, &agent1, &d, json!({ "title": "x", "nope": "1" })).await,
        StatusCode::BAD_REQUEST,
        "invalid_field",
    );
    assert_error(
        &create(&app, &agent1, &d, json!({ "title": "x", "due_at": "明天" })).await,
        StatusCode::BAD_REQUEST,
        "invalid_field",
    );
    assert_eq!(
        app.get(&agent1, "/api/v1/tickets?tab=created").await.1["items"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "nothing half-made"
    );
}

/// An instant on the server's clock as RFC 3339 (UTC).
fn rfc3339_at(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

async fn next_event(
    ws: &mut tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
    kind: &str,
) -> Value {
    let wait = async {
        while let Some(Ok(msg)) = ws.next().await {
            if let tokio_tungstenite::tungstenite::Message::Text(t) = msg {
                let v: Value = serde_json::from_str(&t).unwrap();
                if v["type"] == kind {
                    return v;
                }
            }
        }
        panic!("socket closed before {kind}");
    };
    tokio::time::timeout(Duration::from_secs(10), wait)
        .await
        .unwrap_or_else(|_| panic!("no {kind} within 10 s"))
}

on_both!(
    admins_define_types_and_bad_definitions_are_refused,
    a_ticket_from_a_contact_is_prefilled_transferred_claimed_and_completed,
    search_rules_reminders_and_export,
    tickets_stay_in_their_tenant_and_out_of_strangers_hands,
    imports_are_all_or_nothing,
    automation_rules_fire_on_status_fields_due_time_and_rotate,
    a_reminder_that_fell_due_while_away_arrives_on_connecting,
    naive_times_are_read_in_the_tenants_zone,
);

/// Times without an offset (a typed due time, a spreadsheet cell) are read in the tenant's
/// zone, summer time included; the zone is a tenant parameter.
async fn naive_times_are_read_in_the_tenants_zone(app: TestApp) {
    let admin = app.admin().await;
    let supervisor = app.token("demo", "supervisor", DEMO_PASSWORD).await;
    let d = demo(&app, &supervisor).await;
    let due = |fields: Value| {
        let (app, supervisor, d) = (&app, &supervisor, &d);
        async move {
            let (status, t) = create(app, supervisor, d, fields).await;
            assert_eq!(status, StatusCode::CREATED, "{t}");
            t["fields"]["due_at"].as_str().unwrap().to_owned()
        }
    };
    let (_, mut params) = app.get(&admin, "/api/v1/tenant/params").await;
    assert_eq!(params["time_zone"], "Asia/Shanghai", "the default");
    assert_eq!(
        due(json!({ "title": "回访", "due_at": "2026-12-01 10:00" })).await,
        "2026-12-01T02:00:00Z"
    );
    params["time_zone"] = json!("Mars/Olympus_Mons");
    let (status, refused) = app
        .put(&admin, "/api/v1/tenant/params", params.clone())
        .await;
    assert_eq!(
        (status, refused["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("time_zone"))
    );
    let (_, kept) = app.get(&admin, "/api/v1/tenant/params").await;
    assert_eq!(
        kept["time_zone"], "Asia/Shanghai",
        "a refused change changes nothing"
    );
    params["time_zone"] = json!("America/New_York");
    let (status, saved) = app.put(&admin, "/api/v1/tenant/params", params).await;
    assert_eq!(
        (status, saved["time_zone"].as_str()),
        (StatusCode::OK, Some("America/New_York"))
    );
    assert_eq!(
        due(json!({ "title": "冬季", "due_at": "2026-12-01 10:00" })).await,
        "2026-12-01T15:00:00Z",
        "EST is UTC-5"
    );
    assert_eq!(
        due(json!({ "title": "夏季", "due_at": "2026-07-01 10:00" })).await,
        "2026-07-01T14:00:00Z",
        "EDT is UTC-4"
    );
    assert_eq!(
        due(json!({ "title": "带时区", "due_at": "2026-07-01T10:00:00+08:00" })).await,
        "2026-07-01T02:00:00Z",
        "a time with its offset is taken as it is"
    );
    let (_, csv) = app
        .get(&supervisor, "/api/v1/tickets/export?format=csv&tab=created")
        .await;
    let winter = csv
        .as_str()
        .unwrap()
        .lines()
        .find(|l| l.contains("冬季"))
        .unwrap();
    assert!(
        winter.contains(",2026-12-01 10:00:00 -05:00,"),
        "exports show the tenant's clock with its offset: {winter}"
    );
}

async fn imports_are_all_or_nothing(app: TestApp) {
    let supervisor = app.token("demo", "supervisor", DEMO_PASSWORD).await;
    let d = demo(&app, &supervisor).await;
    let target = format!("type_id={}&template_id={}", d.type_id, d.template_id);
    let res = app
        .client
        .get(app.url(&format!("/api/v1/tickets/import-template?{target}")))
        .bearer_auth(&supervisor)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let template = switchboard_server::sheets::read(&res.bytes().await.unwrap(), 10).unwrap();
    assert_eq!(
        template.header,
        [
            "title",
            "customer",
            "phone",
            "product",
            "order_no",
            "address",
            "priority",
            "due_at",
            "description",
            "group",
            "assignee"
        ]
    );
    assert_eq!(template.rows[0].1[0], "标题", "row 2 holds the labels");

    let upload = |csv: String| {
        let (app, supervisor, target) = (&app, &supervisor, &target);
        async move {
            let form = reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("t.csv"),
            );
            let res = app
                .client
                .post(app.url(&format!("/api/v1/tickets/import?{target}")))
                .bearer_auth(supervisor)
                .multipart(form)
                .send()
                .await
                .unwrap();
            (res.status(), res.json::<Value>().await.unwrap())
        }
    };
    // Row 2 repeats the labels, as in the downloaded template.
    let header = "title,phone,product,due_at,group,assignee\n标题,电话,产品 Product,截止时间,技能组 Skill group,处理人 Assignee\n";
    let bad = format!("{header}回访客户,13800138000,手机 Phone,2026-12-01 10:00,售后服务 After-sales,\n,12ab,平板,明天,无此组,ghost\n");
    let (status, report) = upload(bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{report}");
    let cells: Vec<(u64, &str)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["column"].as_str().unwrap()))
        .collect();
    for expected in [
        (4, "title"),
        (4, "phone"),
        (4, "product"),
        (4, "due_at"),
        (4, "group"),
        (4, "assignee"),
    ] {
        assert!(cells.contains(&expected), "{expected:?} in {cells:?}");
    }
    let (_, none) = app.get(&supervisor, "/api/v1/tickets?tab=all").await;
    assert!(
        none["items"].as_array().unwrap().is_empty(),
        "nothing half-imported"
    );

    let good = format!("{header}回访客户,13800138000,手机 Phone,2026-12-01 10:00,售后服务 After-sales,\n换货进度,,耳机 Earbuds,,,agent1\n");
    let (status, done) = upload(good).await;
    assert_eq!(
        (status, done["created"].as_u64()),
        (StatusCode::OK, Some(2)),
        "{done}"
    );
    let agent2 = app.token("demo", "agent2", DEMO_PASSWORD).await;
    let (_, claimable) = app.get(&agent2, "/api/v1/tickets?tab=unassigned").await;
    let first = &claimable["items"][0];
    assert_eq!(first["title"], "回访客户");
    let (_, trail) = app
        .get(
            &supervisor,
            &format!("/api/v1/tickets/{}/trail", first["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(trail[0]["action"], "imported");
    let (_, found) = app
        .get(&supervisor, "/api/v1/customers?q=13800138000")
        .await;
    assert_eq!(
        found["items"][0]["phones"][0], "+8613800138000",
        "the imported ticket's customer is in the directory: {found}"
    );
    let (status, unknown) = upload("title,colour\nx,red\n".into()).await;
    assert_eq!(
        (status, unknown["errors"][0]["column"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("colour"))
    );
    let agent1 = app.token("demo", "agent1", DEMO_PASSWORD).await;
    assert_eq!(
        app.get(
            &agent1,
            &format!("/api/v1/tickets/import-template?{target}")
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
}

async fn automation_rules_fire_on_status_fields_due_time_and_rotate(app: TestApp) {
    let admin = app.admin().await;
    let agent1 = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let d = demo(&app, &agent1).await;
    let (_, t) = app
        .get(&admin, &format!("/api/v1/ticket-types/{}", d.type_id))
        .await;
    let rules = json!([
        { "name": "手表轮流分配", "trigger": "created",
          "conditions": [{ "field": "product", "op": "eq", "value": "watch" }],
          "actions": [{ "type": "assign_round_robin", "group_id": d.tasks }] },
        { "name": "等待时提高优先级", "trigger": "status_changed", "status": "waiting",
          "actions": [{ "type": "set_field", "field": "priority", "value": "high" }] },
        { "name": "地址变更通知", "trigger": "field_changed", "field": "address",
          "actions": [{ "type": "notify", "to": "creator" }] },
        { "name": "超时升级", "trigger": "due",
          "actions": [{ "type": "escalate", "group_id": d.after_sales, "priority": "urgent" },
                      { "type": "notify", "to": "creator" }] },
    ]);
    let (status, saved) = app
        .put(
            &admin,
            &format!("/api/v1/ticket-types/{}", d.type_id),
            json!({ "name": t["name"], "version": t["version"], "rules": rules }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let bad_rule = json!([{ "name": "坏", "trigger": "field_changed", "field": "nope", "actions": [{ "type": "notify", "to": "creator" }] }]);
    let (status, _) = app
        .put(
            &admin,
            &format!("/api/v1/ticket-types/{}", d.type_id),
            json!({ "name": t["name"], "version": saved["version"], "rules": bad_rule }),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a rule on an unknown field"
    );

    let watch = json!({ "title": "手表不计步", "product": "watch" });
    let (_, first) = create(&app, &agent1, &d, watch.clone()).await;
    let (_, second) = create(&app, &agent1, &d, watch).await;
    let (a, b) = (
        first["assignee_id"].as_str().unwrap(),
        second["assignee_id"].as_str().unwrap(),
    );
    assert_ne!(a, b, "round robin gives the next ticket to someone else");
    assert_eq!(first["group_id"], d.tasks.as_str());

    let mut tokens = std::collections::HashMap::new();
    for login in ["agent1", "agent2", "agent3"] {
        tokens.insert(
            user_id(&app, login).await,
            app.token("demo", login, DEMO_PASSWORD).await,
        );
    }
    let worker = &tokens[a];
    let id = first["id"].as_str().unwrap();
    let path = |rest: &str| format!("/api/v1/tickets/{id}{rest}");
    app.post(worker, &path("/actions/start"), json!({})).await;
    let (_, waiting) = app.post(worker, &path("/actions/wait"), json!({})).await;
    assert_eq!(waiting["fields"]["priority"], "high", "{waiting}");

    let (mut creator_ws, _) =
        tokio_tungstenite::connect_async(format!("ws://{}/api/v1/ws?token={agent1}", app.addr))
            .await
            .unwrap();
    let due = rfc3339_at(app.clock.now_ms() + 60_000);
    let (status, edited) = app
        .patch(worker, &path(""), json!({ "version": waiting["version"], "fields": { "address": "北京市海淀区", "due_at": due } }))
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(
        next_event(&mut creator_ws, "ticket.notice").await["rule"],
        "地址变更通知"
    );

    // The due time passes on the server's clock; the rule's notice says it ran and was saved.
    app.clock.advance(Duration::from_secs(61));
    assert_eq!(
        next_event(&mut creator_ws, "ticket.notice").await["rule"],
        "超时升级"
    );
    let escalated = app.get(&admin, &path("")).await.1;
    assert_eq!(
        (
            escalated["group_id"].as_str(),
            &escalated["assignee_id"],
            escalated["fields"]["priority"].as_str()
        ),
        (Some(d.after_sales.as_str()), &Value::Null, Some("urgent")),
        "the due-time rule escalated it"
    );
    let (_, trail) = app.get(&admin, &path("/trail")).await;
    let actions: Vec<&str> = trail
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.ends_with(&["overdue", "rule"]), "{actions:?}");
    assert_eq!(
        trail
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "rule")
            .count(),
        4,
        "{actions:?}"
    );
}

async fn a_reminder_that_fell_due_while_away_arrives_on_connecting(app: TestApp) {
    let agent1 = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let d = demo(&app, &agent1).await;
    let (_, t) = create(&app, &agent1, &d, json!({ "title": "明早回电" })).await;
    let at = rfc3339_at(app.clock.now_ms() + 3_600_000);
    let (status, _) = app
        .post(
            &agent1,
            &format!("/api/v1/tickets/{}/reminders", t["id"].as_str().unwrap()),
            json!({ "at": at }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    // Nobody has the workbench open when it falls due.
    app.clock.advance(Duration::from_secs(3601));
    let (mut ws, _) =
        tokio_tungstenite::connect_async(format!("ws://{}/api/v1/ws?token={agent1}", app.addr))
            .await
            .unwrap();
    // Online from its hello on; the next tick delivers the reminder.
    next_event(&mut ws, "hello").await;
    app.clock.advance(Duration::from_secs(1));
    let fired = next_event(&mut ws, "ticket.reminder").await;
    assert_eq!(fired["ticket_id"], t["id"]);
    // The reminder is told first and marked right after (a crash in between repeats it
    // rather than losing it), so the mark may trail the event by a moment.
    let path = format!("/api/v1/tickets/{}", t["id"].as_str().unwrap());
    let mut marked = Value::Null;
    for _ in 0..200 {
        marked = app.get(&agent1, &path).await.1["reminders"][0]["fired"].clone();
        if marked == true {
            break;
        }
        tokio::task::yield_now().await;
    }
    assert_eq!(marked, true, "marked as fired");
}
