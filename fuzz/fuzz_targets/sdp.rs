//! SDP offers: parsed, an audio stream chosen, and our answer to it, which must itself be
//! SDP we read back with the same stream count and choice.
#![no_main]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use libfuzzer_sys::fuzz_target;
use switchboard_sip::sdp::{choose_audio, AudioDescription, Codec, Sdp};

fuzz_target!(|data: &[u8]| {
    let Ok(offer) = Sdp::parse(data) else {
        return;
    };
    let codecs = [Codec::Pcma, Codec::Pcmu];
    let Some(chosen) = choose_audio(&offer, &codecs) else {
        return;
    };
    for address in [
        IpAddr::V4(Ipv4Addr::new(192, 0, 2, 10)),
        IpAddr::V6(Ipv6Addr::LOCALHOST),
    ] {
        let ours = AudioDescription {
            session_id: 1,
            version: 2,
            address,
            port: 40_000,
            codecs: std::slice::from_ref(&chosen.codec),
            telephone_event: chosen.telephone_event,
            direction: chosen.direction,
        };
        let answer = ours.answer(&offer, &chosen);
        let read = Sdp::parse(&answer).unwrap_or_else(|err| {
            panic!(
                "{err}: our answer {:?} to {offer:?}",
                String::from_utf8_lossy(&answer)
            )
        });
        assert_eq!(
            read.media.len(),
            offer.media.len(),
            "one m-line per offered one"
        );
        let again = choose_audio(&read, &codecs).expect("our answer has our audio stream");
        assert_eq!(again.index, chosen.index);
        assert_eq!(again.codec, chosen.codec);
        assert_eq!(again.remote.ip(), address);
        Sdp::parse(&ours.offer()).expect("our offer reads back");
    }
});
