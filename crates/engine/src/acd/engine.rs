//! The engine: one per tenant, driven by one writer. Commands and the current time go in;
//! events and the next timer deadline come out. Nothing here blocks, sleeps or reads a
//! clock, so tests drive it through simulated time deterministically.

use std::collections::{BTreeSet, HashMap, VecDeque};

use super::command::Command;
use super::error::EngineError;
use super::event::Event;
use super::state::{Agent, Contacts, Queue, A, C, Q};
use super::timers::{Timer, Timers};
use super::types::Millis;
use crate::{ContactId, SkillQueueId, TenantParams, UserId};

pub struct Engine {
    pub(super) params: TenantParams,
    pub(super) agents: Vec<Agent>,
    pub(super) agent_ix: HashMap<UserId, A>,
    pub(super) queues: Vec<Queue>,
    pub(super) queue_ix: HashMap<SkillQueueId, Q>,
    pub(super) contacts: Contacts,
    pub(super) timers: Timers,
    pub(super) events: VecDeque<Event>,
    pub(super) now: Millis,
    /// Source of contact sequence numbers and round-robin order.
    pub(super) seq: u64,
    pub(super) changed_queues: BTreeSet<Q>,
    pub(super) decisions: u64,
}

impl Engine {
    pub fn new(params: TenantParams, now: Millis) -> Self {
        Engine {
            params,
            agents: Vec::new(),
            agent_ix: HashMap::new(),
            queues: Vec::new(),
            queue_ix: HashMap::new(),
            contacts: Contacts::default(),
            timers: Timers::default(),
            events: VecDeque::new(),
            now,
            seq: 0,
            changed_queues: BTreeSet::new(),
            decisions: 0,
        }
    }

    /// Applies one command at time `now` (earlier times count as the last time seen). On
    /// error nothing changed.
    pub fn handle(&mut self, now: Millis, command: Command) -> Result<(), EngineError> {
        self.now = self.now.max(now);
        self.fire_due_timers();
        match command {
            Command::Configure(params) => self.configure(params),
            Command::UpsertQueue(config) => self.upsert_queue(config),
            Command::RemoveQueue(id) => self.remove_queue(id),
            Command::UpsertAgent(config) => self.upsert_agent(config),
            Command::RemoveAgent(id) => self.remove_agent(id),
            Command::SignIn { agent, queues } => self.sign_in(agent, queues),
            Command::SignOut { agent } => self.sign_out(self.agent(agent)?),
            Command::SetPresence {
                agent,
                presence,
                reason,
            } => self.set_presence(agent, presence, reason),
            Command::ForcePresence {
                agent,
                presence: Some(p),
                reason,
            } => self.set_presence(agent, p, reason),
            Command::ForcePresence {
                agent,
                presence: None,
                ..
            } => self.sign_out(self.agent(agent)?),
            Command::ResetQueues { agent, queues } => self.reset_queues(agent, queues),
            Command::ContinueWorking { agent, contact } => self.continue_working(agent, contact),
            Command::CreateContact(new) => self.create_contact(new),
            Command::Answer { agent, contact } => self.answer(agent, contact),
            Command::Release { contact, agent, by } => self.release(contact, agent, by),
            Command::SummarySaved { contact } => self.summary_saved(contact),
            Command::Media { contact, event } => self.media(contact, event),
            Command::RestoreAgent {
                agent,
                queues,
                state,
                reason,
                since,
            } => self.restore_agent(agent, queues, state, reason, since),
            Command::RestoreContact {
                contact,
                created_at,
                enqueued_at,
                phase,
            } => self.restore_contact(contact, created_at, enqueued_at, phase),
        }
    }

    /// Fires every timer due at `now`.
    pub fn handle_timeout(&mut self, now: Millis) {
        self.now = self.now.max(now);
        self.fire_due_timers();
    }

    /// The next event to deliver, oldest first.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// When `handle_timeout` should be called next.
    pub fn next_timeout(&self) -> Option<Millis> {
        self.timers.next_due()
    }

    /// Queues whose live counts changed since the last call.
    pub fn take_changed_queues(&mut self) -> Vec<SkillQueueId> {
        let changed = std::mem::take(&mut self.changed_queues);
        changed
            .into_iter()
            .map(|q| self.queues[q as usize].id)
            .collect()
    }

    /// How many routing decisions (offers) the engine has made.
    pub fn decisions(&self) -> u64 {
        self.decisions
    }

    /// Live contacts (waiting or with an agent).
    pub fn contact_count(&self) -> usize {
        self.contacts.len()
    }

    /// Timer entries not yet fired (some may be stale).
    pub fn pending_timers(&self) -> usize {
        self.timers.len()
    }

    pub fn params(&self) -> &TenantParams {
        &self.params
    }

    pub(super) fn emit(&mut self, event: Event) {
        self.events.push_back(event);
    }

    pub(super) fn agent(&self, id: UserId) -> Result<A, EngineError> {
        match self.agent_ix.get(&id) {
            Some(&a) if !self.agents[a as usize].removed => Ok(a),
            _ => Err(EngineError::UnknownAgent(id)),
        }
    }

    pub(super) fn queue(&self, id: SkillQueueId) -> Result<Q, EngineError> {
        match self.queue_ix.get(&id) {
            Some(&q) if !self.queues[q as usize].removed => Ok(q),
            _ => Err(EngineError::UnknownQueue(id)),
        }
    }

    pub(super) fn contact(&self, id: ContactId) -> Result<C, EngineError> {
        self.contacts
            .find(id)
            .ok_or(EngineError::UnknownContact(id))
    }

    pub(super) fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    fn fire_due_timers(&mut self) {
        while let Some(timer) = self.timers.pop_due(self.now) {
            match timer {
                Timer::Offer { c, seq, gen } if self.is_current(c, seq, gen) => {
                    self.offer_timed_out(c)
                }
                Timer::MaxWait { c, seq } if self.contacts.get(c).is_some_and(|k| k.seq == seq) => {
                    self.max_wait_reached(c)
                }
                Timer::Familiar { c, seq, gen } if self.is_current(c, seq, gen) => {
                    self.reservation_lapsed(c)
                }
                Timer::WrapUp { c, seq, gen } if self.is_current(c, seq, gen) => {
                    self.wrap_up_limit_reached(c)
                }
                Timer::AgentWrapUp { a, gen } if self.agents[a as usize].gen == gen => {
                    self.agent_wrap_up_limit_reached(a)
                }
                _ => {}
            }
        }
    }

    fn is_current(&self, c: C, seq: u64, gen: u64) -> bool {
        self.contacts
            .get(c)
            .is_some_and(|k| k.seq == seq && k.gen == gen)
    }
}
