//! A server must refuse a database whose schema is newer than it knows.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use switchboard_storage::testing::PgTestDb;
use switchboard_storage::{open, Location, StorageError};

const FUTURE: &str = "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time) \
                      VALUES (99990101000000, 'from the future', CURRENT_TIMESTAMP, TRUE, X'00', 0)";

#[tokio::test]
async fn sqlite_refuses_a_newer_schema() {
    let dir = tempfile::tempdir().unwrap();
    drop(open(Location::DataDir(dir.path())).await.unwrap());
    let path = dir.path().join(switchboard_storage::sqlite::DB_FILE);
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    sqlx::query(FUTURE).execute(&pool).await.unwrap();
    pool.close().await;
    match open(Location::DataDir(dir.path())).await {
        Err(StorageError::SchemaTooNew { found, .. }) => assert_eq!(found, 99990101000000),
        other => panic!("expected SchemaTooNew, got {:?}", other.err()),
    }
}

#[tokio::test]
async fn postgres_refuses_a_newer_schema() {
    let Some(db) = PgTestDb::create().await else {
        return;
    };
    drop(open(Location::Postgres(&db.url)).await.unwrap());
    let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
    sqlx::query(&FUTURE.replace("X'00'", "'\\x00'::bytea"))
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    match open(Location::Postgres(&db.url)).await {
        Err(StorageError::SchemaTooNew { found, .. }) => assert_eq!(found, 99990101000000),
        other => panic!("expected SchemaTooNew, got {:?}", other.err()),
    }
}
