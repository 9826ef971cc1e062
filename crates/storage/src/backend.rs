//! What differs between SQLite and PostgreSQL, named in one place. The queries both share
//! (`sql/`) are compiled once for each store and reach their database only through the
//! store's `Backend` implementation (`sqlite.rs`, `postgres.rs`): its type, its dialect and
//! the few statements each writes its own way.

use sqlx::{QueryBuilder, Transaction};
use switchboard_engine::ticket::search::QueryTerm;
use switchboard_engine::TenantId;
use uuid::Uuid;

use crate::tickets::facets::{FacetFields, FacetLock};
use crate::Result;

/// A store's database, and the hooks the shared SQL calls where the two databases need
/// different statements.
pub(crate) trait Backend {
    /// The database its pools talk to.
    type Db: sqlx::Database;

    /// Its SQL dialect, for the few statements the shared SQL writes both ways inline (full
    /// text, SQLite's hand-kept search rows, PostgreSQL's index-only list reads).
    const DIALECT: Dialect;

    /// `AND` the ticket is one of a search's candidates.
    fn push_candidates(b: &mut QueryBuilder<'_, Self::Db>, ids: &[Uuid]);

    /// Inserts tickets' field-value rows, `(ticket, code, value)`, the database's fastest way.
    async fn insert_value_rows(
        tx: &mut Transaction<'_, Self::Db>,
        tenant: TenantId,
        rows: &[(Uuid, String, String)],
    ) -> Result<()>;

    /// Holds the tenant's facet fields (`tickets::facets`) as `lock` until the transaction
    /// ends.
    async fn lock_facet_fields(
        tx: &mut Transaction<'_, Self::Db>,
        tenant: TenantId,
        lock: FacetLock,
    ) -> Result<()>;

    /// Rebuilds, in SQL, the facets (and full-text rows) of the tenant's tickets holding a
    /// value of a `joined` code, from their status and their values of `fields`.
    async fn rebuild_facets(
        tx: &mut Transaction<'_, Self::Db>,
        tenant: TenantId,
        fields: &FacetFields,
        joined: &FacetFields,
    ) -> Result<()>;
}

/// Which database a shared query runs on, for the few statements that differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// The full-text match of all `terms`, as a query string for this database.
    pub(crate) fn match_query(self, terms: &[QueryTerm]) -> String {
        let parts: Vec<String> = terms
            .iter()
            .map(|t| match (self, t.prefix) {
                (Dialect::Sqlite, false) => format!("\"{}\"", t.text),
                (Dialect::Sqlite, true) => format!("\"{}\"*", t.text),
                (Dialect::Postgres, false) => format!("'{}'", t.text),
                (Dialect::Postgres, true) => format!("'{}':*", t.text),
            })
            .collect();
        parts.join(if self == Dialect::Sqlite { " " } else { " & " })
    }
}

/// Rows per multi-row statement: as many as fit in 30,000 parameters (SQLite allows 32,766,
/// PostgreSQL 65,535), for a row of `columns`.
pub(crate) const fn rows_per(columns: usize) -> usize {
    30_000 / columns
}
