//! The queries both databases share, one file per resource. Both speak the same SQL here
//! (`$N` parameters, `ON CONFLICT`, `RETURNING`-free); what differs is named in one place,
//! the `Backend` trait (`backend.rs`), and reached only through `Store`'s implementation.
//!
//! This directory is compiled once per backend: `sqlite.rs` and `postgres.rs` each include it
//! as their own `sql` module (`#[path]`), with their store as `Store`. So the code is plain
//! functions on a concrete store, formatted and type-checked like any other, rather than
//! generic code over `sqlx::Database` (every function would restate bounds for its executor,
//! arguments and each bound or decoded type, and the generic query result cannot count rows)
//! or macro bodies (which rustfmt leaves alone and whose errors point into the expansion).
//!
//! Writes go through `store.writer` in one transaction each; reads through `store.reader`.
//! SQLite gives the writer a single connection so writers queue instead of failing busy.

mod call_records;
mod chat;
mod contacts;
mod customers;
mod dispositions;
mod library;
mod outbound;
mod quality;
mod queue_targets;
mod queues;
mod roles;
mod sessions;
mod stats;
mod tenants;
mod tickets;
mod users;
mod voice;
mod webhooks;

use switchboard_engine::chat::{EntryName, Sender};
use switchboard_engine::{
    CannedReplyId, ChatEntryId, ContactId, CustomerId, DocumentId, FileId, LoginName, MessageId,
    Permission, RoleId, RoleName, SkillQueueId, TagId, TagName, TenantId, TenantName, TenantParams,
    TenantZone, UserId,
};
use uuid::Uuid;

use crate::backend::Backend;
use crate::{
    AgentSession, CallerRecords, CannedReply, ChatEntry, ChatMessage, ContactSummary, Credentials,
    Customer, CustomerDetails, DispositionCode, Document, EngineBatch, EventRecord, Millis,
    NewChatMessage, NewSession, NewUser, PoolStats, Principal, QueueAgent, Result, Role,
    SkillQueue, SkillQueueSpec, Storage, StorageError, StoredContact, StoredFile, Tag, Tenant,
    User, UserPatch,
};

/// The store these queries are compiled for: the including module's.
type Store = super::Store;
/// Its database.
type Db = <Store as Backend>::Db;
/// A transaction on it.
type Tx<'a> = sqlx::Transaction<'a, Db>;

/// Implements an async trait for `Store` by handing each method to the function of the same
/// name in the module named before it, with the store first. A trait's implementation is one
/// block; this is what lets each resource keep its own file.
macro_rules! delegate {
    (impl $trait:ident {
        $($module:ident::$method:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty;)*
    }) => {
        #[async_trait::async_trait]
        impl $trait for Store {
            $(
                async fn $method(&self, $($arg: $ty),*) -> $ret {
                    $module::$method(self, $($arg),*).await
                }
            )*
        }
    };
}
use delegate;

delegate! {
    impl Storage {
        self::health() -> Result<()>;
        self::pool_stats() -> Vec<PoolStats>;

        tenants::create_tenant(name: &TenantName, display_name: &str, now: Millis)
            -> Result<Tenant>;
        tenants::tenant_by_name(name: &TenantName) -> Result<Option<Tenant>>;
        tenants::tenant_params(tenant: TenantId) -> Result<TenantParams>;
        tenants::set_tenant_params(tenant: TenantId, params: &TenantParams, zone: &TenantZone)
            -> Result<()>;
        tenants::tenant_zone(tenant: TenantId) -> Result<TenantZone>;
        tenants::tenants() -> Result<Vec<Tenant>>;

        users::create_users(tenant: TenantId, users: &[NewUser], now: Millis) -> Result<Vec<User>>;
        users::user(tenant: TenantId, id: UserId) -> Result<Option<User>>;
        users::users(tenant: TenantId) -> Result<Vec<User>>;
        users::credentials(tenant: TenantId, login: &LoginName) -> Result<Option<Credentials>>;
        users::update_user(tenant: TenantId, id: UserId, patch: &UserPatch, now: Millis)
            -> Result<User>;
        users::set_password(
            tenant: TenantId, id: UserId, hash: &str, must_change: bool, now: Millis,
        ) -> Result<()>;

        roles::roles(tenant: TenantId) -> Result<Vec<Role>>;
        roles::role(tenant: TenantId, id: RoleId) -> Result<Option<Role>>;
        roles::create_role(tenant: TenantId, name: &RoleName, permissions: &[Permission])
            -> Result<Role>;
        roles::update_role(
            tenant: TenantId, id: RoleId,
            name: Option<&RoleName>, permissions: Option<&[Permission]>,
        ) -> Result<Role>;
        roles::delete_role(tenant: TenantId, id: RoleId) -> Result<()>;

        sessions::create_session(session: &NewSession) -> Result<()>;
        sessions::principal(token_hash: &str, now: Millis) -> Result<Option<Principal>>;
        sessions::delete_session(token_hash: &str) -> Result<()>;
        sessions::delete_user_sessions(tenant: TenantId, user: UserId) -> Result<()>;

        queues::skill_queues(tenant: TenantId) -> Result<Vec<SkillQueue>>;
        queues::skill_queue(tenant: TenantId, id: SkillQueueId) -> Result<Option<SkillQueue>>;
        queues::create_skill_queue(tenant: TenantId, spec: &SkillQueueSpec, agents: &[QueueAgent])
            -> Result<SkillQueue>;
        queues::update_skill_queue(tenant: TenantId, id: SkillQueueId, spec: &SkillQueueSpec)
            -> Result<SkillQueue>;
        queues::set_queue_agents(tenant: TenantId, id: SkillQueueId, agents: &[QueueAgent])
            -> Result<SkillQueue>;
        queues::delete_skill_queue(tenant: TenantId, id: SkillQueueId) -> Result<()>;
        queues::tags(tenant: TenantId) -> Result<Vec<Tag>>;
        queues::create_tag(tenant: TenantId, name: &TagName) -> Result<Tag>;
        queues::delete_tag(tenant: TenantId, id: TagId) -> Result<()>;

        contacts::apply_engine_batch(tenant: TenantId, batch: &EngineBatch) -> Result<()>;
        contacts::open_contacts(tenant: TenantId) -> Result<Vec<StoredContact>>;
        contacts::stored_contact(tenant: TenantId, id: ContactId) -> Result<Option<StoredContact>>;
        contacts::agent_sessions(tenant: TenantId) -> Result<Vec<AgentSession>>;
        contacts::last_agent_of_customer(tenant: TenantId, customer: &str)
            -> Result<Option<UserId>>;
        contacts::has_engine_events(tenant: TenantId) -> Result<bool>;
        contacts::contact_events(tenant: TenantId, contact: ContactId) -> Result<Vec<EventRecord>>;
        contacts::customer_contacts(tenant: TenantId, customer: &str, limit: u32)
            -> Result<Vec<StoredContact>>;
        contacts::caller_records(
            tenant: TenantId, numbers: &[String], except: ContactId, limit: u32,
        ) -> Result<CallerRecords>;
        contacts::contact_summaries(tenant: TenantId, ids: &[ContactId])
            -> Result<Vec<(ContactId, ContactSummary)>>;
        dispositions::disposition_codes(tenant: TenantId) -> Result<Vec<DispositionCode>>;
        dispositions::set_disposition_codes(tenant: TenantId, codes: &[DispositionCode])
            -> Result<()>;
        contacts::rate_contact(tenant: TenantId, id: ContactId, score: u8, comment: Option<&str>)
            -> Result<()>;

        chat::create_chat_entry(tenant: TenantId, entry: &ChatEntry, now: Millis) -> Result<()>;
        chat::chat_entry(tenant: TenantId, name: &EntryName) -> Result<Option<ChatEntry>>;
        chat::chat_entries(tenant: TenantId) -> Result<Vec<ChatEntry>>;
        chat::delete_chat_entry(tenant: TenantId, id: ChatEntryId) -> Result<()>;
        chat::upsert_customer(
            tenant: TenantId, identity: &str, verified: bool,
            details: &CustomerDetails, now: Millis,
        ) -> Result<Customer>;
        chat::customer(tenant: TenantId, id: CustomerId) -> Result<Option<Customer>>;
        chat::customer_by_identity(tenant: TenantId, identity: &str) -> Result<Option<Customer>>;
        chat::append_chat_messages(tenant: TenantId, messages: &[NewChatMessage])
            -> Result<Vec<ChatMessage>>;
        chat::chat_messages(tenant: TenantId, contact: ContactId, after_seq: i64, limit: u32)
            -> Result<Vec<ChatMessage>>;
        chat::chat_message(tenant: TenantId, id: MessageId) -> Result<Option<ChatMessage>>;
        chat::chat_message_by_client_id(
            tenant: TenantId, contact: ContactId, sender: Sender, client_id: &str,
        ) -> Result<Option<ChatMessage>>;
        chat::recalled_chat_messages(tenant: TenantId, contact: ContactId, up_to_seq: i64)
            -> Result<Vec<ChatMessage>>;
        chat::recall_chat_message(tenant: TenantId, id: MessageId, at: Millis) -> Result<()>;

        library::canned_replies(tenant: TenantId, user: UserId) -> Result<Vec<CannedReply>>;
        library::create_canned_reply(tenant: TenantId, reply: &CannedReply, now: Millis)
            -> Result<()>;
        library::delete_canned_reply(tenant: TenantId, id: CannedReplyId) -> Result<()>;
        library::documents(tenant: TenantId) -> Result<Vec<Document>>;
        library::create_document(tenant: TenantId, document: &Document, now: Millis) -> Result<()>;
        library::delete_document(tenant: TenantId, id: DocumentId) -> Result<()>;
        library::store_file(tenant: TenantId, file: &StoredFile) -> Result<()>;
        library::file(tenant: TenantId, id: FileId) -> Result<Option<StoredFile>>;
    }
}

async fn pool_stats(store: &Store) -> Vec<PoolStats> {
    [("writer", &store.writer), ("reader", &store.reader)]
        .into_iter()
        .map(|(pool, p)| PoolStats {
            pool,
            size: p.size(),
            idle: u32::try_from(p.num_idle()).unwrap_or(u32::MAX),
        })
        .collect()
}

async fn health(store: &Store) -> Result<()> {
    sqlx::query("SELECT 1").execute(&store.reader).await?;
    Ok(())
}

/// `NotFound` unless a statement touched a row.
fn found(rows_affected: u64) -> Result<()> {
    if rows_affected == 0 {
        Err(StorageError::NotFound)
    } else {
        Ok(())
    }
}

/// Deletes one tenant-owned row by id; `NotFound` when the tenant has no such row.
async fn delete_owned(
    store: &Store,
    table: &'static str,
    tenant: TenantId,
    id: Uuid,
) -> Result<()> {
    let done = sqlx::query(&format!(
        "DELETE FROM {table} WHERE tenant_id = $1 AND id = $2"
    ))
    .bind(tenant.0)
    .bind(id)
    .execute(&store.writer)
    .await?;
    found(done.rows_affected())
}
