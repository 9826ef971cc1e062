//! Users' reminders on tickets and tickets' due times: set by users, polled by the server's
//! scheduler across all tenants.

use switchboard_engine::{ReminderId, TenantId, TicketId, UserId};
use uuid::Uuid;

use super::{Db, Store};
use crate::tickets::rows::{DueReminderRow, REMINDER_COLUMNS};
use crate::tickets::{DueReminder, Reminder};
use crate::{Millis, Result, StorageError};

/// Users per statement of `due_reminders`.
const BATCH: usize = 500;

pub(super) async fn add_reminder(store: &Store, tenant: TenantId, r: &Reminder) -> Result<()> {
    sqlx::query(
        "INSERT INTO ticket_reminders (tenant_id, id, ticket_id, user_id, at, note, fired_at) \
         VALUES ($1, $2, $3, $4, $5, $6, NULL)",
    )
    .bind(tenant.0)
    .bind(r.id.0)
    .bind(r.ticket.0)
    .bind(r.user.0)
    .bind(r.at)
    .bind(&r.note)
    .execute(&store.writer)
    .await?;
    Ok(())
}

pub(super) async fn delete_reminder(
    store: &Store,
    tenant: TenantId,
    user: UserId,
    id: ReminderId,
) -> Result<()> {
    let done = sqlx::query(
        "DELETE FROM ticket_reminders WHERE tenant_id = $1 AND user_id = $2 AND id = $3",
    )
    .bind(tenant.0)
    .bind(user.0)
    .bind(id.0)
    .execute(&store.writer)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

pub(super) async fn due_reminders(
    store: &Store,
    now: Millis,
    users: &[UserId],
    limit: u32,
) -> Result<Vec<DueReminder>> {
    let mut out = Vec::new();
    for chunk in users.chunks(BATCH) {
        let mut b = sqlx::QueryBuilder::<Db>::new(format!(
            "SELECT r.tenant_id, t.number, t.title, {REMINDER_COLUMNS} FROM ticket_reminders r \
             JOIN tickets t ON t.id = r.ticket_id WHERE r.fired_at IS NULL AND r.at <= "
        ));
        b.push_bind(now).push(" AND r.user_id IN (");
        let mut list = b.separated(", ");
        for u in chunk {
            list.push_bind(u.0);
        }
        b.push(") ORDER BY r.at LIMIT ").push_bind(i64::from(limit));
        let rows: Vec<DueReminderRow> = b.build_query_as().fetch_all(&store.reader).await?;
        out.extend(rows.into_iter().map(DueReminderRow::split).map(
            |(tenant, number, title, r)| DueReminder {
                tenant: TenantId(tenant),
                reminder: Reminder::from(r),
                number,
                title,
            },
        ));
    }
    Ok(out)
}

pub(super) async fn mark_reminder_fired(
    store: &Store,
    tenant: TenantId,
    id: ReminderId,
    at: Millis,
) -> Result<()> {
    sqlx::query("UPDATE ticket_reminders SET fired_at = $3 WHERE tenant_id = $1 AND id = $2")
        .bind(tenant.0)
        .bind(id.0)
        .bind(at)
        .execute(&store.writer)
        .await?;
    Ok(())
}

pub(super) async fn overdue_tickets(
    store: &Store,
    now: Millis,
    limit: u32,
) -> Result<Vec<(TenantId, TicketId)>> {
    let rows: Vec<(Uuid, Uuid)> = sqlx::query_as(
        "SELECT tenant_id, id FROM tickets \
         WHERE due_handled = FALSE AND closed_at IS NULL AND due_at <= $1 ORDER BY due_at LIMIT $2",
    )
    .bind(now)
    .bind(i64::from(limit))
    .fetch_all(&store.reader)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(t, id)| (TenantId(t), TicketId(id)))
        .collect())
}
