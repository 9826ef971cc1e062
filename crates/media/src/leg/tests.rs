use std::net::SocketAddr;
use std::time::Duration;

use super::*;
use crate::dtmf::{SendError, TelephoneEvent};
use crate::rtcp::RtcpPacket;
use crate::rtp::{RtpHeader, RtpPacket};
use crate::SILENCE;
use crate::{rtcp, rtp};

fn addr(s: &str) -> SocketAddr {
    s.parse().expect("address")
}

fn ms(n: u64) -> Instant {
    Instant::from_millis(n)
}

fn leg(latch_any: bool) -> Leg {
    let mut c = LegConfig::new(Codec::Pcmu, 0x1111);
    c.remote = Some(addr("192.0.2.1:4000"));
    c.latch_any_source = latch_any;
    Leg::new(c)
}

fn packet(pt: u8, seq: u16, ts: u32, ssrc: u32, marker: bool, payload: &[u8]) -> Vec<u8> {
    let mut h = RtpHeader::new(pt, seq, ts, ssrc);
    h.marker = marker;
    let mut buf = [0u8; 512];
    let n = rtp::write_simple(&h, payload, &mut buf).expect("fits");
    buf[..n].to_vec()
}

fn audio(seq: u16, value: i16) -> Vec<u8> {
    let mut codes = [0u8; FRAME_SAMPLES];
    Codec::Pcmu.encode_into(&[value; FRAME_SAMPLES], &mut codes);
    packet(0, seq, u32::from(seq) * 160, 0xAAAA, false, &codes)
}

fn events(l: &mut Leg) -> Vec<LegEvent> {
    std::iter::from_fn(|| l.poll_event()).collect()
}

fn sent(l: &mut Leg) -> Vec<Transmit> {
    std::iter::from_fn(|| l.poll_transmit()).collect()
}

#[test]
fn the_signalled_address_latches_and_strangers_are_ignored() {
    let mut l = leg(false);
    l.handle_receive(ms(0), addr("198.51.100.9:5000"), &audio(1, 100));
    assert!(!l.is_latched());
    l.handle_receive(ms(20), addr("192.0.2.1:4000"), &audio(2, 100));
    assert_eq!(events(&mut l), [LegEvent::Latched(addr("192.0.2.1:4000"))]);
    l.handle_receive(ms(40), addr("198.51.100.9:5000"), &audio(3, 100));
    assert_eq!(l.counters().foreign_source, 2);
    assert_eq!(l.stats().packets(), 1);
}

#[test]
fn behind_nat_the_first_valid_packet_latches() {
    let mut l = leg(true);
    // An unknown payload type doesn't latch, nor does garbage.
    l.handle_receive(
        ms(0),
        addr("203.0.113.5:30000"),
        &packet(18, 1, 0, 0xAAAA, false, &[0; 20]),
    );
    l.handle_receive(ms(0), addr("203.0.113.5:30000"), &[0x80, 0]);
    assert!(!l.is_latched());
    l.handle_receive(ms(20), addr("203.0.113.5:30000"), &audio(2, 100));
    assert_eq!(l.remote(), Some(addr("203.0.113.5:30000")));
    assert_eq!(
        events(&mut l),
        [LegEvent::Latched(addr("203.0.113.5:30000"))]
    );
    l.handle_receive(ms(40), addr("192.0.2.1:4000"), &audio(3, 100));
    let c = l.counters();
    assert_eq!(
        (c.unknown_payload, c.malformed, c.foreign_source),
        (1, 1, 1)
    );

    // With a signalled SSRC, another source's packets don't latch.
    let mut c = LegConfig::new(Codec::Pcmu, 1);
    c.remote_ssrc = Some(0xBBBB);
    let mut l = Leg::new(c);
    l.handle_receive(ms(0), addr("203.0.113.5:30000"), &audio(2, 100));
    assert!(!l.is_latched());
}

#[test]
fn inbound_audio_is_decoded_in_order_and_losses_fade_to_silence() {
    let mut l = leg(true);
    let from = addr("192.0.2.1:4000");
    let mut out = SILENCE;
    let mut heard = Vec::new();
    for n in 0..30u16 {
        // Frames 10 to 13 are lost.
        if !(10..14).contains(&n) {
            l.handle_receive(ms(u64::from(n) * 20), from, &audio(n, 1000 + n as i16 * 10));
        }
        l.receive_frame(ms(u64::from(n) * 20 + 5), &mut out);
        heard.push(out[0]);
    }
    let first = heard.iter().position(|s| *s != 0).expect("audio");
    let played: Vec<i16> = heard[first..].to_vec();
    // Decoded within µ-law's step, rising; then a fade of 3/4, 1/2, 1/4, then silence.
    let last_good = played[9];
    assert!((1080..=1120).contains(&last_good), "{played:?}");
    assert_eq!(
        &played[10..14],
        &[last_good * 3 / 4, last_good / 2, last_good / 4, 0]
    );
    assert!(played[14] > 1100, "{played:?}");
}

#[test]
fn outbound_frames_carry_sequence_timestamp_and_a_marker_per_talkspurt() {
    let mut l = leg(true);
    let tone = [500i16; FRAME_SAMPLES];
    for n in 0..3 {
        l.send_frame(ms(n * 20), Some(&tone));
    }
    l.send_frame(ms(60), None);
    l.send_frame(ms(80), Some(&tone));
    let out = sent(&mut l);
    assert_eq!(out.len(), 4);
    let parsed: Vec<RtpPacket> = out
        .iter()
        .map(|t| RtpPacket::parse(t.contents()).expect("RTP"))
        .collect();
    assert!(out.iter().all(|t| t.destination == addr("192.0.2.1:4000")));
    let c = l.config().clone();
    let seqs: Vec<u16> = parsed
        .iter()
        .map(|p| p.header.sequence.wrapping_sub(c.initial_sequence))
        .collect();
    let tss: Vec<u32> = parsed
        .iter()
        .map(|p| p.header.timestamp.wrapping_sub(c.initial_timestamp))
        .collect();
    let marks: Vec<bool> = parsed.iter().map(|p| p.header.marker).collect();
    assert_eq!(seqs, [0, 1, 2, 3]);
    assert_eq!(tss, [0, 160, 320, 640]);
    assert_eq!(marks, [true, false, false, true]);
    assert!(parsed
        .iter()
        .all(|p| p.header.ssrc == 0x1111 && p.header.payload_type == 0 && p.payload.len() == 160));
    // Without any address, nothing can be sent: counted, not queued.
    let mut lost = Leg::new(LegConfig::new(Codec::Pcma, 2));
    lost.send_frame(ms(0), Some(&tone));
    assert_eq!((sent(&mut lost).len(), lost.counters().unsent), (0, 1));
}

#[test]
fn received_telephone_events_become_one_digit() {
    let mut l = leg(true);
    let from = addr("192.0.2.1:4000");
    for (i, (end, d)) in [
        (false, 160),
        (false, 400),
        (true, 800),
        (true, 800),
        (true, 800),
    ]
    .iter()
    .enumerate()
    {
        let ev = TelephoneEvent {
            event: 11,
            end: *end,
            volume: 10,
            duration: *d,
        };
        l.handle_receive(
            ms(i as u64 * 50),
            from,
            &packet(101, i as u16, 4000, 0xAAAA, i == 0, &ev.to_bytes()),
        );
    }
    let digits: Vec<LegEvent> = events(&mut l)
        .into_iter()
        .filter(|e| matches!(e, LegEvent::Digit(_)))
        .collect();
    assert_eq!(digits.len(), 1);
    assert!(matches!(digits[0], LegEvent::Digit(d) if d.digit == '#'));
}

#[test]
fn digits_go_out_as_events_and_hold_back_audio() {
    let mut l = leg(true);
    l.send_digit('5', Duration::from_millis(100))
        .expect("queued");
    l.send_digit('9', Duration::from_millis(100))
        .expect("queued");
    assert_eq!(l.send_digit('x', Duration::ZERO), Err(SendError::NotADigit));
    let mut now = ms(0);
    let mut packets = Vec::new();
    // Frame ticks every 20 ms, with the leg's own timeouts in between.
    while now < ms(600) {
        l.handle_timeout(now);
        if now.as_micros().is_multiple_of(20_000) {
            l.send_frame(now, Some(&[100; FRAME_SAMPLES]));
        }
        packets.extend(sent(&mut l).into_iter().map(|t| t.contents().to_vec()));
        let next = l
            .poll_timeout()
            .unwrap_or(now + FRAME)
            .min(Instant::from_micros(
                (now.as_micros() / 20_000 + 1) * 20_000,
            ));
        now = next.max(now + Duration::from_micros(1));
    }
    let parsed: Vec<RtpPacket> = packets
        .iter()
        .filter_map(|p| RtpPacket::parse(p).ok())
        .collect();
    let events: Vec<(u32, TelephoneEvent)> = parsed
        .iter()
        .filter(|p| p.header.payload_type == 101)
        .filter_map(|p| Some((p.header.timestamp, TelephoneEvent::parse(p.payload)?)))
        .collect();
    let ends: Vec<u8> = events
        .iter()
        .filter(|(_, e)| e.end)
        .map(|(_, e)| e.event)
        .collect();
    assert_eq!(ends, [5, 5, 5, 9, 9, 9]);
    let stamps: std::collections::BTreeSet<u32> = events.iter().map(|(ts, _)| *ts).collect();
    assert_eq!(stamps.len(), 2);
    // Sequence numbers run on across audio and events.
    let seqs: Vec<u16> = parsed.iter().map(|p| p.header.sequence).collect();
    assert!(seqs.windows(2).all(|w| w[1] == w[0].wrapping_add(1)));
    // No audio while an event is on.
    let first_event = parsed
        .iter()
        .position(|p| p.header.payload_type == 101)
        .expect("events");
    let last_event = parsed
        .iter()
        .rposition(|p| p.header.payload_type == 101)
        .expect("events");
    let audio_during = parsed[first_event..last_event]
        .iter()
        .filter(|p| p.header.payload_type == 0)
        .count();
    assert!(audio_during <= 3, "{audio_during}"); // only in the 50 ms gap between the digits
    assert!(!l.is_sending_digits());
}

#[test]
fn reports_go_out_on_time_and_the_round_trip_is_measured() {
    let mut c = LegConfig::new(Codec::Pcmu, 0x1111);
    c.remote = Some(addr("192.0.2.1:4000"));
    c.ntp_at_zero = 0xE000_0000_0000_0000;
    let mut l = Leg::new(c);
    let from = addr("192.0.2.1:4000");
    l.handle_timeout(ms(0));
    for n in 0..250u16 {
        l.handle_receive(ms(u64::from(n) * 20), from, &audio(n, 0));
        l.send_frame(ms(u64::from(n) * 20), Some(&SILENCE));
    }
    sent(&mut l);
    // Reports are spread over 0.5–1.5 times the 5 s interval.
    let at = l.poll_timeout().expect("a report is due");
    assert!(at >= ms(2500) && at <= ms(7500), "{at:?}");
    l.handle_timeout(at);
    let out = sent(&mut l);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].destination, addr("192.0.2.1:4001"));
    let compound = rtcp::parse_compound(out[0].contents()).expect("valid RTCP");
    let packets: Vec<RtcpPacket> = compound.packets().collect();
    let RtcpPacket::SenderReport(sr) = packets[0] else {
        panic!("{packets:?}")
    };
    assert_eq!(
        (sr.ssrc, sr.info.packet_count, sr.info.octet_count),
        (0x1111, 250, 40_000)
    );
    let block = sr.blocks.clone().next().expect("a block");
    assert_eq!(
        (block.ssrc, block.cumulative_lost, block.highest_sequence),
        (0xAAAA, 0, 249)
    );
    assert!(matches!(packets[1], RtcpPacket::Sdes(_)));

    // The SR's RTP time is the one of the moment it was sent, on our 8 kHz clock.
    let c = l.config();
    let since_start = sr.info.rtp_timestamp.wrapping_sub(c.initial_timestamp);
    assert_eq!(u64::from(since_start), at.as_micros() / 125);
    // The remote answers 100 ms later, having held our SR 30 ms: the round trip is 70 ms.
    let lsr = (sr.info.ntp >> 16) as u32;
    let mut rr = [0u8; 64];
    let b = rtcp::ReportBlock {
        ssrc: 0x1111,
        last_sr: lsr,
        delay_since_last_sr: 30 * 65536 / 1000,
        ..Default::default()
    };
    let n = rtcp::write_rr(&mut rr, 0xAAAA, &[b]).expect("fits");
    l.handle_receive(
        at + Duration::from_millis(100),
        addr("192.0.2.1:4001"),
        &rr[..n],
    );
    let rtt = l.round_trip().expect("measured").as_millis();
    assert!((69..=71).contains(&rtt), "{rtt}");
    assert!(l.mos() > 4.0, "{}", l.mos());
}

#[test]
fn silence_on_the_wire_raises_one_timeout() {
    let mut l = leg(true);
    l.handle_timeout(ms(0));
    l.handle_receive(ms(1000), addr("192.0.2.1:4000"), &audio(1, 0));
    events(&mut l);
    l.handle_timeout(ms(30_999));
    assert!(events(&mut l).is_empty());
    assert!(l.poll_timeout() <= Some(ms(31_000)));
    l.handle_timeout(ms(31_000));
    l.handle_timeout(ms(40_000));
    let timeouts = events(&mut l)
        .into_iter()
        .filter(|e| *e == LegEvent::RtpTimeout)
        .count();
    assert_eq!(timeouts, 1);
    // RTCP BYE is reported.
    let mut b = [0u8; 64];
    let n = rtcp::write_rr(&mut b, 0xAAAA, &[]).expect("fits");
    let m = n + rtcp::write_bye(&mut b[n..], &[0xAAAA], None).expect("fits");
    l.handle_receive(ms(40_001), addr("192.0.2.1:4001"), &b[..m]);
    assert_eq!(events(&mut l), [LegEvent::Bye]);
}

#[test]
fn garbage_never_panics_and_is_counted() {
    let mut l = leg(true);
    let from = addr("192.0.2.1:4000");
    l.handle_receive(ms(0), from, &audio(1, 0));
    let mut weather = 0x2545_F491_4F6C_DD1Du64;
    let mut bytes = [0u8; 300];
    for n in 0..5000u64 {
        for b in bytes.iter_mut() {
            weather ^= weather << 13;
            weather ^= weather >> 7;
            weather ^= weather << 17;
            *b = weather as u8;
        }
        // Mostly version 2, sometimes RTCP-looking, at every length.
        bytes[0] = 0x80 | (bytes[0] & 0x3F);
        let len = (n as usize * 7) % bytes.len();
        l.handle_receive(ms(n), from, &bytes[..len]);
    }
    let c = l.counters();
    assert!(
        c.malformed + c.unknown_payload + c.wrong_size > 1000,
        "{c:?}"
    );
}

#[test]
fn a_bye_ends_the_last_report() {
    let mut l = leg(true);
    l.send_bye(ms(10));
    let out = sent(&mut l);
    let kinds: Vec<bool> = rtcp::parse_compound(out[0].contents())
        .expect("valid")
        .packets()
        .map(|p| matches!(p, RtcpPacket::Bye(_)))
        .collect();
    assert_eq!(kinds, [false, false, true]);
}
