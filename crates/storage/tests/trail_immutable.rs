//! The service trail cannot be rewritten, even by SQL that goes around the storage API.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod support;

use switchboard_storage::testing::PgTestDb;
use switchboard_storage::{open, Location};

use support::tickets_in_statuses;

const EDIT: &str = "UPDATE ticket_trail SET action = 'forged'";
const ERASE: &str = "DELETE FROM ticket_trail";

#[tokio::test]
async fn sqlite_refuses_to_rewrite_the_trail() {
    let dir = tempfile::tempdir().unwrap();
    tickets_in_statuses(
        open(Location::DataDir(dir.path())).await.unwrap().as_ref(),
        &["new"],
    )
    .await;
    let path = dir.path().join(switchboard_storage::sqlite::DB_FILE);
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    for sql in [EDIT, ERASE] {
        let err = sqlx::query(sql).execute(&pool).await.unwrap_err();
        assert!(err.to_string().contains("immutable"), "{sql}: {err}");
    }
}

#[tokio::test]
async fn postgres_refuses_to_rewrite_the_trail() {
    let Some(db) = PgTestDb::create().await else {
        return;
    };
    tickets_in_statuses(
        open(Location::Postgres(&db.url)).await.unwrap().as_ref(),
        &["new"],
    )
    .await;
    let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
    for sql in [EDIT, ERASE] {
        let err = sqlx::query(sql).execute(&pool).await.unwrap_err();
        assert!(err.to_string().contains("immutable"), "{sql}: {err}");
    }
    pool.close().await;
}
