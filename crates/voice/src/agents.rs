//! Offering a queued call to an agent: every registered device of the agent's extension
//! rings (with the auto-answer headers phones understand, when asked); the first to
//! answer is bridged to the caller and the others are cancelled.

use switchboard_engine::ids::{TenantId, UserId};

use crate::call::{CallEvent, CallRef, CallState, LegState, Party, ReleasedBy};
use crate::switch::{Output, Switch};

impl Switch {
    /// Rings the devices of `number`; how many legs were placed.
    pub(crate) fn ring_devices(
        &mut self,
        now: u64,
        call: CallRef,
        tenant: TenantId,
        number: &str,
        agent: UserId,
        extra: &[(&str, String)],
    ) -> usize {
        let bindings = self.registrar.bindings(tenant, number, now);
        let mut placed = 0;
        for b in bindings {
            if self
                .place_leg(now, call, Party::Agent(agent), b.contact, b.peer, extra)
                .is_some()
            {
                placed += 1;
            }
        }
        placed
    }

    /// The routing engine offers a queued call to an agent: ring the agent's devices.
    /// `auto_answer` asks the phone to pick up at once (Call-Info answer-after=0).
    pub fn offer(&mut self, now: u64, call: CallRef, agent: UserId, auto_answer: bool) {
        let Some(c) = self.calls.get(&call) else {
            return;
        };
        let CallState::Queued(queue) = c.state.clone() else {
            return;
        };
        let tenant = c.tenant;
        let number = self
            .directory
            .extension_of(tenant, agent)
            .map(|e| e.number.clone());
        if let Some(c) = self.calls.get_mut(&call) {
            c.state = CallState::Offering { queue, agent };
        }
        // An agent with a standing line hears no ring: the workbench's Answer (or the
        // engine's auto-answer, now) bridges the call onto the line.
        if let Some((line, leg)) = self.free_line(agent) {
            if auto_answer {
                self.connect_line(now, call, line, leg, agent);
            }
            return self.drain_now(now);
        }
        let extra = if auto_answer {
            self.auto_answer_headers()
        } else {
            Vec::new()
        };
        let placed = number.map_or(0, |n| {
            self.ring_devices(now, call, tenant, &n, agent, &extra)
        });
        if placed == 0 {
            self.offer_failed(call, agent);
        }
        self.drain_now(now);
    }

    /// The offer ended without an answer (the engine's ring timeout): stop ringing.
    pub fn withdraw_offer(&mut self, now: u64, call: CallRef) {
        let Some(c) = self.calls.get_mut(&call) else {
            return;
        };
        let CallState::Offering { queue, .. } = c.state.clone() else {
            return;
        };
        c.state = CallState::Queued(queue);
        let trying: Vec<_> = c.trying.drain(..).collect();
        for leg in trying {
            self.end_leg(now, leg, 487);
        }
        self.drain_now(now);
    }

    /// The call is ended from outside SIP (the agent's release button, a supervisor).
    pub fn release(&mut self, now: u64, call: CallRef, by: ReleasedBy) {
        // The contact's wrap-up or close does not cut a survey short: it ends by itself.
        let surveying = self
            .calls
            .get(&call)
            .is_some_and(|c| matches!(c.state, CallState::Survey { .. } | CallState::Farewell));
        if surveying {
            return;
        }
        if !self.start_survey(now, call, &by) {
            self.hang_up(now, call, by, 200);
        }
        self.drain_now(now);
    }

    pub(crate) fn offer_failed(&mut self, call: CallRef, agent: UserId) {
        let Some(c) = self.calls.get_mut(&call) else {
            return;
        };
        if let CallState::Offering { queue, .. } = c.state {
            c.state = CallState::Queued(queue);
        }
        self.outputs
            .push_back(Output::Call(CallEvent::OfferFailed { call, agent }));
    }

    /// A placed leg answered: it becomes the call's other party, the rest stop ringing.
    pub(crate) fn leg_answered(&mut self, now: u64, call: CallRef, leg: crate::media::LegId) {
        if matches!(
            self.calls.get(&call).map(|c| &c.state),
            Some(CallState::Line { .. })
        ) {
            return self.line_answered(now, call, leg);
        }
        if self.is_third(call, leg) {
            return self.third_answered(now, call, leg);
        }
        if self.is_monitor(call, leg) {
            return self.monitor_answered(now, call, leg);
        }
        if self.is_dialling(call) {
            return self.dial_answered(now, call, leg);
        }
        let Some(c) = self.calls.get_mut(&call) else {
            return;
        };
        c.callee_leg = Some(leg);
        let others: Vec<_> = c.trying.drain(..).filter(|l| *l != leg).collect();
        let agent = match &c.state {
            CallState::Offering { agent, .. } => Some(*agent),
            _ => None,
        };
        c.state = CallState::Talking;
        let caller_leg = c.caller_leg;
        for other in others {
            self.end_leg(now, other, 487);
        }
        self.answer_caller(now, call);
        if let Some(l) = self.legs.get_mut(&leg) {
            l.state = LegState::Up;
        }
        self.outputs
            .push_back(Output::Media(crate::media::MediaCommand::Bridge {
                a: caller_leg,
                b: leg,
            }));
        // Every connected call is recorded (V13).
        self.outputs
            .push_back(Output::Media(crate::media::MediaCommand::Record {
                call,
                caller: caller_leg,
                callee: leg,
            }));
        let event = match agent {
            Some(agent) => CallEvent::AgentAnswered { call, agent },
            None => CallEvent::Connected { call },
        };
        self.outputs.push_back(Output::Call(event));
    }
}
