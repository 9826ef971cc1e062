//! The tally: the routing engine's events in, the figures they add to each 15-minute bucket
//! out. Sans-IO like the engine: `handle(&Event)` and `handle_timeout(now)` go in,
//! `drain()` yields [`Increment`]s, `next_timeout()` says when the next bucket closes.
//!
//! Its state is what an open stretch needs to be counted when it ends: each contact's
//! current queue visit and service, each signed-in agent's state since when. That state is a
//! pure function of the events, so a server that restarts replays the stored events of what
//! was open and reaches the same state (see [`Tally::replay`]).

use rustc_hash::FxHashMap as HashMap;

use super::figures::{bucket_of, AgentMeasure, Figures, QueueMeasure, BUCKET_MS};
use crate::acd::{AgentState, ContactOutcome, Direction, Event, MediaEvent, Millis, ReasonCode};
use crate::{Channel, ContactId, SkillQueueId, UserId};

/// A queue's targets, set by its admins: the service-level time (e.g. 80 % in 20 s) and the
/// wait under which an abandon is "short" (a wrong number, not a failure of service).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueTargets {
    pub answer_within_ms: Millis,
    pub short_abandon_ms: Millis,
}

impl Default for QueueTargets {
    fn default() -> Self {
        Self {
            answer_within_ms: 20_000,
            short_abandon_ms: 5_000,
        }
    }
}

/// What one increment adds to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tallied {
    Queue {
        queue: SkillQueueId,
        figures: Figures<QueueMeasure>,
    },
    Agent {
        agent: UserId,
        channel: Channel,
        figures: Figures<AgentMeasure>,
    },
    /// Time an agent spent in a state (busy and rest with their reason), within one bucket.
    State {
        agent: UserId,
        state: AgentState,
        reason: Option<ReasonCode>,
        ms: Millis,
    },
}

/// Figures to add to the bucket holding `at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Increment {
    pub at: Millis,
    pub what: Tallied,
}

impl Increment {
    pub fn bucket(&self) -> Millis {
        bucket_of(self.at)
    }
}

/// A signed-in agent's current stretch.
#[derive(Debug, Clone)]
pub(super) struct AgentTrack {
    pub state: AgentState,
    pub reason: Option<ReasonCode>,
    /// The start of the part of this state not yet counted.
    pub since: Millis,
    /// When the state began (for the wallboard's "in state for").
    pub began: Millis,
    pub queues: Vec<SkillQueueId>,
}

/// An agent handling a contact.
#[derive(Debug, Clone)]
struct Service {
    agent: UserId,
    connected_at: Millis,
    held_since: Option<Millis>,
    hold_ms: Millis,
    wrap_since: Option<Millis>,
}

/// A contact not yet closed.
#[derive(Debug, Clone)]
pub(super) struct ContactTrack {
    pub channel: Channel,
    pub direction: Direction,
    pub queue: SkillQueueId,
    /// Set while the contact waits (or rings) in `queue`: the start of this visit.
    pub waiting_since: Option<Millis>,
    service: Option<Service>,
}

/// See the module documentation.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    targets: HashMap<SkillQueueId, QueueTargets>,
    pub(super) agents: HashMap<UserId, AgentTrack>,
    pub(super) contacts: HashMap<ContactId, ContactTrack>,
    /// Agents' time is counted up to here (a bucket boundary).
    flushed_to: Option<Millis>,
    out: Vec<Increment>,
}

impl Tally {
    pub fn new() -> Self {
        Self::default()
    }

    /// Rebuilds the state a live tally had after `events` (in the order stored) and after
    /// counting agents' time up to `flushed_to`; what they add was stored already, so it is
    /// dropped.
    pub fn replay<'a>(
        targets: impl IntoIterator<Item = (SkillQueueId, QueueTargets)>,
        events: impl IntoIterator<Item = &'a Event>,
        flushed_to: Option<Millis>,
    ) -> Self {
        let mut tally = Self::new();
        tally.targets.extend(targets);
        for e in events {
            tally.handle(e);
        }
        if let Some(to) = flushed_to {
            tally.handle_timeout(to);
        }
        tally.out.clear();
        tally
    }

    pub fn set_targets(&mut self, queue: SkillQueueId, targets: QueueTargets) {
        self.targets.insert(queue, targets);
    }

    pub fn targets(&self, queue: SkillQueueId) -> QueueTargets {
        self.targets.get(&queue).copied().unwrap_or_default()
    }

    /// Where agents' time has been counted to.
    pub fn flushed_to(&self) -> Option<Millis> {
        self.flushed_to
    }

    /// The next bucket boundary, while anyone's time runs.
    pub fn next_timeout(&self) -> Option<Millis> {
        let running = !self.agents.is_empty();
        self.flushed_to.map(|f| f + BUCKET_MS).filter(|_| running)
    }

    /// Counts every signed-in agent's time up to the last bucket boundary at or before `now`.
    pub fn handle_timeout(&mut self, now: Millis) {
        let boundary = bucket_of(now);
        if self.flushed_to.is_some_and(|f| f >= boundary) {
            return;
        }
        self.flushed_to = Some(boundary);
        let mut spans = Vec::new();
        for (id, a) in &mut self.agents {
            if a.since < boundary {
                spans.push((*id, a.state, a.reason.clone(), a.since, boundary));
                a.since = boundary;
            }
        }
        for (agent, state, reason, from, to) in spans {
            self.span(agent, state, reason, from, to);
        }
    }

    /// Everything counted since the last call.
    pub fn drain(&mut self) -> Vec<Increment> {
        std::mem::take(&mut self.out)
    }

    pub fn handle(&mut self, event: &Event) {
        self.handle_timeout(event.at());
        match event {
            Event::AgentSignedIn { agent, queues, at }
            | Event::AgentQueuesReset { agent, queues, at } => {
                self.track_agent(*agent, *at).queues = queues.clone();
            }
            Event::AgentSignedOut { agent, .. } => {
                if let Some(a) = self.agents.get_mut(agent) {
                    a.queues.clear();
                }
            }
            Event::AgentStateChanged {
                agent,
                state,
                reason,
                at,
            } => self.agent_state(*agent, *state, reason.clone(), *at),
            Event::ContactCreated {
                contact,
                channel,
                direction,
                queue,
                at,
                ..
            } => self.created(*contact, *channel, *direction, *queue, *at),
            Event::ContactOffered {
                contact, agent, at, ..
            } => {
                self.count_agent(*contact, *agent, *at, &[(AgentMeasure::Offers, 1)]);
            }
            Event::ContactOfferTimedOut {
                contact, agent, at, ..
            } => {
                self.count_agent(*contact, *agent, *at, &[(AgentMeasure::NoAnswers, 1)]);
                if let Some(q) = self.contacts.get(contact).map(|c| c.queue) {
                    self.count_queue(q, *at, &[(QueueMeasure::NoAnswers, 1)]);
                }
            }
            Event::ContactConnected {
                contact, agent, at, ..
            } => self.connected(*contact, *agent, *at),
            Event::ContactMedia {
                contact, event, at, ..
            } => self.media(*contact, *event, *at),
            Event::ContactWrapUp { contact, at, .. } => self.wrap_up(*contact, *at),
            Event::ContactTransferred {
                contact, queue, at, ..
            } => self.transferred(*contact, *queue, *at),
            Event::ContactOverflowed {
                contact,
                from,
                to,
                at,
            } => self.overflowed(*contact, *from, *to, *at),
            Event::ContactClosed {
                contact,
                outcome,
                at,
                ..
            } => self.closed(*contact, *outcome, *at),
            Event::ContactQueued { contact, at, .. } => {
                // A visit always starts with the event that moved the contact; a contact
                // queued with none running (restored from an old store) starts one here.
                if let Some(c) = self.contacts.get_mut(contact) {
                    if c.waiting_since.is_none() && c.service.is_none() {
                        c.waiting_since = Some(*at);
                    }
                }
            }
            Event::ContactReserved { .. } => {}
        }
    }

    fn track_agent(&mut self, agent: UserId, at: Millis) -> &mut AgentTrack {
        self.agents.entry(agent).or_insert_with(|| AgentTrack {
            state: AgentState::SignedOut,
            reason: None,
            since: at,
            began: at,
            queues: Vec::new(),
        })
    }

    fn agent_state(
        &mut self,
        agent: UserId,
        state: AgentState,
        reason: Option<ReasonCode>,
        at: Millis,
    ) {
        let reason = reason.filter(|_| matches!(state, AgentState::Busy | AgentState::Rest));
        let track = self.track_agent(agent, at);
        let (old, old_reason, since) = (track.state, track.reason.take(), track.since);
        if state == AgentState::SignedOut {
            self.agents.remove(&agent);
        } else {
            let track = self.track_agent(agent, at);
            track.state = state;
            track.reason = reason;
            track.since = at;
            track.began = at;
        }
        self.span(agent, old, old_reason, since, at);
    }

    /// Counts an agent's time in a state from `from` to `to`, split at bucket boundaries.
    fn span(
        &mut self,
        agent: UserId,
        state: AgentState,
        reason: Option<ReasonCode>,
        from: Millis,
        to: Millis,
    ) {
        if state == AgentState::SignedOut {
            return;
        }
        let mut start = from;
        while start < to {
            let end = (bucket_of(start) + BUCKET_MS).min(to);
            self.out.push(Increment {
                at: start,
                what: Tallied::State {
                    agent,
                    state,
                    reason: reason.clone(),
                    ms: end - start,
                },
            });
            start = end;
        }
    }

    fn count_queue(&mut self, queue: SkillQueueId, at: Millis, pairs: &[(QueueMeasure, i64)]) {
        self.out.push(Increment {
            at,
            what: Tallied::Queue {
                queue,
                figures: Figures::of(pairs),
            },
        });
    }

    fn count_agent(
        &mut self,
        contact: ContactId,
        agent: UserId,
        at: Millis,
        pairs: &[(AgentMeasure, i64)],
    ) {
        let Some(channel) = self.contacts.get(&contact).map(|c| c.channel) else {
            return;
        };
        self.out.push(Increment {
            at,
            what: Tallied::Agent {
                agent,
                channel,
                figures: Figures::of(pairs),
            },
        });
    }

    fn created(
        &mut self,
        contact: ContactId,
        channel: Channel,
        direction: Direction,
        queue: SkillQueueId,
        at: Millis,
    ) {
        // A contact known already is being restored after a restart: it goes on as it was.
        if self.contacts.contains_key(&contact) {
            return;
        }
        let inbound = direction == Direction::Inbound;
        self.contacts.insert(
            contact,
            ContactTrack {
                channel,
                direction,
                queue,
                waiting_since: inbound.then_some(at),
                service: None,
            },
        );
        let measure = if inbound {
            QueueMeasure::Offered
        } else {
            QueueMeasure::Outbound
        };
        self.count_queue(queue, at, &[(measure, 1)]);
    }

    fn connected(&mut self, contact: ContactId, agent: UserId, at: Millis) {
        let Some(c) = self.contacts.get_mut(&contact) else {
            return;
        };
        let waited = c.waiting_since.take().map(|w| (at - w).max(0));
        let (queue, direction) = (c.queue, c.direction);
        c.service = Some(Service {
            agent,
            connected_at: at,
            held_since: None,
            hold_ms: 0,
            wrap_since: None,
        });
        match waited {
            Some(wait) => {
                let within = wait <= self.targets(queue).answer_within_ms;
                use QueueMeasure::*;
                self.count_queue(
                    queue,
                    at,
                    &[
                        (Answered, 1),
                        (AnsweredInTarget, i64::from(within)),
                        (AnswerWaitMs, wait),
                        (MaxWaitMs, wait),
                    ],
                );
                self.count_agent(contact, agent, at, &[(AgentMeasure::Answered, 1)]);
            }
            None if direction == Direction::Outbound => {
                self.count_agent(contact, agent, at, &[(AgentMeasure::Outbound, 1)]);
            }
            None => {}
        }
    }

    fn media(&mut self, contact: ContactId, event: MediaEvent, at: Millis) {
        let Some(s) = self
            .contacts
            .get_mut(&contact)
            .and_then(|c| c.service.as_mut())
        else {
            return;
        };
        match event {
            MediaEvent::Held if s.held_since.is_none() => s.held_since = Some(at),
            MediaEvent::Resumed => end_hold(s, at),
            _ => {}
        }
    }

    fn wrap_up(&mut self, contact: ContactId, at: Millis) {
        if let Some(s) = self
            .contacts
            .get_mut(&contact)
            .and_then(|c| c.service.as_mut())
        {
            end_hold(s, at);
            s.wrap_since.get_or_insert(at);
        }
    }

    /// The service ends: its talk, hold and wrap-up count for the agent and the queue.
    fn end_service(&mut self, contact: ContactId, at: Millis, transferred: bool) {
        let Some(c) = self.contacts.get_mut(&contact) else {
            return;
        };
        let Some(mut s) = c.service.take() else {
            return;
        };
        let queue = c.queue;
        let talk_end = s.wrap_since.unwrap_or(at);
        end_hold(&mut s, talk_end);
        let talk = (talk_end - s.connected_at - s.hold_ms).max(0);
        let wrap = s.wrap_since.map_or(0, |w| (at - w).max(0));
        let moved = i64::from(transferred);
        use QueueMeasure as Q;
        self.count_queue(
            queue,
            at,
            &[
                (Q::Handled, 1),
                (Q::TalkMs, talk),
                (Q::HoldMs, s.hold_ms),
                (Q::WrapMs, wrap),
                (Q::TransferredOut, moved),
            ],
        );
        use AgentMeasure as A;
        self.count_agent(
            contact,
            s.agent,
            at,
            &[
                (A::Handled, 1),
                (A::TalkMs, talk),
                (A::HoldMs, s.hold_ms),
                (A::WrapMs, wrap),
                (A::TransferredOut, moved),
            ],
        );
    }

    fn transferred(&mut self, contact: ContactId, to: SkillQueueId, at: Millis) {
        self.end_service(contact, at, true);
        let Some(c) = self.contacts.get_mut(&contact) else {
            return;
        };
        c.queue = to;
        c.waiting_since = Some(at);
        use QueueMeasure::*;
        self.count_queue(to, at, &[(Offered, 1), (TransferredIn, 1)]);
    }

    fn overflowed(&mut self, contact: ContactId, from: SkillQueueId, to: SkillQueueId, at: Millis) {
        let Some(c) = self.contacts.get_mut(&contact) else {
            return;
        };
        let waited = c.waiting_since.replace(at).map_or(0, |w| (at - w).max(0));
        c.queue = to;
        use QueueMeasure::*;
        self.count_queue(from, at, &[(OverflowedOut, 1), (MaxWaitMs, waited)]);
        self.count_queue(to, at, &[(Offered, 1), (OverflowedIn, 1)]);
    }

    fn closed(&mut self, contact: ContactId, outcome: ContactOutcome, at: Millis) {
        self.end_service(contact, at, false);
        let Some(c) = self.contacts.remove(&contact) else {
            return;
        };
        let Some(since) = c.waiting_since else {
            return;
        };
        let wait = (at - since).max(0);
        let short = wait < self.targets(c.queue).short_abandon_ms;
        use QueueMeasure::*;
        let pairs: &[(QueueMeasure, i64)] = match outcome {
            ContactOutcome::Abandoned => &[
                (Abandoned, 1),
                (AbandonedShort, i64::from(short)),
                (AbandonWaitMs, wait),
                (MaxWaitMs, wait),
            ],
            ContactOutcome::TimedOut => &[(TimedOut, 1), (MaxWaitMs, wait)],
            ContactOutcome::Cancelled => &[(Cancelled, 1)],
            ContactOutcome::Completed => &[],
        };
        if !pairs.is_empty() {
            self.count_queue(c.queue, at, pairs);
        }
    }
}

fn end_hold(s: &mut Service, at: Millis) {
    if let Some(h) = s.held_since.take() {
        s.hold_ms += (at - h).max(0);
    }
}
