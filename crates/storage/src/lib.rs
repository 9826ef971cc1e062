//! Switchboard's storage: one trait, one implementation per database, each with its own
//! migrations. Every method that touches tenant data takes the tenant id and scopes every
//! query by it, so no caller can reach across tenants by passing a foreign record id.

mod backend;
mod call_records;
mod chat_records;
pub mod customers;
mod engine_records;
mod error;
mod lease;
mod migrate;
pub mod outbound;
pub mod postgres;
pub mod quality;
mod records;
mod rows;
pub mod sqlite;
pub mod stats;
#[cfg(feature = "testing")]
pub mod testing;
pub mod tickets;
pub mod voice;
pub mod webhooks;

use std::path::Path;
use std::sync::Arc;

pub use call_records::*;
pub use chat_records::*;
pub use customers::{
    CustomerQuery, CustomerStore, CustomerTerm, CustomerTicket, CustomerWrite, DirectoryCustomer,
    KeyKind,
};
pub use engine_records::*;
pub use error::{Result, StorageError};
pub use lease::{Lease, LeaseStore};
pub use outbound::{
    CallerNumber, NumberGroup, OutboundProxy, OutboundRule, OutboundStore, StoredOutboundPolicy,
};
pub use quality::{
    ContactFilter, DisputeEnd, QualityStore, Review, ReviewFilter, ReviewableContact, Sample,
    ScoredItem, ScoredReview, StoredScorecard,
};
pub use records::*;
pub use stats::{
    AgentFigureRow, Grain, Levels, QueueFigureRow, QueueTargetsRecord, Span, StateTimeRow,
    StatsStore, StoredEvent,
};
use switchboard_engine::chat::{EntryName, Sender};
use switchboard_engine::{
    ChatEntryId, ContactId, CustomerId, LoginName, MessageId, Permission, RoleId, RoleName,
    SkillQueueId, TagId, TagName, TenantId, TenantName, TenantParams, UserId,
};
pub use tickets::{
    DueReminder, NewTrail, Reminder, Scope, SortKey, StatCounts, StatsRange, Ticket,
    TicketCategory, TicketChanges, TicketConfigStore, TicketFilter, TicketLinks, TicketQuery,
    TicketRow, TicketStats, TicketStore, TicketTemplate, TicketType, TicketView, TrailEntry,
};
pub use voice::{
    HotlineNumber, IvrFlow, NumberRoute, QueueVoice, SipExtension, SipTrunk, TrunkRegistration,
    VoicePrompt, VoiceStore, VoicemailTo,
};
pub use webhooks::{
    Attempt, Delivery, DeliveryState, DueDelivery, NewDelivery, SourceEvent, SourceTrail, Webhook,
    WebhookCursor, WebhookSources, WebhookStore,
};

/// One connection pool's connections: `writer` and `reader` (on PostgreSQL both name the
/// one pool they share).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolStats {
    pub pool: &'static str,
    /// Connections open, in use or idle.
    pub size: u32,
    pub idle: u32,
}

/// Everything Switchboard keeps. Implementations must make each method atomic: it either
/// happens completely or not at all, and it is durable when it returns `Ok`.
#[async_trait::async_trait]
pub trait Storage:
    TicketConfigStore
    + TicketStore
    + VoiceStore
    + OutboundStore
    + WebhookStore
    + CustomerStore
    + CallRecordStore
    + QualityStore
    + StatsStore
    + LeaseStore
    + Send
    + Sync
    + 'static
{
    /// Whether the database answers.
    async fn health(&self) -> Result<()>;
    /// The connection pools' sizes now, for the server's metrics (no query is made).
    async fn pool_stats(&self) -> Vec<PoolStats>;

    // Tenants
    /// Creates a tenant with default parameters and the built-in roles.
    async fn create_tenant(
        &self,
        name: &TenantName,
        display_name: &str,
        now: Millis,
    ) -> Result<Tenant>;
    async fn tenant_by_name(&self, name: &TenantName) -> Result<Option<Tenant>>;
    async fn tenant_params(&self, tenant: TenantId) -> Result<TenantParams>;
    /// Replaces the tenant's parameters and zone together: one transaction, so a failure
    /// leaves both as they were.
    async fn set_tenant_params(
        &self,
        tenant: TenantId,
        params: &TenantParams,
        zone: &switchboard_engine::TenantZone,
    ) -> Result<()>;
    /// The zone the tenant's local times are read and its days cut in (`Asia/Shanghai` until
    /// an administrator picks one).
    async fn tenant_zone(&self, tenant: TenantId) -> Result<switchboard_engine::TenantZone>;

    // Users
    /// Creates all users or none (bulk import relies on this).
    async fn create_users(
        &self,
        tenant: TenantId,
        users: &[NewUser],
        now: Millis,
    ) -> Result<Vec<User>>;
    async fn user(&self, tenant: TenantId, id: UserId) -> Result<Option<User>>;
    async fn users(&self, tenant: TenantId) -> Result<Vec<User>>;
    async fn credentials(&self, tenant: TenantId, login: &LoginName)
        -> Result<Option<Credentials>>;
    async fn update_user(
        &self,
        tenant: TenantId,
        id: UserId,
        patch: &UserPatch,
        now: Millis,
    ) -> Result<User>;
    async fn set_password(
        &self,
        tenant: TenantId,
        id: UserId,
        hash: &str,
        must_change: bool,
        now: Millis,
    ) -> Result<()>;

    // Roles
    async fn roles(&self, tenant: TenantId) -> Result<Vec<Role>>;
    async fn role(&self, tenant: TenantId, id: RoleId) -> Result<Option<Role>>;
    async fn create_role(
        &self,
        tenant: TenantId,
        name: &RoleName,
        permissions: &[Permission],
    ) -> Result<Role>;
    async fn update_role(
        &self,
        tenant: TenantId,
        id: RoleId,
        name: Option<&RoleName>,
        permissions: Option<&[Permission]>,
    ) -> Result<Role>;
    /// Refuses with `Reference` while users hold the role.
    async fn delete_role(&self, tenant: TenantId, id: RoleId) -> Result<()>;

    // Sessions
    async fn create_session(&self, session: &NewSession) -> Result<()>;
    /// The principal behind a token hash, if the session is unexpired and the user active.
    async fn principal(&self, token_hash: &str, now: Millis) -> Result<Option<Principal>>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;
    async fn delete_user_sessions(&self, tenant: TenantId, user: UserId) -> Result<()>;

    // Skill queues
    async fn skill_queues(&self, tenant: TenantId) -> Result<Vec<SkillQueue>>;
    async fn skill_queue(&self, tenant: TenantId, id: SkillQueueId) -> Result<Option<SkillQueue>>;
    async fn create_skill_queue(
        &self,
        tenant: TenantId,
        spec: &SkillQueueSpec,
        agents: &[QueueAgent],
    ) -> Result<SkillQueue>;
    async fn update_skill_queue(
        &self,
        tenant: TenantId,
        id: SkillQueueId,
        spec: &SkillQueueSpec,
    ) -> Result<SkillQueue>;
    async fn set_queue_agents(
        &self,
        tenant: TenantId,
        id: SkillQueueId,
        agents: &[QueueAgent],
    ) -> Result<SkillQueue>;
    async fn delete_skill_queue(&self, tenant: TenantId, id: SkillQueueId) -> Result<()>;

    // Category tags
    async fn tags(&self, tenant: TenantId) -> Result<Vec<Tag>>;
    async fn create_tag(&self, tenant: TenantId, name: &TagName) -> Result<Tag>;
    async fn delete_tag(&self, tenant: TenantId, id: TagId) -> Result<()>;

    // Routing engine
    async fn tenants(&self) -> Result<Vec<Tenant>>;
    /// Writes everything one turn of a tenant's engine produced, atomically.
    async fn apply_engine_batch(&self, tenant: TenantId, batch: &EngineBatch) -> Result<()>;
    /// Contacts not closed yet, oldest first: what the engine must restore.
    async fn open_contacts(&self, tenant: TenantId) -> Result<Vec<StoredContact>>;
    async fn stored_contact(
        &self,
        tenant: TenantId,
        id: ContactId,
    ) -> Result<Option<StoredContact>>;
    async fn agent_sessions(&self, tenant: TenantId) -> Result<Vec<AgentSession>>;
    /// The agent who most recently served this customer (familiar-agent routing, R5).
    async fn last_agent_of_customer(
        &self,
        tenant: TenantId,
        customer: &str,
    ) -> Result<Option<UserId>>;
    /// Whether the tenant's engine has stored any event (has it ever been used).
    async fn has_engine_events(&self, tenant: TenantId) -> Result<bool>;
    /// Engine events of one contact, in order (its time line).
    async fn contact_events(
        &self,
        tenant: TenantId,
        contact: ContactId,
    ) -> Result<Vec<EventRecord>>;
    /// The latest contacts of a customer on any channel, newest first (M8).
    async fn customer_contacts(
        &self,
        tenant: TenantId,
        customer: &str,
        limit: u32,
    ) -> Result<Vec<StoredContact>>;

    // Web chat
    async fn create_chat_entry(
        &self,
        tenant: TenantId,
        entry: &ChatEntry,
        now: Millis,
    ) -> Result<()>;
    async fn chat_entry(&self, tenant: TenantId, name: &EntryName) -> Result<Option<ChatEntry>>;
    async fn chat_entries(&self, tenant: TenantId) -> Result<Vec<ChatEntry>>;
    async fn delete_chat_entry(&self, tenant: TenantId, id: ChatEntryId) -> Result<()>;
    /// The customer with this identity, created if new; given details replace stored ones.
    async fn upsert_customer(
        &self,
        tenant: TenantId,
        identity: &str,
        verified: bool,
        details: &CustomerDetails,
        now: Millis,
    ) -> Result<Customer>;
    async fn customer(&self, tenant: TenantId, id: CustomerId) -> Result<Option<Customer>>;
    /// The customer with this identity, if one was ever stored (nothing is created).
    async fn customer_by_identity(
        &self,
        tenant: TenantId,
        identity: &str,
    ) -> Result<Option<Customer>>;
    /// Appends messages in one transaction, numbering each in its conversation. A message
    /// whose `client_id` was already stored for that sender is not stored again: the first
    /// copy is returned in its place.
    async fn append_chat_messages(
        &self,
        tenant: TenantId,
        messages: &[NewChatMessage],
    ) -> Result<Vec<ChatMessage>>;
    /// A conversation's messages after `after_seq`, in order, at most `limit`.
    async fn chat_messages(
        &self,
        tenant: TenantId,
        contact: ContactId,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<ChatMessage>>;
    async fn chat_message(&self, tenant: TenantId, id: MessageId) -> Result<Option<ChatMessage>>;
    /// The message a sender already stored under `client_id` in a conversation, if any.
    async fn chat_message_by_client_id(
        &self,
        tenant: TenantId,
        contact: ContactId,
        sender: Sender,
        client_id: &str,
    ) -> Result<Option<ChatMessage>>;
    /// A conversation's withdrawn messages up to `up_to_seq`, in order (a resuming client
    /// learns of withdrawals of messages it already shows).
    async fn recalled_chat_messages(
        &self,
        tenant: TenantId,
        contact: ContactId,
        up_to_seq: i64,
    ) -> Result<Vec<ChatMessage>>;
    /// Marks a message withdrawn; the text stays for the audit trail (M9).
    async fn recall_chat_message(&self, tenant: TenantId, id: MessageId, at: Millis) -> Result<()>;

    /// What the records say about a caller known by these forms of one number: the name given
    /// with it (chat customers, then tickets) and the latest `limit` contacts but `except` (V3).
    async fn caller_records(
        &self,
        tenant: TenantId,
        numbers: &[String],
        except: ContactId,
        limit: u32,
    ) -> Result<CallerRecords>;
    /// The saved service summaries of these contacts (call records show them).
    async fn contact_summaries(
        &self,
        tenant: TenantId,
        ids: &[ContactId],
    ) -> Result<Vec<(ContactId, ContactSummary)>>;
    /// The tenant's disposition codes (处理结果), in their order, retired ones included.
    async fn disposition_codes(&self, tenant: TenantId) -> Result<Vec<DispositionCode>>;
    /// Replaces the tenant's disposition codes with this ordered list.
    async fn set_disposition_codes(
        &self,
        tenant: TenantId,
        codes: &[DispositionCode],
    ) -> Result<()>;

    /// Records the customer's satisfaction rating (1-5) of a contact, replacing an earlier one.
    async fn rate_contact(
        &self,
        tenant: TenantId,
        id: ContactId,
        score: u8,
        comment: Option<&str>,
    ) -> Result<()>;

    // Canned replies, documents, files
    /// The team's canned replies and `user`'s own.
    async fn canned_replies(&self, tenant: TenantId, user: UserId) -> Result<Vec<CannedReply>>;
    async fn create_canned_reply(
        &self,
        tenant: TenantId,
        reply: &CannedReply,
        now: Millis,
    ) -> Result<()>;
    async fn delete_canned_reply(
        &self,
        tenant: TenantId,
        id: switchboard_engine::CannedReplyId,
    ) -> Result<()>;
    async fn documents(&self, tenant: TenantId) -> Result<Vec<Document>>;
    async fn create_document(
        &self,
        tenant: TenantId,
        document: &Document,
        now: Millis,
    ) -> Result<()>;
    async fn delete_document(
        &self,
        tenant: TenantId,
        id: switchboard_engine::DocumentId,
    ) -> Result<()>;
    async fn store_file(&self, tenant: TenantId, file: &StoredFile) -> Result<()>;
    async fn file(
        &self,
        tenant: TenantId,
        id: switchboard_engine::FileId,
    ) -> Result<Option<StoredFile>>;
}

/// Where the data lives.
#[derive(Debug, Clone)]
pub enum Location<'a> {
    /// The embedded SQLite database in this directory.
    DataDir(&'a Path),
    /// A `postgres://` URL.
    Postgres(&'a str),
}

/// Opens the database and brings its schema up to date.
pub async fn open(location: Location<'_>) -> Result<Arc<dyn Storage>> {
    Ok(match location {
        Location::DataDir(dir) => Arc::new(sqlite::SqliteStore::open_dir(dir).await?),
        Location::Postgres(url) => Arc::new(postgres::PgStore::connect(url).await?),
    })
}
