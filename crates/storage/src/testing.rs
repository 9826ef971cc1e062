//! Test support: a fresh SQLite directory or a fresh PostgreSQL database per test.
//!
//! PostgreSQL is found at `SWITCHBOARD_TEST_PG` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`). When it is unreachable the PostgreSQL half
//! of a test is skipped with a loud message, except under `CI=true`, where it fails.

use std::sync::Arc;

use sqlx::Connection;

use crate::{Location, Storage};

pub fn postgres_admin_url() -> String {
    std::env::var("SWITCHBOARD_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// A database created for one test and dropped (with its connections) when this is dropped.
pub struct PgTestDb {
    pub url: String,
    name: String,
}

impl PgTestDb {
    /// Creates an empty database, or `None` (after saying so on stderr) when PostgreSQL is
    /// unreachable outside CI.
    pub async fn create() -> Option<Self> {
        let admin = postgres_admin_url();
        let mut conn = match sqlx::PgConnection::connect(&admin).await {
            Ok(conn) => conn,
            Err(err) if std::env::var("CI").as_deref() != Ok("true") => {
                eprintln!(
                    "\n*** SKIPPED PostgreSQL half of this test: {admin} unreachable: {err} ***\n"
                );
                return None;
            }
            Err(err) => panic!("PostgreSQL at {admin} is unreachable under CI=true: {err}"),
        };
        let name = format!("switchboard_test_{}", uuid::Uuid::new_v4().simple());
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("create test database");
        let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
        Some(Self {
            url: format!("{base}/{name}"),
            name,
        })
    }

    /// Keeps the database after this is dropped (for looking at a benchmark's data
    /// afterwards); returns its URL.
    pub fn keep(mut self) -> String {
        self.name.clear();
        self.url.clone()
    }
}

impl Drop for PgTestDb {
    fn drop(&mut self) {
        let name = self.name.clone();
        if name.is_empty() {
            return;
        }
        // Drop runs inside a test's runtime; a thread with its own runtime avoids blocking it
        // on itself.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                if let Ok(mut conn) = sqlx::PgConnection::connect(&postgres_admin_url()).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut conn)
                        .await;
                }
            });
        })
        .join();
    }
}

/// A store for one test; keeps its database alive until dropped.
pub struct TestStore {
    pub store: Arc<dyn Storage>,
    _sqlite_dir: Option<tempfile::TempDir>,
    _pg: Option<PgTestDb>,
}

impl std::ops::Deref for TestStore {
    type Target = dyn Storage;
    fn deref(&self) -> &Self::Target {
        self.store.as_ref()
    }
}

pub async fn sqlite_store() -> TestStore {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = crate::open(Location::DataDir(dir.path()))
        .await
        .expect("open sqlite");
    TestStore {
        store,
        _sqlite_dir: Some(dir),
        _pg: None,
    }
}

pub async fn postgres_store() -> Option<TestStore> {
    let db = PgTestDb::create().await?;
    let store = crate::open(Location::Postgres(&db.url))
        .await
        .expect("open postgres");
    Some(TestStore {
        store,
        _sqlite_dir: None,
        _pg: Some(db),
    })
}

/// Declares one `#[tokio::test]` per backend for a story `async fn(&dyn Storage)`.
#[macro_export]
macro_rules! story_tests {
    ($($story:ident),+ $(,)?) => {
        mod on_sqlite {
            $(
                #[tokio::test]
                async fn $story() {
                    let s = $crate::testing::sqlite_store().await;
                    super::$story(&*s).await;
                }
            )+
        }
        mod on_postgres {
            $(
                #[tokio::test]
                async fn $story() {
                    if let Some(s) = $crate::testing::postgres_store().await {
                        super::$story(&*s).await;
                    }
                }
            )+
        }
    };
}
