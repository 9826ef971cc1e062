//! Agent phones registering (RFC 3261 §10): digest-authenticated REGISTER, several devices
//! per extension, bindings that expire, and the address each device is reached at (where
//! its REGISTER came from, so phones behind NAT are reachable).

use std::collections::HashMap;

use switchboard_engine::ids::{TenantId, UserId};
use switchboard_sip::digest::{self, Algorithm, Credentials, NonceState, Nonces};
use switchboard_sip::message::reason_phrase;
use switchboard_sip::name_addr::{parse_contacts, Contacts};
use switchboard_sip::parse::delta_seconds;
use switchboard_sip::transaction::Peer;
use switchboard_sip::{Request, Response, Uri};

use crate::directory::{Directory, Extension};
use crate::guard::AuthGuard;

pub const DEFAULT_EXPIRES: u32 = 3_600;
pub const MIN_EXPIRES: u32 = 60;
pub const MAX_EXPIRES: u32 = 3_600;
pub const MAX_DEVICES: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub contact: Uri,
    /// Where the REGISTER came from: requests to the device go here.
    pub peer: Peer,
    pub expires_at: u64,
    pub call_id: String,
    pub cseq: u32,
}

/// How many devices an agent's extension has registered, after a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationChange {
    pub tenant: TenantId,
    pub agent: UserId,
    pub extension: String,
    pub devices: usize,
}

#[derive(Default)]
pub struct Registrar {
    bindings: HashMap<(TenantId, String), Vec<Binding>>,
}

/// What authenticating a request found.
pub enum Auth<'a> {
    Ok(&'a Extension),
    /// Answer this (401 with a challenge, or 403).
    Refuse(Box<Response>),
}

/// Checks the digest credentials of `req` for `number` in the tenant; on success the
/// caller's source is forgiven its earlier failures.
#[allow(clippy::too_many_arguments)]
pub fn authenticate<'a>(
    req: &Request,
    from: Peer,
    now: u64,
    realm: &str,
    ext: Option<&'a Extension>,
    nonces: &Nonces,
    guard: &mut AuthGuard,
    header: &str,
) -> Auth<'a> {
    let source = from.addr.ip();
    if guard.banned(source, now) {
        return Auth::Refuse(Box::new(Response::to(req, 403, reason_phrase(403), None)));
    }
    let challenge = |stale: bool| {
        let mut r = Response::to(
            req,
            if header == "Authorization" { 401 } else { 407 },
            "",
            None,
        );
        r.reason = reason_phrase(r.status).to_owned();
        let name = if header == "Authorization" {
            "WWW-Authenticate"
        } else {
            "Proxy-Authenticate"
        };
        r.headers.push(
            name,
            digest::challenge(realm, &nonces.issue(now, realm), Algorithm::Md5, stale),
        );
        Auth::Refuse(Box::new(r))
    };
    let creds = req
        .headers
        .get_all(header)
        .filter_map(Credentials::parse)
        .find(|c| c.realm == realm);
    let Some(creds) = creds else {
        return challenge(false);
    };
    match nonces.check(&creds.nonce, now, realm) {
        NonceState::Fresh => {}
        NonceState::Stale => return challenge(true),
        NonceState::Forged => {
            guard.failed(source, now);
            return challenge(false);
        }
    }
    let ok = ext.is_some_and(|e| {
        let ha1 = match creds.algorithm() {
            Some(Algorithm::Sha256) => &e.ha1_sha256,
            _ => &e.ha1_md5,
        };
        e.number == creds.username && creds.verify(req.method.as_str(), ha1)
    });
    match (ok, ext) {
        (true, Some(e)) => {
            guard.succeeded(source);
            Auth::Ok(e)
        }
        _ => {
            guard.failed(source, now);
            Auth::Refuse(Box::new(Response::to(req, 403, reason_phrase(403), None)))
        }
    }
}

impl Registrar {
    /// Handles an authenticated REGISTER for `ext`: the response and, if the device count
    /// changed, the change to announce.
    pub fn register(
        &mut self,
        req: &Request,
        from: Peer,
        now: u64,
        ext: &Extension,
        to_tag: &str,
    ) -> (Response, Option<RegistrationChange>) {
        let contacts: Vec<&str> = req.headers.get_all("Contact").collect();
        let header_expires = req.headers.get("Expires").and_then(delta_seconds);
        let key = (ext.tenant, ext.number.clone());
        let before = self.devices(ext.tenant, &ext.number);
        let list = self.bindings.entry(key.clone()).or_default();
        list.retain(|b| b.expires_at > now);
        match parse_contacts(&contacts) {
            Ok(Contacts::Star) if header_expires == Some(0) => list.clear(),
            Ok(Contacts::Star) => {
                return (
                    Response::to(req, 400, "Contact * needs Expires: 0", Some(to_tag)),
                    None,
                )
            }
            Ok(Contacts::List(addrs)) => {
                for addr in addrs {
                    let asked = addr
                        .param("expires")
                        .and_then(delta_seconds)
                        .or(header_expires);
                    let expires = asked.unwrap_or(DEFAULT_EXPIRES).min(MAX_EXPIRES);
                    if expires != 0 && expires < MIN_EXPIRES {
                        let mut r = Response::to(req, 423, reason_phrase(423), Some(to_tag));
                        r.headers.push("Min-Expires", MIN_EXPIRES.to_string());
                        return (r, None);
                    }
                    list.retain(|b| b.contact != addr.uri);
                    if expires > 0 {
                        if list.len() == MAX_DEVICES {
                            list.remove(0);
                        }
                        list.push(Binding {
                            contact: addr.uri,
                            peer: from,
                            expires_at: now + u64::from(expires) * 1_000,
                            call_id: req.core.call_id.clone(),
                            cseq: req.core.cseq.seq,
                        });
                    }
                }
            }
            Err(_) => return (Response::to(req, 400, "Bad Contact", Some(to_tag)), None),
        }
        let mut ok = Response::to(req, 200, reason_phrase(200), Some(to_tag));
        for b in list.iter() {
            let left = b.expires_at.saturating_sub(now) / 1_000;
            ok.headers
                .push("Contact", format!("<{}>;expires={left}", b.contact));
        }
        if list.is_empty() {
            self.bindings.remove(&key);
        }
        let after = self.live(ext.tenant, &ext.number, now);
        let change = (after != before).then(|| RegistrationChange {
            tenant: ext.tenant,
            agent: ext.agent,
            extension: ext.number.clone(),
            devices: after,
        });
        (ok, change)
    }

    pub fn devices(&self, tenant: TenantId, number: &str) -> usize {
        self.bindings
            .get(&(tenant, number.to_owned()))
            .map_or(0, Vec::len)
    }

    fn live(&self, tenant: TenantId, number: &str, now: u64) -> usize {
        let list = self.bindings.get(&(tenant, number.to_owned()));
        list.map_or(0, |l| l.iter().filter(|b| b.expires_at > now).count())
    }

    /// The live bindings of an extension.
    pub fn bindings(&self, tenant: TenantId, number: &str, now: u64) -> Vec<Binding> {
        let list = self.bindings.get(&(tenant, number.to_owned()));
        list.map(|l| l.iter().filter(|b| b.expires_at > now).cloned().collect())
            .unwrap_or_default()
    }

    /// The earliest expiry, for the switch's timer.
    pub fn next_expiry(&self) -> Option<u64> {
        self.bindings.values().flatten().map(|b| b.expires_at).min()
    }

    /// Drops expired bindings; the extensions whose device count changed.
    pub fn expire(&mut self, now: u64, directory: &Directory) -> Vec<RegistrationChange> {
        let mut changes = Vec::new();
        self.bindings.retain(|(tenant, number), list| {
            let before = list.len();
            list.retain(|b| b.expires_at > now);
            if list.len() != before {
                if let Some(ext) = directory.extension(*tenant, number) {
                    changes.push(RegistrationChange {
                        tenant: *tenant,
                        agent: ext.agent,
                        extension: number.clone(),
                        devices: list.len(),
                    });
                }
            }
            !list.is_empty()
        });
        changes
    }
}
