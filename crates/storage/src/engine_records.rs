//! What storage keeps of the routing engine: contacts, engine events, signed-in agents.

use switchboard_engine::acd::{
    ContactOutcome, ContactStatus, CustomerPriority, Direction, ReasonCode, RestoredPresence,
};
use switchboard_engine::stats::Increment;
use switchboard_engine::{Channel, ContactId, SkillQueueId, UserId};

use crate::Millis;

/// A contact as stored: what it is, and where it stands now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredContact {
    pub id: ContactId,
    pub channel: Channel,
    pub direction: Direction,
    pub queue: SkillQueueId,
    pub priority: CustomerPriority,
    pub customer: Option<String>,
    pub title: Option<String>,
    pub link: Option<String>,
    /// Custom data (e.g. IVR path, collected digits) as a JSON object.
    pub data: String,
    pub state: ContactStatus,
    pub agent: Option<UserId>,
    pub offer_expires_at: Option<Millis>,
    pub created_at: Millis,
    pub enqueued_at: Millis,
    pub closed_at: Option<Millis>,
    pub outcome: Option<ContactOutcome>,
    /// The service summary's problem (all of it, for summaries saved before it had parts).
    pub summary: Option<String>,
    /// The service summary's solution.
    pub solution: Option<String>,
    /// The disposition code (处理结果) picked at wrap-up, one of the tenant's codes.
    pub disposition: Option<String>,
    pub summary_saved: bool,
    /// The customer's satisfaction rating (1-5) and comment.
    pub rating: Option<(u8, Option<String>)>,
}

/// A contact's service summary (V11): the problem, how it was solved, the disposition code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactSummary {
    pub problem: String,
    pub solution: Option<String>,
    pub disposition: Option<String>,
}

/// How a contact stands after a batch of engine events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactUpdate {
    pub id: ContactId,
    pub state: ContactStatus,
    /// `None` keeps the stored queue.
    pub queue: Option<SkillQueueId>,
    /// The agent serving it (connected or in wrap-up); `None` keeps the stored one, so a
    /// closed contact remembers who served it.
    pub agent: Option<UserId>,
    pub offer_expires_at: Option<Millis>,
    pub closed_at: Option<Millis>,
    pub outcome: Option<ContactOutcome>,
    /// `None` keeps the stored flag.
    pub summary_saved: Option<bool>,
    pub updated_at: Millis,
}

/// Every kind of engine event storage knows by name.
pub const EVENT_KINDS: &[&str] = &[
    "agent.signed_in",
    "agent.signed_out",
    "agent.queues",
    "agent.state",
    "contact.created",
    "contact.queued",
    "contact.reserved",
    "contact.offered",
    "contact.offer_timeout",
    "contact.connected",
    "contact.media",
    "contact.wrap_up",
    "contact.overflowed",
    "contact.transferred",
    "contact.closed",
];

/// One engine event, its details already rendered as JSON by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRecord {
    pub at: Millis,
    pub kind: &'static str,
    pub agent: Option<UserId>,
    pub contact: Option<ContactId>,
    pub queue: Option<SkillQueueId>,
    pub detail: String,
}

/// A signed-in agent, to restore after a restart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentSession {
    pub agent: UserId,
    pub queues: Vec<SkillQueueId>,
    pub presence: RestoredPresence,
    pub reason: Option<ReasonCode>,
    pub since: Millis,
}

/// Everything one turn of a tenant's engine produced, written in one transaction.
#[derive(Debug, Clone, Default)]
pub struct EngineBatch {
    pub new_contacts: Vec<StoredContact>,
    pub contact_updates: Vec<ContactUpdate>,
    pub summaries: Vec<(ContactId, ContactSummary)>,
    pub events: Vec<EventRecord>,
    pub sessions: Vec<AgentSession>,
    pub ended_sessions: Vec<UserId>,
    /// What the tally counted from this turn's events (and the buckets it closed).
    pub tallies: Vec<Increment>,
    /// Where agents' time is counted to after this turn, when it moved.
    pub stat_flushed_to: Option<Millis>,
}

impl EngineBatch {
    pub fn is_empty(&self) -> bool {
        self.new_contacts.is_empty()
            && self.contact_updates.is_empty()
            && self.summaries.is_empty()
            && self.events.is_empty()
            && self.sessions.is_empty()
            && self.ended_sessions.is_empty()
            && self.tallies.is_empty()
            && self.stat_flushed_to.is_none()
    }
}

/// Where the name known for a caller's number was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameSource {
    /// A chat customer who gave this phone number.
    ChatCustomer,
    /// A ticket whose phone is this number, by its customer field.
    Ticket,
}

/// What the records say about one caller (the screen pop, V3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallerRecords {
    /// The name last given with this number, and where.
    pub name: Option<(String, NameSource)>,
    /// Their latest contacts on any channel (as this number, or as a chat customer who gave
    /// it), newest first.
    pub recent: Vec<StoredContact>,
}
