//! A leg's send side: packetising frames, sending queued DTMF digits, RTCP reports due,
//! and the RTP timeout.

use std::time::Duration;

use super::{ntp_at, Leg, LegEvent, DIGIT_QUEUE, INTER_DIGIT};
use crate::dtmf::{self, SendError};
use crate::rtcp::{self, SenderInfo};
use crate::rtp::{self, RtpHeader};
use crate::{Frame, Instant, FRAME_SAMPLES};

impl Leg {
    /// Sends one 20 ms frame (`None`: send nothing this tick). The RTP clock advances
    /// either way, and the first frame after a pause carries the marker (a talkspurt).
    /// While a digit is being sent, audio is held back.
    pub fn send_frame(&mut self, now: Instant, frame: Option<&Frame>) {
        self.started.get_or_insert(now);
        let ts = self.ts;
        self.ts = self.ts.wrapping_add(FRAME_SAMPLES as u32);
        self.clock = Some((now, ts));
        let Some(frame) = frame.filter(|_| !self.dtmf_out.is_active()) else {
            self.talking = false;
            return;
        };
        let mut header = RtpHeader::new(self.config.payload_type, self.seq, ts, self.config.ssrc);
        header.marker = !self.talking;
        self.seq = self.seq.wrapping_add(1);
        self.talking = true;
        let codec = self.config.codec;
        self.transmit(self.remote, |buf| {
            let (head, payload) = buf.split_at_mut(rtp::HEADER_LEN);
            codec.encode_into(frame, payload);
            rtp::write_simple(&header, &[], head).ok()?;
            Some(rtp::HEADER_LEN + FRAME_SAMPLES)
        });
        self.sent_packets = self.sent_packets.wrapping_add(1);
        self.sent_octets = self.sent_octets.wrapping_add(FRAME_SAMPLES as u32);
    }

    /// Queues a digit to send as telephone events, after any queued before it.
    pub fn send_digit(&mut self, digit: char, length: Duration) -> Result<(), SendError> {
        dtmf::digit_event(digit).ok_or(SendError::NotADigit)?;
        if self.config.event_payload_type.is_none() || self.digits.len() >= DIGIT_QUEUE {
            return Err(SendError::Busy);
        }
        self.digits.push_back((digit, length));
        Ok(())
    }

    /// True while digits are queued or being sent.
    pub fn is_sending_digits(&self) -> bool {
        self.dtmf_out.is_active() || !self.digits.is_empty()
    }

    /// Does what is due at `now`: DTMF packets, the digit receiver's timeout, RTCP, the
    /// RTP timeout.
    pub fn handle_timeout(&mut self, now: Instant) {
        let started = *self.started.get_or_insert(now);
        self.send_digits(now);
        self.dtmf_in.handle_timeout(now);
        while let Some(d) = self.dtmf_in.poll_digit() {
            self.event(LegEvent::Digit(d));
        }
        let rtcp_at = match self.next_rtcp {
            Some(at) => at,
            None => {
                let at = now + self.report_interval();
                *self.next_rtcp.insert(at)
            }
        };
        if now >= rtcp_at {
            self.send_report(now, false);
            self.next_rtcp = Some(now + self.report_interval());
        }
        let heard = self.last_rtp.unwrap_or(started);
        if !self.timed_out && now >= heard + self.config.rtp_timeout {
            self.timed_out = true;
            self.event(LegEvent::RtpTimeout);
        }
    }

    /// When [`Leg::handle_timeout`] has something to do (besides frame ticks).
    pub fn poll_timeout(&self) -> Option<Instant> {
        let digit = if self.dtmf_out.is_active() {
            self.dtmf_out.poll_timeout()
        } else if !self.digits.is_empty() {
            Some(self.next_digit_at)
        } else {
            None
        };
        let rtp_timeout = match (self.timed_out, self.last_rtp.or(self.started)) {
            (false, Some(at)) => Some(at + self.config.rtp_timeout),
            _ => None,
        };
        [
            digit,
            self.dtmf_in.poll_timeout(),
            self.next_rtcp,
            rtp_timeout,
        ]
        .into_iter()
        .flatten()
        .min()
    }

    fn send_digits(&mut self, now: Instant) {
        if !self.dtmf_out.is_active() && now >= self.next_digit_at {
            if let Some((digit, length)) = self.digits.pop_front() {
                // The event starts at the RTP time of the frame that would go out next.
                let _ = self.dtmf_out.start(now, digit, length, self.ts, 10);
            }
        }
        let Some(pt) = self.config.event_payload_type else {
            return;
        };
        while let Some(p) = self.dtmf_out.poll(now) {
            let mut header = RtpHeader::new(pt, self.seq, p.timestamp, self.config.ssrc);
            header.marker = p.marker;
            self.seq = self.seq.wrapping_add(1);
            self.transmit(self.remote, |buf| {
                rtp::write_simple(&header, &p.payload, buf).ok()
            });
            self.sent_packets = self.sent_packets.wrapping_add(1);
            self.sent_octets = self.sent_octets.wrapping_add(p.payload.len() as u32);
            if !self.dtmf_out.is_active() {
                self.next_digit_at = now + INTER_DIGIT;
                // After the event, audio resumes as a new talkspurt.
                self.talking = false;
            }
        }
    }

    /// The configured interval times a factor spread over 0.5–1.5 (RFC 3550 §6.3.1), so
    /// the legs of many calls started together do not report in step.
    fn report_interval(&mut self) -> Duration {
        let mut x = self.spread;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.spread = x;
        let factor = 0.5 + (x >> 11) as f64 / (1u64 << 53) as f64;
        self.config.rtcp_interval.mul_f64(factor)
    }

    /// Says goodbye: a final report with an RTCP BYE (the call is over for this leg).
    pub fn send_bye(&mut self, now: Instant) {
        self.send_report(now, true);
    }

    /// Sends a compound report: SR if we have sent RTP, else RR, with a block about the
    /// remote's stream if we heard one, and our CNAME.
    fn send_report(&mut self, now: Instant, bye: bool) {
        let block = self
            .remote_ssrc
            .filter(|_| self.stats.packets() > 0)
            .map(|s| self.stats.report_block(s, now));
        let blocks = block.as_slice();
        let info = SenderInfo {
            ntp: ntp_at(self.config.ntp_at_zero, now),
            // The RTP time of `now` on our clock, from the last frame sent.
            rtp_timestamp: self.clock.map_or(self.ts, |(at, ts)| {
                let elapsed = now.saturating_since(at).as_micros() / 125;
                ts.wrapping_add(elapsed as u32)
            }),
            packet_count: self.sent_packets,
            octet_count: self.sent_octets,
        };
        let ssrc = self.config.ssrc;
        let (cname, cname_len) = (self.cname, self.cname_len);
        let sender = self.sent_packets > 0;
        let to = self.remote.map(|mut r| {
            if !self.config.rtcp_mux {
                r.set_port(r.port().wrapping_add(1));
            }
            r
        });
        self.transmit(to, |buf| {
            let n = if sender {
                rtcp::write_sr(buf, ssrc, &info, blocks).ok()?
            } else {
                rtcp::write_rr(buf, ssrc, blocks).ok()?
            };
            let n = n + rtcp::write_sdes_cname(&mut buf[n..], ssrc, &cname[..cname_len]).ok()?;
            if !bye {
                return Some(n);
            }
            Some(n + rtcp::write_bye(&mut buf[n..], &[ssrc], None).ok()?)
        });
    }
}
