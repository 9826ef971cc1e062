//! A leg's receive side: latching, RTP into the jitter buffer or the DTMF receiver, RTCP
//! into the statistics, and decoded frames out with concealment.

use std::net::SocketAddr;

use super::{Leg, LegEvent, CONCEAL_FRAMES};
use crate::dtmf::TelephoneEvent;
use crate::g711::Codec;
use crate::jitter::{Arrival, Playout};
use crate::rtcp::{self, RtcpPacket};
use crate::rtp::{self, RtpPacket};
use crate::{Frame, Instant};

impl Leg {
    /// Takes one datagram received from `from` on this leg's port (RTP, or RTCP told apart
    /// by RFC 5761's rule, so muxed and separate ports both work).
    pub fn handle_receive(&mut self, now: Instant, from: SocketAddr, bytes: &[u8]) {
        if rtp::looks_like_rtcp(bytes) {
            return self.handle_rtcp(now, from, bytes);
        }
        let Ok(packet) = RtpPacket::parse(bytes) else {
            self.counters.malformed += 1;
            return;
        };
        let h = packet.header;
        let audio = h.payload_type == self.config.payload_type;
        let event = Some(h.payload_type) == self.config.event_payload_type;
        if !audio && !event {
            self.counters.unknown_payload += 1;
            return;
        }
        if !self.accept_source(from, h.ssrc) {
            self.counters.foreign_source += 1;
            return;
        }
        if self.remote_ssrc != Some(h.ssrc) {
            // A new stream (first packet, or the remote switched source): fresh counts.
            self.remote_ssrc = Some(h.ssrc);
            self.stats = crate::stats::ReceiveStats::new();
        }
        self.stats
            .on_packet(h.sequence, h.timestamp, now, packet.payload.len());
        self.last_rtp = Some(now);
        self.timed_out = false;
        if audio {
            let silence = self.config.codec.encode(0);
            let (jitter, counters) = (&mut self.jitter, &mut self.counters);
            self.reframe
                .feed(h.timestamp, packet.payload, silence, |ts, frame| {
                    if jitter.push(now, h.ssrc, h.sequence, ts, frame) == Arrival::WrongSize {
                        counters.wrong_size += 1;
                    }
                });
        } else if let Some(ev) = TelephoneEvent::parse(packet.payload) {
            self.dtmf_in.on_packet(now, h.timestamp, ev);
            self.drain_digits();
        }
    }

    /// The remote's address or format changed (an SDP answer, a re-INVITE). A new address
    /// is where we send until a packet latches again.
    pub fn set_remote(
        &mut self,
        remote: SocketAddr,
        codec: Codec,
        payload_type: u8,
        event_payload_type: Option<u8>,
    ) {
        self.config.codec = codec;
        self.config.payload_type = payload_type;
        self.config.event_payload_type = event_payload_type;
        if self.config.remote != Some(remote) {
            self.config.remote = Some(remote);
            self.latched = false;
            self.remote = Some(remote);
        }
    }

    /// Latches on the first acceptable packet; afterwards only the latched address counts.
    fn accept_source(&mut self, from: SocketAddr, ssrc: u32) -> bool {
        if self.latched {
            return self.remote == Some(from);
        }
        let expected = self.config.remote == Some(from);
        let ssrc_ok = self.config.remote_ssrc.is_none_or(|s| s == ssrc);
        if !(expected || self.config.latch_any_source && ssrc_ok) {
            return false;
        }
        self.latched = true;
        self.remote = Some(from);
        self.event(LegEvent::Latched(from));
        true
    }

    fn drain_digits(&mut self) {
        while let Some(d) = self.dtmf_in.poll_digit() {
            self.event(LegEvent::Digit(d));
        }
    }

    fn handle_rtcp(&mut self, now: Instant, from: SocketAddr, bytes: &[u8]) {
        // RTCP may come from the RTP port or the next one: check the host only.
        if self.remote.is_some_and(|r| r.ip() != from.ip()) || !self.latched {
            self.counters.foreign_source += 1;
            return;
        }
        let Ok(compound) = rtcp::parse_compound(bytes) else {
            self.counters.malformed += 1;
            return;
        };
        for packet in compound.packets() {
            match packet {
                RtcpPacket::SenderReport(sr) => {
                    if Some(sr.ssrc) == self.remote_ssrc {
                        self.stats.on_sender_report(sr.info.ntp, now);
                    }
                    sr.blocks.for_each(|b| self.on_report_block(now, b));
                }
                RtcpPacket::ReceiverReport(rr) => {
                    rr.blocks.for_each(|b| self.on_report_block(now, b))
                }
                RtcpPacket::Bye(_) => self.event(LegEvent::Bye),
                _ => {}
            }
        }
    }

    /// A report about our stream: the round trip is arrival − LSR − DLSR (§6.4.1).
    fn on_report_block(&mut self, now: Instant, b: rtcp::ReportBlock) {
        if b.ssrc != self.config.ssrc || b.last_sr == 0 {
            return;
        }
        let arrival = (super::ntp_at(self.config.ntp_at_zero, now) >> 16) as u32;
        let rtt = arrival
            .wrapping_sub(b.last_sr)
            .wrapping_sub(b.delay_since_last_sr);
        if rtt < 0x8000_0000 {
            self.rtt = Some(std::time::Duration::from_micros(
                u64::from(rtt) * 1_000_000 / 65536,
            ));
        }
    }

    /// The next 20 ms of what the remote said, into `out`: a decoded frame, a faded repeat
    /// of the last one for a missing frame (three at most), else silence.
    pub fn receive_frame(&mut self, now: Instant, out: &mut Frame) {
        match self.jitter.pop(now) {
            Playout::Frame(codes) => {
                self.config.codec.decode_into(codes, out);
                self.last_frame = *out;
                self.concealed = 0;
            }
            Playout::Conceal if self.concealed < CONCEAL_FRAMES => {
                self.concealed += 1;
                // Fade: 3/4, 2/4, 1/4 of the last good frame.
                let gain = i32::from(CONCEAL_FRAMES + 1 - self.concealed);
                for (o, s) in out.iter_mut().zip(&self.last_frame) {
                    *o = (i32::from(*s) * gain / i32::from(CONCEAL_FRAMES + 1)) as i16;
                }
            }
            Playout::Conceal => out.fill(0),
            Playout::Silence => {
                // After a pause, a missing frame has nothing recent to repeat.
                self.concealed = CONCEAL_FRAMES;
                out.fill(0);
            }
        }
    }
}
