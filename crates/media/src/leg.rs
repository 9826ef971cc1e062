//! One party's media endpoint: a leg. It latches the remote address (symmetric RTP),
//! decodes inbound audio through the jitter buffer into 20 ms frames with concealment,
//! packetises outbound frames, detects and sends RFC 4733 DTMF, and reports with RTCP.
//!
//! Per packet and per frame nothing allocates: datagrams are written into fixed
//! [`Transmit`] buffers held in preallocated, bounded queues.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::time::Duration;

use crate::dtmf::{DtmfReceiver, DtmfSender, ReceivedDigit};
use crate::g711::Codec;
use crate::jitter::{JitterBuffer, JitterConfig};
use crate::stats::{ReceiveStats, StatsMark};
use crate::{Frame, Instant, FRAME, FRAME_SAMPLES};

/// The largest datagram a leg sends: an RTP packet of one G.711 frame (172 bytes), or an
/// SR with one block, an SDES CNAME of up to [`MAX_CNAME`] bytes and a BYE (140 bytes).
pub const MAX_DATAGRAM: usize = 256;
/// CNAMEs are cut to this length so every report fits [`MAX_DATAGRAM`].
pub const MAX_CNAME: usize = 64;
const QUEUE: usize = 16;
const DIGIT_QUEUE: usize = 32;
/// The pause between two digits sent in a row.
const INTER_DIGIT: Duration = Duration::from_millis(50);
/// Frames concealed by fading the last one before going silent.
const CONCEAL_FRAMES: u8 = 3;

/// A datagram to send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transmit {
    pub destination: SocketAddr,
    len: usize,
    buf: [u8; MAX_DATAGRAM],
}

impl Transmit {
    pub fn contents(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// What was negotiated for a leg (codec, payload types, the remote) and how it behaves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegConfig {
    pub codec: Codec,
    /// The payload type negotiated for the codec (normally its static one).
    pub payload_type: u8,
    /// The payload type negotiated for telephone-event, if any.
    pub event_payload_type: Option<u8>,
    /// The address the remote's SDP gave, where we send until a packet latches.
    pub remote: Option<SocketAddr>,
    /// Behind NAT the remote's packets come from another address than its SDP says:
    /// latch to the first valid packet (expected payload type, and SSRC if signalled)
    /// from anywhere, not only from `remote`.
    pub latch_any_source: bool,
    /// The remote's SSRC, if signalled (a=ssrc).
    pub remote_ssrc: Option<u32>,
    /// RTCP on the RTP port (RFC 5761); otherwise it goes to the RTP port + 1.
    pub rtcp_mux: bool,
    /// Our SSRC, first sequence number and first timestamp: random, chosen by the caller.
    pub ssrc: u32,
    pub initial_sequence: u16,
    pub initial_timestamp: u32,
    pub cname: String,
    /// The NTP time (64-bit, RFC 3550 §4) of `Instant::ZERO`, for sender reports.
    pub ntp_at_zero: u64,
    pub rtcp_interval: Duration,
    /// No RTP for this long raises [`LegEvent::RtpTimeout`].
    pub rtp_timeout: Duration,
    pub jitter: JitterConfig,
}

impl LegConfig {
    /// A configuration with the codec's static payload type, telephone-event on 101, and
    /// defaults for the rest: RTCP every 5 s (RFC 3550's minimum), a 30 s RTP timeout.
    pub fn new(codec: Codec, ssrc: u32) -> LegConfig {
        LegConfig {
            codec,
            payload_type: codec.payload_type(),
            event_payload_type: Some(101),
            remote: None,
            latch_any_source: true,
            remote_ssrc: None,
            rtcp_mux: false,
            ssrc,
            initial_sequence: (ssrc >> 16) as u16,
            initial_timestamp: ssrc.rotate_left(7),
            cname: format!("{ssrc:08x}@switchboard"),
            ntp_at_zero: 0,
            rtcp_interval: Duration::from_secs(5),
            rtp_timeout: Duration::from_secs(30),
            jitter: JitterConfig::default(),
        }
    }
}

/// What a leg tells its owner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LegEvent {
    /// The remote address was learnt from a received packet; we send there now.
    Latched(SocketAddr),
    Digit(ReceivedDigit),
    /// No RTP for the configured time (raised once until RTP comes again).
    RtpTimeout,
    /// The remote sent an RTCP BYE.
    Bye,
}

/// Packets a leg did not use, by reason.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LegCounters {
    /// From an address other than the latched one.
    pub foreign_source: u64,
    pub malformed: u64,
    /// A payload type that was not negotiated (or comfort noise).
    pub unknown_payload: u64,
    /// Audio packets that were not one 20 ms frame (we only take ptime 20).
    pub wrong_size: u64,
    /// Outbound datagrams dropped: no remote address yet, or the queue was full.
    pub unsent: u64,
    pub sent_packets: u64,
}

/// One party's media stream.
#[derive(Clone, Debug)]
pub struct Leg {
    config: LegConfig,
    cname: [u8; MAX_CNAME],
    cname_len: usize,
    remote: Option<SocketAddr>,
    latched: bool,
    jitter: JitterBuffer,
    reframe: reframe::Reframer,
    stats: ReceiveStats,
    remote_ssrc: Option<u32>,
    dtmf_in: DtmfReceiver,
    dtmf_out: DtmfSender,
    digits: VecDeque<(char, Duration)>,
    next_digit_at: Instant,
    seq: u16,
    /// The RTP timestamp of the next outbound frame.
    ts: u32,
    talking: bool,
    sent_packets: u32,
    sent_octets: u32,
    last_frame: Frame,
    concealed: u8,
    started: Option<Instant>,
    last_rtp: Option<Instant>,
    timed_out: bool,
    next_rtcp: Option<Instant>,
    /// A xorshift state seeded from our SSRC, to spread report times (RFC 3550 §6.3.1)
    /// without a random source.
    spread: u64,
    /// The RTP timestamp of the last frame sent and when, to stamp sender reports.
    clock: Option<(Instant, u32)>,
    rtt: Option<Duration>,
    counters: LegCounters,
    transmits: VecDeque<Transmit>,
    events: VecDeque<LegEvent>,
}

fn ntp_at(zero: u64, now: Instant) -> u64 {
    let us = u128::from(now.as_micros());
    zero.wrapping_add(((us << 32) / 1_000_000) as u64)
}

impl Leg {
    pub fn new(config: LegConfig) -> Leg {
        let mut cname = [0u8; MAX_CNAME];
        let bytes = config.cname.as_bytes();
        let cname_len = bytes.len().min(MAX_CNAME);
        cname[..cname_len].copy_from_slice(&bytes[..cname_len]);
        Leg {
            cname,
            cname_len,
            remote: config.remote,
            latched: false,
            jitter: JitterBuffer::new(config.jitter),
            reframe: reframe::Reframer::default(),
            stats: ReceiveStats::new(),
            remote_ssrc: None,
            dtmf_in: DtmfReceiver::new(),
            dtmf_out: DtmfSender::new(),
            digits: VecDeque::with_capacity(DIGIT_QUEUE),
            next_digit_at: Instant::ZERO,
            seq: config.initial_sequence,
            ts: config.initial_timestamp,
            talking: false,
            sent_packets: 0,
            sent_octets: 0,
            last_frame: [0; FRAME_SAMPLES],
            concealed: 0,
            started: None,
            last_rtp: None,
            timed_out: false,
            next_rtcp: None,
            spread: (u64::from(config.ssrc) << 32) | 0x9E37_79B9,
            clock: None,
            rtt: None,
            counters: LegCounters::default(),
            transmits: VecDeque::with_capacity(QUEUE),
            events: VecDeque::with_capacity(QUEUE),
            config,
        }
    }

    pub fn config(&self) -> &LegConfig {
        &self.config
    }

    /// Where we send: the latched address, or the signalled one until then.
    pub fn remote(&self) -> Option<SocketAddr> {
        self.remote
    }

    pub fn is_latched(&self) -> bool {
        self.latched
    }

    pub fn counters(&self) -> LegCounters {
        self.counters
    }

    pub fn stats(&self) -> &ReceiveStats {
        &self.stats
    }

    pub fn jitter(&self) -> &JitterBuffer {
        &self.jitter
    }

    /// Round-trip time from the remote's reports of our SRs, once known.
    pub fn round_trip(&self) -> Option<Duration> {
        self.rtt
    }

    /// Estimated MOS of what we receive: loss, plus half the round trip, the jitter
    /// buffer and one frame of packetisation as mouth-to-ear delay.
    pub fn mos(&self) -> f64 {
        self.mos_since(StatsMark::default())
    }

    /// Estimated MOS of what we received since `mark` (the delay as it stands now).
    pub fn mos_since(&self, mark: StatsMark) -> f64 {
        let delay = self.rtt.unwrap_or_default() / 2 + self.jitter.target_delay() + FRAME;
        self.stats.mos_since(mark, delay)
    }

    fn event(&mut self, e: LegEvent) {
        if self.events.len() >= QUEUE {
            self.events.pop_front();
        }
        self.events.push_back(e);
    }

    pub fn poll_event(&mut self) -> Option<LegEvent> {
        self.events.pop_front()
    }

    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    /// Queues a datagram written by `write` to `to`, if we know where to send.
    fn transmit(&mut self, to: Option<SocketAddr>, write: impl FnOnce(&mut [u8]) -> Option<usize>) {
        let mut t = Transmit {
            destination: SocketAddr::from(([0, 0, 0, 0], 0)),
            len: 0,
            buf: [0; MAX_DATAGRAM],
        };
        match (to, write(&mut t.buf)) {
            (Some(dest), Some(len)) if self.transmits.len() < QUEUE => {
                t.destination = dest;
                t.len = len;
                self.transmits.push_back(t);
                self.counters.sent_packets += 1;
            }
            _ => self.counters.unsent += 1,
        }
    }
}

mod inbound;
mod outbound;
mod reframe;

#[cfg(test)]
mod tests;
