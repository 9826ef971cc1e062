//! Trunks that register with their provider (V10): the switch keeps a registration per such
//! trunk — REGISTER with our contact, answering the registrar's Digest challenge with the
//! trunk's credentials, refreshed before it expires, retried with a growing pause after a
//! refusal or silence — and says whenever one comes up or goes down. Calls from the
//! provider then arrive like any trunk's (the server counts the registrar among its peers).

use std::collections::HashMap;

use switchboard_engine::ids::TenantId;
use switchboard_sip::digest::Challenge;
use switchboard_sip::name_addr::{parse_contacts, Contacts};
use switchboard_sip::parse::delta_seconds;
use switchboard_sip::transaction::{Peer, TxKey};
use switchboard_sip::uri::Host;
use switchboard_sip::{Method, NameAddr, Response, SipUri, Uri};

use crate::dialog::Dialog;
use crate::directory::TrunkRegistration;
use crate::switch::{Output, Switch, Timer};

/// Retries after a failure wait this long, doubling up to `MAX_RETRY_MS`.
const FIRST_RETRY_MS: u64 = 30_000;
const MAX_RETRY_MS: u64 = 600_000;

/// A trunk's registration coming up or going down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrunkStatus {
    pub tenant: TenantId,
    pub trunk: String,
    pub registered: bool,
    /// The registrar's last final answer (408 when it never answered).
    pub status: u16,
}

pub(crate) struct Upstream {
    tenant: TenantId,
    trunk: String,
    reg: TrunkRegistration,
    dialog: Dialog,
    registered: bool,
    /// This round's REGISTER was challenged already: a second challenge is a refusal.
    challenged: bool,
    failures: u32,
    nonce_count: u32,
}

/// Where the switch keeps its registrations: by a number of their own, and their requests.
#[derive(Default)]
pub(crate) struct Upstreams {
    by_id: HashMap<u64, Upstream>,
    requests: HashMap<TxKey, u64>,
}

impl Upstreams {
    pub(crate) fn owns(&self, key: &TxKey) -> bool {
        self.requests.contains_key(key)
    }
}

impl Switch {
    /// Makes the registrations match the directory's trunks: new ones start now, changed
    /// ones start again, those gone are forgotten.
    pub(crate) fn sync_upstreams(&mut self, now: u64) {
        let wanted: Vec<(TenantId, String, TrunkRegistration)> = self
            .directory
            .registering_trunks()
            .map(|(t, reg)| (t.tenant, t.name.clone(), reg.clone()))
            .collect();
        let keep: Vec<u64> = self
            .upstreams
            .by_id
            .iter()
            .filter(|(_, u)| {
                wanted
                    .iter()
                    .any(|(t, n, r)| *t == u.tenant && *n == u.trunk && *r == u.reg)
            })
            .map(|(id, _)| *id)
            .collect();
        self.upstreams.by_id.retain(|id, _| keep.contains(id));
        self.upstreams.requests.retain(|_, id| keep.contains(id));
        for (tenant, trunk, reg) in wanted {
            let known = self
                .upstreams
                .by_id
                .values()
                .any(|u| u.tenant == tenant && u.trunk == trunk);
            if !known {
                let id = self.next_id();
                let upstream = self.new_upstream(tenant, trunk, reg);
                self.upstreams.by_id.insert(id, upstream);
                self.set_timer(now, Timer::Upstream(id));
            }
        }
    }

    fn new_upstream(
        &mut self,
        tenant: TenantId,
        trunk: String,
        reg: TrunkRegistration,
    ) -> Upstream {
        let host = match reg.domain.parse() {
            Ok(ip) => Host::Ip(ip),
            Err(_) => Host::Name(reg.domain.clone()),
        };
        let aor = Uri::Sip(SipUri::new(Some(&reg.username), host.clone(), None));
        let tag = self.ids.token();
        let dialog = Dialog {
            call_id: self.ids.call_id(),
            local: NameAddr::new(aor.clone()).with_tag(&tag),
            remote: NameAddr::new(aor),
            remote_target: Uri::Sip(SipUri::new(None, host, None)),
            route_set: Vec::new(),
            local_cseq: 0,
            remote_cseq: None,
            peer: Peer::udp(reg.registrar),
        };
        Upstream {
            tenant,
            trunk,
            reg,
            dialog,
            registered: false,
            challenged: false,
            failures: 0,
            nonce_count: 0,
        }
    }

    /// Time to register (first, refresh, or retry).
    pub(crate) fn upstream_due(&mut self, now: u64, id: u64) {
        if let Some(u) = self.upstreams.by_id.get_mut(&id) {
            u.challenged = false;
        }
        self.send_register(now, id, None);
    }

    fn send_register(&mut self, now: u64, id: u64, auth: Option<(&'static str, String)>) {
        let local = self.cfg.local.clone();
        let branch = self.ids.branch();
        let Some(u) = self.upstreams.by_id.get_mut(&id) else {
            return;
        };
        let mut req = u.dialog.request(Method::Register, &local, &branch);
        req.headers
            .push("Contact", local.contact(Some(&u.reg.username)));
        req.headers.push("Expires", u.reg.expires_s.to_string());
        if let Some((name, value)) = auth {
            req.headers.push(name, value);
        }
        let peer = u.dialog.peer;
        let key = self.tx.send_request(now, req, peer);
        self.upstreams.requests.insert(key, id);
    }

    /// The registrar answered one of our REGISTERs.
    pub(crate) fn upstream_response(&mut self, now: u64, key: TxKey, resp: Response) {
        if resp.status < 200 {
            return;
        }
        let Some(id) = self.upstreams.requests.remove(&key) else {
            return;
        };
        match resp.status {
            200..=299 => self.upstream_registered(now, id, &resp),
            401 | 407 => self.upstream_challenged(now, id, &resp),
            status => self.upstream_failed(now, id, status),
        }
    }

    pub(crate) fn upstream_timed_out(&mut self, now: u64, key: &TxKey) -> bool {
        let Some(id) = self.upstreams.requests.remove(key) else {
            return false;
        };
        self.upstream_failed(now, id, 408);
        true
    }

    fn upstream_challenged(&mut self, now: u64, id: u64, resp: &Response) {
        let (header, answer) = if resp.status == 407 {
            ("Proxy-Authenticate", "Proxy-Authorization")
        } else {
            ("WWW-Authenticate", "Authorization")
        };
        let challenge = resp.headers.get_all(header).find_map(Challenge::parse);
        let cnonce = self.ids.token();
        let Some(u) = self.upstreams.by_id.get_mut(&id) else {
            return;
        };
        let (Some(challenge), false) = (challenge, u.challenged) else {
            return self.upstream_failed(now, id, resp.status);
        };
        u.challenged = true;
        u.nonce_count += 1;
        let uri = u.dialog.remote_target.to_string();
        let value = challenge.answer(
            &u.reg.username,
            &u.reg.password,
            "REGISTER",
            &uri,
            &cnonce,
            u.nonce_count,
        );
        self.send_register(now, id, Some((answer, value)));
    }

    fn upstream_registered(&mut self, now: u64, id: u64, resp: &Response) {
        let Some(u) = self.upstreams.by_id.get_mut(&id) else {
            return;
        };
        let granted = granted_expiry(resp, &u.reg.username).unwrap_or(u.reg.expires_s);
        u.failures = 0;
        let was = std::mem::replace(&mut u.registered, true);
        // Refresh at nine tenths of what was granted, and not more often than every 10 s.
        let refresh = (u64::from(granted) * 900).max(10_000);
        let status = self.status_of(id, resp.status);
        self.set_timer(now + refresh, Timer::Upstream(id));
        if !was {
            self.outputs.extend(status.map(Output::Trunk));
        }
    }

    fn upstream_failed(&mut self, now: u64, id: u64, status: u16) {
        let Some(u) = self.upstreams.by_id.get_mut(&id) else {
            return;
        };
        let wait = FIRST_RETRY_MS
            .saturating_mul(1 << u.failures.min(5))
            .min(MAX_RETRY_MS);
        u.failures += 1;
        u.registered = false;
        let status = self.status_of(id, status);
        self.set_timer(now + wait, Timer::Upstream(id));
        self.outputs.extend(status.map(Output::Trunk));
    }

    fn status_of(&self, id: u64, status: u16) -> Option<TrunkStatus> {
        let u = self.upstreams.by_id.get(&id)?;
        Some(TrunkStatus {
            tenant: u.tenant,
            trunk: u.trunk.clone(),
            registered: u.registered,
            status,
        })
    }
}

/// What the registrar granted our contact: its `expires` parameter in the answer's
/// Contact list, else the Expires header.
fn granted_expiry(resp: &Response, user: &str) -> Option<u32> {
    let contacts: Vec<&str> = resp.headers.get_all("Contact").collect();
    let ours = match parse_contacts(&contacts).ok()? {
        Contacts::List(list) => list.into_iter().find(|c| {
            c.uri
                .as_sip()
                .and_then(|u| u.user_decoded())
                .is_some_and(|u| u == user)
        }),
        Contacts::Star => None,
    };
    ours.and_then(|c| c.param("expires").and_then(delta_seconds))
        .or_else(|| resp.headers.get("Expires").and_then(delta_seconds))
}
