//! Row shapes shared by both databases, and their conversion into domain records.
//! A value that fails domain validation on the way out means the database was edited by
//! hand or by a buggy version; it is reported as corrupt rather than trusted.

use switchboard_engine::{
    AgentParams, AgentSignInMode, Channel, ChatLimit, FamiliarWait, LoginName, NoAnswerLimit,
    OfferTimeout, PersonName, PostSignInState, QueuePriority, RoleId, RoleName, RoutingStrategy,
    SkillLevel, SkillQueueId, SkillQueueName, TagId, TagName, TaskLimit, TenantId, TenantName,
    TenantParams, TenantSignInMode, UserId, ValidationError, WrapUpLimit,
};
use uuid::Uuid;

use crate::{QueueAgent, RoleRef, SkillQueue, SkillQueueSpec, StorageError, Tag, Tenant, User};

pub(crate) fn corrupt(err: ValidationError) -> StorageError {
    StorageError::Corrupt(err.to_string())
}

/// A tenant's zone as stored (`tenants.time_zone`); a name no longer known is corrupt.
pub(crate) fn stored_zone(name: &str) -> Result<switchboard_engine::TenantZone, StorageError> {
    switchboard_engine::TenantZone::parse(name).map_err(|e| StorageError::Corrupt(e.to_string()))
}

#[derive(sqlx::FromRow)]
pub(crate) struct TenantRow {
    pub id: Uuid,
    pub name: String,
    pub display_name: String,
    pub created_at: i64,
}

impl TryFrom<TenantRow> for Tenant {
    type Error = StorageError;
    fn try_from(r: TenantRow) -> Result<Self, StorageError> {
        Ok(Tenant {
            id: TenantId(r.id),
            name: TenantName::parse(&r.name).map_err(corrupt)?,
            display_name: r.display_name,
            created_at: r.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ParamsRow {
    pub post_sign_in_state: String,
    pub sign_in_mode: String,
    pub auto_answer: bool,
    pub wrap_up_limit_s: i64,
    pub summary_required: bool,
    pub offer_timeout_s: i64,
    pub no_answer_limit: i64,
    pub chat_during_call: bool,
    pub task_limit: i64,
    pub familiar_wait_s: i64,
    pub recall_limit_s: i64,
}

impl TryFrom<ParamsRow> for TenantParams {
    type Error = StorageError;
    fn try_from(r: ParamsRow) -> Result<Self, StorageError> {
        (|| {
            Ok(TenantParams {
                post_sign_in_state: PostSignInState::parse(&r.post_sign_in_state)?,
                sign_in_mode: TenantSignInMode::parse(&r.sign_in_mode)?,
                auto_answer: r.auto_answer,
                wrap_up_limit: WrapUpLimit::new(r.wrap_up_limit_s)?,
                summary_required: r.summary_required,
                offer_timeout: OfferTimeout::new(r.offer_timeout_s)?,
                no_answer_limit: NoAnswerLimit::new(r.no_answer_limit)?,
                chat_during_call: r.chat_during_call,
                task_limit: TaskLimit::new(r.task_limit)?,
                familiar_wait: FamiliarWait::new(r.familiar_wait_s)?,
                recall_limit: switchboard_engine::RecallLimit::new(r.recall_limit_s)?,
            })
        })()
        .map_err(corrupt)
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub login: String,
    pub real_name: String,
    pub display_name: String,
    pub chat_limit: i64,
    pub active: bool,
    pub must_change_password: bool,
    pub sign_in_mode: String,
    pub auto_answer: bool,
    pub created_at: i64,
    pub password_hash: String,
}

impl UserRow {
    pub(crate) fn into_user(self, roles: Vec<RoleRef>) -> Result<User, StorageError> {
        (|| {
            Ok(User {
                id: UserId(self.id),
                tenant_id: TenantId(self.tenant_id),
                login: LoginName::parse(&self.login)?,
                real_name: PersonName::parse(&self.real_name)?,
                display_name: PersonName::parse(&self.display_name)?,
                chat_limit: ChatLimit::new(self.chat_limit)?,
                roles,
                active: self.active,
                must_change_password: self.must_change_password,
                agent_params: AgentParams {
                    sign_in_mode: AgentSignInMode::parse(&self.sign_in_mode)?,
                    auto_answer: self.auto_answer,
                },
                created_at: self.created_at,
            })
        })()
        .map_err(corrupt)
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct UserRoleRow {
    pub user_id: Uuid,
    pub role_id: Uuid,
    pub name: String,
}

/// Groups `(user, role)` rows by user.
pub(crate) fn roles_by_user(
    rows: Vec<UserRoleRow>,
) -> Result<std::collections::HashMap<Uuid, Vec<RoleRef>>, StorageError> {
    let mut map: std::collections::HashMap<Uuid, Vec<RoleRef>> = Default::default();
    for r in rows {
        map.entry(r.user_id).or_default().push(RoleRef {
            id: RoleId(r.role_id),
            name: RoleName::parse(&r.name).map_err(corrupt)?,
        });
    }
    Ok(map)
}

#[derive(sqlx::FromRow)]
pub(crate) struct RoleRow {
    pub id: Uuid,
    pub name: String,
    pub builtin: bool,
}

#[derive(sqlx::FromRow)]
pub(crate) struct RolePermissionRow {
    pub role_id: Uuid,
    pub permission: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct PrincipalRow {
    pub tenant_id: Uuid,
    pub tenant_name: String,
    pub time_zone: String,
    pub user_id: Uuid,
    pub must_change_password: bool,
}

#[derive(sqlx::FromRow)]
pub(crate) struct QueueRow {
    pub id: Uuid,
    pub name: String,
    pub channel: String,
    pub strategy: String,
    pub priority: i64,
    pub max_queue_len: Option<i64>,
    pub max_wait_s: Option<i64>,
    pub overflow_queue_id: Option<Uuid>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct QueueAgentRow {
    pub queue_id: Uuid,
    pub user_id: Uuid,
    pub skill_level: i64,
}

#[derive(sqlx::FromRow)]
pub(crate) struct QueueTagRow {
    pub queue_id: Uuid,
    pub tag_id: Uuid,
}

/// Assembles queues from their rows, their agents and their tags.
pub(crate) fn assemble_queues(
    queues: Vec<QueueRow>,
    agents: Vec<QueueAgentRow>,
    tags: Vec<QueueTagRow>,
) -> Result<Vec<SkillQueue>, StorageError> {
    let as_u32 = |v: Option<i64>| v.map(|n| n.clamp(0, i64::from(u32::MAX)) as u32);
    queues
        .into_iter()
        .map(|q| {
            let spec = (|| {
                Ok(SkillQueueSpec {
                    name: SkillQueueName::parse(&q.name)?,
                    channel: Channel::parse(&q.channel)?,
                    strategy: RoutingStrategy::parse(&q.strategy)?,
                    priority: QueuePriority::new(q.priority)?,
                    max_queue_len: as_u32(q.max_queue_len),
                    max_wait_s: as_u32(q.max_wait_s),
                    overflow_queue: q.overflow_queue_id.map(SkillQueueId),
                    tags: tags
                        .iter()
                        .filter(|t| t.queue_id == q.id)
                        .map(|t| TagId(t.tag_id))
                        .collect(),
                })
            })()
            .map_err(corrupt)?;
            let agents = agents
                .iter()
                .filter(|a| a.queue_id == q.id)
                .map(|a| {
                    Ok(QueueAgent {
                        user_id: UserId(a.user_id),
                        skill_level: SkillLevel::new(a.skill_level).map_err(corrupt)?,
                    })
                })
                .collect::<Result<_, StorageError>>()?;
            Ok(SkillQueue {
                id: SkillQueueId(q.id),
                spec,
                agents,
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
pub(crate) struct TagRow {
    pub id: Uuid,
    pub name: String,
}

impl TryFrom<TagRow> for Tag {
    type Error = StorageError;
    fn try_from(r: TagRow) -> Result<Self, StorageError> {
        Ok(Tag {
            id: TagId(r.id),
            name: TagName::parse(&r.name).map_err(corrupt)?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ContactRow {
    pub id: Uuid,
    pub channel: String,
    pub direction: String,
    pub queue_id: Uuid,
    pub priority: i64,
    pub customer: Option<String>,
    pub title: Option<String>,
    pub link: Option<String>,
    pub data: String,
    pub state: String,
    pub agent_id: Option<Uuid>,
    pub offer_expires_at: Option<i64>,
    pub created_at: i64,
    pub enqueued_at: i64,
    pub closed_at: Option<i64>,
    pub outcome: Option<String>,
    pub summary: Option<String>,
    pub summary_solution: Option<String>,
    pub disposition: Option<String>,
    pub summary_saved: bool,
    pub rating: Option<i64>,
    pub rating_comment: Option<String>,
}

impl TryFrom<ContactRow> for crate::StoredContact {
    type Error = StorageError;
    fn try_from(r: ContactRow) -> Result<Self, StorageError> {
        use switchboard_engine::acd::{ContactOutcome, ContactStatus, CustomerPriority, Direction};
        (|| {
            Ok(crate::StoredContact {
                id: switchboard_engine::ContactId(r.id),
                channel: Channel::parse(&r.channel)?,
                direction: Direction::parse(&r.direction)?,
                queue: SkillQueueId(r.queue_id),
                priority: CustomerPriority::new(r.priority)?,
                customer: r.customer,
                title: r.title,
                link: r.link,
                data: r.data,
                state: ContactStatus::parse(&r.state)?,
                agent: r.agent_id.map(UserId),
                offer_expires_at: r.offer_expires_at,
                created_at: r.created_at,
                enqueued_at: r.enqueued_at,
                closed_at: r.closed_at,
                outcome: r
                    .outcome
                    .as_deref()
                    .map(ContactOutcome::parse)
                    .transpose()?,
                summary: r.summary,
                solution: r.summary_solution,
                disposition: r.disposition,
                summary_saved: r.summary_saved,
                rating: r
                    .rating
                    .and_then(|n| u8::try_from(n).ok())
                    .map(|n| (n, r.rating_comment)),
            })
        })()
        .map_err(corrupt)
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct SessionRow {
    pub user_id: Uuid,
    pub queues: String,
    pub presence: String,
    pub reason: Option<String>,
    pub since: i64,
}

impl TryFrom<SessionRow> for crate::AgentSession {
    type Error = StorageError;
    fn try_from(r: SessionRow) -> Result<Self, StorageError> {
        use switchboard_engine::acd::{ReasonCode, RestoredPresence};
        let queues = r
            .queues
            .split(',')
            .filter(|q| !q.is_empty())
            .map(|q| {
                SkillQueueId::parse(q)
                    .ok_or_else(|| StorageError::Corrupt(format!("queue id '{q}'")))
            })
            .collect::<Result<_, _>>()?;
        Ok(crate::AgentSession {
            agent: UserId(r.user_id),
            queues,
            presence: RestoredPresence::parse(&r.presence).map_err(corrupt)?,
            reason: r
                .reason
                .as_deref()
                .map(ReasonCode::parse)
                .transpose()
                .map_err(corrupt)?,
            since: r.since,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct EventRow {
    pub at: i64,
    pub kind: String,
    pub agent_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub queue_id: Option<Uuid>,
    pub detail: String,
}

/// Event kinds are `&'static str` in records; stored text maps back to the known set.
pub(crate) fn event_kind(kind: &str) -> &'static str {
    crate::EVENT_KINDS
        .iter()
        .find(|k| **k == kind)
        .copied()
        .unwrap_or("unknown")
}

#[derive(sqlx::FromRow)]
pub(crate) struct ChatEntryRow {
    pub id: Uuid,
    pub name: String,
    pub title: String,
    pub queue_id: Uuid,
    pub prechat_form: bool,
    pub identity_secret: Option<String>,
}

impl TryFrom<ChatEntryRow> for crate::ChatEntry {
    type Error = StorageError;
    fn try_from(r: ChatEntryRow) -> Result<Self, StorageError> {
        Ok(crate::ChatEntry {
            id: switchboard_engine::ChatEntryId(r.id),
            name: switchboard_engine::chat::EntryName::parse(&r.name).map_err(corrupt)?,
            title: r.title,
            queue: SkillQueueId(r.queue_id),
            prechat_form: r.prechat_form,
            identity_secret: r.identity_secret,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct CustomerRow {
    pub id: Uuid,
    pub identity: String,
    pub verified: bool,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl From<CustomerRow> for crate::Customer {
    fn from(r: CustomerRow) -> Self {
        crate::Customer {
            id: switchboard_engine::CustomerId(r.id),
            identity: r.identity,
            verified: r.verified,
            name: r.name,
            phone: r.phone,
            email: r.email,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ChatMessageRow {
    pub id: Uuid,
    pub contact_id: Uuid,
    pub seq: i64,
    pub sender: String,
    pub agent_id: Option<Uuid>,
    pub client_id: Option<String>,
    pub kind: String,
    pub body: String,
    pub created_at: i64,
    pub recalled_at: Option<i64>,
}

impl TryFrom<ChatMessageRow> for crate::ChatMessage {
    type Error = StorageError;
    fn try_from(r: ChatMessageRow) -> Result<Self, StorageError> {
        use switchboard_engine::chat::{MessageKind, Sender};
        Ok(crate::ChatMessage {
            id: switchboard_engine::MessageId(r.id),
            contact: switchboard_engine::ContactId(r.contact_id),
            seq: r.seq,
            sender: Sender::parse(&r.sender).map_err(corrupt)?,
            agent: r.agent_id.map(UserId),
            client_id: r.client_id,
            kind: MessageKind::parse(&r.kind).map_err(corrupt)?,
            body: r.body,
            created_at: r.created_at,
            recalled_at: r.recalled_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct CannedReplyRow {
    pub id: Uuid,
    pub owner_id: Option<Uuid>,
    pub title: String,
    pub body: String,
}

impl From<CannedReplyRow> for crate::CannedReply {
    fn from(r: CannedReplyRow) -> Self {
        crate::CannedReply {
            id: switchboard_engine::CannedReplyId(r.id),
            owner: r.owner_id.map(UserId),
            title: r.title,
            text: r.body,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct DocumentRow {
    pub id: Uuid,
    pub title: String,
    pub url: String,
    pub description: Option<String>,
}

impl From<DocumentRow> for crate::Document {
    fn from(r: DocumentRow) -> Self {
        crate::Document {
            id: switchboard_engine::DocumentId(r.id),
            title: r.title,
            url: r.url,
            description: r.description,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct FileRow {
    pub id: Uuid,
    pub contact_id: Uuid,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub access_key: String,
    pub data: Vec<u8>,
    pub created_at: i64,
}

impl From<FileRow> for crate::StoredFile {
    fn from(r: FileRow) -> Self {
        crate::StoredFile {
            id: switchboard_engine::FileId(r.id),
            contact: switchboard_engine::ContactId(r.contact_id),
            name: r.name,
            content_type: r.content_type,
            size: r.size,
            access_key: r.access_key,
            data: r.data,
            created_at: r.created_at,
        }
    }
}
