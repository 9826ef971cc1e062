//! What storage keeps for outbound calling (issue #15): number groups (which hotline numbers
//! a skill queue's agents may present as caller ID), the tenant's destination rules and daily
//! limit, and the questions the dial path asks of them (an agent's caller numbers, how many
//! calls they placed since a time).

use switchboard_engine::{
    HotlineNumberId, NumberGroupId, SipTrunkId, SkillQueueId, TenantId, UserId,
};

use crate::{Millis, Result};

/// Where a trunk's outbound INVITEs go: the provider's proxy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundProxy {
    /// An IP address or a domain name, checked at the edge.
    pub host: String,
    pub port: u16,
}

/// A number group (V10): its numbers may be presented by the agents of its queues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberGroup {
    pub id: NumberGroupId,
    pub name: String,
    /// Each once; read back in the numbers' order.
    pub numbers: Vec<HotlineNumberId>,
    /// Skill queues whose agents may present the numbers, each once; read back by name.
    pub queues: Vec<SkillQueueId>,
    /// One of `numbers`, offered first; `None`: no default.
    pub default_number: Option<HotlineNumberId>,
}

/// One destination rule as stored (the voice crate's `DestinationRule`, which storage does
/// not know).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundRule {
    pub prefix: String,
    pub min_digits: u8,
    pub max_digits: u8,
    pub allow: bool,
    pub label: String,
}

/// The tenant's saved outbound policy: rules in order and the daily limit per agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredOutboundPolicy {
    pub rules: Vec<OutboundRule>,
    pub daily_limit: Option<u32>,
}

/// A number an agent may present on an outbound call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallerNumber {
    pub number_id: HotlineNumberId,
    pub number: String,
    /// The trunk its calls go through.
    pub trunk: SipTrunkId,
    /// The (first by name) group that gives it to the agent.
    pub group: String,
    /// Whether it is the default of some group giving it to the agent.
    pub default: bool,
}

/// Outbound configuration.
#[async_trait::async_trait]
pub trait OutboundStore: Send + Sync {
    /// The tenant's number groups, by name.
    async fn number_groups(&self, tenant: TenantId) -> Result<Vec<NumberGroup>>;
    /// Creates or replaces (by id) a group with its numbers and queues, all at once;
    /// `Conflict` on a name taken, `NotFound` when the group, a number or a queue is not the
    /// tenant's, `Reference` when the default is not among the numbers.
    async fn save_number_group(
        &self,
        tenant: TenantId,
        group: &NumberGroup,
        now: Millis,
    ) -> Result<()>;
    async fn delete_number_group(&self, tenant: TenantId, id: NumberGroupId) -> Result<()>;

    /// The saved policy; `None` when the tenant never saved one.
    async fn outbound_policy(&self, tenant: TenantId) -> Result<Option<StoredOutboundPolicy>>;
    /// Replaces the rules (kept in this order) and the limit in one transaction.
    async fn set_outbound_policy(
        &self,
        tenant: TenantId,
        rules: &[OutboundRule],
        daily_limit: Option<u32>,
    ) -> Result<()>;

    /// The numbers with outbound on and a trunk, in groups bound to skill queues the agent
    /// is bound to: each once, defaults first, then by number.
    async fn caller_numbers(&self, tenant: TenantId, agent: UserId) -> Result<Vec<CallerNumber>>;
    /// How many outbound calls the agent placed (call records naming them) since `since`.
    async fn outbound_calls_since(
        &self,
        tenant: TenantId,
        agent: UserId,
        since: Millis,
    ) -> Result<u64>;
}
