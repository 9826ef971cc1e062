//! Agents' standing lines (persistent connection, V15): the switch calls the agent's phone
//! once (with the auto-answer headers), the phone answers and the leg stays up hearing
//! silence. A call offered to the agent then rings nothing: the workbench's Answer (or the
//! engine's auto-answer) bridges it onto the line, and when it ends the line stays up for
//! the next one. The agent hanging up the line ends the call it carries.

use switchboard_engine::ids::{TenantId, UserId};

use crate::call::{Call, CallEvent, CallRef, CallState, LegState, ReleasedBy};
use crate::media::{LegId, MediaCommand};
use crate::switch::{Output, Switch};

impl Switch {
    /// Calls the agent's phone to keep a line up; `false` when the agent has no extension,
    /// no registered device, or a line already.
    pub fn open_line(&mut self, now: u64, tenant: TenantId, agent: UserId) -> bool {
        if self.lines.contains_key(&agent) {
            return false;
        }
        let Some(number) = self
            .directory
            .extension_of(tenant, agent)
            .map(|e| e.number.clone())
        else {
            return false;
        };
        let call = CallRef(self.next_id());
        self.calls.insert(
            call,
            Call {
                id: call,
                tenant,
                // A line has no caller; its one answered leg is also its callee leg.
                caller_leg: LegId(0),
                trying: Vec::new(),
                callee_leg: None,
                state: CallState::Line {
                    agent,
                    serving: None,
                },
                caller: String::new(),
                dialled: number.clone(),
                walk: None,
                on_line: false,
                announcing: false,
                held: false,
                third: None,
                monitor: None,
                survey: false,
                released_by: None,
                outbound: None,
                presenting: None,
                recorded_with: None,
            },
        );
        let headers = self.auto_answer_headers();
        let placed = self.ring_devices(now, call, tenant, &number, agent, &headers);
        if placed == 0 {
            self.calls.remove(&call);
            return false;
        }
        self.lines.insert(agent, call);
        self.drain_now(now);
        true
    }

    /// Hangs up the agent's line (and the call on it, released by the agent).
    pub fn close_line(&mut self, now: u64, agent: UserId) {
        if let Some(line) = self.lines.get(&agent).copied() {
            let by = ReleasedBy::Callee(crate::call::Party::Agent(agent));
            self.hang_up(now, line, by, 200);
        }
        self.drain_now(now);
    }

    /// Whether the agent's line is up (answered) and carries no call.
    pub fn line_is_free(&self, agent: UserId) -> bool {
        self.free_line(agent).is_some()
    }

    pub(crate) fn free_line(&self, agent: UserId) -> Option<(CallRef, LegId)> {
        let line = *self.lines.get(&agent)?;
        let c = self.calls.get(&line)?;
        let leg = c.callee_leg?;
        let up = self.legs.get(&leg).is_some_and(|l| l.state == LegState::Up);
        matches!(c.state, CallState::Line { serving: None, .. })
            .then_some((line, leg))
            .filter(|_| up)
    }

    /// The workbench answered an offered call: bridge it onto the agent's free line.
    /// Without one the agent's phone rings, and its answer bridges the call instead.
    pub fn answer_on_line(&mut self, now: u64, call: CallRef, agent: UserId) {
        let offered = self
            .calls
            .get(&call)
            .is_some_and(|c| matches!(c.state, CallState::Offering { agent: a, .. } if a == agent));
        if offered {
            if let Some((line, leg)) = self.free_line(agent) {
                self.connect_line(now, call, line, leg, agent);
            }
        }
        self.drain_now(now);
    }

    pub(crate) fn connect_line(
        &mut self,
        now: u64,
        call: CallRef,
        line: CallRef,
        line_leg: LegId,
        agent: UserId,
    ) {
        if let Some(l) = self.calls.get_mut(&line) {
            l.state = CallState::Line {
                agent,
                serving: Some(call),
            };
        }
        let Some(c) = self.calls.get_mut(&call) else {
            return;
        };
        c.state = CallState::Talking;
        c.callee_leg = Some(line_leg);
        c.on_line = true;
        let caller_leg = c.caller_leg;
        self.answer_caller(now, call);
        self.outputs.push_back(Output::Media(MediaCommand::Bridge {
            a: caller_leg,
            b: line_leg,
        }));
        self.outputs.push_back(Output::Media(MediaCommand::Record {
            call,
            caller: caller_leg,
            callee: line_leg,
        }));
        self.outputs
            .push_back(Output::Call(CallEvent::AgentAnswered { call, agent }));
    }

    /// The phone answered the line: it stays up, hearing silence until a call comes.
    pub(crate) fn line_answered(&mut self, now: u64, line: CallRef, leg: LegId) {
        let Some(c) = self.calls.get_mut(&line) else {
            return;
        };
        let CallState::Line { agent, .. } = c.state else {
            return;
        };
        c.callee_leg = Some(leg);
        let others: Vec<_> = c.trying.drain(..).filter(|l| *l != leg).collect();
        let tenant = c.tenant;
        for other in others {
            self.end_leg(now, other, 487);
        }
        if let Some(l) = self.legs.get_mut(&leg) {
            l.state = LegState::Up;
        }
        self.outputs.push_back(Output::Call(CallEvent::Line {
            tenant,
            agent,
            up: true,
        }));
    }

    /// A line ended (hung up, never answered, closed): the call on it ends too.
    pub(crate) fn line_ended(
        &mut self,
        now: u64,
        tenant: TenantId,
        agent: UserId,
        serving: Option<CallRef>,
    ) {
        self.lines.remove(&agent);
        if let Some(call) = serving {
            let by = ReleasedBy::Callee(crate::call::Party::Agent(agent));
            self.hang_up(now, call, by, 200);
        }
        self.outputs.push_back(Output::Call(CallEvent::Line {
            tenant,
            agent,
            up: false,
        }));
    }

    /// A call carried by a line ended: the line is free again.
    pub(crate) fn line_freed(&mut self, call: CallRef) {
        for line in self.lines.values() {
            if let Some(c) = self.calls.get_mut(line) {
                if let CallState::Line { agent, serving } = c.state {
                    if serving == Some(call) {
                        c.state = CallState::Line {
                            agent,
                            serving: None,
                        };
                    }
                }
            }
        }
    }

    pub(crate) fn auto_answer_headers(&self) -> Vec<(&'static str, String)> {
        let local = self.cfg.local.contact(None);
        vec![
            ("Call-Info", format!("{local};answer-after=0")),
            (
                "Alert-Info",
                "<http://localhost>;info=alert-autoanswer".to_owned(),
            ),
        ]
    }
}
