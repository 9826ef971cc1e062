//! The media runner: one task per call (`media_call.rs`) owning a
//! `switchboard_media::Session` and the UDP sockets of its legs. The runner routes the
//! switch's media commands to the task holding each leg, and moves a leg between tasks when
//! two calls' legs are bridged (an agent's standing line joining the call it takes). It
//! never touches the database.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

use switchboard_voice::call::CallRef;
use switchboard_voice::{LegId, MediaCommand, MediaEvent};
use tokio::sync::{mpsc, oneshot};

use super::media_call::{self, CallMedia};
use super::recordings::RecordingFile;
use super::runtime::Input;
use super::uploads::UploadedPrompts;
use crate::clock::MediaClock;

pub struct MediaRunner {
    calls: HashMap<CallRef, mpsc::UnboundedSender<CallMedia>>,
    /// The task each leg lives in (its call's, or the call it was moved to).
    legs: HashMap<LegId, CallRef>,
    bind: IpAddr,
    clock: MediaClock,
    events: mpsc::Sender<Input>,
    /// Ports whose sockets closed, on their way back to the switch.
    freed: mpsc::UnboundedSender<u16>,
    /// Built-in and uploaded prompts, all in memory.
    prompts: Arc<UploadedPrompts>,
}

impl MediaRunner {
    pub fn new(bind: IpAddr, events: mpsc::Sender<Input>, prompts: Arc<UploadedPrompts>) -> Self {
        let (freed, mut ports) = mpsc::unbounded_channel();
        let to_switch = events.clone();
        tokio::spawn(async move {
            while let Some(port) = ports.recv().await {
                let event = Input::Media(MediaEvent::PortFreed { port });
                if to_switch.send(event).await.is_err() {
                    return;
                }
            }
        });
        Self {
            calls: HashMap::new(),
            legs: HashMap::new(),
            bind,
            clock: MediaClock::start(),
            events,
            freed,
            prompts,
        }
    }

    pub fn command(&mut self, cmd: MediaCommand) {
        let call = match &cmd {
            MediaCommand::Open { call, leg, .. } => {
                self.legs.insert(*leg, *call);
                Some(*call)
            }
            MediaCommand::Remote { leg, .. }
            | MediaCommand::Close { leg }
            | MediaCommand::Play { leg, .. }
            | MediaCommand::StopPrompts { leg }
            | MediaCommand::SendDigits { leg, .. }
            | MediaCommand::Music { leg } => self.legs.get(leg).copied(),
            MediaCommand::Bridge { a, b } => self.bring_together(*a, &[*b]),
            MediaCommand::Hear { leg, from } => self.bring_together(*leg, from),
            MediaCommand::Record { call, .. } | MediaCommand::RecordSides { call, .. } => {
                Some(*call)
            }
        };
        let Some(call) = call else { return };
        if let MediaCommand::Close { leg } = &cmd {
            self.legs.remove(leg);
        }
        let task = self.calls.entry(call).or_insert_with(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            let setup = media_call::Setup {
                bind: self.bind,
                clock: self.clock,
                events: self.events.clone(),
                freed: self.freed.clone(),
                library: self.prompts.clone(),
            };
            tokio::spawn(media_call::run(rx, setup));
            tx
        });
        if let Err(lost) = task.send(CallMedia::Command(cmd)) {
            // A port the task never took goes straight back.
            if let CallMedia::Command(MediaCommand::Open { port, .. }) = lost.0 {
                let _ = self.freed.send(port);
            }
        }
        self.forget_if_empty(call);
    }

    /// Starts recording `call` into `file` (the runtime opened it where recordings live);
    /// `done` is told once the file is finished, or dropped when recording never started.
    pub fn record(
        &mut self,
        call: CallRef,
        (caller, callee): (LegId, LegId),
        file: RecordingFile,
        done: oneshot::Sender<()>,
    ) {
        // The callee may have moved into the caller's task (a standing line).
        let home = self.legs.get(&caller).copied().unwrap_or(call);
        if let Some(task) = self.calls.get(&home) {
            let _ = task.send(CallMedia::Record {
                caller,
                callee,
                file,
                done,
            });
        }
    }

    /// The recording of `call` goes on with these legs (in the same file).
    pub fn record_legs(&mut self, call: CallRef, caller: LegId, agents: Vec<LegId>) {
        let home = self.legs.get(&caller).copied().unwrap_or(call);
        if let Some(task) = self.calls.get(&home) {
            let _ = task.send(CallMedia::RecordLegs { caller, agents });
        }
    }

    /// The task where `a` hears (or is bridged with) `others`: `a`'s, with each of the
    /// others moved there when it lives in another call's task.
    fn bring_together(&mut self, a: LegId, others: &[LegId]) -> Option<CallRef> {
        let home = *self.legs.get(&a)?;
        for b in others {
            match self.legs.get(b) {
                Some(&from) if from != home => self.move_leg(*b, from, home),
                Some(_) => {}
                None => return None,
            }
        }
        Some(home)
    }

    /// Moves a leg's stream and sockets from one task to another. The destination holds
    /// back every later command until the leg arrives, so order is kept.
    fn move_leg(&mut self, leg: LegId, from: CallRef, to: CallRef) {
        let (Some(src), Some(dst)) = (self.calls.get(&from), self.calls.get(&to)) else {
            return;
        };
        if dst.send(CallMedia::Expect { leg }).is_err() {
            return;
        }
        let hand = CallMedia::Hand {
            leg,
            to: dst.clone(),
        };
        if src.send(hand).is_err() {
            let _ = dst.send(CallMedia::Adopt { leg, moved: None });
            return;
        }
        self.legs.insert(leg, to);
        self.forget_if_empty(from);
    }

    /// A task whose legs are all closed or gone has nothing more to do.
    fn forget_if_empty(&mut self, call: CallRef) {
        if !self.legs.values().any(|c| *c == call) {
            self.calls.remove(&call);
        }
    }
}
