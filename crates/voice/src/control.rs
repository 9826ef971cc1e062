//! Call control from the workbench: hold and resume, the soft keypad, and taking the agent
//! off a call that goes back to a queue (a blind transfer: the routing engine then offers
//! it like any call). Who hears whom follows from the call's state in one place, `remix`.

use switchboard_engine::ids::{SkillQueueId, UserId};

use crate::call::{CallEvent, CallRef, CallState, LegState};
use crate::media::{LegId, MediaCommand};
use crate::switch::{Output, Switch};
use crate::third::ThirdMode;

/// What the agent (through the server) asks of a connected call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Control {
    /// The caller hears music, the agent silence.
    Hold,
    Resume,
    /// DTMF to the caller's side (RFC 4733), e.g. to walk another company's IVR.
    Digits(String),
    /// Call another agent while the customer holds.
    Consult(UserId),
    /// Call an outside number through the trunk of `caller_number` while the customer holds.
    ConsultNumber {
        number: String,
        caller_number: String,
    },
    /// The consulted agent answered: all three talk (a three-way call).
    JoinAll,
    /// Drop the consulted agent (ringing, talking, or in the three-way call) and be back
    /// with the customer.
    EndThird,
    /// Attended transfer: the customer stays with the consulted agent; the agent leaves.
    CompleteTransfer,
    /// A supervisor starts monitoring the call, or changes how (their phone answers by
    /// itself the first time).
    Monitor {
        supervisor: UserId,
        mode: crate::monitor::MonitorMode,
    },
    /// The supervisor stops monitoring.
    EndMonitor {
        supervisor: UserId,
    },
    /// The routing engine handed the contact on (a transfer to `queue`, or to `agent`):
    /// when `agent` is the consulted one, the customer stays with them (an attended
    /// transfer); when it is the agent on the call already, nothing changes; otherwise
    /// the agent's leg is released (a standing line stays up) and the caller waits in
    /// `queue` with music, to be offered again.
    HandOn {
        queue: SkillQueueId,
        agent: Option<UserId>,
    },
    /// Blind transfer to an outside number through the trunk of `caller_number`.
    TransferOut {
        number: String,
        caller_number: String,
    },
    /// Send the customer into an IVR flow, at `node` or its start.
    ToFlow {
        flow: switchboard_engine::ids::IvrFlowId,
        node: Option<String>,
    },
    /// Ask the customer to rate the service now.
    ToSurvey,
}

/// Why a control was refused; nothing changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ControlError {
    #[error("no such call")]
    NoSuchCall,
    #[error("the call is not connected to an agent")]
    NotConnected,
    #[error("the call is on hold already")]
    AlreadyHeld,
    #[error("the call is not on hold")]
    NotHeld,
    #[error("digits are 0-9, *, #, A-D, at most 32 at a time")]
    BadDigits,
    #[error("a consultation is under way")]
    Consulting,
    #[error("no consultation is under way")]
    NotConsulting,
    #[error("the agent is on this call already")]
    ConsultSelf,
    #[error("the agent has no phone registered")]
    Unreachable,
    #[error("another supervisor is monitoring this call")]
    Monitored,
    #[error("you are not monitoring this call")]
    NotMonitored,
    #[error("not a phone number")]
    BadNumber,
    #[error("the caller number is not enabled for outbound calls")]
    NotOutboundNumber,
    #[error("the caller number's trunk has no outbound proxy")]
    NoTrunk,
    #[error("the outbound rules forbid calls to this number")]
    DestinationRefused,
    #[error("no such IVR flow or node")]
    NoSuchFlow,
}

/// The most digits one keypad request sends.
pub const MAX_DIGITS: usize = 32;

impl Switch {
    /// Applies a control to a connected call; refused (and nothing changes) when the call's
    /// state does not allow it.
    pub fn control(
        &mut self,
        now: u64,
        call: CallRef,
        control: Control,
    ) -> Result<(), ControlError> {
        let c = self.calls.get(&call).ok_or(ControlError::NoSuchCall)?;
        let connected = c.state == CallState::Talking
            && c.callee_leg
                .and_then(|l| self.legs.get(&l))
                .is_some_and(|l| l.state == LegState::Up);
        if !connected {
            return Err(ControlError::NotConnected);
        }
        let held = c.held;
        let caller = c.caller_leg;
        let consulting = c.third.is_some();
        let third_control = matches!(
            control,
            Control::Consult(_)
                | Control::ConsultNumber { .. }
                | Control::JoinAll
                | Control::EndThird
                | Control::CompleteTransfer
        );
        let always = matches!(
            control,
            Control::Digits(_)
                | Control::HandOn { .. }
                | Control::Monitor { .. }
                | Control::EndMonitor { .. }
        );
        if consulting && !third_control && !always {
            return Err(ControlError::Consulting);
        }
        match control {
            Control::Consult(other) => self.consult(now, call, other)?,
            Control::ConsultNumber {
                number,
                caller_number,
            } => self.consult_number(now, call, &number, &caller_number)?,
            Control::JoinAll => self.join_all(call)?,
            Control::EndThird => self.end_third(now, call)?,
            Control::CompleteTransfer => self.complete_transfer(now, call)?,
            Control::Monitor { supervisor, mode } => self.monitor(now, call, supervisor, mode)?,
            Control::EndMonitor { supervisor } => self.end_monitor(now, call, supervisor)?,
            Control::Hold if held => return Err(ControlError::AlreadyHeld),
            Control::Resume if !held => return Err(ControlError::NotHeld),
            Control::Hold | Control::Resume => {
                if let Some(c) = self.calls.get_mut(&call) {
                    c.held = !held;
                }
                self.remix(call);
            }
            Control::Digits(digits) => {
                let fine = !digits.is_empty()
                    && digits.len() <= MAX_DIGITS
                    && digits.chars().all(|d| "0123456789*#ABCD".contains(d));
                if !fine {
                    return Err(ControlError::BadDigits);
                }
                self.outputs
                    .push_back(Output::Media(MediaCommand::SendDigits {
                        leg: caller,
                        digits,
                    }));
            }
            Control::HandOn { queue, agent } => self.hand_on(now, call, queue, agent),
            Control::TransferOut {
                number,
                caller_number,
            } => self.transfer_out(now, call, &number, &caller_number)?,
            Control::ToFlow { flow, node } => {
                self.send_to_flow(now, call, flow, node.as_deref())?
            }
            Control::ToSurvey => self.send_to_survey(now, call)?,
        }
        self.drain_now(now);
        Ok(())
    }

    /// Sets who hears whom on a talking call from its state: held or not, its third party
    /// ringing, consulted or joined, and a supervisor listening, whispering or barged in.
    pub(crate) fn remix(&mut self, call: CallRef) {
        let Some(c) = self.calls.get(&call) else {
            return;
        };
        let (Some(agent), CallState::Talking) = (c.callee_leg, &c.state) else {
            return;
        };
        let caller = c.caller_leg;
        let third = c.third.as_ref().and_then(|t| t.leg.map(|l| (l, t.mode)));
        // Who talks with whom; a held caller hears music instead.
        let mut hears: Vec<(LegId, Vec<LegId>)> = match third {
            Some((t, ThirdMode::Conference)) => vec![
                (caller, vec![agent, t]),
                (agent, vec![caller, t]),
                (t, vec![caller, agent]),
            ],
            Some((t, _)) => vec![(agent, vec![t]), (t, vec![agent])],
            None if c.held => vec![(agent, vec![])],
            None => vec![(caller, vec![agent]), (agent, vec![caller])],
        };
        let caller_held = !hears.iter().any(|(l, _)| *l == caller);
        if let Some((sup, mode)) = c.monitor.as_ref().and_then(|m| m.leg.map(|l| (l, m.mode))) {
            crate::monitor::add_supervisor(&mut hears, sup, mode, agent);
        }
        // The recording's other side is whom the customer hears: a third party joined in, a
        // supervisor barged in (not one whispering); the agent alone while they hold.
        let agents = match hears.iter().find(|(l, _)| *l == caller) {
            Some((_, from)) if from.len() > 1 => Some(from.clone()),
            _ => None,
        };
        let mut commands = Vec::new();
        if caller_held {
            commands.push(MediaCommand::Music { leg: caller });
        }
        let plain = hears.len() == 2
            && hears[0] == (caller, vec![agent])
            && hears[1] == (agent, vec![caller]);
        if plain {
            commands.push(MediaCommand::Bridge {
                a: caller,
                b: agent,
            });
        } else {
            commands.extend(
                hears
                    .into_iter()
                    .map(|(leg, from)| MediaCommand::Hear { leg, from }),
            );
        }
        if agents != c.recorded_with {
            commands.push(MediaCommand::RecordSides {
                call,
                customer: caller,
                agents: agents.clone().unwrap_or_else(|| vec![agent]),
            });
        }
        self.outputs.extend(commands.into_iter().map(Output::Media));
        if let Some(c) = self.calls.get_mut(&call) {
            c.recorded_with = agents;
        }
    }

    fn hand_on(&mut self, now: u64, call: CallRef, queue: SkillQueueId, agent: Option<UserId>) {
        let consulted = self
            .calls
            .get(&call)
            .and_then(|c| c.third.as_ref())
            .filter(|t| t.leg.is_some())
            .and_then(|t| match t.party {
                crate::third::ThirdParty::Agent(a) => Some(a),
                crate::third::ThirdParty::Number(_) => None,
            });
        match agent {
            Some(a) if self.agent_on(call) == Some(a) => {}
            Some(a) if consulted == Some(a) => self.hand_to_third(now, call, None),
            _ => {
                let from = self.agent_on(call);
                self.requeue(now, call, queue);
                self.outputs.push_back(Output::Call(CallEvent::Requeued {
                    call,
                    from,
                    queue,
                    to: agent,
                }));
            }
        }
    }

    /// The caller goes back to waiting in `queue`; the agent's leg is released (and a
    /// consulted agent's).
    fn requeue(&mut self, now: u64, call: CallRef, queue: SkillQueueId) {
        let Some(c) = self.calls.get_mut(&call) else {
            return;
        };
        c.state = CallState::Queued(queue);
        let caller = c.caller_leg;
        self.leave_caller_alone(now, call);
        self.outputs
            .push_back(Output::Media(MediaCommand::Music { leg: caller }));
        self.arm_announcement(now, call);
    }

    /// Takes everyone but the caller off `call`: the agent's leg released, legs still
    /// ringing, a consulted agent and a supervisor hung up; nobody holds any more.
    pub(crate) fn leave_caller_alone(&mut self, now: u64, call: CallRef) {
        let Some(c) = self.calls.get_mut(&call) else {
            return;
        };
        c.held = false;
        let agent_leg = c.callee_leg.take();
        let on_line = std::mem::take(&mut c.on_line);
        let mut others: Vec<LegId> = c.trying.drain(..).collect();
        others.extend(c.third.take().and_then(|t| t.leg));
        if let Some(m) = c.monitor.take() {
            others.extend(m.ringing.into_iter().chain(m.leg));
        }
        if let Some(leg) = agent_leg {
            self.release_agent_leg(now, call, leg, on_line);
        }
        for leg in others {
            self.end_leg(now, leg, 487);
        }
    }

    /// Takes an agent's leg off `call`: a standing line goes back to silence and waits for
    /// the next call; a leg of this call is hung up.
    pub(crate) fn release_agent_leg(&mut self, now: u64, call: CallRef, leg: LegId, on_line: bool) {
        if on_line {
            self.line_freed(call);
            self.outputs.push_back(Output::Media(MediaCommand::Hear {
                leg,
                from: Vec::new(),
            }));
        } else {
            self.end_leg(now, leg, 200);
        }
    }
}
