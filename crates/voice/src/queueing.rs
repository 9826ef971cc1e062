//! A caller waiting in a queue beyond the music: the place-in-line announcement every so
//! often (the server supplies the figures from the routing engine), and voicemail when the
//! wait runs out (or an IVR node sends them there): a greeting and a tone, the caller
//! recorded until `#`, the time limit or their hang-up, a goodbye; the message then becomes
//! a callback task or a ticket, as the queue (or the IVR node) says.

use crate::announce::{announcement, voicemail_greeting, Voicemail};
use crate::call::{CallEvent, CallRef, CallState, ReleasedBy};
use crate::media::{LegId, MediaCommand};
use crate::switch::{Output, Switch, Timer};

/// The tone after the voicemail greeting.
pub const BEEP: &str = "beep";
const GOODBYE: [&str; 2] = ["zh-goodbye", "en-goodbye"];

impl Switch {
    /// Sets the call's next announcement, when its queue asks for them.
    pub(crate) fn arm_announcement(&mut self, now: u64, call: CallRef) {
        let Some(c) = self.calls.get(&call) else {
            return;
        };
        let Some(queue) = waiting_in(&c.state) else {
            return;
        };
        let every = self
            .directory
            .queue_voice(c.tenant, queue)
            .and_then(|v| v.announce_every_ms);
        if let Some(every) = every {
            self.clear_timer(Timer::Announce(call));
            self.set_timer(now + every, Timer::Announce(call));
        }
    }

    pub(crate) fn announcement_due(&mut self, call: CallRef) {
        let Some(c) = self.calls.get(&call) else {
            return;
        };
        if let (Some(queue), false) = (waiting_in(&c.state), c.announcing) {
            let tenant = c.tenant;
            self.outputs
                .push_back(Output::Call(CallEvent::AnnouncementDue {
                    call,
                    tenant,
                    queue,
                }));
        }
    }

    /// The server's figures for a due announcement: the caller's place in line (1 = next)
    /// and the estimated wait. `None` (not waiting in line just now): the next one is set.
    pub fn announce(&mut self, now: u64, call: CallRef, place: Option<u32>, wait_ms: Option<u64>) {
        let Some(c) = self.calls.get_mut(&call) else {
            return;
        };
        let Some(queue) = waiting_in(&c.state) else {
            return;
        };
        let languages = self
            .directory
            .queue_voice(c.tenant, queue)
            .map(|v| v.languages.clone())
            .unwrap_or_default();
        match place {
            Some(place) if !languages.is_empty() => {
                c.announcing = true;
                let leg = c.caller_leg;
                self.outputs.push_back(Output::Media(MediaCommand::Play {
                    leg,
                    prompts: announcement(&languages, place, wait_ms),
                    interruptible: false,
                }));
            }
            _ => self.arm_announcement(now, call),
        }
        self.drain_now(now);
    }

    /// The routing engine gave up on the queued call (its maximum wait, nowhere to
    /// overflow): voicemail when the queue has it, otherwise the call ends.
    pub fn queue_timed_out(&mut self, now: u64, call: CallRef) {
        let settings = self.calls.get(&call).and_then(|c| {
            let queue = waiting_in(&c.state)?;
            let s = self.directory.queue_voice(c.tenant, queue)?;
            Some((s.voicemail.clone()?, voicemail_greeting(&s.languages)))
        });
        match settings {
            Some((v, greeting)) => self.start_voicemail(now, call, greeting, v),
            None => self.hang_up(now, call, ReleasedBy::System, 200),
        }
        self.drain_now(now);
    }

    /// Greets the caller for a message: `prompts`, then the tone, then recording.
    pub(crate) fn start_voicemail(
        &mut self,
        now: u64,
        call: CallRef,
        mut prompts: Vec<String>,
        v: Voicemail,
    ) {
        self.clear_timer(Timer::Announce(call));
        let Some(c) = self.calls.get_mut(&call) else {
            return;
        };
        c.state = CallState::Voicemail {
            to: v.to,
            max_ms: v.max_ms,
            since: None,
        };
        c.announcing = false;
        let (leg, trying) = (c.caller_leg, std::mem::take(&mut c.trying));
        for l in trying {
            self.end_leg(now, l, 487);
        }
        self.answer_caller(now, call);
        prompts.push(BEEP.to_owned());
        self.outputs.push_back(Output::Media(MediaCommand::Play {
            leg,
            prompts,
            interruptible: false,
        }));
    }

    /// Prompts ended on a waiting or leaving caller's leg; `true` when that was ours.
    pub(crate) fn queue_prompts_done(&mut self, now: u64, leg: LegId) -> bool {
        let Some(call) = self.legs.get(&leg).map(|l| l.call) else {
            return false;
        };
        let Some(c) = self.calls.get_mut(&call).filter(|c| c.caller_leg == leg) else {
            return false;
        };
        match c.state.clone() {
            _ if c.announcing && waiting_in(&c.state).is_some() => {
                c.announcing = false;
                self.outputs
                    .push_back(Output::Media(MediaCommand::Music { leg }));
                self.arm_announcement(now, call);
            }
            CallState::Voicemail {
                to,
                max_ms,
                since: None,
            } => {
                c.state = CallState::Voicemail {
                    to,
                    max_ms,
                    since: Some(now),
                };
                self.outputs.push_back(Output::Media(MediaCommand::Record {
                    call,
                    caller: leg,
                    callee: leg,
                }));
                self.set_timer(now + max_ms, Timer::VoicemailEnd(call));
            }
            CallState::Farewell => self.hang_up(now, call, ReleasedBy::System, 200),
            _ => return false,
        }
        true
    }

    /// `#` ends a message; `true` when the key was for voicemail.
    pub(crate) fn voicemail_digit(&mut self, now: u64, leg: LegId, digit: char) -> bool {
        let Some(call) = self.legs.get(&leg).map(|l| l.call) else {
            return false;
        };
        let recording = self.calls.get(&call).is_some_and(|c| {
            c.caller_leg == leg && matches!(c.state, CallState::Voicemail { since: Some(_), .. })
        });
        if recording && digit == '#' {
            self.end_voicemail(now, call);
        }
        recording
    }

    /// The message is over (`#` or its time limit): it is kept, the caller hears goodbye.
    pub(crate) fn end_voicemail(&mut self, now: u64, call: CallRef) {
        self.clear_timer(Timer::VoicemailEnd(call));
        let Some(c) = self.calls.get_mut(&call) else {
            return;
        };
        let was = std::mem::replace(&mut c.state, CallState::Farewell);
        let leg = c.caller_leg;
        self.message_left(now, call, &was);
        self.outputs.push_back(Output::Media(MediaCommand::Play {
            leg,
            prompts: GOODBYE.map(str::to_owned).to_vec(),
            interruptible: false,
        }));
    }

    /// Says that a message was left, when `was` is a voicemail being recorded.
    pub(crate) fn message_left(&mut self, now: u64, call: CallRef, was: &CallState) {
        let CallState::Voicemail {
            to,
            since: Some(since),
            ..
        } = *was
        else {
            return;
        };
        let Some(c) = self.calls.get(&call) else {
            return;
        };
        self.outputs
            .push_back(Output::Call(CallEvent::VoicemailLeft {
                call,
                tenant: c.tenant,
                to,
                caller: c.caller.clone(),
                duration_ms: now.saturating_sub(since),
            }));
    }
}

/// The queue a caller waits in (with music), ringing agents or not.
fn waiting_in(state: &CallState) -> Option<switchboard_engine::SkillQueueId> {
    match state {
        CallState::Queued(q) | CallState::Offering { queue: q, .. } => Some(*q),
        _ => None,
    }
}
