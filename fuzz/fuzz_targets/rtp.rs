//! RTP, RTCP and RFC 4733 telephone-event payloads as a leg receives them: parsed, and fed
//! to a live leg (latching, reframing, the jitter buffer, DTMF, RTCP statistics) with a
//! frame taken after each, so no datagram a stranger sends to an RTP port can panic it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use switchboard_media::dtmf::TelephoneEvent;
use switchboard_media::g711::Codec;
use switchboard_media::leg::{Leg, LegConfig};
use switchboard_media::rtp::RtpPacket;
use switchboard_media::{rtcp, Instant};

fuzz_target!(|data: &[u8]| {
    let _ = RtpPacket::parse(data);
    let _ = TelephoneEvent::parse(data);
    if let Ok(compound) = rtcp::parse_compound(data) {
        for _ in compound.packets() {}
    }
    let mut config = LegConfig::new(Codec::Pcma, 7);
    config.remote = Some("127.0.0.1:4000".parse().unwrap());
    let mut leg = Leg::new(config);
    let from = "127.0.0.1:4000".parse().unwrap();
    // The input as datagrams, each prefixed with its length (two bytes, big-endian) and
    // received 10 ms after the last.
    let mut frame = [0i16; 160];
    let (mut rest, mut i) = (data, 0u64);
    while rest.len() >= 2 {
        let len = usize::from(u16::from_be_bytes([rest[0], rest[1]])).min(rest.len() - 2);
        let datagram = &rest[2..2 + len];
        rest = &rest[2 + len..];
        let now = Instant::from_millis(i * 10);
        i += 1;
        leg.handle_receive(now, from, datagram);
        leg.receive_frame(now, &mut frame);
        leg.handle_timeout(now);
        while leg.poll_transmit().is_some() {}
        while leg.poll_event().is_some() {}
    }
});
