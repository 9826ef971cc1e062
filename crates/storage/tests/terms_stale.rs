//! Migration 0013 marks every ticket written before it as having stale search terms (the
//! server indexes those again), while tickets written after it are not marked; writing a
//! ticket's terms clears its mark only at the version it was read at. On both databases.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod support;

use std::collections::BTreeSet;

use switchboard_storage::testing::PgTestDb;
use switchboard_storage::{open, Location, Storage};

use support::tickets_in_statuses;

const STATUSES: [&str; 2] = ["new", "待处理"];

/// Takes the mark away (as before the migration) and runs the migration's statements.
const UNDO: [&str; 2] = [
    "DROP INDEX tickets_terms_stale",
    "ALTER TABLE tickets DROP COLUMN terms_stale",
];

async fn stale(store: &dyn Storage) -> BTreeSet<String> {
    store
        .stale_ticket_terms(100)
        .await
        .unwrap()
        .iter()
        .map(|(_, id)| id.0.to_string())
        .collect()
}

/// Before: nothing stale. After undoing and redoing the migration: every ticket, until its
/// terms are written at its version.
async fn check(store: &dyn Storage, redo: impl std::future::Future<Output = ()>) {
    tickets_in_statuses(store, &STATUSES).await;
    assert!(
        stale(store).await.is_empty(),
        "new tickets are indexed whole"
    );
    redo.await;
    let marked = store.stale_ticket_terms(100).await.unwrap();
    assert_eq!(marked.len(), STATUSES.len(), "every older ticket");
    let (tenant, id) = marked[0];
    let t = store.ticket(tenant, id).await.unwrap().unwrap();
    assert!(!store
        .set_ticket_terms(tenant, id, t.version + 1, "x")
        .await
        .unwrap());
    assert!(store
        .set_ticket_terms(tenant, id, t.version, "退货 refund")
        .await
        .unwrap());
    assert_eq!(stale(store).await.len(), STATUSES.len() - 1);
    let again = store.ticket(tenant, id).await.unwrap().unwrap();
    assert_eq!(
        (again.terms.as_str(), again.version),
        ("退货 refund", t.version)
    );
}

fn statements(migration: &str) -> Vec<String> {
    let code: Vec<&str> = migration
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect();
    code.join("\n")
        .split(';')
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn sqlite_marks_older_tickets() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(Location::DataDir(dir.path())).await.unwrap();
    let path = dir.path().join(switchboard_storage::sqlite::DB_FILE);
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let redo = async {
        let migration = include_str!("../migrations/sqlite/0013_ticket_terms_stale.sql");
        let mut conn = pool.acquire().await.unwrap();
        for sql in UNDO
            .iter()
            .map(|s| s.to_string())
            .chain(statements(migration))
        {
            sqlx::query(&sql).execute(&mut *conn).await.unwrap();
        }
    };
    check(store.as_ref(), redo).await;
}

#[tokio::test]
async fn postgres_marks_older_tickets() {
    let Some(db) = PgTestDb::create().await else {
        return;
    };
    let store = open(Location::Postgres(&db.url)).await.unwrap();
    let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
    let redo = async {
        let migration = include_str!("../migrations/postgres/0013_ticket_terms_stale.sql");
        for sql in UNDO
            .iter()
            .map(|s| s.to_string())
            .chain(statements(migration))
        {
            sqlx::query(&sql).execute(&pool).await.unwrap();
        }
    };
    check(store.as_ref(), redo).await;
    pool.close().await;
}
