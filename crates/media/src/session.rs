//! A media session: the legs of one call and what each hears, ticked every 20 ms. This is
//! what the future runner drives (see the crate docs): it hands in datagrams with
//! [`Session::handle_receive`], calls [`Session::handle_timeout`] when
//! [`Session::poll_timeout`] says, and sends or acts on what [`Session::poll_output`]
//! yields — datagrams with their destination, events, and recording frames.
//!
//! On each tick every leg's inbound frame is taken from its jitter buffer (what that party
//! said), then each leg is sent what its [`Source`] gives: silence, its own player, another
//! leg (a bridge), or the mix of the other mixing legs. Set-up (adding legs) allocates;
//! ticks and packets don't: frames live in vectors sized when legs are added, and the
//! output queue is bounded.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::time::Duration;

use crate::dtmf::{ReceivedDigit, SendError};
use crate::g711::Codec;
use crate::leg::{Leg, LegConfig, LegEvent, Transmit};
use crate::mixer::{add_saturating, mix_minus};
use crate::player::{Player, PlayerEvent};
use crate::{Frame, Instant, FRAME, SILENCE};

/// Outputs a session holds per leg before it drops the oldest.
const OUTPUTS_PER_LEG: usize = 48;
/// Ticks made up at once when called late; further behind, the missed ticks are skipped.
const MAX_CATCH_UP: u32 = 5;

/// A leg of this session, by position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LegId(usize);

impl LegId {
    pub fn index(self) -> usize {
        self.0
    }
}

/// What a leg hears.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Silence (still sent, so the remote's RTP timeout and NAT bindings stay alive).
    Silence,
    /// The leg's own player: prompts, music on hold.
    Player,
    /// Another leg: what it says (a bridge when two legs hear each other).
    Leg(LegId),
    /// The sum of every other leg whose source is `Mix` (a conference).
    Mix,
    /// The sum of the legs named by [`Session::hear`]: any "who hears whom" — a three-way
    /// call, a supervisor listening (hears both, heard by none) or whispering (heard by the
    /// agent only).
    Sum,
}

/// Something that happened on a leg.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    Latched { leg: LegId, from: SocketAddr },
    Digit { leg: LegId, digit: ReceivedDigit },
    Player { leg: LegId, event: PlayerEvent },
    RtpTimeout { leg: LegId },
    Bye { leg: LegId },
}

/// One 20 ms tick of a recording: what each side said (silence if nothing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordFrame {
    pub customer: Frame,
    pub agent: Frame,
}

/// What the runner must do.
// Outputs live by value in a preallocated queue; boxing the big variants would allocate
// on every tick, which is what the size buys us out of.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// Send this datagram from the leg's socket.
    Transmit {
        leg: LegId,
        transmit: Transmit,
    },
    Event(Event),
    /// Write to the call's [`crate::recorder::Recorder`].
    Record(RecordFrame),
}

#[derive(Debug)]
struct Slot {
    leg: Leg,
    player: Player,
    source: Source,
    /// The legs summed for [`Source::Sum`].
    sum_of: Vec<LegId>,
    /// A received digit stops an interruptible prompt.
    barge_in: bool,
    /// Closed legs neither send nor take packets; their place stays so ids stay valid.
    closed: bool,
}

/// The media of one call.
#[derive(Debug, Default)]
pub struct Session {
    slots: Vec<Slot>,
    said: Vec<Frame>,
    hears: Vec<Frame>,
    mix_said: Vec<Frame>,
    mix_hears: Vec<Frame>,
    /// The customer's leg and the agent's (none while the customer waits between agents).
    /// The customer's leg, and the legs summed on the agent's side (the agent, a third
    /// party joined in, a supervisor barged in).
    recording: Option<(LegId, Vec<LegId>)>,
    next_tick: Option<Instant>,
    outputs: VecDeque<Output>,
    dropped: u64,
}

impl Session {
    pub fn new() -> Session {
        Session::default()
    }

    /// Adds a leg hearing silence, with barge-in on. Allocates: call at set-up.
    pub fn add_leg(&mut self, config: LegConfig) -> LegId {
        self.attach(Leg::new(config))
    }

    /// Takes in a leg detached from another session, its stream going on (same SSRC,
    /// sequence and statistics); it hears silence. Allocates: call at set-up.
    pub fn attach(&mut self, leg: Leg) -> LegId {
        self.slots.push(Slot {
            leg,
            player: Player::new(),
            source: Source::Silence,
            sum_of: Vec::new(),
            barge_in: true,
            closed: false,
        });
        for frames in [
            &mut self.said,
            &mut self.hears,
            &mut self.mix_said,
            &mut self.mix_hears,
        ] {
            frames.push(SILENCE);
        }
        self.outputs.reserve(OUTPUTS_PER_LEG);
        LegId(self.slots.len() - 1)
    }

    /// Takes a leg out to go on in another session (an agent's standing line joining a
    /// call): unlike `close`, no BYE is sent. Here its place stays closed, legs that heard
    /// it hear silence, and a recording of it stops.
    pub fn detach(&mut self, id: LegId) -> Option<Leg> {
        let slot = self.slots.get_mut(id.0).filter(|s| !s.closed)?;
        let stand_in = Leg::new(slot.leg.config().clone());
        let leg = std::mem::replace(&mut slot.leg, stand_in);
        slot.player.stop();
        slot.source = Source::Silence;
        slot.closed = true;
        self.said[id.0] = SILENCE;
        self.stop_recording_of(id);
        Some(leg)
    }

    /// Whether a recording is being made (it stops when one of its legs goes).
    pub fn is_recording(&self) -> bool {
        self.recording.is_some()
    }

    /// A leg leaves: the recording stops with the customer's; without the agent's it goes
    /// on with the agent's side silent (a transfer), until another agent is recorded.
    fn stop_recording_of(&mut self, id: LegId) {
        match &mut self.recording {
            Some((customer, _)) if *customer == id => self.recording = None,
            Some((_, agents)) => agents.retain(|a| *a != id),
            _ => {}
        }
    }

    pub fn leg(&self, id: LegId) -> Option<&Leg> {
        self.slots.get(id.0).map(|s| &s.leg)
    }

    pub fn player(&mut self, id: LegId) -> Option<&mut Player> {
        self.slots.get_mut(id.0).map(|s| &mut s.player)
    }

    /// Sets what `id` hears from the next tick on. A source naming no leg is silence.
    pub fn set_source(&mut self, id: LegId, source: Source) {
        if let Some(s) = self.slots.get_mut(id.0) {
            s.source = source;
        }
    }

    /// Sets `id` to hear the sum of `from` (nobody: silence; one leg: that leg) from the next
    /// tick on; its player stops. Allocates at most once per leg and size: a control step.
    pub fn hear(&mut self, id: LegId, from: &[LegId]) {
        let Some(s) = self.slots.get_mut(id.0) else {
            return;
        };
        s.player.stop();
        s.sum_of.clear();
        s.sum_of.extend(from.iter().copied().filter(|l| *l != id));
        s.source = match s.sum_of[..] {
            [] => Source::Silence,
            [one] => Source::Leg(one),
            _ => Source::Sum,
        };
    }

    /// Bridges two legs: each hears the other.
    pub fn bridge(&mut self, a: LegId, b: LegId) {
        self.set_source(a, Source::Leg(b));
        self.set_source(b, Source::Leg(a));
    }

    pub fn set_barge_in(&mut self, id: LegId, on: bool) {
        if let Some(s) = self.slots.get_mut(id.0) {
            s.barge_in = on;
        }
    }

    /// Starts recording: every tick yields an [`Output::Record`] of the two legs.
    pub fn record(&mut self, customer: LegId, agent: LegId) {
        self.record_sides(customer, &[agent]);
    }

    /// Records `customer` on one side and the sum of `agents` on the other: everyone the
    /// customer talks with (a three-way call's agent and third party).
    pub fn record_sides(&mut self, customer: LegId, agents: &[LegId]) {
        self.recording = Some((customer, agents.to_vec()));
    }

    pub fn stop_recording(&mut self) {
        self.recording = None;
    }

    /// Queues DTMF digits to send on a leg as telephone events.
    pub fn send_digits(
        &mut self,
        id: LegId,
        digits: &str,
        length: Duration,
    ) -> Result<(), SendError> {
        let slot = self.slots.get_mut(id.0).ok_or(SendError::Busy)?;
        digits
            .chars()
            .try_for_each(|d| slot.leg.send_digit(d, length))
    }

    /// The remote's address or format changed (an SDP answer, a re-INVITE).
    pub fn set_remote(
        &mut self,
        id: LegId,
        remote: SocketAddr,
        codec: Codec,
        payload_type: u8,
        event_payload_type: Option<u8>,
    ) {
        if let Some(s) = self.slots.get_mut(id.0) {
            s.leg
                .set_remote(remote, codec, payload_type, event_payload_type);
        }
    }

    /// Closes a leg: a last RTCP report with BYE, then nothing more sent or taken. Legs
    /// that heard it hear silence; a recording of it stops.
    pub fn close(&mut self, now: Instant, id: LegId) {
        let Some(slot) = self.slots.get_mut(id.0).filter(|s| !s.closed) else {
            return;
        };
        slot.leg.send_bye(now);
        slot.player.stop();
        slot.source = Source::Silence;
        slot.closed = true;
        self.said[id.0] = SILENCE;
        self.drain(id.0);
        self.stop_recording_of(id);
    }

    pub fn is_closed(&self, id: LegId) -> bool {
        self.slots.get(id.0).is_none_or(|s| s.closed)
    }

    /// Outputs dropped because the runner did not drain them.
    pub fn dropped_outputs(&self) -> u64 {
        self.dropped
    }

    /// Starts the 20 ms ticks at `now`.
    pub fn start(&mut self, now: Instant) {
        self.next_tick.get_or_insert(now);
    }

    /// A datagram received on `leg`'s socket from `from`.
    pub fn handle_receive(&mut self, now: Instant, from: SocketAddr, leg: LegId, bytes: &[u8]) {
        let Some(slot) = self.slots.get_mut(leg.0).filter(|s| !s.closed) else {
            return;
        };
        slot.leg.handle_receive(now, from, bytes);
        self.drain(leg.0);
    }

    /// Does what is due at `now`: frame ticks, DTMF, reports, timeouts.
    pub fn handle_timeout(&mut self, now: Instant) {
        let mut ticks = 0;
        while let Some(at) = self.next_tick.filter(|t| *t <= now) {
            self.tick(at);
            ticks += 1;
            let next = at + FRAME;
            // Too far behind (the runner stalled): skip to now rather than burst.
            self.next_tick = Some(if ticks >= MAX_CATCH_UP && next <= now {
                now + FRAME
            } else {
                next
            });
        }
        for i in 0..self.slots.len() {
            if !self.slots[i].closed {
                self.slots[i].leg.handle_timeout(now);
                self.drain(i);
            }
        }
    }

    /// When to call [`Session::handle_timeout`] next.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.slots
            .iter()
            .filter(|s| !s.closed)
            .filter_map(|s| s.leg.poll_timeout())
            .chain(self.next_tick)
            .min()
    }

    pub fn poll_output(&mut self) -> Option<Output> {
        self.outputs.pop_front()
    }

    fn output(&mut self, o: Output) {
        if self.outputs.len() >= OUTPUTS_PER_LEG * self.slots.len().max(1) {
            self.outputs.pop_front();
            self.dropped += 1;
        }
        self.outputs.push_back(o);
    }

    /// One 20 ms frame for every leg.
    fn tick(&mut self, now: Instant) {
        for (slot, said) in self.slots.iter_mut().zip(&mut self.said) {
            if !slot.closed {
                slot.leg.receive_frame(now, said);
            }
        }
        self.mix();
        for i in 0..self.slots.len() {
            let slot = &mut self.slots[i];
            if slot.closed {
                continue;
            }
            let hears = match slot.source {
                Source::Silence => SILENCE,
                Source::Player => {
                    let mut f = SILENCE;
                    slot.player.next_frame(&mut f);
                    f
                }
                Source::Leg(other) => self.said.get(other.0).copied().unwrap_or(SILENCE),
                Source::Mix => self.hears[i],
                Source::Sum => {
                    let mut f = SILENCE;
                    for other in &slot.sum_of {
                        if let Some(said) = self.said.get(other.0) {
                            add_saturating(&mut f, said);
                        }
                    }
                    f
                }
            };
            slot.leg.send_frame(now, Some(&hears));
            self.drain(i);
        }
        if let Some((c, agents)) = &self.recording {
            let side = |id: &LegId| self.said.get(id.0).copied().unwrap_or(SILENCE);
            let mut agent = SILENCE;
            for a in agents {
                add_saturating(&mut agent, &side(a));
            }
            let frame = RecordFrame {
                customer: side(c),
                agent,
            };
            self.output(Output::Record(frame));
        }
    }

    /// Mix-minus over the legs whose source is `Mix`, into their `hears` frames.
    fn mix(&mut self) {
        let mut k = 0;
        for (slot, said) in self.slots.iter().zip(&self.said) {
            if slot.source == Source::Mix {
                self.mix_said[k] = *said;
                k += 1;
            }
        }
        if k == 0 {
            return;
        }
        mix_minus(&self.mix_said[..k], &mut self.mix_hears[..k]);
        let mut k = 0;
        for (slot, hears) in self.slots.iter().zip(&mut self.hears) {
            if slot.source == Source::Mix {
                *hears = self.mix_hears[k];
                k += 1;
            }
        }
    }

    /// Moves a leg's datagrams and events, and its player's events, to the outputs.
    fn drain(&mut self, i: usize) {
        let leg = LegId(i);
        while let Some(transmit) = self.slots[i].leg.poll_transmit() {
            self.output(Output::Transmit { leg, transmit });
        }
        while let Some(e) = self.slots[i].leg.poll_event() {
            let event = match e {
                LegEvent::Latched(from) => Event::Latched { leg, from },
                LegEvent::Digit(digit) => {
                    if self.slots[i].barge_in {
                        self.slots[i].player.barge_in();
                    }
                    Event::Digit { leg, digit }
                }
                LegEvent::RtpTimeout => Event::RtpTimeout { leg },
                LegEvent::Bye => Event::Bye { leg },
            };
            self.output(Output::Event(event));
        }
        while let Some(event) = self.slots[i].player.poll_event() {
            self.output(Output::Event(Event::Player { leg, event }));
        }
    }
}

#[cfg(test)]
mod tests;
