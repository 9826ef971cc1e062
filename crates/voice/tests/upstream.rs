//! A trunk that registers with its provider, on simulated time: the REGISTER, the Digest
//! challenge answered with the trunk's credentials (checked here as a registrar would),
//! the refresh before expiry, a refusal and a silent registrar retried with growing pauses.
#![allow(clippy::unwrap_used)]

mod support;

use support::*;
use switchboard_sip::digest::{challenge, ha1, Algorithm, Credentials};
use switchboard_sip::{Message, Method, Request, Response};
use switchboard_voice::directory::{Trunk, TrunkRegistration};
use switchboard_voice::upstream::TrunkStatus;
use switchboard_voice::Output;

const REGISTRAR: &str = "127.0.0.1:5099";

fn world() -> World {
    let mut w = World::with(|dir, tenant| {
        dir.add_trunk(Trunk {
            id: switchboard_engine::SipTrunkId::new(),
            tenant,
            name: "carrier".into(),
            peers: vec![],
            registration: Some(TrunkRegistration {
                registrar: addr(REGISTRAR),
                domain: "carrier.example".into(),
                username: "8610".into(),
                password: "s3cret".into(),
                expires_s: 300,
            }),
            outbound: None,
        })
    });
    w.advance(0);
    w
}

fn statuses(w: &mut World) -> Vec<TrunkStatus> {
    w.take_outputs()
        .into_iter()
        .filter_map(|o| match o {
            Output::Trunk(s) => Some(s),
            _ => None,
        })
        .collect()
}

fn reply(w: &mut World, req: &Request, status: u16, extra: &[(&str, String)]) {
    let mut resp = Response::to(req, status, "X", Some("reg"));
    for (name, value) in extra {
        resp.headers.push(name, value.clone());
    }
    w.send_message(REGISTRAR, &Message::Response(resp));
}

/// The REGISTER that just went out, answered with a challenge; the authorized one returned.
fn challenged(w: &mut World) -> Request {
    let first = w.requests(REGISTRAR).pop().expect("a REGISTER");
    assert_eq!(first.method, Method::Register);
    assert_eq!(first.uri.to_string(), "sip:carrier.example");
    assert!(first.headers.get("Authorization").is_none());
    let ch = challenge(
        "carrier.example",
        &format!("n{}", fresh()),
        Algorithm::Md5,
        false,
    );
    reply(w, &first, 401, &[("WWW-Authenticate", ch)]);
    let again = w
        .requests(REGISTRAR)
        .pop()
        .expect("a REGISTER with credentials");
    assert_eq!(again.core.call_id, first.core.call_id);
    assert_eq!(again.core.cseq.seq, first.core.cseq.seq + 1);
    again
}

#[test]
fn a_trunk_registers_answers_the_challenge_and_refreshes_in_time() {
    let mut w = world();
    let again = challenged(&mut w);
    let creds = Credentials::parse(again.headers.get("Authorization").unwrap()).unwrap();
    let stored = ha1(Algorithm::Md5, "8610", "carrier.example", "s3cret");
    assert!(
        creds.verify("REGISTER", &stored),
        "the credentials are right"
    );
    assert!(again
        .headers
        .get("Contact")
        .unwrap()
        .contains("8610@127.0.0.1:5060"));
    assert_eq!(again.headers.get("Expires"), Some("300"));
    reply(
        &mut w,
        &again,
        200,
        &[("Contact", "<sip:8610@127.0.0.1:5060>;expires=120".into())],
    );
    let tenant = w.tenant;
    assert_eq!(
        statuses(&mut w),
        [TrunkStatus {
            tenant,
            trunk: "carrier".into(),
            registered: true,
            status: 200
        }]
    );
    // Refreshed at nine tenths of the 120 s granted.
    w.advance(107_000);
    assert!(w.requests(REGISTRAR).is_empty());
    w.advance(1_000);
    let again = challenged(&mut w);
    reply(&mut w, &again, 200, &[("Expires", "120".into())]);
    assert!(statuses(&mut w).is_empty(), "still up: nothing to tell");
}

#[test]
fn wrong_credentials_and_a_silent_registrar_are_retried_with_growing_pauses() {
    let mut w = world();
    let again = challenged(&mut w);
    // The registrar refuses the credentials: challenged again.
    let ch = challenge("carrier.example", "n2", Algorithm::Md5, false);
    reply(&mut w, &again, 401, &[("WWW-Authenticate", ch)]);
    assert!(w.requests(REGISTRAR).is_empty(), "no third try in a row");
    let down = statuses(&mut w);
    assert_eq!((down[0].registered, down[0].status), (false, 401));
    w.advance(29_999);
    assert!(w.requests(REGISTRAR).is_empty());
    w.advance(1);
    // Retried after 30 s; this time the registrar says nothing at all.
    assert_eq!(w.requests(REGISTRAR).len(), 1);
    w.advance(40_000);
    let sent = w.requests(REGISTRAR);
    assert!(
        sent.iter().all(|r| r.method == Method::Register),
        "only retransmissions"
    );
    let down = statuses(&mut w);
    assert_eq!(down.last().map(|s| s.status), Some(408));
    // The next pause is 60 s, from the timeout 32 s after that send: 52 s from here.
    let before = w.now;
    let mut waited = 0;
    while w.requests(REGISTRAR).is_empty() && waited < 120_000 {
        w.advance(1_000);
        waited += 1_000;
    }
    let pause = w.now - before;
    assert!(
        (51_000..=53_000).contains(&pause),
        "the pause grew ({pause} ms)"
    );
}

#[test]
fn a_trunk_without_registration_sends_nothing() {
    let mut w = World::new();
    w.advance(600_000);
    assert!(w.requests(REGISTRAR).is_empty());
}
