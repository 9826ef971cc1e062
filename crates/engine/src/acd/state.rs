//! The engine's internal records. Agents, queues and contacts live in vectors and refer to
//! each other by index; the public API speaks in ids.

use std::cmp::Reverse;
use std::collections::BTreeSet;

use rustc_hash::FxHashMap as HashMap;

use super::types::{AgentState, CapacityClass, Direction, Millis, Presence, ReasonCode};
use crate::{Channel, ContactId, RoutingStrategy, SkillLevel, SkillQueueId, UserId};

pub(super) type A = u32;
pub(super) type Q = u32;
pub(super) type C = u32;

/// Order of waiting contacts: customer priority (high first), arrival, then creation order.
pub(super) type WaitKey = (Reverse<u32>, Millis, u64, C);
/// Order of available agents in a queue: two strategy-specific keys, then the agent.
pub(super) type AvailKey = (i64, i64, A);

pub(super) struct Agent {
    pub id: UserId,
    pub removed: bool,
    pub chat_limit: u32,
    pub auto_answer: bool,
    pub specified_sign_in: bool,
    /// Queues this agent is bound to, with the skill level in each.
    pub bound: Vec<(Q, SkillLevel)>,
    pub signed_in: Vec<Q>,
    pub presence: Presence,
    pub reason: Option<ReasonCode>,
    pub state: AgentState,
    /// The reason last told with a busy or rest state, so a change of reason alone is told.
    pub state_reason: Option<ReasonCode>,
    pub state_since: Millis,
    /// When the agent last became free of all contacts (longest-idle routing).
    pub idle_since: Millis,
    /// The global sequence number of the agent's last offer (round-robin routing).
    pub last_offer: u64,
    pub no_answers: u32,
    pub contacts: Vec<C>,
    pub load: [u32; 3],
    /// How many of `contacts` are connected, and in wrap-up: the displayed state follows
    /// from these without touching the contact records.
    pub talking: u32,
    pub wrapping: u32,
    /// Where this agent currently stands in queues' available sets.
    pub listed: Vec<(Q, AvailKey)>,
    /// On a colleague's call (consulted, or in their three-way call): talking, and offered
    /// no call meanwhile, though the contact is not theirs.
    pub consulted: bool,
    /// Contacts held for this agent as the customer's familiar agent.
    pub familiar: BTreeSet<WaitKey>,
    /// Bumped whenever an agent-level timer must be invalidated.
    pub gen: u64,
}

impl Agent {
    pub fn new(id: UserId, now: Millis) -> Self {
        Agent {
            id,
            removed: false,
            chat_limit: 0,
            auto_answer: false,
            specified_sign_in: false,
            bound: Vec::new(),
            signed_in: Vec::new(),
            presence: Presence::SignedOut,
            reason: None,
            state: AgentState::SignedOut,
            state_reason: None,
            state_since: now,
            idle_since: now,
            last_offer: 0,
            no_answers: 0,
            contacts: Vec::new(),
            load: [0; 3],
            talking: 0,
            wrapping: 0,
            consulted: false,
            listed: Vec::new(),
            familiar: BTreeSet::new(),
            gen: 0,
        }
    }

    pub fn level_in(&self, q: Q) -> Option<SkillLevel> {
        self.bound.iter().find(|(bq, _)| *bq == q).map(|(_, l)| *l)
    }
}

pub(super) struct Queue {
    pub id: SkillQueueId,
    pub removed: bool,
    pub channel: Channel,
    pub class: CapacityClass,
    pub strategy: RoutingStrategy,
    pub priority: u32,
    pub max_len: Option<u32>,
    pub max_wait: Option<Millis>,
    pub overflow: Option<SkillQueueId>,
    /// Contacts any agent of the queue may take.
    pub waiting: BTreeSet<WaitKey>,
    /// Contacts held for a familiar agent (R5), by arrival; they count as waiting.
    pub reserved: BTreeSet<(Millis, u64, C)>,
    /// Signed-in agents who can take this queue's channel right now, best first.
    pub available: BTreeSet<AvailKey>,
    /// Agents bound to the queue (signed in or not).
    pub bound: Vec<A>,
    /// Signed-in agents.
    pub members: Vec<A>,
    /// Signed-in agents per state, indexed by `AgentState::index`.
    pub state_counts: [u32; 6],
    /// Moving average of how long recent contacts waited before an agent connected (ms).
    pub recent_wait_ms: Option<f64>,
}

impl Queue {
    /// Contacts waiting in this queue, reserved ones included.
    pub fn waiting_count(&self) -> usize {
        self.waiting.len() + self.reserved.len()
    }

    /// When the longest-waiting contact arrived: the oldest head among the priority
    /// levels, or an older reserved contact.
    pub fn oldest_enqueued_at(&self) -> Option<Millis> {
        let mut oldest = self.reserved.first().map(|k| k.0);
        let mut from = self.waiting.first().copied();
        while let Some(head) = from {
            oldest = Some(oldest.map_or(head.1, |o| o.min(head.1)));
            let next_level = (Reverse(head.0 .0.saturating_sub(1)), Millis::MIN, 0, 0);
            from = if head.0 .0 == 0 {
                None
            } else {
                self.waiting.range(next_level..).next().copied()
            };
        }
        oldest
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    Queued,
    Reserved { agent: A, until: Millis },
    Offered { agent: A, until: Millis },
    Connected { agent: A, since: Millis },
    WrapUp { agent: A, since: Millis },
}

impl Phase {
    pub fn agent(self) -> Option<A> {
        match self {
            Phase::Queued => None,
            Phase::Reserved { agent, .. }
            | Phase::Offered { agent, .. }
            | Phase::Connected { agent, .. }
            | Phase::WrapUp { agent, .. } => Some(agent),
        }
    }

    /// Whether an agent's capacity is spent on the contact.
    pub fn holds_agent(self) -> bool {
        matches!(
            self,
            Phase::Offered { .. } | Phase::Connected { .. } | Phase::WrapUp { .. }
        )
    }
}

pub(super) struct Contact {
    pub id: ContactId,
    pub channel: Channel,
    pub class: CapacityClass,
    pub direction: Direction,
    pub queue: Q,
    pub priority: u32,
    pub customer: Option<String>,
    pub created_at: Millis,
    pub enqueued_at: Millis,
    /// Unique per contact for the engine's lifetime: breaks ties and guards timers.
    pub seq: u64,
    pub phase: Phase,
    /// A fresh engine-wide number on every phase change; timers armed before are stale.
    pub gen: u64,
    /// Like `gen`, for the maximum-wait timer (offers do not reset the wait).
    pub wait_gen: u64,
    pub summary_saved: bool,
    /// Agents whose offer of this contact rang out; others are preferred next time.
    pub declined: Vec<A>,
    /// When waiting in this queue must end (max wait), if the queue has a limit.
    pub wait_deadline: Option<Millis>,
    /// On hold since (a call's customer hears music), as the channel reported.
    pub held_since: Option<Millis>,
    /// Time on hold before the current hold, if any.
    pub hold_ms: Millis,
}

impl Contact {
    pub fn wait_key(&self, c: C) -> WaitKey {
        (Reverse(self.priority), self.enqueued_at, self.seq, c)
    }
}

/// Contacts in a slab, found by id.
#[derive(Default)]
pub(super) struct Contacts {
    slots: Vec<Option<Contact>>,
    free: Vec<C>,
    by_id: HashMap<ContactId, C>,
}

impl Contacts {
    pub fn insert(&mut self, contact: Contact) -> C {
        let id = contact.id;
        let c = match self.free.pop() {
            Some(c) => {
                self.slots[c as usize] = Some(contact);
                c
            }
            None => {
                self.slots.push(Some(contact));
                (self.slots.len() - 1) as C
            }
        };
        self.by_id.insert(id, c);
        c
    }

    pub fn remove(&mut self, c: C) -> Option<Contact> {
        let contact = self.slots.get_mut(c as usize)?.take()?;
        self.by_id.remove(&contact.id);
        self.free.push(c);
        Some(contact)
    }

    pub fn find(&self, id: ContactId) -> Option<C> {
        self.by_id.get(&id).copied()
    }

    pub fn get(&self, c: C) -> Option<&Contact> {
        self.slots.get(c as usize)?.as_ref()
    }

    pub fn get_mut(&mut self, c: C) -> Option<&mut Contact> {
        self.slots.get_mut(c as usize)?.as_mut()
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = (C, &Contact)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.as_ref().map(|c| (i as C, c)))
    }
}
