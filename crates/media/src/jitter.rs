//! A jitter buffer for one inbound stream of 20 ms G.711 frames.
//!
//! Frames are placed by RTP timestamp in a fixed ring of [`CAPACITY`] slots and played out
//! one per [`pop`](JitterBuffer::pop), which the caller calls every 20 ms. Playing by
//! timestamp rather than sequence number keeps real time across silence suppression (the
//! sequence number runs on while the timestamp jumps); sequence numbers still tell a
//! timestamp jump from a stray packet. Nothing allocates: the ring is an array.
//!
//! The delay adapts. Each packet's *lead* is how long before its playout it arrived; every
//! [`WINDOW`] packets the spread of leads (the jitter actually seen) sets the target delay,
//! within the configured bounds, and the buffer stretches (plays one concealment frame
//! without advancing) or skips a frame to move towards it. A late packet stretches at once.

use std::time::Duration;

use crate::{Instant, FRAME, FRAME_SAMPLES};

/// Slots in the ring: 640 ms of audio, room for the largest target and a burst.
pub const CAPACITY: usize = 32;
/// Packets per adaptation window (one second of 20 ms frames).
pub const WINDOW: u32 = 50;
/// A packet this many frames behind the playout point is not late but from another
/// timeline (the sender jumped its timestamp back).
const RESYNC_BEHIND: i32 = 25;
const STEP: u32 = FRAME_SAMPLES as u32;
const FRAME_US: i64 = 20_000;

/// Delay bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JitterConfig {
    pub min_delay: Duration,
    pub max_delay: Duration,
    /// The delay to start with, before any jitter is measured.
    pub initial_delay: Duration,
}

impl Default for JitterConfig {
    fn default() -> JitterConfig {
        JitterConfig {
            min_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(200),
            initial_delay: Duration::from_millis(60),
        }
    }
}

/// What became of a pushed packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrival {
    Accepted,
    /// Accepted as the first of a new timeline (new SSRC or timestamp jump).
    Resynced,
    Duplicate,
    /// Its playout time has passed.
    TooLate,
    /// Out of range and not (yet) confirmed as a new timeline: dropped.
    OutOfRange,
    /// Not a 20 ms G.711 frame.
    WrongSize,
}

/// What to play for one 20 ms tick.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Playout<'a> {
    /// The next frame's G.711 codes.
    Frame(&'a [u8; FRAME_SAMPLES]),
    /// A frame is missing (lost, or a stretch): conceal it.
    Conceal,
    /// Nothing is playing (not started, or the stream has gone quiet).
    Silence,
}

/// Counters, for statistics and tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JitterCounters {
    pub accepted: u64,
    pub duplicates: u64,
    pub late: u64,
    pub out_of_range: u64,
    /// Frames missing at their playout time.
    pub lost: u64,
    pub stretched: u64,
    pub skipped: u64,
    pub resyncs: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Empty,
    Ready,
    Played,
}

#[derive(Clone, Copy, Debug)]
struct Slot {
    state: State,
    ts: u32,
    data: [u8; FRAME_SAMPLES],
}

const EMPTY: Slot = Slot {
    state: State::Empty,
    ts: 0,
    data: [0; FRAME_SAMPLES],
};

/// The leads seen in the current adaptation window, in microseconds.
#[derive(Clone, Copy, Debug)]
struct Window {
    packets: u32,
    min_lead: i64,
    max_lead: i64,
    late: bool,
}

const FRESH: Window = Window {
    packets: 0,
    min_lead: i64::MAX,
    max_lead: i64::MIN,
    late: false,
};

/// The jitter buffer of one inbound stream.
#[derive(Clone, Debug)]
pub struct JitterBuffer {
    config: JitterConfig,
    slots: [Slot; CAPACITY],
    /// The stream being played, once a packet has come.
    ssrc: Option<u32>,
    base_ts: u32,
    /// The timestamp of the next frame to pop.
    play_ts: u32,
    /// A frame of this timeline has been played (missing ones are then losses).
    playing: bool,
    ready: usize,
    last_seq: u16,
    /// The sequence number that would confirm an out-of-range timeline.
    held: Option<u16>,
    last_arrival: Instant,
    last_pop: Option<Instant>,
    target: u32,
    window: Window,
    pending_stretch: bool,
    pending_skip: bool,
    counters: JitterCounters,
}

fn frames(d: Duration) -> u32 {
    (d.as_micros() / 20_000).clamp(1, (CAPACITY / 2) as u128) as u32
}

impl JitterBuffer {
    pub fn new(config: JitterConfig) -> JitterBuffer {
        JitterBuffer {
            config,
            slots: [EMPTY; CAPACITY],
            ssrc: None,
            base_ts: 0,
            play_ts: 0,
            playing: false,
            ready: 0,
            last_seq: 0,
            held: None,
            last_arrival: Instant::ZERO,
            last_pop: None,
            target: frames(config.initial_delay)
                .clamp(frames(config.min_delay), frames(config.max_delay)),
            window: FRESH,
            pending_stretch: false,
            pending_skip: false,
            counters: JitterCounters::default(),
        }
    }

    pub fn counters(&self) -> JitterCounters {
        self.counters
    }

    /// The current target delay.
    pub fn target_delay(&self) -> Duration {
        FRAME * self.target
    }

    /// Frames waiting to be played.
    pub fn buffered(&self) -> usize {
        self.ready
    }

    fn index(&self, ts: u32) -> usize {
        (ts.wrapping_sub(self.base_ts) / STEP) as usize % CAPACITY
    }

    /// Starts a new timeline at this packet, played after the target delay.
    fn resync(&mut self, ssrc: u32, seq: u16, ts: u32) {
        if self.ssrc.is_some() {
            self.counters.resyncs += 1;
        }
        self.slots = [EMPTY; CAPACITY];
        self.ssrc = Some(ssrc);
        self.base_ts = ts;
        self.play_ts = ts.wrapping_sub(self.target * STEP);
        self.playing = false;
        self.ready = 0;
        self.last_seq = seq;
        self.held = None;
        self.window = FRESH;
        self.pending_stretch = false;
        self.pending_skip = false;
    }

    /// Takes one received packet's payload.
    pub fn push(&mut self, now: Instant, ssrc: u32, seq: u16, ts: u32, payload: &[u8]) -> Arrival {
        let Ok(data) = <&[u8; FRAME_SAMPLES]>::try_from(payload) else {
            return Arrival::WrongSize;
        };
        let mut outcome = Arrival::Accepted;
        if self.ssrc != Some(ssrc) {
            self.resync(ssrc, seq, ts);
            outcome = Arrival::Resynced;
        }
        let offset = ts.wrapping_sub(self.play_ts) as i32;
        let aligned = offset % STEP as i32 == 0;
        let frame = offset.div_euclid(STEP as i32);
        if !aligned || frame >= CAPACITY as i32 || frame < -RESYNC_BEHIND {
            // Believe a new timeline when the sequence runs on, or a second packet follows.
            if seq != self.last_seq.wrapping_add(1) && self.held != Some(seq) {
                self.held = Some(seq.wrapping_add(1));
                self.counters.out_of_range += 1;
                return Arrival::OutOfRange;
            }
            self.resync(ssrc, seq, ts);
            let again = self.push(now, ssrc, seq, ts, payload);
            return if again == Arrival::Accepted {
                Arrival::Resynced
            } else {
                again
            };
        }
        self.held = None;
        self.last_arrival = now;
        if (seq.wrapping_sub(self.last_seq) as i16) > 0 {
            self.last_seq = seq;
        }
        let slot = self.index(ts);
        let seen = self.slots[slot].ts == ts && self.slots[slot].state != State::Empty;
        if seen {
            self.counters.duplicates += 1;
            return Arrival::Duplicate;
        }
        self.measure(now, offset);
        if frame < 0 {
            self.counters.late += 1;
            self.window.late = true;
            self.pending_stretch = true;
            return Arrival::TooLate;
        }
        self.slots[slot] = Slot {
            state: State::Ready,
            ts,
            data: *data,
        };
        self.ready += 1;
        self.counters.accepted += 1;
        outcome
    }

    /// Notes a packet's lead and adapts at the end of a window.
    fn measure(&mut self, now: Instant, offset: i32) {
        let to_next_pop = match self.last_pop {
            Some(p) => (p + FRAME).as_micros() as i64 - now.as_micros() as i64,
            None => 0,
        };
        let lead = i64::from(offset) * 125 + to_next_pop;
        let w = &mut self.window;
        w.packets += 1;
        w.min_lead = w.min_lead.min(lead);
        w.max_lead = w.max_lead.max(lead);
        if w.packets >= WINDOW {
            self.adapt();
        }
    }

    /// Moves the target towards the jitter seen, and the delay towards the target.
    fn adapt(&mut self) {
        let w = std::mem::replace(&mut self.window, FRESH);
        let spread = (w.max_lead - w.min_lead).max(0);
        let wanted = (spread + FRAME_US - 1) / FRAME_US + 1;
        let (lo, hi) = (frames(self.config.min_delay), frames(self.config.max_delay));
        let wanted = (wanted.clamp(i64::from(lo), i64::from(hi))) as u32;
        // Up at once (and one more after a late packet); down one frame per window.
        self.target = if w.late {
            (wanted.max(self.target + 1)).min(hi)
        } else if wanted < self.target {
            self.target - 1
        } else {
            wanted
        };
        // The earliest packet's lead is the delay the buffer adds on top of the network.
        let delay = w.max_lead;
        let target = i64::from(self.target) * FRAME_US;
        if delay > target + FRAME_US {
            self.pending_skip = true;
        } else if delay < target - FRAME_US / 2 {
            self.pending_stretch = true;
        }
    }

    /// The frame for this 20 ms tick.
    pub fn pop(&mut self, now: Instant) -> Playout<'_> {
        self.last_pop = Some(now);
        if self.ssrc.is_none() {
            return Playout::Silence;
        }
        if self.pending_stretch && self.playing {
            self.pending_stretch = false;
            self.counters.stretched += 1;
            return Playout::Conceal;
        }
        if self.pending_skip && self.ready >= 2 {
            self.pending_skip = false;
            self.counters.skipped += 1;
            self.take(self.play_ts);
            self.play_ts = self.play_ts.wrapping_add(STEP);
        }
        let ts = self.play_ts;
        self.play_ts = ts.wrapping_add(STEP);
        let slot = self.index(ts);
        if self.take(ts) {
            self.playing = true;
            return Playout::Frame(&self.slots[slot].data);
        }
        // Nothing waiting, and quiet for longer than jitter explains: the stream paused
        // (silence suppression) or stopped, so this is not a loss to conceal.
        let quiet = now.saturating_since(self.last_arrival) > self.target_delay() + FRAME * 3;
        if !self.playing || (self.ready == 0 && quiet) {
            return Playout::Silence;
        }
        self.counters.lost += 1;
        Playout::Conceal
    }

    /// Marks the frame at `ts` played; true if it was there.
    fn take(&mut self, ts: u32) -> bool {
        let slot = self.index(ts);
        let s = &mut self.slots[slot];
        if s.state == State::Ready && s.ts == ts {
            s.state = State::Played;
            self.ready -= 1;
            return true;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A simulated stream: frame `n` is sent at `n`·20 ms with sequence `seq0 + n` and
    /// timestamp `ts0 + 160n`, its payload all `n as u8`; `delay(n)` is its network delay
    /// (`None` for lost). The receiver pops at 20 ms ticks offset by 5 ms. Returns what
    /// each pop gave: `Some(n)` for frame `n`, `None` for concealment, and skips silence.
    fn run(
        jb: &mut JitterBuffer,
        frames: u32,
        seq0: u16,
        ts0: u32,
        delay: impl Fn(u32) -> Option<Vec<u64>>,
    ) -> Vec<Option<u8>> {
        let mut arrivals: Vec<(u64, u32)> = Vec::new();
        for n in 0..frames {
            for d in delay(n).unwrap_or_default() {
                arrivals.push((u64::from(n) * 20_000 + d, n));
            }
        }
        arrivals.sort();
        let mut out = Vec::new();
        let mut next = arrivals.iter().peekable();
        let mut tick = 5_000;
        while next.peek().is_some() || jb.buffered() > 0 {
            while let Some((at, n)) = next.next_if(|(at, _)| *at <= tick) {
                let payload = [*n as u8; FRAME_SAMPLES];
                let seq = seq0.wrapping_add(*n as u16);
                let ts = ts0.wrapping_add(n * STEP);
                jb.push(Instant::from_micros(*at), 7, seq, ts, &payload);
            }
            match jb.pop(Instant::from_micros(tick)) {
                Playout::Frame(f) => out.push(Some(f[0])),
                Playout::Conceal => out.push(None),
                Playout::Silence => {}
            }
            tick += 20_000;
        }
        out
    }

    fn played(out: &[Option<u8>]) -> Vec<u8> {
        out.iter().flatten().copied().collect()
    }

    /// Frames came out in order, each once, and every one of `sent` was played or skipped
    /// (skips are how the delay shrinks).
    fn in_order(jb: &JitterBuffer, out: &[Option<u8>], sent: usize) {
        let p = played(out);
        assert!(
            p.windows(2)
                .all(|w| w[1] != w[0] && w[1].wrapping_sub(w[0]) < 128),
            "{p:?}"
        );
        assert_eq!(
            p.len() + jb.counters().skipped as usize,
            sent,
            "{:?}",
            jb.counters()
        );
    }

    #[test]
    fn a_steady_stream_plays_in_order_and_settles_to_the_minimum() {
        let mut jb = JitterBuffer::new(JitterConfig::default());
        let out = run(&mut jb, 200, 0, 0, |_| Some(vec![30_000]));
        in_order(&jb, &out, 200);
        let c = jb.counters();
        assert_eq!((c.lost, c.late, c.duplicates), (0, 0, 0));
        assert_eq!(jb.target_delay(), Duration::from_millis(20));
        assert!(c.skipped >= 1, "{c:?}");
    }

    #[test]
    fn reordering_and_duplicates_come_out_in_order_once() {
        let mut jb = JitterBuffer::new(JitterConfig::default());
        // Odd frames overtake even ones by 15 ms; every fifth is sent twice.
        let out = run(&mut jb, 150, 100, 1000, |n| {
            let d = if n % 2 == 0 { 40_000 } else { 25_000 };
            Some(if n % 5 == 0 {
                vec![d, d + 3_000]
            } else {
                vec![d]
            })
        });
        in_order(&jb, &out, 150);
        let c = jb.counters();
        assert_eq!((c.duplicates, c.lost, c.late), (30, 0, 0));
    }

    #[test]
    fn lost_frames_are_reported_for_concealment_in_their_place() {
        let mut jb = JitterBuffer::new(JitterConfig::default());
        let out = run(&mut jb, 100, 0, 0, |n| {
            if n == 40 || n == 41 || n == 77 {
                None
            } else {
                Some(vec![10_000])
            }
        });
        assert_eq!(jb.counters().lost, 3);
        in_order(&jb, &out, 97);
        let gaps: Vec<usize> = out
            .iter()
            .enumerate()
            .filter(|(_, f)| f.is_none())
            .map(|(i, _)| i)
            .collect();
        assert_eq!(gaps.len(), 3);
        assert_eq!((out[gaps[0] - 1], out[gaps[1] + 1]), (Some(39), Some(42)));
        assert_eq!((out[gaps[2] - 1], out[gaps[2] + 1]), (Some(76), Some(78)));
    }

    #[test]
    fn a_late_packet_is_dropped_and_the_delay_grows() {
        let mut jb = JitterBuffer::new(JitterConfig::default());
        let before = jb.target_delay();
        // One frame in 25 is held back 150 ms, past any small buffer.
        let out = run(&mut jb, 300, 0, 0, |n| {
            Some(vec![if n % 25 == 24 { 150_000 } else { 5_000 }])
        });
        let c = jb.counters();
        assert!(c.late >= 1, "{c:?}");
        assert!(jb.target_delay() > before, "{:?}", jb.target_delay());
        assert!(jb.target_delay() <= Duration::from_millis(200));
        // Once the delay has grown, the held-back frames make it in time.
        let tail: Vec<u8> = played(&out[out.len() - 100..]);
        assert!(
            tail.windows(2).all(|w| w[1] == w[0].wrapping_add(1)),
            "{tail:?}"
        );
    }

    #[test]
    fn bursts_are_absorbed_after_adapting() {
        let mut jb = JitterBuffer::new(JitterConfig::default());
        // Packets come in bursts: held until the next 100 ms boundary.
        let out = run(&mut jb, 400, 0, 0, |n| {
            let sent = u64::from(n) * 20_000;
            Some(vec![sent.next_multiple_of(100_000) - sent + 2_000])
        });
        let tail = played(&out[out.len() - 150..]);
        assert!(
            tail.windows(2).all(|w| w[1] == w[0].wrapping_add(1)),
            "{tail:?}"
        );
        let target = jb.target_delay();
        assert!(
            target >= Duration::from_millis(100) && target <= Duration::from_millis(200),
            "{target:?}"
        );
    }

    #[test]
    fn huge_jitter_is_bounded_by_the_maximum_delay() {
        let mut jb = JitterBuffer::new(JitterConfig::default());
        run(&mut jb, 300, 0, 0, |n| {
            Some(vec![u64::from(n * 7919 % 13) * 40_000])
        });
        assert_eq!(jb.target_delay(), Duration::from_millis(200));
    }

    #[test]
    fn sequence_and_timestamp_wrap_are_seamless() {
        let mut jb = JitterBuffer::new(JitterConfig::default());
        let out = run(&mut jb, 100, 65_500, u32::MAX - 160 * 30, |n| {
            Some(vec![if n % 3 == 0 { 30_000 } else { 10_000 }])
        });
        in_order(&jb, &out, 100);
        assert_eq!(jb.counters().lost, 0);
    }

    #[test]
    fn a_new_ssrc_or_a_timestamp_jump_resyncs() {
        let mut jb = JitterBuffer::new(JitterConfig::default());
        let f = [1u8; FRAME_SAMPLES];
        let t = Instant::from_millis;
        assert_eq!(jb.push(t(0), 1, 10, 1000, &f), Arrival::Resynced);
        assert_eq!(jb.push(t(0), 1, 10, 1000, &f), Arrival::Duplicate);
        assert_eq!(jb.push(t(0), 1, 11, 1000 + 7, &f[..80]), Arrival::WrongSize);
        // The same sequence running on with a far timestamp: a jump, resynced at once.
        assert_eq!(jb.push(t(20), 1, 11, 900_000, &f), Arrival::Resynced);
        // A stray far packet is dropped; a second one that follows it confirms the jump.
        assert_eq!(jb.push(t(40), 1, 500, 5_000_000, &f), Arrival::OutOfRange);
        assert_eq!(jb.push(t(60), 1, 501, 5_000_160, &f), Arrival::Resynced);
        assert_eq!(jb.push(t(80), 2, 9, 42, &f), Arrival::Resynced);
        assert_eq!(jb.counters().resyncs, 3);
        let mut got = None;
        for k in 0..5 {
            if let Playout::Frame(x) = jb.pop(t(100 + 20 * k)) {
                got = Some(x[0]);
            }
        }
        assert_eq!(got, Some(1));
    }

    #[test]
    fn a_paused_stream_goes_silent_without_counting_loss() {
        let mut jb = JitterBuffer::new(JitterConfig::default());
        // 50 frames, then silence suppression for 2 s, then 50 more (sequence runs on).
        let out = run(&mut jb, 200, 0, 0, |n| {
            if (50..150).contains(&n) {
                None
            } else {
                Some(vec![10_000])
            }
        });
        assert!(jb.counters().lost <= 5, "{:?}", jb.counters());
        assert!(out.len() < 120, "{}", out.len());
        in_order(&jb, &out, 100);
        assert_eq!(played(&out).last(), Some(&199));
    }
}
