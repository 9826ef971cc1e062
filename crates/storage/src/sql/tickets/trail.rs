//! A ticket's trail: what happened to it, by whom, numbered per ticket. Entries are only
//! ever appended (the databases refuse to change them).

use std::collections::HashMap;

use switchboard_engine::{TenantId, TicketId, UserId};
use uuid::Uuid;

use super::{Db, Store, Tx};
use crate::backend::rows_per;
use crate::tickets::{NewTrail, TrailEntry};
use crate::Result;

pub(super) async fn ticket_trail(
    store: &Store,
    tenant: TenantId,
    id: TicketId,
) -> Result<Vec<TrailEntry>> {
    let rows: Vec<(i64, i64, Option<Uuid>, String, String)> = sqlx::query_as(
        "SELECT seq, at, actor_id, action, detail FROM ticket_trail \
         WHERE tenant_id = $1 AND ticket_id = $2 ORDER BY seq",
    )
    .bind(tenant.0)
    .bind(id.0)
    .fetch_all(&store.reader)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(seq, at, actor, action, detail)| TrailEntry {
            seq,
            at,
            actor: actor.map(UserId),
            action,
            detail,
        })
        .collect())
}

/// Appends entries after the ticket's last.
pub(super) async fn append(
    tx: &mut Tx<'_>,
    tenant: TenantId,
    id: TicketId,
    trail: &[NewTrail],
) -> Result<()> {
    if trail.is_empty() {
        return Ok(());
    }
    let last: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM ticket_trail WHERE ticket_id = $1")
            .bind(id.0)
            .fetch_one(&mut **tx)
            .await?;
    let entries: Vec<(Uuid, i64, &NewTrail)> = trail
        .iter()
        .enumerate()
        .map(|(i, e)| (id.0, last + 1 + i as i64, e))
        .collect();
    insert(tx, tenant, &entries).await
}

/// The trails of new tickets, `(ticket, entry)`, numbered from 1 per ticket.
pub(super) async fn insert_new(
    tx: &mut Tx<'_>,
    tenant: TenantId,
    trail: &[(Uuid, &NewTrail)],
) -> Result<()> {
    let mut seqs: HashMap<Uuid, i64> = HashMap::new();
    let entries: Vec<(Uuid, i64, &NewTrail)> = trail
        .iter()
        .map(|(id, e)| {
            let seq = seqs.entry(*id).or_insert(0);
            *seq += 1;
            (*id, *seq, *e)
        })
        .collect();
    insert(tx, tenant, &entries).await
}

/// Entries `(ticket, seq, entry)`, as many per statement as the parameter limits allow.
async fn insert(
    tx: &mut Tx<'_>,
    tenant: TenantId,
    entries: &[(Uuid, i64, &NewTrail)],
) -> Result<()> {
    for chunk in entries.chunks(rows_per(7)) {
        let mut b = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO ticket_trail (tenant_id, ticket_id, seq, at, actor_id, action, detail) ",
        );
        b.push_values(chunk, |mut r, (id, seq, e)| {
            r.push_bind(tenant.0)
                .push_bind(*id)
                .push_bind(*seq)
                .push_bind(e.at)
                .push_bind(e.actor.map(|a| a.0))
                .push_bind(e.action.clone())
                .push_bind(e.detail.clone());
        });
        b.build().execute(&mut **tx).await?;
    }
    Ok(())
}
