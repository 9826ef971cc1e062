//! Why the engine refused a command. A refused command changed nothing.

use crate::{ContactId, SkillQueueId, UserId};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    #[error("unknown agent {0}")]
    UnknownAgent(UserId),
    #[error("unknown skill queue {0}")]
    UnknownQueue(SkillQueueId),
    #[error("unknown contact {0}")]
    UnknownContact(ContactId),
    #[error("contact {0} exists already")]
    DuplicateContact(ContactId),
    #[error("the agent is not signed in")]
    NotSignedIn,
    #[error("the agent is signed in already")]
    AlreadySignedIn,
    #[error("the agent is not bound to skill queue {0}")]
    NotBound(SkillQueueId),
    #[error("the agent is bound to no skill queue")]
    NoBoundQueues,
    #[error("choose at least one skill queue")]
    NoQueuesChosen,
    #[error("the sign-in mode is automatic: all bound queues are signed in; do not choose queues")]
    QueuesNotChoosable,
    #[error("the sign-in mode is specified: choose the skill queues to sign in to")]
    QueuesRequired,
    #[error("the agent still has contacts in progress; release them and finish wrap-up first")]
    ContactsInProgress,
    #[error("the contact's channel ({contact}) differs from the queue's ({queue})")]
    ChannelMismatch {
        contact: &'static str,
        queue: &'static str,
    },
    #[error("skill queue {0} is full")]
    QueueFull(SkillQueueId),
    #[error("the contact is not offered to this agent")]
    NotOffered,
    #[error("the contact is not connected to this agent")]
    NotConnected,
    #[error("nothing is in wrap-up")]
    NotInWrapUp,
    #[error("save the service summary before continuing to work")]
    SummaryRequired,
    #[error("inbound offers cannot be rejected: answer, or let the offer ring out")]
    CannotReject,
    #[error("the contact has ended")]
    ContactEnded,
    #[error("the agent cannot take this contact now (signed out, not ready, or no free capacity on its channel)")]
    TargetUnavailable,
    #[error("a contact cannot be transferred to the agent who holds it")]
    TransferToSelf,
    #[error("agents at rest place no calls: go idle or busy first")]
    Resting,
    #[error("the agent is on a call already")]
    OnACall,
    #[error("only voice contacts with direction outbound are dialled")]
    NotOutbound,
}
