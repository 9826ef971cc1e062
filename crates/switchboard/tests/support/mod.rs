//! What the tests of the `switchboard` binary share: starting it, reading its log, and
//! talking to it over HTTP.
#![allow(dead_code)] // Each test crate uses its own part.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_switchboard");

pub fn switchboard() -> Command {
    let mut cmd = Command::new(BIN);
    for (key, _) in std::env::vars() {
        if key.starts_with("SWITCHBOARD_") {
            cmd.env_remove(key);
        }
    }
    cmd
}

/// A running server; killed with SIGKILL when dropped.
pub struct Server {
    pub child: Child,
    pub base: String,
    /// What it has logged so far (standard error).
    pub log: Arc<Mutex<String>>,
    /// What it printed after its first line (standard output).
    pub out: Arc<Mutex<String>>,
}

impl Server {
    /// Waits up to five seconds for the log to say `text`.
    pub async fn logs(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while !self.log.lock().unwrap().contains(text) {
            assert!(
                Instant::now() < deadline,
                "the log never said {text:?}:\n{}",
                self.log.lock().unwrap()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start(mut cmd: Command) -> Server {
    if !cmd.get_envs().any(|(key, _)| key == "RUST_LOG") {
        cmd.env("RUST_LOG", "info,sqlx=warn");
    }
    let mut child = cmd
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let log = Arc::new(Mutex::new(String::new()));
    let stderr = BufReader::new(child.stderr.take().unwrap());
    std::thread::spawn({
        let log = log.clone();
        move || {
            for line in stderr.lines().map_while(Result::ok) {
                let mut log = log.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        }
    });
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let line = lines
        .next()
        .expect("the server prints its address")
        .unwrap();
    let addr = line
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {line}"))
        .to_owned();
    // Keep draining stdout so the server never blocks on a full pipe.
    let out = Arc::new(Mutex::new(String::new()));
    std::thread::spawn({
        let out = out.clone();
        move || {
            for line in lines.map_while(Result::ok) {
                let mut out = out.lock().unwrap();
                out.push_str(&line);
                out.push('\n');
            }
        }
    });
    Server {
        child,
        base: addr,
        log,
        out,
    }
}

/// A demo server on the database the flags `db` name (`--data DIR` or `--database-url URL`).
pub fn serve_demo_on(db: &[&OsStr]) -> Server {
    let mut cmd = switchboard();
    cmd.args([
        "serve",
        "--http",
        "127.0.0.1:0",
        "--sip",
        "127.0.0.1:0",
        "--demo",
    ])
    .args(db);
    start(cmd)
}

pub fn serve_demo(data: &Path) -> Server {
    serve_demo_on(&["--data".as_ref(), data.as_os_str()])
}

pub async fn login(base: &str, tenant: &str, login: &str, password: &str) -> (u16, Value) {
    let res = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "tenant": tenant, "login": login, "password": password }))
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

pub async fn call(
    base: &str,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> Value {
    let mut req = reqwest::Client::new()
        .request(method, format!("{base}{path}"))
        .bearer_auth(token);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.unwrap();
    assert!(res.status().is_success(), "{path}: {}", res.status());
    res.json().await.unwrap_or(Value::Null)
}

pub async fn token_of(base: &str, login_name: &str) -> String {
    login(base, "demo", login_name, "switchboard").await.1["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub async fn health(base: &str) -> (u16, Value) {
    let res = reqwest::get(format!("{base}/healthz")).await.unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

/// The id of the demo's task queue.
pub async fn task_queue(base: &str, admin: &str) -> String {
    let queues = call(base, admin, reqwest::Method::GET, "/api/v1/queues", None).await;
    let task = queues
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["channel"] == "task")
        .unwrap();
    task["id"].as_str().unwrap().to_owned()
}
