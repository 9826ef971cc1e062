//! Switchboard's domain core: validated value types, tenant and agent parameters, permissions.
//!
//! This crate is pure: no IO, no async runtime, no SQL, no serde, no clock. The routing
//! engine lives in [`acd`]. Time, when it
//! matters, is passed in by the caller. Every other crate speaks in these types.

pub mod acd;
pub mod chat;
pub mod ids;
pub mod names;
pub mod params;
pub mod permission;
pub mod queue;
pub mod stats;
pub mod ticket;
pub mod validation;
pub mod zone;

pub use ids::{
    CannedReplyId, ChatEntryId, ContactId, CustomerId, DocumentId, FileId, HotlineNumberId,
    IvrFlowId, MessageId, NumberGroupId, ReminderId, RoleId, SipTrunkId, SkillQueueId, TagId,
    TenantId, TicketCategoryId, TicketId, TicketTemplateId, TicketTypeId, TicketViewId, UserId,
};
pub use names::{LoginName, Password, PersonName, RoleName, SkillQueueName, TagName, TenantName};
pub use params::{
    AgentParams, AgentSignInMode, EffectiveSignInMode, FamiliarWait, NoAnswerLimit, OfferTimeout,
    PostSignInState, RecallLimit, TaskLimit, TenantParams, TenantSignInMode, WrapUpLimit,
};
pub use permission::{BuiltinRole, Permission};
pub use queue::{Channel, ChatLimit, QueuePriority, RoutingStrategy, SkillLevel};
pub use validation::ValidationError;
pub use zone::TenantZone;
