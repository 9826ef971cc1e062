//! Outbound calls (外呼, V9): the workbench asks, the switch calls the agent's phone (or
//! uses their standing line), then the customer through the trunk of the caller number the
//! agent presents, with ringback (or the carrier's early media) to the agent, and bridges
//! the two when the customer answers. The destination rules are checked here as well as at
//! the edge: no INVITE reaches a trunk for a number the tenant's rules refuse.

use switchboard_engine::ids::{TenantId, UserId};
use switchboard_sip::sdp::{choose_audio, Sdp};
use switchboard_sip::Response;

use crate::call::{Call, CallEvent, CallRef, CallState, LegState, Party, ReleasedBy};
use crate::destinations::Refusal;
use crate::directory::{normalize_number, TrunkOutbound, COUNTRY_CODE};
use crate::legs::CODECS;
use crate::media::{LegId, MediaCommand};
use crate::switch::{Output, Switch, Timer};

/// How long the customer's phone may ring before the call is given up (ms).
pub const CUSTOMER_RING_MS: u64 = 60_000;
/// The ringback the agent hears until the customer answers: one 5 s cadence, repeated.
pub const RINGBACK: &str = "ringback";
const RINGBACK_REPEATS: usize = (CUSTOMER_RING_MS / 5_000) as usize;

/// An agent's request to call a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dial {
    pub tenant: TenantId,
    pub agent: UserId,
    /// The customer's number as typed (normalized here).
    pub number: String,
    /// The hotline number presented as caller ID; its outbound trunk carries the call.
    pub caller_number: String,
}

/// Why a call could not be placed; nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialError {
    /// Not a phone number.
    BadNumber,
    /// The caller number is not the tenant's or not enabled for outbound calls.
    NotOutboundNumber,
    /// The caller number's trunk is gone or has no outbound proxy.
    NoTrunk,
    /// The tenant's destination rules refuse the number.
    Refused(Refusal),
    /// The agent has no extension, no registered phone and no standing line.
    NoPhone,
    /// The agent is on a call already.
    OnACall,
    /// No RTP port is free.
    NoCapacity,
}

impl Switch {
    /// Whether `dial` would place the call (it checks the same first): the number, the
    /// caller number's trunk, the destination rules, the agent's phone and capacity.
    pub fn check_dial(&self, d: &Dial) -> Result<(), DialError> {
        self.dial_route(d).map(|_| ())
    }

    /// An outside number (normalized) the tenant's rules allow, and the trunk of
    /// `caller_number` to reach it through: what every INVITE to a customer passes.
    pub(crate) fn outside_route(
        &self,
        tenant: TenantId,
        number: &str,
        caller_number: &str,
    ) -> Result<(String, TrunkOutbound), DialError> {
        let number = normalize_number(number, COUNTRY_CODE).ok_or(DialError::BadNumber)?;
        let via = self.outbound_route(tenant, caller_number)?;
        self.directory
            .outbound_policy(tenant)
            .check(&number)
            .map_err(DialError::Refused)?;
        Ok((number, via))
    }

    /// The customer's normalized number and the trunk to reach them through.
    fn dial_route(&self, d: &Dial) -> Result<(String, TrunkOutbound), DialError> {
        let (number, via) = self.outside_route(d.tenant, &d.number, &d.caller_number)?;
        if self.on_a_call(d.agent) {
            return Err(DialError::OnACall);
        }
        let phone = self.free_line(d.agent).is_some()
            || self
                .directory
                .extension_of(d.tenant, d.agent)
                .is_some_and(|e| self.registrar.devices(d.tenant, &e.number) > 0);
        if !phone {
            return Err(DialError::NoPhone);
        }
        // Two legs: the agent's and the customer's.
        if self.ports.available() < 2 {
            return Err(DialError::NoCapacity);
        }
        Ok((number, via))
    }

    /// Places an outbound call for an agent: their phone first, the customer once it answers.
    pub fn dial(&mut self, now: u64, d: Dial) -> Result<CallRef, DialError> {
        let (number, via) = self.dial_route(&d)?;
        let call = CallRef(self.next_id());
        self.calls
            .insert(call, dialling_call(call, &d, &number, via));
        self.outputs.push_back(Output::Call(CallEvent::Started {
            call,
            tenant: d.tenant,
            caller: d.caller_number.clone(),
            dialled: number.clone(),
            placed_by: Some(d.agent),
        }));
        if let Some((line, leg)) = self.free_line(d.agent) {
            self.take_line(call, line, leg, d.agent);
            self.call_customer(now, call);
            self.drain_now(now);
            return Ok(call);
        }
        let extension = self
            .directory
            .extension_of(d.tenant, d.agent)
            .map(|e| e.number.clone());
        let headers = self.auto_answer_headers();
        let placed = extension.map_or(0, |n| {
            self.ring_devices(now, call, d.tenant, &n, d.agent, &headers)
        });
        if placed == 0 {
            // Nothing went out: the call never was.
            self.calls.remove(&call);
            self.outputs.retain(|o| !is_started(o, call));
            return Err(DialError::NoPhone);
        }
        self.drain_now(now);
        Ok(call)
    }

    /// The trunk the caller number's calls leave through.
    fn outbound_route(&self, tenant: TenantId, caller: &str) -> Result<TrunkOutbound, DialError> {
        let trunk = self
            .directory
            .number(tenant, caller)
            .and_then(|n| n.outbound_trunk)
            .ok_or(DialError::NotOutboundNumber)?;
        self.directory
            .trunk(tenant, trunk)
            .and_then(|t| t.outbound.clone())
            .ok_or(DialError::NoTrunk)
    }

    /// Whether the agent is on a call or placing one (their line carries one, or a call
    /// names them as its answered or dialling agent).
    fn on_a_call(&self, agent: UserId) -> bool {
        self.calls.values().any(|c| match &c.state {
            CallState::Dialing { agent: a } => *a == agent,
            CallState::Line { agent: a, serving } => *a == agent && serving.is_some(),
            CallState::Talking => c
                .callee_leg
                .and_then(|l| self.legs.get(&l))
                .is_some_and(|l| l.party == Party::Agent(agent)),
            _ => false,
        })
    }

    fn take_line(&mut self, call: CallRef, line: CallRef, leg: LegId, agent: UserId) {
        if let Some(l) = self.calls.get_mut(&line) {
            l.state = CallState::Line {
                agent,
                serving: Some(call),
            };
        }
        if let Some(c) = self.calls.get_mut(&call) {
            c.callee_leg = Some(leg);
            c.on_line = true;
        }
    }

    pub(crate) fn is_dialling(&self, call: CallRef) -> bool {
        self.calls
            .get(&call)
            .is_some_and(|c| matches!(c.state, CallState::Dialing { .. }))
    }

    /// The customer's leg of a call still being dialled.
    pub(crate) fn is_dialled_customer(&self, call: CallRef, leg: LegId) -> bool {
        self.calls
            .get(&call)
            .is_some_and(|c| matches!(c.state, CallState::Dialing { .. }) && c.caller_leg == leg)
    }

    /// A leg of a dialling call answered: the agent's phone (now call the customer), or
    /// the customer (bridge them to the agent).
    pub(crate) fn dial_answered(&mut self, now: u64, call: CallRef, leg: LegId) {
        if self.is_dialled_customer(call, leg) {
            return self.customer_answered(call, leg);
        }
        let Some(c) = self.calls.get_mut(&call) else {
            return;
        };
        c.callee_leg = Some(leg);
        let others: Vec<_> = c.trying.drain(..).filter(|l| *l != leg).collect();
        for other in others {
            self.end_leg(now, other, 487);
        }
        if let Some(l) = self.legs.get_mut(&leg) {
            l.state = LegState::Up;
        }
        self.call_customer(now, call);
    }

    /// Sends the INVITE to the customer through the trunk.
    fn call_customer(&mut self, now: u64, call: CallRef) {
        let Some(c) = self.calls.get(&call) else {
            return;
        };
        let Some(out) = c.outbound.clone() else {
            return;
        };
        let (target, peer) = out.via.target(&out.number);
        let Some(leg) = self.place_leg(now, call, Party::Customer, target, peer, &[]) else {
            return self.hang_up(now, call, ReleasedBy::System, 503);
        };
        self.through_trunk(leg, &out.via);
        self.clear_timer(Timer::RingOut(leg));
        self.set_timer(now + CUSTOMER_RING_MS, Timer::RingOut(leg));
        if let Some(c) = self.calls.get_mut(&call) {
            c.trying.retain(|l| *l != leg);
            c.caller_leg = leg;
        }
    }

    /// The customer's phone rings (ringback to the agent) or the carrier sends early media
    /// (a ringback of its own, "the number is not in service"): the agent hears that.
    pub(crate) fn customer_progress(&mut self, call: CallRef, leg: LegId, resp: &Response) {
        let Some(agent_leg) = self.calls.get(&call).and_then(|c| c.callee_leg) else {
            return;
        };
        let early = Sdp::parse(&resp.body)
            .ok()
            .and_then(|sdp| choose_audio(&sdp, CODECS).map(|chosen| (sdp, chosen)));
        let Some(l) = self.legs.get_mut(&leg) else {
            return;
        };
        match early {
            Some((sdp, chosen)) if l.chosen.is_none() => {
                l.chosen = Some(chosen);
                l.offer = Some(sdp);
                let remote = MediaCommand::Remote {
                    leg,
                    remote: chosen.remote,
                    codec: chosen.codec,
                    telephone_event: chosen.telephone_event,
                };
                self.outputs.push_back(Output::Media(remote));
                self.outputs
                    .push_back(Output::Media(MediaCommand::StopPrompts { leg: agent_leg }));
                self.outputs.push_back(Output::Media(MediaCommand::Hear {
                    leg: agent_leg,
                    from: vec![leg],
                }));
            }
            None if l.chosen.is_none() && l.state == (LegState::Calling { ringing: true }) => {
                let ringback = MediaCommand::Play {
                    leg: agent_leg,
                    prompts: vec![RINGBACK.to_owned(); RINGBACK_REPEATS],
                    interruptible: false,
                };
                self.outputs.push_back(Output::Media(ringback));
            }
            _ => {}
        }
    }

    fn customer_answered(&mut self, call: CallRef, leg: LegId) {
        let Some(c) = self.calls.get_mut(&call) else {
            return;
        };
        c.state = CallState::Talking;
        let Some(agent_leg) = c.callee_leg else {
            return;
        };
        if let Some(l) = self.legs.get_mut(&leg) {
            l.state = LegState::Up;
        }
        self.outputs
            .push_back(Output::Media(MediaCommand::StopPrompts { leg: agent_leg }));
        self.outputs.push_back(Output::Media(MediaCommand::Bridge {
            a: leg,
            b: agent_leg,
        }));
        self.outputs.push_back(Output::Media(MediaCommand::Record {
            call,
            caller: leg,
            callee: agent_leg,
        }));
        self.outputs
            .push_back(Output::Call(CallEvent::Connected { call }));
    }

    /// A leg of a dialling call failed: the customer's (busy, no answer, refused: the
    /// call ends with their answer) or the last of the agent's devices.
    pub(crate) fn dial_failed(&mut self, now: u64, call: CallRef, leg: LegId, status: u16) {
        let Some(c) = self.calls.get(&call) else {
            return;
        };
        if c.caller_leg == leg {
            let by = ReleasedBy::Callee(Party::Customer);
            return self.hang_up(now, call, by, status);
        }
        if c.trying.is_empty() && c.callee_leg.is_none() {
            self.hang_up(now, call, ReleasedBy::System, status);
        }
    }
}

/// What an outbound call remembers of its request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outbound {
    /// The customer's number, normalized.
    pub number: String,
    pub via: TrunkOutbound,
}

fn dialling_call(call: CallRef, d: &Dial, number: &str, via: TrunkOutbound) -> Call {
    Call {
        id: call,
        tenant: d.tenant,
        // Until the customer's leg is placed (after the agent's phone answered).
        caller_leg: LegId(0),
        trying: Vec::new(),
        callee_leg: None,
        state: CallState::Dialing { agent: d.agent },
        caller: d.caller_number.clone(),
        dialled: number.to_owned(),
        walk: None,
        on_line: false,
        announcing: false,
        held: false,
        third: None,
        monitor: None,
        survey: false,
        released_by: None,
        outbound: Some(Outbound {
            number: number.to_owned(),
            via,
        }),
        presenting: Some(d.caller_number.clone()),
        recorded_with: None,
    }
}

fn is_started(o: &Output, call: CallRef) -> bool {
    matches!(o, Output::Call(CallEvent::Started { call: c, .. }) if *c == call)
}
