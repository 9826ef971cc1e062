//! `Authorization: Digest …` headers: parsed, their nonce checked and their response
//! verified against a stored HA1, for both algorithms.
#![no_main]

use libfuzzer_sys::fuzz_target;
use switchboard_sip::digest::{ha1, Algorithm, Credentials, NonceState, Nonces};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(c) = Credentials::parse(text) else {
        return;
    };
    assert!(!c.username.is_empty() && !c.nonce.is_empty() && !c.response.is_empty());
    let nonces = Nonces::new(b"fuzz secret", 300_000);
    assert_ne!(
        nonces.check(&c.nonce, 1_000_000, &c.realm),
        NonceState::Fresh,
        "a nonce we did not issue"
    );
    for alg in [Algorithm::Md5, Algorithm::Sha256] {
        let stored = ha1(alg, &c.username, &c.realm, "switchboard");
        let _ = c.verify("REGISTER", &stored);
        let _ = c.verify("INVITE", &stored);
    }
});
