//! Outputs of the engine: every state change of an agent or a contact, with its time.

use super::types::{
    AgentState, ContactOutcome, CustomerPriority, Direction, MediaEvent, Millis, ReasonCode,
    ReleasedBy,
};
use crate::{Channel, ContactId, SkillQueueId, UserId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    AgentSignedIn {
        agent: UserId,
        queues: Vec<SkillQueueId>,
        at: Millis,
    },
    AgentSignedOut {
        agent: UserId,
        at: Millis,
    },
    AgentQueuesReset {
        agent: UserId,
        queues: Vec<SkillQueueId>,
        at: Millis,
    },
    AgentStateChanged {
        agent: UserId,
        state: AgentState,
        reason: Option<ReasonCode>,
        at: Millis,
    },
    ContactCreated {
        contact: ContactId,
        channel: Channel,
        direction: Direction,
        queue: SkillQueueId,
        priority: CustomerPriority,
        customer: Option<String>,
        at: Millis,
    },
    /// Waiting in `queue` (first arrival, or back after an unanswered offer).
    ContactQueued {
        contact: ContactId,
        queue: SkillQueueId,
        at: Millis,
    },
    /// Held for the customer's familiar agent until `until` (R5).
    ContactReserved {
        contact: ContactId,
        agent: UserId,
        until: Millis,
        at: Millis,
    },
    ContactOffered {
        contact: ContactId,
        agent: UserId,
        expires_at: Millis,
        at: Millis,
    },
    ContactOfferTimedOut {
        contact: ContactId,
        agent: UserId,
        no_answers: u32,
        at: Millis,
    },
    ContactConnected {
        contact: ContactId,
        agent: UserId,
        auto_answered: bool,
        at: Millis,
    },
    ContactMedia {
        contact: ContactId,
        /// The connected agent.
        agent: UserId,
        event: MediaEvent,
        /// Who did it when not the agent (a supervisor monitoring).
        by: Option<UserId>,
        at: Millis,
    },
    ContactWrapUp {
        contact: ContactId,
        agent: UserId,
        released_by: ReleasedBy,
        at: Millis,
    },
    ContactOverflowed {
        contact: ContactId,
        from: SkillQueueId,
        to: SkillQueueId,
        at: Millis,
    },
    /// Handed on by `from`; `queue` is where it now belongs, `to_agent` set when handed to an agent.
    ContactTransferred {
        contact: ContactId,
        from: UserId,
        queue: SkillQueueId,
        to_agent: Option<UserId>,
        at: Millis,
    },
    ContactClosed {
        contact: ContactId,
        outcome: ContactOutcome,
        agent: Option<UserId>,
        at: Millis,
    },
}

impl Event {
    pub fn at(&self) -> Millis {
        match self {
            Event::AgentSignedIn { at, .. }
            | Event::AgentSignedOut { at, .. }
            | Event::AgentQueuesReset { at, .. }
            | Event::AgentStateChanged { at, .. }
            | Event::ContactCreated { at, .. }
            | Event::ContactQueued { at, .. }
            | Event::ContactReserved { at, .. }
            | Event::ContactOffered { at, .. }
            | Event::ContactOfferTimedOut { at, .. }
            | Event::ContactConnected { at, .. }
            | Event::ContactMedia { at, .. }
            | Event::ContactWrapUp { at, .. }
            | Event::ContactOverflowed { at, .. }
            | Event::ContactTransferred { at, .. }
            | Event::ContactClosed { at, .. } => *at,
        }
    }
}
