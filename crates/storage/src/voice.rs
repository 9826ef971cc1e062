//! What storage keeps for voice: agents' SIP extensions (with digest HA1s, never the
//! password), trunks and hotline numbers, IVR flows, the prompts admins upload, and voice
//! queues' announcement and voicemail settings. The server turns them into the switch's
//! directory.

use std::net::IpAddr;

use switchboard_engine::{
    HotlineNumberId, IvrFlowId, SipTrunkId, SkillQueueId, TenantId, TicketTypeId, UserId,
};

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
    /// Registration with the provider, for trunks that need it.
    pub registration: Option<TrunkRegistration>,
    /// Where outbound calls go; `None`: the registrar, when the trunk registers.
    pub outbound: Option<crate::OutboundProxy>,
}

/// How a trunk registers with its provider: the account and where.
#[derive(Clone, PartialEq, Eq)]
pub struct TrunkRegistration {
    /// The provider's domain or address, checked at the edge.
    pub domain: String,
    pub port: u16,
    pub username: String,
    /// Kept as given: answering a Digest challenge needs it.
    pub password: String,
    pub expires_s: u32,
}

// The password never appears in logs or debug output.
impl std::fmt::Debug for TrunkRegistration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrunkRegistration")
            .field("domain", &self.domain)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("expires_s", &self.expires_s)
            .finish_non_exhaustive()
    }
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

/// A prompt an admin uploaded: its audio is a file the server keeps; this row names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoicePrompt {
    pub id: uuid::Uuid,
    pub name: String,
    pub duration_ms: i64,
    pub created_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HotlineNumber {
    pub id: HotlineNumberId,
    pub number: String,
    pub inbound: bool,
    pub survey: bool,
    pub route: NumberRoute,
    /// Whether agents may present it as caller ID on outbound calls.
    pub outbound: bool,
    /// The trunk those calls go through (cleared when the trunk is deleted).
    pub outbound_trunk: Option<SipTrunkId>,
}

/// A voice queue's settings beyond routing: the place-in-line announcement and voicemail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueVoice {
    pub queue: SkillQueueId,
    /// Every this many seconds; `None`: no announcement.
    pub announce_every_s: Option<u32>,
    /// Language codes (`zh`, `en`) the announcement is spoken in, in order; checked at the edge.
    pub languages: Vec<String>,
    /// Where a message left after the wait ran out goes; `None`: no voicemail.
    pub voicemail: Option<VoicemailTo>,
    pub voicemail_max_s: u32,
}

/// Where a voice queue's voicemail goes: one place, never two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoicemailTo {
    /// A callback task in this task queue.
    Task(SkillQueueId),
    /// A ticket of this type.
    Ticket(TicketTypeId),
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
    /// Creates or replaces (by id) a number; `Conflict` on a number already taken,
    /// `NotFound` when its outbound trunk is not the tenant's.
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

    async fn voice_prompts(&self, tenant: TenantId) -> Result<Vec<VoicePrompt>>;
    /// Creates or renames (by id) a prompt; `Conflict` on a name already taken.
    async fn save_voice_prompt(&self, tenant: TenantId, prompt: &VoicePrompt) -> Result<()>;
    async fn delete_voice_prompt(&self, tenant: TenantId, id: uuid::Uuid) -> Result<()>;
    /// Every voice queue's settings that were set.
    async fn queue_voice(&self, tenant: TenantId) -> Result<Vec<QueueVoice>>;

    /// Sets a queue's voice settings; `NotFound` when the queue, or the task queue or ticket
    /// type voicemail goes to, is not the tenant's.
    async fn save_queue_voice(&self, tenant: TenantId, q: &QueueVoice, now: Millis) -> Result<()>;
}
