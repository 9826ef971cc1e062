//! A trunk's registration with its provider, at the edge: the account as the API takes it
//! (the password write-only: kept for answering the registrar's challenges, never sent back)
//! and checked into storage's record.

use serde::{Deserialize, Serialize};
use switchboard_storage::TrunkRegistration;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult};

const EXPIRES_S: (u32, u32) = (60, 3_600);

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistrationIn {
    /// The provider's SIP domain or address (the registrar is looked up from it).
    pub domain: String,
    #[serde(default = "sip_port")]
    pub port: u16,
    /// The account's user name (also the address of record's user).
    pub username: String,
    /// 1-128 characters; may be left out on a change to keep the one stored.
    #[serde(default)]
    pub password: Option<String>,
    /// The registration's lifetime asked for, 60-3600 s.
    #[serde(default = "default_expires")]
    pub expires_s: u32,
}

/// The account a trunk registers with (its password is never shown).
#[derive(Serialize, ToSchema)]
pub struct RegistrationOut {
    pub domain: String,
    pub port: u16,
    pub username: String,
    pub expires_s: u32,
}

fn sip_port() -> u16 {
    5060
}

fn default_expires() -> u32 {
    600
}

/// Checks a registration; `before` is the trunk's stored one, whose password a change
/// without one keeps.
pub fn checked(
    req: Option<RegistrationIn>,
    before: Option<&TrunkRegistration>,
) -> ApiResult<Option<TrunkRegistration>> {
    let Some(r) = req else {
        return Ok(None);
    };
    let domain = r.domain.trim();
    let host_like = !domain.is_empty()
        && domain.len() <= 253
        && domain
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b':'));
    if !host_like {
        return Err(invalid("domain", "must be a host name or an IP address"));
    }
    if r.port == 0 {
        return Err(invalid("port", "must be between 1 and 65535"));
    }
    let user_ok = (1..=64).contains(&r.username.chars().count())
        && r.username
            .chars()
            .all(|c| c.is_ascii_graphic() && c != ':' && c != '@');
    if !user_ok {
        return Err(invalid(
            "username",
            "must be 1-64 printable characters without ':' or '@'",
        ));
    }
    let password = match (r.password, before) {
        (Some(p), _) => p,
        (None, Some(b)) => b.password.clone(),
        (None, None) => return Err(invalid("password", "is required")),
    };
    if !(1..=128).contains(&password.chars().count()) || password.chars().any(char::is_control) {
        return Err(invalid("password", "must be 1-128 characters"));
    }
    if !(EXPIRES_S.0..=EXPIRES_S.1).contains(&r.expires_s) {
        let (lo, hi) = EXPIRES_S;
        return Err(invalid(
            "expires_s",
            &format!("must be between {lo} and {hi}"),
        ));
    }
    Ok(Some(TrunkRegistration {
        domain: domain.to_ascii_lowercase(),
        port: r.port,
        username: r.username,
        password,
        expires_s: r.expires_s,
    }))
}

pub fn out(r: &TrunkRegistration) -> RegistrationOut {
    RegistrationOut {
        domain: r.domain.clone(),
        port: r.port,
        username: r.username.clone(),
        expires_s: r.expires_s,
    }
}

fn invalid(field: &str, message: &str) -> ApiError {
    ApiError::invalid(format!("registration.{field}"), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(password: Option<&str>) -> RegistrationIn {
        RegistrationIn {
            domain: "SIP.Carrier.example".into(),
            port: 5060,
            username: "8610".into(),
            password: password.map(str::to_owned),
            expires_s: 600,
        }
    }

    #[test]
    fn a_registration_is_checked_and_a_change_keeps_the_password() {
        let stored = checked(Some(req(Some("s3cret"))), None).unwrap().unwrap();
        assert_eq!(stored.domain, "sip.carrier.example");
        let kept = checked(Some(req(None)), Some(&stored)).unwrap().unwrap();
        assert_eq!(kept.password, "s3cret");
        assert!(
            checked(Some(req(None)), None).is_err(),
            "a new one needs it"
        );
        let mut bad = req(Some("x"));
        bad.domain = "carrier example".into();
        assert!(checked(Some(bad), None).is_err());
        let mut bad = req(Some("x"));
        bad.username = "a:b".into();
        assert!(checked(Some(bad), None).is_err());
        let mut bad = req(Some("x"));
        bad.expires_s = 30;
        assert!(checked(Some(bad), None).is_err());
        assert!(checked(Some(req(Some("a\nb"))), None).is_err());
        assert_eq!(
            checked(None, Some(&stored)).unwrap(),
            None,
            "left out: none"
        );
        assert!(
            !format!("{stored:?}").contains("s3cret"),
            "never in debug output"
        );
    }
}
