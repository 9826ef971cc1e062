//! RTP, RTCP and RFC 4733 telephone-event payloads as a leg receives them: parsed, and fed
//! to a live leg (latching, reframing, the jitter buffer, DTMF, RTCP statistics) with a
//! frame taken after each, so no datagram a stranger sends to an RTP port can panic it.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../replay/rtp.rs"]
mod replay;

fuzz_target!(|data: &[u8]| {
    replay::feed(data);
});
