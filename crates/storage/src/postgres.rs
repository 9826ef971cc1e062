//! The PostgreSQL backend, for tenants that outgrow one machine's embedded database.

use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Pool, Postgres};

use crate::Result;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// PostgreSQL storage. PostgreSQL handles concurrent writers itself, so one pool serves both.
pub struct PgStore {
    pub(crate) writer: Pool<Postgres>,
    pub(crate) reader: Pool<Postgres>,
}

impl PgStore {
    /// Connects to `url` and migrates the database. Sessions run without JIT: our statements
    /// are short, and whenever the planner's estimate crossed the JIT threshold (a full-text
    /// probe on a million tickets does) compiling cost 5-30 ms, more than the query.
    pub async fn connect(url: &str) -> Result<Self> {
        let options = PgConnectOptions::from_str(url)?.options([("jit", "off")]);
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .connect_with(options)
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
        })
    }
}

crate::common::impl_storage!(PgStore, sqlx::Postgres);
crate::tickets::impl_ticket_config!(PgStore);
crate::tickets::impl_ticket_store!(PgStore, sqlx::Postgres, Dialect::Postgres);

/// `AND` the ticket is one of the search's candidates: one array, looked up id by id (a list
/// of parameters is checked against every row of a walk).
fn ticket_push_candidates(b: &mut sqlx::QueryBuilder<'_, Postgres>, ids: &[Uuid]) {
    b.push(" AND t.id IN (SELECT UNNEST(")
        .push_bind(ids.to_vec())
        .push("::uuid[]))");
}

/// Tickets' field-value rows as three arrays: one statement however many there are, where
/// multi-row VALUES would bind every value on its own (an import writes ~600,000).
async fn insert_value_rows(
    tx: &mut Tx<'_>,
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

/// An advisory lock per tenant (`tickets::facets`): the first key says "facet fields", the
/// second is folded from the tenant id (a collision only makes two tenants wait on each other).
async fn lock_facet_fields(
    tx: &mut Tx<'_>,
    tenant: TenantId,
    lock: crate::tickets::facets::FacetLock,
) -> Result<()> {
    const FACET_FIELDS: i32 = 0x7466; // "tf"
    let bytes = tenant.0.as_bytes();
    let key = bytes.chunks(4).fold(0i32, |k, c| {
        k ^ i32::from_be_bytes([c[0], c[1], c[2], c[3]])
    });
    let sql = match lock {
        crate::tickets::facets::FacetLock::Shared => "SELECT pg_advisory_xact_lock_shared($1, $2)",
        crate::tickets::facets::FacetLock::Exclusive => "SELECT pg_advisory_xact_lock($1, $2)",
    };
    sqlx::query(sql)
        .bind(FACET_FIELDS)
        .bind(key)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Rebuilds, in SQL, the facets (`tickets::facets`) of the tenant's tickets holding a value
/// of a `joined` code, from their status and their values of `fields` (the full-text column
/// follows by itself). Migration 0010 does the same for every tenant.
async fn rebuild_facets(
    tx: &mut Tx<'_>,
    tenant: TenantId,
    fields: &crate::tickets::facets::FacetFields,
    joined: &crate::tickets::facets::FacetFields,
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
