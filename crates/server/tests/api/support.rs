//! Spawning a server for one test and talking to it.

use std::net::SocketAddr;
use std::sync::Arc;

use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};
use switchboard_server::clock::Clock;
use switchboard_server::listen::Limits;
use switchboard_storage::testing::PgTestDb;
use switchboard_storage::Storage;

pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub store: Arc<dyn Storage>,
    /// The server's clock: a test moves it forward instead of sleeping.
    pub clock: Clock,
    /// The server's shared state (the voice tests start the SIP side on it).
    #[allow(dead_code)]
    pub state: switchboard_server::AppState,
    _sqlite: Option<tempfile::TempDir>,
    /// Files the server keeps beside its database (uploaded prompts).
    pub data: tempfile::TempDir,
    _pg: Option<PgTestDb>,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

/// Starts a server with the demo tenant; `None` when the backend is unavailable (see
/// `PgTestDb::create`).
pub async fn spawn(backend: Backend) -> Option<TestApp> {
    spawn_with(backend, Limits::default()).await
}

/// Starts a server with the demo tenant and these connection limits.
pub async fn spawn_with(backend: Backend, limits: Limits) -> Option<TestApp> {
    let (store, sqlite, pg) = match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            let store = switchboard_server::open_storage(dir.path(), None)
                .await
                .unwrap();
            (store, Some(dir), None)
        }
        Backend::Postgres => {
            let db = PgTestDb::create().await?;
            let store = switchboard_server::open_storage(std::path::Path::new("."), Some(&db.url))
                .await
                .unwrap();
            (store, None, Some(db))
        }
    };
    let clock = Clock::steerable();
    switchboard_server::demo::seed(store.as_ref(), clock.now_ms())
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    // Loopback is a trusted proxy, as behind a reverse proxy on the same host: a test speaks
    // for another client address with X-Forwarded-For; without the header it is 127.0.0.1.
    let options = switchboard_server::state::Options {
        clock: clock.clone(),
        trusted_proxies: vec![std::net::Ipv4Addr::LOCALHOST.into()],
        // The webhook tests' receivers listen on loopback.
        webhook_allow_private: true,
        ..Default::default()
    };
    let state = switchboard_server::AppState::with_options(store.clone(), options);
    let data = tempfile::tempdir().unwrap();
    state.voice.prompts.set_root(data.path().join("prompts"));
    switchboard_server::ticket_jobs::start(state.clone());
    switchboard_server::webhooks::start(state.clone());
    let app = switchboard_server::api::app(state.clone());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let shutdown = async {
            let _ = rx.await;
        };
        switchboard_server::listen::serve(listener, app, limits, shutdown)
            .await
            .unwrap();
    });
    Some(TestApp {
        base: format!("http://{addr}"),
        addr,
        client: reqwest::Client::new(),
        store,
        clock,
        state,
        _sqlite: sqlite,
        data,
        _pg: pg,
        _shutdown: tx,
    })
}

/// Declares one test per backend for each `async fn(TestApp)`.
#[macro_export]
macro_rules! on_both {
    ($($test:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $test() {
                    let app = $crate::support::spawn($crate::support::Backend::Sqlite).await.unwrap();
                    super::$test(app).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $test() {
                    if let Some(app) = $crate::support::spawn($crate::support::Backend::Postgres).await {
                        super::$test(app).await;
                    }
                }
            )+
        }
    };
}

pub const DEMO_PASSWORD: &str = "switchboard";

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn login(&self, tenant: &str, login: &str, password: &str) -> Response {
        self.client
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({ "tenant": tenant, "login": login, "password": password }))
            .send()
            .await
            .unwrap()
    }

    /// Logs in and returns the token; panics unless the login succeeds.
    pub async fn token(&self, tenant: &str, login: &str, password: &str) -> String {
        let res = self.login(tenant, login, password).await;
        assert_eq!(res.status(), StatusCode::OK, "login {tenant}/{login}");
        res.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn admin(&self) -> String {
        self.token("demo", "admin", DEMO_PASSWORD).await
    }

    pub async fn call(
        &self,
        method: Method,
        token: &str,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, value)
    }

    pub async fn get(&self, token: &str, path: &str) -> (StatusCode, Value) {
        self.call(Method::GET, token, path, None).await
    }

    pub async fn post(&self, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, token, path, Some(body)).await
    }

    pub async fn patch(&self, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::PATCH, token, path, Some(body)).await
    }

    pub async fn put(&self, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::PUT, token, path, Some(body)).await
    }

    pub async fn delete(&self, token: &str, path: &str) -> (StatusCode, Value) {
        self.call(Method::DELETE, token, path, None).await
    }

    /// Creates a user through the API and returns its JSON.
    pub async fn create_user(
        &self,
        admin: &str,
        login: &str,
        roles: &[&str],
        password: &str,
    ) -> Value {
        let (status, user) = self
            .post(
                admin,
                "/api/v1/users",
                json!({
                    "login": login, "real_name": "测试用户", "display_name": login,
                    "chat_limit": 3, "roles": roles, "password": password,
                }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{user}");
        user
    }

    /// A user who has completed the forced password change; returns their token.
    pub async fn ready_user(&self, admin: &str, login: &str, roles: &[&str]) -> String {
        self.create_user(admin, login, roles, "initial-pass").await;
        let token = self.token("demo", login, "initial-pass").await;
        let (status, body) = self
            .post(
                &token,
                "/api/v1/auth/password",
                json!({ "current_password": "initial-pass", "new_password": "chosen-pass" }),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        token
    }
}

/// Asserts an error response's status and code.
pub fn assert_error(got: &(StatusCode, Value), status: StatusCode, code: &str) {
    assert_eq!(got.0, status, "{}", got.1);
    assert_eq!(got.1["code"], code, "{}", got.1);
    assert!(
        got.1["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{}",
        got.1
    );
}

/// A refused customer socket: the `error` frame's code and the close code that follows it.
pub async fn refusal(url: &str) -> (String, u16) {
    use futures_util::StreamExt;
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let error = match socket.next().await {
        Some(Ok(tokio_tungstenite::tungstenite::Message::Text(t))) => {
            serde_json::from_str::<Value>(&t).unwrap()
        }
        other => panic!("expected an error frame, got {other:?}"),
    };
    assert_eq!(error["type"], "error");
    let close = match socket.next().await {
        Some(Ok(tokio_tungstenite::tungstenite::Message::Close(Some(c)))) => u16::from(c.code),
        other => panic!("expected a close frame, got {other:?}"),
    };
    (error["code"].as_str().unwrap().to_owned(), close)
}
