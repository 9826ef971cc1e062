//! The engine: one per tenant, driven by one writer. Commands and the current time go in;
//! events and the next timer deadline come out. Nothing here blocks, sleeps or reads a
//! clock, so tests drive it through simulated time deterministically.

use std::collections::VecDeque;

use rustc_hash::FxHashMap as HashMap;

use super::command::Command;
use super::error::EngineError;
use super::event::Event;
use super::state::{Agent, Contacts, Queue, A, C, Q};
use super::timers::{Timer, TimerKind, Timers};
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
    /// Queues whose live counts changed since the last `take_changed_queues`.
    pub(super) changed: Vec<Q>,
    pub(super) changed_flag: Vec<bool>,
    pub(super) decisions: u64,
}

impl Engine {
    pub fn new(params: TenantParams, now: Millis) -> Self {
        Engine {
            params,
            agents: Vec::new(),
            agent_ix: HashMap::default(),
            queues: Vec::new(),
            queue_ix: HashMap::default(),
            contacts: Contacts::default(),
            timers: Timers::default(),
            events: VecDeque::new(),
            now,
            seq: 0,
            changed: Vec::new(),
            changed_flag: Vec::new(),
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
            Command::Media { contact, event, by } => self.media(contact, event, by),
            Command::Transfer { contact, agent, to } => self.transfer(contact, agent, to),
            Command::Dial { contact, agent } => self.dial(contact, agent),
            Command::Consulted { agent, on } => self.consulted(agent, on),
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
        let changed = std::mem::take(&mut self.changed);
        for q in &changed {
            self.changed_flag[*q as usize] = false;
        }
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

    /// Marks a queue's live counts as changed.
    pub(super) fn touch(&mut self, q: Q) {
        let i = q as usize;
        if self.changed_flag.len() <= i {
            self.changed_flag
                .resize(self.queues.len().max(i + 1), false);
        }
        if !self.changed_flag[i] {
            self.changed_flag[i] = true;
            self.changed.push(q);
        }
    }

    pub(super) fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    fn fire_due_timers(&mut self) {
        while let Some(Timer { kind, slot, stamp }) = self.timers.pop_due(self.now) {
            let current = |k: &super::state::Contact| k.gen == stamp;
            match kind {
                TimerKind::Offer if self.contacts.get(slot).is_some_and(current) => {
                    self.offer_timed_out(slot)
                }
                TimerKind::Familiar if self.contacts.get(slot).is_some_and(current) => {
                    self.reservation_lapsed(slot)
                }
                TimerKind::WrapUp if self.contacts.get(slot).is_some_and(current) => {
                    self.wrap_up_limit_reached(slot)
                }
                TimerKind::MaxWait
                    if self.contacts.get(slot).is_some_and(|k| k.wait_gen == stamp) =>
                {
                    self.max_wait_reached(slot)
                }
                TimerKind::AgentWrapUp if self.agents[slot as usize].gen == stamp => {
                    self.agent_wrap_up_limit_reached(slot)
                }
                _ => {}
            }
        }
    }
}
