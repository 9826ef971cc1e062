//! Contacts and the rest of what the routing engine keeps: its events and its signed-in
//! agents, written a turn at a time and read back to restore it after a restart.

use switchboard_engine::{ContactId, CustomerId, SkillQueueId, TenantId, UserId};
use uuid::Uuid;

use super::{found, Db, Store, Tx};
use crate::rows::{event_kind, ContactRow, EventRow, SessionRow};
use crate::{
    AgentSession, CallerRecords, ContactSummary, ContactUpdate, EngineBatch, EventRecord,
    NameSource, Result, StoredContact,
};

pub(super) const CONTACT_COLUMNS: &str =
    "SELECT id, channel, direction, queue_id, priority, customer, title, link, \
    data, state, agent_id, offer_expires_at, created_at, enqueued_at, closed_at, outcome, summary, \
    summary_solution, disposition, summary_saved, rating, rating_comment FROM contacts";

pub(super) async fn apply_engine_batch(
    store: &Store,
    tenant: TenantId,
    batch: &EngineBatch,
) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let mut tx = store.writer.begin().await?;
    for c in &batch.new_contacts {
        insert_contact(&mut tx, tenant, c).await?;
    }
    for u in &batch.contact_updates {
        update_contact(&mut tx, tenant, u).await?;
    }
    for (id, s) in &batch.summaries {
        sqlx::query(
            "UPDATE contacts SET summary = $3, summary_solution = $4, disposition = $5 \
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant.0)
        .bind(id.0)
        .bind(&s.problem)
        .bind(&s.solution)
        .bind(&s.disposition)
        .execute(&mut *tx)
        .await?;
    }
    for e in &batch.events {
        insert_event(&mut tx, tenant, e).await?;
    }
    for s in &batch.sessions {
        upsert_agent_session(&mut tx, tenant, s).await?;
    }
    super::stats::write_tallies(&mut tx, tenant, &batch.tallies, batch.stat_flushed_to).await?;
    for agent in &batch.ended_sessions {
        sqlx::query("DELETE FROM agent_sessions WHERE tenant_id = $1 AND user_id = $2")
            .bind(tenant.0)
            .bind(agent.0)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub(super) async fn open_contacts(store: &Store, tenant: TenantId) -> Result<Vec<StoredContact>> {
    let rows: Vec<ContactRow> = sqlx::query_as(&format!(
        "{CONTACT_COLUMNS} WHERE tenant_id = $1 AND state <> 'closed' ORDER BY enqueued_at, created_at"
    ))
    .bind(tenant.0)
    .fetch_all(&store.reader)
    .await?;
    rows.into_iter().map(StoredContact::try_from).collect()
}

pub(super) async fn stored_contact(
    store: &Store,
    tenant: TenantId,
    id: ContactId,
) -> Result<Option<StoredContact>> {
    let row: Option<ContactRow> = sqlx::query_as(&format!(
        "{CONTACT_COLUMNS} WHERE tenant_id = $1 AND id = $2"
    ))
    .bind(tenant.0)
    .bind(id.0)
    .fetch_optional(&store.reader)
    .await?;
    row.map(StoredContact::try_from).transpose()
}

pub(super) async fn customer_contacts(
    store: &Store,
    tenant: TenantId,
    customer: &str,
    limit: u32,
) -> Result<Vec<StoredContact>> {
    let rows: Vec<ContactRow> = sqlx::query_as(&format!(
        "{CONTACT_COLUMNS} WHERE tenant_id = $1 AND customer = $2 ORDER BY created_at DESC LIMIT $3"
    ))
    .bind(tenant.0)
    .bind(customer)
    .bind(i64::from(limit))
    .fetch_all(&store.reader)
    .await?;
    rows.into_iter().map(StoredContact::try_from).collect()
}

/// The chat customers and tickets that name one of a caller's number forms (typed as the
/// customer typed them), and the caller's latest contacts but `except`: as the number itself
/// (calls) or as one of those chat customers (chats). Exact matches, so the phone indexes serve.
pub(super) async fn caller_records(
    store: &Store,
    tenant: TenantId,
    numbers: &[String],
    except: ContactId,
    limit: u32,
) -> Result<CallerRecords> {
    if numbers.is_empty() {
        return Ok(CallerRecords {
            name: None,
            recent: Vec::new(),
        });
    }
    let mut b = sqlx::QueryBuilder::<Db>::new("SELECT id, name FROM customers WHERE tenant_id = ");
    b.push_bind(tenant.0);
    push_in(&mut b, " AND phone IN (", numbers);
    b.push(" ORDER BY updated_at DESC LIMIT 100");
    let customers: Vec<(Uuid, Option<String>)> =
        b.build_query_as().fetch_all(&store.reader).await?;
    let mut name = customers
        .iter()
        .find_map(|(_, n)| n.clone().filter(|n| !n.trim().is_empty()))
        .map(|n| (n, NameSource::ChatCustomer));
    if name.is_none() {
        let mut b =
            sqlx::QueryBuilder::<Db>::new("SELECT customer FROM tickets WHERE tenant_id = ");
        b.push_bind(tenant.0);
        push_in(&mut b, " AND phone IN (", numbers);
        b.push(" AND customer IS NOT NULL AND customer <> '' ORDER BY updated_at DESC LIMIT 1");
        let ticket: Option<(String,)> = b.build_query_as().fetch_optional(&store.reader).await?;
        name = ticket.map(|(n,)| (n, NameSource::Ticket));
    }
    let mut keys: Vec<String> = numbers.to_vec();
    keys.extend(customers.iter().map(|(id, _)| CustomerId(*id).to_string()));
    let mut b = sqlx::QueryBuilder::<Db>::new(format!("{CONTACT_COLUMNS} WHERE tenant_id = "));
    b.push_bind(tenant.0);
    b.push(" AND id <> ");
    b.push_bind(except.0);
    push_in(&mut b, " AND customer IN (", &keys);
    b.push(" ORDER BY created_at DESC LIMIT ");
    b.push_bind(i64::from(limit));
    let rows: Vec<ContactRow> = b.build_query_as().fetch_all(&store.reader).await?;
    let recent = rows
        .into_iter()
        .map(StoredContact::try_from)
        .collect::<Result<_>>()?;
    Ok(CallerRecords { name, recent })
}

/// The saved summaries of these contacts (those without one are left out).
pub(super) async fn contact_summaries(
    store: &Store,
    tenant: TenantId,
    ids: &[ContactId],
) -> Result<Vec<(ContactId, ContactSummary)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut b = sqlx::QueryBuilder::<Db>::new(
        "SELECT id, summary, summary_solution, disposition FROM contacts WHERE tenant_id = ",
    );
    b.push_bind(tenant.0);
    b.push(" AND summary IS NOT NULL AND id IN (");
    let mut list = b.separated(", ");
    for id in ids {
        list.push_bind(id.0);
    }
    b.push(")");
    let rows: Vec<(Uuid, String, Option<String>, Option<String>)> =
        b.build_query_as().fetch_all(&store.reader).await?;
    Ok(rows
        .into_iter()
        .map(|(id, problem, solution, disposition)| {
            let summary = ContactSummary {
                problem,
                solution,
                disposition,
            };
            (ContactId(id), summary)
        })
        .collect())
}

/// Appends `head`, the values as bound parameters, and the closing parenthesis.
pub(super) fn push_in(b: &mut sqlx::QueryBuilder<'_, Db>, head: &str, values: &[String]) {
    b.push(head);
    let mut list = b.separated(", ");
    for v in values {
        list.push_bind(v.clone());
    }
    b.push(")");
}

pub(super) async fn last_agent_of_customer(
    store: &Store,
    tenant: TenantId,
    customer: &str,
) -> Result<Option<UserId>> {
    let row: Option<(Option<Uuid>,)> = sqlx::query_as(
        "SELECT agent_id FROM contacts WHERE tenant_id = $1 AND customer = $2 \
         AND agent_id IS NOT NULL ORDER BY updated_at DESC LIMIT 1",
    )
    .bind(tenant.0)
    .bind(customer)
    .fetch_optional(&store.reader)
    .await?;
    Ok(row.and_then(|(a,)| a).map(UserId))
}

pub(super) async fn rate_contact(
    store: &Store,
    tenant: TenantId,
    id: ContactId,
    score: u8,
    comment: Option<&str>,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE contacts SET rating = $3, rating_comment = $4 WHERE tenant_id = $1 AND id = $2",
    )
    .bind(tenant.0)
    .bind(id.0)
    .bind(i64::from(score))
    .bind(comment)
    .execute(&store.writer)
    .await?;
    found(done.rows_affected())
}

pub(super) async fn has_engine_events(store: &Store, tenant: TenantId) -> Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM engine_events WHERE tenant_id = $1 LIMIT 1")
            .bind(tenant.0)
            .fetch_optional(&store.reader)
            .await?;
    Ok(found.is_some())
}

pub(super) async fn contact_events(
    store: &Store,
    tenant: TenantId,
    contact: ContactId,
) -> Result<Vec<EventRecord>> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT at, kind, agent_id, contact_id, queue_id, detail FROM engine_events \
         WHERE tenant_id = $1 AND contact_id = $2 ORDER BY id",
    )
    .bind(tenant.0)
    .bind(contact.0)
    .fetch_all(&store.reader)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| EventRecord {
            at: r.at,
            kind: event_kind(&r.kind),
            agent: r.agent_id.map(UserId),
            contact: r.contact_id.map(ContactId),
            queue: r.queue_id.map(SkillQueueId),
            detail: r.detail,
        })
        .collect())
}

pub(super) async fn agent_sessions(store: &Store, tenant: TenantId) -> Result<Vec<AgentSession>> {
    let rows: Vec<SessionRow> = sqlx::query_as(
        "SELECT user_id, queues, presence, reason, since FROM agent_sessions WHERE tenant_id = $1",
    )
    .bind(tenant.0)
    .fetch_all(&store.reader)
    .await?;
    rows.into_iter().map(AgentSession::try_from).collect()
}

async fn insert_contact(tx: &mut Tx<'_>, tenant: TenantId, c: &StoredContact) -> Result<()> {
    sqlx::query(
        "INSERT INTO contacts (tenant_id, id, channel, direction, queue_id, priority, customer, title, \
         link, data, state, agent_id, offer_expires_at, created_at, enqueued_at, updated_at, closed_at, \
         outcome, summary, summary_saved) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $14, $16, $17, $18, $19)",
    )
    .bind(tenant.0)
    .bind(c.id.0)
    .bind(c.channel.code())
    .bind(c.direction.code())
    .bind(c.queue.0)
    .bind(i64::from(c.priority.get()))
    .bind(&c.customer)
    .bind(&c.title)
    .bind(&c.link)
    .bind(&c.data)
    .bind(c.state.code())
    .bind(c.agent.map(|a| a.0))
    .bind(c.offer_expires_at)
    .bind(c.created_at)
    .bind(c.enqueued_at)
    .bind(c.closed_at)
    .bind(c.outcome.map(|o| o.code()))
    .bind(&c.summary)
    .bind(c.summary_saved)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn update_contact(tx: &mut Tx<'_>, tenant: TenantId, u: &ContactUpdate) -> Result<()> {
    sqlx::query(
        "UPDATE contacts SET state = $3, queue_id = COALESCE($4, queue_id), agent_id = COALESCE($5, agent_id), \
         offer_expires_at = $6, closed_at = $7, outcome = $8, summary_saved = COALESCE($9, summary_saved), \
         updated_at = $10 \
         WHERE tenant_id = $1 AND id = $2",
    )
    .bind(tenant.0)
    .bind(u.id.0)
    .bind(u.state.code())
    .bind(u.queue.map(|q| q.0))
    .bind(u.agent.map(|a| a.0))
    .bind(u.offer_expires_at)
    .bind(u.closed_at)
    .bind(u.outcome.map(|o| o.code()))
    .bind(u.summary_saved)
    .bind(u.updated_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn insert_event(tx: &mut Tx<'_>, tenant: TenantId, e: &EventRecord) -> Result<()> {
    sqlx::query(
        "INSERT INTO engine_events (tenant_id, at, kind, agent_id, contact_id, queue_id, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(tenant.0)
    .bind(e.at)
    .bind(e.kind)
    .bind(e.agent.map(|a| a.0))
    .bind(e.contact.map(|c| c.0))
    .bind(e.queue.map(|q| q.0))
    .bind(&e.detail)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn upsert_agent_session(tx: &mut Tx<'_>, tenant: TenantId, s: &AgentSession) -> Result<()> {
    let queues: Vec<String> = s.queues.iter().map(|q| q.to_string()).collect();
    sqlx::query(
        "INSERT INTO agent_sessions (tenant_id, user_id, queues, presence, reason, since) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, user_id) DO UPDATE SET \
         queues = excluded.queues, presence = excluded.presence, reason = excluded.reason, \
         since = excluded.since",
    )
    .bind(tenant.0)
    .bind(s.agent.0)
    .bind(queues.join(","))
    .bind(s.presence.code())
    .bind(s.reason.as_ref().map(|r| r.as_str()))
    .bind(s.since)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
