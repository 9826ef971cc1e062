//! Agent phones registering: digest challenge, right and wrong passwords, the ban on a
//! guessing source, several devices, expiry and unregistering, all on simulated time.
#![allow(clippy::unwrap_used)]

mod support;

use support::*;
use switchboard_voice::registrar::RegistrationChange;
use switchboard_voice::Output;

fn changes(w: &mut World) -> Vec<usize> {
    w.take_outputs()
        .into_iter()
        .filter_map(|o| match o {
            Output::Registration(RegistrationChange { devices, .. }) => Some(devices),
            _ => None,
        })
        .collect()
}

#[test]
fn a_phone_registers_with_the_right_password_only() {
    let mut w = World::new();
    assert_eq!(w.register_phone("127.0.0.1:6001", "1001", "wrong"), 403);
    assert_eq!(changes(&mut w), Vec::<usize>::new());
    assert_eq!(w.register_phone("127.0.0.1:6001", "1001", PASSWORD), 200);
    assert_eq!(changes(&mut w), [1]);
    assert_eq!(
        w.switch.registrar().bindings(w.tenant, "1001", w.now).len(),
        1
    );
    assert_eq!(
        w.register_phone("127.0.0.1:6002", "1009", PASSWORD),
        403,
        "no such extension"
    );
}

#[test]
fn two_devices_expire_and_unregister() {
    let mut w = World::new();
    assert_eq!(w.register_phone("127.0.0.1:6001", "1001", PASSWORD), 200);
    assert_eq!(w.register_phone("127.0.0.1:6011", "1001", PASSWORD), 200);
    assert_eq!(changes(&mut w), [1, 2]);
    w.advance(3_600_000);
    assert_eq!(changes(&mut w), [0], "both bindings expired together");
    assert_eq!(w.register_phone("127.0.0.1:6001", "1001", PASSWORD), 200);
    let challenge = {
        w.send(
            "127.0.0.1:6001",
            &register("127.0.0.1:6001", "1001", 3, 0, None),
        );
        w.responses("127.0.0.1:6001").pop().unwrap()
    };
    let nonce = nonce_of(&challenge, "WWW-Authenticate");
    let auth = credentials("1001", PASSWORD, &nonce, "REGISTER", "sip:demo");
    w.send(
        "127.0.0.1:6001",
        &register("127.0.0.1:6001", "1001", 4, 0, Some(&auth)),
    );
    assert_eq!(w.statuses("127.0.0.1:6001"), [200]);
    assert_eq!(changes(&mut w), [1, 0]);
}

#[test]
fn a_guessing_source_is_banned_and_others_are_not() {
    let mut w = World::new();
    for _ in 0..6 {
        assert_eq!(w.register_phone("127.0.0.5:6001", "1001", "guess"), 403);
    }
    // Banned: even the right password is refused without being checked.
    w.send(
        "127.0.0.5:6001",
        &register("127.0.0.5:6001", "1001", 9, 3600, None),
    );
    assert_eq!(w.statuses("127.0.0.5:6001"), [403]);
    assert_eq!(w.register_phone("127.0.0.6:6001", "1001", PASSWORD), 200);
    w.advance(31_000);
    assert_eq!(
        w.register_phone("127.0.0.5:6001", "1001", PASSWORD),
        200,
        "the ban ends"
    );
}

#[test]
fn a_stale_nonce_is_rechallenged_and_a_forged_one_refused() {
    let mut w = World::new();
    w.send(
        "127.0.0.1:6001",
        &register("127.0.0.1:6001", "1001", 1, 3600, None),
    );
    let nonce = nonce_of(
        &w.responses("127.0.0.1:6001").pop().unwrap(),
        "WWW-Authenticate",
    );
    w.advance(301_000);
    let auth = credentials("1001", PASSWORD, &nonce, "REGISTER", "sip:demo");
    w.send(
        "127.0.0.1:6001",
        &register("127.0.0.1:6001", "1001", 2, 3600, Some(&auth)),
    );
    let stale = w.responses("127.0.0.1:6001").pop().unwrap();
    assert_eq!(stale.status, 401);
    assert!(stale
        .headers
        .get("WWW-Authenticate")
        .unwrap()
        .contains("stale=true"));
    let forged = credentials("1001", PASSWORD, "12345.00ff", "REGISTER", "sip:demo");
    w.send(
        "127.0.0.1:6001",
        &register("127.0.0.1:6001", "1001", 3, 3600, Some(&forged)),
    );
    assert_eq!(w.statuses("127.0.0.1:6001"), [401]);
}

#[test]
fn too_short_an_interval_is_refused_with_the_minimum() {
    let mut w = World::new();
    w.send(
        "127.0.0.1:6001",
        &register("127.0.0.1:6001", "1001", 1, 3600, None),
    );
    let nonce = nonce_of(
        &w.responses("127.0.0.1:6001").pop().unwrap(),
        "WWW-Authenticate",
    );
    let auth = credentials("1001", PASSWORD, &nonce, "REGISTER", "sip:demo");
    w.send(
        "127.0.0.1:6001",
        &register("127.0.0.1:6001", "1001", 2, 10, Some(&auth)),
    );
    let resp = w.responses("127.0.0.1:6001").pop().unwrap();
    assert_eq!(
        (resp.status, resp.headers.get("Min-Expires")),
        (423, Some("60"))
    );
}

#[test]
fn options_are_answered_and_a_strangers_flood_is_cut_per_source() {
    let mut w = World::new();
    let options = |branch: u32| {
        format!("OPTIONS sip:127.0.0.1 SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.7:7000;branch=z9hG4bKo{branch}\nFrom: <sip:x@demo>;tag=o\nTo: <sip:127.0.0.1>\nCall-ID: o{branch}\nCSeq: 1 OPTIONS\nMax-Forwards: 70\nContent-Length: 0\n\n")
    };
    for i in 0..50 {
        w.send("127.0.0.7:7000", &options(i));
    }
    assert_eq!(
        w.statuses("127.0.0.7:7000").len(),
        20,
        "20 new requests a second per source"
    );
    let other = options(999).replace("127.0.0.7:7000", "127.0.0.8:7000");
    w.send("127.0.0.8:7000", &other);
    assert_eq!(w.statuses("127.0.0.8:7000"), [200]);
    // The tenant's trunk (127.0.0.1) carries a carrier's every call: it is not cut.
    for i in 0..50 {
        let from_trunk = options(1_000 + i).replace("127.0.0.7:7000", "127.0.0.1:7000");
        w.send("127.0.0.1:7000", &from_trunk);
    }
    assert_eq!(
        w.statuses("127.0.0.1:7000").len(),
        50,
        "a trunk is no stranger"
    );
}
