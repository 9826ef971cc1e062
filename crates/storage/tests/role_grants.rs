//! Migrations that grant new permissions to the built-in roles of tenants created before them
//! (new tenants get them from the built-in roles' defaults) grant them to those roles and no
//! other: 0024 `calls.outbound`, 0027 issue #16's reports, quality and customer permissions.
//! On both databases: the permissions are taken away as before the migration, then the
//! migration's grant runs again.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use switchboard_engine::{Permission, RoleName, TenantName};
use switchboard_storage::testing::PgTestDb;
use switchboard_storage::{open, Location, Storage};

/// A migration's grant, and who holds each permission it grants afterwards.
struct Grant {
    sqlite: &'static str,
    postgres: &'static str,
    holders: &'static [(Permission, &'static [&'static str])],
}

const GRANTS: &[Grant] = &[
    Grant {
        sqlite: include_str!("../migrations/sqlite/0024_outbound.sql"),
        postgres: include_str!("../migrations/postgres/0024_outbound.sql"),
        holders: &[(Permission::OutboundCall, &["admin", "agent", "supervisor"])],
    },
    Grant {
        sqlite: include_str!("../migrations/sqlite/0027_running_permissions.sql"),
        postgres: include_str!("../migrations/postgres/0027_running_permissions.sql"),
        holders: &[
            (Permission::ViewReports, &["admin", "supervisor"]),
            (Permission::QualityReview, &["admin", "supervisor"]),
            (Permission::ManageQuality, &["admin"]),
            (Permission::CustomerWork, &["admin", "agent", "supervisor"]),
            (Permission::CustomerMerge, &["admin", "supervisor"]),
            (Permission::ManageIntegrations, &["admin"]),
        ],
    },
];

/// Taking a grant's permissions away, as before its migration.
fn take_away(grant: &Grant) -> String {
    let codes: Vec<String> = grant
        .holders
        .iter()
        .map(|(p, _)| format!("'{}'", p.code()))
        .collect();
    format!(
        "DELETE FROM role_permissions WHERE permission IN ({})",
        codes.join(", ")
    )
}

/// The migration's last statement: the grant.
fn last_statement(migration: &str) -> String {
    let code: Vec<&str> = migration
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect();
    let joined = code.join("\n");
    let last = joined.split(';').rfind(|s| !s.trim().is_empty());
    let sql = last.unwrap().to_owned();
    assert!(sql.contains("role_permissions"), "{sql}");
    sql
}

/// Who holds the permission, by role name (the admin holds every permission by rule).
async fn holders(store: &dyn Storage, permission: Permission) -> Vec<String> {
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
        .filter(|r| r.permissions.contains(&permission))
        .map(|r| r.name.as_str().to_owned())
        .collect();
    names.sort();
    names
}

/// Runs `redo(grant)` for each grant, as on a tenant made before its migration.
async fn check<F, Fut>(store: &dyn Storage, redo: F)
where
    F: Fn(&'static Grant) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
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
    for grant in GRANTS {
        redo(grant).await;
        for (permission, expected) in grant.holders {
            assert_eq!(
                holders(store, *permission).await,
                *expected,
                "{permission:?}"
            );
        }
    }
}

#[tokio::test]
async fn sqlite_grants_existing_roles() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(Location::DataDir(dir.path())).await.unwrap();
    let path = dir.path().join(switchboard_storage::sqlite::DB_FILE);
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let redo = |grant: &'static Grant| {
        let pool = pool.clone();
        async move {
            for sql in [take_away(grant), last_statement(grant.sqlite)] {
                sqlx::query(&sql).execute(&pool).await.unwrap();
            }
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
    let redo = |grant: &'static Grant| {
        let pool = pool.clone();
        async move {
            for sql in [take_away(grant), last_statement(grant.postgres)] {
                sqlx::query(&sql).execute(&pool).await.unwrap();
            }
        }
    };
    check(store.as_ref(), redo).await;
    pool.close().await;
}
