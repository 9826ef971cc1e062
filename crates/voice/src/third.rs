//! A third party on a call (V6, V7): while the customer holds, the agent consults another
//! agent, then completes the transfer to them (attended), joins all three (a three-way
//! call, every party hearing the other two), or goes back to the customer. Whoever
//! leaves, the others stay connected.

use switchboard_engine::ids::UserId;

use crate::call::{CallEvent, CallRef, CallState, LegState, Party};
use crate::control::ControlError;
use crate::media::LegId;
use crate::switch::{Output, Switch};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThirdMode {
    /// Their devices ring; the customer holds.
    Ringing,
    /// The agent and the third party talk; the customer holds.
    Consulting,
    /// All three hear each other.
    Conference,
}

/// Who is consulted: another agent, or an outside number through a trunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThirdParty {
    Agent(UserId),
    Number(String),
}

/// The consulted party of a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Third {
    pub party: ThirdParty,
    /// Their answered leg (the ringing ones are the call's `trying`).
    pub leg: Option<LegId>,
    pub mode: ThirdMode,
}

impl Switch {
    /// The agent calls `other` while the customer holds.
    pub(crate) fn consult(
        &mut self,
        now: u64,
        call: CallRef,
        other: UserId,
    ) -> Result<(), ControlError> {
        let c = self.calls.get(&call).ok_or(ControlError::NoSuchCall)?;
        if c.third.is_some() {
            return Err(ControlError::Consulting);
        }
        let tenant = c.tenant;
        if self.agent_on(call) == Some(other) {
            return Err(ControlError::ConsultSelf);
        }
        let number = self
            .directory
            .extension_of(tenant, other)
            .map(|e| e.number.clone())
            .ok_or(ControlError::Unreachable)?;
        if self.registrar.bindings(tenant, &number, now).is_empty() {
            return Err(ControlError::Unreachable);
        }
        if let Some(c) = self.calls.get_mut(&call) {
            c.held = true;
            c.third = Some(Third {
                party: ThirdParty::Agent(other),
                leg: None,
                mode: ThirdMode::Ringing,
            });
        }
        if self.ring_devices(now, call, tenant, &number, other, &[]) == 0 {
            // No RTP port was free.
            if let Some(c) = self.calls.get_mut(&call) {
                c.third = None;
            }
            self.remix(call);
            return Err(ControlError::Unreachable);
        }
        self.remix(call);
        self.third_event(call, ThirdParty::Agent(other), ThirdMode::Ringing);
        Ok(())
    }

    /// All three talk together.
    pub(crate) fn join_all(&mut self, call: CallRef) -> Result<(), ControlError> {
        let c = self.calls.get_mut(&call).ok_or(ControlError::NoSuchCall)?;
        let third = c.third.as_mut().ok_or(ControlError::NotConsulting)?;
        if third.mode != ThirdMode::Consulting {
            return Err(ControlError::NotConsulting);
        }
        third.mode = ThirdMode::Conference;
        let party = third.party.clone();
        c.held = false;
        self.remix(call);
        self.third_event(call, party, ThirdMode::Conference);
        Ok(())
    }

    /// The agent drops the third party (ringing, consulting or in the three-way call) and is
    /// back with the customer.
    pub(crate) fn end_third(&mut self, now: u64, call: CallRef) -> Result<(), ControlError> {
        let c = self.calls.get_mut(&call).ok_or(ControlError::NoSuchCall)?;
        let third = c.third.take().ok_or(ControlError::NotConsulting)?;
        c.held = false;
        let ringing: Vec<LegId> = c.trying.drain(..).collect();
        for leg in ringing.into_iter().chain(third.leg) {
            self.end_leg(now, leg, 487);
        }
        self.remix(call);
        self.outputs.push_back(Output::Call(CallEvent::ThirdLeft {
            call,
            party: third.party,
        }));
        Ok(())
    }

    /// Attended transfer: the customer stays with the consulted agent; the agent leaves.
    pub(crate) fn complete_transfer(
        &mut self,
        now: u64,
        call: CallRef,
    ) -> Result<(), ControlError> {
        let c = self.calls.get(&call).ok_or(ControlError::NoSuchCall)?;
        let up = c
            .third
            .as_ref()
            .is_some_and(|t| t.leg.is_some() && t.mode != ThirdMode::Ringing);
        if !up {
            return Err(ControlError::NotConsulting);
        }
        self.hand_to_third(now, call, None);
        Ok(())
    }

    /// The consulted agent takes the agent's place: the agent's leg is released.
    /// `left`: the agent who hung up, when their leg is gone already.
    pub(crate) fn hand_to_third(&mut self, now: u64, call: CallRef, left: Option<UserId>) {
        let Some(c) = self.calls.get_mut(&call) else {
            return;
        };
        let Some(Third {
            party,
            leg: Some(leg),
            ..
        }) = c.third.take()
        else {
            return;
        };
        c.held = false;
        let old = c.callee_leg.replace(leg);
        let from = old
            .and_then(|l| self.legs.get(&l))
            .and_then(|l| match l.party {
                Party::Agent(a) => Some(a),
                _ => None,
            })
            .or(left);
        let on_line = std::mem::take(&mut c.on_line);
        let caller = c.caller_leg;
        if let Some(old) = old {
            self.release_agent_leg(now, call, old, on_line);
        }
        self.remix(call);
        self.outputs
            .push_back(Output::Media(crate::media::MediaCommand::Record {
                call,
                caller,
                callee: leg,
            }));
        let event = match party {
            ThirdParty::Agent(to) => CallEvent::HandedOver { call, from, to },
            // The customer stays with the outside number: the agent's contact ends.
            ThirdParty::Number(n) => CallEvent::HandedOut {
                call,
                from,
                to: crate::handout::HandOut::Number(n),
            },
        };
        self.outputs.push_back(Output::Call(event));
    }

    /// One of the consulted agent's devices answered.
    pub(crate) fn third_answered(&mut self, now: u64, call: CallRef, leg: LegId) {
        let Some(c) = self.calls.get_mut(&call) else {
            return;
        };
        let others: Vec<_> = c.trying.drain(..).filter(|l| *l != leg).collect();
        let Some(third) = c.third.as_mut() else {
            return;
        };
        third.leg = Some(leg);
        third.mode = ThirdMode::Consulting;
        let party = third.party.clone();
        for other in others {
            self.end_leg(now, other, 487);
        }
        if let Some(l) = self.legs.get_mut(&leg) {
            l.state = LegState::Up;
        }
        self.remix(call);
        self.third_event(call, party, ThirdMode::Consulting);
    }

    /// Whether `leg` is (or rings for) the call's third party.
    pub(crate) fn is_third(&self, call: CallRef, leg: LegId) -> bool {
        self.calls.get(&call).is_some_and(|c| {
            c.third.as_ref().is_some_and(|t| {
                t.leg == Some(leg) || (t.mode == ThirdMode::Ringing && c.trying.contains(&leg))
            })
        })
    }

    /// The consulted agent's devices all failed to answer: the agent is back with the
    /// customer, who still holds.
    pub(crate) fn third_unreached(&mut self, call: CallRef) {
        let Some(c) = self.calls.get_mut(&call) else {
            return;
        };
        if let Some(third) = c.third.take() {
            self.remix(call);
            self.outputs.push_back(Output::Call(CallEvent::ThirdLeft {
                call,
                party: third.party,
            }));
        }
    }

    /// Someone on a call with a third party hung up (their leg is gone already); `true` when the call goes on without them. The third party
    /// leaving leaves the agent with the customer (still holding after a consult); the
    /// agent leaving hands the customer to the third party.
    /// `was_agent`: the leg was the agent's, who this is.
    pub(crate) fn party_left(
        &mut self,
        now: u64,
        call: CallRef,
        leg: LegId,
        was_agent: Option<UserId>,
    ) -> bool {
        let Some(c) = self.calls.get_mut(&call) else {
            return false;
        };
        let Some(third) = c.third.as_ref() else {
            return false;
        };
        if third.leg == Some(leg) {
            let party = third.party.clone();
            if third.mode == ThirdMode::Conference {
                c.held = false;
            }
            c.third = None;
            self.remix(call);
            self.outputs
                .push_back(Output::Call(CallEvent::ThirdLeft { call, party }));
            return true;
        }
        // In a three-way call the other two stay; a held customer hanging up during a
        // consultation ends it all (the consultation was about them).
        let joined = third.leg.is_some() && third.mode == ThirdMode::Conference;
        if leg == c.caller_leg && joined && c.state == CallState::Talking {
            return self.customer_left(call);
        }
        if was_agent.is_some() && third.leg.is_some() && c.state == CallState::Talking {
            c.on_line = false;
            self.hand_to_third(now, call, was_agent);
            return true;
        }
        false
    }

    /// The customer hung up in a three-way call: the agent and the third party go on
    /// talking, the third party in the customer's place, and the call ends when either
    /// hangs up. The customer's contact ends now.
    fn customer_left(&mut self, call: CallRef) -> bool {
        let Some(c) = self.calls.get_mut(&call) else {
            return false;
        };
        let Some(third) = c.third.take().and_then(|t| t.leg) else {
            return false;
        };
        c.caller_leg = third;
        c.held = false;
        // Nobody is left to rate the service.
        c.survey = false;
        self.remix(call);
        self.outputs
            .push_back(Output::Call(CallEvent::CustomerLeft { call }));
        true
    }

    fn third_event(&mut self, call: CallRef, party: ThirdParty, mode: ThirdMode) {
        self.outputs
            .push_back(Output::Call(CallEvent::Third { call, party, mode }));
    }

    /// The agent calls an outside number through the trunk of `caller_number` while the
    /// customer holds (the destination rules apply, as to any outbound call).
    pub(crate) fn consult_number(
        &mut self,
        now: u64,
        call: CallRef,
        number: &str,
        caller_number: &str,
    ) -> Result<(), ControlError> {
        let c = self.calls.get(&call).ok_or(ControlError::NoSuchCall)?;
        if c.third.is_some() {
            return Err(ControlError::Consulting);
        }
        let tenant = c.tenant;
        let (number, via) = self.outside(tenant, number, caller_number)?;
        let (target, peer) = via.target(&number);
        if let Some(c) = self.calls.get_mut(&call) {
            c.held = true;
            c.presenting = Some(caller_number.to_owned());
            c.third = Some(Third {
                party: ThirdParty::Number(number.clone()),
                leg: None,
                mode: ThirdMode::Ringing,
            });
        }
        let Some(leg) = self.place_leg(now, call, Party::Destination, target, peer, &[]) else {
            if let Some(c) = self.calls.get_mut(&call) {
                c.third = None;
            }
            self.remix(call);
            return Err(ControlError::Unreachable);
        };
        self.through_trunk(leg, &via);
        self.remix(call);
        self.third_event(call, ThirdParty::Number(number), ThirdMode::Ringing);
        Ok(())
    }

    /// The agent on the call (its answered agent leg's party).
    pub(crate) fn agent_on(&self, call: CallRef) -> Option<UserId> {
        let leg = self.calls.get(&call)?.callee_leg?;
        match self.legs.get(&leg)?.party {
            Party::Agent(a) => Some(a),
            _ => None,
        }
    }
}
