//! Web chat: entry points, the customers behind them, and conversations' messages, numbered
//! in their conversation and stored once per client id.

use switchboard_engine::chat::{EntryName, Sender};
use switchboard_engine::{ChatEntryId, ContactId, CustomerId, MessageId, TenantId};

use super::{delete_owned, found, Db, Store};
use crate::rows::{ChatEntryRow, ChatMessageRow, CustomerRow};
use crate::{ChatEntry, ChatMessage, Customer, CustomerDetails, Millis, NewChatMessage, Result};

const CUSTOMER_COLUMNS: &str = "SELECT id, identity, verified, name, phone, email FROM customers";
const MESSAGE_COLUMNS: &str =
    "SELECT id, contact_id, seq, sender, agent_id, client_id, kind, body, \
    created_at, recalled_at FROM chat_messages";

pub(super) async fn create_chat_entry(
    store: &Store,
    tenant: TenantId,
    e: &ChatEntry,
    now: Millis,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO chat_entries (tenant_id, id, name, title, queue_id, prechat_form, identity_secret, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(tenant.0)
    .bind(e.id.0)
    .bind(e.name.as_str())
    .bind(&e.title)
    .bind(e.queue.0)
    .bind(e.prechat_form)
    .bind(&e.identity_secret)
    .bind(now)
    .execute(&store.writer)
    .await?;
    Ok(())
}

pub(super) async fn chat_entry(
    store: &Store,
    tenant: TenantId,
    name: &EntryName,
) -> Result<Option<ChatEntry>> {
    let row: Option<ChatEntryRow> = sqlx::query_as(
        "SELECT id, name, title, queue_id, prechat_form, identity_secret FROM chat_entries \
         WHERE tenant_id = $1 AND name = $2",
    )
    .bind(tenant.0)
    .bind(name.as_str())
    .fetch_optional(&store.reader)
    .await?;
    row.map(ChatEntry::try_from).transpose()
}

pub(super) async fn chat_entries(store: &Store, tenant: TenantId) -> Result<Vec<ChatEntry>> {
    let rows: Vec<ChatEntryRow> = sqlx::query_as(
        "SELECT id, name, title, queue_id, prechat_form, identity_secret FROM chat_entries \
         WHERE tenant_id = $1 ORDER BY name",
    )
    .bind(tenant.0)
    .fetch_all(&store.reader)
    .await?;
    rows.into_iter().map(ChatEntry::try_from).collect()
}

pub(super) async fn delete_chat_entry(
    store: &Store,
    tenant: TenantId,
    id: ChatEntryId,
) -> Result<()> {
    delete_owned(store, "chat_entries", tenant, id.0).await
}

pub(super) async fn upsert_customer(
    store: &Store,
    tenant: TenantId,
    identity: &str,
    verified: bool,
    d: &CustomerDetails,
    now: Millis,
) -> Result<Customer> {
    let mut tx = store.writer.begin().await?;
    sqlx::query(
        "INSERT INTO customers (tenant_id, id, identity, verified, name, phone, email, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (tenant_id, identity) DO UPDATE SET \
         name = COALESCE(excluded.name, customers.name), phone = COALESCE(excluded.phone, customers.phone), \
         email = COALESCE(excluded.email, customers.email), updated_at = excluded.updated_at",
    )
    .bind(tenant.0)
    .bind(CustomerId::new().0)
    .bind(identity)
    .bind(verified)
    .bind(&d.name)
    .bind(&d.phone)
    .bind(&d.email)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let row: CustomerRow = sqlx::query_as(&format!(
        "{CUSTOMER_COLUMNS} WHERE tenant_id = $1 AND identity = $2"
    ))
    .bind(tenant.0)
    .bind(identity)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(row.into())
}

pub(super) async fn customer_by_identity(
    store: &Store,
    tenant: TenantId,
    identity: &str,
) -> Result<Option<Customer>> {
    let row: Option<CustomerRow> = sqlx::query_as(&format!(
        "{CUSTOMER_COLUMNS} WHERE tenant_id = $1 AND identity = $2"
    ))
    .bind(tenant.0)
    .bind(identity)
    .fetch_optional(&store.reader)
    .await?;
    Ok(row.map(Customer::from))
}

pub(super) async fn customer(
    store: &Store,
    tenant: TenantId,
    id: CustomerId,
) -> Result<Option<Customer>> {
    let row: Option<CustomerRow> = sqlx::query_as(&format!(
        "{CUSTOMER_COLUMNS} WHERE tenant_id = $1 AND id = $2"
    ))
    .bind(tenant.0)
    .bind(id.0)
    .fetch_optional(&store.reader)
    .await?;
    Ok(row.map(Customer::from))
}

pub(super) async fn append_chat_messages(
    store: &Store,
    tenant: TenantId,
    messages: &[NewChatMessage],
) -> Result<Vec<ChatMessage>> {
    let mut tx = store.writer.begin().await?;
    let mut stored = Vec::with_capacity(messages.len());
    for m in messages {
        if let Some(client_id) = &m.client_id {
            let existing =
                message_by_client_id(&mut *tx, tenant, m.contact, m.sender, client_id).await?;
            if let Some(earlier) = existing {
                stored.push(earlier);
                continue;
            }
        }
        let seq: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM chat_messages WHERE tenant_id = $1 AND contact_id = $2",
        )
        .bind(tenant.0)
        .bind(m.contact.0)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO chat_messages (tenant_id, id, contact_id, seq, sender, agent_id, client_id, kind, body, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(tenant.0)
        .bind(m.id.0)
        .bind(m.contact.0)
        .bind(seq)
        .bind(m.sender.code())
        .bind(m.agent.map(|a| a.0))
        .bind(&m.client_id)
        .bind(m.kind.code())
        .bind(&m.body)
        .bind(m.created_at)
        .execute(&mut *tx)
        .await?;
        stored.push(ChatMessage {
            id: m.id,
            contact: m.contact,
            seq,
            sender: m.sender,
            agent: m.agent,
            client_id: m.client_id.clone(),
            kind: m.kind,
            body: m.body.clone(),
            created_at: m.created_at,
            recalled_at: None,
        });
    }
    tx.commit().await?;
    Ok(stored)
}

pub(super) async fn chat_messages(
    store: &Store,
    tenant: TenantId,
    contact: ContactId,
    after_seq: i64,
    limit: u32,
) -> Result<Vec<ChatMessage>> {
    let rows: Vec<ChatMessageRow> = sqlx::query_as(&format!(
        "{MESSAGE_COLUMNS} WHERE tenant_id = $1 AND contact_id = $2 AND seq > $3 ORDER BY seq LIMIT $4"
    ))
    .bind(tenant.0)
    .bind(contact.0)
    .bind(after_seq)
    .bind(i64::from(limit))
    .fetch_all(&store.reader)
    .await?;
    rows.into_iter().map(ChatMessage::try_from).collect()
}

pub(super) async fn recalled_chat_messages(
    store: &Store,
    tenant: TenantId,
    contact: ContactId,
    up_to_seq: i64,
) -> Result<Vec<ChatMessage>> {
    let rows: Vec<ChatMessageRow> = sqlx::query_as(&format!(
        "{MESSAGE_COLUMNS} WHERE tenant_id = $1 AND contact_id = $2 AND seq <= $3 AND recalled_at IS NOT NULL ORDER BY seq"
    ))
    .bind(tenant.0)
    .bind(contact.0)
    .bind(up_to_seq)
    .fetch_all(&store.reader)
    .await?;
    rows.into_iter().map(ChatMessage::try_from).collect()
}

pub(super) async fn chat_message_by_client_id(
    store: &Store,
    tenant: TenantId,
    contact: ContactId,
    sender: Sender,
    client_id: &str,
) -> Result<Option<ChatMessage>> {
    message_by_client_id(&store.reader, tenant, contact, sender, client_id).await
}

pub(super) async fn chat_message(
    store: &Store,
    tenant: TenantId,
    id: MessageId,
) -> Result<Option<ChatMessage>> {
    let row: Option<ChatMessageRow> = sqlx::query_as(&format!(
        "{MESSAGE_COLUMNS} WHERE tenant_id = $1 AND id = $2"
    ))
    .bind(tenant.0)
    .bind(id.0)
    .fetch_optional(&store.reader)
    .await?;
    row.map(ChatMessage::try_from).transpose()
}

pub(super) async fn recall_chat_message(
    store: &Store,
    tenant: TenantId,
    id: MessageId,
    at: Millis,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE chat_messages SET recalled_at = $3 WHERE tenant_id = $1 AND id = $2 AND recalled_at IS NULL",
    )
    .bind(tenant.0)
    .bind(id.0)
    .bind(at)
    .execute(&store.writer)
    .await?;
    found(done.rows_affected())
}

/// The message a sender already stored under `client_id` in a conversation: read inside an
/// append's transaction as well as on its own.
async fn message_by_client_id<'c, E: sqlx::Executor<'c, Database = Db>>(
    db: E,
    tenant: TenantId,
    contact: ContactId,
    sender: Sender,
    client_id: &str,
) -> Result<Option<ChatMessage>> {
    let row: Option<ChatMessageRow> = sqlx::query_as(&format!(
        "{MESSAGE_COLUMNS} WHERE tenant_id = $1 AND contact_id = $2 AND sender = $3 AND client_id = $4"
    ))
    .bind(tenant.0)
    .bind(contact.0)
    .bind(sender.code())
    .bind(client_id)
    .fetch_optional(db)
    .await?;
    row.map(ChatMessage::try_from).transpose()
}
