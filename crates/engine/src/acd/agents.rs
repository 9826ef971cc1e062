//! Agent lifecycle: sign-in and sign-out (S1), presence (S2, S3), queue reset (S4), wrap-up
//! and "continue working", and keeping each agent's standing in queues up to date.

use super::command::RestoredPresence;
use super::engine::Engine;
use super::error::EngineError;
use super::event::Event;
use super::state::{Phase, A, Q};
use super::timers::{Timer, TimerKind};
use super::types::{
    AgentState, CapacityClass, ContactOutcome, Presence, ReasonCode, RequestedPresence,
};
use crate::{AgentSignInMode, ContactId, PostSignInState, RoutingStrategy, SkillQueueId, UserId};

impl Engine {
    /// The sign-in skill mode after the tenant/agent precedence rule (source 000).
    fn sign_in_mode(&self, a: A) -> AgentSignInMode {
        let agent = &self.agents[a as usize];
        let own = crate::AgentParams {
            sign_in_mode: if agent.specified_sign_in {
                AgentSignInMode::Specified
            } else {
                AgentSignInMode::Automatic
            },
            auto_answer: agent.auto_answer,
        };
        self.params.effective_sign_in_mode(&own)
    }

    /// Checks a chosen queue list against the agent's bound queues.
    fn chosen_queues(&self, a: A, ids: &[SkillQueueId]) -> Result<Vec<Q>, EngineError> {
        if ids.is_empty() {
            return Err(EngineError::NoQueuesChosen);
        }
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let q = self.queue(*id)?;
            if self.agents[a as usize].level_in(q).is_none() {
                return Err(EngineError::NotBound(*id));
            }
            if !out.contains(&q) {
                out.push(q);
            }
        }
        Ok(out)
    }

    pub(super) fn sign_in(
        &mut self,
        agent: UserId,
        queues: Option<Vec<SkillQueueId>>,
    ) -> Result<(), EngineError> {
        let a = self.agent(agent)?;
        if self.agents[a as usize].presence != Presence::SignedOut {
            return Err(EngineError::AlreadySignedIn);
        }
        let chosen = match (self.sign_in_mode(a), queues) {
            (AgentSignInMode::Automatic, Some(_)) => return Err(EngineError::QueuesNotChoosable),
            (AgentSignInMode::Automatic, None) => {
                let all: Vec<Q> = self.agents[a as usize]
                    .bound
                    .iter()
                    .map(|(q, _)| *q)
                    .collect();
                if all.is_empty() {
                    return Err(EngineError::NoBoundQueues);
                }
                all
            }
            (AgentSignInMode::Specified, None) => return Err(EngineError::QueuesRequired),
            (AgentSignInMode::Specified, Some(ids)) => self.chosen_queues(a, &ids)?,
        };
        let presence = match self.params.post_sign_in_state {
            PostSignInState::Idle => Presence::Available,
            PostSignInState::Busy => Presence::Busy,
            PostSignInState::WrapUp => Presence::WrapUp,
        };
        self.enter(a, chosen, presence, None);
        Ok(())
    }

    /// Signs a signed-out agent in to `queues` with `presence`.
    fn enter(&mut self, a: A, queues: Vec<Q>, presence: Presence, reason: Option<ReasonCode>) {
        let now = self.now;
        let agent = &mut self.agents[a as usize];
        agent.presence = presence;
        agent.reason = reason;
        agent.idle_since = now;
        agent.no_answers = 0;
        agent.gen += 1;
        let ids = queues.iter().map(|q| self.queues[*q as usize].id).collect();
        self.emit(Event::AgentSignedIn {
            agent: self.agents[a as usize].id,
            queues: ids,
            at: now,
        });
        for q in queues {
            self.join(a, q);
        }
        if presence == Presence::WrapUp {
            self.arm_agent_wrap_up(a);
        }
        self.refresh_agent(a);
        self.serve_agent(a);
    }

    fn arm_agent_wrap_up(&mut self, a: A) {
        let limit = i64::from(self.params.wrap_up_limit.get()) * 1000;
        if limit > 0 {
            let stamp = self.agents[a as usize].gen;
            self.timers.at(
                self.now + limit,
                Timer {
                    kind: TimerKind::AgentWrapUp,
                    slot: a,
                    stamp,
                },
            );
        }
    }

    pub(super) fn sign_out(&mut self, a: A) -> Result<(), EngineError> {
        let agent = &self.agents[a as usize];
        if agent.presence == Presence::SignedOut {
            return Err(EngineError::NotSignedIn);
        }
        let busy_with = |c: &u32| {
            self.contacts
                .get(*c)
                .is_some_and(|k| matches!(k.phase, Phase::Connected { .. } | Phase::WrapUp { .. }))
        };
        if agent.contacts.iter().any(busy_with) || agent.consulted {
            return Err(EngineError::ContactsInProgress);
        }
        self.leave_all(a);
        Ok(())
    }

    /// Takes an agent out of routing: first out of every queue, so nothing is routed back to
    /// them, then ringing offers and familiar reservations go back to their queues.
    pub(super) fn leave_all(&mut self, a: A) {
        for q in self.agents[a as usize].signed_in.clone() {
            self.leave(a, q);
        }
        let agent = &mut self.agents[a as usize];
        agent.presence = Presence::SignedOut;
        agent.reason = None;
        agent.gen += 1;
        let id = agent.id;
        self.emit(Event::AgentSignedOut {
            agent: id,
            at: self.now,
        });
        self.refresh_agent(a);
        for c in self.agents[a as usize].contacts.clone() {
            self.return_to_queue(c, a);
        }
        let familiar: Vec<_> = std::mem::take(&mut self.agents[a as usize].familiar)
            .into_iter()
            .collect();
        for key in familiar {
            self.requeue_reserved(key.3);
        }
    }

    pub(super) fn set_presence(
        &mut self,
        agent: UserId,
        presence: RequestedPresence,
        reason: Option<ReasonCode>,
    ) -> Result<(), EngineError> {
        let a = self.agent(agent)?;
        if self.agents[a as usize].presence == Presence::SignedOut {
            return Err(EngineError::NotSignedIn);
        }
        let (presence, reason) = match presence {
            RequestedPresence::Idle => (Presence::Available, None),
            RequestedPresence::Busy => (Presence::Busy, reason),
            RequestedPresence::Rest => (Presence::Rest, reason),
        };
        self.change_presence(a, presence, reason);
        Ok(())
    }

    pub(super) fn change_presence(&mut self, a: A, presence: Presence, reason: Option<ReasonCode>) {
        let now = self.now;
        let agent = &mut self.agents[a as usize];
        let was = agent.presence;
        agent.presence = presence;
        agent.reason = reason;
        agent.gen += 1;
        if presence == Presence::Available {
            agent.no_answers = 0;
            if was != Presence::Available && agent.contacts.is_empty() {
                agent.idle_since = now;
            }
        }
        self.serve_agent(a);
        self.refresh_agent(a);
    }

    pub(super) fn reset_queues(
        &mut self,
        agent: UserId,
        queues: Vec<SkillQueueId>,
    ) -> Result<(), EngineError> {
        let a = self.agent(agent)?;
        if self.agents[a as usize].presence == Presence::SignedOut {
            return Err(EngineError::NotSignedIn);
        }
        let chosen = self.chosen_queues(a, &queues)?;
        let current = self.agents[a as usize].signed_in.clone();
        for q in current.iter().filter(|q| !chosen.contains(q)) {
            self.leave(a, *q);
        }
        for q in chosen.iter().filter(|q| !current.contains(q)) {
            self.join(a, *q);
        }
        let ids = self.agents[a as usize]
            .signed_in
            .iter()
            .map(|q| self.queues[*q as usize].id)
            .collect();
        self.emit(Event::AgentQueuesReset {
            agent,
            queues: ids,
            at: self.now,
        });
        self.refresh_agent(a);
        self.serve_agent(a);
        Ok(())
    }

    pub(super) fn continue_working(
        &mut self,
        agent: UserId,
        contact: Option<ContactId>,
    ) -> Result<(), EngineError> {
        let a = self.agent(agent)?;
        let in_wrap_up: Vec<u32> = match contact {
            Some(id) => {
                let c = self.contact(id)?;
                match self.contacts.get(c).map(|k| k.phase) {
                    Some(Phase::WrapUp { agent: owner, .. }) if owner == a => vec![c],
                    _ => return Err(EngineError::NotInWrapUp),
                }
            }
            None => self.agents[a as usize]
                .contacts
                .iter()
                .copied()
                .filter(|c| {
                    matches!(
                        self.contacts.get(*c).map(|k| k.phase),
                        Some(Phase::WrapUp { .. })
                    )
                })
                .collect(),
        };
        let agent_level = self.agents[a as usize].presence == Presence::WrapUp;
        if in_wrap_up.is_empty() && !agent_level {
            return Err(EngineError::NotInWrapUp);
        }
        let summary_missing = |c: &u32| self.contacts.get(*c).is_some_and(|k| !k.summary_saved);
        if self.params.summary_required && in_wrap_up.iter().any(summary_missing) {
            return Err(EngineError::SummaryRequired);
        }
        for c in in_wrap_up {
            self.close(c, ContactOutcome::Completed);
        }
        if agent_level && contact.is_none() {
            self.change_presence(a, Presence::Available, None);
        }
        self.serve_agent(a);
        self.refresh_agent(a);
        Ok(())
    }

    pub(super) fn consulted(&mut self, agent: UserId, on: bool) -> Result<(), EngineError> {
        let a = self.agent(agent)?;
        if self.agents[a as usize].presence == Presence::SignedOut && on {
            return Err(EngineError::NotSignedIn);
        }
        self.agents[a as usize].consulted = on;
        self.refresh_agent(a);
        if !on {
            self.serve_agent(a);
        }
        Ok(())
    }

    pub(super) fn agent_wrap_up_limit_reached(&mut self, a: A) {
        if self.agents[a as usize].presence == Presence::WrapUp {
            self.change_presence(a, Presence::Available, None);
        }
    }

    pub(super) fn restore_agent(
        &mut self,
        agent: UserId,
        queues: Vec<SkillQueueId>,
        state: RestoredPresence,
        reason: Option<ReasonCode>,
        since: i64,
    ) -> Result<(), EngineError> {
        let a = self.agent(agent)?;
        if self.agents[a as usize].presence != Presence::SignedOut {
            return Err(EngineError::AlreadySignedIn);
        }
        // Queues unbound meanwhile are dropped rather than refusing the whole restore.
        let chosen: Vec<Q> = queues
            .iter()
            .filter_map(|id| self.queue(*id).ok())
            .filter(|q| self.agents[a as usize].level_in(*q).is_some())
            .collect();
        let presence = match state {
            RestoredPresence::Available => Presence::Available,
            RestoredPresence::Busy => Presence::Busy,
            RestoredPresence::Rest => Presence::Rest,
            RestoredPresence::WrapUp => Presence::WrapUp,
        };
        self.enter(a, chosen, presence, reason);
        let agent = &mut self.agents[a as usize];
        agent.idle_since = since.min(self.now);
        Ok(())
    }

    /// Adds a signed-in agent to a queue's members.
    pub(super) fn join(&mut self, a: A, q: Q) {
        let agent = &mut self.agents[a as usize];
        if agent.signed_in.contains(&q) {
            return;
        }
        agent.signed_in.push(q);
        let state = agent.state;
        let queue = &mut self.queues[q as usize];
        queue.members.push(a);
        queue.state_counts[state.index()] += 1;
        self.touch(q);
    }

    /// Removes an agent from a queue: members, counts and the available set.
    pub(super) fn leave(&mut self, a: A, q: Q) {
        let agent = &mut self.agents[a as usize];
        agent.signed_in.retain(|x| *x != q);
        let state = agent.state;
        if let Some(pos) = agent.listed.iter().position(|(lq, _)| *lq == q) {
            let (_, key) = agent.listed.swap_remove(pos);
            self.queues[q as usize].available.remove(&key);
        }
        let queue = &mut self.queues[q as usize];
        queue.members.retain(|m| *m != a);
        queue.state_counts[state.index()] -= 1;
        self.touch(q);
    }

    /// What the agent is doing, as shown to people (S2).
    fn derived_state(&self, a: A) -> AgentState {
        let agent = &self.agents[a as usize];
        match agent.presence {
            Presence::SignedOut => AgentState::SignedOut,
            _ if agent.talking > 0 || agent.consulted => AgentState::Talking,
            Presence::WrapUp => AgentState::WrapUp,
            _ if agent.wrapping > 0 => AgentState::WrapUp,
            Presence::Rest => AgentState::Rest,
            Presence::Busy => AgentState::Busy,
            Presence::Available => AgentState::Idle,
        }
    }

    /// Whether the agent can be offered a contact of this capacity class now (S2, R3).
    pub(super) fn can_take(&self, a: A, class: CapacityClass) -> bool {
        let agent = &self.agents[a as usize];
        if agent.presence != Presence::Available {
            return false;
        }
        let load = agent.load;
        let on_call = load[0] > 0 || agent.consulted;
        match class {
            CapacityClass::Call => !on_call,
            CapacityClass::Chat => {
                load[1] < agent.chat_limit && (self.params.chat_during_call || !on_call)
            }
            CapacityClass::Task => load[2] < self.params.task_limit.get(),
        }
    }

    fn avail_key(&self, a: A, q: Q) -> (i64, i64, A) {
        let agent = &self.agents[a as usize];
        let queue = &self.queues[q as usize];
        match queue.strategy {
            RoutingStrategy::LongestIdle => (agent.idle_since, 0, a),
            RoutingStrategy::RoundRobin => (agent.last_offer as i64, 0, a),
            RoutingStrategy::LeastOccupied => (
                i64::from(agent.load[queue.class as usize]),
                agent.idle_since,
                a,
            ),
            RoutingStrategy::SkillLevel => {
                let level = agent.level_in(q).map_or(0, |l| l.get());
                (-i64::from(level), agent.idle_since, a)
            }
        }
    }

    /// Brings an agent's displayed state and their standing in every signed-in queue's
    /// available set up to date. Call after anything about the agent changed.
    pub(super) fn refresh_agent(&mut self, a: A) {
        let state = self.derived_state(a);
        let old = self.agents[a as usize].state;
        let reason = (self.agents[a as usize].reason.clone())
            .filter(|_| matches!(state, AgentState::Busy | AgentState::Rest));
        if state != old || reason != self.agents[a as usize].state_reason {
            self.agents[a as usize].state = state;
            self.agents[a as usize].state_reason = reason;
            self.agents[a as usize].state_since = self.now;
            for i in 0..self.agents[a as usize].signed_in.len() {
                let q = self.agents[a as usize].signed_in[i];
                let counts = &mut self.queues[q as usize].state_counts;
                counts[old.index()] -= 1;
                counts[state.index()] += 1;
                self.touch(q);
            }
            let agent = &self.agents[a as usize];
            let event = Event::AgentStateChanged {
                agent: agent.id,
                state,
                reason: agent.reason.clone(),
                at: self.now,
            };
            self.emit(event);
        }
        for i in 0..self.agents[a as usize].signed_in.len() {
            let q = self.agents[a as usize].signed_in[i];
            self.relist(a, q);
        }
    }

    /// Puts the agent in, moves it within, or takes it out of queue `q`'s available set.
    fn relist(&mut self, a: A, q: Q) {
        let want = self
            .can_take(a, self.queues[q as usize].class)
            .then(|| self.avail_key(a, q));
        let listed = &mut self.agents[a as usize].listed;
        let pos = listed.iter().position(|(lq, _)| *lq == q);
        let have = pos.map(|p| listed[p].1);
        if have == want {
            return;
        }
        match (pos, want) {
            (Some(p), Some(key)) => listed[p].1 = key,
            (Some(p), None) => {
                listed.swap_remove(p);
            }
            (None, Some(key)) => listed.push((q, key)),
            (None, None) => {}
        }
        let available = &mut self.queues[q as usize].available;
        if let Some(key) = have {
            available.remove(&key);
        }
        if let Some(key) = want {
            available.insert(key);
        }
    }
}
