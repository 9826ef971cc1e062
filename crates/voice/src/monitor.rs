//! A supervisor on a live call (P3): their phone is called (it answers by itself) and
//! joins the call listening (hears everyone, heard by no one), whispering (heard by the
//! agent only) or barged in (a three-way call); the mode changes without dropping the call.

use switchboard_engine::ids::UserId;

use crate::call::{CallEvent, CallRef, CallState, LegState};
use crate::control::ControlError;
use crate::media::LegId;
use crate::switch::{Output, Switch};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonitorMode {
    Listen,
    Whisper,
    Barge,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Monitor {
    pub supervisor: UserId,
    /// Their answered leg.
    pub leg: Option<LegId>,
    /// Their devices still ringing.
    pub ringing: Vec<LegId>,
    pub mode: MonitorMode,
}

/// Adds the supervisor's leg to who-hears-whom: they hear everyone in the conversation;
/// the agent hears them when whispering, everyone when barged in.
pub(crate) fn add_supervisor(
    hears: &mut Vec<(LegId, Vec<LegId>)>,
    supervisor: LegId,
    mode: MonitorMode,
    agent: LegId,
) {
    let talking: Vec<LegId> = hears.iter().map(|(l, _)| *l).collect();
    for (leg, from) in hears.iter_mut() {
        let hears_them = match mode {
            MonitorMode::Listen => false,
            MonitorMode::Whisper => *leg == agent,
            MonitorMode::Barge => true,
        };
        if hears_them {
            from.push(supervisor);
        }
    }
    hears.push((supervisor, talking));
}

impl Switch {
    /// A supervisor starts monitoring the call, or changes how.
    pub(crate) fn monitor(
        &mut self,
        now: u64,
        call: CallRef,
        supervisor: UserId,
        mode: MonitorMode,
    ) -> Result<(), ControlError> {
        let c = self.calls.get(&call).ok_or(ControlError::NoSuchCall)?;
        if c.state != CallState::Talking {
            return Err(ControlError::NotConnected);
        }
        if let Some(m) = c.monitor.as_ref() {
            if m.supervisor != supervisor {
                return Err(ControlError::Monitored);
            }
            if let Some(m) = self.calls.get_mut(&call).and_then(|c| c.monitor.as_mut()) {
                m.mode = mode;
            }
            self.remix(call);
            self.monitor_event(call, supervisor, Some(mode));
            self.drain_now(now);
            return Ok(());
        }
        let tenant = c.tenant;
        let number = self
            .directory
            .extension_of(tenant, supervisor)
            .map(|e| e.number.clone())
            .ok_or(ControlError::Unreachable)?;
        if self.registrar.bindings(tenant, &number, now).is_empty() {
            return Err(ControlError::Unreachable);
        }
        let headers = self.auto_answer_headers();
        let before = c.trying.len();
        self.ring_devices(now, call, tenant, &number, supervisor, &headers);
        let Some(c) = self.calls.get_mut(&call) else {
            return Err(ControlError::NoSuchCall);
        };
        let ringing: Vec<LegId> = c.trying.drain(before..).collect();
        if ringing.is_empty() {
            return Err(ControlError::Unreachable);
        }
        c.monitor = Some(Monitor {
            supervisor,
            leg: None,
            ringing,
            mode,
        });
        self.drain_now(now);
        Ok(())
    }

    /// The supervisor stops monitoring: their leg is hung up.
    pub(crate) fn end_monitor(
        &mut self,
        now: u64,
        call: CallRef,
        supervisor: UserId,
    ) -> Result<(), ControlError> {
        let c = self.calls.get_mut(&call).ok_or(ControlError::NoSuchCall)?;
        if c.monitor
            .as_ref()
            .is_none_or(|m| m.supervisor != supervisor)
        {
            return Err(ControlError::NotMonitored);
        }
        let m = c.monitor.take().ok_or(ControlError::NotMonitored)?;
        for leg in m.ringing.into_iter().chain(m.leg) {
            self.end_leg(now, leg, 487);
        }
        self.remix(call);
        self.monitor_event(call, supervisor, None);
        self.drain_now(now);
        Ok(())
    }

    pub(crate) fn is_monitor(&self, call: CallRef, leg: LegId) -> bool {
        self.calls
            .get(&call)
            .and_then(|c| c.monitor.as_ref())
            .is_some_and(|m| m.leg == Some(leg) || m.ringing.contains(&leg))
    }

    pub(crate) fn monitor_answered(&mut self, now: u64, call: CallRef, leg: LegId) {
        let Some(m) = self.calls.get_mut(&call).and_then(|c| c.monitor.as_mut()) else {
            return;
        };
        let others: Vec<LegId> = m.ringing.drain(..).filter(|l| *l != leg).collect();
        m.leg = Some(leg);
        let (supervisor, mode) = (m.supervisor, m.mode);
        for other in others {
            self.end_leg(now, other, 487);
        }
        if let Some(l) = self.legs.get_mut(&leg) {
            l.state = LegState::Up;
        }
        self.remix(call);
        self.monitor_event(call, supervisor, Some(mode));
    }

    /// A supervisor's leg ended (hung up, never answered): the call goes on without them.
    /// `true` when `leg` was theirs.
    pub(crate) fn monitor_left(&mut self, call: CallRef, leg: LegId) -> bool {
        let Some(c) = self.calls.get_mut(&call) else {
            return false;
        };
        let Some(m) = c.monitor.as_mut() else {
            return false;
        };
        let theirs = m.leg == Some(leg) || m.ringing.contains(&leg);
        m.ringing.retain(|l| *l != leg);
        let gone = m.leg == Some(leg) || (m.leg.is_none() && m.ringing.is_empty());
        if theirs && gone {
            let supervisor = m.supervisor;
            c.monitor = None;
            self.remix(call);
            self.monitor_event(call, supervisor, None);
        }
        theirs
    }

    fn monitor_event(&mut self, call: CallRef, supervisor: UserId, mode: Option<MonitorMode>) {
        self.outputs.push_back(Output::Call(CallEvent::Monitor {
            call,
            supervisor,
            mode,
        }));
    }
}
