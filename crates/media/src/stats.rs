//! Receive statistics of one RTP stream: counts, loss (RFC 3550 §A.1/§A.3), interarrival
//! jitter (§A.8), the data of a reception report, and an estimated MOS from a simplified
//! E-model (ITU-T G.107 with the G.113 values for G.711).
//!
//! Updating is a handful of integer operations per packet; nothing allocates.

use std::time::Duration;

use crate::rtcp::ReportBlock;
use crate::Instant;

/// A jump ahead of more than this many sequence numbers is a restart, not loss (§A.1).
const MAX_DROPOUT: u16 = 3000;
/// A sequence number this far behind the highest is a late packet (§A.1).
const MAX_MISORDER: u16 = 100;

/// Where a stream's counts stood at one moment, to measure a stretch of it: an agent's
/// standing line carries many calls, and each call keeps the quality of its own stretch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatsMark {
    packets: u64,
    expected: u64,
}

/// Statistics of one received stream, restarted when its source changes.
///
/// Unlike §A.1 there is no probation: the first packet starts the counts, because the leg
/// has already checked where the stream comes from.
#[derive(Clone, Debug, Default)]
pub struct ReceiveStats {
    started: bool,
    packets: u64,
    octets: u64,
    base_seq: u32,
    max_seq: u16,
    cycles: u32,
    /// The sequence number that would confirm a restart after a big jump (§A.1).
    bad_seq: Option<u16>,
    /// Counts at the last report, for the fraction lost in the interval (§A.3).
    expected_prior: u64,
    received_prior: u64,
    /// Relative transit time of the last packet, in timestamp units (§A.8).
    transit: Option<i64>,
    /// Interarrival jitter in timestamp units, times 16 (the §A.8 integer form).
    jitter16: u64,
    /// Middle 32 bits of the NTP time of the last SR received, and when it arrived.
    last_sr: Option<(u32, Instant)>,
}

impl ReceiveStats {
    pub fn new() -> ReceiveStats {
        ReceiveStats::default()
    }

    fn restart(&mut self, seq: u16) {
        *self = ReceiveStats {
            started: true,
            base_seq: u32::from(seq),
            max_seq: seq,
            last_sr: self.last_sr,
            ..ReceiveStats::default()
        };
    }

    /// Counts a received packet; `false` when it was set aside as the first of a possible
    /// restart (its sequence number jumped too far).
    pub fn on_packet(
        &mut self,
        seq: u16,
        rtp_ts: u32,
        arrival: Instant,
        payload_len: usize,
    ) -> bool {
        if !self.started {
            self.restart(seq);
        } else {
            let delta = seq.wrapping_sub(self.max_seq);
            if delta < MAX_DROPOUT {
                if seq < self.max_seq {
                    self.cycles = self.cycles.wrapping_add(1 << 16);
                }
                self.max_seq = seq;
            } else if delta <= u16::MAX - MAX_MISORDER {
                // A big jump: believe it only when the next packet follows it.
                if self.bad_seq != Some(seq) {
                    self.bad_seq = Some(seq.wrapping_add(1));
                    return false;
                }
                self.restart(seq);
            }
            // Otherwise a duplicate or a late packet: counted, not moving the maximum.
        }
        self.bad_seq = None;
        self.packets += 1;
        self.octets += payload_len as u64;
        self.update_jitter(rtp_ts, arrival);
        true
    }

    fn update_jitter(&mut self, rtp_ts: u32, arrival: Instant) {
        // Arrival in 8 kHz timestamp units; only differences matter, so wrapping is fine.
        let arrival_ts = (arrival.as_micros() / 125) as u32;
        let transit = i64::from(arrival_ts.wrapping_sub(rtp_ts) as i32);
        if let Some(prev) = self.transit {
            let d = (transit - prev).unsigned_abs();
            self.jitter16 = (self.jitter16 + d).saturating_sub((self.jitter16 + 8) >> 4);
        }
        self.transit = Some(transit);
    }

    /// Notes a sender report from this source, for the LSR/DLSR of our next report.
    pub fn on_sender_report(&mut self, ntp: u64, arrival: Instant) {
        self.last_sr = Some(((ntp >> 16) as u32, arrival));
    }

    pub fn packets(&self) -> u64 {
        self.packets
    }

    pub fn octets(&self) -> u64 {
        self.octets
    }

    fn extended_max(&self) -> u64 {
        u64::from(self.cycles) + u64::from(self.max_seq)
    }

    /// Packets expected from the first sequence number to the highest.
    pub fn expected(&self) -> u64 {
        if !self.started {
            return 0;
        }
        (self.extended_max() + 1).saturating_sub(u64::from(self.base_seq))
    }

    /// Cumulative packets lost: expected minus received (negative with duplicates).
    pub fn lost(&self) -> i64 {
        self.lost_since(StatsMark::default())
    }

    /// Where the counts stand now, to measure the stretch from here on.
    pub fn mark(&self) -> StatsMark {
        StatsMark {
            packets: self.packets,
            expected: self.expected(),
        }
    }

    /// Packets received and expected since `mark`; from the restart when the stream
    /// restarted since (its counts began again below the mark).
    fn since(&self, mark: StatsMark) -> (u64, u64) {
        let mark = if self.packets < mark.packets || self.expected() < mark.expected {
            StatsMark::default()
        } else {
            mark
        };
        (self.packets - mark.packets, self.expected() - mark.expected)
    }

    /// Packets received since `mark`.
    pub fn packets_since(&self, mark: StatsMark) -> u64 {
        self.since(mark).0
    }

    /// Packets lost since `mark` (negative with duplicates).
    pub fn lost_since(&self, mark: StatsMark) -> i64 {
        let (packets, expected) = self.since(mark);
        expected as i64 - packets as i64
    }

    /// Interarrival jitter in timestamp units (1/8000 s).
    pub fn jitter(&self) -> u32 {
        (self.jitter16 >> 4).min(u64::from(u32::MAX)) as u32
    }

    /// Interarrival jitter as a duration.
    pub fn jitter_duration(&self) -> Duration {
        Duration::from_micros(u64::from(self.jitter()) * 125)
    }

    /// The share of expected packets lost so far, 0.0–1.0.
    pub fn loss_ratio(&self) -> f64 {
        self.loss_ratio_since(StatsMark::default())
    }

    /// The share of packets expected since `mark` that were lost, 0.0–1.0.
    pub fn loss_ratio_since(&self, mark: StatsMark) -> f64 {
        let (_, expected) = self.since(mark);
        if expected == 0 {
            return 0.0;
        }
        (self.lost_since(mark).max(0) as f64 / expected as f64).min(1.0)
    }

    /// A reception report block for `ssrc` (the source these stats are about), closing
    /// the interval for the fraction lost.
    pub fn report_block(&mut self, ssrc: u32, now: Instant) -> ReportBlock {
        let expected = self.expected();
        let expected_interval = expected.saturating_sub(self.expected_prior);
        let received_interval = self.packets.saturating_sub(self.received_prior);
        self.expected_prior = expected;
        self.received_prior = self.packets;
        let lost_interval = expected_interval.saturating_sub(received_interval);
        let fraction_lost = (lost_interval << 8)
            .checked_div(expected_interval)
            .map_or(0, |f| f.min(255) as u8);
        let (last_sr, delay_since_last_sr) = match self.last_sr {
            Some((lsr, at)) => {
                let d = now.saturating_since(at).as_micros() * 65536 / 1_000_000;
                (lsr, u32::try_from(d).unwrap_or(u32::MAX))
            }
            None => (0, 0),
        };
        ReportBlock {
            ssrc,
            fraction_lost,
            cumulative_lost: self.lost().clamp(-0x80_0000, 0x7F_FFFF) as i32,
            highest_sequence: self.extended_max() as u32,
            jitter: self.jitter(),
            last_sr,
            delay_since_last_sr,
        }
    }

    /// The estimated MOS of this stream heard with `one_way_delay` of mouth-to-ear delay.
    pub fn mos(&self, one_way_delay: Duration) -> f64 {
        self.mos_since(StatsMark::default(), one_way_delay)
    }

    /// The estimated MOS of the stream since `mark`, heard with `one_way_delay` of
    /// mouth-to-ear delay.
    pub fn mos_since(&self, mark: StatsMark, one_way_delay: Duration) -> f64 {
        estimated_mos(self.loss_ratio_since(mark), one_way_delay)
    }
}

/// G.107's default R for a connection with no impairments (Ro − Is, with default values).
const R_DEFAULT: f64 = 93.2;
/// G.113 Appendix I: G.711's equipment impairment is 0.
const G711_IE: f64 = 0.0;
/// G.113 Appendix I: G.711's packet-loss robustness without the Appendix I concealment
/// (25.1 with it). Our repeat-and-fade concealment is cruder, so we take the lower value.
const G711_BPL: f64 = 4.3;

/// A simplified E-model: R = 93.2 − Id − Ie,eff, mapped to MOS (G.107 Annex B).
///
/// `loss` is the packet loss ratio (0.0–1.0, taken as random: BurstR = 1), `one_way_delay`
/// the mouth-to-ear delay. Id uses the usual linear fit of G.107's delay impairment
/// (0.024·d, plus 0.11·(d − 177.3) beyond 177.3 ms); echo and other terms are left out.
pub fn estimated_mos(loss: f64, one_way_delay: Duration) -> f64 {
    let d = one_way_delay.as_secs_f64() * 1000.0;
    let id = 0.024 * d + if d > 177.3 { 0.11 * (d - 177.3) } else { 0.0 };
    let ppl = loss.clamp(0.0, 1.0) * 100.0;
    let ie_eff = G711_IE + (95.0 - G711_IE) * ppl / (ppl + G711_BPL);
    r_to_mos(R_DEFAULT - id - ie_eff)
}

/// G.107 Annex B: the MOS a rating factor R predicts.
pub fn r_to_mos(r: f64) -> f64 {
    if r <= 0.0 {
        1.0
    } else if r >= 100.0 {
        4.5
    } else {
        1.0 + 0.035 * r + r * (r - 60.0) * (100.0 - r) * 7e-6
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(stats: &mut ReceiveStats, seqs: impl IntoIterator<Item = u16>) {
        for seq in seqs {
            let ts = u32::from(seq) * 160;
            stats.on_packet(seq, ts, Instant::from_millis(u64::from(seq) * 20), 160);
        }
    }

    #[test]
    fn a_clean_stream_has_no_loss_no_jitter_and_a_mos_near_4_4() {
        let mut s = ReceiveStats::new();
        feed(&mut s, 0..500);
        assert_eq!(
            (s.packets(), s.octets(), s.lost(), s.jitter()),
            (500, 80_000, 0, 0)
        );
        let mos = s.mos(Duration::ZERO);
        assert!((4.38..=4.45).contains(&mos), "{mos}");
    }

    #[test]
    fn loss_is_counted_cumulatively_and_per_interval() {
        let mut s = ReceiveStats::new();
        feed(&mut s, (0..100).filter(|n| n % 10 != 5)); // 10 of 100 lost
        assert_eq!((s.expected(), s.lost()), (100, 10));
        let b = s.report_block(9, Instant::ZERO);
        assert_eq!(
            (b.fraction_lost, b.cumulative_lost, b.highest_sequence),
            (25, 10, 99)
        );
        // The next interval loses nothing: its fraction is zero, the total stays.
        feed(&mut s, 100..200);
        let b = s.report_block(9, Instant::ZERO);
        assert_eq!((b.fraction_lost, b.cumulative_lost), (0, 10));
        assert!(s.mos(Duration::ZERO) < 3.0);
    }

    #[test]
    fn sequence_wrap_counts_cycles_and_duplicates_make_loss_negative() {
        let mut s = ReceiveStats::new();
        feed(&mut s, (65530..=65535).chain(0..10));
        assert_eq!((s.expected(), s.lost()), (16, 0));
        assert_eq!(s.report_block(1, Instant::ZERO).highest_sequence, 0x1_0009);
        feed(&mut s, [3, 4]);
        assert_eq!(s.lost(), -2);
    }

    #[test]
    fn a_stretch_since_a_mark_counts_only_itself() {
        let mut s = ReceiveStats::new();
        feed(&mut s, (0..100).filter(|n| n % 10 != 5)); // the line's first call: 10 % lost
        let mark = s.mark();
        feed(&mut s, 100..300); // the next call on the same stream: nothing lost
        assert_eq!((s.packets_since(mark), s.lost_since(mark)), (200, 0));
        assert_eq!(s.loss_ratio_since(mark), 0.0);
        assert!(s.mos_since(mark, Duration::ZERO) > 4.38);
        assert!(s.loss_ratio() > 0.03, "the whole stream keeps its loss");
        // A restart since the mark: the stretch counts from the restart.
        assert!(!s.on_packet(40_000, 0, Instant::ZERO, 160));
        assert!(s.on_packet(40_001, 160, Instant::ZERO, 160));
        assert_eq!((s.packets_since(mark), s.lost_since(mark)), (1, 0));
    }

    #[test]
    fn a_big_jump_restarts_only_when_confirmed() {
        let mut s = ReceiveStats::new();
        feed(&mut s, 0..10);
        assert!(!s.on_packet(40_000, 0, Instant::ZERO, 160));
        assert_eq!(s.packets(), 10);
        assert!(s.on_packet(40_001, 160, Instant::ZERO, 160));
        assert_eq!((s.packets(), s.expected()), (1, 1));
    }

    #[test]
    fn jitter_follows_the_a8_estimator() {
        // Transit alternates by 80 units (10 ms): J converges on 80.
        let mut s = ReceiveStats::new();
        for n in 0..400u32 {
            let late = if n % 2 == 0 { 0 } else { 10_000 };
            s.on_packet(
                n as u16,
                n * 160,
                Instant::from_micros(u64::from(n) * 20_000 + late),
                160,
            );
        }
        assert!((78..=80).contains(&s.jitter()), "{}", s.jitter());
        assert_eq!(
            s.jitter_duration().as_micros(),
            u128::from(s.jitter()) * 125
        );
    }

    #[test]
    fn dlsr_counts_in_1_65536_seconds() {
        let mut s = ReceiveStats::new();
        s.on_sender_report(0x0000_1234_5678_0000, Instant::from_millis(1000));
        let b = s.report_block(1, Instant::from_millis(1500));
        assert_eq!((b.last_sr, b.delay_since_last_sr), (0x1234_5678, 32768));
    }

    #[test]
    fn the_e_model_falls_with_loss_and_delay() {
        let clean = estimated_mos(0.0, Duration::ZERO);
        let lossy = estimated_mos(0.02, Duration::ZERO);
        let late = estimated_mos(0.0, Duration::from_millis(300));
        assert!((4.40..4.42).contains(&clean), "{clean}");
        // Ie,eff = 95 · 2 / (2 + 4.3) ≈ 30.2, so R ≈ 63.0 and MOS ≈ 3.26.
        assert!((3.2..3.3).contains(&lossy), "{lossy}");
        assert!(late < 4.0 && late > 3.0, "{late}");
        assert_eq!(r_to_mos(-5.0), 1.0);
        assert_eq!(r_to_mos(120.0), 4.5);
    }
}
