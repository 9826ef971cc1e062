//! Migration 0024 gives the built-in agent and supervisor roles of tenants created before it
//! the `calls.outbound` permission (new tenants get it from the built-in roles' defaults), and
//! no other role. On both databases: the permission is taken away as before the migration, then
//! the migration's grant runs again.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use switchboard_engine::{Permission, RoleName, TenantName};
use switchboard_storage::testing::PgTestDb;
use switchboard_storage::{open, Location, Storage};

const TAKE_AWAY: &str = "DELETE FROM role_permissions WHERE permission = 'calls.outbound'";

/// The migration's last statement: the grant.
fn grant(migration: &str) -> String {
    let code: Vec<&str> = migration
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect();
    let joined = code.join("\n");
    let last = joined.split(';').rfind(|s| !s.trim().is_empty());
    let sql = last.unwrap().to_owned();
    assert!(sql.contains("calls.outbound"), "{sql}");
    sql
}

/// Who holds the permission, by role name (the admin holds every permission by rule).
async fn holders(store: &dyn Storage) -> Vec<String> {
    let tenant = store
        .tenant_by_name(&TenantName::parse("acme").unwrap())
        .await
        .unwrap()
        .unwrap();
    let mut names: Vec<String> = store
        .roles(tenant.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.permissions.contains(&Permission::OutboundCall))
        .map(|r| r.name.as_str().to_owned())
        .collect();
    names.sort();
    names
}

async fn check(store: &dyn Storage, redo: impl std::future::Future<Output = ()>) {
    let t = store
        .create_tenant(&TenantName::parse("acme").unwrap(), "Acme", 0)
        .await
        .unwrap();
    store
        .create_role(
            t.id,
            &RoleName::parse("班长").unwrap(),
            &[Permission::AgentWork],
        )
        .await
        .unwrap();
    redo.await;
    assert_eq!(holders(store).await, ["admin", "agent", "supervisor"]);
}

#[tokio::test]
async fn sqlite_grants_existing_roles() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(Location::DataDir(dir.path())).await.unwrap();
    let path = dir.path().join(switchboard_storage::sqlite::DB_FILE);
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let redo = async {
        let migration = include_str!("../migrations/sqlite/0024_outbound.sql");
        for sql in [TAKE_AWAY.to_owned(), grant(migration)] {
            sqlx::query(&sql).execute(&pool).await.unwrap();
        }
    };
    check(store.as_ref(), redo).await;
}

#[tokio::test]
async fn postgres_grants_existing_roles() {
    let Some(db) = PgTestDb::create().await else {
        return;
    };
    let store = open(Location::Postgres(&db.url)).await.unwrap();
    let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
    let redo = async {
        let migration = include_str!("../migrations/postgres/0024_outbound.sql");
        for sql in [TAKE_AWAY.to_owned(), grant(migration)] {
            sqlx::query(&sql).execute(&pool).await.unwrap();
        }
    };
    check(store.as_ref(), redo).await;
    pool.close().await;
}
