//! The customer directory (issue #16): records created, searched (Chinese, e-mail, any
//! written form of a number) and edited by version; custom fields; every bad input refused
//! with its field and nothing changed; merging (and its refusals); the service trail of a
//! customer who called, chatted and has a ticket; the agent's own service list; permissions
//! and other tenants.

use reqwest::StatusCode;
use serde_json::{json, Value};
use switchboard_engine::{ContactId, SkillQueueId, TenantName, UserId};
use switchboard_storage::{CallDirection, CallRecord, CallReleasedBy};
use uuid::Uuid;

use crate::chat::{customer, next_of, send};
use crate::isolation::second_tenant;
use crate::on_both;
use crate::support::{assert_error, TestApp, DEMO_PASSWORD};

const CUSTOMERS: &str = "/api/v1/customers";
const FIELDS: &str = "/api/v1/customer-fields";

fn id(v: &Value) -> String {
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {v}"))
        .to_owned()
}

async fn search(app: &TestApp, token: &str, q: &str) -> Vec<String> {
    let path = format!("{CUSTOMERS}?q={}", urlencoding(q));
    let (status, page) = app.get(token, &path).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"].as_array().unwrap().iter().map(id).collect()
}

/// Percent-encodes a query value (Chinese, `@`, `+`, spaces).
fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn define_fields(app: &TestApp, admin: &str) {
    let (status, defs) = app
        .put(
            admin,
            FIELDS,
            json!({ "fields": [
                { "code": "level", "label": "等级", "label_en": "Level", "type": "option", "options": ["金", "银"] },
                { "code": "birthday", "label": "生日", "type": "date" },
                { "code": "spent", "label": "消费", "type": "number" },
                { "code": "company", "label": "公司", "type": "text" }
            ] }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{defs}");
}

async fn customers_are_created_searched_and_edited(app: TestApp) {
    let admin = app.admin().await;
    define_fields(&app, &admin).await;
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let (status, c) = app
        .post(
            &agent,
            CUSTOMERS,
            json!({ "name": "张三丰", "phones": ["138 0013 8000", "021-61234567"],
                "emails": ["ZS@Example.com"], "tags": ["VIP", "VIP"], "notes": "老客户，要求退货",
                "fields": { "level": "金", "birthday": "1990-05-01", "spent": 1200.5, "company": "武当山 Wudang" } }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    assert_eq!(c["phones"], json!(["+8613800138000", "+862161234567"]));
    assert_eq!(c["emails"], json!(["zs@example.com"]));
    assert_eq!(c["tags"], json!(["VIP"]));
    assert_eq!(c["fields"]["level"], "金");
    let cid = id(&c);

    for q in [
        "退货",
        "张三",
        "13800138000",
        "138-0013-8000",
        "+86 138 0013 8000",
        "zs@example.com",
        "wudang",
        "1380013",
    ] {
        assert_eq!(
            search(&app, &agent, q).await,
            vec![cid.clone()],
            "search {q}"
        );
    }
    assert!(search(&app, &agent, "李四").await.is_empty());
    assert!(search(&app, &agent, "13900139000").await.is_empty());

    let path = format!("{CUSTOMERS}/{cid}");
    let edit = json!({ "version": c["version"], "name": "张三丰", "phones": ["13800138000"],
        "emails": [], "tags": ["VIP", "投诉"], "notes": "已退货", "fields": { "level": "银" } });
    let (status, edited) = app.put(&agent, &path, edit.clone()).await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["tags"], json!(["VIP", "投诉"]));
    assert_eq!(edited["fields"], json!({ "level": "银" }));
    assert!(
        search(&app, &agent, "021-61234567").await.is_empty(),
        "a removed number is no key"
    );
    assert_error(
        &app.put(&agent, &path, edit).await,
        StatusCode::CONFLICT,
        "stale",
    );
    let (_, read) = app.get(&agent, &path).await;
    assert_eq!(read["version"], edited["version"]);
}

async fn bad_input_is_refused_and_changes_nothing(app: TestApp) {
    let admin = app.admin().await;
    define_fields(&app, &admin).await;
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let (_, c) = app
        .post(
            &agent,
            CUSTOMERS,
            json!({ "name": "王五", "phones": ["13800138000"] }),
        )
        .await;
    let before = app.get(&agent, CUSTOMERS).await.1;
    let cases = [
        (json!({ "phones": ["not a phone"] }), "phones[0]"),
        (json!({ "phones": ["12"] }), "phones[0]"),
        (json!({ "emails": ["nobody"] }), "emails[0]"),
        (json!({ "fields": { "nope": "x" } }), "fields.nope"),
        (json!({ "fields": { "level": "铜" } }), "fields.level"),
        (
            json!({ "fields": { "birthday": "1990-13-01" } }),
            "fields.birthday",
        ),
        (json!({ "fields": { "spent": "很多" } }), "fields.spent"),
        (json!({ "tags": [""] }), "tags"),
        (json!({ "name": "x".repeat(101) }), "name"),
    ];
    for (body, field) in cases {
        let got = app.post(&agent, CUSTOMERS, body.clone()).await;
        assert_error(&got, StatusCode::BAD_REQUEST, "invalid_field");
        assert_eq!(got.1["field"], field, "{body}");
        let mut edit = body.clone();
        edit["version"] = c["version"].clone();
        let got = app
            .put(&agent, &format!("{CUSTOMERS}/{}", id(&c)), edit)
            .await;
        assert_eq!(got.1["field"], field, "edit {body}");
    }
    let taken = app
        .post(
            &agent,
            CUSTOMERS,
            json!({ "name": "重复", "phones": ["+8613800138000"] }),
        )
        .await;
    assert_error(&taken, StatusCode::CONFLICT, "key_taken");
    assert_eq!(taken.1["field"], "phones");
    let unknown = app
        .post(&agent, CUSTOMERS, json!({ "nickname": "x" }))
        .await;
    assert_eq!(unknown.0, StatusCode::BAD_REQUEST, "{}", unknown.1);
    let bad_defs = app
        .put(
            &admin,
            FIELDS,
            json!({ "fields": [{ "code": "Bad Code", "label": "x", "type": "text" }] }),
        )
        .await;
    assert_eq!(bad_defs.1["field"], "fields[0].code");
    let (_, saved) = app.get(&admin, FIELDS).await;
    let mut retyped = saved.clone();
    retyped["fields"][2]["type"] = json!("text");
    let retyped = app.put(&admin, FIELDS, retyped).await;
    assert_error(&retyped, StatusCode::BAD_REQUEST, "invalid_field");
    assert_eq!(
        retyped.1["field"], "fields[2].type",
        "a saved field keeps its type"
    );
    assert_eq!(app.get(&admin, FIELDS).await.1, saved, "nothing changed");
    assert_eq!(
        app.get(&agent, CUSTOMERS).await.1,
        before,
        "nothing changed"
    );
    assert_eq!(
        app.get(&agent, FIELDS).await.1["fields"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
}

async fn only_holders_may_and_other_tenants_see_nothing(app: TestApp) {
    let admin = app.admin().await;
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let (_, a) = app.post(&agent, CUSTOMERS, json!({ "name": "甲" })).await;
    let (_, b) = app.post(&agent, CUSTOMERS, json!({ "name": "乙" })).await;
    let merge = format!("{CUSTOMERS}/{}/merge", id(&a));
    let from_b = json!({ "from": id(&b) });
    assert_error(
        &app.post(&agent, &merge, from_b.clone()).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    assert_error(
        &app.put(&agent, FIELDS, json!({ "fields": [] })).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    // Whoever defines the fields reads them, without working with customers.
    let (status, role) = app
        .post(
            &admin,
            "/api/v1/roles",
            json!({ "name": "参数 Params", "permissions": ["params.manage"] }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{role}");
    let params = app.ready_user(&admin, "params1", &["参数 Params"]).await;
    assert_eq!(app.get(&params, FIELDS).await.0, StatusCode::OK);
    assert_error(
        &app.get(&params, CUSTOMERS).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    second_tenant(&app).await;
    let beta = app.token("beta", "boss", "beta-password").await;
    assert_error(
        &app.get(&beta, &format!("{CUSTOMERS}/{}", id(&a))).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert!(app.get(&beta, CUSTOMERS).await.1["items"]
        .as_array()
        .unwrap()
        .is_empty());
    let (_, foreign) = app.post(&beta, CUSTOMERS, json!({ "name": "外人" })).await;
    let across = app
        .post(&admin, &merge, json!({ "from": id(&foreign) }))
        .await;
    assert_error(&across, StatusCode::NOT_FOUND, "not_found");
    let trail = app
        .get(&beta, &format!("{CUSTOMERS}/{}/trail", id(&a)))
        .await;
    assert_error(&trail, StatusCode::NOT_FOUND, "not_found");
    let (_, still) = app
        .get(
            &app.token("beta", "boss", "beta-password").await,
            &format!("{CUSTOMERS}/{}", id(&foreign)),
        )
        .await;
    assert_eq!(still["merged_into"], Value::Null, "nothing changed");
}

/// The demo queue whose name starts with `prefix`.
async fn queue(app: &TestApp, admin: &str, prefix: &str) -> String {
    let (_, queues) = app.get(admin, "/api/v1/queues").await;
    queues
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["name"].as_str().unwrap().starts_with(prefix))
        .map(id)
        .unwrap()
}

fn call_of(contact: ContactId, agent: UserId, queue: SkillQueueId, at: i64) -> CallRecord {
    CallRecord {
        id: Uuid::now_v7(),
        caller: "+8613900139000".into(),
        dialled: "4000".into(),
        direction: CallDirection::Inbound,
        started_at: at,
        answered_at: Some(at + 1_000),
        ended_at: Some(at + 30_000),
        queue: Some(queue),
        queued_at: Some(at),
        wait_ms: Some(1_000),
        agent: Some(agent),
        released_by: Some(CallReleasedBy::Caller),
        end_status: Some(200),
        contact: Some(contact),
        recording: true,
        recording_ms: Some(29_000),
        ivr_path: String::new(),
        variables: Vec::new(),
        survey: None,
        survey_score: Some(4),
        handoffs: Vec::new(),
    }
}

/// A chat with the pre-chat form's name and number; the conversation's id.
async fn chat_with_number(app: &TestApp) -> String {
    let mut c = customer(app, "visitor=visitor-00000000000000aa").await;
    next_of(&mut c, &["welcome"]).await;
    send(
        &mut c,
        json!({ "type": "start", "name": "王女士", "phone": "13900139000", "question": "快递丢了" }),
    )
    .await;
    let conversation = next_of(&mut c, &["conversation"]).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    next_of(&mut c, &["ack"]).await;
    conversation
}

async fn a_caller_and_their_chat_are_merged_with_one_trail(app: TestApp) {
    let admin = app.admin().await;
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let sup = app.token("demo", "supervisor", DEMO_PASSWORD).await;
    // A task about a number puts its customer in the directory; a call record names it.
    let tasks = queue(&app, &admin, "工单任务").await;
    let (status, task) = app
        .post(
            &admin,
            "/api/v1/contacts",
            json!({ "queue_id": tasks, "title": "回访", "customer": "139 0013 9000" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{task}");
    let caller = search(&app, &agent, "13900139000").await;
    assert_eq!(caller.len(), 1, "the caller is in the directory");
    let caller = caller[0].clone();
    let (_, me) = app.get(&agent, "/api/v1/me").await;
    let agent_id = UserId(Uuid::parse_str(me["id"].as_str().unwrap()).unwrap());
    let task_id = ContactId(Uuid::parse_str(&id(&task)).unwrap());
    let voice = SkillQueueId(Uuid::parse_str(&queue(&app, &admin, "售前咨询").await).unwrap());
    let record = call_of(task_id, agent_id, voice, app.clock.now_ms());
    let demo = app
        .store
        .tenant_by_name(&TenantName::parse("demo").unwrap())
        .await
        .unwrap()
        .unwrap();
    app.store.save_call_record(demo.id, &record).await.unwrap();
    // A ticket with the number; a chat whose pre-chat number is the caller's (a duplicate).
    let (_, types) = app.get(&agent, "/api/v1/ticket-types").await;
    let (status, ticket) = app
        .post(&agent, "/api/v1/tickets", json!({ "type_id": types[0]["id"], "fields": { "title": "丢件", "phone": "13900139000" } }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{ticket}");
    let conversation = chat_with_number(&app).await;
    let chat_customer = search(&app, &agent, "王女士").await;
    assert_eq!(chat_customer.len(), 1);
    let chat_customer = chat_customer[0].clone();
    assert_ne!(
        chat_customer, caller,
        "the number stays with the caller: a duplicate"
    );

    let merge = format!("{CUSTOMERS}/{caller}/merge");
    let itself = app.post(&sup, &merge, json!({ "from": caller })).await;
    assert_error(&itself, StatusCode::BAD_REQUEST, "invalid_field");
    assert_eq!(itself.1["field"], "from");
    let (status, merged) = app
        .post(&sup, &merge, json!({ "from": chat_customer }))
        .await;
    assert_eq!(status, StatusCode::OK, "{merged}");
    assert_eq!(
        merged["name"], "王女士",
        "the duplicate's name fills the gap"
    );
    assert_eq!(merged["phones"], json!(["+8613900139000"]));
    let again = app
        .post(&sup, &merge, json!({ "from": chat_customer }))
        .await;
    assert_error(&again, StatusCode::CONFLICT, "already_merged");
    let (_, gone) = app
        .get(&agent, &format!("{CUSTOMERS}/{chat_customer}"))
        .await;
    assert_eq!(gone["merged_into"], caller.as_str());
    assert_eq!(search(&app, &agent, "王女士").await, vec![caller.clone()]);

    let (status, trail) = app.get(&sup, &format!("{CUSTOMERS}/{caller}/trail")).await;
    assert_eq!(status, StatusCode::OK, "{trail}");
    let items = trail["items"].as_array().unwrap();
    let kinds: Vec<&str> = items.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    for kind in ["task", "ticket", "chat"] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    let task_entry = items.iter().find(|e| e["kind"] == "task").unwrap();
    assert_eq!(task_entry["call_id"], record.id.to_string());
    assert_eq!(task_entry["recording_playable"], true, "recordings.access");
    assert_eq!(task_entry["score"], 4);
    let (_, for_agent) = app
        .get(&agent, &format!("{CUSTOMERS}/{caller}/trail"))
        .await;
    let mine = for_agent["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "task")
        .unwrap()
        .clone();
    assert_eq!(mine["recording_playable"], true, "the call's own agent");
    let times: Vec<&str> = items.iter().map(|e| e["at"].as_str().unwrap()).collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted, "newest first");
    let (status, transcript) = app
        .get(
            &agent,
            &format!("{CUSTOMERS}/{caller}/chats/{conversation}"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{transcript}");
    assert!(transcript.to_string().contains("快递丢了"));
    let wrong = app
        .get(&agent, &format!("{CUSTOMERS}/{caller}/chats/{}", id(&task)))
        .await;
    assert_error(&wrong, StatusCode::NOT_FOUND, "not_found");
    let _ = ticket;
}

async fn an_agent_lists_their_contacts_in_service_and_ended(app: TestApp) {
    let admin = app.admin().await;
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let tasks = queue(&app, &admin, "工单任务").await;
    let (_, task) = app
        .post(
            &admin,
            "/api/v1/contacts",
            json!({ "queue_id": tasks, "title": "回访" }),
        )
        .await;
    app.post(&agent, "/api/v1/agent/sign-in", json!({})).await;
    let (status, _) = app
        .post(
            &agent,
            &format!("/api/v1/contacts/{}/answer", id(&task)),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, open) = app.get(&agent, "/api/v1/agent/contacts?tab=open").await;
    assert_eq!(status, StatusCode::OK, "{open}");
    assert_eq!(open["items"][0]["contact"]["id"], id(&task).as_str());
    let (_, ended) = app.get(&agent, "/api/v1/agent/contacts?tab=ended").await;
    assert!(ended["items"].as_array().unwrap().is_empty());
    let (_, others) = app
        .get(
            &app.token("demo", "agent2", DEMO_PASSWORD).await,
            "/api/v1/agent/contacts?tab=open",
        )
        .await;
    assert!(
        others["items"].as_array().unwrap().is_empty(),
        "only my own"
    );
    let bad = app.get(&agent, "/api/v1/agent/contacts?tab=all").await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "invalid_field");
    assert_eq!(bad.1["field"], "tab");
}

async fn upload(app: &TestApp, token: &str, csv: &str) -> (StatusCode, Value) {
    use reqwest::multipart::{Form, Part};
    let part = Part::bytes(csv.as_bytes().to_vec()).file_name("customers.csv");
    let res = app
        .client
        .post(app.url("/api/v1/customers/import"))
        .bearer_auth(token)
        .multipart(Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn imports_are_all_or_nothing_and_exports_read_back(app: TestApp) {
    let admin = app.admin().await;
    define_fields(&app, &admin).await;
    let sup = app.token("demo", "supervisor", DEMO_PASSWORD).await;
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    app.post(
        &sup,
        CUSTOMERS,
        json!({ "name": "已有", "phones": ["13700137000"] }),
    )
    .await;
    let before = app.get(&sup, CUSTOMERS).await.1;
    let bad = "name,phones,emails,tags,level,birthday\n\
        赵六,13800138000,zl@example.com,VIP;投诉,金,1990-01-02\n\
        钱七,not-a-number,,,,\n\
        孙八,13700137000,,,铜,\n\
        周九,13800138000,,,,1990-02-30\n";
    let (status, refused) = upload(&app, &sup, bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let problems: Vec<(u64, &str)> = refused["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["column"].as_str().unwrap()))
        .collect();
    assert_eq!(
        problems,
        vec![(3, "phones"), (4, "level"), (5, "birthday")],
        "{refused}"
    );
    assert_eq!(app.get(&sup, CUSTOMERS).await.1, before, "nothing imported");
    let duplicate = "name,phones\n甲,13600136000\n乙,136 0013 6000\n丙,13700137000\n";
    let (status, refused) = upload(&app, &sup, duplicate).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["errors"].as_array().unwrap().len(), 2, "{refused}");
    assert_error(
        &upload(&app, &agent, duplicate).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );

    let good = "name,phones,emails,tags,level,spent\n赵六,13800138000,zl@example.com,VIP;投诉,金,99.5\n钱七,,qq@example.com,,,\n";
    let (status, done) = upload(&app, &sup, good).await;
    assert_eq!(
        (status, done["created"].as_u64()),
        (StatusCode::OK, Some(2)),
        "{done}"
    );
    assert_eq!(search(&app, &sup, "投诉").await.len(), 1);
    let res = app
        .client
        .get(app.url("/api/v1/customers/export?format=csv&q=%E8%B5%B5"))
        .bearer_auth(&sup)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    assert!(
        text.contains("姓名") && text.contains("赵六") && text.contains("+8613800138000"),
        "{text}"
    );
    assert!(!text.contains("钱七"), "only what the search finds");
    let template = app
        .client
        .get(app.url("/api/v1/customers/import-template"))
        .bearer_auth(&sup)
        .send()
        .await
        .unwrap();
    assert_eq!(template.status(), StatusCode::OK);
    assert!(template.bytes().await.unwrap().starts_with(b"PK"));
}

on_both!(
    imports_are_all_or_nothing_and_exports_read_back,
    customers_are_created_searched_and_edited,
    bad_input_is_refused_and_changes_nothing,
    only_holders_may_and_other_tenants_see_nothing,
    a_caller_and_their_chat_are_merged_with_one_trail,
    an_agent_lists_their_contacts_in_service_and_ended,
);
