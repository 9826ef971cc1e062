//! The engine through the API: sign-in modes, states, a task routed, answered, released,
//! wrapped up; the supervisor's live view; refusals.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::on_both;
use crate::support::{assert_error, TestApp, DEMO_PASSWORD};

async fn queue_id(app: &TestApp, token: &str, name_part: &str) -> String {
    let (_, queues) = app.get(token, "/api/v1/queues").await;
    queues
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["name"].as_str().unwrap().contains(name_part))
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn user_id(app: &TestApp, admin: &str, login: &str) -> String {
    let (_, users) = app.get(admin, "/api/v1/users").await;
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

async fn task(app: &TestApp, admin: &str, title: &str) -> Value {
    let q = queue_id(app, admin, "Tasks").await;
    let (status, contact) = app
        .post(
            admin,
            "/api/v1/contacts",
            json!({
                "queue_id": q, "title": title, "link": "https://crm.example/tickets/42",
                "priority": 5, "customer": "13800138000", "data": { "地址": "上海市浦东新区" }
            }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{contact}");
    contact
}

async fn a_task_is_offered_answered_released_and_wrapped_up(app: TestApp) {
    let admin = app.admin().await;
    let mut params = app.get(&admin, "/api/v1/tenant/params").await.1;
    params["summary_required"] = json!(true);
    app.put(&admin, "/api/v1/tenant/params", params).await;

    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let (status, me) = app.get(&agent, "/api/v1/agent").await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["state"], "signed_out");
    assert_eq!(me["bound_queues"].as_array().unwrap().len(), 3);
    let (status, me) = app.post(&agent, "/api/v1/agent/sign-in", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(
        (
            me["state"].as_str(),
            me["signed_in_queues"].as_array().unwrap().len()
        ),
        (Some("idle"), 3)
    );

    let contact = task(&app, &admin, "回访客户 call back").await;
    assert_eq!(contact["state"], "offered");
    assert_eq!(contact["agent_id"], me_id(&app, &agent).await);
    assert!(contact["offer_expires_at"].is_string());
    let id = contact["id"].as_str().unwrap();

    let (_, me) = app.get(&agent, "/api/v1/agent").await;
    assert_eq!(me["contacts"][0]["title"], "回访客户 call back");
    assert_eq!(me["contacts"][0]["data"]["地址"], "上海市浦东新区");
    assert_error(
        &app.post(&agent, &format!("/api/v1/contacts/{id}/release"), json!({}))
            .await,
        StatusCode::CONFLICT,
        "cannot_reject",
    );

    let (status, answered) = app
        .post(&agent, &format!("/api/v1/contacts/{id}/answer"), json!({}))
        .await;
    assert_eq!(
        (status, answered["state"].as_str()),
        (StatusCode::OK, Some("connected"))
    );
    assert_eq!(app.get(&agent, "/api/v1/agent").await.1["state"], "talking");
    let (_, released) = app
        .post(&agent, &format!("/api/v1/contacts/{id}/release"), json!({}))
        .await;
    assert_eq!(released["state"], "wrap_up");
    assert_eq!(app.get(&agent, "/api/v1/agent").await.1["state"], "wrap_up");

    assert_error(
        &app.post(&agent, "/api/v1/agent/continue", json!({})).await,
        StatusCode::CONFLICT,
        "summary_required",
    );
    let (status, saved) = app
        .put(
            &agent,
            &format!("/api/v1/contacts/{id}/summary"),
            json!({ "text": "已回访，客户满意" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let (status, me) = app
        .post(
            &agent,
            "/api/v1/agent/continue",
            json!({ "contact_id": id }),
        )
        .await;
    assert_eq!(
        (status, me["state"].as_str()),
        (StatusCode::OK, Some("idle"))
    );

    let (_, closed) = app.get(&admin, &format!("/api/v1/contacts/{id}")).await;
    assert_eq!(closed["state"], "closed");
    assert_eq!(closed["outcome"], "completed");
    assert_eq!(closed["summary"], "已回访，客户满意");
    assert_eq!(
        closed["agent_id"],
        me_id(&app, &agent).await,
        "the serving agent is remembered"
    );
    let (status, _) = app.get(&agent, &format!("/api/v1/contacts/{id}")).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the agent who served it may read it"
    );
    let other = app.token("demo", "agent2", DEMO_PASSWORD).await;
    assert_eq!(
        app.get(&other, &format!("/api/v1/contacts/{id}")).await.0,
        StatusCode::NOT_FOUND
    );

    // M8: the next contact of the same customer shows this one in its history.
    let next = task(&app, &admin, "再次来电 again").await;
    let next_id = next["id"].as_str().unwrap();
    let (status, history) = app
        .get(&admin, &format!("/api/v1/contacts/{next_id}/history"))
        .await;
    assert_eq!(status, StatusCode::OK, "{history}");
    assert_eq!(history["customer_key"], "13800138000");
    assert_eq!(history["recent"].as_array().unwrap().len(), 1);
    assert_eq!(history["recent"][0]["id"], id);
    assert_eq!(history["recent"][0]["summary"], "已回访，客户满意");
    assert_eq!(
        app.get(&other, &format!("/api/v1/contacts/{next_id}/history"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}

async fn me_id(app: &TestApp, token: &str) -> Value {
    app.get(token, "/api/v1/me").await.1["id"].clone()
}

async fn specified_mode_and_resetting_queues(app: TestApp) {
    let admin = app.admin().await;
    let agent2 = user_id(&app, &admin, "agent2").await;
    app.patch(
        &admin,
        &format!("/api/v1/users/{agent2}"),
        json!({ "agent_params": { "sign_in_mode": "specified", "auto_answer": false } }),
    )
    .await;
    let token = app.token("demo", "agent2", DEMO_PASSWORD).await;
    assert_eq!(
        app.get(&token, "/api/v1/agent").await.1["sign_in_mode"],
        "specified"
    );
    assert_error(
        &app.post(&token, "/api/v1/agent/sign-in", json!({})).await,
        StatusCode::BAD_REQUEST,
        "queues_required",
    );
    let presales = queue_id(&app, &admin, "Presales").await;
    assert_error(
        &app.post(
            &token,
            "/api/v1/agent/sign-in",
            json!({ "queues": [presales] }),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "not_bound",
    );
    let chat = queue_id(&app, &admin, "chat").await;
    let (status, me) = app
        .post(&token, "/api/v1/agent/sign-in", json!({ "queues": [chat] }))
        .await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["signed_in_queues"], json!([chat]));

    let tasks = queue_id(&app, &admin, "Tasks").await;
    let (_, me) = app
        .post(&token, "/api/v1/agent/queues", json!({ "queues": [tasks] }))
        .await;
    assert_eq!(me["signed_in_queues"], json!([tasks]));

    let (_, roles) = app.get(&admin, "/api/v1/roles").await;
    let agent_role = roles
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "agent")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.patch(
        &admin,
        &format!("/api/v1/roles/{agent_role}"),
        json!({ "permissions": ["agent.work"] }),
    )
    .await;
    assert_error(
        &app.post(&token, "/api/v1/agent/queues", json!({ "queues": [chat] }))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    assert_eq!(
        app.get(&token, "/api/v1/agent").await.1["can_reset_queues"],
        false
    );
}

async fn busy_agents_wait_and_supervisors_see_and_force(app: TestApp) {
    let admin = app.admin().await;
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    app.post(&agent, "/api/v1/agent/sign-in", json!({})).await;
    let (status, me) = app
        .post(
            &agent,
            "/api/v1/agent/state",
            json!({ "state": "busy", "reason": "会议 meeting" }),
        )
        .await;
    assert_eq!(
        (status, me["state"].as_str(), me["reason"].as_str()),
        (StatusCode::OK, Some("busy"), Some("会议 meeting"))
    );
    let contact = task(&app, &admin, "等待 waiting").await;
    assert_eq!(
        contact["state"], "queued",
        "a busy agent gets no inbound offer"
    );
    let tasks = queue_id(&app, &admin, "Tasks").await;
    let waiting = app.get(&agent, "/api/v1/agent").await.1["waiting"].clone();
    let task_queue = waiting
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["queue_id"] == tasks)
        .unwrap()
        .clone();
    assert_eq!(
        task_queue["waiting"], 1,
        "the agent sees the live waiting count while busy"
    );

    let supervisor = app.token("demo", "supervisor", DEMO_PASSWORD).await;
    let (status, live) = app.get(&supervisor, "/api/v1/supervisor/live").await;
    assert_eq!(status, StatusCode::OK, "{live}");
    let row = live["agents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["login"] == "agent1")
        .unwrap()
        .clone();
    assert_eq!(
        (row["state"].as_str(), row["reason"].as_str()),
        (Some("busy"), Some("会议 meeting"))
    );
    let q = live["queues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == tasks)
        .unwrap()
        .clone();
    assert_eq!(q["waiting"], 1);
    assert_eq!(q["agents"]["busy"], 1);

    let agent1 = row["id"].as_str().unwrap();
    let (status, forced) = app
        .post(
            &supervisor,
            &format!("/api/v1/supervisor/agents/{agent1}/state"),
            json!({ "state": "idle" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{forced}");
    let (_, seen) = app
        .get(
            &admin,
            &format!("/api/v1/contacts/{}", contact["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(
        seen["state"], "offered",
        "forced idle, the waiting task is offered at once"
    );
    assert_eq!(
        app.get(&agent, "/api/v1/supervisor/live").await.0,
        StatusCode::FORBIDDEN
    );
    let (status, _) = app
        .post(
            &supervisor,
            &format!("/api/v1/supervisor/agents/{agent1}/state"),
            json!({ "state": "signed_out" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        app.get(&agent, "/api/v1/agent").await.1["state"],
        "signed_out"
    );
}

async fn bad_tasks_and_commands_are_refused(app: TestApp) {
    let admin = app.admin().await;
    let voice = queue_id(&app, &admin, "Presales").await;
    let tasks = queue_id(&app, &admin, "Tasks").await;
    let cases = [
        (json!({ "queue_id": voice, "title": "x" }), "queue_id"),
        (
            json!({ "queue_id": "00000000-0000-7000-8000-000000000000", "title": "x" }),
            "queue_id",
        ),
        (json!({ "queue_id": tasks, "title": "   " }), "title"),
        (
            json!({ "queue_id": tasks, "title": "x", "link": "javascript:alert(1)" }),
            "link",
        ),
        (
            json!({ "queue_id": tasks, "title": "x", "priority": 10 }),
            "priority",
        ),
        (
            json!({ "queue_id": tasks, "title": "标".repeat(201) }),
            "title",
        ),
    ];
    for (body, field) in cases {
        let got = app.post(&admin, "/api/v1/contacts", body).await;
        assert_error(&got, StatusCode::BAD_REQUEST, "invalid_field");
        assert_eq!(got.1["field"], field);
    }
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    assert_eq!(
        app.post(
            &agent,
            "/api/v1/contacts",
            json!({ "queue_id": tasks, "title": "x" })
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_error(
        &app.post(&agent, "/api/v1/agent/state", json!({ "state": "idle" }))
            .await,
        StatusCode::CONFLICT,
        "not_signed_in",
    );
    assert_error(
        &app.post(&agent, "/api/v1/agent/state", json!({ "state": "dancing" }))
            .await,
        StatusCode::BAD_REQUEST,
        "invalid_field",
    );
    assert_error(
        &app.post(&agent, "/api/v1/agent/continue", json!({})).await,
        StatusCode::CONFLICT,
        "not_in_wrap_up",
    );
    let unknown = "00000000-0000-7000-8000-000000000000";
    assert_eq!(
        app.post(
            &agent,
            &format!("/api/v1/contacts/{unknown}/answer"),
            json!({})
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    app.post(&agent, "/api/v1/agent/sign-in", json!({})).await;
    assert_error(
        &app.post(&agent, "/api/v1/agent/sign-in", json!({})).await,
        StatusCode::CONFLICT,
        "already_signed_in",
    );
    let contact = task(&app, &admin, "x").await;
    let id = contact["id"].as_str().unwrap();
    app.post(&agent, &format!("/api/v1/contacts/{id}/answer"), json!({}))
        .await;
    assert_error(
        &app.post(&agent, "/api/v1/agent/sign-out", json!({})).await,
        StatusCode::CONFLICT,
        "contacts_in_progress",
    );
    let other = app.token("demo", "agent2", DEMO_PASSWORD).await;
    app.post(&other, "/api/v1/agent/sign-in", json!({})).await;
    assert_eq!(
        app.post(&other, &format!("/api/v1/contacts/{id}/release"), json!({}))
            .await
            .0,
        StatusCode::CONFLICT,
        "only its agent releases it"
    );
    assert_eq!(
        app.put(
            &other,
            &format!("/api/v1/contacts/{id}/summary"),
            json!({ "text": "x" })
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
}

async fn agent_events_reach_the_agent_and_supervisors_only(app: TestApp) {
    use futures_util::StreamExt;
    let admin = app.admin().await;
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let other = app.token("demo", "agent2", DEMO_PASSWORD).await;
    let connect = |token: String| {
        let url = format!("ws://{}/api/v1/ws?token={token}", app.addr);
        async move { tokio_tungstenite::connect_async(url).await.unwrap().0 }
    };
    let mut agent_ws = connect(agent.clone()).await;
    let mut other_ws = connect(other.clone()).await;
    app.post(&agent, "/api/v1/agent/sign-in", json!({})).await;
    let contact = task(&app, &admin, "推送 push").await;
    let mut seen = Vec::new();
    while let Ok(Some(Ok(msg))) =
        tokio::time::timeout(std::time::Duration::from_millis(800), agent_ws.next()).await
    {
        if let Ok(v) = serde_json::from_str::<Value>(msg.to_text().unwrap_or("")) {
            seen.push(v);
        }
    }
    let types: Vec<&str> = seen.iter().filter_map(|v| v["type"].as_str()).collect();
    assert!(types.contains(&"agent.state"), "{types:?}");
    assert!(types.contains(&"queue.stats"), "{types:?}");
    let offered = seen
        .iter()
        .find(|v| v["type"] == "contact.offered")
        .expect("offer event");
    assert_eq!(offered["contact_id"], contact["id"]);
    while let Ok(Some(Ok(msg))) =
        tokio::time::timeout(std::time::Duration::from_millis(300), other_ws.next()).await
    {
        let text = msg.to_text().unwrap_or("").to_owned();
        assert!(
            !text.contains("contact.offered"),
            "agent2 sees nobody else's offers: {text}"
        );
    }
}

/// An agent sees who else is signed in and who is free (for transfer and consult), never
/// themself, a signed-out agent, or anyone's contacts.
async fn colleagues_are_listed_free_first(app: TestApp) {
    let admin = app.admin().await;
    let a1 = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let a2 = app.token("demo", "agent2", DEMO_PASSWORD).await;
    let a3 = app.token("demo", "agent3", DEMO_PASSWORD).await;
    for t in [&a1, &a2, &a3] {
        app.post(t, "/api/v1/agent/sign-in", json!({})).await;
    }
    app.post(&a3, "/api/v1/agent/state", json!({ "state": "rest" }))
        .await;
    app.post(&a2, "/api/v1/agent/sign-out", json!({})).await;
    let (status, list) = app.get(&a1, "/api/v1/agent/colleagues").await;
    assert_eq!(status.as_u16(), 200, "{list}");
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    let (id1, id2, id3) = (
        user_id(&app, &admin, "agent1").await,
        user_id(&app, &admin, "agent2").await,
        user_id(&app, &admin, "agent3").await,
    );
    assert_eq!(
        ids,
        [id3.as_str()],
        "not me, not the signed-out agent2: {list}"
    );
    assert_eq!(list[0]["state"], "rest");
    assert_eq!(list[0]["free"], false);
    assert!(list[0].get("contacts").is_none());
    app.post(&a3, "/api/v1/agent/state", json!({ "state": "idle" }))
        .await;
    let (_, list) = app.get(&a1, "/api/v1/agent/colleagues").await;
    assert_eq!(
        (
            list[0]["free"].as_bool(),
            list[0]["display_name"].is_string()
        ),
        (Some(true), true)
    );
    let _ = (id1, id2);
}

on_both!(
    colleagues_are_listed_free_first,
    a_task_is_offered_answered_released_and_wrapped_up,
    specified_mode_and_resetting_queues,
    busy_agents_wait_and_supervisors_see_and_force,
    bad_tasks_and_commands_are_refused,
    agent_events_reach_the_agent_and_supervisors_only,
);
