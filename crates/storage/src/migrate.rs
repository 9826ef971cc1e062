//! Running a backend's migrations, refusing a schema newer than this build knows.

use sqlx::migrate::{MigrateError, Migrator};

use crate::{Result, StorageError};

/// Applies pending migrations. A database that has a migration this build lacks was
/// written by a newer Switchboard: we stop rather than guess at its shape.
pub(crate) async fn run<'a, A>(migrator: &Migrator, conn: A, newest_applied: i64) -> Result<()>
where
    A: sqlx::Acquire<'a>,
    <A::Connection as std::ops::Deref>::Target: sqlx::migrate::Migrate,
{
    let known = migrator.iter().map(|m| m.version).max().unwrap_or(0);
    if newest_applied > known {
        return Err(StorageError::SchemaTooNew {
            found: newest_applied,
            known,
        });
    }
    migrator.run(conn).await.map_err(|err| match err {
        MigrateError::VersionMissing(found) => StorageError::SchemaTooNew { found, known },
        MigrateError::Execute(e) => StorageError::Backend(e),
        other => StorageError::Backend(sqlx::Error::Migrate(Box::new(other))),
    })
}

/// The newest migration recorded in the database, 0 on a fresh one.
pub(crate) const NEWEST_APPLIED: &str = "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations";
