//! Inputs to the engine. Each is applied atomically: it either takes full effect or is
//! refused with an [`EngineError`](super::EngineError) and changes nothing.

use super::types::{
    CustomerPriority, Direction, MediaEvent, Millis, ReasonCode, ReleasedBy, RequestedPresence,
};
use crate::{
    AgentParams, Channel, ChatLimit, ContactId, QueuePriority, RoutingStrategy, SkillLevel,
    SkillQueueId, TenantParams, UserId,
};

/// A skill queue as the engine needs it, with the agents bound to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueConfig {
    pub id: SkillQueueId,
    pub channel: Channel,
    pub strategy: RoutingStrategy,
    pub priority: QueuePriority,
    pub max_queue_len: Option<u32>,
    pub max_wait_s: Option<u32>,
    pub overflow: Option<SkillQueueId>,
    pub agents: Vec<(UserId, SkillLevel)>,
}

/// An agent's own settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgentConfig {
    pub id: UserId,
    pub chat_limit: ChatLimit,
    pub params: AgentParams,
}

/// A contact entering routing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContact {
    pub id: ContactId,
    pub channel: Channel,
    pub direction: Direction,
    pub queue: SkillQueueId,
    pub priority: CustomerPriority,
    /// Who the customer is, if known (for familiar-agent routing and history).
    pub customer: Option<String>,
    /// The agent who last served this customer (R5); preferred for the tenant's
    /// familiar-agent wait.
    pub familiar_agent: Option<UserId>,
}

/// Where a transferred contact goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferTarget {
    Queue(SkillQueueId),
    Agent(UserId),
}

/// Where a contact stood when the server last persisted it (recovery after a restart).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestoredPhase {
    /// Waiting (also for contacts that were ringing: they go back to the head of the queue).
    Queued,
    Connected {
        agent: UserId,
        since: Millis,
    },
    WrapUp {
        agent: UserId,
        since: Millis,
        summary_saved: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Replace the tenant parameters.
    Configure(TenantParams),
    /// Add or replace a skill queue and its bound agents.
    UpsertQueue(QueueConfig),
    /// Remove a skill queue; its waiting contacts end as cancelled.
    RemoveQueue(SkillQueueId),
    /// Add or update an agent.
    UpsertAgent(AgentConfig),
    /// Remove (deactivate) an agent, signing them out.
    RemoveAgent(UserId),

    /// Sign in (S1); `queues` is required in specified mode and refused in automatic mode.
    SignIn {
        agent: UserId,
        queues: Option<Vec<SkillQueueId>>,
    },
    SignOut {
        agent: UserId,
    },
    /// Idle, busy or rest, with an optional reason code (S3).
    SetPresence {
        agent: UserId,
        presence: RequestedPresence,
        reason: Option<ReasonCode>,
    },
    /// A supervisor forces an agent's state (P3); `None` signs the agent out.
    ForcePresence {
        agent: UserId,
        presence: Option<RequestedPresence>,
        reason: Option<ReasonCode>,
    },
    /// Re-choose the signed-in queues among the bound ones (S4).
    ResetQueues {
        agent: UserId,
        queues: Vec<SkillQueueId>,
    },
    /// End wrap-up ("continue working"): of one contact, or of everything in wrap-up.
    ContinueWorking {
        agent: UserId,
        contact: Option<ContactId>,
    },

    CreateContact(NewContact),
    Answer {
        agent: UserId,
        contact: ContactId,
    },
    /// End a connected contact; `agent` is the releasing agent, `None` when the customer or
    /// the system released it. A waiting or ringing contact released by the customer is
    /// abandoned.
    Release {
        contact: ContactId,
        agent: Option<UserId>,
        by: ReleasedBy,
    },
    /// The contact's service summary was saved (needed before "continue working" when the
    /// tenant requires it).
    SummarySaved {
        contact: ContactId,
    },
    /// Hold, consult, conference, monitoring: reported by the channel; `by` is who did it
    /// when not the connected agent (a supervisor monitoring).
    Media {
        contact: ContactId,
        event: MediaEvent,
        by: Option<UserId>,
    },
    /// The agent joined (`on`) or left a colleague's call: consulted, or in a three-way
    /// call. Meanwhile they are talking and offered no call.
    Consulted {
        agent: UserId,
        on: bool,
    },
    /// The agent calls a customer (V9): the contact, in one of the agent's queues (the one
    /// whose number group gave the caller number), is connected to them at once.
    Dial {
        contact: NewContact,
        agent: UserId,
    },
    /// The connected agent hands the contact on (M4, V5): to a queue of the same channel,
    /// where it keeps its place by arrival, or straight to an agent who can take it now.
    Transfer {
        contact: ContactId,
        agent: UserId,
        to: TransferTarget,
    },

    /// Recovery: an agent who was signed in.
    RestoreAgent {
        agent: UserId,
        queues: Vec<SkillQueueId>,
        state: RestoredPresence,
        reason: Option<ReasonCode>,
        since: Millis,
    },
    /// Recovery: a contact that had not ended. `enqueued_at` keeps its place in the queue.
    RestoreContact {
        contact: NewContact,
        created_at: Millis,
        enqueued_at: Millis,
        phase: RestoredPhase,
    },
}

crate::queue::code_enum!(
    /// The presence a restored agent resumes with (what storage keeps of a signed-in agent).
    RestoredPresence, "presence" {
        Available => "available",
        Busy => "busy",
        Rest => "rest",
        WrapUp => "wrap_up",
    }
);

impl From<RequestedPresence> for RestoredPresence {
    fn from(p: RequestedPresence) -> Self {
        match p {
            RequestedPresence::Idle => RestoredPresence::Available,
            RequestedPresence::Busy => RestoredPresence::Busy,
            RequestedPresence::Rest => RestoredPresence::Rest,
        }
    }
}
