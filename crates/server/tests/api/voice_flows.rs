//! IVR flows over the API: create, read, change, delete; the checks (422 naming the node and
//! field), sub-flows (inlined; cycles refused; a flow in use cannot go), directory rebuilds,
//! other tenants' flows, queues and prompts, and who may do it.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::isolation::second_tenant;
use crate::on_both;
use crate::support::{assert_error, TestApp, DEMO_PASSWORD};

/// The demo's voice queues' ids (pre-sales, after-sales).
pub async fn voice_queues(app: &TestApp, admin: &str) -> Vec<String> {
    let (_, list) = app.get(admin, "/api/v1/queues").await;
    list.as_array()
        .unwrap()
        .iter()
        .filter(|q| q["channel"] == "voice")
        .map(|q| q["id"].as_str().unwrap().to_owned())
        .collect()
}

/// A menu: 1 → the queue, 2 → hang up, no key → hang up.
pub fn small_flow(queue: &str) -> Value {
    json!({
        "start": "menu",
        "nodes": {
            "menu": { "type": "menu", "label": "售后菜单", "prompts": ["zh-welcome"],
                "choices": { "1": "queue", "2": "bye" }, "timeout_ms": 5000, "retries": 1,
                "invalid_prompts": ["zh-invalid"], "fallback": "bye" },
            "queue": { "type": "queue", "label": "售后", "queue_id": queue },
            "bye": { "type": "hangup", "label": "挂机" }
        }
    })
}

fn with_sub_flow(target: &str) -> Value {
    json!({
        "start": "menu",
        "nodes": {
            "menu": { "type": "menu", "label": "主菜单", "prompts": ["zh-welcome"],
                "choices": { "1": "after" }, "timeout_ms": 5000, "retries": 0, "fallback": "bye" },
            "after": { "type": "sub_flow", "label": "售后", "flow_id": target },
            "bye": { "type": "hangup", "label": "挂机" }
        }
    })
}

async fn create(app: &TestApp, admin: &str, name: &str, def: Value) -> Value {
    let (status, body) = app
        .post(
            admin,
            "/api/v1/voice/flows",
            json!({ "name": name, "definition": def }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

/// Asserts a 422 for the flow naming this field.
fn refused(got: &(StatusCode, Value), field: &str, words: &str) {
    assert_error(got, StatusCode::UNPROCESSABLE_ENTITY, "invalid_flow");
    assert_eq!(got.1["field"], field, "{}", got.1);
    let message = got.1["message"].as_str().unwrap();
    assert!(message.contains(words), "{message}");
}

async fn flows_are_kept_checked_and_changed(app: TestApp) {
    let admin = app.admin().await;
    let queues = voice_queues(&app, &admin).await;
    let mut changes = app.state.voice.directory_changes();
    let flow = create(&app, &admin, "售后流程", small_flow(&queues[1])).await;
    let id = flow["id"].as_str().unwrap().to_owned();
    assert_eq!(flow["definition"], small_flow(&queues[1]));
    assert_eq!(flow["numbers"], json!([]));
    assert!(
        changes.try_recv().is_ok(),
        "a new flow rebuilds the directory"
    );

    let (status, list) = app.get(&admin, "/api/v1/voice/flows").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["id"] == id.as_str()));
    let path = format!("/api/v1/voice/flows/{id}");
    let (status, got) = app.get(&admin, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(got["name"], "售后流程");

    // Each check names the node and the field.
    let mut bad = small_flow(&queues[1]);
    bad["nodes"]["menu"]["timeout_ms"] = json!(10);
    let got = app
        .put(
            &admin,
            &path,
            json!({ "name": "售后流程", "definition": bad }),
        )
        .await;
    refused(&got, "definition.nodes.menu.timeout_ms", "node 'menu'");
    let mut bad = small_flow(&queues[1]);
    bad["nodes"]["menu"]["fallback"] = json!("nowhere");
    let got = app
        .put(&admin, &path, json!({ "name": "x", "definition": bad }))
        .await;
    refused(&got, "definition.nodes.menu.fallback", "no node 'nowhere'");
    let mut bad = small_flow(&queues[1]);
    bad["nodes"]["menu"]["prompts"] = json!(["zh-nonexistent"]);
    let got = app
        .put(&admin, &path, json!({ "name": "x", "definition": bad }))
        .await;
    refused(&got, "definition.nodes.menu.prompts", "zh-nonexistent");
    let mut bad = small_flow(&queues[1]);
    bad["nodes"]["menu"]["choices"] = json!({ "12": "bye" });
    let got = app
        .put(&admin, &path, json!({ "name": "x", "definition": bad }))
        .await;
    refused(&got, "definition.nodes.menu.choices", "key '12'");
    let mut bad = small_flow(&queues[1]);
    bad["nodes"]["a/b"] = json!({ "type": "hangup", "label": "x" });
    let got = app
        .put(&admin, &path, json!({ "name": "x", "definition": bad }))
        .await;
    refused(&got, "definition.nodes.a/b", "id");
    let chat_queue = app
        .post(
            &admin,
            "/api/v1/queues",
            json!({ "name": "文字", "channel": "chat" }),
        )
        .await
        .1["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let got = app
        .put(
            &admin,
            &path,
            json!({ "name": "x", "definition": small_flow(&chat_queue) }),
        )
        .await;
    refused(&got, "definition.nodes.queue.queue_id", "voice");
    let mut bad = small_flow(&queues[1]);
    bad["nodes"]["bye"] = json!({ "type": "teleport", "label": "x" });
    let got = app
        .put(&admin, &path, json!({ "name": "x", "definition": bad }))
        .await;
    assert_eq!(got.0, StatusCode::BAD_REQUEST, "{}", got.1);
    let (_, still) = app.get(&admin, &path).await;
    assert_eq!(
        still["definition"],
        small_flow(&queues[1]),
        "nothing changed"
    );

    // A good change is kept; a name taken is a 409.
    let mut good = small_flow(&queues[1]);
    good["nodes"]["menu"]["retries"] = json!(3);
    let (status, body) = app
        .put(
            &admin,
            &path,
            json!({ "name": "售后 V2", "definition": good }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["definition"]["nodes"]["menu"]["retries"], 3);
    create(&app, &admin, "另一个", small_flow(&queues[0])).await;
    let got = app
        .put(
            &admin,
            &path,
            json!({ "name": "另一个", "definition": good }),
        )
        .await;
    assert_error(&got, StatusCode::CONFLICT, "conflict");
    assert_eq!(got.1["field"], "name");

    // A number routes to it: it cannot be deleted until the number goes elsewhere.
    let (status, number) = app
        .post(
            &admin,
            "/api/v1/voice/numbers",
            json!({ "number": "4700", "route": { "kind": "flow", "flow_id": id } }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{number}");
    let (_, got) = app.get(&admin, &path).await;
    assert_eq!(got["numbers"], json!(["4700"]));
    let got = app.delete(&admin, &path).await;
    assert_error(&got, StatusCode::CONFLICT, "in_use");
    assert!(
        got.1["message"].as_str().unwrap().contains("4700"),
        "{}",
        got.1
    );
    let number_path = format!("/api/v1/voice/numbers/{}", number["id"].as_str().unwrap());
    assert_eq!(
        app.delete(&admin, &number_path).await.0,
        StatusCode::NO_CONTENT
    );
    while changes.try_recv().is_ok() {}
    assert_eq!(app.delete(&admin, &path).await.0, StatusCode::NO_CONTENT);
    assert!(
        changes.try_recv().is_ok(),
        "a deletion rebuilds the directory"
    );
    assert_error(
        &app.get(&admin, &path).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
}

async fn sub_flows_are_inlined_and_cycles_refused(app: TestApp) {
    let admin = app.admin().await;
    let queues = voice_queues(&app, &admin).await;
    let after = create(&app, &admin, "售后", small_flow(&queues[1])).await;
    let after_id = after["id"].as_str().unwrap().to_owned();
    let main = create(&app, &admin, "主流程", with_sub_flow(&after_id)).await;
    let main_id = main["id"].as_str().unwrap().to_owned();
    let (_, got) = app
        .get(&admin, &format!("/api/v1/voice/flows/{after_id}"))
        .await;
    assert_eq!(got["used_by"], json!([main_id]));

    // What the directory builds from the stored flows: the sub-flow's nodes under its node.
    let tenant = app
        .store
        .tenant_by_name(&switchboard_engine::TenantName::parse("demo").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let stored = app.store.ivr_flows(tenant).await.unwrap();
    let defs: std::collections::HashMap<_, _> = stored
        .iter()
        .map(|f| (f.id.0, serde_json::from_str(&f.definition).unwrap()))
        .collect();
    let main_uuid: uuid::Uuid = main_id.parse().unwrap();
    let inlined =
        switchboard_server::voice::subflows::inline(Some(main_uuid), &defs[&main_uuid], &defs)
            .unwrap();
    assert!(
        inlined.def.nodes.contains_key("after/menu"),
        "{:?}",
        inlined.def.nodes.keys()
    );

    // The sub-flow cannot go into the flow that goes into it.
    let path = format!("/api/v1/voice/flows/{after_id}");
    let got = app
        .put(
            &admin,
            &path,
            json!({ "name": "售后", "definition": with_sub_flow(&main_id) }),
        )
        .await;
    refused(&got, "definition.nodes.after.nodes.after.flow_id", "circle");
    // Nor into itself, nor into a flow that does not exist.
    let got = app
        .put(
            &admin,
            &path,
            json!({ "name": "售后", "definition": with_sub_flow(&after_id) }),
        )
        .await;
    refused(&got, "definition.nodes.after.flow_id", "circle");
    let got = app
        .put(&admin, &path, json!({ "name": "售后", "definition": with_sub_flow(&uuid::Uuid::new_v4().to_string()) }))
        .await;
    refused(&got, "definition.nodes.after.flow_id", "no IVR flow");
    // A change that would break the flow including it is refused, naming that flow.
    let mut bad = small_flow(&queues[1]);
    bad["nodes"]["menu"]["label"] = json!("a label that is far longer than thirty-two characters");
    let got = app
        .put(&admin, &path, json!({ "name": "售后", "definition": bad }))
        .await;
    assert_eq!(got.0, StatusCode::UNPROCESSABLE_ENTITY, "{}", got.1);

    // In use as a sub-flow: not deleted.
    let got = app.delete(&admin, &path).await;
    assert_error(&got, StatusCode::CONFLICT, "in_use");
    assert!(
        got.1["message"].as_str().unwrap().contains("主流程"),
        "{}",
        got.1
    );
    assert_eq!(
        app.delete(&admin, &format!("/api/v1/voice/flows/{main_id}"))
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.delete(&admin, &path).await.0, StatusCode::NO_CONTENT);
}

async fn other_tenants_flows_are_out_of_reach(app: TestApp) {
    let admin = app.admin().await;
    let queues = voice_queues(&app, &admin).await;
    let ours = create(&app, &admin, "ours", small_flow(&queues[1])).await;
    let id = ours["id"].as_str().unwrap();
    let path = format!("/api/v1/voice/flows/{id}");
    let beta = second_tenant(&app).await;
    let (status, list) = app.get(&beta, "/api/v1/voice/flows").await;
    assert_eq!((status, list), (StatusCode::OK, json!([])));
    assert_error(
        &app.get(&beta, &path).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_error(
        &app.delete(&beta, &path).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let beta_def =
        json!({ "start": "bye", "nodes": { "bye": { "type": "hangup", "label": "再见" } } });
    assert_error(
        &app.put(
            &beta,
            &path,
            json!({ "name": "taken", "definition": beta_def }),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    // Beta cannot route into our queue nor go into our flow.
    let got = app
        .post(
            &beta,
            "/api/v1/voice/flows",
            json!({ "name": "b", "definition": small_flow(&queues[1]) }),
        )
        .await;
    refused(&got, "definition.nodes.queue.queue_id", "this tenant");
    let got = app
        .post(
            &beta,
            "/api/v1/voice/flows",
            json!({ "name": "b", "definition": with_sub_flow(id) }),
        )
        .await;
    assert_eq!(got.0, StatusCode::UNPROCESSABLE_ENTITY, "{}", got.1);
    assert_eq!(got.1["field"], "definition.nodes.after.flow_id");
    let (_, still) = app.get(&admin, &path).await;
    assert_eq!(still["name"], "ours");
}

async fn only_queue_managers_edit_flows_and_prompts(app: TestApp) {
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let supervisor = app.token("demo", "supervisor", DEMO_PASSWORD).await;
    for token in [&agent, &supervisor] {
        for path in [
            "/api/v1/voice/flows",
            "/api/v1/voice/prompts",
            "/api/v1/voice/builtin-prompts",
        ] {
            assert_error(
                &app.get(token, path).await,
                StatusCode::FORBIDDEN,
                "forbidden",
            );
        }
        let got = app.post(token, "/api/v1/voice/flows", json!({})).await;
        assert_error(&got, StatusCode::FORBIDDEN, "forbidden");
    }
}

async fn agents_list_flows_and_their_nodes(app: TestApp) {
    let admin = app.admin().await;
    let queues = voice_queues(&app, &admin).await;
    let made = create(&app, &admin, "售后导航", small_flow(&queues[1])).await;
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let (status, list) = app.get(&agent, "/api/v1/agent/ivr-flows").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let ours = list
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == made["id"])
        .expect("the new flow is listed");
    assert_eq!(ours["name"], "售后导航");
    // The start first, then by id; only ids and labels, no definition.
    assert_eq!(
        ours["nodes"],
        json!([
            { "id": "menu", "label": "售后菜单" },
            { "id": "bye", "label": "挂机" },
            { "id": "queue", "label": "售后" }
        ])
    );
    assert!(ours.get("definition").is_none());
    let beta = second_tenant(&app).await;
    let (status, list) = app.get(&beta, "/api/v1/agent/ivr-flows").await;
    assert_eq!((status, list), (StatusCode::OK, json!([])));
}

on_both!(
    flows_are_kept_checked_and_changed,
    sub_flows_are_inlined_and_cycles_refused,
    other_tenants_flows_are_out_of_reach,
    only_queue_managers_edit_flows_and_prompts,
    agents_list_flows_and_their_nodes,
);
