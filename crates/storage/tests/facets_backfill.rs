//! Migration 0009 computes the same search facet in SQL, for tickets written before it, as
//! the storage code computes for new ones: its backfill run over tickets the code wrote
//! changes nothing, on both databases.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod support;

use switchboard_storage::testing::PgTestDb;
use switchboard_storage::{open, Location};

use support::tickets_in_statuses;

const STATUSES: [&str; 2] = ["new", "待处理"];
/// What the code writes for them: the status, in hex.
const FACETS: [&str; 2] = ["zs6e6577", "zse5be85e5a484e79086"];

/// The migration's UPDATE statements.
fn backfill(migration: &str) -> Vec<String> {
    migration
        .split(';')
        .map(|s| {
            s.lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .filter(|s| s.trim_start().starts_with("UPDATE"))
        .collect()
}

const READ: &str = "SELECT facets FROM tickets ORDER BY number";
const READ_SEARCH: &str = "SELECT terms FROM ticket_search ORDER BY rowid";
const FORGET: &str = "UPDATE tickets SET facets = ''";

#[tokio::test]
async fn sqlite_backfill_matches_the_code() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(Location::DataDir(dir.path())).await.unwrap();
    tickets_in_statuses(store.as_ref(), &STATUSES).await;
    let path = dir.path().join(switchboard_storage::sqlite::DB_FILE);
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let written: Vec<String> = sqlx::query_scalar(READ).fetch_all(&pool).await.unwrap();
    assert_eq!(written, FACETS);
    let search: Vec<String> = sqlx::query_scalar(READ_SEARCH)
        .fetch_all(&pool)
        .await
        .unwrap();
    sqlx::query(FORGET).execute(&pool).await.unwrap();
    let statements = backfill(include_str!("../migrations/sqlite/0009_ticket_facets.sql"));
    assert_eq!(statements.len(), 2);
    for sql in statements {
        sqlx::query(&sql).execute(&pool).await.unwrap();
    }
    let again: Vec<String> = sqlx::query_scalar(READ).fetch_all(&pool).await.unwrap();
    assert_eq!(again, written);
    let search_again: Vec<String> = sqlx::query_scalar(READ_SEARCH)
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(search_again, search);
}

#[tokio::test]
async fn postgres_backfill_matches_the_code() {
    let Some(db) = PgTestDb::create().await else {
        return;
    };
    let store = open(Location::Postgres(&db.url)).await.unwrap();
    tickets_in_statuses(store.as_ref(), &STATUSES).await;
    let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
    let written: Vec<String> = sqlx::query_scalar(READ).fetch_all(&pool).await.unwrap();
    assert_eq!(written, FACETS);
    sqlx::query(FORGET).execute(&pool).await.unwrap();
    let statements = backfill(include_str!(
        "../migrations/postgres/0009_ticket_facets.sql"
    ));
    assert_eq!(statements.len(), 1);
    for sql in statements {
        sqlx::query(&sql).execute(&pool).await.unwrap();
    }
    let again: Vec<String> = sqlx::query_scalar(READ).fetch_all(&pool).await.unwrap();
    assert_eq!(again, written);
    pool.close().await;
}
