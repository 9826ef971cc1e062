//! Indexing tickets' search terms again: the tickets marked stale (by a migration, or when
//! their type's options were relabelled) and writing their new terms, version-checked.

use switchboard_engine::{TenantId, TicketId, TicketTypeId};
use uuid::Uuid;

use super::ticket::refresh_search;
use super::Store;
use crate::Result;

pub(super) async fn stale_ticket_terms(
    store: &Store,
    limit: u32,
) -> Result<Vec<(TenantId, TicketId)>> {
    let rows: Vec<(Uuid, Uuid)> = sqlx::query_as(
        "SELECT tenant_id, id FROM tickets WHERE terms_stale ORDER BY tenant_id, id LIMIT $1",
    )
    .bind(i64::from(limit))
    .fetch_all(&store.reader)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(t, id)| (TenantId(t), TicketId(id)))
        .collect())
}

pub(super) async fn set_ticket_terms(
    store: &Store,
    tenant: TenantId,
    id: TicketId,
    version: i64,
    terms: &str,
) -> Result<bool> {
    let mut tx = store.writer.begin().await?;
    let done = sqlx::query(
        "UPDATE tickets SET terms = $4, terms_stale = FALSE \
         WHERE tenant_id = $1 AND id = $2 AND version = $3",
    )
    .bind(tenant.0)
    .bind(id.0)
    .bind(version)
    .bind(terms)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    refresh_search(&mut tx, id).await?;
    tx.commit().await?;
    Ok(true)
}

pub(super) async fn mark_ticket_terms_stale(
    store: &Store,
    tenant: TenantId,
    type_id: TicketTypeId,
) -> Result<u64> {
    let done =
        sqlx::query("UPDATE tickets SET terms_stale = TRUE WHERE tenant_id = $1 AND type_id = $2")
            .bind(tenant.0)
            .bind(type_id.0)
            .execute(&store.writer)
            .await?;
    Ok(done.rows_affected())
}
