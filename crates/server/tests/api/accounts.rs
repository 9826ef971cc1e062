//! Login, the forced password change, sessions, roles and permission checks.

use reqwest::StatusCode;
use serde_json::json;

use crate::on_both;
use crate::support::{assert_error, TestApp, DEMO_PASSWORD};

async fn demo_accounts_log_in_and_wrong_passwords_do_not(app: TestApp) {
    for login in ["admin", "supervisor", "agent1", "agent2", "agent3"] {
        let res = app.login("demo", login, DEMO_PASSWORD).await;
        assert_eq!(res.status(), StatusCode::OK);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(
            body["must_change_password"], false,
            "demo accounts skip the forced change"
        );
        assert_eq!(body["user"]["login"], login);
    }
    let token = app.token("demo", "Agent1", DEMO_PASSWORD).await;
    let (status, me) = app.get(&token, "/api/v1/me").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["login"], "agent1", "login names are case-insensitive");
    assert_eq!(
        me["permissions"],
        json!([
            "agent.work",
            "agent.reset_queues",
            "tickets.work",
            "calls.outbound",
            "customers.work"
        ])
    );

    for (tenant, login, password) in [
        ("demo", "admin", "wrong"),
        ("nowhere", "admin", DEMO_PASSWORD),
        ("demo", "ghost", DEMO_PASSWORD),
        ("Bad Tenant!", "x", "y"),
    ] {
        let res = app.login(tenant, login, password).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["code"], "invalid_credentials");
    }
}

async fn repeated_failures_are_rate_limited(app: TestApp) {
    for _ in 0..3 {
        assert_eq!(
            app.login("demo", "agent2", "nope").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let res = app.login("demo", "agent2", DEMO_PASSWORD).await;
    assert_eq!(
        res.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits its turn"
    );
    let retry_after: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (1..=2).contains(&retry_after),
        "a short delay, not a lock-out: {retry_after}"
    );
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["code"], "rate_limited");
    assert_eq!(
        app.login("demo", "agent3", DEMO_PASSWORD).await.status(),
        StatusCode::OK,
        "other accounts unaffected"
    );
    app.clock
        .advance(std::time::Duration::from_secs(retry_after));
    assert_eq!(
        app.login("demo", "agent2", DEMO_PASSWORD).await.status(),
        StatusCode::OK,
        "the real user gets in once the delay has passed"
    );
}

async fn first_login_forces_a_password_change(app: TestApp) {
    let admin = app.admin().await;
    app.create_user(&admin, "newbie", &["agent"], "initial-pass")
        .await;
    let res = app.login("demo", "newbie", "initial-pass").await;
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["must_change_password"], true);
    let token = body["token"].as_str().unwrap().to_owned();

    assert_error(
        &app.get(&token, "/api/v1/queues").await,
        StatusCode::FORBIDDEN,
        "password_change_required",
    );
    let (status, me) = app.get(&token, "/api/v1/me").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["must_change_password"], true);

    let wrong = app
        .post(
            &token,
            "/api/v1/auth/password",
            json!({ "current_password": "nope", "new_password": "another-pass" }),
        )
        .await;
    assert_error(&wrong, StatusCode::BAD_REQUEST, "invalid_field");
    assert_eq!(wrong.1["field"], "current_password");
    let short = app
        .post(
            &token,
            "/api/v1/auth/password",
            json!({ "current_password": "initial-pass", "new_password": "short" }),
        )
        .await;
    assert_eq!(short.1["field"], "new_password");
    let same = app
        .post(
            &token,
            "/api/v1/auth/password",
            json!({ "current_password": "initial-pass", "new_password": "initial-pass" }),
        )
        .await;
    assert_eq!(same.1["field"], "new_password");

    let ok = app
        .post(
            &token,
            "/api/v1/auth/password",
            json!({ "current_password": "initial-pass", "new_password": "我的新密码-2026" }),
        )
        .await;
    assert_eq!(ok.0, StatusCode::NO_CONTENT, "{}", ok.1);
    assert_eq!(app.get(&token, "/api/v1/queues").await.0, StatusCode::OK);
    assert_eq!(
        app.login("demo", "newbie", "initial-pass").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let again = app
        .login("demo", "newbie", "我的新密码-2026")
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(again["must_change_password"], false);
}

async fn logout_reset_and_deactivation_end_sessions(app: TestApp) {
    let admin = app.admin().await;
    let token = app.ready_user(&admin, "worker", &["agent"]).await;
    let other = app.token("demo", "worker", "chosen-pass").await;
    assert_eq!(
        app.post(&token, "/api/v1/auth/logout", json!({})).await.0,
        StatusCode::NO_CONTENT
    );
    assert_error(
        &app.get(&token, "/api/v1/me").await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    );
    assert_eq!(
        app.get(&other, "/api/v1/me").await.0,
        StatusCode::OK,
        "logout ends only this session"
    );

    let (_, users) = app.get(&admin, "/api/v1/users").await;
    let id = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["login"] == "worker")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let reset = app
        .post(
            &admin,
            &format!("/api/v1/users/{id}/password"),
            json!({ "password": "temporary-1" }),
        )
        .await;
    assert_eq!(reset.0, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&other, "/api/v1/me").await.0,
        StatusCode::UNAUTHORIZED,
        "a reset ends every session"
    );
    let body = app
        .login("demo", "worker", "temporary-1")
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(body["must_change_password"], true);

    let fresh = body["token"].as_str().unwrap().to_owned();
    assert_eq!(
        app.delete(&admin, &format!("/api/v1/users/{id}")).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&fresh, "/api/v1/me").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login("demo", "worker", "temporary-1").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.delete(&admin, &format!("/api/v1/users/{id}")).await,
        (StatusCode::NO_CONTENT, serde_json::Value::Null),
        "deactivating twice changes nothing"
    );
    let (status, body) = app
        .patch(
            &admin,
            &format!("/api/v1/users/{id}"),
            json!({ "display_name": "Gone" }),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "an inactive user can still be edited: {body}"
    );

    let (_, me) = app.get(&admin, "/api/v1/me").await;
    let own = app
        .delete(
            &admin,
            &format!("/api/v1/users/{}", me["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(
        own.0,
        StatusCode::BAD_REQUEST,
        "admins cannot lock themselves out"
    );
    let missing = app
        .get(&admin, "/api/v1/users/00000000-0000-0000-0000-000000000000")
        .await;
    assert_error(&missing, StatusCode::NOT_FOUND, "not_found");
    assert_eq!(
        app.get(&admin, "/api/v1/users/not-a-uuid").await.0,
        StatusCode::NOT_FOUND
    );
}

/// Every endpoint that changes the tenant's setup refuses an agent.
async fn every_admin_endpoint_checks_its_permission(app: TestApp) {
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let admin = app.admin().await;
    let (_, queues) = app.get(&admin, "/api/v1/queues").await;
    let q = queues[0]["id"].as_str().unwrap();
    let (_, roles) = app.get(&admin, "/api/v1/roles").await;
    let r = roles[0]["id"].as_str().unwrap();
    let (_, users) = app.get(&admin, "/api/v1/users").await;
    let u = users[0]["id"].as_str().unwrap();
    let (_, tags) = app.get(&admin, "/api/v1/tags").await;
    let t = tags[0]["id"].as_str().unwrap();
    let params = app.get(&admin, "/api/v1/tenant/params").await.1;
    use reqwest::Method as M;
    let denied = [
        (M::GET, "/api/v1/users".to_owned(), None),
        (M::POST, "/api/v1/users".to_owned(), Some(json!({}))),
        (M::GET, format!("/api/v1/users/{u}"), None),
        (M::PATCH, format!("/api/v1/users/{u}"), Some(json!({}))),
        (M::DELETE, format!("/api/v1/users/{u}"), None),
        (
            M::POST,
            format!("/api/v1/users/{u}/password"),
            Some(json!({ "password": "whatever-1" })),
        ),
        (M::GET, "/api/v1/users/import/template.csv".to_owned(), None),
        (
            M::GET,
            "/api/v1/users/import/template.xlsx".to_owned(),
            None,
        ),
        (M::GET, "/api/v1/permissions".to_owned(), None),
        (M::GET, "/api/v1/roles".to_owned(), None),
        (
            M::POST,
            "/api/v1/roles".to_owned(),
            Some(json!({ "name": "x", "permissions": [] })),
        ),
        (M::PATCH, format!("/api/v1/roles/{r}"), Some(json!({}))),
        (M::DELETE, format!("/api/v1/roles/{r}"), None),
        (
            M::POST,
            "/api/v1/queues".to_owned(),
            Some(json!({ "name": "x", "channel": "voice" })),
        ),
        (M::PATCH, format!("/api/v1/queues/{q}"), Some(json!({}))),
        (
            M::PUT,
            format!("/api/v1/queues/{q}/agents"),
            Some(json!([])),
        ),
        (M::DELETE, format!("/api/v1/queues/{q}"), None),
        (
            M::POST,
            "/api/v1/tags".to_owned(),
            Some(json!({ "name": "x" })),
        ),
        (M::DELETE, format!("/api/v1/tags/{t}"), None),
        (
            M::PUT,
            "/api/v1/tenant/params".to_owned(),
            Some(params.clone()),
        ),
    ];
    for (method, path, body) in denied {
        let got = app.call(method.clone(), &agent, &path, body).await;
        assert_error(&got, StatusCode::FORBIDDEN, "forbidden");
    }
    let import = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(b"login\n".to_vec()));
    let res = app
        .client
        .post(app.url("/api/v1/users/import"))
        .bearer_auth(&agent)
        .multipart(import)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    for path in [
        "/api/v1/queues",
        "/api/v1/tags",
        "/api/v1/tenant/params",
        "/api/v1/me",
    ] {
        assert_eq!(
            app.get(&agent, path).await.0,
            StatusCode::OK,
            "{path} is readable by agents"
        );
    }
    for path in ["/api/v1/me", "/api/v1/queues", "/api/v1/users"] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(
            res.status(),
            StatusCode::UNAUTHORIZED,
            "{path} without a token"
        );
        let res = app
            .client
            .get(app.url(path))
            .bearer_auth("forged")
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            StatusCode::UNAUTHORIZED,
            "{path} with a forged token"
        );
    }
}

async fn custom_roles_grant_and_the_reset_queues_permission_can_be_taken(app: TestApp) {
    let admin = app.admin().await;
    let (_, perms) = app.get(&admin, "/api/v1/permissions").await;
    assert!(perms
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["code"] == "agent.reset_queues"));

    let (status, role) = app
        .post(
            &admin,
            "/api/v1/roles",
            json!({ "name": "人事 HR", "permissions": ["users.manage"] }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{role}");
    let hr = app.ready_user(&admin, "hr1", &["人事 HR"]).await;
    assert_eq!(app.get(&hr, "/api/v1/users").await.0, StatusCode::OK);
    assert_eq!(
        app.get(&hr, "/api/v1/permissions").await.0,
        StatusCode::FORBIDDEN
    );
    assert_error(
        &app.post(
            &admin,
            "/api/v1/roles",
            json!({ "name": "x", "permissions": ["launch.missiles"] }),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_field",
    );
    assert_eq!(
        app.post(
            &admin,
            "/api/v1/roles",
            json!({ "name": "人事 HR", "permissions": [] })
        )
        .await
        .0,
        StatusCode::CONFLICT
    );
    let in_use = app
        .delete(
            &admin,
            &format!("/api/v1/roles/{}", role["id"].as_str().unwrap()),
        )
        .await;
    assert_error(&in_use, StatusCode::CONFLICT, "conflict");

    let (_, roles) = app.get(&admin, "/api/v1/roles").await;
    let by_name = |n: &str| {
        roles
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == n)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let agent_role = by_name("agent");
    let (status, changed) = app
        .patch(
            &admin,
            &format!("/api/v1/roles/{agent_role}"),
            json!({ "permissions": ["agent.work"] }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    let agent = app.token("demo", "agent2", DEMO_PASSWORD).await;
    let (_, me) = app.get(&agent, "/api/v1/me").await;
    assert_eq!(
        me["permissions"],
        json!(["agent.work"]),
        "a tenant admin can take 'reset skill queues' away"
    );

    let admin_role = by_name("admin");
    assert_eq!(
        app.patch(
            &admin,
            &format!("/api/v1/roles/{admin_role}"),
            json!({ "permissions": [] })
        )
        .await
        .0,
        StatusCode::CONFLICT
    );
    assert_eq!(
        app.delete(&admin, &format!("/api/v1/roles/{agent_role}"))
            .await
            .0,
        StatusCode::CONFLICT
    );
}

async fn users_can_be_edited(app: TestApp) {
    let admin = app.admin().await;
    let user = app
        .create_user(&admin, "editme", &["agent"], "initial-pass")
        .await;
    let id = user["id"].as_str().unwrap();
    let (status, changed) = app
        .patch(
            &admin,
            &format!("/api/v1/users/{id}"),
            json!({
                "display_name": "小李", "chat_limit": 8, "roles": ["agent", "supervisor"],
                "agent_params": { "sign_in_mode": "specified", "auto_answer": true }
            }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["display_name"], "小李");
    assert_eq!(changed["real_name"], "测试用户");
    assert_eq!(changed["chat_limit"], 8);
    assert_eq!(changed["roles"], json!(["agent", "supervisor"]));
    assert_eq!(changed["agent_params"]["sign_in_mode"], "specified");
    let dup = app.post(&admin, "/api/v1/users", json!({
        "login": "EDITME", "real_name": "x", "display_name": "x", "chat_limit": 1, "roles": [], "password": "long-enough"
    })).await;
    assert_error(&dup, StatusCode::CONFLICT, "conflict");
    assert_eq!(dup.1["field"], "login");
    let bad_role = app
        .patch(
            &admin,
            &format!("/api/v1/users/{id}"),
            json!({ "roles": ["nope"] }),
        )
        .await;
    assert_eq!(bad_role.1["field"], "roles");
    let bad_mode = app
        .patch(
            &admin,
            &format!("/api/v1/users/{id}"),
            json!({ "agent_params": { "sign_in_mode": "sometimes", "auto_answer": false } }),
        )
        .await;
    assert_error(&bad_mode, StatusCode::BAD_REQUEST, "invalid_field");
    let (_, after) = app.get(&admin, &format!("/api/v1/users/{id}")).await;
    assert_eq!(
        after["roles"],
        json!(["agent", "supervisor"]),
        "refused edits changed nothing"
    );
}

on_both!(
    demo_accounts_log_in_and_wrong_passwords_do_not,
    repeated_failures_are_rate_limited,
    first_login_forces_a_password_change,
    logout_reset_and_deactivation_end_sessions,
    every_admin_endpoint_checks_its_permission,
    custom_roles_grant_and_the_reset_queues_permission_can_be_taken,
    users_can_be_edited,
);
