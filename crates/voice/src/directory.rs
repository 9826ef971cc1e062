//! Who may talk to this server and where calls go, per tenant: SIP domains, agent
//! extensions with their stored digest HA1s, trunks by peer address, and hotline numbers
//! with their routes, and voice queues' announcement and voicemail settings. The server builds it from storage and replaces it on every change.

use std::collections::HashMap;
use std::net::IpAddr;

use switchboard_engine::ids::{IvrFlowId, SipTrunkId, SkillQueueId, TenantId, UserId};

use crate::destinations::OutboundPolicy;
use switchboard_sip::SipUri;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    pub tenant: TenantId,
    pub number: String,
    pub agent: UserId,
    /// H(number:realm:password) for MD5 and SHA-256; the password itself is not kept.
    pub ha1_md5: String,
    pub ha1_sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trunk {
    pub id: SipTrunkId,
    pub tenant: TenantId,
    pub name: String,
    /// Calls are accepted from these addresses only.
    pub peers: Vec<IpAddr>,
    /// Registration with the provider, for trunks that need it.
    pub registration: Option<TrunkRegistration>,
    /// Where outbound calls through this trunk go; `None`: the trunk carries none.
    pub outbound: Option<TrunkOutbound>,
}

/// How outbound calls reach a trunk's provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrunkOutbound {
    /// The provider's proxy (resolved by the server).
    pub proxy: std::net::SocketAddr,
    /// The Request-URI's host: the provider's domain as configured, or the proxy's address.
    pub domain: String,
    /// What a provider's challenge to our INVITE is answered with: the account the trunk
    /// registers with, when it registers (carriers challenge calls with the same account).
    pub credentials: Option<TrunkCredentials>,
}

/// A trunk's account with its provider.
#[derive(Clone, PartialEq, Eq)]
pub struct TrunkCredentials {
    pub username: String,
    pub password: String,
}

// The password never appears in logs or debug output.
impl std::fmt::Debug for TrunkCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrunkCredentials")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

impl TrunkOutbound {
    /// Where an INVITE to `number` through this trunk goes: its Request-URI and the proxy.
    pub fn target(
        &self,
        number: &str,
    ) -> (switchboard_sip::Uri, switchboard_sip::transaction::Peer) {
        use switchboard_sip::uri::Host;
        let host = match self.domain.parse() {
            Ok(ip) => Host::Ip(ip),
            Err(_) => Host::Name(self.domain.clone()),
        };
        let uri = switchboard_sip::Uri::Sip(SipUri::new(Some(number), host, None));
        (uri, switchboard_sip::transaction::Peer::udp(self.proxy))
    }
}

/// How a trunk registers with its provider.
#[derive(Clone, PartialEq, Eq)]
pub struct TrunkRegistration {
    /// Where REGISTERs go (the provider's registrar, resolved by the server).
    pub registrar: std::net::SocketAddr,
    /// The provider's domain as configured: the Request-URI's and the address of record's host.
    pub domain: String,
    pub username: String,
    pub password: String,
    pub expires_s: u32,
}

// The password never appears in logs or debug output.
impl std::fmt::Debug for TrunkRegistration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrunkRegistration")
            .field("registrar", &self.registrar)
            .field("domain", &self.domain)
            .field("username", &self.username)
            .field("expires_s", &self.expires_s)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Forward straight to a SIP destination (a partner's PBX), no IVR or queue.
    Direct(SipUri),
    /// Into a skill queue as a contact.
    Queue(SkillQueueId),
    /// Ring an agent's extension.
    Extension(String),
    /// Answer and walk the caller through an IVR flow.
    Flow(std::sync::Arc<crate::ivr::Flow>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HotlineNumber {
    pub tenant: TenantId,
    pub number: String,
    pub inbound: bool,
    /// After the agent releases, the customer is asked to rate the service (V12).
    pub survey: bool,
    pub route: Route,
    /// Agents may present this number on outbound calls, which go through this trunk;
    /// `None`: the number is not for outbound calls.
    pub outbound_trunk: Option<SipTrunkId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantSip {
    pub tenant: TenantId,
    /// The domain phones register under, also the digest realm.
    pub domain: String,
}

#[derive(Debug, Clone, Default)]
pub struct Directory {
    tenants: Vec<TenantSip>,
    extensions: HashMap<(TenantId, String), Extension>,
    trunks: Vec<Trunk>,
    numbers: HashMap<(TenantId, String), HotlineNumber>,
    queues: HashMap<(TenantId, SkillQueueId), crate::announce::QueueVoice>,
    /// Tenants' IVR flows by id (sub-flows inlined), for sending a caller into one.
    flows: HashMap<(TenantId, IvrFlowId), std::sync::Arc<crate::ivr::Flow>>,
    /// Tenants' outbound rules; a tenant not here has the default ones.
    policies: HashMap<TenantId, OutboundPolicy>,
    /// The tenant of a request addressed to an IP address rather than a tenant's domain
    /// (a single-tenant installation, phones configured with the server's address).
    pub default_tenant: Option<TenantId>,
}

impl Directory {
    pub fn add_tenant(&mut self, t: TenantSip) {
        self.tenants.retain(|x| x.tenant != t.tenant);
        self.tenants.push(t);
    }

    pub fn add_extension(&mut self, e: Extension) {
        self.extensions.insert((e.tenant, e.number.clone()), e);
    }

    pub fn add_trunk(&mut self, t: Trunk) {
        self.trunks.push(t);
    }

    pub fn add_number(&mut self, n: HotlineNumber) {
        self.numbers.insert((n.tenant, n.number.clone()), n);
    }

    pub fn add_flow(
        &mut self,
        tenant: TenantId,
        id: IvrFlowId,
        flow: std::sync::Arc<crate::ivr::Flow>,
    ) {
        self.flows.insert((tenant, id), flow);
    }

    pub fn flow(
        &self,
        tenant: TenantId,
        id: IvrFlowId,
    ) -> Option<&std::sync::Arc<crate::ivr::Flow>> {
        self.flows.get(&(tenant, id))
    }

    pub fn set_outbound_policy(&mut self, tenant: TenantId, policy: OutboundPolicy) {
        self.policies.insert(tenant, policy);
    }

    /// The tenant's outbound destination rules (the default ones until an admin saves some).
    pub fn outbound_policy(&self, tenant: TenantId) -> std::borrow::Cow<'_, OutboundPolicy> {
        match self.policies.get(&tenant) {
            Some(p) => std::borrow::Cow::Borrowed(p),
            None => std::borrow::Cow::Owned(OutboundPolicy::default()),
        }
    }

    pub fn trunk(&self, tenant: TenantId, id: SipTrunkId) -> Option<&Trunk> {
        self.trunks
            .iter()
            .find(|t| t.tenant == tenant && t.id == id)
    }

    pub fn add_queue_voice(&mut self, tenant: TenantId, q: crate::announce::QueueVoice) {
        self.queues.insert((tenant, q.queue), q);
    }

    /// A voice queue's announcement and voicemail settings, if it has any.
    pub fn queue_voice(
        &self,
        tenant: TenantId,
        queue: SkillQueueId,
    ) -> Option<&crate::announce::QueueVoice> {
        self.queues.get(&(tenant, queue))
    }

    /// The tenant a domain names: its own, or the default for an address or unknown name.
    pub fn tenant_for_domain(&self, domain: &str) -> Option<&TenantSip> {
        let named = self
            .tenants
            .iter()
            .find(|t| t.domain.eq_ignore_ascii_case(domain));
        named.or_else(|| {
            let default = self.default_tenant?;
            self.tenants.iter().find(|t| t.tenant == default)
        })
    }

    pub fn tenant(&self, id: TenantId) -> Option<&TenantSip> {
        self.tenants.iter().find(|t| t.tenant == id)
    }

    pub fn extension(&self, tenant: TenantId, number: &str) -> Option<&Extension> {
        self.extensions.get(&(tenant, number.to_owned()))
    }

    pub fn extension_of(&self, tenant: TenantId, agent: UserId) -> Option<&Extension> {
        self.extensions
            .values()
            .find(|e| e.tenant == tenant && e.agent == agent)
    }

    /// The trunk a call from this address comes in on; none means the call is refused.
    pub fn trunk_for(&self, source: IpAddr) -> Option<&Trunk> {
        self.trunks.iter().find(|t| t.peers.contains(&source))
    }

    /// The trunks that register with their provider, with how.
    pub fn registering_trunks(&self) -> impl Iterator<Item = (&Trunk, &TrunkRegistration)> {
        self.trunks
            .iter()
            .filter_map(|t| t.registration.as_ref().map(|r| (t, r)))
    }

    pub fn number(&self, tenant: TenantId, dialled: &str) -> Option<&HotlineNumber> {
        self.numbers.get(&(tenant, dialled.to_owned()))
    }
}

/// The country code national numbers are read in until trunks carry their own.
pub const COUNTRY_CODE: &str = "86";

/// A dialled or calling number in one form: digits with a leading `+` for E.164, national
/// numbers turned into E.164 with the country code (a leading trunk prefix `0` dropped),
/// short numbers (extensions, hotlines like 4000 or 95xxx) left as they are.
pub fn normalize_number(raw: &str, country_code: &str) -> Option<String> {
    let cleaned: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
        .collect();
    if let Some(rest) = cleaned.strip_prefix('+') {
        return digits(rest).then(|| format!("+{rest}"));
    }
    if let Some(rest) = cleaned.strip_prefix("00") {
        return digits(rest).then(|| format!("+{rest}"));
    }
    if !digits(&cleaned) {
        return None;
    }
    let national = cleaned.strip_prefix('0').unwrap_or(&cleaned);
    if national.len() >= 10 {
        return Some(format!("+{country_code}{national}"));
    }
    Some(cleaned)
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.len() <= 20 && s.bytes().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_come_out_in_one_form() {
        assert_eq!(
            normalize_number("+86 138 0013 8000", "86").as_deref(),
            Some("+8613800138000")
        );
        assert_eq!(
            normalize_number("008613800138000", "86").as_deref(),
            Some("+8613800138000")
        );
        assert_eq!(
            normalize_number("13800138000", "86").as_deref(),
            Some("+8613800138000")
        );
        assert_eq!(
            normalize_number("010-12345678", "86").as_deref(),
            Some("+861012345678")
        );
        assert_eq!(normalize_number("4000", "86").as_deref(), Some("4000"));
        assert_eq!(normalize_number("anonymous", "86"), None);
    }
}
