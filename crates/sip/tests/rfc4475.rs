//! The RFC 4475 torture messages (copied from shared/testdata into tests/rfc4475): valid ones
//! parse and write back to what parses the same, invalid requests are refused with the
//! status the RFC expects, malformed responses are dropped, and the application-level ones
//! meet the rule each tests.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use std::path::{Path, PathBuf};

use switchboard_sip::check::check_request;
use switchboard_sip::parse::ParseError;
use switchboard_sip::{parse_datagram, Message};

fn corpus(group: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/rfc4475")
        .join(group);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let out: Vec<_> = files
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "dat"))
        .map(|p| {
            (
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    assert!(!out.is_empty(), "no messages in {dir:?}");
    out
}

fn read(group: &str, name: &str) -> Result<Message, ParseError> {
    let (_, bytes) = corpus(group).into_iter().find(|(n, _)| n == name).unwrap();
    parse_datagram(&bytes)
}

#[test]
fn valid_messages_parse_and_round_trip() {
    for (name, bytes) in corpus("valid") {
        let msg = parse_datagram(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let again =
            parse_datagram(&msg.to_bytes()).unwrap_or_else(|e| panic!("{name} written back: {e}"));
        assert_eq!(again, msg, "{name} changed when written back");
        if let Message::Request(req) = &msg {
            assert_eq!(
                check_request(req),
                Ok(()),
                "{name} is refused by the application rules"
            );
        }
    }
}

#[test]
fn invalid_requests_are_refused_and_bad_responses_dropped() {
    for (name, bytes) in corpus("invalid") {
        match parse_datagram(&bytes) {
            Err(ParseError::Reject { status, reply, .. }) => {
                let expected = if name == "badvers" { 505 } else { 400 };
                assert_eq!(status, expected, "{name}");
                // The answer copies the request's headers as they came, broken ones included.
                let answer = String::from_utf8(reply.response(status, "Bad Request")).unwrap();
                assert!(
                    answer.starts_with(&format!("SIP/2.0 {status} Bad Request\r\n")),
                    "{name}: {answer}"
                );
                assert!(answer.contains("\r\nVia: "), "{name}: {answer}");
            }
            Err(ParseError::Drop(_)) => assert!(
                bytes.starts_with(b"SIP/2.0"),
                "{name}: a request was dropped"
            ),
            Ok(msg) => panic!("{name} parsed: {msg:?}"),
        }
    }
}

#[test]
fn the_application_rules_refuse_with_the_right_status() {
    let refused = |name: &str| match read("application", name) {
        Ok(Message::Request(req)) => check_request(&req).err().map(|r| r.status),
        Err(ParseError::Reject { status, .. }) => Some(status),
        other => panic!("{name}: {other:?}"),
    };
    assert_eq!(refused("insuf"), Some(400));
    assert_eq!(refused("mcl01"), Some(400));
    assert_eq!(refused("multi01"), Some(400));
    assert_eq!(refused("unkscm"), Some(416));
    assert_eq!(refused("novelsc"), Some(416));
    assert_eq!(refused("unksm2"), Some(416));
    assert_eq!(refused("invut"), Some(415));
    assert_eq!(refused("bext01"), Some(420));
    for fine in [
        "cparam01", "cparam02", "regaut01", "regescrt", "sdp01", "zeromf",
    ] {
        assert_eq!(refused(fine), None, "{fine}");
    }
    let Ok(Message::Request(req)) = read("application", "bext01") else {
        panic!()
    };
    let refusal = check_request(&req).unwrap_err();
    assert_eq!(
        refusal.headers,
        vec![(
            "Unsupported",
            "nothingSupportsThis, nothingSupportsThisEither".to_owned()
        )]
    );
    assert!(matches!(
        read("application", "bcast"),
        Ok(Message::Response(_))
    ));
}

#[test]
fn old_style_messages_are_served() {
    let Ok(Message::Request(req)) = read("transaction", "badbranch") else {
        panic!()
    };
    assert!(!req.core.via[0].has_rfc3261_branch());
    let Ok(Message::Request(req)) = read("compat", "inv2543") else {
        panic!()
    };
    assert_eq!(req.max_forwards, None);
    assert!(req.core.via[0].branch().is_none());
    assert!(
        !req.body.is_empty(),
        "the body runs to the end of the datagram"
    );
}

#[test]
fn a_datagram_with_two_requests_yields_the_first() {
    let Ok(Message::Request(req)) = read("valid", "dblreq") else {
        panic!()
    };
    assert_eq!(req.method.as_str(), "REGISTER");
    assert!(req.body.is_empty());
}

#[test]
fn every_prefix_and_every_byte_flip_is_survived() {
    // A cheap, deterministic cousin of the fuzz target: no input may panic the parser.
    for group in ["valid", "invalid", "application", "transaction", "compat"] {
        for (_, bytes) in corpus(group) {
            for cut in (0..bytes.len()).step_by(7) {
                let _ = parse_datagram(&bytes[..cut]);
            }
            let mut flipped = bytes.clone();
            for i in (0..flipped.len()).step_by(11) {
                flipped[i] ^= 0x5a;
                let _ = parse_datagram(&flipped);
                flipped[i] ^= 0x5a;
            }
        }
    }
}
