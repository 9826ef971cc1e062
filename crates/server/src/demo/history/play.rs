//! The demo history's agents and customers: each planned step becomes the engine command the
//! API or the channel would send (sign-in, answer, hold, release, wrap-up, giving up), and
//! each engine event plans what its people do next.

use switchboard_engine::acd::{
    Command, ContactPhase, CustomerPriority, Direction, Event, MediaEvent, NewContact, ReleasedBy,
};
use switchboard_engine::{ContactId, UserId};

use super::Sim;
use crate::demo::traffic::{self, Step, MINUTE};

impl Sim<'_> {
    /// Does what was planned for `at`, if it still makes sense.
    pub(super) fn act(&mut self, at: i64, step: Step) {
        let command = match step {
            Step::Arrive(q) => return self.arrive(at, q),
            Step::SignIn(agent) => {
                let queues = self.agents.iter().find(|(a, _)| *a == agent);
                Command::SignIn {
                    agent,
                    queues: queues.and_then(|(_, q)| q.clone()),
                }
            }
            Step::SignOut(agent) => {
                let refused = self.apply(at, Command::SignOut { agent }).is_err();
                if refused && self.signed_in(agent) {
                    // Still on a contact: out once it is done.
                    self.at(at + MINUTE, Step::SignOut(agent));
                }
                return;
            }
            Step::Presence(agent, presence, reason) => Command::SetPresence {
                agent,
                presence,
                reason: reason.and_then(|r| switchboard_engine::acd::ReasonCode::parse(r).ok()),
            },
            other => match self.contact_command(other) {
                Some(command) => command,
                None => return,
            },
        };
        // Refused (the agent is on a break, signed out…): nothing changed, as for the API.
        let _ = self.apply(at, command);
    }

    /// A planned step on a contact, when the contact still stands where it needs to.
    fn contact_command(&self, step: Step) -> Option<Command> {
        let phase = |c: ContactId| self.engine.contact_view(c).map(|v| v.phase);
        match step {
            Step::Answer(agent, contact) => matches!(
                phase(contact)?,
                ContactPhase::Offered { agent: a, .. } if a == agent
            )
            .then_some(Command::Answer { agent, contact }),
            Step::Media(contact, event) => {
                matches!(phase(contact)?, ContactPhase::Connected { .. }).then_some(
                    Command::Media {
                        contact,
                        event,
                        by: None,
                    },
                )
            }
            Step::Release(contact, agent, by) => {
                matches!(phase(contact)?, ContactPhase::Connected { .. })
                    .then_some(Command::Release { contact, agent, by })
            }
            Step::GiveUp(contact) => waiting(phase(contact)?).then_some(Command::Release {
                contact,
                agent: None,
                by: ReleasedBy::Customer,
            }),
            Step::Continue(agent, contact) => {
                matches!(phase(contact)?, ContactPhase::WrapUp { .. }).then_some(
                    Command::ContinueWorking {
                        agent,
                        contact: Some(contact),
                    },
                )
            }
            _ => None,
        }
    }

    /// Applies a command at `at` and takes its events.
    fn apply(
        &mut self,
        at: i64,
        command: Command,
    ) -> Result<(), switchboard_engine::acd::EngineError> {
        let done = self.engine.handle(at, command);
        self.drain();
        done
    }

    /// A customer arrives in a queue, as through the channel's own path; they give up if
    /// nobody answers in time.
    fn arrive(&mut self, at: i64, q: usize) {
        let Some((queue, channel)) = self.queues.get(q).copied() else {
            return;
        };
        let drawn = traffic::contact(&mut self.rng, channel, &self.records.visitors);
        let Ok(priority) = CustomerPriority::new(0) else {
            return;
        };
        let id = ContactId::new();
        if let Some(script) = drawn.script {
            self.records.asked(id, script);
        }
        let contact = NewContact {
            id,
            channel,
            direction: Direction::Inbound,
            queue,
            priority,
            customer: drawn.customer,
            familiar_agent: None,
        };
        self.turn.metas.insert(id, drawn.meta);
        if self.apply(at, Command::CreateContact(contact)).is_err() {
            self.turn.metas.remove(&id);
            return;
        }
        self.played.contacts += 1;
        let patience = traffic::patience(&mut self.rng, channel);
        self.at(at + patience, Step::GiveUp(id));
    }

    /// Plans what follows an event: an offer is answered, a conversation ends (with a hold
    /// now and then), wrap-up is finished.
    pub(super) fn react(&mut self, event: &Event) {
        match *event {
            Event::ContactOffered {
                contact, agent, at, ..
            } => {
                let delay = traffic::answer_delay(&mut self.rng);
                self.at(at + delay, Step::Answer(agent, contact));
            }
            Event::ContactConnected {
                contact, agent, at, ..
            } => self.converse(contact, agent, at),
            Event::ContactWrapUp {
                contact, agent, at, ..
            } => {
                let wrap = traffic::wrap(&mut self.rng);
                self.at(at + wrap, Step::Continue(agent, contact));
            }
            _ => {}
        }
    }

    fn converse(&mut self, contact: ContactId, agent: UserId, at: i64) {
        let Some(channel) = self.engine.contact_view(contact).map(|v| v.channel) else {
            return;
        };
        let talk = traffic::talk(&mut self.rng, channel);
        if let Some((after, held)) = traffic::hold(&mut self.rng, channel, talk) {
            self.at(at + after, Step::Media(contact, MediaEvent::Held));
            self.at(at + after + held, Step::Media(contact, MediaEvent::Resumed));
        }
        let by = traffic::released_by(&mut self.rng, channel);
        let releaser = (by == ReleasedBy::Agent).then_some(agent);
        self.at(at + talk, Step::Release(contact, releaser, by));
    }

    /// The evening's safety net: whatever is still open is ended the way its people would end
    /// it (waiting customers leave, agents finish and sign out). Normally nothing is left.
    pub(super) fn close_everything(&mut self, at: i64) {
        // Twice: a released contact goes to wrap-up first.
        for contact in [self.engine.contact_ids(), self.engine.contact_ids()].concat() {
            let Some(phase) = self.engine.contact_view(contact).map(|v| v.phase) else {
                continue;
            };
            let command = match phase {
                ContactPhase::Connected { agent, .. } => Command::Release {
                    contact,
                    agent: Some(agent),
                    by: ReleasedBy::Agent,
                },
                ContactPhase::WrapUp { agent, .. } => Command::ContinueWorking {
                    agent,
                    contact: Some(contact),
                },
                _ => Command::Release {
                    contact,
                    agent: None,
                    by: ReleasedBy::Customer,
                },
            };
            let _ = self.apply(at, command);
        }
        for (agent, _) in self.agents.clone() {
            if self.signed_in(agent) && self.apply(at, Command::SignOut { agent }).is_err() {
                let out = Command::ForcePresence {
                    agent,
                    presence: None,
                    reason: None,
                };
                let _ = self.apply(at, out);
            }
        }
    }

    pub(super) fn signed_in(&self, agent: UserId) -> bool {
        self.engine
            .agent_view(agent)
            .is_some_and(|v| v.presence.is_some())
    }
}

/// Still waiting for an agent (queued, held for one, or ringing).
fn waiting(phase: ContactPhase) -> bool {
    matches!(
        phase,
        ContactPhase::Queued | ContactPhase::Reserved { .. } | ContactPhase::Offered { .. }
    )
}
