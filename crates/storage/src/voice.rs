//! What storage keeps for voice: agents' SIP extensions (with digest HA1s, never the
//! password), trunks and hotline numbers, IVR flows, and voice queues' announcement and
//! voicemail settings. The server turns them into the switch's directory.

use std::net::IpAddr;

use switchboard_engine::{HotlineNumberId, IvrFlowId, SipTrunkId, SkillQueueId, TenantId, UserId};

use crate::{Millis, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SipExtension {
    pub agent: UserId,
    pub number: String,
    pub ha1_md5: String,
    pub ha1_sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SipTrunk {
    pub id: SipTrunkId,
    pub name: String,
    pub peers: Vec<IpAddr>,
    pub enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberRoute {
    Queue(SkillQueueId),
    /// A SIP URI, checked at the edge.
    Direct(String),
    Extension(String),
    Flow(IvrFlowId),
}

/// An IVR flow: its definition is JSON the server checked (storage keeps it as text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IvrFlow {
    pub id: IvrFlowId,
    pub name: String,
    pub definition: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HotlineNumber {
    pub id: HotlineNumberId,
    pub number: String,
    pub inbound: bool,
    pub survey: bool,
    pub route: NumberRoute,
}

/// A voice queue's settings beyond routing: the place-in-line announcement and voicemail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueVoice {
    pub queue: SkillQueueId,
    /// Every this many seconds; `None`: no announcement.
    pub announce_every_s: Option<u32>,
    /// Language codes (`zh`, `en`) the announcement is spoken in, in order; checked at the edge.
    pub languages: Vec<String>,
    /// The task queue a message left after the wait ran out goes to; `None`: no voicemail.
    pub voicemail_queue: Option<SkillQueueId>,
    pub voicemail_max_s: u32,
}

/// Voice configuration.
#[async_trait::async_trait]
pub trait VoiceStore: Send + Sync {
    async fn sip_extensions(&self, tenant: TenantId) -> Result<Vec<SipExtension>>;
    /// Gives the agent this extension (replacing theirs); `Conflict` when another agent of
    /// the tenant has the number.
    async fn set_sip_extension(
        &self,
        tenant: TenantId,
        ext: &SipExtension,
        now: Millis,
    ) -> Result<()>;
    async fn delete_sip_extension(&self, tenant: TenantId, agent: UserId) -> Result<()>;

    async fn sip_trunks(&self, tenant: TenantId) -> Result<Vec<SipTrunk>>;
    /// Creates or replaces (by id) a trunk; `Conflict` on a name already taken.
    async fn save_sip_trunk(&self, tenant: TenantId, trunk: &SipTrunk, now: Millis) -> Result<()>;
    async fn delete_sip_trunk(&self, tenant: TenantId, id: SipTrunkId) -> Result<()>;

    async fn hotline_numbers(&self, tenant: TenantId) -> Result<Vec<HotlineNumber>>;
    /// Creates or replaces (by id) a number; `Conflict` on a number already taken.
    async fn save_hotline_number(
        &self,
        tenant: TenantId,
        n: &HotlineNumber,
        now: Millis,
    ) -> Result<()>;
    async fn delete_hotline_number(&self, tenant: TenantId, id: HotlineNumberId) -> Result<()>;

    async fn ivr_flows(&self, tenant: TenantId) -> Result<Vec<IvrFlow>>;
    /// Creates or replaces (by id) a flow; `Conflict` on a name already taken.
    async fn save_ivr_flow(&self, tenant: TenantId, flow: &IvrFlow, now: Millis) -> Result<()>;
    /// Refused (`Reference`) while a hotline number routes to it.
    async fn delete_ivr_flow(&self, tenant: TenantId, id: IvrFlowId) -> Result<()>;

    /// Every voice queue's settings that were set.
    async fn queue_voice(&self, tenant: TenantId) -> Result<Vec<QueueVoice>>;

    /// Sets a queue's voice settings; `NotFound` when either queue is not the tenant's.
    async fn save_queue_voice(&self, tenant: TenantId, q: &QueueVoice, now: Millis) -> Result<()>;
}
