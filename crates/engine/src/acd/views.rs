//! Read-only views of the engine for APIs and wallboards, and a from-scratch recount that
//! tests use to check the engine's incremental bookkeeping.

use super::command::RestoredPresence;
use super::engine::Engine;
use super::state::{Phase, A};
use super::types::{
    AgentState, ContactStatus, CustomerPriority, Direction, Millis, Presence, ReasonCode,
};
use crate::{Channel, ContactId, SkillLevel, SkillQueueId, UserId};

/// Live counts of one queue (S6, P1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueStats {
    pub queue: SkillQueueId,
    pub waiting: u32,
    pub oldest_enqueued_at: Option<Millis>,
    /// Signed-in agents per state, indexed by [`AgentState::index`].
    pub agents: [u32; 6],
}

impl ContactPhase {
    pub fn status(self) -> ContactStatus {
        match self {
            ContactPhase::Queued => ContactStatus::Queued,
            ContactPhase::Reserved { .. } => ContactStatus::Reserved,
            ContactPhase::Offered { .. } => ContactStatus::Offered,
            ContactPhase::Connected { .. } => ContactStatus::Connected,
            ContactPhase::WrapUp { .. } => ContactStatus::WrapUp,
        }
    }

    pub fn agent(self) -> Option<UserId> {
        match self {
            ContactPhase::Queued => None,
            ContactPhase::Reserved { agent, .. }
            | ContactPhase::Offered { agent, .. }
            | ContactPhase::Connected { agent, .. }
            | ContactPhase::WrapUp { agent, .. } => Some(agent),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactPhase {
    Queued,
    Reserved { agent: UserId, until: Millis },
    Offered { agent: UserId, until: Millis },
    Connected { agent: UserId, since: Millis },
    WrapUp { agent: UserId, since: Millis },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactView {
    pub id: ContactId,
    pub channel: Channel,
    pub direction: Direction,
    pub queue: SkillQueueId,
    pub priority: CustomerPriority,
    pub customer: Option<String>,
    pub created_at: Millis,
    pub enqueued_at: Millis,
    pub phase: ContactPhase,
    pub summary_saved: bool,
    /// On hold since (a call), and the time held before that.
    pub held_since: Option<Millis>,
    pub hold_ms: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentView {
    pub id: UserId,
    pub state: AgentState,
    pub state_since: Millis,
    pub reason: Option<ReasonCode>,
    /// True while the agent's own presence is ready for offers.
    pub ready: bool,
    /// The presence to restore after a restart; `None` when signed out.
    pub presence: Option<RestoredPresence>,
    pub signed_in: Vec<SkillQueueId>,
    pub bound: Vec<(SkillQueueId, SkillLevel)>,
    pub contacts: Vec<ContactView>,
    pub no_answers: u32,
}

impl Engine {
    pub fn queue_stats(&self, id: SkillQueueId) -> Option<QueueStats> {
        let q = self.queue(id).ok()?;
        let queue = &self.queues[q as usize];
        Some(QueueStats {
            queue: id,
            waiting: queue.waiting_count() as u32,
            oldest_enqueued_at: queue.oldest_enqueued_at(),
            agents: queue.state_counts,
        })
    }

    pub fn contact_view(&self, id: ContactId) -> Option<ContactView> {
        let c = self.contacts.find(id)?;
        let k = self.contacts.get(c)?;
        let who = |a: A| self.agents[a as usize].id;
        Some(ContactView {
            id: k.id,
            channel: k.channel,
            direction: k.direction,
            queue: self.queues[k.queue as usize].id,
            priority: CustomerPriority::new(i64::from(k.priority)).ok()?,
            customer: k.customer.clone(),
            created_at: k.created_at,
            enqueued_at: k.enqueued_at,
            phase: match k.phase {
                Phase::Queued => ContactPhase::Queued,
                Phase::Reserved { agent, until } => ContactPhase::Reserved {
                    agent: who(agent),
                    until,
                },
                Phase::Offered { agent, until } => ContactPhase::Offered {
                    agent: who(agent),
                    until,
                },
                Phase::Connected { agent, since } => ContactPhase::Connected {
                    agent: who(agent),
                    since,
                },
                Phase::WrapUp { agent, since } => ContactPhase::WrapUp {
                    agent: who(agent),
                    since,
                },
            },
            summary_saved: k.summary_saved,
            held_since: k.held_since,
            hold_ms: k.hold_ms,
        })
    }

    pub fn agent_view(&self, id: UserId) -> Option<AgentView> {
        let a = self.agent(id).ok()?;
        let agent = &self.agents[a as usize];
        let qid = |q: &u32| self.queues[*q as usize].id;
        Some(AgentView {
            id,
            state: agent.state,
            state_since: agent.state_since,
            reason: agent.reason.clone(),
            ready: agent.presence == Presence::Available,
            presence: match agent.presence {
                Presence::SignedOut => None,
                Presence::Available => Some(RestoredPresence::Available),
                Presence::Busy => Some(RestoredPresence::Busy),
                Presence::Rest => Some(RestoredPresence::Rest),
                Presence::WrapUp => Some(RestoredPresence::WrapUp),
            },
            signed_in: agent.signed_in.iter().map(qid).collect(),
            bound: agent.bound.iter().map(|(q, l)| (qid(q), *l)).collect(),
            contacts: agent
                .contacts
                .iter()
                .filter_map(|c| self.contacts.get(*c).and_then(|k| self.contact_view(k.id)))
                .collect(),
            no_answers: agent.no_answers,
        })
    }

    /// Where a waiting contact stands: its place in line (1 = next) and how long contacts of
    /// its queue have typically waited lately, if known.
    pub fn waiting_position(&self, id: ContactId) -> Option<(u32, Option<Millis>)> {
        let c = self.contacts.find(id)?;
        let k = self.contacts.get(c)?;
        let queue = &self.queues[k.queue as usize];
        let place = match k.phase {
            Phase::Queued => queue.waiting.range(..k.wait_key(c)).count() as u32 + 1,
            Phase::Reserved { .. } => 1,
            _ => return None,
        };
        Some((place, queue.recent_wait_ms.map(|ms| ms as Millis)))
    }

    /// Agents signed in to a queue.
    pub fn queue_members(&self, id: SkillQueueId) -> Vec<UserId> {
        let Ok(q) = self.queue(id) else {
            return Vec::new();
        };
        self.queues[q as usize]
            .members
            .iter()
            .map(|a| self.agents[*a as usize].id)
            .collect()
    }

    /// Every live contact (waiting or with an agent).
    pub fn contact_ids(&self) -> Vec<ContactId> {
        self.contacts.iter().map(|(_, k)| k.id).collect()
    }

    pub fn agent_ids(&self) -> Vec<UserId> {
        self.agents
            .iter()
            .filter(|a| !a.removed)
            .map(|a| a.id)
            .collect()
    }

    pub fn queue_ids(&self) -> Vec<SkillQueueId> {
        self.queues
            .iter()
            .filter(|q| !q.removed)
            .map(|q| q.id)
            .collect()
    }

    /// Recounts everything from scratch and compares with the incremental bookkeeping.
    pub fn check_invariants(&self) -> Result<(), String> {
        self.check_agents()?;
        self.check_contacts()?;
        self.check_queues()
    }

    fn check_agents(&self) -> Result<(), String> {
        for (a, agent) in self.agents.iter().enumerate() {
            let mut load = [0u32; 3];
            for &c in &agent.contacts {
                let k = self
                    .contacts
                    .get(c)
                    .ok_or(format!("agent {a} holds a closed contact"))?;
                if !(k.phase.holds_agent() && k.phase.agent() == Some(a as A)) {
                    return Err(format!(
                        "agent {a} holds contact {c} in phase {:?}",
                        k.phase
                    ));
                }
                load[k.class as usize] += 1;
            }
            let phases = agent
                .contacts
                .iter()
                .filter_map(|c| self.contacts.get(*c).map(|k| k.phase));
            let talking = phases
                .clone()
                .filter(|p| matches!(p, Phase::Connected { .. }))
                .count() as u32;
            let wrapping = phases.filter(|p| matches!(p, Phase::WrapUp { .. })).count() as u32;
            if (talking, wrapping) != (agent.talking, agent.wrapping) {
                return Err(format!(
                    "agent {a}: counted {:?}, recounted {:?}",
                    (agent.talking, agent.wrapping),
                    (talking, wrapping)
                ));
            }
            if load != agent.load {
                return Err(format!(
                    "agent {a}: load {:?} but holds {load:?}",
                    agent.load
                ));
            }
            let caps = [1, agent.chat_limit, self.params.task_limit.get()];
            if (0..3).any(|i| load[i] > caps[i]) {
                return Err(format!("agent {a} over capacity: {load:?} > {caps:?}"));
            }
            if agent.presence != Presence::Available && !agent.listed.is_empty() {
                return Err(format!(
                    "agent {a} is {:?} but listed as available",
                    agent.presence
                ));
            }
            for (q, key) in &agent.listed {
                if !self.queues[*q as usize].available.contains(key) {
                    return Err(format!("agent {a} listed in queue {q} but not in its set"));
                }
            }
        }
        Ok(())
    }

    fn check_contacts(&self) -> Result<(), String> {
        for (c, k) in self.contacts.iter() {
            let queue = &self.queues[k.queue as usize];
            let in_waiting = queue.waiting.contains(&k.wait_key(c));
            let in_age = queue.reserved.contains(&(k.enqueued_at, k.seq, c));
            let holders = self
                .agents
                .iter()
                .filter(|a| a.contacts.contains(&c))
                .count();
            let ok = match k.phase {
                Phase::Queued => in_waiting && !in_age && holders == 0,
                Phase::Reserved { agent, .. } => {
                    !in_waiting
                        && in_age
                        && holders == 0
                        && self.agents[agent as usize]
                            .familiar
                            .contains(&k.wait_key(c))
                }
                _ => !in_waiting && !in_age && holders == 1,
            };
            if !ok {
                return Err(format!("contact {c} in phase {:?}: waiting={in_waiting} age={in_age} holders={holders}", k.phase));
            }
        }
        Ok(())
    }

    fn check_queues(&self) -> Result<(), String> {
        for (q, queue) in self.queues.iter().enumerate().filter(|(_, q)| !q.removed) {
            let mut counts = [0u32; 6];
            for &a in &queue.members {
                counts[self.agents[a as usize].state.index()] += 1;
                let listed = self.agents[a as usize]
                    .listed
                    .iter()
                    .any(|(lq, _)| *lq == q as u32);
                if listed != self.can_take(a, queue.class) {
                    return Err(format!(
                        "queue {q}: agent {a} listed={listed} but can_take disagrees"
                    ));
                }
            }
            if counts != queue.state_counts {
                return Err(format!(
                    "queue {q}: counts {:?}, recount {counts:?}",
                    queue.state_counts
                ));
            }
            if queue.available.len()
                != queue
                    .members
                    .iter()
                    .filter(|a| self.can_take(**a, queue.class))
                    .count()
            {
                return Err(format!("queue {q}: available set has stale entries"));
            }
            let waiting = self
                .contacts
                .iter()
                .filter(|(_, k)| {
                    k.queue == q as u32 && matches!(k.phase, Phase::Queued | Phase::Reserved { .. })
                })
                .count();
            if waiting != queue.waiting_count() {
                return Err(format!(
                    "queue {q}: {} counted waiting, {waiting} recounted",
                    queue.waiting_count()
                ));
            }
            if !queue.waiting.is_empty() && !queue.available.is_empty() {
                return Err(format!(
                    "queue {q}: contacts wait while agents are available"
                ));
            }
        }
        Ok(())
    }
}
