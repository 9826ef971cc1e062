//! The embedded SQLite backend: one file under the data directory, WAL, `synchronous=FULL`
//! so a committed write survives a power cut before we acknowledge it.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Pool, QueryBuilder, Sqlite, Transaction};
use switchboard_engine::TenantId;
use uuid::Uuid;

use crate::backend::{rows_per, Backend, Dialect};
use crate::tickets::facets::{FacetFields, FacetLock};
use crate::{Lease, LeaseStore, Result, StorageError};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// The file name of the database inside the data directory.
pub const DB_FILE: &str = "switchboard.db";

/// SQLite storage. One writer connection (SQLite allows one writer at a time; queueing in
/// the pool beats `SQLITE_BUSY`), several readers.
pub struct SqliteStore {
    pub(crate) writer: Pool<Sqlite>,
    pub(crate) reader: Pool<Sqlite>,
    /// The file whose lock is the lease: the database's name with `.lease` for `.db`.
    lease_file: PathBuf,
}

impl SqliteStore {
    /// Opens (creating if needed) the database in `dir` and migrates it.
    pub async fn open_dir(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| StorageError::Backend(sqlx::Error::Io(e)))?;
        Self::open_file(&dir.join(DB_FILE)).await
    }

    pub async fn open_file(path: &Path) -> Result<Self> {
        let options = SqliteConnectOptions::from_str("sqlite://")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        let newest: i64 = newest_applied(&writer).await?;
        crate::migrate::run(&MIGRATOR, &writer, newest).await?;
        let reader = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.read_only(true))
            .await?;
        Ok(Self {
            writer,
            reader,
            lease_file: path.with_extension("lease"),
        })
    }
}

/// The lease on SQLite: an exclusive lock on a file beside the database, held while the file
/// is open. The operating system lets go when the process ends, however it ends.
struct SqliteLease {
    _file: File,
}

#[async_trait::async_trait]
impl LeaseStore for SqliteStore {
    async fn try_lease(&self) -> Result<Option<Box<dyn Lease>>> {
        let io = |e| StorageError::Backend(sqlx::Error::Io(e));
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&self.lease_file)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(Box::new(SqliteLease { _file: file }))),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(io(e)),
        }
    }
}

#[async_trait::async_trait]
impl Lease for SqliteLease {
    /// Nothing can take the lock from an open file short of ending the process.
    async fn check(&mut self) -> Result<()> {
        Ok(())
    }

    /// Closing the file lets go of its lock.
    async fn release(self: Box<Self>) -> Result<()> {
        Ok(())
    }
}

async fn newest_applied(pool: &Pool<Sqlite>) -> Result<i64> {
    let exists: Option<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
    .fetch_optional(pool)
    .await?;
    if exists.is_none() {
        return Ok(0);
    }
    Ok(sqlx::query_scalar(crate::migrate::NEWEST_APPLIED)
        .fetch_one(pool)
        .await?)
}

/// The store the shared queries are compiled for here.
type Store = SqliteStore;

/// The queries both databases share (`sql/mod.rs`), compiled here for `SqliteStore`. `postgres.rs`
/// compiles the same files for its own store: that is how they are shared.
#[allow(clippy::duplicate_mod)]
#[path = "sql/mod.rs"]
mod sql;

impl Backend for SqliteStore {
    type Db = Sqlite;

    const DIALECT: Dialect = Dialect::Sqlite;

    fn push_candidates(b: &mut QueryBuilder<'_, Sqlite>, ids: &[Uuid]) {
        b.push(" AND t.id IN (");
        let mut list = b.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        b.push(")");
    }

    /// As many rows per statement as SQLite's parameter limit allows.
    async fn insert_value_rows(
        tx: &mut Transaction<'_, Sqlite>,
        tenant: TenantId,
        rows: &[(Uuid, String, String)],
    ) -> Result<()> {
        for chunk in rows.chunks(rows_per(4)) {
            let mut b = sqlx::QueryBuilder::<Sqlite>::new(
                "INSERT INTO ticket_values (tenant_id, ticket_id, code, value) ",
            );
            b.push_values(chunk, |mut r, (id, code, value)| {
                r.push_bind(tenant.0)
                    .push_bind(*id)
                    .push_bind(code)
                    .push_bind(value);
            });
            b.build().execute(&mut **tx).await?;
        }
        Ok(())
    }

    /// Nothing to take: SQLite runs one writing transaction at a time.
    async fn lock_facet_fields(
        _tx: &mut Transaction<'_, Sqlite>,
        _tenant: TenantId,
        _lock: FacetLock,
    ) -> Result<()> {
        Ok(())
    }

    /// Then the full-text rows, which SQLite keeps by hand. Migration 0010 does the same for
    /// every tenant.
    async fn rebuild_facets(
        tx: &mut Transaction<'_, Sqlite>,
        tenant: TenantId,
        fields: &FacetFields,
        joined: &FacetFields,
    ) -> Result<()> {
        let push_codes = |b: &mut sqlx::QueryBuilder<'_, Sqlite>, codes: &FacetFields| {
            b.push("(");
            let mut list = b.separated(", ");
            for c in codes {
                list.push_bind(c.clone());
            }
            b.push(")");
        };
        let holding = |b: &mut sqlx::QueryBuilder<'_, Sqlite>| {
            b.push("SELECT ticket_id FROM ticket_values WHERE tenant_id = ")
                .push_bind(tenant.0)
                .push(" AND code IN ");
            push_codes(b, joined);
        };
        let mut b = sqlx::QueryBuilder::<Sqlite>::new(
            "UPDATE tickets SET facets = 'zs' || lower(hex(status)) || COALESCE((\
             SELECT group_concat(' zf' || lower(hex(v.code)) || 'x' || lower(hex(v.value)), '') \
             FROM ticket_values v WHERE v.ticket_id = tickets.id AND v.code IN ",
        );
        push_codes(&mut b, fields);
        b.push("), '') WHERE tenant_id = ")
            .push_bind(tenant.0)
            .push(" AND id IN (");
        holding(&mut b);
        b.push(")");
        b.build().execute(&mut **tx).await?;
        let mut s = sqlx::QueryBuilder::<Sqlite>::new(
            "UPDATE ticket_search SET terms = \
             (SELECT t.terms || ' ' || t.facets FROM tickets t WHERE t.search_rowid = ticket_search.rowid) \
             WHERE rowid IN (SELECT search_rowid FROM tickets WHERE tenant_id = ",
        );
        s.push_bind(tenant.0).push(" AND id IN (");
        holding(&mut s);
        s.push("))");
        s.build().execute(&mut **tx).await?;
        Ok(())
    }
}
