//! Calls and their legs: the customer's (or caller's) leg, and the legs we place towards
//! destinations or agent devices, with what each negotiated for media.

use std::net::SocketAddr;

use switchboard_engine::ids::{SkillQueueId, TenantId, UserId};
use switchboard_sip::sdp::{AudioAnswer, Sdp};
use switchboard_sip::transaction::TxKey;
use switchboard_sip::Request;

use crate::announce::VoicemailTo;
use crate::dialog::Dialog;
use crate::directory::TrunkCredentials;
use crate::media::LegId;

/// Our handle on a call, stable for its whole life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CallRef(pub u64);

/// Who is on a leg.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Party {
    /// The one who called in (through a trunk, or an agent's own phone placing a call).
    Caller,
    /// A SIP destination a number forwards to.
    Destination,
    /// One device of an agent.
    Agent(UserId),
    /// The customer an agent calls out to, through a trunk.
    Customer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegState {
    /// Inbound: their INVITE waits for our final answer.
    Offered,
    /// Outbound: our INVITE is out; `true` once they said it rings.
    Calling {
        ringing: bool,
    },
    Up,
    /// We sent BYE or CANCEL and wait for it to finish.
    Ending,
}

pub struct Leg {
    pub id: LegId,
    pub call: CallRef,
    pub party: Party,
    pub dialog: Dialog,
    pub state: LegState,
    pub port: u16,
    /// Inbound legs: the INVITE and its server transaction, to answer it.
    pub invite: Option<(TxKey, Request)>,
    /// Outbound legs: our INVITE's transaction and CSeq.
    pub outgoing: Option<(TxKey, u32)>,
    /// Outbound legs: the INVITE as first sent, to send again with an answer to a challenge.
    pub sent: Option<Request>,
    /// Legs through a trunk: the account a provider's challenge is answered with, once.
    pub credentials: Option<TrunkCredentials>,
    pub challenged: bool,
    /// Our 200 to their re-INVITE without SDP made an offer: their ACK brings the answer.
    pub answer_in_ack: bool,
    /// The offer they made and what we chose from it (inbound), or their answer (outbound).
    pub offer: Option<Sdp>,
    pub chosen: Option<AudioAnswer>,
    pub sdp_version: u64,
}

impl Leg {
    pub fn remote_media(&self) -> Option<SocketAddr> {
        self.chosen.map(|c| c.remote)
    }
}

/// Where a call stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallState {
    /// Walking an IVR flow.
    Ivr,
    /// Placing the call to a destination or extension; `ringing` holds the legs trying.
    Connecting,
    /// Waiting in a skill queue (the caller's leg answered, hearing the queue).
    Queued(SkillQueueId),
    /// Offered to an agent, whose devices ring.
    Offering {
        queue: SkillQueueId,
        agent: UserId,
    },
    Talking,
    /// An agent's outbound call: their phone rings (or their line is taken), then the
    /// customer's; `caller_leg` is the customer's leg once placed.
    Dialing {
        agent: UserId,
    },
    /// Leaving a message: the greeting plays, then (`since` set) the caller is recorded.
    Voicemail {
        to: VoicemailTo,
        max_ms: u64,
        since: Option<u64>,
    },
    /// Saying goodbye after a message or the survey; the call ends when the prompt does.
    Farewell,
    /// The agent released; the customer is asked to rate the service (`asked` times so far).
    Survey {
        asked: u8,
    },
    /// An agent's standing line (persistent connection): their phone answered once and
    /// stays up; each call they take is bridged onto it (`serving`).
    Line {
        agent: UserId,
        serving: Option<CallRef>,
    },
    Ended,
}

pub struct Call {
    pub id: CallRef,
    pub tenant: TenantId,
    pub caller_leg: LegId,
    /// Legs we placed that are still trying (several devices ring at once).
    pub trying: Vec<LegId>,
    /// The leg that answered.
    pub callee_leg: Option<LegId>,
    pub state: CallState,
    pub caller: String,
    pub dialled: String,
    /// The IVR walk, while the caller is in one and after (its path and variables).
    pub walk: Option<crate::ivr::Walk>,
    /// The callee leg is an agent's standing line: it outlives this call.
    pub on_line: bool,
    /// A place-in-line announcement plays over the music (the queue's settings).
    pub announcing: bool,
    /// Talking, on hold: the caller hears music, the agent silence.
    pub held: bool,
    /// A consulted agent (ringing, consulting, or in a three-way call).
    pub third: Option<crate::third::Third>,
    /// A supervisor listening, whispering or barged in.
    pub monitor: Option<crate::monitor::Monitor>,
    /// The dialled number asks for a satisfaction rating once the agent releases.
    pub survey: bool,
    /// Who released, when the call went on without them (to the survey).
    pub released_by: Option<ReleasedBy>,
    /// An outbound call: whom it calls and through which trunk.
    pub outbound: Option<crate::outbound::Outbound>,
    /// Who the recording's agent side sums besides the agent alone (a three-way call's
    /// agent and third party, a barged-in supervisor); `None`: the agent alone.
    pub recorded_with: Option<Vec<LegId>>,
    /// The caller number legs to the outside present (an outbound call's, a transfer's or
    /// consultation's to an outside number); `None`: the caller's own.
    pub presenting: Option<String>,
}

/// Who ended a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReleasedBy {
    Caller,
    Callee(Party),
    /// The switch: no answer, failure, a missing ACK.
    System,
}

/// What the server hears about calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallEvent {
    Started {
        call: CallRef,
        tenant: TenantId,
        caller: String,
        dialled: String,
        /// The agent whose own phone placed the call (it proved its extension); `None` for a
        /// call through a trunk, whatever number it claims.
        placed_by: Option<UserId>,
    },
    /// The caller waits in this queue; the server makes it a contact of the routing engine.
    Queued {
        call: CallRef,
        tenant: TenantId,
        queue: SkillQueueId,
        caller: String,
        /// The IVR path taken (`主菜单 → 1 售前`), empty without one.
        path: String,
        /// What the caller keyed in, by variable.
        variables: Vec<(String, String)>,
    },
    /// An agent's device answered the offer.
    AgentAnswered {
        call: CallRef,
        agent: UserId,
    },
    /// No device of the offered agent answered (rang out, refused, unreachable).
    OfferFailed {
        call: CallRef,
        agent: UserId,
    },
    Connected {
        call: CallRef,
    },
    /// A queued caller's announcement is due: the server answers with `Switch::announce`,
    /// telling their place in line and the estimated wait.
    AnnouncementDue {
        call: CallRef,
        tenant: TenantId,
        queue: SkillQueueId,
    },
    /// The caller left a message (the call's recording): it becomes a callback task or a
    /// ticket, as `to` says.
    VoicemailLeft {
        call: CallRef,
        tenant: TenantId,
        to: VoicemailTo,
        caller: String,
        duration_ms: u64,
    },
    /// The agent consults another agent: `mode` says whether their phone rings, they
    /// talk (the customer holding), or all three are joined.
    Third {
        call: CallRef,
        party: crate::third::ThirdParty,
        mode: crate::third::ThirdMode,
    },
    /// The customer hung up in a three-way call: their contact ends; the agent and the
    /// third party stay connected until one hangs up.
    CustomerLeft {
        call: CallRef,
    },
    /// The consulted agent left (hung up, dropped, never answered).
    ThirdLeft {
        call: CallRef,
        party: crate::third::ThirdParty,
    },
    /// The customer now talks with `to`, the consulted agent (an attended transfer, or the
    /// first agent hanging up while consulting).
    HandedOver {
        call: CallRef,
        /// The agent who left (gone already when they hung up).
        from: Option<UserId>,
        to: UserId,
    },
    /// The agent's leg was released and the caller waits in `queue` again (a blind
    /// transfer, to the queue or to `to`, who will be offered the call).
    Requeued {
        call: CallRef,
        from: Option<UserId>,
        queue: switchboard_engine::ids::SkillQueueId,
        to: Option<UserId>,
    },
    /// The agent handed the customer to an outside number, an IVR flow or the survey, and
    /// left the call (the contact ends; the call goes on).
    HandedOut {
        call: CallRef,
        from: Option<UserId>,
        to: crate::handout::HandOut,
    },
    /// The agent released and the customer is asked to rate (the engine releases the
    /// contact now; the call ends after the survey).
    SurveyStarted {
        call: CallRef,
        released_by: ReleasedBy,
    },
    /// The survey's outcome: the score, or `None` when the customer gave none.
    Rated {
        call: CallRef,
        score: Option<u8>,
    },
    /// A supervisor joined the call or changed how they monitor it (`None`: they left).
    Monitor {
        call: CallRef,
        supervisor: UserId,
        mode: Option<crate::monitor::MonitorMode>,
    },
    /// An agent's standing line came up (their phone answered) or went down.
    Line {
        tenant: TenantId,
        agent: UserId,
        up: bool,
    },
    Ended {
        call: CallRef,
        tenant: TenantId,
        released_by: ReleasedBy,
        status: u16,
    },
}
