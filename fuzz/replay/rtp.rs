//! What the `rtp` fuzz target does with one input, shared with the media crate's replay
//! test (`crates/media/tests/fuzz_regressions.rs`) so both run the same steps.

use switchboard_media::dtmf::TelephoneEvent;
use switchboard_media::g711::Codec;
use switchboard_media::leg::{Leg, LegConfig};
use switchboard_media::rtp::RtpPacket;
use switchboard_media::{rtcp, Instant};

/// Parses `data` as RTP, RTCP and a telephone event, then feeds it to a live leg as
/// datagrams, each prefixed with its length (two bytes, big-endian) and received 10 ms
/// after the last. Returns how many datagrams were fed.
pub fn feed(data: &[u8]) -> usize {
    let _ = RtpPacket::parse(data);
    let _ = TelephoneEvent::parse(data);
    if let Ok(compound) = rtcp::parse_compound(data) {
        for _ in compound.packets() {}
    }
    let mut config = LegConfig::new(Codec::Pcma, 7);
    let from = std::net::SocketAddr::from(([127, 0, 0, 1], 4000));
    config.remote = Some(from);
    let mut leg = Leg::new(config);
    let mut frame = [0i16; 160];
    let (mut rest, mut fed) = (data, 0u64);
    while rest.len() >= 2 {
        let len = usize::from(u16::from_be_bytes([rest[0], rest[1]])).min(rest.len() - 2);
        let datagram = &rest[2..2 + len];
        rest = &rest[2 + len..];
        let now = Instant::from_millis(fed * 10);
        fed += 1;
        leg.handle_receive(now, from, datagram);
        leg.receive_frame(now, &mut frame);
        leg.handle_timeout(now);
        while leg.poll_transmit().is_some() {}
        while leg.poll_event().is_some() {}
    }
    fed as usize
}
