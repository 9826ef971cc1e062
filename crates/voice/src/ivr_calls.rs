//! A call in an IVR flow and in a queue: the caller is answered, walks the flow (prompts
//! played on their leg, keys from RFC 4733 or SIP INFO, the walk's timers), and ends in a
//! skill queue (hearing music until an agent answers), an extension, voicemail, or a hang-up.

use crate::call::{CallEvent, CallRef, CallState, ReleasedBy};
use crate::ivr::{Action, Exit, Flow, Walk};
use crate::media::{LegId, MediaCommand};
use crate::switch::{Output, Switch, Timer};
use switchboard_engine::SkillQueueId;

impl Switch {
    pub(crate) fn start_walk(&mut self, now: u64, call: CallRef, flow: &Flow) {
        self.answer_caller(now, call);
        let mut walk = Walk::new(flow.clone());
        let actions = walk.start(now);
        if let Some(c) = self.calls.get_mut(&call) {
            c.state = CallState::Ivr;
            c.walk = Some(walk);
        }
        self.walk_actions(now, call, actions);
    }

    /// The caller waits in `queue` with music; the server makes it a contact.
    pub(crate) fn enqueue(&mut self, now: u64, call: CallRef, queue: SkillQueueId) {
        let Some(c) = self.calls.get_mut(&call) else {
            return;
        };
        c.state = CallState::Queued(queue);
        let (path, variables) = match &c.walk {
            Some(w) => (
                w.path_text(),
                w.variables
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            ),
            None => (String::new(), Vec::new()),
        };
        let (tenant, caller, leg) = (c.tenant, c.caller.clone(), c.caller_leg);
        self.outputs
            .push_back(Output::Media(MediaCommand::Music { leg }));
        self.outputs.push_back(Output::Call(CallEvent::Queued {
            call,
            tenant,
            queue,
            caller,
            path,
            variables,
        }));
        self.arm_announcement(now, call);
    }

    fn walk_actions(&mut self, now: u64, call: CallRef, actions: Vec<Action>) {
        let Some(leg) = self.calls.get(&call).map(|c| c.caller_leg) else {
            return;
        };
        for action in actions {
            match action {
                Action::Play {
                    prompts,
                    interruptible,
                } => {
                    self.outputs.push_back(Output::Media(MediaCommand::Play {
                        leg,
                        prompts,
                        interruptible,
                    }));
                }
                Action::StopPrompts => self
                    .outputs
                    .push_back(Output::Media(MediaCommand::StopPrompts { leg })),
                Action::Timer(at) => {
                    self.clear_timer(Timer::Ivr(call));
                    self.set_timer(at, Timer::Ivr(call));
                }
                Action::Done(exit) => {
                    self.clear_timer(Timer::Ivr(call));
                    match exit {
                        Exit::Queue(q) => self.enqueue(now, call, q),
                        Exit::Voicemail { prompts, voicemail } => {
                            self.start_voicemail(now, call, prompts, voicemail)
                        }
                        Exit::Extension(n) => {
                            if let Some(c) = self.calls.get_mut(&call) {
                                c.state = CallState::Connecting;
                            }
                            self.ring_extension(now, call, &n);
                        }
                        Exit::Hangup => self.hang_up(now, call, ReleasedBy::System, 200),
                    }
                }
            }
        }
    }

    fn walking(&mut self, leg: LegId) -> Option<(CallRef, &mut Walk)> {
        let call = self.legs.get(&leg)?.call;
        let c = self.calls.get_mut(&call)?;
        if c.state != CallState::Ivr || c.caller_leg != leg {
            return None;
        }
        Some((call, c.walk.as_mut()?))
    }

    /// A key from the caller (RFC 4733 through the media, or SIP INFO).
    pub(crate) fn ivr_digit(&mut self, now: u64, leg: LegId, digit: char) {
        if self.voicemail_digit(now, leg, digit) || self.survey_digit(leg, digit) {
            return;
        }
        let Some((call, walk)) = self.walking(leg) else {
            return;
        };
        let actions = walk.on_digit(now, digit);
        self.walk_actions(now, call, actions);
    }

    pub(crate) fn prompts_done(&mut self, now: u64, leg: LegId) {
        if self.queue_prompts_done(now, leg) || self.survey_prompts_done(now, leg) {
            return;
        }
        let Some((call, walk)) = self.walking(leg) else {
            return;
        };
        let actions = walk.on_prompts_done(now);
        self.walk_actions(now, call, actions);
    }

    pub(crate) fn ivr_timeout(&mut self, now: u64, call: CallRef) {
        let Some(leg) = self.calls.get(&call).map(|c| c.caller_leg) else {
            return;
        };
        let Some((call, walk)) = self.walking(leg) else {
            return;
        };
        let actions = walk.on_timeout(now);
        self.walk_actions(now, call, actions);
    }
}
