//! Contact lifecycle: created → queued (or reserved for a familiar agent) → offered →
//! connected → wrap-up → closed; or abandoned, overflowed, timed out.

use super::command::{NewContact, RestoredPhase, TransferTarget};
use super::engine::Engine;
use super::error::EngineError;
use super::event::Event;
use super::state::{Contact, Phase, A, C};
use super::timers::{Timer, TimerKind};
use super::types::{
    CapacityClass, ContactOutcome, Direction, MediaEvent, Millis, Presence, ReasonCode, ReleasedBy,
};
use crate::{ContactId, UserId};

impl Engine {
    /// Adds a contact to the slab without placing it anywhere yet.
    pub(super) fn admit(
        &mut self,
        new: &NewContact,
        created_at: Millis,
        enqueued_at: Millis,
    ) -> Result<C, EngineError> {
        if self.contacts.find(new.id).is_some() {
            return Err(EngineError::DuplicateContact(new.id));
        }
        let q = self.queue(new.queue)?;
        let queue = &self.queues[q as usize];
        if queue.channel != new.channel {
            return Err(EngineError::ChannelMismatch {
                contact: new.channel.code(),
                queue: queue.channel.code(),
            });
        }
        let wait_deadline = queue.max_wait.map(|w| enqueued_at + w);
        let seq = self.next_seq();
        let c = self.contacts.insert(Contact {
            id: new.id,
            channel: new.channel,
            class: CapacityClass::from(new.channel),
            direction: new.direction,
            queue: q,
            priority: new.priority.get(),
            customer: new.customer.clone(),
            created_at,
            enqueued_at,
            seq,
            phase: Phase::Queued,
            gen: seq,
            wait_gen: seq,
            summary_saved: false,
            declined: Vec::new(),
            wait_deadline,
            held_since: None,
            hold_ms: 0,
        });
        if let Some(due) = wait_deadline {
            self.timers.at(
                due,
                Timer {
                    kind: TimerKind::MaxWait,
                    slot: c,
                    stamp: seq,
                },
            );
        }
        self.emit(Event::ContactCreated {
            contact: new.id,
            channel: new.channel,
            direction: new.direction,
            queue: new.queue,
            priority: new.priority,
            customer: new.customer.clone(),
            at: self.now,
        });
        Ok(c)
    }

    pub(super) fn create_contact(&mut self, new: NewContact) -> Result<(), EngineError> {
        let q = self.queue(new.queue)?;
        let queue = &self.queues[q as usize];
        if queue
            .max_len
            .is_some_and(|max| queue.waiting_count() >= max as usize)
        {
            return Err(EngineError::QueueFull(new.queue));
        }
        let familiar = self.familiar_agent_for(&new, q);
        let now = self.now;
        let c = self.admit(&new, now, now)?;
        match familiar {
            Some(a) => self.reserve(c, a),
            None => {
                self.enqueue(c);
                self.route_contact(c);
            }
        }
        Ok(())
    }

    /// The familiar agent to hold this contact for (R5): signed in to its queue, and the
    /// tenant's familiar-agent wait is on.
    fn familiar_agent_for(&self, new: &NewContact, q: u32) -> Option<A> {
        if self.params.familiar_wait.get() == 0 {
            return None;
        }
        let a = self.agent(new.familiar_agent?).ok()?;
        self.agents[a as usize].signed_in.contains(&q).then_some(a)
    }

    /// Holds a contact for its familiar agent: offered at once if they are free, otherwise
    /// kept for them until the familiar-agent wait lapses.
    fn reserve(&mut self, c: C, a: A) {
        let now = self.now;
        let until = now + i64::from(self.params.familiar_wait.get()) * 1000;
        let stamp = self.next_seq();
        let Some(contact) = self.contacts.get_mut(c) else {
            return;
        };
        contact.phase = Phase::Reserved { agent: a, until };
        contact.gen = stamp;
        let (key, age, id, q) = (
            contact.wait_key(c),
            (contact.enqueued_at, contact.seq, c),
            contact.id,
            contact.queue,
        );
        self.agents[a as usize].familiar.insert(key);
        self.queues[q as usize].reserved.insert(age);
        self.touch(q);
        self.timers.at(
            until,
            Timer {
                kind: TimerKind::Familiar,
                slot: c,
                stamp,
            },
        );
        let agent = self.agents[a as usize].id;
        self.emit(Event::ContactReserved {
            contact: id,
            agent,
            until,
            at: now,
        });
        self.serve_agent(a);
    }

    pub(super) fn reservation_lapsed(&mut self, c: C) {
        if matches!(
            self.contacts.get(c).map(|k| k.phase),
            Some(Phase::Reserved { .. })
        ) {
            self.requeue_reserved(c);
        }
    }

    /// Moves a reserved contact to its queue's general waiting list.
    pub(super) fn requeue_reserved(&mut self, c: C) {
        self.take_out_of_waiting(c);
        self.enqueue(c);
        self.route_contact(c);
    }

    pub(super) fn answer(&mut self, agent: UserId, contact: ContactId) -> Result<(), EngineError> {
        let a = self.agent(agent)?;
        let c = self.contact(contact)?;
        match self.contacts.get(c).map(|k| k.phase) {
            Some(Phase::Offered {
                agent: offered_to, ..
            }) if offered_to == a => {}
            _ => return Err(EngineError::NotOffered),
        }
        self.agents[a as usize].no_answers = 0;
        self.connect(c, a, false);
        self.refresh_agent(a);
        Ok(())
    }

    pub(super) fn connect(&mut self, c: C, a: A, auto_answered: bool) {
        let now = self.now;
        let stamp = self.next_seq();
        let Some(contact) = self.contacts.get_mut(c) else {
            return;
        };
        contact.phase = Phase::Connected {
            agent: a,
            since: now,
        };
        contact.gen = stamp;
        // Feed the queue's typical wait (the estimate customers are shown while waiting);
        // an outbound contact never waited.
        if contact.direction == Direction::Inbound {
            let waited = (now - contact.enqueued_at).max(0) as f64;
            let queue = &mut self.queues[contact.queue as usize];
            queue.recent_wait_ms = Some(
                queue
                    .recent_wait_ms
                    .map_or(waited, |avg| avg * 0.8 + waited * 0.2),
            );
        }
        let id = contact.id;
        self.agents[a as usize].talking += 1;
        let agent = self.agents[a as usize].id;
        self.emit(Event::ContactConnected {
            contact: id,
            agent,
            auto_answered,
            at: now,
        });
    }

    pub(super) fn release(
        &mut self,
        contact: ContactId,
        by_agent: Option<UserId>,
        by: ReleasedBy,
    ) -> Result<(), EngineError> {
        let c = self.contact(contact)?;
        let phase = self
            .contacts
            .get(c)
            .map(|k| k.phase)
            .ok_or(EngineError::UnknownContact(contact))?;
        let releasing = by_agent.map(|id| self.agent(id)).transpose()?;
        match phase {
            Phase::Queued | Phase::Reserved { .. } if releasing.is_none() => {
                self.close(c, ContactOutcome::Abandoned);
            }
            Phase::Offered { agent, .. } if releasing.is_none() => {
                self.close(c, ContactOutcome::Abandoned);
                self.refresh_agent(agent);
                self.serve_agent(agent);
            }
            Phase::Offered { agent, .. } if releasing == Some(agent) => {
                return Err(EngineError::CannotReject)
            }
            Phase::Connected { agent, .. } if releasing.is_none_or(|r| r == agent) => {
                self.wrap_up(c, agent, by)
            }
            Phase::WrapUp { .. } => return Err(EngineError::ContactEnded),
            _ => return Err(EngineError::NotConnected),
        }
        Ok(())
    }

    /// Adds a hold in progress to the contact's hold time (resumed, released, handed on).
    fn end_hold(&mut self, c: C) {
        let now = self.now;
        if let Some(k) = self.contacts.get_mut(c) {
            if let Some(since) = k.held_since.take() {
                k.hold_ms += (now - since).max(0);
            }
        }
    }

    fn wrap_up(&mut self, c: C, a: A, by: ReleasedBy) {
        self.end_hold(c);
        let now = self.now;
        let limit = i64::from(self.params.wrap_up_limit.get()) * 1000;
        let stamp = self.next_seq();
        let Some(contact) = self.contacts.get_mut(c) else {
            return;
        };
        contact.phase = Phase::WrapUp {
            agent: a,
            since: now,
        };
        contact.gen = stamp;
        let id = contact.id;
        if limit > 0 {
            self.timers.at(
                now + limit,
                Timer {
                    kind: TimerKind::WrapUp,
                    slot: c,
                    stamp,
                },
            );
        }
        let agent = &mut self.agents[a as usize];
        agent.talking -= 1;
        agent.wrapping += 1;
        let agent = self.agents[a as usize].id;
        self.emit(Event::ContactWrapUp {
            contact: id,
            agent,
            released_by: by,
            at: now,
        });
        self.refresh_agent(a);
    }

    pub(super) fn wrap_up_limit_reached(&mut self, c: C) {
        if let Some(Phase::WrapUp { agent, .. }) = self.contacts.get(c).map(|k| k.phase) {
            self.close(c, ContactOutcome::Completed);
            self.serve_agent(agent);
            self.refresh_agent(agent);
        }
    }

    pub(super) fn summary_saved(&mut self, contact: ContactId) -> Result<(), EngineError> {
        let c = self.contact(contact)?;
        let Some(k) = self.contacts.get_mut(c) else {
            return Err(EngineError::UnknownContact(contact));
        };
        match k.phase {
            Phase::Connected { .. } | Phase::WrapUp { .. } => {
                k.summary_saved = true;
                Ok(())
            }
            _ => Err(EngineError::NotConnected),
        }
    }

    pub(super) fn media(
        &mut self,
        contact: ContactId,
        event: MediaEvent,
        by: Option<UserId>,
    ) -> Result<(), EngineError> {
        let c = self.contact(contact)?;
        match self.contacts.get(c).map(|k| k.phase) {
            Some(Phase::Connected { agent: a, .. }) => {
                let now = self.now;
                let agent = self.agents[a as usize].id;
                let Some(k) = self.contacts.get_mut(c) else {
                    return Err(EngineError::NotConnected);
                };
                // The channel reports facts; a repeated one changes nothing.
                match (event, k.held_since) {
                    (MediaEvent::Held, None) => k.held_since = Some(now),
                    (MediaEvent::Resumed, Some(_)) => self.end_hold(c),
                    (MediaEvent::Held | MediaEvent::Resumed, _) => return Ok(()),
                    _ => {}
                }
                self.emit(Event::ContactMedia {
                    contact,
                    agent,
                    by,
                    event,
                    at: self.now,
                });
                Ok(())
            }
            _ => Err(EngineError::NotConnected),
        }
    }

    pub(super) fn transfer(
        &mut self,
        contact: ContactId,
        agent: UserId,
        to: TransferTarget,
    ) -> Result<(), EngineError> {
        let c = self.contact(contact)?;
        let from = self.agent(agent)?;
        let (channel, class) = match self.contacts.get(c) {
            Some(k)
                if k.phase.agent() == Some(from) && matches!(k.phase, Phase::Connected { .. }) =>
            {
                (k.channel, k.class)
            }
            _ => return Err(EngineError::NotConnected),
        };
        let (queue, target) = match to {
            TransferTarget::Queue(id) => {
                let q = self.queue(id)?;
                let queue_channel = self.queues[q as usize].channel;
                if queue_channel != channel {
                    return Err(EngineError::ChannelMismatch {
                        contact: channel.code(),
                        queue: queue_channel.code(),
                    });
                }
                (q, None)
            }
            TransferTarget::Agent(id) => {
                let a = self.agent(id)?;
                if a == from {
                    return Err(EngineError::TransferToSelf);
                }
                if !self.can_take(a, class) {
                    return Err(EngineError::TargetUnavailable);
                }
                let q = self.contacts.get(c).map_or(0, |k| k.queue);
                (q, Some(a))
            }
        };
        self.detach(c, from);
        self.end_hold(c);
        if let Some(k) = self.contacts.get_mut(c) {
            k.queue = queue;
            // Someone else first: the agent handing it on is not offered it straight back.
            k.declined = vec![from];
        }
        let (queue_id, to_agent) = (
            self.queues[queue as usize].id,
            target.map(|a| self.agents[a as usize].id),
        );
        self.emit(Event::ContactTransferred {
            contact,
            from: agent,
            queue: queue_id,
            to_agent,
            at: self.now,
        });
        match target {
            Some(a) => self.offer(c, a),
            None => {
                self.enqueue(c);
                self.route_contact(c);
            }
        }
        self.serve_agent(from);
        self.refresh_agent(from);
        Ok(())
    }

    /// An offer rang out (R2): the contact goes back to its place at the head of the queue,
    /// the agent's no-answer count rises, and at the tenant's limit the agent is set busy.
    pub(super) fn offer_timed_out(&mut self, c: C) {
        let Some(Phase::Offered { agent: a, .. }) = self.contacts.get(c).map(|k| k.phase) else {
            return;
        };
        self.detach(c, a);
        let agent = &mut self.agents[a as usize];
        agent.no_answers += 1;
        let (agent_id, no_answers) = (agent.id, agent.no_answers);
        let Some(contact) = self.contacts.get_mut(c) else {
            return;
        };
        contact.declined.push(a);
        let id = contact.id;
        self.emit(Event::ContactOfferTimedOut {
            contact: id,
            agent: agent_id,
            no_answers,
            at: self.now,
        });
        let limit = self.params.no_answer_limit.get();
        if limit > 0 && no_answers >= limit {
            self.change_presence(a, Presence::Busy, Some(ReasonCode::no_answer()));
        } else {
            self.refresh_agent(a);
        }
        self.requeue(c);
        self.serve_agent(a);
    }

    /// Returns a ringing contact to its queue without counting a no-answer (sign-out).
    pub(super) fn return_to_queue(&mut self, c: C, a: A) {
        if matches!(
            self.contacts.get(c).map(|k| k.phase),
            Some(Phase::Offered { .. })
        ) {
            self.detach(c, a);
            self.requeue(c);
        }
    }

    /// Back to waiting; if its wait ran out while it was ringing, it overflows or times out.
    fn requeue(&mut self, c: C) {
        self.enqueue(c);
        if self
            .contacts
            .get(c)
            .and_then(|k| k.wait_deadline)
            .is_some_and(|d| d <= self.now)
        {
            self.max_wait_reached(c);
        } else {
            self.route_contact(c);
        }
    }

    /// Maximum wait reached (R4): overflow to the queue's overflow queue, or time out.
    pub(super) fn max_wait_reached(&mut self, c: C) {
        let Some(contact) = self.contacts.get(c) else {
            return;
        };
        let waiting = matches!(contact.phase, Phase::Queued | Phase::Reserved { .. });
        if !waiting || contact.wait_deadline.is_none_or(|d| d > self.now) {
            return;
        }
        let from = contact.queue;
        let target = self.queues[from as usize]
            .overflow
            .and_then(|id| self.queue(id).ok())
            .filter(|o| *o != from && self.queues[*o as usize].channel == contact.channel);
        let Some(to) = target else {
            self.close(c, ContactOutcome::TimedOut);
            return;
        };
        self.take_out_of_waiting(c);
        let now = self.now;
        let deadline = self.queues[to as usize].max_wait.map(|w| now + w);
        let stamp = self.next_seq();
        let Some(contact) = self.contacts.get_mut(c) else {
            return;
        };
        contact.queue = to;
        contact.wait_deadline = deadline;
        contact.wait_gen = stamp;
        contact.declined.clear();
        let id = contact.id;
        if let Some(due) = deadline {
            self.timers.at(
                due,
                Timer {
                    kind: TimerKind::MaxWait,
                    slot: c,
                    stamp,
                },
            );
        }
        self.touch(from);
        let (from_id, to_id) = (self.queues[from as usize].id, self.queues[to as usize].id);
        self.emit(Event::ContactOverflowed {
            contact: id,
            from: from_id,
            to: to_id,
            at: now,
        });
        self.enqueue(c);
        self.route_contact(c);
    }

    /// Frees the agent's capacity held by a contact.
    fn detach(&mut self, c: C, a: A) {
        let Some((class, phase)) = self.contacts.get(c).map(|k| (k.class, k.phase)) else {
            return;
        };
        let now = self.now;
        let agent = &mut self.agents[a as usize];
        if let Some(pos) = agent.contacts.iter().position(|x| *x == c) {
            agent.contacts.swap_remove(pos);
            agent.load[class as usize] -= 1;
            match phase {
                Phase::Connected { .. } => agent.talking -= 1,
                Phase::WrapUp { .. } => agent.wrapping -= 1,
                _ => {}
            }
            if agent.contacts.is_empty() {
                agent.idle_since = now;
            }
        }
    }

    /// Ends a contact and forgets it. The caller refreshes the agent it held, if any.
    pub(super) fn close(&mut self, c: C, outcome: ContactOutcome) {
        self.take_out_of_waiting(c);
        let Some(phase) = self.contacts.get(c).map(|k| k.phase) else {
            return;
        };
        if let Some(a) = phase.agent().filter(|_| phase.holds_agent()) {
            self.detach(c, a);
        }
        let Some(contact) = self.contacts.remove(c) else {
            return;
        };
        self.touch(contact.queue);
        let agent = phase.agent().map(|a| self.agents[a as usize].id);
        self.emit(Event::ContactClosed {
            contact: contact.id,
            outcome,
            agent,
            at: self.now,
        });
    }

    pub(super) fn restore_contact(
        &mut self,
        new: NewContact,
        created_at: Millis,
        enqueued_at: Millis,
        phase: RestoredPhase,
    ) -> Result<(), EngineError> {
        let held_by = match phase {
            RestoredPhase::Queued => None,
            RestoredPhase::Connected { agent, .. } | RestoredPhase::WrapUp { agent, .. } => {
                Some(self.agent(agent)?)
            }
        };
        let c = self.admit(&new, created_at, enqueued_at)?;
        let Some(a) = held_by else {
            self.enqueue(c);
            self.route_contact(c);
            return Ok(());
        };
        let Some(contact) = self.contacts.get_mut(c) else {
            return Ok(());
        };
        contact.phase = match phase {
            RestoredPhase::Connected { since, .. } => Phase::Connected { agent: a, since },
            RestoredPhase::WrapUp {
                since,
                summary_saved,
                ..
            } => {
                contact.summary_saved = summary_saved;
                Phase::WrapUp { agent: a, since }
            }
            RestoredPhase::Queued => Phase::Queued,
        };
        let (class, stamp) = (contact.class, contact.gen);
        let limit = i64::from(self.params.wrap_up_limit.get()) * 1000;
        if let (RestoredPhase::WrapUp { since, .. }, true) = (phase, limit > 0) {
            self.timers.at(
                since + limit,
                Timer {
                    kind: TimerKind::WrapUp,
                    slot: c,
                    stamp,
                },
            );
        }
        let agent = &mut self.agents[a as usize];
        agent.contacts.push(c);
        agent.load[class as usize] += 1;
        match phase {
            RestoredPhase::Connected { .. } => agent.talking += 1,
            RestoredPhase::WrapUp { .. } => agent.wrapping += 1,
            RestoredPhase::Queued => {}
        }
        self.refresh_agent(a);
        Ok(())
    }
}
