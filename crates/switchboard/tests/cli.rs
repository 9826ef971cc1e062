//! The `switchboard` binary as an operator uses it: flags, environment, config file,
//! operator commands, durability across a `kill -9`, and a standby taking over from a killed
//! server on the same database.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod support;

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{
    call, health, login, serve_demo, serve_demo_on, start, switchboard, task_queue, token_of,
};

#[test]
fn help_explains_every_flag_and_its_variable() {
    let out = switchboard().args(["serve", "--help"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "--data",
        "--http",
        "--database-url",
        "--config",
        "--demo",
        "--demo-history",
        "SWITCHBOARD_DEMO_HISTORY",
        "SWITCHBOARD_DATA",
        "SWITCHBOARD_HTTP",
        "SWITCHBOARD_DATABASE_URL",
        "SWITCHBOARD_CONFIG",
        "SWITCHBOARD_DEMO",
        "--sip",
        "--rtp-ports",
        "--media-address",
        "SWITCHBOARD_SIP",
        "SWITCHBOARD_RTP_PORTS",
        "SWITCHBOARD_MEDIA_ADDRESS",
        "--log-format",
        "SWITCHBOARD_LOG_FORMAT",
        "--metrics-addr",
        "SWITCHBOARD_METRICS_ADDR",
        "--webhook-allow-private",
        "SWITCHBOARD_WEBHOOK_ALLOW_PRIVATE",
    ] {
        assert!(
            text.contains(needle),
            "serve --help mentions {needle}:\n{text}"
        );
    }
    let top = String::from_utf8(switchboard().arg("--help").output().unwrap().stdout).unwrap();
    for cmd in ["serve", "migrate", "tenant", "user"] {
        assert!(top.contains(cmd), "--help lists {cmd}");
    }
}

#[test]
fn bad_settings_fail_with_a_message() {
    let out = switchboard()
        .args(["serve", "--http", "nonsense"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--http 'nonsense'"));
    let out = switchboard()
        .args(["serve", "--database-url", "mysql://u:hunter2@h/db"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("only postgres://"),
        "{err}"
    );
    assert!(
        !err.contains("hunter2"),
        "secrets never appear in messages: {err}"
    );
    for (args, says) in [
        (&["--demo", "--demo-history", "91"][..], "0..=90"),
        (&["--demo", "--demo-history", "many"][..], "--demo-history"),
        (&["--demo-history", "3"][..], "needs --demo"),
    ] {
        let out = switchboard().arg("serve").args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && err.contains(says),
            "{args:?}: {err}"
        );
    }
}

#[tokio::test]
async fn settings_come_from_environment_and_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("switchboard.toml");
    std::fs::write(
        &config,
        "http = \"127.0.0.1:0\"\nsip = \"127.0.0.1:0\"\ndemo = true\ndata = \"/nonexistent/overridden\"\n",
    )
    .unwrap();
    let mut cmd = switchboard();
    cmd.arg("serve")
        .env("SWITCHBOARD_CONFIG", &config)
        .env("SWITCHBOARD_DATA", dir.path().join("data"));
    let server = start(cmd);
    let health = reqwest::get(format!("{}/healthz", server.base))
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(
        login(&server.base, "demo", "admin", "switchboard").await.0,
        200,
        "demo = true came from the file"
    );
    assert!(
        dir.path().join("data/switchboard.db").exists(),
        "the environment beat the file's data dir"
    );
}

#[tokio::test]
async fn operators_add_tenants_and_users_from_the_shell() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let run = |args: &[&str]| {
        let out = switchboard()
            .args(args)
            .arg("--data")
            .arg(data)
            .env("SWITCHBOARD_PASSWORD", "operator-chosen")
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    assert!(run(&["migrate"]).1.contains("up to date"));
    assert!(run(&["tenant", "add", "acme", "--display-name", "Acme 公司"]).0);
    let (ok, text) = run(&["tenant", "add", "acme"]);
    assert!(!ok, "duplicate tenant refused: {text}");
    let (ok, text) = run(&[
        "user",
        "add",
        "--tenant",
        "acme",
        "--login",
        "alice",
        "--real-name",
        "Alice",
        "--role",
        "admin",
    ]);
    assert!(ok, "{text}");
    let (ok, text) = run(&[
        "user",
        "add",
        "--tenant",
        "acme",
        "--login",
        "bob",
        "--real-name",
        "Bob",
        "--role",
        "wizard",
    ]);
    assert!(!ok && text.contains("no role 'wizard'"), "{text}");

    let mut cmd = switchboard();
    cmd.args([
        "serve",
        "--http",
        "127.0.0.1:0",
        "--sip",
        "127.0.0.1:0",
        "--data",
    ])
    .arg(data);
    let server = start(cmd);
    let (status, body) = login(&server.base, "acme", "alice", "operator-chosen").await;
    assert_eq!(status, 200);
    assert_eq!(body["must_change_password"], true);
    assert_eq!(body["user"]["roles"], json!(["admin"]));
    assert_eq!(
        login(&server.base, "demo", "admin", "switchboard").await.0,
        401,
        "no demo without --demo"
    );
}

#[tokio::test]
async fn acknowledged_writes_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve_demo(dir.path());
    let token = login(&server.base, "demo", "admin", "switchboard").await.1["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let client = reqwest::Client::new();
    for i in 0..20 {
        let res = client
            .post(format!("{}/api/v1/users", server.base))
            .bearer_auth(&token)
            .json(&json!({ "login": format!("durable{i}"), "real_name": "持久", "display_name": "d", "chat_limit": 1, "roles": ["agent"], "password": "durable-pass" }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
    }
    drop(server); // SIGKILL: no graceful shutdown, no checkpoint.

    let server = serve_demo(dir.path());
    let (status, body) = login(&server.base, "demo", "admin", "switchboard").await;
    assert_eq!(
        status, 200,
        "the restarted server accepts the old data (and --demo seeds nothing twice)"
    );
    let token = body["token"].as_str().unwrap();
    let users: Value = client
        .get(format!("{}/api/v1/users", server.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let logins: Vec<&str> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["login"].as_str().unwrap())
        .collect();
    for i in 0..20 {
        assert!(
            logins.contains(&format!("durable{i}").as_str()),
            "durable{i} survived"
        );
    }
    assert_eq!(logins.len(), 25, "five demo accounts, not ten");
}

#[tokio::test]
async fn the_engine_recovers_agents_and_contacts_after_kill_9() {
    use reqwest::Method;
    let dir = tempfile::tempdir().unwrap();
    let server = serve_demo(dir.path());
    let base = server.base.clone();
    let (admin, agent1, agent2) = (
        token_of(&base, "admin").await,
        token_of(&base, "agent1").await,
        token_of(&base, "agent2").await,
    );
    let tasks = task_queue(&base, &admin).await;
    call(
        &base,
        &agent1,
        Method::POST,
        "/api/v1/agent/sign-in",
        Some(json!({})),
    )
    .await;
    call(
        &base,
        &agent2,
        Method::POST,
        "/api/v1/agent/sign-in",
        Some(json!({})),
    )
    .await;
    call(
        &base,
        &agent2,
        Method::POST,
        "/api/v1/agent/state",
        Some(json!({ "state": "busy", "reason": "培训" })),
    )
    .await;
    let mut ids = Vec::new();
    for title in ["first", "second", "third"] {
        let c = call(
            &base,
            &admin,
            Method::POST,
            "/api/v1/contacts",
            Some(json!({ "queue_id": tasks, "title": title })),
        )
        .await;
        ids.push(c["id"].as_str().unwrap().to_owned());
    }
    call(
        &base,
        &agent1,
        Method::POST,
        &format!("/api/v1/contacts/{}/answer", ids[0]),
        None,
    )
    .await;
    drop(server); // SIGKILL

    let server = serve_demo(dir.path());
    let base = server.base.clone();
    let (admin, agent1, agent2) = (
        token_of(&base, "admin").await,
        token_of(&base, "agent1").await,
        token_of(&base, "agent2").await,
    );
    let me = call(&base, &agent1, Method::GET, "/api/v1/agent", None).await;
    assert_eq!(me["state"], "talking", "{me}");
    assert_eq!(me["contacts"][0]["id"], ids[0].as_str());
    let other = call(&base, &agent2, Method::GET, "/api/v1/agent", None).await;
    assert_eq!(
        (other["state"].as_str(), other["reason"].as_str()),
        (Some("busy"), Some("培训"))
    );
    let live = call(&base, &admin, Method::GET, "/api/v1/supervisor/live", None).await;
    let waiting = live["queues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == tasks)
        .unwrap()["waiting"]
        .clone();
    assert_eq!(waiting, 2, "nothing waiting was lost");

    call(
        &base,
        &agent1,
        Method::POST,
        &format!("/api/v1/contacts/{}/release", ids[0]),
        None,
    )
    .await;
    call(
        &base,
        &agent1,
        Method::POST,
        "/api/v1/agent/continue",
        Some(json!({})),
    )
    .await;
    let second = call(
        &base,
        &admin,
        Method::GET,
        &format!("/api/v1/contacts/{}", ids[1]),
        None,
    )
    .await;
    assert_eq!(
        second["state"], "offered",
        "waiting contacts keep their order after the restart"
    );
}

#[tokio::test]
async fn acknowledged_chat_messages_survive_kill_9_and_both_sides_resume() {
    use futures_util::{SinkExt, StreamExt};
    use reqwest::Method;
    use tokio_tungstenite::tungstenite::Message;
    type Socket = tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >;
    async fn next_of(s: &mut Socket, kind: &str) -> Value {
        loop {
            let m = tokio::time::timeout(std::time::Duration::from_secs(3), s.next())
                .await
                .unwrap()
                .unwrap()
                .unwrap();
            if let Message::Text(t) = m {
                let v: Value = serde_json::from_str(&t).unwrap();
                if v["type"] == kind {
                    return v;
                }
            }
        }
    }
    let ws = |base: &str, q: &str| {
        format!(
            "{}/api/v1/chat/demo/web/ws?visitor=durable-visitor-0123456789{q}",
            base.replace("http", "ws")
        )
    };

    let dir = tempfile::tempdir().unwrap();
    let server = serve_demo(dir.path());
    let base = server.base.clone();
    let agent = token_of(&base, "agent1").await;
    call(
        &base,
        &agent,
        Method::POST,
        "/api/v1/agent/sign-in",
        Some(json!({})),
    )
    .await;
    let (mut c, _) = tokio_tungstenite::connect_async(ws(&base, ""))
        .await
        .unwrap();
    c.send(Message::Text(
        json!({ "type": "start", "question": "你好" })
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    let conversation = next_of(&mut c, "conversation").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The question's ack follows; reading it here keeps every later ack matched to its message.
    assert_eq!(next_of(&mut c, "ack").await["client_id"], "question");
    call(
        &base,
        &agent,
        Method::POST,
        &format!("/api/v1/contacts/{conversation}/answer"),
        None,
    )
    .await;
    for n in 0..20 {
        c.send(Message::Text(
            json!({ "type": "message", "client_id": format!("c{n}"), "text": format!("消息 {n}") })
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
        // Only an acknowledged message is promised to survive the socket being dropped.
        assert_eq!(next_of(&mut c, "ack").await["client_id"], format!("c{n}"));
        if n == 9 {
            // Stay under the flood limit of 10 messages per 10 s.
            drop(c);
            c = tokio_tungstenite::connect_async(ws(
                &base,
                &format!("&conversation={conversation}&after=1000"),
            ))
            .await
            .unwrap()
            .0;
            next_of(&mut c, "welcome").await;
        }
    }
    let sent = call(
        &base,
        &agent,
        Method::POST,
        &format!("/api/v1/contacts/{conversation}/messages"),
        Some(json!({ "client_id": "a", "text": "收到" })),
    )
    .await;
    assert_eq!(sent["seq"], 22);
    drop(server); // SIGKILL

    let server = serve_demo(dir.path());
    let base = server.base.clone();
    let agent = token_of(&base, "agent1").await;
    let history = call(
        &base,
        &agent,
        Method::GET,
        &format!("/api/v1/contacts/{conversation}/messages"),
        None,
    )
    .await;
    assert_eq!(
        history.as_array().unwrap().len(),
        22,
        "the question, 20 acknowledged messages and the agent's reply"
    );
    let (mut c, _) = tokio_tungstenite::connect_async(ws(
        &base,
        &format!("&conversation={conversation}&after=20"),
    ))
    .await
    .unwrap();
    assert_eq!(
        next_of(&mut c, "welcome").await["conversation"],
        conversation.as_str()
    );
    let replayed: Vec<i64> = [
        next_of(&mut c, "message").await,
        next_of(&mut c, "message").await,
    ]
    .iter()
    .map(|m| m["seq"].as_i64().unwrap())
    .collect();
    assert_eq!(replayed, [21, 22], "the customer resumes where it was");
    c.send(Message::Text(
        json!({ "type": "message", "client_id": "c19", "text": "消息 19" })
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    assert_eq!(
        next_of(&mut c, "ack").await["seq"],
        21,
        "a resent message is not stored twice"
    );
    c.send(Message::Text(
        json!({ "type": "message", "client_id": "after", "text": "重启后" })
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    assert_eq!(next_of(&mut c, "ack").await["seq"], 23);
    let reply = call(
        &base,
        &agent,
        Method::POST,
        &format!("/api/v1/contacts/{conversation}/messages"),
        Some(json!({ "client_id": "b", "text": "继续" })),
    )
    .await;
    assert_eq!(
        reply["seq"], 24,
        "the agent resumes too: still connected after the restart"
    );
}

/// Two servers on one database (`db`: the flags naming it): the second waits as a standby,
/// answering only `/healthz`, until the first is killed, then takes over within seconds.
async fn a_standby_takes_over(db: &[&std::ffi::OsStr]) {
    let serve = || serve_demo_on(db);
    let active = serve();
    let standby = serve();
    standby
        .logs("standby: another server holds the database lease; waiting")
        .await;
    assert_eq!(
        health(&active.base).await,
        (200, json!({ "status": "ok", "role": "active" }))
    );
    let (status, body) = health(&standby.base).await;
    assert_eq!(
        (status, &body["status"]),
        (503, &json!("standby")),
        "{body}"
    );
    let res = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/login", standby.base))
        .json(&json!({ "tenant": "demo", "login": "admin", "password": "switchboard" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 503);
    assert!(res.headers().contains_key("retry-after"));
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "standby");

    drop(active); // SIGKILL: the lease goes with the process.
    let deadline = Instant::now() + Duration::from_secs(10);
    while health(&standby.base).await.0 != 200 {
        assert!(
            Instant::now() < deadline,
            "the standby took over within 10 s:\n{}",
            standby.log.lock().unwrap()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    standby.logs("lease acquired: now active").await;
    assert_eq!(
        login(&standby.base, "demo", "admin", "switchboard").await.0,
        200
    );
}

#[tokio::test]
async fn a_standby_on_the_same_data_dir_takes_over_from_a_killed_server() {
    let dir = tempfile::tempdir().unwrap();
    a_standby_takes_over(&["--data".as_ref(), dir.path().as_os_str()]).await;
}

#[tokio::test]
async fn a_standby_on_the_same_postgres_database_takes_over_from_a_killed_server() {
    let Some(db) = switchboard_storage::testing::PgTestDb::create().await else {
        return;
    };
    a_standby_takes_over(&["--database-url".as_ref(), db.url.as_ref()]).await;
}
