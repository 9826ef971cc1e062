//! The benchmarks' RTP generator: every leg end sends 20 ms PCMU packets to its relay at the
//! real rate and counts what comes back (packets, loss by sequence number, RFC 3550
//! interarrival jitter). The same generator feeds Switchboard and rtpengine.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::UdpSocket;

const PAYLOAD: usize = 160;
const PACKET_MS: u64 = 20;
/// PCMU's clock: 8,000 timestamp units a second.
const RATE: f64 = 8_000.0;

/// One end of a relayed leg: our socket and where the relay wants our packets.
pub struct End {
    pub socket: Arc<UdpSocket>,
    pub relay: SocketAddr,
}

/// What one end received while streaming.
#[derive(Debug, Clone, Copy, Default)]
pub struct Received {
    pub packets: u64,
    /// Expected by sequence number (highest − first + 1) minus received, never below 0.
    pub lost: u64,
    pub jitter_ms: f64,
    pub sent: u64,
}

impl Received {
    pub fn loss_percent(&self) -> f64 {
        let expected = self.packets + self.lost;
        if expected == 0 {
            100.0
        } else {
            self.lost as f64 * 100.0 / expected as f64
        }
    }
}

/// Streams on every end for `duration`, then listens `grace` longer for the last packets.
pub async fn stream(ends: Vec<End>, duration: Duration, grace: Duration) -> Vec<Received> {
    let start = Instant::now();
    let tasks: Vec<_> = ends
        .into_iter()
        .enumerate()
        .map(|(i, end)| {
            tokio::spawn(async move {
                let listen = tokio::spawn(receive(end.socket.clone(), start, duration + grace));
                // Ends start spread over one packet time, as real calls would be.
                let offset = Duration::from_micros((i as u64 * 997) % (PACKET_MS * 1_000));
                let sent = send(&end, i as u32, start + offset, duration).await;
                let mut got = listen.await.unwrap_or_default();
                got.sent = sent;
                got
            })
        })
        .collect();
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        out.push(t.await.unwrap_or_default());
    }
    out
}

/// Sends a packet every 20 ms from `first` until `duration` after it; how many were sent.
async fn send(end: &End, ssrc: u32, first: Instant, duration: Duration) -> u64 {
    let mut tick = tokio::time::interval_at(first.into(), Duration::from_millis(PACKET_MS));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let count = duration.as_millis() as u64 / PACKET_MS;
    let mut packet = [0u8; 12 + PAYLOAD];
    packet[0] = 0x80; // version 2
    packet[1] = 0; // PCMU
    packet[8..12].copy_from_slice(&ssrc.wrapping_add(0x5b00_0000).to_be_bytes());
    let mut sent = 0;
    for n in 0..count {
        tick.tick().await;
        packet[2..4].copy_from_slice(&(n as u16).to_be_bytes());
        packet[4..8].copy_from_slice(&((n as u32).wrapping_mul(PAYLOAD as u32)).to_be_bytes());
        for (i, b) in packet[12..].iter_mut().enumerate() {
            // A μ-law pattern that is not silence, so nothing may suppress it.
            *b = ((n as usize * 7 + i * 13) % 0x7f) as u8;
        }
        if end.socket.send_to(&packet, end.relay).await.is_ok() {
            sent += 1;
        }
    }
    sent
}

/// Counts RTP arriving on `socket` until `limit` after `start`.
async fn receive(socket: Arc<UdpSocket>, start: Instant, limit: Duration) -> Received {
    let deadline = tokio::time::Instant::from(start + limit);
    let mut buf = [0u8; 2_048];
    let mut got = Received::default();
    let mut seq = SeqCount::default();
    let mut last_transit: Option<f64> = None;
    let mut jitter = 0.0;
    while let Ok(Ok(n)) = tokio::time::timeout_at(deadline, socket.recv(&mut buf)).await {
        // RTP only: RTCP (payload types 200-204 in the second byte) is not audio.
        if n < 12 || buf[0] >> 6 != 2 || (200..=204).contains(&buf[1]) {
            continue;
        }
        got.packets += 1;
        seq.add(u16::from_be_bytes([buf[2], buf[3]]));
        let ts = u32::from_be_bytes([buf[4], buf[5], buf[6], buf[7]]);
        let arrival = start.elapsed().as_secs_f64() * RATE;
        let transit = arrival - f64::from(ts);
        if let Some(prev) = last_transit {
            // RFC 3550 §6.4.1, in timestamp units; wrapping timestamps are rare enough here.
            let d = (transit - prev).abs();
            if d < RATE * 10.0 {
                jitter += (d - jitter) / 16.0;
            }
        }
        last_transit = Some(transit);
    }
    got.lost = seq.expected().saturating_sub(got.packets);
    got.jitter_ms = jitter / RATE * 1_000.0;
    got
}

/// Extended sequence numbers (RFC 3550 A.1, without probation): first and highest seen.
#[derive(Default)]
struct SeqCount {
    first: Option<u64>,
    highest: u64,
    cycles: u64,
    last: u16,
}

impl SeqCount {
    fn add(&mut self, s: u16) {
        if self.first.is_none() {
            self.first = Some(u64::from(s));
            self.highest = u64::from(s);
            self.last = s;
            return;
        }
        if s < self.last && self.last - s > 0x8000 {
            self.cycles += 1 << 16;
        }
        if s > self.last || self.last - s > 0x8000 {
            self.last = s;
        }
        self.highest = self.highest.max(self.cycles + u64::from(s));
    }

    fn expected(&self) -> u64 {
        self.first.map_or(0, |f| self.highest - f + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_numbers_count_gaps_across_the_wrap() {
        let mut s = SeqCount::default();
        for n in [65_530u16, 65_531, 65_533, 65_535, 0, 1, 3] {
            s.add(n);
        }
        assert_eq!(s.expected(), 10, "65530..=65535 then 0..=3");
    }

    #[tokio::test]
    async fn a_looped_back_stream_arrives_whole_and_steady() {
        let a = Arc::new(UdpSocket::bind("127.0.0.1:0").await.unwrap());
        let b = Arc::new(UdpSocket::bind("127.0.0.1:0").await.unwrap());
        let ends = vec![
            End {
                socket: a.clone(),
                relay: b.local_addr().unwrap(),
            },
            End {
                socket: b.clone(),
                relay: a.local_addr().unwrap(),
            },
        ];
        let got = stream(ends, Duration::from_millis(400), Duration::from_millis(100)).await;
        for r in got {
            assert_eq!((r.sent, r.packets, r.lost), (20, 20, 0), "{r:?}");
            assert!(r.jitter_ms < 5.0, "{r:?}");
        }
    }
}
