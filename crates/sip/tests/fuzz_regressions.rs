//! Inputs the fuzzer once crashed on (`fuzz/regressions/sip_message/`, `…/sdp/` and
//! `…/digest/`), replayed with the fuzz targets' own checks, so each fix is proven by
//! `cargo test` without the fuzzer. A directory holds a README when nothing crashed yet.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};

use switchboard_sip::check::check_request;
use switchboard_sip::digest::{ha1, Algorithm, Credentials};
use switchboard_sip::parse::{parse, Framing};
use switchboard_sip::sdp::{choose_audio, AudioDescription, Codec, Sdp};
use switchboard_sip::{parse_datagram, stream_frame_len, Message, ParseError};

/// Every kept input of a target (its README aside); the directory must exist.
fn regressions(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(target);
    assert!(dir.is_dir(), "{} is missing", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

/// What `fuzz_targets/sip_message.rs` checks of one parse.
fn look_at(name: &Path, parsed: Result<Message, ParseError>) {
    match parsed {
        Ok(message) => {
            if let Message::Request(req) = &message {
                let _ = check_request(req);
            }
            let bytes = message.to_bytes();
            assert_eq!(
                parse_datagram(&bytes).as_ref(),
                Ok(&message),
                "{}: written back as {:?}",
                name.display(),
                String::from_utf8_lossy(&bytes)
            );
        }
        Err(ParseError::Reject { status, why, reply }) => {
            let _ = reply.response(status, &why);
        }
        Err(ParseError::Drop(_)) => {}
    }
}

#[test]
fn sip_messages_the_fuzzer_found_are_handled() {
    for (name, bytes) in regressions("sip_message") {
        look_at(&name, parse_datagram(&bytes));
        if let Ok((skip, Some(len))) = stream_frame_len(&bytes) {
            look_at(&name, parse(&bytes[skip..skip + len], Framing::Stream));
        }
    }
}

#[test]
fn sdp_offers_the_fuzzer_found_are_answered() {
    let codecs = [Codec::Pcma, Codec::Pcmu];
    for (name, bytes) in regressions("sdp") {
        let Ok(offer) = Sdp::parse(&bytes) else {
            continue;
        };
        let Some(chosen) = choose_audio(&offer, &codecs) else {
            continue;
        };
        let ours = AudioDescription {
            session_id: 1,
            version: 2,
            address: IpAddr::V4(Ipv4Addr::new(192, 0, 2, 10)),
            port: 40_000,
            codecs: std::slice::from_ref(&chosen.codec),
            telephone_event: chosen.telephone_event,
            direction: chosen.direction,
        };
        let answer = Sdp::parse(&ours.answer(&offer, &chosen))
            .unwrap_or_else(|e| panic!("{}: our answer: {e}", name.display()));
        assert_eq!(answer.media.len(), offer.media.len(), "{}", name.display());
    }
}

#[test]
fn digest_headers_the_fuzzer_found_are_verified() {
    for (_, bytes) in regressions("digest") {
        let Some(c) = std::str::from_utf8(&bytes)
            .ok()
            .and_then(Credentials::parse)
        else {
            continue;
        };
        for alg in [Algorithm::Md5, Algorithm::Sha256] {
            let _ = c.verify("REGISTER", &ha1(alg, &c.username, &c.realm, "switchboard"));
        }
    }
}
