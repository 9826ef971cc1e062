//! One ticket: reading it, saving it (version-checked, with what changes along with it) and
//! adding a note.

use switchboard_engine::ticket::FieldValues;
use switchboard_engine::{TenantId, TicketId};
use uuid::Uuid;

use super::{create, facet_fields, links, trail, Db, Store, Tx};
use crate::backend::{rows_per, Backend, Dialect};
use crate::tickets::facets::{ticket_facets, FacetLock};
use crate::tickets::rows::{TicketDbRow, TICKET_COLUMNS};
use crate::tickets::values::{decode_values, encode_values, text_of, time_of};
use crate::tickets::{NewTrail, Ticket, TicketChanges};
use crate::{Result, StorageError};

pub(super) async fn ticket(
    store: &Store,
    tenant: TenantId,
    id: TicketId,
) -> Result<Option<Ticket>> {
    let row: Option<TicketDbRow> = sqlx::query_as(&format!(
        "{TICKET_COLUMNS} WHERE t.tenant_id = $1 AND t.id = $2"
    ))
    .bind(tenant.0)
    .bind(id.0)
    .fetch_optional(&store.reader)
    .await?;
    row.map(Ticket::try_from).transpose()
}

pub(super) async fn ticket_by_number(
    store: &Store,
    tenant: TenantId,
    number: i64,
) -> Result<Option<Ticket>> {
    let row: Option<TicketDbRow> = sqlx::query_as(&format!(
        "{TICKET_COLUMNS} WHERE t.tenant_id = $1 AND t.number = $2"
    ))
    .bind(tenant.0)
    .bind(number)
    .fetch_optional(&store.reader)
    .await?;
    row.map(Ticket::try_from).transpose()
}

pub(super) async fn ticket_values(
    store: &Store,
    tenant: TenantId,
    ids: &[TicketId],
) -> Result<Vec<(TicketId, FieldValues)>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(rows_per(1)) {
        let mut b =
            sqlx::QueryBuilder::<Db>::new("SELECT id, fields FROM tickets WHERE tenant_id = ");
        b.push_bind(tenant.0).push(" AND id IN (");
        let mut list = b.separated(", ");
        for id in chunk {
            list.push_bind(id.0);
        }
        b.push(")");
        let rows: Vec<(Uuid, String)> = b.build_query_as().fetch_all(&store.reader).await?;
        for (id, fields) in rows {
            out.push((TicketId(id), decode_values(&fields)?));
        }
    }
    Ok(out)
}

pub(super) async fn save_ticket(
    store: &Store,
    tenant: TenantId,
    t: &Ticket,
    changes: &TicketChanges,
    trail: &[NewTrail],
) -> Result<Ticket> {
    let mut tx = store.writer.begin().await?;
    let fields = facet_fields::hold(&mut tx, tenant, FacetLock::Shared).await?;
    let done = sqlx::query(
        "UPDATE tickets SET template_id = $4, category_id = $5, title = $6, status = $7, \
         status_category = $8, priority = $9, customer = $10, phone = $11, group_id = $12, \
         assignee_id = $13, completed_by = $14, updated_at = $15, due_at = $16, closed_at = $17, \
         due_handled = $18, fields = $19, terms = $20, facets = $21, version = version + 1 \
         WHERE tenant_id = $1 AND id = $2 AND version = $3",
    )
    .bind(tenant.0)
    .bind(t.id.0)
    .bind(t.version)
    .bind(t.template_id.map(|x| x.0))
    .bind(t.category_id.map(|x| x.0))
    .bind(text_of(&t.values, "title").unwrap_or_default())
    .bind(&t.status)
    .bind(t.status_category.code())
    .bind(text_of(&t.values, "priority").unwrap_or_else(|| "normal".into()))
    .bind(text_of(&t.values, "customer"))
    .bind(text_of(&t.values, "phone"))
    .bind(t.group.map(|x| x.0))
    .bind(t.assignee.map(|x| x.0))
    .bind(t.completed_by.map(|x| x.0))
    .bind(t.updated_at)
    .bind(time_of(&t.values, "due_at"))
    .bind(t.closed_at)
    .bind(t.due_handled)
    .bind(encode_values(&t.values))
    .bind(&t.terms)
    .bind(ticket_facets(&t.status, &t.values, &fields))
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        drop(tx);
        return match ticket(store, tenant, t.id).await? {
            Some(_) => Err(StorageError::Stale),
            None => Err(StorageError::NotFound),
        };
    }
    sqlx::query("DELETE FROM ticket_values WHERE ticket_id = $1")
        .bind(t.id.0)
        .execute(&mut *tx)
        .await?;
    create::insert_values(&mut tx, tenant, &[t]).await?;
    refresh_search(&mut tx, t.id).await?;
    links::apply_changes(&mut tx, tenant, t, changes).await?;
    trail::append(&mut tx, tenant, t.id, trail).await?;
    tx.commit().await?;
    Ok(Ticket {
        version: t.version + 1,
        ..t.clone()
    })
}

pub(super) async fn add_ticket_note(
    store: &Store,
    tenant: TenantId,
    id: TicketId,
    terms: &str,
    trail: &NewTrail,
) -> Result<()> {
    let mut tx = store.writer.begin().await?;
    let done = sqlx::query(
        "UPDATE tickets SET terms = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2",
    )
    .bind(tenant.0)
    .bind(id.0)
    .bind(terms)
    .bind(trail.at)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StorageError::NotFound);
    }
    refresh_search(&mut tx, id).await?;
    trail::append(&mut tx, tenant, id, std::slice::from_ref(trail)).await?;
    tx.commit().await?;
    Ok(())
}

/// Brings the ticket's full-text row up to its terms and facets (PostgreSQL's
/// generated column needs nothing).
pub(super) async fn refresh_search(tx: &mut Tx<'_>, id: TicketId) -> Result<()> {
    if Store::DIALECT == Dialect::Sqlite {
        sqlx::query(
            "UPDATE ticket_search SET terms = \
             (SELECT terms || ' ' || facets FROM tickets WHERE id = $1) \
             WHERE rowid = (SELECT search_rowid FROM tickets WHERE id = $1)",
        )
        .bind(id.0)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
