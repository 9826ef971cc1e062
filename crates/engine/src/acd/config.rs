//! Configuration commands: tenant parameters, skill queues with their bound agents, agents.

use std::collections::BTreeSet;

use super::command::{AgentConfig, QueueConfig};
use super::engine::Engine;
use super::error::EngineError;
use super::state::{Agent, Queue, A, Q};
use super::types::{CapacityClass, ContactOutcome};
use crate::{AgentSignInMode, SkillQueueId, TenantParams, UserId};

impl Engine {
    pub(super) fn configure(&mut self, params: TenantParams) -> Result<(), EngineError> {
        self.params = params;
        // Chat-during-call and task limits change who can take what.
        for a in 0..self.agents.len() as A {
            self.refresh_agent(a);
        }
        for a in 0..self.agents.len() as A {
            self.serve_agent(a);
        }
        Ok(())
    }

    pub(super) fn upsert_agent(&mut self, config: AgentConfig) -> Result<(), EngineError> {
        let a = match self.agent_ix.get(&config.id) {
            Some(&a) => a,
            None => {
                self.agents.push(Agent::new(config.id, self.now));
                let a = (self.agents.len() - 1) as A;
                self.agent_ix.insert(config.id, a);
                a
            }
        };
        let agent = &mut self.agents[a as usize];
        agent.removed = false;
        agent.chat_limit = config.chat_limit.get();
        agent.auto_answer = config.params.auto_answer;
        agent.specified_sign_in = config.params.sign_in_mode == AgentSignInMode::Specified;
        self.refresh_agent(a);
        self.serve_agent(a);
        Ok(())
    }

    pub(super) fn remove_agent(&mut self, id: UserId) -> Result<(), EngineError> {
        let a = self.agent(id)?;
        if !self.agents[a as usize].signed_in.is_empty()
            || self.agents[a as usize].presence != super::types::Presence::SignedOut
        {
            self.leave_all(a);
        }
        for (q, _) in std::mem::take(&mut self.agents[a as usize].bound) {
            self.queues[q as usize].bound.retain(|m| *m != a);
        }
        self.agents[a as usize].removed = true;
        Ok(())
    }

    pub(super) fn upsert_queue(&mut self, config: QueueConfig) -> Result<(), EngineError> {
        let q = self.queue_slot(config.id, &config);
        let wanted: Vec<(A, crate::SkillLevel)> = config
            .agents
            .iter()
            .filter_map(|(id, level)| self.agent(*id).ok().map(|a| (a, *level)))
            .collect();
        // Unbind agents no longer listed; they leave the queue if signed in to it.
        for a in std::mem::take(&mut self.queues[q as usize].bound) {
            if wanted.iter().any(|(w, _)| *w == a) {
                continue;
            }
            self.agents[a as usize].bound.retain(|(bq, _)| *bq != q);
            if self.agents[a as usize].signed_in.contains(&q) {
                self.leave(a, q);
                self.refresh_agent(a);
            }
        }
        for (a, level) in &wanted {
            let bound = &mut self.agents[*a as usize].bound;
            match bound.iter_mut().find(|(bq, _)| *bq == q) {
                Some(entry) => entry.1 = *level,
                None => bound.push((q, *level)),
            }
        }
        self.queues[q as usize].bound = wanted.iter().map(|(a, _)| *a).collect();
        // Strategy or levels may have changed: re-rank every member from scratch.
        let members = self.queues[q as usize].members.clone();
        self.queues[q as usize].available.clear();
        for &a in &members {
            self.agents[a as usize].listed.retain(|(lq, _)| *lq != q);
            self.refresh_agent(a);
        }
        self.touch(q);
        for a in members {
            self.serve_agent(a);
        }
        Ok(())
    }

    /// The slot for a queue id, created or revived, with `config`'s settings applied.
    fn queue_slot(&mut self, id: SkillQueueId, config: &QueueConfig) -> Q {
        let q = match self.queue_ix.get(&id) {
            Some(&q) => q,
            None => {
                self.queues.push(Queue {
                    id,
                    removed: false,
                    channel: config.channel,
                    class: CapacityClass::from(config.channel),
                    strategy: config.strategy,
                    priority: 0,
                    max_len: None,
                    max_wait: None,
                    overflow: None,
                    waiting: BTreeSet::new(),
                    reserved: BTreeSet::new(),
                    available: BTreeSet::new(),
                    bound: Vec::new(),
                    members: Vec::new(),
                    state_counts: [0; 6],
                    recent_wait_ms: None,
                });
                let q = (self.queues.len() - 1) as Q;
                self.queue_ix.insert(id, q);
                q
            }
        };
        let queue = &mut self.queues[q as usize];
        queue.removed = false;
        queue.channel = config.channel;
        queue.class = CapacityClass::from(config.channel);
        queue.strategy = config.strategy;
        queue.priority = config.priority.get();
        queue.max_len = config.max_queue_len;
        queue.max_wait = config.max_wait_s.map(|s| i64::from(s) * 1000);
        queue.overflow = config.overflow;
        q
    }

    pub(super) fn remove_queue(&mut self, id: SkillQueueId) -> Result<(), EngineError> {
        let q = self.queue(id)?;
        for a in self.queues[q as usize].members.clone() {
            self.leave(a, q);
            self.refresh_agent(a);
        }
        for a in std::mem::take(&mut self.queues[q as usize].bound) {
            self.agents[a as usize].bound.retain(|(bq, _)| *bq != q);
        }
        let queue = &self.queues[q as usize];
        let waiting: Vec<_> = queue
            .waiting
            .iter()
            .map(|k| k.3)
            .chain(queue.reserved.iter().map(|k| k.2))
            .collect();
        for c in waiting {
            self.close(c, ContactOutcome::Cancelled);
        }
        self.queues[q as usize].removed = true;
        self.touch(q);
        Ok(())
    }
}
