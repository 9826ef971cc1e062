//! Ticket lists and counts: which plan reads a page (a short walk, the search's candidates
//! newest first, or the query as it is), and the read itself.

use switchboard_engine::TenantId;
use uuid::Uuid;

use super::{query, search, walk, Db, Store, Tx};
use crate::backend::{Backend, Dialect};
use crate::tickets::rows::{TicketListRow, ROW_COLUMNS};
use crate::tickets::{Scope, SortKey, TicketFilter, TicketQuery, TicketRow};
use crate::Result;

pub(super) async fn list_tickets(
    store: &Store,
    tenant: TenantId,
    q: &TicketQuery,
) -> Result<Vec<TicketRow>> {
    let q = &search::with_facets(&store.reader, tenant, q).await?;
    if let Some(rows) = walk::page_by_short_walk(&store.reader, tenant, q).await? {
        return Ok(rows);
    }
    match search::candidates(&store.reader, tenant, &q.filter).await? {
        Some(ids) if q.sort == SortKey::Created => {
            page_of_newest(&store.reader, tenant, q, ids).await
        }
        candidates => page(&store.reader, tenant, q, candidates.as_deref(), None).await,
    }
}

pub(super) async fn count_tickets(store: &Store, tenant: TenantId, q: &TicketQuery) -> Result<i64> {
    if q.scope == Scope::All && q.filter == TicketFilter::default() {
        // Tickets are never deleted, and each takes the next number in the
        // transaction that creates it: the last number is the count.
        let last: Option<i64> =
            sqlx::query_scalar("SELECT last_number FROM ticket_numbers WHERE tenant_id = $1")
                .bind(tenant.0)
                .fetch_optional(&store.reader)
                .await?;
        return Ok(last.unwrap_or(0));
    }
    let q = &search::with_facets(&store.reader, tenant, q).await?;
    let candidates = search::candidates(&store.reader, tenant, &q.filter).await?;
    if candidates.as_ref().is_some_and(Vec::is_empty) {
        return Ok(0);
    }
    let mut b = sqlx::QueryBuilder::<Db>::new("SELECT COUNT(*)");
    query::push_from(&mut b, q, false, None);
    query::push_where(&mut b, tenant, &q.scope, q, candidates.as_deref());
    // A count reads every match, so the planner's bitmap scans are right here.
    Ok(b.build_query_scalar().fetch_one(&store.reader).await?)
}

/// One page of a list: the tickets of the query (among `candidates` if given).
pub(super) async fn page(
    db: &sqlx::Pool<Db>,
    tenant: TenantId,
    q: &TicketQuery,
    candidates: Option<&[Uuid]>,
    newest: Option<i64>,
) -> Result<Vec<TicketRow>> {
    if candidates.is_some_and(<[Uuid]>::is_empty) {
        return Ok(vec![]);
    }
    let parts = q.scope.parts();
    let mut b = sqlx::QueryBuilder::<Db>::new(format!("SELECT {ROW_COLUMNS}"));
    let newest = newest.filter(|_| parts.len() == 1).map(|n| (tenant, n));
    query::push_from(&mut b, q, true, newest);
    if parts.len() == 1 {
        query::push_where(&mut b, tenant, &q.scope, q, candidates);
    } else {
        // One OR over the parts would walk every ticket; each part's own first page,
        // read on its own index, and the first page of their union is the same page.
        b.push(" WHERE t.tenant_id = ")
            .push_bind(tenant.0)
            .push(" AND t.id IN (");
        for (n, part) in parts.iter().enumerate() {
            b.push(if n == 0 { "" } else { " UNION " });
            b.push("SELECT id FROM (SELECT t.id");
            query::push_from(&mut b, q, false, None);
            query::push_where(&mut b, tenant, part, q, candidates);
            query::push_order(&mut b, q, i64::from(q.limit));
            b.push(format!(") part{n}"));
        }
        b.push(")");
    }
    query::push_order(&mut b, q, i64::from(q.limit));
    let mut tx = read_by_index(db).await?;
    let rows: Vec<TicketListRow> = b.build_query_as().fetch_all(&mut *tx).await?;
    tx.commit().await?;
    rows.into_iter().map(TicketRow::try_from).collect()
}

/// A read transaction for a list. On PostgreSQL it reads by index only: the
/// plan (walk or candidates, `search`) is chosen here, and the planner, without
/// fresh statistics, would otherwise scan all of a tenant's tickets and sort them.
/// (Sessions run without JIT, `PgStore::connect`: the cost of the scans turned off
/// crosses its threshold, and compiling took 100-170 ms of every list.)
pub(super) async fn read_by_index(db: &sqlx::Pool<Db>) -> Result<Tx<'static>> {
    let mut tx = db.begin().await?;
    if Store::DIALECT == Dialect::Postgres {
        sqlx::query(
            "SELECT set_config('enable_seqscan', 'off', true), \
             set_config('enable_bitmapscan', 'off', true)",
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(tx)
}

/// A page in creation order (by id) among known candidates: the newest are checked
/// first, in growing batches, and most of them match (the index named them), so the
/// first batch usually fills the page instead of every candidate being read and sorted.
async fn page_of_newest(
    db: &sqlx::Pool<Db>,
    tenant: TenantId,
    q: &TicketQuery,
    mut ids: Vec<Uuid>,
) -> Result<Vec<TicketRow>> {
    if let Some((_, after)) = q.after {
        ids.retain(|id| if q.desc { *id < after.0 } else { *id > after.0 });
    }
    ids.sort_unstable();
    if q.desc {
        ids.reverse();
    }
    let limit = q.limit as usize;
    let mut rows = Vec::with_capacity(limit);
    let (mut start, mut batch) = (0, (4 * limit).max(100));
    while start < ids.len() && rows.len() < limit {
        let end = (start + batch).min(ids.len());
        // Each batch's ids all come after the previous batch's, so pages append in order.
        rows.extend(page(db, tenant, q, Some(&ids[start..end]), None).await?);
        (start, batch) = (end, batch * 2);
    }
    rows.truncate(limit);
    Ok(rows)
}
