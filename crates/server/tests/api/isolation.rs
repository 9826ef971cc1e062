//! A token of one tenant gets 404 on every resource of another; nothing crosses tenants.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use switchboard_engine::{AgentParams, ChatLimit, LoginName, Password, PersonName, TenantName};
use switchboard_storage::NewUser;

use crate::on_both;
use crate::support::TestApp;

/// Creates tenant `beta` with an admin `boss` (password `beta-password`).
pub(crate) async fn second_tenant(app: &TestApp) -> String {
    let store = &app.store;
    let t = store
        .create_tenant(&TenantName::parse("beta").unwrap(), "Beta", 0)
        .await
        .unwrap();
    let admin_role = store
        .roles(t.id)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.name.as_str() == "admin")
        .unwrap();
    let hash =
        switchboard_server::passwords::hash_password(&Password::parse("beta-password").unwrap())
            .unwrap();
    store
        .create_users(
            t.id,
            &[NewUser {
                login: LoginName::parse("boss").unwrap(),
                real_name: PersonName::parse("Boss").unwrap(),
                display_name: PersonName::parse("Boss").unwrap(),
                chat_limit: ChatLimit::new(1).unwrap(),
                role_ids: vec![admin_role.id],
                password_hash: hash,
                must_change_password: false,
                agent_params: AgentParams::default(),
            }],
            0,
        )
        .await
        .unwrap();
    app.token("beta", "boss", "beta-password").await
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

async fn a_tenant_cannot_touch_another_tenants_records(app: TestApp) {
    let beta = second_tenant(&app).await;
    let (_, b_user) = app.post(&beta, "/api/v1/users", json!({
        "login": "agent1", "real_name": "B", "display_name": "B", "chat_limit": 1, "roles": ["agent"], "password": "beta-agent-1"
    })).await;
    let (_, b_queue) = app
        .post(
            &beta,
            "/api/v1/queues",
            json!({ "name": "B queue", "channel": "chat" }),
        )
        .await;
    let (_, b_tag) = app
        .post(&beta, "/api/v1/tags", json!({ "name": "B tag" }))
        .await;
    let (_, b_role) = app
        .post(
            &beta,
            "/api/v1/roles",
            json!({ "name": "B role", "permissions": [] }),
        )
        .await;
    let (u, q, t, r) = (id(&b_user), id(&b_queue), id(&b_tag), id(&b_role));

    let alpha = app.admin().await;
    let attempts = [
        (Method::GET, format!("/api/v1/users/{u}"), None),
        (
            Method::PATCH,
            format!("/api/v1/users/{u}"),
            Some(json!({ "display_name": "pwned" })),
        ),
        (Method::DELETE, format!("/api/v1/users/{u}"), None),
        (
            Method::POST,
            format!("/api/v1/users/{u}/password"),
            Some(json!({ "password": "pwned-pass" })),
        ),
        (Method::GET, format!("/api/v1/queues/{q}"), None),
        (
            Method::PATCH,
            format!("/api/v1/queues/{q}"),
            Some(json!({ "name": "pwned" })),
        ),
        (
            Method::PUT,
            format!("/api/v1/queues/{q}/agents"),
            Some(json!([])),
        ),
        (Method::DELETE, format!("/api/v1/queues/{q}"), None),
        (Method::DELETE, format!("/api/v1/tags/{t}"), None),
        (
            Method::PATCH,
            format!("/api/v1/roles/{r}"),
            Some(json!({ "permissions": ["users.manage"] })),
        ),
        (Method::DELETE, format!("/api/v1/roles/{r}"), None),
    ];
    for (method, path, body) in attempts {
        let (status, body) = app.call(method.clone(), &alpha, &path, body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}: {body}");
    }

    // Lists show only the caller's own tenant.
    let (_, users) = app.get(&alpha, "/api/v1/users").await;
    assert!(users
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["id"] != b_user["id"]));
    let (_, queues) = app.get(&alpha, "/api/v1/queues").await;
    assert!(queues
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["id"] != b_queue["id"]));
    let (_, b_users) = app.get(&beta, "/api/v1/users").await;
    assert_eq!(b_users.as_array().unwrap().len(), 2);

    // Links to another tenant's records are refused.
    let (_, a_queues) = app.get(&alpha, "/api/v1/queues").await;
    let a_q = id(&a_queues[0]);
    let cross = app
        .put(
            &alpha,
            &format!("/api/v1/queues/{a_q}/agents"),
            json!([{ "user_id": u, "skill_level": 5 }]),
        )
        .await;
    assert_eq!(cross.0, StatusCode::BAD_REQUEST, "{}", cross.1);
    let cross = app
        .post(
            &alpha,
            "/api/v1/queues",
            json!({ "name": "x", "channel": "voice", "overflow_queue_id": q }),
        )
        .await;
    assert_eq!(cross.0, StatusCode::BAD_REQUEST, "{}", cross.1);
    let cross = app
        .post(
            &alpha,
            "/api/v1/queues",
            json!({ "name": "y", "channel": "voice", "tags": ["B tag"] }),
        )
        .await;
    assert_eq!(cross.0, StatusCode::BAD_REQUEST, "{}", cross.1);
    let cross = app.post(&alpha, "/api/v1/users", json!({
        "login": "z", "real_name": "z", "display_name": "z", "chat_limit": 1, "roles": ["B role"], "password": "long-enough"
    })).await;
    assert_eq!(cross.0, StatusCode::BAD_REQUEST, "{}", cross.1);

    // The same login name in two tenants is two accounts.
    assert_eq!(
        app.login("beta", "agent1", "switchboard").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login("beta", "agent1", "beta-agent-1").await.status(),
        StatusCode::OK
    );

    // Beta's records are untouched.
    let (_, still) = app.get(&beta, &format!("/api/v1/users/{u}")).await;
    assert_eq!(still["display_name"], "B");
    assert!(still["active"].as_bool().unwrap());
    let (_, still) = app.get(&beta, &format!("/api/v1/queues/{q}")).await;
    assert_eq!(still["name"], "B queue");
    let (_, params) = app.get(&beta, "/api/v1/tenant/params").await;
    let mut changed = app.get(&alpha, "/api/v1/tenant/params").await.1;
    changed["wrap_up_limit_s"] = json!(999);
    app.put(&alpha, "/api/v1/tenant/params", changed).await;
    assert_eq!(
        app.get(&beta, "/api/v1/tenant/params").await.1,
        params,
        "parameters are per tenant"
    );
}

on_both!(a_tenant_cannot_touch_another_tenants_records);
