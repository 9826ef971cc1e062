//! The PostgreSQL backend, for tenants that outgrow one machine's embedded database.

use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgConnection, PgPoolOptions};
use sqlx::{Connection, Pool, Postgres, QueryBuilder, Transaction};
use switchboard_engine::TenantId;
use uuid::Uuid;

use crate::backend::{Backend, Dialect};
use crate::tickets::facets::{FacetFields, FacetLock};
use crate::{Lease, LeaseStore, Result, StorageError};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// PostgreSQL storage. PostgreSQL handles concurrent writers itself, so one pool serves both.
pub struct PgStore {
    pub(crate) writer: Pool<Postgres>,
    pub(crate) reader: Pool<Postgres>,
    /// How to connect: the lease takes a connection of its own.
    options: PgConnectOptions,
}

impl PgStore {
    /// Connects to `url` and migrates the database. Sessions run without JIT: our statements
    /// are short, and whenever the planner's estimate crossed the JIT threshold (a full-text
    /// probe on a million tickets does) compiling cost 5-30 ms, more than the query.
    pub async fn connect(url: &str) -> Result<Self> {
        let options = PgConnectOptions::from_str(url)?.options([("jit", "off")]);
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .connect_with(options.clone())
            .await?;
        let exists: Option<String> =
            sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations')::text")
                .fetch_one(&pool)
                .await?;
        let newest = match exists {
            Some(_) => {
                sqlx::query_scalar(crate::migrate::NEWEST_APPLIED)
                    .fetch_one(&pool)
                    .await?
            }
            None => 0,
        };
        crate::migrate::run(&MIGRATOR, &pool, newest).await?;
        Ok(Self {
            writer: pool.clone(),
            reader: pool,
            options,
        })
    }
}

/// The lease's advisory lock, "sb" (Switchboard) "ls" (lease). Locks are per database, so
/// other databases on the same PostgreSQL have leases of their own; the facet lock's class
/// ("tf") differs, so the two never meet.
const LEASE_KEY: (i32, i32) = (0x7362, 0x6c73);

/// The lease on PostgreSQL: a session-level advisory lock on a connection of its own, kept
/// out of the pool (a pooled connection would give the lock up when it was recycled). The
/// lock lasts exactly as long as that session: a killed holder's ends with its socket.
struct PgLease {
    conn: PgConnection,
}

#[async_trait::async_trait]
impl LeaseStore for PgStore {
    async fn try_lease(&self) -> Result<Option<Box<dyn Lease>>> {
        let options = self.options.clone().application_name("switchboard lease");
        let mut conn = PgConnection::connect_with(&options).await?;
        let held: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1, $2)")
            .bind(LEASE_KEY.0)
            .bind(LEASE_KEY.1)
            .fetch_one(&mut conn)
            .await?;
        if !held {
            // Refused either way; a failed goodbye changes nothing.
            let _ = conn.close().await;
            return Ok(None);
        }
        Ok(Some(Box::new(PgLease { conn })))
    }
}

#[async_trait::async_trait]
impl Lease for PgLease {
    /// Asks the lease's own session whether it still holds the lock: a dead session fails
    /// the query, and the lock list answers for a live one.
    async fn check(&mut self) -> Result<()> {
        let held: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' \
             AND pid = pg_backend_pid() AND classid = $1::oid AND objid = $2::oid \
             AND objsubid = 2 AND granted)",
        )
        .bind(LEASE_KEY.0)
        .bind(LEASE_KEY.1)
        .fetch_one(&mut self.conn)
        .await?;
        if held {
            Ok(())
        } else {
            Err(StorageError::LeaseLost)
        }
    }

    /// Unlocks before closing: closing alone returns before the server has let go.
    async fn release(self: Box<Self>) -> Result<()> {
        let mut conn = self.conn;
        sqlx::query("SELECT pg_advisory_unlock($1, $2)")
            .bind(LEASE_KEY.0)
            .bind(LEASE_KEY.1)
            .execute(&mut conn)
            .await?;
        conn.close().await?;
        Ok(())
    }
}

/// The store the shared queries are compiled for here.
type Store = PgStore;

/// The queries both databases share (`sql/mod.rs`), compiled here for `PgStore`. `sqlite.rs`
/// compiles the same files for its own store: that is how they are shared.
#[allow(clippy::duplicate_mod)]
#[path = "sql/mod.rs"]
mod sql;

impl Backend for PgStore {
    type Db = Postgres;

    const DIALECT: Dialect = Dialect::Postgres;

    /// One array, looked up id by id (a list of parameters is checked against every row of a
    /// walk).
    fn push_candidates(b: &mut QueryBuilder<'_, Postgres>, ids: &[Uuid]) {
        b.push(" AND t.id IN (SELECT UNNEST(")
            .push_bind(ids.to_vec())
            .push("::uuid[]))");
    }

    /// As three arrays: one statement however many there are, where multi-row VALUES would
    /// bind every value on its own (an import writes ~600,000).
    async fn insert_value_rows(
        tx: &mut Transaction<'_, Postgres>,
        tenant: TenantId,
        rows: &[(Uuid, String, String)],
    ) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let ids: Vec<Uuid> = rows.iter().map(|r| r.0).collect();
        let codes: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
        let values: Vec<&str> = rows.iter().map(|r| r.2.as_str()).collect();
        sqlx::query(
            "INSERT INTO ticket_values (tenant_id, ticket_id, code, value) \
             SELECT $1, * FROM UNNEST($2::uuid[], $3::text[], $4::text[])",
        )
        .bind(tenant.0)
        .bind(ids)
        .bind(codes)
        .bind(values)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// An advisory lock per tenant: the first key says "facet fields", the second is folded
    /// from the tenant id (a collision only makes two tenants wait on each other).
    async fn lock_facet_fields(
        tx: &mut Transaction<'_, Postgres>,
        tenant: TenantId,
        lock: FacetLock,
    ) -> Result<()> {
        const FACET_FIELDS: i32 = 0x7466; // "tf"
        let bytes = tenant.0.as_bytes();
        let key = bytes.chunks(4).fold(0i32, |k, c| {
            k ^ i32::from_be_bytes([c[0], c[1], c[2], c[3]])
        });
        let sql = match lock {
            FacetLock::Shared => "SELECT pg_advisory_xact_lock_shared($1, $2)",
            FacetLock::Exclusive => "SELECT pg_advisory_xact_lock($1, $2)",
        };
        sqlx::query(sql)
            .bind(FACET_FIELDS)
            .bind(key)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// The full-text column follows by itself. Migration 0010 does the same for every tenant.
    async fn rebuild_facets(
        tx: &mut Transaction<'_, Postgres>,
        tenant: TenantId,
        fields: &FacetFields,
        joined: &FacetFields,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE tickets t SET facets = 'zs' || encode(convert_to(t.status, 'UTF8'), 'hex') || COALESCE((\
             SELECT string_agg(' zf' || encode(convert_to(v.code, 'UTF8'), 'hex') || 'x' \
             || encode(convert_to(v.value, 'UTF8'), 'hex'), '') \
             FROM ticket_values v WHERE v.ticket_id = t.id AND v.code = ANY($2)), '') \
             WHERE t.tenant_id = $1 AND t.id IN \
             (SELECT ticket_id FROM ticket_values WHERE tenant_id = $1 AND code = ANY($3))",
        )
        .bind(tenant.0)
        .bind(fields.iter().cloned().collect::<Vec<_>>())
        .bind(joined.iter().cloned().collect::<Vec<_>>())
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}
