//! Skill queues, category tags, tenant and agent parameters.

use reqwest::StatusCode;
use serde_json::json;

use crate::on_both;
use crate::support::{assert_error, TestApp, DEMO_PASSWORD};

async fn skill_queues_bind_agents_and_overflow(app: TestApp) {
    let admin = app.admin().await;
    let (_, users) = app.get(&admin, "/api/v1/users").await;
    let user = |login: &str| {
        users
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["login"] == login)
            .unwrap()["id"]
            .clone()
    };
    let (status, tag) = app
        .post(&admin, "/api/v1/tags", json!({ "name": "退款 Refunds" }))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        app.post(&admin, "/api/v1/tags", json!({ "name": "退款 Refunds" }))
            .await
            .0,
        StatusCode::CONFLICT
    );

    let (status, backup) = app
        .post(
            &admin,
            "/api/v1/queues",
            json!({ "name": "后备 Backup", "channel": "voice" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{backup}");
    assert_eq!(
        backup["strategy"], "longest_idle",
        "longest idle is the default strategy"
    );
    let (status, q) = app
        .post(&admin, "/api/v1/queues", json!({
            "name": "退款 Refunds", "channel": "video", "strategy": "skill_level", "priority": 80,
            "max_queue_len": 20, "max_wait_s": 120, "overflow_queue_id": backup["id"], "tags": ["退款 Refunds"],
            "agents": [{ "user_id": user("agent1"), "skill_level": 7 }]
        }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{q}");
    assert_eq!(q["tags"], json!(["退款 Refunds"]));
    assert_eq!(
        q["agents"],
        json!([{ "user_id": user("agent1"), "skill_level": 7 }])
    );
    let qid = q["id"].as_str().unwrap();

    let (status, q2) = app
        .put(&admin, &format!("/api/v1/queues/{qid}/agents"), json!([
            { "user_id": user("agent2"), "skill_level": 10 }, { "user_id": user("agent3"), "skill_level": 1 }
        ]))
        .await;
    assert_eq!(status, StatusCode::OK, "{q2}");
    assert_eq!(q2["agents"].as_array().unwrap().len(), 2);
    let bad_level = app
        .put(
            &admin,
            &format!("/api/v1/queues/{qid}/agents"),
            json!([{ "user_id": user("agent2"), "skill_level": 11 }]),
        )
        .await;
    assert_eq!(bad_level.1["field"], "skill_level");
    let twice = app.put(&admin, &format!("/api/v1/queues/{qid}/agents"), json!([
        { "user_id": user("agent2"), "skill_level": 1 }, { "user_id": user("agent2"), "skill_level": 2 }
    ])).await;
    assert_eq!(twice.0, StatusCode::BAD_REQUEST);
    let stranger = app
        .put(
            &admin,
            &format!("/api/v1/queues/{qid}/agents"),
            json!([{ "user_id": "00000000-0000-7000-8000-000000000000", "skill_level": 2 }]),
        )
        .await;
    assert_eq!(stranger.0, StatusCode::BAD_REQUEST);

    let (status, patched) = app
        .patch(
            &admin,
            &format!("/api/v1/queues/{qid}"),
            json!({ "max_wait_s": null, "strategy": "round_robin" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["max_wait_s"], serde_json::Value::Null);
    assert_eq!(patched["max_queue_len"], 20, "fields left out stay");
    assert_eq!(patched["agents"].as_array().unwrap().len(), 2);
    let own = app
        .patch(
            &admin,
            &format!("/api/v1/queues/{qid}"),
            json!({ "overflow_queue_id": qid }),
        )
        .await;
    assert_eq!(own.1["field"], "overflow_queue_id");
    assert_eq!(
        app.patch(
            &admin,
            &format!("/api/v1/queues/{qid}"),
            json!({ "max_queue_len": 0 })
        )
        .await
        .1["field"],
        "max_queue_len"
    );
    assert_eq!(
        app.post(
            &admin,
            "/api/v1/queues",
            json!({ "name": "退款 Refunds", "channel": "chat" })
        )
        .await
        .0,
        StatusCode::CONFLICT
    );
    assert_eq!(
        app.post(&admin, "/api/v1/queues", json!({ "channel": "chat" }))
            .await
            .1["field"],
        "name"
    );

    let busy = app
        .delete(
            &admin,
            &format!("/api/v1/queues/{}", backup["id"].as_str().unwrap()),
        )
        .await;
    assert_error(&busy, StatusCode::CONFLICT, "conflict");
    assert_eq!(
        app.delete(
            &admin,
            &format!("/api/v1/tags/{}", tag["id"].as_str().unwrap())
        )
        .await
        .0,
        StatusCode::NO_CONTENT
    );
    let (_, after) = app.get(&admin, &format!("/api/v1/queues/{qid}")).await;
    assert_eq!(after["tags"], json!([]));
    assert_eq!(
        app.delete(&admin, &format!("/api/v1/queues/{qid}")).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&admin, &format!("/api/v1/queues/{qid}")).await.0,
        StatusCode::NOT_FOUND
    );
}

async fn tenant_parameters_and_the_sign_in_mode_precedence(app: TestApp) {
    let admin = app.admin().await;
    let (status, mut params) = app.get(&admin, "/api/v1/tenant/params").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(params["sign_in_mode"], "agent_configured");
    assert_eq!(params["post_sign_in_state"], "idle");

    params["offer_timeout_s"] = json!(3);
    assert_eq!(
        app.put(&admin, "/api/v1/tenant/params", params.clone())
            .await
            .1["field"],
        "offer_timeout_s"
    );
    params["offer_timeout_s"] = json!(30);
    params["post_sign_in_state"] = json!("napping");
    assert_eq!(
        app.put(&admin, "/api/v1/tenant/params", params.clone())
            .await
            .1["field"],
        "post_sign_in_state"
    );
    params["post_sign_in_state"] = json!("busy");
    params["wrap_up_limit_s"] = json!(90);
    params["summary_required"] = json!(true);
    let (status, saved) = app
        .put(&admin, "/api/v1/tenant/params", params.clone())
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(app.get(&admin, "/api/v1/tenant/params").await.1, params);

    // Agent-configured: the agent's own mode decides.
    let (_, users) = app.get(&admin, "/api/v1/users").await;
    let agent1 = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["login"] == "agent1")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.patch(
        &admin,
        &format!("/api/v1/users/{agent1}"),
        json!({ "agent_params": { "sign_in_mode": "specified", "auto_answer": true } }),
    )
    .await;
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let me = app.get(&agent, "/api/v1/me").await.1;
    assert_eq!(me["effective_sign_in_mode"], "specified");
    assert_eq!(me["effective_auto_answer"], true);
    // Unified automatic: the tenant decides, whatever the agent chose.
    params["sign_in_mode"] = json!("unified_automatic");
    app.put(&admin, "/api/v1/tenant/params", params.clone())
        .await;
    assert_eq!(
        app.get(&agent, "/api/v1/me").await.1["effective_sign_in_mode"],
        "automatic"
    );
    params["sign_in_mode"] = json!("unified_specified");
    app.put(&admin, "/api/v1/tenant/params", params.clone())
        .await;
    let agent2 = app.token("demo", "agent2", DEMO_PASSWORD).await;
    assert_eq!(
        app.get(&agent2, "/api/v1/me").await.1["effective_sign_in_mode"],
        "specified"
    );
}

on_both!(
    skill_queues_bind_agents_and_overflow,
    tenant_parameters_and_the_sign_in_mode_precedence
);
