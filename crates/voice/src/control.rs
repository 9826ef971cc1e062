//! Call control from the workbench: hold and resume, the soft keypad, and taking the agent
//! off a call that goes back to a queue (a blind transfer: the routing engine then offers
//! it like any call). Who hears whom follows from the call's state in one place, `remix`.

use switchboard_engine::ids::SkillQueueId;

use crate::call::{CallRef, CallState, LegState};
use crate::media::{LegId, MediaCommand};
use crate::switch::{Output, Switch};

/// What the agent (through the server) asks of a connected call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Control {
    /// The caller hears music, the agent silence.
    Hold,
    Resume,
    /// DTMF to the caller's side (RFC 4733), e.g. to walk another company's IVR.
    Digits(String),
    /// The agent hands the caller on: the agent's leg is released (a standing line stays
    /// up) and the caller waits in `queue` with music, to be offered again.
    Requeue(SkillQueueId),
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
        match control {
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
            Control::Requeue(queue) => self.requeue(now, call, queue),
        }
        self.drain_now(now);
        Ok(())
    }

    /// Sets who hears whom on a talking call from its state.
    pub(crate) fn remix(&mut self, call: CallRef) {
        let Some(c) = self.calls.get(&call) else {
            return;
        };
        let (Some(agent), CallState::Talking) = (c.callee_leg, &c.state) else {
            return;
        };
        let caller = c.caller_leg;
        let commands = if c.held {
            vec![
                MediaCommand::Music { leg: caller },
                MediaCommand::Hear {
                    leg: agent,
                    from: Vec::new(),
                },
            ]
        } else {
            vec![MediaCommand::Bridge {
                a: caller,
                b: agent,
            }]
        };
        self.outputs.extend(commands.into_iter().map(Output::Media));
    }

    /// The caller goes back to waiting in `queue`; the agent's leg is released.
    fn requeue(&mut self, now: u64, call: CallRef, queue: SkillQueueId) {
        let Some(c) = self.calls.get_mut(&call) else {
            return;
        };
        c.state = CallState::Queued(queue);
        c.held = false;
        let caller = c.caller_leg;
        let agent_leg = c.callee_leg.take();
        let on_line = std::mem::take(&mut c.on_line);
        if let Some(leg) = agent_leg {
            self.release_agent_leg(now, call, leg, on_line);
        }
        self.outputs
            .push_back(Output::Media(MediaCommand::Music { leg: caller }));
        self.arm_announcement(now, call);
    }

    /// Takes an agent's leg off `call`: a standing line goes back to silence and waits for
    /// the next call; a leg of this call is hung up.
    fn release_agent_leg(&mut self, now: u64, call: CallRef, leg: LegId, on_line: bool) {
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
