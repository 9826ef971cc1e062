//! Outbound configuration (issue #15): trunks' outbound proxies, numbers' outbound trunks,
//! number groups, the tenant's destination rules, and the agent's caller numbers — round
//! trips, every refusal (changing nothing), other tenants' records, and who may do what.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::isolation::second_tenant;
use crate::on_both;
use crate::support::{assert_error, TestApp, DEMO_PASSWORD};

const TRUNKS: &str = "/api/v1/voice/trunks";
const NUMBERS: &str = "/api/v1/voice/numbers";
const GROUPS: &str = "/api/v1/voice/number-groups";
const POLICY: &str = "/api/v1/voice/outbound-policy";
const CALLER_NUMBERS: &str = "/api/v1/agent/caller-numbers";

fn id(v: &Value) -> String {
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {v}"))
        .to_owned()
}

/// A trunk with an outbound proxy, made by `admin`.
async fn outbound_trunk(app: &TestApp, admin: &str, name: &str, peer: &str) -> String {
    let (status, trunk) = app
        .post(
            admin,
            TRUNKS,
            json!({ "name": name, "peers": [peer], "outbound_proxy": { "host": peer } }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{trunk}");
    id(&trunk)
}

/// A hotline number routed to an extension, outbound through `trunk` when given.
async fn number(app: &TestApp, admin: &str, number: &str, trunk: Option<&str>) -> String {
    let (status, n) = app
        .post(
            admin,
            NUMBERS,
            json!({ "number": number, "route": { "kind": "direct", "uri": "sip:pbx@192.0.2.9" },
                "outbound": trunk.is_some(), "outbound_trunk_id": trunk }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{n}");
    id(&n)
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

async fn trunks_and_numbers_carry_outbound_settings(app: TestApp) {
    let admin = app.admin().await;
    let (status, trunk) = app
        .post(
            &admin,
            TRUNKS,
            json!({ "name": "电信", "peers": ["192.0.2.1"],
                "outbound_proxy": { "host": "SIP.Carrier.example" } }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{trunk}");
    assert_eq!(
        trunk["outbound_proxy"],
        json!({ "host": "sip.carrier.example", "port": 5060 }),
        "the port defaults to 5060"
    );
    let trunk_id = id(&trunk);
    let (_, listed) = app.get(&admin, TRUNKS).await;
    let stored = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == trunk_id.as_str())
        .unwrap();
    assert_eq!(stored["outbound_proxy"]["host"], "sip.carrier.example");
    // The demo's trunk has none.
    assert!(listed
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["outbound_proxy"].is_null()));

    for (proxy, field) in [
        (json!({ "host": "carrier example" }), "outbound_proxy.host"),
        (json!({ "host": "" }), "outbound_proxy.host"),
        (json!({ "host": "a".repeat(254) }), "outbound_proxy.host"),
        (
            json!({ "host": "192.0.2.1", "port": 0 }),
            "outbound_proxy.port",
        ),
    ] {
        let got = app
            .put(
                &admin,
                &format!("{TRUNKS}/{trunk_id}"),
                json!({ "name": "电信", "peers": ["192.0.2.1"], "outbound_proxy": proxy }),
            )
            .await;
        assert_error(&got, StatusCode::BAD_REQUEST, "invalid_field");
        assert_eq!(got.1["field"], field);
    }
    let (_, after) = app.get(&admin, TRUNKS).await;
    assert_eq!(after, listed, "refusals changed nothing");

    // A number: outbound needs a trunk of the tenant that can carry calls out.
    let body = |outbound: bool, trunk: Value| {
        json!({ "number": "+861088880000", "route": { "kind": "direct", "uri": "sip:pbx@192.0.2.9" },
            "outbound": outbound, "outbound_trunk_id": trunk })
    };
    let got = app.post(&admin, NUMBERS, body(true, Value::Null)).await;
    assert_error(&got, StatusCode::BAD_REQUEST, "outbound_trunk_required");
    assert_eq!(got.1["field"], "outbound_trunk_id");
    let unknown = uuid::Uuid::now_v7().to_string();
    let got = app.post(&admin, NUMBERS, body(true, json!(unknown))).await;
    assert_error(&got, StatusCode::BAD_REQUEST, "invalid_field");
    assert_eq!(got.1["field"], "outbound_trunk_id");
    let local = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "local")
        .map(id)
        .unwrap();
    let got = app.post(&admin, NUMBERS, body(true, json!(local))).await;
    assert_error(&got, StatusCode::BAD_REQUEST, "invalid_field");
    assert!(got.1["message"]
        .as_str()
        .unwrap()
        .contains("outbound proxy"));
    let beta = second_tenant(&app).await;
    let theirs = outbound_trunk(&app, &beta, "beta trunk", "192.0.2.50").await;
    let got = app.post(&admin, NUMBERS, body(true, json!(theirs))).await;
    assert_error(&got, StatusCode::BAD_REQUEST, "invalid_field");
    let (_, numbers) = app.get(&admin, NUMBERS).await;
    assert!(numbers
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["number"] != "+861088880000"));

    let (status, n) = app.post(&admin, NUMBERS, body(true, json!(trunk_id))).await;
    assert_eq!(status, StatusCode::CREATED, "{n}");
    assert_eq!(
        (&n["outbound"], &n["outbound_trunk_id"]),
        (&json!(true), &json!(trunk_id))
    );
    // Off again, the trunk may stay picked; inbound-only numbers show false and null.
    let (status, off) = app
        .put(
            &admin,
            &format!("{NUMBERS}/{}", id(&n)),
            body(false, json!(trunk_id)),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{off}");
    assert_eq!(
        (&off["outbound"], &off["outbound_trunk_id"]),
        (&json!(false), &json!(trunk_id))
    );
    let (_, numbers) = app.get(&admin, NUMBERS).await;
    let demo = numbers
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["number"] == "4001")
        .unwrap();
    assert_eq!(
        (&demo["outbound"], &demo["outbound_trunk_id"]),
        (&json!(false), &Value::Null)
    );

    // Deleting the trunk leaves the number without one.
    let (status, _) = app.delete(&admin, &format!("{TRUNKS}/{trunk_id}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, numbers) = app.get(&admin, NUMBERS).await;
    let kept = numbers
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == n["id"])
        .unwrap();
    assert_eq!(kept["outbound_trunk_id"], Value::Null);
}

async fn number_groups_are_checked_and_kept_apart(app: TestApp) {
    let admin = app.admin().await;
    let trunk = outbound_trunk(&app, &admin, "电信", "192.0.2.1").await;
    let a = number(&app, &admin, "+861088880000", Some(&trunk)).await;
    let b = number(&app, &admin, "+862166660000", Some(&trunk)).await;
    let inbound_only = number(&app, &admin, "4100", None).await;
    let presales = queue(&app, &admin, "售前").await;
    let chat = queue(&app, &admin, "在线客服").await;

    let (status, g) = app
        .post(
            &admin,
            GROUPS,
            json!({ "name": "北京", "number_ids": [b, a], "queue_ids": [presales], "default_number_id": a }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{g}");
    assert_eq!(g["number_ids"], json!([a, b]), "numbers in their order");
    assert_eq!(g["queue_ids"], json!([presales]));
    assert_eq!(g["default_number_id"], json!(a));
    let (_, list) = app.get(&admin, GROUPS).await;
    assert_eq!(list, json!([g]));

    let unknown = uuid::Uuid::now_v7().to_string();
    let beta = second_tenant(&app).await;
    let beta_trunk = outbound_trunk(&app, &beta, "beta trunk", "192.0.2.50").await;
    let theirs = number(&app, &beta, "+861088880000", Some(&beta_trunk)).await;
    let group = |name: &str, numbers: Value, queues: Value, default: Value| json!({ "name": name, "number_ids": numbers, "queue_ids": queues, "default_number_id": default });
    for (body, field) in [
        (group("", json!([]), json!([]), Value::Null), "name"),
        (
            group(&"长".repeat(65), json!([]), json!([]), Value::Null),
            "name",
        ),
        (
            group("x", json!([inbound_only]), json!([]), Value::Null),
            "number_ids[0]",
        ),
        (
            group("x", json!([a, theirs]), json!([]), Value::Null),
            "number_ids[1]",
        ),
        (
            group("x", json!([unknown]), json!([]), Value::Null),
            "number_ids[0]",
        ),
        (
            group("x", json!([a, a]), json!([]), Value::Null),
            "number_ids[1]",
        ),
        (
            group("x", json!([]), json!([chat]), Value::Null),
            "queue_ids[0]",
        ),
        (
            group("x", json!([]), json!([unknown]), Value::Null),
            "queue_ids[0]",
        ),
        (
            group("x", json!([a]), json!([]), json!(b)),
            "default_number_id",
        ),
    ] {
        let got = app.post(&admin, GROUPS, body.clone()).await;
        assert_error(&got, StatusCode::BAD_REQUEST, "invalid_field");
        assert_eq!(got.1["field"], field, "{body}");
    }
    let got = app
        .post(
            &admin,
            GROUPS,
            group("北京", json!([]), json!([]), Value::Null),
        )
        .await;
    assert_error(&got, StatusCode::CONFLICT, "conflict");
    assert_eq!(got.1["field"], "name");
    let got = app
        .put(
            &admin,
            &format!("{GROUPS}/{unknown}"),
            group("新", json!([]), json!([]), Value::Null),
        )
        .await;
    assert_error(&got, StatusCode::NOT_FOUND, "not_found");
    assert_eq!(
        app.get(&admin, GROUPS).await.1,
        list,
        "refusals changed nothing"
    );

    // Another tenant neither sees, changes nor deletes it.
    assert_eq!(app.get(&beta, GROUPS).await.1, json!([]));
    let path = format!("{GROUPS}/{}", id(&g));
    let got = app
        .put(
            &beta,
            &path,
            group("偷", json!([theirs]), json!([]), Value::Null),
        )
        .await;
    assert_error(&got, StatusCode::NOT_FOUND, "not_found");
    assert_error(
        &app.delete(&beta, &path).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );

    // Replaced whole.
    let (status, changed) = app
        .put(
            &admin,
            &path,
            group("北京外呼", json!([b]), json!([]), Value::Null),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(
        (
            &changed["name"],
            &changed["number_ids"],
            &changed["queue_ids"],
            &changed["default_number_id"]
        ),
        (&json!("北京外呼"), &json!([b]), &json!([]), &Value::Null)
    );
    let (status, _) = app.delete(&admin, &path).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(app.get(&admin, GROUPS).await.1, json!([]));
}

async fn agents_present_their_queues_numbers(app: TestApp) {
    let admin = app.admin().await;
    let trunk = outbound_trunk(&app, &admin, "电信", "192.0.2.1").await;
    let a = number(&app, &admin, "+861088880000", Some(&trunk)).await;
    let b = number(&app, &admin, "+862166660000", Some(&trunk)).await;
    let presales = queue(&app, &admin, "售前").await;
    let (status, body) = app
        .post(
            &admin,
            GROUPS,
            json!({ "name": "北京", "number_ids": [a, b], "queue_ids": [presales], "default_number_id": b }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // agent1 works 售前; agent2 does not.
    let agent1 = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let (status, mine) = app.get(&agent1, CALLER_NUMBERS).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!(
        mine,
        json!([
            { "number_id": b, "number": "+862166660000", "group": "北京", "default": true },
            { "number_id": a, "number": "+861088880000", "group": "北京", "default": false },
        ])
    );
    let agent2 = app.token("demo", "agent2", DEMO_PASSWORD).await;
    assert_eq!(
        app.get(&agent2, CALLER_NUMBERS).await,
        (StatusCode::OK, json!([]))
    );
    // Another tenant's agent sees none of them.
    let beta = second_tenant(&app).await;
    let (status, _) = app.post(&beta, "/api/v1/users", json!({
        "login": "agent1", "real_name": "B", "display_name": "B", "chat_limit": 1, "roles": ["agent"], "password": "beta-agent-1"
    })).await;
    assert_eq!(status, StatusCode::CREATED);
    let beta_agent = app.token("beta", "agent1", "beta-agent-1").await;
    let (status, _) = app
        .post(
            &beta_agent,
            "/api/v1/auth/password",
            json!({ "current_password": "beta-agent-1", "new_password": "beta-agent-2" }),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, theirs) = app.get(&beta_agent, CALLER_NUMBERS).await;
    assert_eq!(theirs, json!([]));
}

async fn the_outbound_policy_defaults_then_round_trips(app: TestApp) {
    let admin = app.admin().await;
    let (status, before) = app.get(&admin, POLICY).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    assert_eq!(before["saved"], false);
    assert_eq!(before["daily_limit"], 200);
    assert_eq!(
        before["rules"][0],
        json!({ "prefix": "+86", "min_digits": 11, "max_digits": 13, "allow": true, "label": "国内固话和手机" })
    );
    assert_eq!(before["rules"].as_array().unwrap().len(), 3);

    let rule = |prefix: &str, min: u8, max: u8, label: &str| json!({ "prefix": prefix, "min_digits": min, "max_digits": max, "allow": true, "label": label });
    let saved = json!({
        "rules": [rule("+86", 11, 13, "国内"), rule("95", 5, 5, "服务热线"),
            { "prefix": "+86168", "min_digits": 1, "max_digits": 20, "allow": false, "label": "声讯台" }],
        "daily_limit": 50,
    });
    let (status, after) = app.put(&admin, POLICY, saved.clone()).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(after["saved"], true);
    assert_eq!(
        (&after["rules"], &after["daily_limit"]),
        (&saved["rules"], &saved["daily_limit"])
    );
    assert_eq!(app.get(&admin, POLICY).await.1, after);

    for (body, field) in [
        (
            json!({ "rules": [rule("+", 1, 20, "")], "daily_limit": null }),
            "rules[0].prefix",
        ),
        (
            json!({ "rules": [rule("86a", 1, 20, "")], "daily_limit": null }),
            "rules[0].prefix",
        ),
        (
            json!({ "rules": [rule("+12345678901234567", 1, 20, "")], "daily_limit": null }),
            "rules[0].prefix",
        ),
        (
            json!({ "rules": [rule("+86", 0, 20, "")], "daily_limit": null }),
            "rules[0].min_digits",
        ),
        (
            json!({ "rules": [rule("+86", 1, 2, ""), rule("+86", 12, 11, "")], "daily_limit": null }),
            "rules[1].max_digits",
        ),
        (
            json!({ "rules": [rule("+86", 1, 21, "")], "daily_limit": null }),
            "rules[0].max_digits",
        ),
        (
            json!({ "rules": [rule("+86", 1, 20, &"长".repeat(65))], "daily_limit": null }),
            "rules[0].label",
        ),
        (
            json!({ "rules": vec![rule("+86", 11, 13, ""); 101], "daily_limit": null }),
            "rules",
        ),
        (json!({ "rules": [], "daily_limit": 0 }), "daily_limit"),
        (json!({ "rules": [], "daily_limit": 10001 }), "daily_limit"),
    ] {
        let got = app.put(&admin, POLICY, body.clone()).await;
        assert_error(&got, StatusCode::BAD_REQUEST, "invalid_field");
        assert_eq!(got.1["field"], field, "{body}");
    }
    assert_eq!(
        app.get(&admin, POLICY).await.1,
        after,
        "refusals changed nothing"
    );

    // No rules and no limit is a policy too (nothing may be called).
    let (_, empty) = app
        .put(&admin, POLICY, json!({ "rules": [], "daily_limit": null }))
        .await;
    assert_eq!(
        empty,
        json!({ "rules": [], "daily_limit": null, "saved": true })
    );
    // Another tenant still has the defaults.
    let beta = second_tenant(&app).await;
    assert_eq!(app.get(&beta, POLICY).await.1, before);
}

async fn only_admins_configure_outbound_and_agents_read_their_numbers(app: TestApp) {
    let admin = app.admin().await;
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let supervisor = app.token("demo", "supervisor", DEMO_PASSWORD).await;
    for token in [&agent, &supervisor] {
        for path in [GROUPS, POLICY] {
            assert_error(
                &app.get(token, path).await,
                StatusCode::FORBIDDEN,
                "forbidden",
            );
        }
        let got = app
            .put(token, POLICY, json!({ "rules": [], "daily_limit": null }))
            .await;
        assert_error(&got, StatusCode::FORBIDDEN, "forbidden");
        let got = app.post(token, GROUPS, json!({ "name": "x" })).await;
        assert_error(&got, StatusCode::FORBIDDEN, "forbidden");
        assert_eq!(app.get(token, CALLER_NUMBERS).await.0, StatusCode::OK);
    }
    assert_eq!(app.get(&admin, POLICY).await.1["saved"], false);
    // Without calls.outbound (a user with no role), no caller numbers.
    let nobody = app.ready_user(&admin, "nobody", &[]).await;
    assert_error(
        &app.get(&nobody, CALLER_NUMBERS).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
}

on_both!(
    trunks_and_numbers_carry_outbound_settings,
    number_groups_are_checked_and_kept_apart,
    agents_present_their_queues_numbers,
    the_outbound_policy_defaults_then_round_trips,
    only_admins_configure_outbound_and_agents_read_their_numbers,
);
