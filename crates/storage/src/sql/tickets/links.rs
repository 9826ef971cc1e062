//! What ties a ticket to others: its contacts, cc'd users, transfers, each user's flag, and
//! the round-robin rotation of groups that hand tickets out.

use switchboard_engine::ticket::FlagColor;
use switchboard_engine::{ContactId, SkillQueueId, TenantId, TicketId, UserId};
use uuid::Uuid;

use super::{Store, Tx};
use crate::rows::corrupt;
use crate::tickets::rows::{ReminderRow, REMINDER_COLUMNS};
use crate::tickets::{Reminder, Ticket, TicketChanges, TicketLinks};
use crate::{Millis, Result};

pub(super) async fn ticket_links(
    store: &Store,
    tenant: TenantId,
    id: TicketId,
    user: UserId,
) -> Result<TicketLinks> {
    let ids = |sql: &'static str| {
        sqlx::query_scalar::<_, Uuid>(sql)
            .bind(tenant.0)
            .bind(id.0)
            .fetch_all(&store.reader)
    };
    let contacts = ids("SELECT contact_id FROM ticket_contacts WHERE tenant_id = $1 AND ticket_id = $2 ORDER BY contact_id").await?;
    let cc = ids(
        "SELECT user_id FROM ticket_cc WHERE tenant_id = $1 AND ticket_id = $2 ORDER BY user_id",
    )
    .await?;
    let flag: Option<String> = sqlx::query_scalar(
        "SELECT color FROM ticket_flags WHERE tenant_id = $1 AND ticket_id = $2 AND user_id = $3",
    )
    .bind(tenant.0)
    .bind(id.0)
    .bind(user.0)
    .fetch_optional(&store.reader)
    .await?;
    let reminders: Vec<ReminderRow> = sqlx::query_as(&format!(
        "SELECT {REMINDER_COLUMNS} FROM ticket_reminders r \
         WHERE r.tenant_id = $1 AND r.ticket_id = $2 AND r.user_id = $3 ORDER BY r.at"
    ))
    .bind(tenant.0)
    .bind(id.0)
    .bind(user.0)
    .fetch_all(&store.reader)
    .await?;
    Ok(TicketLinks {
        contacts: contacts.into_iter().map(ContactId).collect(),
        cc: cc.into_iter().map(UserId).collect(),
        flag: flag
            .as_deref()
            .map(FlagColor::parse)
            .transpose()
            .map_err(corrupt)?,
        reminders: reminders.into_iter().map(Reminder::from).collect(),
    })
}

pub(super) async fn ticket_involves(
    store: &Store,
    tenant: TenantId,
    id: TicketId,
    user: UserId,
) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM ticket_cc WHERE tenant_id = $1 AND ticket_id = $2 AND user_id = $3) \
              + (SELECT COUNT(*) FROM ticket_transfers WHERE tenant_id = $1 AND ticket_id = $2 AND user_id = $3)",
    )
    .bind(tenant.0)
    .bind(id.0)
    .bind(user.0)
    .fetch_one(&store.reader)
    .await?;
    Ok(n > 0)
}

pub(super) async fn set_ticket_flag(
    store: &Store,
    tenant: TenantId,
    id: TicketId,
    user: UserId,
    color: Option<FlagColor>,
) -> Result<()> {
    match color {
        Some(c) => sqlx::query(
            "INSERT INTO ticket_flags (tenant_id, ticket_id, user_id, color) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (ticket_id, user_id) DO UPDATE SET color = $4",
        )
        .bind(tenant.0)
        .bind(id.0)
        .bind(user.0)
        .bind(c.code()),
        None => sqlx::query(
            "DELETE FROM ticket_flags WHERE tenant_id = $1 AND ticket_id = $2 AND user_id = $3",
        )
        .bind(tenant.0)
        .bind(id.0)
        .bind(user.0),
    }
    .execute(&store.writer)
    .await?;
    Ok(())
}

pub(super) async fn record_rotation(
    store: &Store,
    tenant: TenantId,
    group: SkillQueueId,
    user: UserId,
    at: Millis,
) -> Result<()> {
    let mut tx = store.writer.begin().await?;
    rotate(&mut tx, tenant, group, user, at).await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn next_in_rotation(
    store: &Store,
    tenant: TenantId,
    group: SkillQueueId,
    members: &[UserId],
) -> Result<Option<UserId>> {
    let last: Vec<(Uuid, i64)> = sqlx::query_as(
        "SELECT user_id, last_at FROM ticket_rotation WHERE tenant_id = $1 AND group_id = $2",
    )
    .bind(tenant.0)
    .bind(group.0)
    .fetch_all(&store.reader)
    .await?;
    let when = |u: &UserId| {
        last.iter()
            .find(|(id, _)| *id == u.0)
            .map_or(0, |(_, at)| *at)
    };
    Ok(members.iter().min_by_key(|u| when(u)).copied())
}

/// What else changes with a ticket's save, in its transaction.
pub(super) async fn apply_changes(
    tx: &mut Tx<'_>,
    tenant: TenantId,
    t: &Ticket,
    c: &TicketChanges,
) -> Result<()> {
    for u in &c.add_cc {
        let sql = "INSERT INTO ticket_cc (tenant_id, ticket_id, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
        tie(tx, sql, tenant, t.id, u.0).await?;
    }
    for u in &c.remove_cc {
        let sql = "DELETE FROM ticket_cc WHERE tenant_id = $1 AND ticket_id = $2 AND user_id = $3";
        tie(tx, sql, tenant, t.id, u.0).await?;
    }
    for contact in &c.link_contacts {
        let sql = "INSERT INTO ticket_contacts (tenant_id, ticket_id, contact_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
        tie(tx, sql, tenant, t.id, contact.0).await?;
    }
    if let Some(u) = c.transferred_by {
        let sql = "INSERT INTO ticket_transfers (tenant_id, ticket_id, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
        tie(tx, sql, tenant, t.id, u.0).await?;
    }
    if let Some((group, user)) = c.rotation {
        rotate(tx, tenant, group, user, t.updated_at).await?;
    }
    Ok(())
}

/// Runs `sql` on the row tying the ticket to another record (`$3`): a user or a contact.
async fn tie(
    tx: &mut Tx<'_>,
    sql: &'static str,
    tenant: TenantId,
    ticket: TicketId,
    other: Uuid,
) -> Result<()> {
    sqlx::query(sql)
        .bind(tenant.0)
        .bind(ticket.0)
        .bind(other)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Remembers when the group's rotation last gave `user` a ticket.
async fn rotate(
    tx: &mut Tx<'_>,
    tenant: TenantId,
    group: SkillQueueId,
    user: UserId,
    at: Millis,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO ticket_rotation (tenant_id, group_id, user_id, last_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (group_id, user_id) DO UPDATE SET last_at = $4",
    )
    .bind(tenant.0)
    .bind(group.0)
    .bind(user.0)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
