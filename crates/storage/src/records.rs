//! What storage reads and writes: domain values plus ids and timestamps.

use switchboard_engine::{
    AgentParams, Channel, ChatLimit, LoginName, Permission, PersonName, QueuePriority, RoleId,
    RoleName, RoutingStrategy, SkillLevel, SkillQueueId, SkillQueueName, TagId, TagName, TenantId,
    TenantName, UserId,
};

/// Milliseconds since the Unix epoch, UTC. Storage never reads a clock: callers pass `now`.
pub type Millis = i64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    pub id: TenantId,
    pub name: TenantName,
    pub display_name: String,
    pub created_at: Millis,
}

/// A role as attached to a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleRef {
    pub id: RoleId,
    pub name: RoleName,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub tenant_id: TenantId,
    pub login: LoginName,
    pub real_name: PersonName,
    pub display_name: PersonName,
    pub chat_limit: ChatLimit,
    pub roles: Vec<RoleRef>,
    pub active: bool,
    pub must_change_password: bool,
    pub agent_params: AgentParams,
    pub created_at: Millis,
}

/// A user to create. `password_hash` is an argon2 PHC string; storage never sees a password.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub login: LoginName,
    pub real_name: PersonName,
    pub display_name: PersonName,
    pub chat_limit: ChatLimit,
    pub role_ids: Vec<RoleId>,
    pub password_hash: String,
    pub must_change_password: bool,
    pub agent_params: AgentParams,
}

/// A partial update of a user; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct UserPatch {
    pub real_name: Option<PersonName>,
    pub display_name: Option<PersonName>,
    pub chat_limit: Option<ChatLimit>,
    pub role_ids: Option<Vec<RoleId>>,
    pub active: Option<bool>,
    pub agent_params: Option<AgentParams>,
}

/// A user with the secret needed to check a login.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub id: RoleId,
    pub name: RoleName,
    pub builtin: bool,
    pub permissions: Vec<Permission>,
}

/// A login session. Only the SHA-256 of the bearer token is stored.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: String,
    pub tenant_id: TenantId,
    pub user_id: UserId,
    pub created_at: Millis,
    pub expires_at: Millis,
}

/// Who is behind a valid session: enough to authorise a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub tenant_id: TenantId,
    pub tenant_name: TenantName,
    /// The tenant's time zone, for local times in the request.
    pub zone: switchboard_engine::TenantZone,
    pub user_id: UserId,
    pub must_change_password: bool,
    pub permissions: Vec<Permission>,
}

impl Principal {
    pub fn may(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueAgent {
    pub user_id: UserId,
    pub skill_level: SkillLevel,
}

/// The settings of a skill queue, as created or replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillQueueSpec {
    pub name: SkillQueueName,
    pub channel: Channel,
    pub strategy: RoutingStrategy,
    pub priority: QueuePriority,
    pub max_queue_len: Option<u32>,
    pub max_wait_s: Option<u32>,
    pub overflow_queue: Option<SkillQueueId>,
    pub tags: Vec<TagId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillQueue {
    pub id: SkillQueueId,
    pub spec: SkillQueueSpec,
    pub agents: Vec<QueueAgent>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub id: TagId,
    pub name: TagName,
}

/// A disposition code (处理结果) of a tenant, picked in a wrap-up summary. Codes are never
/// deleted: a retired one is no longer offered but keeps its label for stored contacts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DispositionCode {
    pub code: String,
    pub label: String,
    pub retired: bool,
}
