//! SIP digest authentication (RFC 3261 §22, RFC 7616/8760): challenges with nonces that
//! carry their own issue time and MAC, so a server needs no nonce table to check them, and
//! checking a response against the stored HA1 (the password itself is never kept).

use hmac::{Hmac, Mac};
use md5::{Digest as _, Md5};
use sha2::Sha256;

use crate::syntax::{is_token, read_quoted, split_top_level, trim_ws};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Md5,
    Sha256,
}

impl Algorithm {
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Md5 => "MD5",
            Algorithm::Sha256 => "SHA-256",
        }
    }

    pub fn hash(self, input: &str) -> String {
        match self {
            Algorithm::Md5 => hex(&Md5::digest(input.as_bytes())),
            Algorithm::Sha256 => hex(&Sha256::digest(input.as_bytes())),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// HA1 = H(username:realm:password), what the server stores per extension and algorithm.
pub fn ha1(algorithm: Algorithm, username: &str, realm: &str, password: &str) -> String {
    algorithm.hash(&format!("{username}:{realm}:{password}"))
}

/// Makes and checks nonces: `hex(issued_ms) . hex(MAC(secret, issued_ms, realm))`.
pub struct Nonces {
    key: Vec<u8>,
    /// How long a nonce is good for; after that the client is told `stale=true`.
    pub lifetime_ms: u64,
}

impl Nonces {
    pub fn new(secret: &[u8], lifetime_ms: u64) -> Nonces {
        Nonces {
            key: secret.to_vec(),
            lifetime_ms,
        }
    }

    fn mac(&self, issued: u64, realm: &str) -> String {
        // HMAC accepts a key of any length, so this cannot fail.
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(&issued.to_be_bytes());
        mac.update(realm.as_bytes());
        hex(&mac.finalize().into_bytes()[..16])
    }

    pub fn issue(&self, now_ms: u64, realm: &str) -> String {
        format!("{now_ms:x}.{}", self.mac(now_ms, realm))
    }

    pub fn check(&self, nonce: &str, now_ms: u64, realm: &str) -> NonceState {
        let Some((issued, mac)) = nonce.split_once('.') else {
            return NonceState::Forged;
        };
        let Ok(issued) = u64::from_str_radix(issued, 16) else {
            return NonceState::Forged;
        };
        if !constant_time_eq(mac.as_bytes(), self.mac(issued, realm).as_bytes()) || issued > now_ms
        {
            return NonceState::Forged;
        }
        if now_ms - issued > self.lifetime_ms {
            NonceState::Stale
        } else {
            NonceState::Fresh
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonceState {
    Fresh,
    Stale,
    Forged,
}

/// A `WWW-Authenticate`/`Proxy-Authenticate` value.
pub fn challenge(realm: &str, nonce: &str, algorithm: Algorithm, stale: bool) -> String {
    let stale = if stale { ", stale=true" } else { "" };
    format!(
        "Digest realm=\"{realm}\", nonce=\"{nonce}\", algorithm={}, qop=\"auth\"{stale}",
        algorithm.name()
    )
}

/// The parameters of an `Authorization` header with the Digest scheme.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Credentials {
    pub username: String,
    pub realm: String,
    pub nonce: String,
    pub uri: String,
    pub response: String,
    pub algorithm: Option<String>,
    pub cnonce: Option<String>,
    pub qop: Option<String>,
    pub nc: Option<String>,
}

impl Credentials {
    /// `None` for another scheme or a header that cannot be read.
    pub fn parse(value: &str) -> Option<Credentials> {
        let mut c = Credentials::default();
        for (name, v) in digest_params(value)? {
            match name.as_str() {
                "username" => c.username = v,
                "realm" => c.realm = v,
                "nonce" => c.nonce = v,
                "uri" => c.uri = v,
                "response" => c.response = v.to_ascii_lowercase(),
                "algorithm" => c.algorithm = Some(v),
                "cnonce" => c.cnonce = Some(v),
                "qop" => c.qop = Some(v),
                "nc" => c.nc = Some(v),
                _ => {}
            }
        }
        let complete = !c.username.is_empty() && !c.nonce.is_empty() && !c.response.is_empty();
        complete.then_some(c)
    }

    pub fn algorithm(&self) -> Option<Algorithm> {
        match self.algorithm.as_deref() {
            None => Some(Algorithm::Md5),
            Some(a) if a.eq_ignore_ascii_case("MD5") => Some(Algorithm::Md5),
            Some(a) if a.eq_ignore_ascii_case("SHA-256") => Some(Algorithm::Sha256),
            Some(_) => None,
        }
    }

    /// Whether `response` is right for this request, given the stored HA1 for the
    /// credentials' algorithm.
    pub fn verify(&self, method: &str, ha1: &str) -> bool {
        let Some(alg) = self.algorithm() else {
            return false;
        };
        let ha2 = alg.hash(&format!("{method}:{}", self.uri));
        let expected = match (&self.qop, &self.cnonce, &self.nc) {
            (Some(qop), Some(cnonce), Some(nc)) if qop.eq_ignore_ascii_case("auth") => {
                alg.hash(&format!("{ha1}:{}:{nc}:{cnonce}:auth:{ha2}", self.nonce))
            }
            (None, _, _) => alg.hash(&format!("{ha1}:{}:{ha2}", self.nonce)),
            _ => return false,
        };
        constant_time_eq(expected.as_bytes(), self.response.as_bytes())
    }
}

/// The `name=value` parameters of a Digest header (names lower-cased, quotes taken off);
/// `None` for another scheme or a header that cannot be read.
fn digest_params(value: &str) -> Option<Vec<(String, String)>> {
    let value = trim_ws(value);
    let (scheme, rest) = value.split_once([' ', '\t'])?;
    if !scheme.eq_ignore_ascii_case("Digest") {
        return None;
    }
    let mut out = Vec::new();
    for part in split_top_level(rest, b',').ok()? {
        let (name, raw) = part.split_once('=')?;
        let raw = trim_ws(raw);
        let v = if raw.starts_with('"') {
            let (text, after) = read_quoted(raw).ok()?;
            trim_ws(after).is_empty().then_some(text)?
        } else {
            is_token(raw).then(|| raw.to_owned())?
        };
        out.push((trim_ws(name).to_ascii_lowercase(), v));
    }
    Some(out)
}

/// A registrar's (or proxy's) Digest challenge to a request of ours (`WWW-Authenticate`,
/// `Proxy-Authenticate`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    pub realm: String,
    pub nonce: String,
    pub algorithm: Algorithm,
    pub opaque: Option<String>,
    /// `qop="auth"` offered: answered with a client nonce and count.
    pub qop_auth: bool,
}

impl Challenge {
    /// `None` for another scheme, a header that cannot be read, an algorithm we lack, or a
    /// challenge offering only qop values other than `auth`.
    pub fn parse(value: &str) -> Option<Challenge> {
        let (mut realm, mut nonce, mut opaque) = (None, None, None);
        let (mut algorithm, mut qop) = (Algorithm::Md5, None);
        for (name, v) in digest_params(value)? {
            match name.as_str() {
                "realm" => realm = Some(v),
                "nonce" => nonce = Some(v),
                "opaque" => opaque = Some(v),
                "qop" => qop = Some(v),
                "algorithm" if v.eq_ignore_ascii_case("MD5") => algorithm = Algorithm::Md5,
                "algorithm" if v.eq_ignore_ascii_case("SHA-256") => algorithm = Algorithm::Sha256,
                "algorithm" => return None,
                _ => {}
            }
        }
        let qop_auth = match qop {
            None => false,
            Some(q) if q.split(',').any(|x| x.trim().eq_ignore_ascii_case("auth")) => true,
            Some(_) => return None,
        };
        Some(Challenge {
            realm: realm?,
            nonce: nonce?,
            algorithm,
            opaque,
            qop_auth,
        })
    }

    /// Our `Authorization` value for `method uri` with these credentials; `cnonce` and the
    /// count `nc` are used when the challenge offered qop=auth.
    pub fn answer(
        &self,
        username: &str,
        password: &str,
        method: &str,
        uri: &str,
        cnonce: &str,
        nc: u32,
    ) -> String {
        let alg = self.algorithm;
        let ha1 = ha1(alg, username, &self.realm, password);
        let ha2 = alg.hash(&format!("{method}:{uri}"));
        let (realm, nonce) = (&self.realm, &self.nonce);
        let mut value = format!(
            "Digest username=\"{username}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{uri}\", algorithm={}",
            alg.name()
        );
        let response = if self.qop_auth {
            let nc = format!("{nc:08x}");
            value.push_str(&format!(", qop=auth, nc={nc}, cnonce=\"{cnonce}\""));
            alg.hash(&format!("{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}"))
        } else {
            alg.hash(&format!("{ha1}:{nonce}:{ha2}"))
        };
        value.push_str(&format!(", response=\"{response}\""));
        if let Some(o) = &self.opaque {
            value.push_str(&format!(", opaque=\"{o}\""));
        }
        value
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_answer_to_a_challenge_is_what_a_registrar_verifies() {
        for (alg, qop) in [
            (Algorithm::Md5, true),
            (Algorithm::Sha256, true),
            (Algorithm::Md5, false),
        ] {
            let mut header = challenge("carrier.example", "n0nce", alg, false);
            if !qop {
                header = header.replace(", qop=\"auth\"", "");
            }
            let ch = Challenge::parse(&header).unwrap();
            assert_eq!((ch.algorithm, ch.qop_auth), (alg, qop));
            let answer = ch.answer("8610", "s3cret", "REGISTER", "sip:carrier.example", "c1", 1);
            let creds = Credentials::parse(&answer).unwrap();
            let stored = ha1(alg, "8610", "carrier.example", "s3cret");
            assert!(creds.verify("REGISTER", &stored), "{answer}");
            let wrong = ha1(alg, "8610", "carrier.example", "guess");
            assert!(!creds.verify("REGISTER", &wrong));
        }
        let opaque = r#"Digest realm="r", nonce="n", opaque="xyz", qop="auth-int,auth""#;
        let ch = Challenge::parse(opaque).unwrap();
        assert!(
            ch.qop_auth
                && ch
                    .answer("u", "p", "REGISTER", "sip:r", "c", 2)
                    .contains("opaque=\"xyz\"")
        );
        assert!(Challenge::parse(r#"Digest realm="r", nonce="n", qop="auth-int""#).is_none());
        assert!(
            Challenge::parse(r#"Digest realm="r", nonce="n", algorithm=SHA-512-256"#).is_none()
        );
        assert!(Challenge::parse(r#"Basic realm="r""#).is_none());
        assert!(
            Challenge::parse(r#"Digest nonce="n""#).is_none(),
            "a realm is needed"
        );
    }

    #[test]
    fn rfc_2617_example_response() {
        // RFC 2617 §3.5 (HTTP, but the same arithmetic).
        let h = r#"Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41""#;
        let c = Credentials::parse(h).unwrap();
        let ha1 = ha1(
            Algorithm::Md5,
            "Mufasa",
            "testrealm@host.com",
            "Circle Of Life",
        );
        assert!(c.verify("GET", &ha1));
        assert!(!c.verify("POST", &ha1));
    }

    #[test]
    fn nonces_expire_and_cannot_be_forged() {
        let n = Nonces::new(b"secret", 60_000);
        let nonce = n.issue(1_000, "tenant");
        assert_eq!(n.check(&nonce, 2_000, "tenant"), NonceState::Fresh);
        assert_eq!(n.check(&nonce, 62_000, "tenant"), NonceState::Stale);
        assert_eq!(n.check(&nonce, 2_000, "other"), NonceState::Forged);
        assert_eq!(n.check("3e8.00", 2_000, "tenant"), NonceState::Forged);
        assert_eq!(
            Nonces::new(b"other", 60_000).check(&nonce, 2_000, "tenant"),
            NonceState::Forged
        );
    }

    #[test]
    fn other_schemes_are_not_credentials() {
        assert_eq!(
            Credentials::parse("NoOneKnowsThisScheme opaque-data=here"),
            None
        );
        assert_eq!(Credentials::parse("Digest username=\"a\""), None);
    }
}
