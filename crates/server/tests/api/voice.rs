//! Voice configuration: extensions (the password kept only as digest HA1s), trunks, hotline
//! numbers, the agent's phone; validation, conflicts and other tenants' records.

use reqwest::StatusCode;
use serde_json::{json, Value};
use switchboard_engine::{TenantId, UserId};
use switchboard_sip::digest::{Algorithm, Credentials};
use switchboard_storage::SipExtension;

use crate::isolation::second_tenant;
use crate::on_both;
use crate::support::{assert_error, TestApp, DEMO_PASSWORD};

async fn demo_tenant(app: &TestApp) -> TenantId {
    let name = switchboard_engine::TenantName::parse("demo").unwrap();
    app.store.tenant_by_name(&name).await.unwrap().unwrap().id
}

async fn stored_extension(app: &TestApp, agent: &str) -> Option<SipExtension> {
    let tenant = demo_tenant(app).await;
    let agent = UserId(agent.parse().unwrap());
    app.store
        .sip_extensions(tenant)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.agent == agent)
}

/// Whether a phone answering a REGISTER challenge with this password would be let in.
fn phone_proves(ext: &SipExtension, realm: &str, password: &str) -> bool {
    [
        (Algorithm::Md5, &ext.ha1_md5),
        (Algorithm::Sha256, &ext.ha1_sha256),
    ]
    .into_iter()
    .all(|(alg, stored)| {
        // What the phone computes from what it knows.
        let ha1 = alg.hash(&format!("{}:{realm}:{password}", ext.number));
        let uri = format!("sip:{realm}");
        let ha2 = alg.hash(&format!("REGISTER:{uri}"));
        let (nonce, nc, cnonce) = ("abc123", "00000001", "0a4f113b");
        let response = alg.hash(&format!("{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}"));
        let creds = Credentials {
            username: ext.number.clone(),
            realm: realm.to_owned(),
            nonce: nonce.to_owned(),
            uri,
            response,
            algorithm: Some(alg.name().to_owned()),
            cnonce: Some(cnonce.to_owned()),
            qop: Some("auth".to_owned()),
            nc: Some(nc.to_owned()),
        };
        creds.verify("REGISTER", stored)
    })
}

fn row<'a>(list: &'a Value, agent: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|r| r["agent_id"] == agent)
        .unwrap_or_else(|| panic!("no row for {agent} in {list}"))
}

async fn extensions_keep_only_digests_of_the_password(app: TestApp) {
    let admin = app.admin().await;
    let user = app
        .create_user(&admin, "sipper", &["agent"], "initial-pass")
        .await;
    let id = user["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/voice/extensions/{id}");

    let (_, list) = app.get(&admin, "/api/v1/voice/extensions").await;
    assert_eq!(row(&list, &id)["number"], Value::Null);
    assert_eq!(row(&list, &id)["registered_devices"], 0);

    let password = "first-Secret-7";
    let (status, body) = app
        .put(
            &admin,
            &path,
            json!({ "number": "2301", "password": password }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["number"], "2301");
    assert_eq!(body["login"], "sipper");
    let ext = stored_extension(&app, &id).await.unwrap();
    assert!(phone_proves(&ext, "demo", password));
    assert!(!phone_proves(&ext, "demo", "first-Secret-8"));

    // A new number needs the password again; the digests follow the number.
    let (status, body) = app.put(&admin, &path, json!({ "number": "2302" })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["field"], "password");
    let second = "second-Secret-9";
    let (status, _) = app
        .put(
            &admin,
            &path,
            json!({ "number": "2302", "password": second }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let ext = stored_extension(&app, &id).await.unwrap();
    assert_eq!(ext.number, "2302");
    assert!(phone_proves(&ext, "demo", second));
    assert!(!phone_proves(&ext, "demo", password));

    // No answer shows a password or its digests.
    let (_, list) = app.get(&admin, "/api/v1/voice/extensions").await;
    assert_eq!(row(&list, &id)["number"], "2302");
    let text = list.to_string();
    for secret in [password, second, &ext.ha1_md5, &ext.ha1_sha256] {
        assert!(!text.contains(secret), "{text}");
        assert!(!body.to_string().contains(secret));
    }

    // The agent sees their phone.
    let token = app.token("demo", "sipper", "initial-pass").await;
    app.post(
        &token,
        "/api/v1/auth/password",
        json!({ "current_password": "initial-pass", "new_password": "chosen-pass" }),
    )
    .await;
    let (status, phone) = app.get(&token, "/api/v1/agent/phone").await;
    assert_eq!(status, StatusCode::OK, "{phone}");
    assert_eq!(
        phone,
        json!({ "extension": "2302", "line": "off", "registered_devices": 0, "sip_domain": "demo" })
    );

    let (status, _) = app.delete(&admin, &path).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(stored_extension(&app, &id).await.is_none());
    assert_error(
        &app.delete(&admin, &path).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let (_, phone) = app.get(&token, "/api/v1/agent/phone").await;
    assert_eq!(phone["extension"], Value::Null);
}

async fn the_demo_has_phones_trunk_and_hotlines(app: TestApp) {
    let admin = app.admin().await;
    let (_, list) = app.get(&admin, "/api/v1/voice/extensions").await;
    let numbers: Vec<(String, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["number"].is_null())
        .map(|r| {
            (
                r["login"].as_str().unwrap().to_owned(),
                r["number"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for (login, number) in [("agent1", "1001"), ("agent2", "1002"), ("agent3", "1003")] {
        assert!(
            numbers.contains(&(login.to_owned(), number.to_owned())),
            "{numbers:?}"
        );
        let id = list
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["login"] == login)
            .unwrap()["agent_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let ext = stored_extension(&app, &id).await.unwrap();
        assert!(phone_proves(&ext, "demo", DEMO_PASSWORD));
    }
    let (_, trunks) = app.get(&admin, "/api/v1/voice/trunks").await;
    assert_eq!(trunks[0]["name"], "local");
    assert_eq!(trunks[0]["peers"], json!(["127.0.0.1"]));
    let (_, queues) = app.get(&admin, "/api/v1/queues").await;
    let queue_named = |prefix: &str| {
        queues
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["name"].as_str().unwrap().starts_with(prefix))
            .unwrap()["id"]
            .clone()
    };
    let (_, numbers) = app.get(&admin, "/api/v1/voice/numbers").await;
    assert_eq!(numbers[0]["number"], "4000");
    // 4000 answers with the demo's IVR menu.
    let tenant = app
        .store
        .tenant_by_name(&switchboard_engine::TenantName::parse("demo").unwrap())
        .await
        .unwrap()
        .unwrap();
    let flows = app.store.ivr_flows(tenant.id).await.unwrap();
    assert_eq!(flows.len(), 1);
    assert_eq!(
        numbers[0]["route"],
        json!({ "kind": "flow", "flow_id": flows[0].id.0.to_string() })
    );
    assert_eq!(numbers[1]["number"], "4001");
    assert_eq!(
        numbers[1]["route"],
        json!({ "kind": "queue", "queue_id": queue_named("售后") })
    );
    // Seeding again adds nothing.
    switchboard_server::demo::seed(app.store.as_ref(), app.clock.now_ms())
        .await
        .unwrap();
    let (_, again) = app.get(&admin, "/api/v1/voice/numbers").await;
    assert_eq!(again, numbers);
    let (_, agent) = app
        .get(
            &app.token("demo", "agent1", DEMO_PASSWORD).await,
            "/api/v1/agent/phone",
        )
        .await;
    assert_eq!(agent["extension"], "1001");
}

async fn trunks_and_numbers_are_checked_and_kept_apart(app: TestApp) {
    let admin = app.admin().await;
    let bad = |body: Value| {
        let admin = admin.clone();
        let app = &app;
        async move { app.post(&admin, "/api/v1/voice/trunks", body).await }
    };
    for (body, field) in [
        (json!({ "name": "", "peers": ["192.0.2.7"] }), "name"),
        (
            json!({ "name": "x".repeat(65), "peers": ["192.0.2.7"] }),
            "name",
        ),
        (json!({ "name": "carrier", "peers": [] }), "peers"),
        (
            json!({ "name": "carrier", "peers": ["pbx.example.com"] }),
            "peers[0]",
        ),
        (
            json!({ "name": "carrier", "peers": ["192.0.2.7", "192.0.2.7"] }),
            "peers[1]",
        ),
        (
            json!({ "name": "carrier\u{1b}", "peers": ["192.0.2.7"] }),
            "name",
        ),
    ] {
        let got = bad(body.clone()).await;
        assert_error(&got, StatusCode::BAD_REQUEST, "invalid_field");
        assert_eq!(got.1["field"], field, "{body} → {}", got.1);
    }
    let (status, trunk) = app
        .post(
            &admin,
            "/api/v1/voice/trunks",
            json!({ "name": "carrier", "peers": ["192.0.2.7", "2001:db8::7"] }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{trunk}");
    assert_eq!(trunk["enabled"], true);
    let trunk_path = format!("/api/v1/voice/trunks/{}", trunk["id"].as_str().unwrap());
    let got = app
        .post(
            &admin,
            "/api/v1/voice/trunks",
            json!({ "name": "carrier", "peers": ["192.0.2.8"] }),
        )
        .await;
    assert_error(&got, StatusCode::CONFLICT, "conflict");
    assert_eq!(got.1["field"], "name");
    let got = app
        .post(
            &admin,
            "/api/v1/voice/trunks",
            json!({ "name": "other", "peers": ["2001:db8::7"] }),
        )
        .await;
    assert_error(&got, StatusCode::CONFLICT, "conflict");
    assert_eq!(got.1["field"], "peers");
    let (status, changed) = app
        .put(
            &admin,
            &trunk_path,
            json!({ "name": "carrier 2", "peers": ["192.0.2.9"], "enabled": false }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    let (_, trunks) = app.get(&admin, "/api/v1/voice/trunks").await;
    assert!(trunks.as_array().unwrap().iter().any(|t| t
        == &json!({
            "id": trunk["id"], "name": "carrier 2", "peers": ["192.0.2.9"], "enabled": false,
            "registration": null, "registered": null, "outbound_proxy": null
        })));

    // Numbers and their routes.
    let (_, queues) = app.get(&admin, "/api/v1/queues").await;
    let chat_queue = queues
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["channel"] == "chat")
        .unwrap()["id"]
        .clone();
    for (body, field) in [
        (
            json!({ "number": "40a0", "route": { "kind": "extension", "number": "1001" } }),
            "number",
        ),
        (
            json!({ "number": "+", "route": { "kind": "extension", "number": "1001" } }),
            "number",
        ),
        (
            json!({ "number": "4500", "route": { "kind": "queue", "queue_id": chat_queue } }),
            "route.queue_id",
        ),
        (
            json!({ "number": "4500", "route": { "kind": "direct", "uri": "sip:4000@pbx.example.com" } }),
            "route.uri",
        ),
        (
            json!({ "number": "4500", "route": { "kind": "direct", "uri": "http://192.0.2.1/" } }),
            "route.uri",
        ),
        (
            json!({ "number": "4500", "route": { "kind": "extension", "number": "9999" } }),
            "route.number",
        ),
        (
            json!({ "number": "4500", "route": { "kind": "elsewhere" } }),
            "route.kind",
        ),
    ] {
        let got = app
            .post(&admin, "/api/v1/voice/numbers", body.clone())
            .await;
        assert_error(&got, StatusCode::BAD_REQUEST, "invalid_field");
        assert_eq!(got.1["field"], field, "{body} → {}", got.1);
    }
    let (status, number) = app
        .post(
            &admin,
            "/api/v1/voice/numbers",
            json!({ "number": "+861088880000", "survey": true,
                "route": { "kind": "direct", "uri": "sip:8000@192.0.2.20:5060" } }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{number}");
    assert_eq!(number["inbound"], true);
    assert_eq!(number["survey"], true);
    assert_eq!(
        number["route"],
        json!({ "kind": "direct", "uri": "sip:8000@192.0.2.20:5060" })
    );
    let number_path = format!("/api/v1/voice/numbers/{}", number["id"].as_str().unwrap());
    for taken in ["4000", "1001"] {
        let got = app
            .post(
                &admin,
                "/api/v1/voice/numbers",
                json!({ "number": taken, "route": { "kind": "extension", "number": "1001" } }),
            )
            .await;
        assert_error(&got, StatusCode::CONFLICT, "conflict");
        assert_eq!(got.1["field"], "number");
    }
    let (status, changed) = app
        .put(
            &admin,
            &number_path,
            json!({ "number": "+861088880000", "inbound": false,
                "route": { "kind": "extension", "number": "1002" } }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["inbound"], false);
    assert_eq!(changed["survey"], false);
    assert_eq!(changed["route"]["kind"], "extension");

    // A route into an IVR flow of the tenant (flows are stored by the voice side).
    let got = app
        .post(
            &admin,
            "/api/v1/voice/numbers",
            json!({ "number": "4600", "route": { "kind": "flow", "flow_id": uuid::Uuid::new_v4() } }),
        )
        .await;
    assert_error(&got, StatusCode::BAD_REQUEST, "invalid_field");
    assert_eq!(got.1["field"], "route.flow_id");
    let tenant = demo_tenant(&app).await;
    let voice_queues: Vec<_> = app
        .store
        .skill_queues(tenant)
        .await
        .unwrap()
        .into_iter()
        .filter(|q| q.spec.channel == switchboard_engine::Channel::Voice)
        .map(|q| q.id)
        .collect();
    let def = switchboard_server::voice::flows::demo_flow(voice_queues[0], voice_queues[1], "1001");
    let flow = switchboard_storage::IvrFlow {
        id: switchboard_engine::IvrFlowId::new(),
        name: "主菜单".into(),
        definition: serde_json::to_string(&def).unwrap(),
    };
    app.store.save_ivr_flow(tenant, &flow, 0).await.unwrap();
    let (status, body) = app
        .post(
            &admin,
            "/api/v1/voice/numbers",
            json!({ "number": "4600", "route": { "kind": "flow", "flow_id": flow.id.0 } }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        body["route"],
        json!({ "kind": "flow", "flow_id": flow.id.0 })
    );

    // An extension may not take a hotline's number, nor another agent's.
    let (_, list) = app.get(&admin, "/api/v1/voice/extensions").await;
    let agent1 = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["login"] == "agent1")
        .unwrap()["agent_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let ext_path = format!("/api/v1/voice/extensions/{agent1}");
    for taken in ["4000", "1002"] {
        let got = app
            .put(
                &admin,
                &ext_path,
                json!({ "number": taken, "password": "switchboard" }),
            )
            .await;
        assert_error(&got, StatusCode::CONFLICT, "conflict");
        assert_eq!(got.1["field"], "number");
    }
    for (body, field) in [
        (
            json!({ "number": "1", "password": "switchboard" }),
            "number",
        ),
        (
            json!({ "number": "10a1", "password": "switchboard" }),
            "number",
        ),
        (json!({ "number": "1001", "password": "short" }), "password"),
        (
            json!({ "number": "1001", "password": "两个汉字两个汉字" }),
            "password",
        ),
        (
            json!({ "number": "1001", "password": "switch\u{0}board" }),
            "password",
        ),
    ] {
        let got = app.put(&admin, &ext_path, body.clone()).await;
        assert_error(&got, StatusCode::BAD_REQUEST, "invalid_field");
        assert_eq!(got.1["field"], field, "{body} → {}", got.1);
        assert!(!got.1.to_string().contains("short"));
    }

    // Another tenant's admin reaches none of it.
    let beta = second_tenant(&app).await;
    for path in [&trunk_path, &number_path, &ext_path] {
        assert_error(
            &app.delete(&beta, path).await,
            StatusCode::NOT_FOUND,
            "not_found",
        );
    }
    assert_error(
        &app.put(
            &beta,
            &trunk_path,
            json!({ "name": "stolen", "peers": ["192.0.2.99"] }),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_error(
        &app.put(
            &beta,
            &number_path,
            json!({ "number": "4999", "route": { "kind": "direct", "uri": "sip:1@192.0.2.1" } }),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_error(
        &app.put(
            &beta,
            &ext_path,
            json!({ "number": "7001", "password": "beta-password" }),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    for list in ["trunks", "numbers", "extensions"] {
        let (status, body) = app.get(&beta, &format!("/api/v1/voice/{list}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!body.to_string().contains("agent1"), "{body}");
        assert!(!body.to_string().contains("carrier"), "{body}");
    }
    // Beta may use the same numbers as the demo: they are its own.
    let (status, body) = app
        .post(
            &beta,
            "/api/v1/voice/numbers",
            json!({ "number": "4000", "route": { "kind": "direct", "uri": "sip:1@192.0.2.1" } }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // Deleting.
    for path in [&trunk_path, &number_path] {
        let (status, _) = app.delete(&admin, path).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        assert_error(
            &app.delete(&admin, path).await,
            StatusCode::NOT_FOUND,
            "not_found",
        );
    }
    assert_error(
        &app.put(
            &admin,
            &trunk_path,
            json!({ "name": "back", "peers": ["192.0.2.99"] }),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
}

async fn only_holders_of_the_permissions_configure_voice(app: TestApp) {
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let supervisor = app.token("demo", "supervisor", DEMO_PASSWORD).await;
    for token in [&agent, &supervisor] {
        for path in [
            "/api/v1/voice/extensions",
            "/api/v1/voice/trunks",
            "/api/v1/voice/numbers",
        ] {
            assert_error(
                &app.get(token, path).await,
                StatusCode::FORBIDDEN,
                "forbidden",
            );
        }
    }
    let (status, phone) = app.get(&supervisor, "/api/v1/agent/phone").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(phone["extension"], Value::Null);
}

/// A voice queue's voicemail becomes a callback task or a ticket, never both; the ticket
/// type must be the tenant's, in use, and ask only for fields a voicemail fills.
async fn voicemail_becomes_a_ticket_of_a_type_of_the_tenant(app: TestApp) {
    let admin = app.admin().await;
    let (_, list) = app.get(&admin, "/api/v1/voice/queues").await;
    let queue = list
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["queue_name"].as_str().unwrap().starts_with("售后服务"))
        .unwrap()["queue_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/voice/queues/{queue}");
    let (_, queues) = app.get(&admin, "/api/v1/queues").await;
    let tasks = queues
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["channel"] == "task")
        .unwrap()["id"]
        .clone();
    let new_type = |token: String, name: &'static str| {
        let app = &app;
        async move {
            let (status, t) = app
                .post(
                    &token,
                    "/api/v1/ticket-types",
                    json!({ "name": name, "fields": null }),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{t}");
            t
        }
    };
    let ours = new_type(admin.clone(), "语音留言 Voicemail").await;
    let beta = second_tenant(&app).await;
    let theirs = new_type(beta, "Beta voicemail").await;
    // A type that asks for an order number no voicemail knows.
    let strict = new_type(admin.clone(), "订单问题 Order").await;
    let mut fields = strict["fields"].as_array().unwrap().clone();
    fields.push(json!({ "code": "order_no", "label": "订单号", "type": "text", "required": true }));
    let (status, body) = app
        .put(
            &admin,
            &format!("/api/v1/ticket-types/{}", strict["id"].as_str().unwrap()),
            json!({ "name": "订单问题 Order", "version": 1, "fields": fields, "workflow": strict["workflow"] }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let settings = |task: Value, ticket: Value| {
        json!({ "announce_every_s": null, "languages": ["zh"], "voicemail_queue_id": task,
                "voicemail_ticket_type_id": ticket, "voicemail_max_s": 60 })
    };
    for (body, why) in [
        (settings(tasks.clone(), ours["id"].clone()), "not both"),
        (settings(Value::Null, theirs["id"].clone()), "this tenant"),
        (
            settings(Value::Null, json!(uuid::Uuid::now_v7())),
            "this tenant",
        ),
        (settings(Value::Null, strict["id"].clone()), "order_no"),
    ] {
        let got = app.put(&admin, &path, body).await;
        assert_error(&got, StatusCode::BAD_REQUEST, "invalid_field");
        assert_eq!(got.1["field"], "voicemail_ticket_type_id", "{}", got.1);
        let message = got.1["message"].as_str().unwrap();
        assert!(message.contains(why), "{message}");
    }
    let (_, after) = app.get(&admin, "/api/v1/voice/queues").await;
    assert_eq!(after, list, "refusals change nothing");

    let (status, saved) = app
        .put(&admin, &path, settings(Value::Null, ours["id"].clone()))
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(
        (
            &saved["voicemail_ticket_type_id"],
            &saved["voicemail_queue_id"]
        ),
        (&ours["id"], &Value::Null)
    );
    let tenant = demo_tenant(&app).await;
    let stored = app.store.queue_voice(tenant).await.unwrap();
    let stored = stored
        .iter()
        .find(|q| q.queue.0.to_string() == queue)
        .unwrap();
    assert_eq!(
        stored.voicemail,
        Some(switchboard_storage::VoicemailTo::Ticket(
            switchboard_engine::TicketTypeId(ours["id"].as_str().unwrap().parse().unwrap())
        ))
    );
    // Left out, the ticket type is none: back to callback tasks.
    let (status, saved) = app
        .put(
            &admin,
            &path,
            json!({ "announce_every_s": null, "languages": ["zh"], "voicemail_queue_id": tasks, "voicemail_max_s": 60 }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(
        (
            &saved["voicemail_ticket_type_id"],
            &saved["voicemail_queue_id"]
        ),
        (&Value::Null, &tasks)
    );
    // A type deleted takes the queue's voicemail with it.
    app.put(&admin, &path, settings(Value::Null, ours["id"].clone()))
        .await;
    let (status, _) = app
        .delete(
            &admin,
            &format!("/api/v1/ticket-types/{}", ours["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, list) = app.get(&admin, "/api/v1/voice/queues").await;
    let q = list
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["queue_id"] == queue.as_str())
        .unwrap();
    assert_eq!(
        (&q["voicemail_ticket_type_id"], &q["voicemail_queue_id"]),
        (&Value::Null, &Value::Null),
        "{q}"
    );
}

on_both!(
    voicemail_becomes_a_ticket_of_a_type_of_the_tenant,
    extensions_keep_only_digests_of_the_password,
    the_demo_has_phones_trunk_and_hotlines,
    trunks_and_numbers_are_checked_and_kept_apart,
    only_holders_of_the_permissions_configure_voice,
);
