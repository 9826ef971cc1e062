//! `--log-format json`: every line the server writes to standard error is one JSON object
//! with a level and a message, and no secret it was given reaches the log.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod support;

use std::ffi::OsStr;

use serde_json::Value;
use support::{login, start, switchboard};

/// A password nobody has: the failed login below sends it.
const TRIED_PASSWORD: &str = "wrong-Pa55word-7731";

/// Serves the demo on `db` with JSON logs at debug level (the most the log ever says), makes
/// a failed and a good login, and checks the log line by line; `secrets` must appear nowhere.
async fn json_log_holds_no_secret(db: &[&OsStr], secrets: &[&str]) {
    let mut cmd = switchboard();
    cmd.args([
        "serve",
        "--http",
        "127.0.0.1:0",
        "--sip",
        "127.0.0.1:0",
        "--demo",
    ])
    .args(["--log-format", "json"])
    .args(db)
    .env("RUST_LOG", "debug,sqlx=warn,hyper=info,hyper_util=info");
    let server = start(cmd);
    assert_eq!(
        login(&server.base, "demo", "admin", TRIED_PASSWORD).await.0,
        401
    );
    assert_eq!(
        login(&server.base, "demo", "admin", "switchboard").await.0,
        200
    );
    server.logs("finished processing request").await;
    let log = server.log.lock().unwrap().clone();
    let mut lines = 0;
    for line in log.lines() {
        let entry: Value = serde_json::from_str(line)
            .unwrap_or_else(|err| panic!("not a JSON line ({err}): {line}"));
        assert!(entry["level"].is_string(), "a level: {line}");
        assert!(entry["message"].is_string(), "a message: {line}");
        assert!(entry["timestamp"].is_string(), "a time: {line}");
        lines += 1;
    }
    assert!(lines > 3, "the server logged: {log}");
    for secret in secrets.iter().chain([&TRIED_PASSWORD, &"switchboard\""]) {
        assert!(!log.contains(secret), "{secret} is in the log:\n{log}");
    }
}

#[tokio::test]
async fn json_logs_on_sqlite_are_json_lines_without_passwords() {
    let dir = tempfile::tempdir().unwrap();
    json_log_holds_no_secret(&["--data".as_ref(), dir.path().as_os_str()], &[]).await;
}

#[tokio::test]
async fn json_logs_on_postgres_hide_the_database_password() {
    let Some(db) = switchboard_storage::testing::PgTestDb::create().await else {
        return;
    };
    // Trust authentication ignores the password, but the server was still given it.
    let url = db.url.replacen("postgres@", "postgres:Url-Secret-4410@", 1);
    assert_ne!(url, db.url, "the test database URL names the postgres user");
    json_log_holds_no_secret(
        &["--database-url".as_ref(), url.as_ref()],
        &["Url-Secret-4410"],
    )
    .await;
}

#[test]
fn the_log_format_comes_from_the_config_file_and_bad_values_are_refused() {
    let out = switchboard()
        .args(["serve", "--log-format", "yaml"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("yaml"));
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("switchboard.toml");
    // The server fails (its --http is bad) and says so as a JSON line, as the file asked.
    std::fs::write(&config, "log_format = \"json\"\nhttp = \"nonsense\"\n").unwrap();
    let out = switchboard()
        .args(["serve", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    let entry: Value = serde_json::from_str(err.lines().last().unwrap()).unwrap();
    assert_eq!(entry["level"], "ERROR", "{err}");
    assert!(entry["message"]
        .as_str()
        .unwrap()
        .contains("--http 'nonsense'"));
}
