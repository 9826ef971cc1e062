//! Migrations 0009 and 0010 compute in SQL the same search facets, for tickets and types
//! written before them, as the storage code computes for new ones: their backfill run over
//! tickets the code wrote changes nothing, on both databases.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod support;

use switchboard_storage::testing::PgTestDb;
use switchboard_storage::{open, Location};

use support::tickets_in_statuses;

const STATUSES: [&str; 2] = ["new", "待处理"];

fn hex(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

/// What the code writes for a ticket in `status` (tickets::facets): its status, and its
/// values of the facet fields (not `order_no`), each as the hex of its UTF-8 text.
fn facets(status: &str) -> Vec<String> {
    let field = |code: &str, value: &str| format!("zf{}x{}", hex(code), hex(value));
    let mut tokens = vec![
        format!("zs{}", hex(status)),
        field("product", "watch"),
        field("tags", "a"),
        field("tags", "售后"),
    ];
    tokens.sort();
    tokens
}

/// The statements of a migration that compute data (not the schema changes).
fn backfill(migration: &str) -> Vec<String> {
    migration
        .split(';')
        .map(|s| {
            s.lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .filter(|s| {
            let s = s.trim_start();
            ["UPDATE", "CREATE TEMP", "DROP TABLE"]
                .iter()
                .any(|p| s.starts_with(p))
        })
        .collect()
}

const READ: &str = "SELECT facets FROM tickets ORDER BY number";
const READ_SEARCH: &str = "SELECT terms FROM ticket_search ORDER BY rowid";
const READ_FIELDS: &str = "SELECT facet_fields FROM ticket_types";
const FORGET: [&str; 2] = [
    "UPDATE tickets SET facets = ''",
    "UPDATE ticket_types SET facet_fields = ''",
];

/// Space-separated tokens, in order (SQL aggregates in its own order).
fn sorted(rows: Vec<String>) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| {
            let mut tokens: Vec<String> = r.split_whitespace().map(str::to_owned).collect();
            tokens.sort();
            tokens
        })
        .collect()
}

#[tokio::test]
async fn sqlite_backfill_matches_the_code() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(Location::DataDir(dir.path())).await.unwrap();
    tickets_in_statuses(store.as_ref(), &STATUSES).await;
    let path = dir.path().join(switchboard_storage::sqlite::DB_FILE);
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let read = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, String>(sql)
                .fetch_all(&pool)
                .await
                .unwrap()
        }
    };
    let written = sorted(read(READ).await);
    assert_eq!(written, STATUSES.map(facets));
    let search = sorted(read(READ_SEARCH).await);
    assert_eq!(read(READ_FIELDS).await, ["product tags"]);
    for sql in FORGET {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    let mut statements = backfill(include_str!("../migrations/sqlite/0009_ticket_facets.sql"));
    assert_eq!(statements.len(), 2);
    statements.extend(backfill(include_str!(
        "../migrations/sqlite/0010_ticket_field_facets.sql"
    )));
    // One connection: the temporary table lives in its session.
    let mut conn = pool.acquire().await.unwrap();
    for sql in statements {
        sqlx::query(&sql).execute(&mut *conn).await.unwrap();
    }
    drop(conn);
    assert_eq!(sorted(read(READ).await), written);
    assert_eq!(sorted(read(READ_SEARCH).await), search);
    assert_eq!(read(READ_FIELDS).await, ["product tags"]);
}

#[tokio::test]
async fn postgres_backfill_matches_the_code() {
    let Some(db) = PgTestDb::create().await else {
        return;
    };
    let store = open(Location::Postgres(&db.url)).await.unwrap();
    tickets_in_statuses(store.as_ref(), &STATUSES).await;
    let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
    let read = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, String>(sql)
                .fetch_all(&pool)
                .await
                .unwrap()
        }
    };
    let written = sorted(read(READ).await);
    assert_eq!(written, STATUSES.map(facets));
    for sql in FORGET {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    let mut statements = backfill(include_str!(
        "../migrations/postgres/0009_ticket_facets.sql"
    ));
    assert_eq!(statements.len(), 1);
    statements.extend(backfill(include_str!(
        "../migrations/postgres/0010_ticket_field_facets.sql"
    )));
    // One connection: the temporary table lives in its session.
    let mut conn = pool.acquire().await.unwrap();
    for sql in statements {
        sqlx::query(&sql).execute(&mut *conn).await.unwrap();
    }
    drop(conn);
    assert_eq!(sorted(read(READ).await), written);
    assert_eq!(read(READ_FIELDS).await, ["product tags"]);
    pool.close().await;
}
