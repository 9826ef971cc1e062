//! Inputs of the `rtp` fuzz target replayed with its own steps: the kept crashes
//! (`fuzz/regressions/rtp/`, a README while none) and the seeds taken from sipp's pcaps, so
//! the leg's receive path is proven on them by `cargo test` without the fuzzer.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use std::path::Path;

use switchboard_media::dtmf::TelephoneEvent;
use switchboard_media::g711::Codec;
use switchboard_media::leg::{Leg, LegConfig};
use switchboard_media::rtp::RtpPacket;
use switchboard_media::{rtcp, Instant};

fn inputs(dir: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz")
        .join(dir);
    assert!(dir.is_dir(), "{} is missing", dir.display());
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
        .map(|p| std::fs::read(p).unwrap())
        .collect()
}

/// What `fuzz/fuzz_targets/rtp.rs` does with one input; the number of datagrams fed.
fn replay(data: &[u8]) -> usize {
    let _ = RtpPacket::parse(data);
    let _ = TelephoneEvent::parse(data);
    if let Ok(compound) = rtcp::parse_compound(data) {
        for _ in compound.packets() {}
    }
    let mut config = LegConfig::new(Codec::Pcma, 7);
    config.remote = Some("127.0.0.1:4000".parse().unwrap());
    let mut leg = Leg::new(config);
    let from = "127.0.0.1:4000".parse().unwrap();
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
    i as usize
}

#[test]
fn kept_crashes_and_seeds_replay_cleanly() {
    for input in inputs("regressions/rtp") {
        replay(&input);
    }
    let seeds = inputs("seeds/rtp");
    assert!(!seeds.is_empty());
    for input in seeds {
        assert!(replay(&input) >= 10, "a seed holds real datagrams");
    }
}
