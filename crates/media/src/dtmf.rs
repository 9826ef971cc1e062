//! DTMF as RFC 4733 telephone events: the 4-byte payload, a receiver that turns a stream
//! of event packets into each digit exactly once, and a sender that produces the packets of
//! one digit. Both are driven by the caller's time and keep fixed-size state.

use std::time::Duration;

use crate::Instant;

/// The event payload's length.
pub const PAYLOAD_LEN: usize = 4;
/// How often a sender repeats an ongoing event (RFC 4733 §2.5.1.2 suggests 50 ms).
pub const UPDATE_INTERVAL: Duration = Duration::from_millis(50);
/// The gap between the three retransmitted end packets.
pub const END_SPACING: Duration = Duration::from_millis(20);
/// How long a receiver waits for news of an event before taking it as ended (all its end
/// packets lost). Several update intervals, so a few lost updates don't end a long press.
pub const RECEIVE_TIMEOUT: Duration = Duration::from_millis(400);

const DIGITS: &[u8; 16] = b"0123456789*#ABCD";

/// The DTMF digit of an event code (0–15), if it is one.
pub fn event_digit(event: u8) -> Option<char> {
    DIGITS.get(usize::from(event)).map(|d| char::from(*d))
}

/// The event code of a DTMF digit (`0-9`, `*`, `#`, `A-D`, lower case allowed).
pub fn digit_event(digit: char) -> Option<u8> {
    let d = digit.to_ascii_uppercase();
    DIGITS
        .iter()
        .position(|c| char::from(*c) == d)
        .map(|i| i as u8)
}

/// One telephone-event payload (RFC 4733 §2.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TelephoneEvent {
    pub event: u8,
    pub end: bool,
    /// Power level in −dBm0 (0–63).
    pub volume: u8,
    /// Duration so far, in timestamp units (1/8000 s).
    pub duration: u16,
}

impl TelephoneEvent {
    /// Reads the first four bytes of a payload (more may follow for multiple events).
    pub fn parse(payload: &[u8]) -> Option<TelephoneEvent> {
        let b = payload.get(..PAYLOAD_LEN)?;
        Some(TelephoneEvent {
            event: b[0],
            end: b[1] & 0x80 != 0,
            volume: b[1] & 0x3F,
            duration: u16::from_be_bytes([b[2], b[3]]),
        })
    }

    pub fn to_bytes(self) -> [u8; PAYLOAD_LEN] {
        let d = self.duration.to_be_bytes();
        [
            self.event,
            (u8::from(self.end) << 7) | (self.volume & 0x3F),
            d[0],
            d[1],
        ]
    }
}

/// A digit received, reported once when it ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReceivedDigit {
    pub digit: char,
    /// The duration the sender last reported.
    pub duration: Duration,
}

#[derive(Clone, Copy, Debug)]
struct Ongoing {
    timestamp: u32,
    event: u8,
    duration: u16,
    last_seen: Instant,
}

/// Turns received event packets into digits, each exactly once.
///
/// An event is one RTP timestamp. It ends with its first end packet (the two repeats are
/// ignored), when a packet with a later timestamp arrives (the end packets were lost), or
/// [`RECEIVE_TIMEOUT`] after its last packet (everything after was lost).
#[derive(Clone, Debug, Default)]
pub struct DtmfReceiver {
    ongoing: Option<Ongoing>,
    /// The timestamp of the last event reported: its late packets are ignored.
    done: Option<u32>,
    /// At most two digits come out of one packet (the previous and an end-only one).
    ready: [Option<ReceivedDigit>; 2],
}

/// `a` is after `b` in RTP timestamp order (with wrap).
fn after(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) > 0
}

fn to_duration(units: u16) -> Duration {
    Duration::from_micros(u64::from(units) * 125)
}

impl DtmfReceiver {
    pub fn new() -> DtmfReceiver {
        DtmfReceiver::default()
    }

    /// Takes one event packet with its RTP timestamp.
    pub fn on_packet(&mut self, now: Instant, timestamp: u32, ev: TelephoneEvent) {
        if self.done.is_some_and(|d| !after(timestamp, d)) {
            return; // a repeat of a reported event, or older still
        }
        if let Some(cur) = self.ongoing {
            if timestamp == cur.timestamp {
                let cur = Ongoing {
                    duration: cur.duration.max(ev.duration),
                    last_seen: now,
                    ..cur
                };
                self.ongoing = Some(cur);
                if ev.end {
                    self.finish(cur);
                }
                return;
            }
            if !after(timestamp, cur.timestamp) {
                return; // a late packet of an earlier event
            }
            // A new event: the current one ended, its end packets lost.
            self.finish(cur);
        }
        let new = Ongoing {
            timestamp,
            event: ev.event,
            duration: ev.duration,
            last_seen: now,
        };
        if ev.end {
            self.finish(new);
        } else {
            self.ongoing = Some(new);
        }
    }

    fn finish(&mut self, ev: Ongoing) {
        self.ongoing = None;
        self.done = Some(ev.timestamp);
        // Events past 15 (tones, flash) are not digits: they end silently.
        let Some(digit) = event_digit(ev.event) else {
            return;
        };
        let d = ReceivedDigit {
            digit,
            duration: to_duration(ev.duration),
        };
        if let Some(slot) = self.ready.iter_mut().find(|s| s.is_none()) {
            *slot = Some(d);
        }
    }

    /// Ends an event nothing has been heard of for [`RECEIVE_TIMEOUT`].
    pub fn handle_timeout(&mut self, now: Instant) {
        if let Some(cur) = self.ongoing {
            if now >= cur.last_seen + RECEIVE_TIMEOUT {
                self.finish(cur);
            }
        }
    }

    /// When [`DtmfReceiver::handle_timeout`] should next be called.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.ongoing.map(|c| c.last_seen + RECEIVE_TIMEOUT)
    }

    /// The next digit received, oldest first. Call it after every packet and timeout: one
    /// packet can end at most two digits, and that is all the receiver keeps.
    pub fn poll_digit(&mut self) -> Option<ReceivedDigit> {
        let d = self.ready[0].take();
        self.ready[0] = self.ready[1].take();
        d
    }

    /// True while a key is held (an event started and has not ended).
    pub fn in_event(&self) -> bool {
        self.ongoing.is_some()
    }
}

/// One event packet to send: the leg wraps it in RTP with its next sequence number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventPacket {
    pub marker: bool,
    pub timestamp: u32,
    pub payload: [u8; PAYLOAD_LEN],
}

#[derive(Clone, Copy, Debug)]
struct Sending {
    event: u8,
    volume: u8,
    timestamp: u32,
    started: Instant,
    /// The event's length in timestamp units.
    length: u16,
    next_at: Instant,
    sent: u32,
    ends_sent: u8,
}

/// Why a digit cannot be sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SendError {
    NotADigit,
    /// A digit is still being sent.
    Busy,
}

/// Produces the packets of one digit at a time: a first packet with the marker, updates
/// every [`UPDATE_INTERVAL`], then three end packets [`END_SPACING`] apart, all with the
/// event's start timestamp and growing durations.
#[derive(Clone, Debug, Default)]
pub struct DtmfSender {
    sending: Option<Sending>,
}

/// The longest event one timestamp can describe (the duration field is 16 bits); longer
/// presses would need segments (RFC 4733 §2.5.1.3), which we don't send.
pub const MAX_LENGTH: Duration = Duration::from_micros(65535 * 125);

impl DtmfSender {
    pub fn new() -> DtmfSender {
        DtmfSender::default()
    }

    /// Starts sending `digit` for `length` (capped at [`MAX_LENGTH`]) at `now`, stamped
    /// with `timestamp`, the RTP time of `now` on the leg's clock.
    pub fn start(
        &mut self,
        now: Instant,
        digit: char,
        length: Duration,
        timestamp: u32,
        volume: u8,
    ) -> Result<(), SendError> {
        let event = digit_event(digit).ok_or(SendError::NotADigit)?;
        if self.sending.is_some() {
            return Err(SendError::Busy);
        }
        let units = (length.min(MAX_LENGTH).as_micros() / 125).max(1) as u16;
        self.sending = Some(Sending {
            event,
            volume: volume.min(63),
            timestamp,
            started: now,
            length: units,
            next_at: now,
            sent: 0,
            ends_sent: 0,
        });
        Ok(())
    }

    /// True while packets remain to send; the leg sends no audio meanwhile.
    pub fn is_active(&self) -> bool {
        self.sending.is_some()
    }

    /// When the next packet is due.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.sending.map(|s| s.next_at)
    }

    /// The next packet, if one is due at `now`.
    pub fn poll(&mut self, now: Instant) -> Option<EventPacket> {
        let mut s = self.sending?;
        if now < s.next_at {
            return None;
        }
        let elapsed =
            (now.saturating_since(s.started).as_micros() / 125).min(u128::from(u16::MAX)) as u16;
        let end = elapsed >= s.length;
        let ev = TelephoneEvent {
            event: s.event,
            end,
            volume: s.volume,
            duration: if end {
                s.length
            } else {
                elapsed.max(crate::FRAME_SAMPLES as u16)
            },
        };
        let packet = EventPacket {
            marker: s.sent == 0,
            timestamp: s.timestamp,
            payload: ev.to_bytes(),
        };
        s.sent += 1;
        if end {
            s.ends_sent += 1;
            s.next_at = now + END_SPACING;
        } else {
            // The next update, or the end if it comes first.
            let end_at = s.started + to_duration(s.length);
            s.next_at = (now + UPDATE_INTERVAL).min(end_at);
        }
        self.sending = if s.ends_sent >= 3 { None } else { Some(s) };
        Some(packet)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Instant {
        Instant::from_millis(n)
    }

    fn ev(event: u8, end: bool, duration: u16) -> TelephoneEvent {
        TelephoneEvent {
            event,
            end,
            volume: 10,
            duration,
        }
    }

    fn digits(r: &mut DtmfReceiver) -> String {
        std::iter::from_fn(|| r.poll_digit())
            .map(|d| d.digit)
            .collect()
    }

    #[test]
    fn payload_known_bytes_and_digit_map() {
        // Digit 5, end bit, volume 10, duration 800 (RFC 4733 §2.3 layout).
        let b = [5, 0x8A, 0x03, 0x20];
        let e = TelephoneEvent::parse(&b).expect("4 bytes");
        assert_eq!(e, ev(5, true, 800));
        assert_eq!(e.to_bytes(), b);
        assert_eq!(TelephoneEvent::parse(&b[..3]), None);
        assert_eq!(event_digit(10), Some('*'));
        assert_eq!(event_digit(11), Some('#'));
        assert_eq!(event_digit(15), Some('D'));
        assert_eq!(event_digit(16), None);
        assert_eq!(digit_event('a'), Some(12));
        assert_eq!(digit_event('x'), None);
    }

    #[test]
    fn a_digit_with_three_end_packets_is_reported_once() {
        let mut r = DtmfReceiver::new();
        r.on_packet(ms(0), 1000, ev(1, false, 160));
        r.on_packet(ms(50), 1000, ev(1, false, 560));
        assert!(r.in_event() && digits(&mut r).is_empty());
        for i in 0..3 {
            r.on_packet(ms(100 + i * 20), 1000, ev(1, true, 800));
        }
        // A late update after the end changes nothing.
        r.on_packet(ms(170), 1000, ev(1, false, 560));
        let d = r.poll_digit().expect("one digit");
        assert_eq!(
            d,
            ReceivedDigit {
                digit: '1',
                duration: Duration::from_millis(100)
            }
        );
        assert_eq!(r.poll_digit(), None);
    }

    #[test]
    fn a_new_timestamp_ends_a_digit_whose_ends_were_lost() {
        let mut r = DtmfReceiver::new();
        r.on_packet(ms(0), 1000, ev(4, false, 400));
        r.on_packet(ms(300), 3000, ev(2, false, 400));
        assert_eq!(digits(&mut r), "4");
        // A straggler of the old event is ignored.
        r.on_packet(ms(310), 1000, ev(4, true, 800));
        // Only the end packets of the next one arrive: it still counts, once.
        r.on_packet(ms(600), 5000, ev(11, true, 800));
        r.on_packet(ms(620), 5000, ev(11, true, 800));
        assert_eq!(digits(&mut r), "2#");
    }

    #[test]
    fn a_timeout_ends_a_digit_whose_end_packets_were_all_lost() {
        let mut r = DtmfReceiver::new();
        r.on_packet(ms(0), 1000, ev(9, false, 160));
        assert_eq!(r.poll_timeout(), Some(ms(400)));
        r.handle_timeout(ms(399));
        assert!(digits(&mut r).is_empty());
        r.handle_timeout(ms(400));
        assert_eq!(digits(&mut r), "9");
        assert_eq!(r.poll_timeout(), None);
        // The lost end packets arriving after all don't repeat it.
        r.on_packet(ms(500), 1000, ev(9, true, 800));
        assert!(digits(&mut r).is_empty());
    }

    #[test]
    fn the_sender_makes_start_updates_and_three_ends() {
        let mut s = DtmfSender::new();
        s.start(ms(1000), '7', Duration::from_millis(120), 4242, 10)
            .expect("idle");
        assert_eq!(
            s.start(ms(1000), '1', Duration::from_millis(1), 0, 10),
            Err(SendError::Busy)
        );
        let mut sent = Vec::new();
        let mut now = ms(1000);
        while let Some(at) = s.poll_timeout() {
            now = at;
            while let Some(p) = s.poll(now) {
                sent.push((now.as_micros() / 1000 - 1000, p));
            }
        }
        let times: Vec<u64> = sent.iter().map(|(t, _)| *t).collect();
        assert_eq!(times, [0, 50, 100, 120, 140, 160]);
        assert!(sent[0].1.marker && sent[1..].iter().all(|(_, p)| !p.marker));
        assert!(sent.iter().all(|(_, p)| p.timestamp == 4242));
        let evs: Vec<TelephoneEvent> = sent
            .iter()
            .filter_map(|(_, p)| TelephoneEvent::parse(&p.payload))
            .collect();
        let durations: Vec<u16> = evs.iter().map(|e| e.duration).collect();
        assert_eq!(durations, [160, 400, 800, 960, 960, 960]);
        assert_eq!(evs.iter().filter(|e| e.end).count(), 3);
        assert!(evs.iter().all(|e| e.event == 7 && e.volume == 10));
        assert!(!s.is_active());
        assert_eq!(
            s.start(now, 'x', Duration::from_millis(1), 0, 0),
            Err(SendError::NotADigit)
        );
    }

    #[test]
    fn sender_to_receiver_with_loss_gives_each_digit_once() {
        let mut r = DtmfReceiver::new();
        let mut s = DtmfSender::new();
        let mut now = ms(0);
        let mut n = 0u32;
        let mut got = String::new();
        for (i, digit) in "159#".chars().enumerate() {
            let ts = 8000 * i as u32;
            s.start(now, digit, Duration::from_millis(100), ts, 10)
                .expect("idle");
            while let Some(at) = s.poll_timeout() {
                now = at;
                while let Some(p) = s.poll(now) {
                    n += 1;
                    // Lose every third packet, including end packets.
                    if !n.is_multiple_of(3) {
                        r.on_packet(
                            now,
                            p.timestamp,
                            TelephoneEvent::parse(&p.payload).expect("valid"),
                        );
                    }
                    got += &digits(&mut r);
                }
            }
            now = now + Duration::from_millis(200);
            r.handle_timeout(now);
            got += &digits(&mut r);
        }
        r.handle_timeout(now + RECEIVE_TIMEOUT);
        got += &digits(&mut r);
        assert_eq!(got, "159#");
    }
}
