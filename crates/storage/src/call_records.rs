//! Call records (V13): what storage keeps of every call and its legs — times, queue and
//! wait, the agent, who released, whether it was recorded, and each leg's media quality.
//! The server's SIP runtime writes them as calls go; the API reads them.

use switchboard_engine::{ContactId, SkillQueueId, TenantId, UserId};
use uuid::Uuid;

use crate::{Millis, Result};

macro_rules! codes {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            pub fn parse(code: &str) -> Option<$name> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

codes!(
    /// Whether the call came in (through a trunk) or an agent's phone placed it.
    CallDirection { Inbound = "inbound", Outbound = "outbound" }
);
codes!(
    /// Who is on a leg.
    CallParty { Caller = "caller", Agent = "agent", Destination = "destination" }
);
codes!(
    /// How a call was handed to another agent: blind (to a queue or an agent, who is offered
    /// it) or attended (after the agent consulted them).
    HandoffKind { Blind = "blind", Attended = "attended", External = "external", Ivr = "ivr" }
);
codes!(
    /// The satisfaction survey's outcome.
    CallSurvey { Rated = "rated", NotRated = "not_rated" }
);

/// One hand-over of a call: who gave it to whom (V5, V6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallHandoff {
    pub at: Millis,
    pub kind: HandoffKind,
    pub from: Option<UserId>,
    pub to_agent: Option<UserId>,
    pub to_queue: Option<SkillQueueId>,
    /// An outside number (external) or an IVR flow's name (ivr).
    pub to_target: Option<String>,
}

codes!(
    /// Who ended a call: the caller, the agent (phone or web), the destination a number
    /// forwards to, or the system (no answer, failure).
    CallReleasedBy { Caller = "caller", Agent = "agent", Destination = "destination", System = "system" }
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRecord {
    /// The record's id; the recording carries it too.
    pub id: Uuid,
    pub caller: String,
    pub dialled: String,
    pub direction: CallDirection,
    pub started_at: Millis,
    pub answered_at: Option<Millis>,
    pub ended_at: Option<Millis>,
    pub queue: Option<SkillQueueId>,
    /// When the call entered its queue.
    pub queued_at: Option<Millis>,
    /// How long it waited there, until answered or given up.
    pub wait_ms: Option<i64>,
    /// The agent who answered.
    pub agent: Option<UserId>,
    pub released_by: Option<CallReleasedBy>,
    /// The SIP status the call ended with (200 for a normal hang-up).
    pub end_status: Option<u16>,
    /// The routing engine's contact, when the call was queued.
    pub contact: Option<ContactId>,
    pub recording: bool,
    pub recording_ms: Option<i64>,
    /// The IVR path the call took (`营业时间 → 主菜单 → 1 售前`), empty without one.
    pub ivr_path: String,
    /// What the caller keyed in the IVR, by variable name (names unique).
    pub variables: Vec<(String, String)>,
    /// The survey after the agent released: `None` when the number has none.
    pub survey: Option<CallSurvey>,
    /// The score (1-5) when rated.
    pub survey_score: Option<u8>,
    /// Who handed the call to whom, in order (filled in by `call_record`, not by lists).
    pub handoffs: Vec<CallHandoff>,
}

/// What was received on a leg, once its media closed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LegQuality {
    pub packets: i64,
    /// Expected minus received (negative with duplicates).
    pub lost: i64,
    /// Interarrival jitter (RFC 3550), in milliseconds.
    pub jitter_ms: f64,
    /// Estimated MOS × 100 (E-model from loss and delay); `None` when nothing was received.
    pub mos_x100: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CallLeg {
    pub id: Uuid,
    pub call: Uuid,
    pub party: CallParty,
    pub agent: Option<UserId>,
    /// `PCMU` or `PCMA`.
    pub codec: String,
    /// When the leg began: the caller's INVITE arrived, or ours went out.
    pub ring_at: Millis,
    pub answered_at: Option<Millis>,
    pub ended_at: Option<Millis>,
    pub quality: Option<LegQuality>,
}

/// A page of call records, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallQuery {
    /// A part of the caller's or the dialled number.
    pub number: Option<String>,
    /// Started at or after.
    pub from: Option<Millis>,
    /// Started before.
    pub to: Option<Millis>,
    pub agent: Option<UserId>,
    pub queue: Option<SkillQueueId>,
    /// Records older than this one (the previous page's last).
    pub before: Option<Uuid>,
    pub limit: u32,
}

#[async_trait::async_trait]
pub trait CallRecordStore: Send + Sync {
    /// Creates or replaces (by id) a call record.
    async fn save_call_record(&self, tenant: TenantId, record: &CallRecord) -> Result<()>;
    /// Creates or replaces (by id) a leg; `NotFound` unless its call is this tenant's.
    async fn save_call_leg(&self, tenant: TenantId, leg: &CallLeg) -> Result<()>;
    /// Saves calls and then legs, as the two calls above would, in one transaction: all or
    /// nothing (the SIP runtime's writer stores what piled up at once).
    async fn save_call_rows(
        &self,
        records: &[(TenantId, CallRecord)],
        legs: &[(TenantId, CallLeg)],
    ) -> Result<()>;
    async fn call_record(&self, tenant: TenantId, id: Uuid) -> Result<Option<CallRecord>>;
    /// Makes a call nobody answered (a voicemail) the agent's, who took its callback task,
    /// so they may hear it. A record's agent, once set, stays: saving it again without one
    /// keeps it.
    async fn assign_call_agent(&self, tenant: TenantId, id: Uuid, agent: UserId) -> Result<()>;
    /// A call's legs in the order they began.
    async fn call_legs(&self, tenant: TenantId, call: Uuid) -> Result<Vec<CallLeg>>;
    async fn call_records(&self, tenant: TenantId, query: &CallQuery) -> Result<Vec<CallRecord>>;
    /// The calls of these contacts (a ticket's linked contacts), newest first, at most
    /// `limit`, with their variables (hand-overs are read with one call).
    async fn call_records_of_contacts(
        &self,
        tenant: TenantId,
        contacts: &[ContactId],
        limit: u32,
    ) -> Result<Vec<CallRecord>>;
}
