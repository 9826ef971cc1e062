//! The tenant's facet fields (`tickets::facets`): read by every ticket write under a shared
//! lock, and by a type's save under an exclusive one, after which the tickets holding a value
//! of a code that joined them get their facets rebuilt.

use switchboard_engine::TenantId;

use super::{Db, Store, Tx};
use crate::backend::Backend;
use crate::tickets::facets::{facet_fields_union, FacetFields, FacetLock};
use crate::Result;

/// The tenant's facet fields: the union of its types'.
pub(super) async fn read(
    conn: &mut <Db as sqlx::Database>::Connection,
    tenant: TenantId,
) -> Result<FacetFields> {
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT facet_fields FROM ticket_types WHERE tenant_id = $1")
            .bind(tenant.0)
            .fetch_all(&mut *conn)
            .await?;
    Ok(facet_fields_union(stored.iter().map(String::as_str)))
}

/// The tenant's facet fields, held as `lock` until the transaction ends. Taken first,
/// before any ticket row.
pub(super) async fn hold(
    tx: &mut Tx<'_>,
    tenant: TenantId,
    lock: FacetLock,
) -> Result<FacetFields> {
    Store::lock_facet_fields(tx, tenant, lock).await?;
    read(tx, tenant).await
}

/// After a type's save (holding the exclusive lock): the tickets holding a value of a
/// code that joined the tenant's facet fields get their facets rebuilt.
pub(super) async fn follow(tx: &mut Tx<'_>, tenant: TenantId, before: &FacetFields) -> Result<()> {
    let after = read(tx, tenant).await?;
    let joined: FacetFields = after.difference(before).cloned().collect();
    if joined.is_empty() {
        return Ok(());
    }
    Store::rebuild_facets(tx, tenant, &after, &joined).await
}
