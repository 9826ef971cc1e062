//! Builds the switch's directory from storage: every tenant's SIP domain (its name), its
//! agents' extensions, enabled trunks (with their registrars and outbound proxies looked up),
//! hotline numbers (with their flows, sub-flows inlined, and their outbound trunks), voice
//! queues' announcement and voicemail settings, and the outbound rules a tenant saved.

use std::sync::Arc;

use switchboard_sip::Uri;
use switchboard_storage::{
    NumberRoute, OutboundProxy, OutboundRule, QueueVoice, Storage,
    TrunkRegistration as StoredRegistration, VoicemailTo,
};
use switchboard_voice::announce::{self, Language, Voicemail};
use switchboard_voice::destinations::{DestinationRule, OutboundPolicy};
use switchboard_voice::directory::{
    Directory, Extension, HotlineNumber, Route, TenantSip, Trunk, TrunkCredentials, TrunkOutbound,
    TrunkRegistration,
};

use super::flows::{to_flow, FlowDef};
use super::subflows;

pub async fn load(store: &dyn Storage) -> anyhow::Result<Directory> {
    let mut dir = Directory::default();
    let tenants = store.tenants().await?;
    // A single-tenant installation takes calls addressed to the server's IP address.
    if let [only] = tenants.as_slice() {
        dir.default_tenant = Some(only.id);
    }
    for t in &tenants {
        dir.add_tenant(TenantSip {
            tenant: t.id,
            domain: t.name.as_str().to_owned(),
        });
        for e in store.sip_extensions(t.id).await? {
            dir.add_extension(Extension {
                tenant: t.id,
                number: e.number,
                agent: e.agent,
                ha1_md5: e.ha1_md5,
                ha1_sha256: e.ha1_sha256,
            });
        }
        for trunk in store
            .sip_trunks(t.id)
            .await?
            .into_iter()
            .filter(|t| t.enabled)
        {
            let registration = match &trunk.registration {
                Some(r) => registration(&trunk.name, r).await,
                None => None,
            };
            // Carriers challenge calls with the account a trunk registers with.
            let credentials = registration.as_ref().map(|r| TrunkCredentials {
                username: r.username.clone(),
                password: r.password.clone(),
            });
            let outbound = match &trunk.outbound {
                Some(p) => outbound_proxy(&trunk.name, p, credentials).await,
                // A registering trunk without a proxy of its own calls through its registrar.
                None => registration.as_ref().map(|r| TrunkOutbound {
                    proxy: r.registrar,
                    domain: r.domain.clone(),
                    credentials,
                }),
            };
            let mut peers = trunk.peers;
            // The provider a trunk registers with sends its calls from its registrar.
            peers.extend(registration.as_ref().map(|r| r.registrar.ip()));
            dir.add_trunk(Trunk {
                id: trunk.id,
                tenant: t.id,
                name: trunk.name,
                peers,
                registration,
                outbound,
            });
        }
        for q in store.queue_voice(t.id).await? {
            dir.add_queue_voice(t.id, queue_voice(q));
        }
        let zone = store.tenant_zone(t.id).await?;
        // Every flow of the tenant, its sub-flows inlined: a change to one reaches the
        // flows that include it, since any change rebuilds the whole directory.
        let stored = store.ivr_flows(t.id).await?;
        let defs: std::collections::HashMap<_, _> = stored
            .iter()
            .filter_map(|f| match serde_json::from_str::<FlowDef>(&f.definition) {
                Ok(d) => Some((f.id.0, d)),
                Err(why) => {
                    tracing::warn!(flow = %f.name, %why, "a stored flow cannot be read");
                    None
                }
            })
            .collect();
        let mut flows = std::collections::HashMap::new();
        for f in &stored {
            let Some(def) = defs.get(&f.id.0) else {
                continue;
            };
            let flow = subflows::inline(Some(f.id.0), def, &defs)
                .and_then(|i| to_flow(&f.name, &i.def, &zone));
            match flow {
                Ok(flow) => {
                    let flow = Arc::new(flow);
                    dir.add_flow(t.id, f.id, flow.clone());
                    flows.insert(f.id, flow);
                }
                Err(why) => tracing::warn!(flow = %f.name, %why, "a stored flow cannot be used"),
            }
        }
        for n in store.hotline_numbers(t.id).await? {
            let route = match n.route {
                NumberRoute::Queue(q) => Route::Queue(q),
                NumberRoute::Extension(e) => Route::Extension(e),
                NumberRoute::Flow(id) => match flows.get(&id) {
                    Some(flow) => Route::Flow(flow.clone()),
                    None => {
                        tracing::warn!(number = %n.number, "a number routes to a flow that cannot be used; skipped");
                        continue;
                    }
                },
                NumberRoute::Direct(uri) => match Uri::parse(&uri) {
                    Ok(Uri::Sip(u)) => Route::Direct(u),
                    _ => {
                        tracing::warn!(number = %n.number, "a stored direct route is not a SIP URI; skipped");
                        continue;
                    }
                },
            };
            dir.add_number(HotlineNumber {
                tenant: t.id,
                number: n.number,
                inbound: n.inbound,
                survey: n.survey,
                route,
                outbound_trunk: n.outbound_trunk.filter(|_| n.outbound),
            });
        }
        if let Some(p) = store.outbound_policy(t.id).await? {
            let rules = p.rules.iter().map(destination_rule).collect();
            dir.set_outbound_policy(
                t.id,
                OutboundPolicy {
                    rules,
                    daily_limit: p.daily_limit,
                },
            );
        }
    }
    Ok(dir)
}

fn queue_voice(q: QueueVoice) -> announce::QueueVoice {
    announce::QueueVoice {
        queue: q.queue,
        announce_every_ms: q.announce_every_s.map(|s| u64::from(s) * 1_000),
        languages: q.languages.iter().filter_map(|l| language(l)).collect(),
        voicemail: q.voicemail.map(|to| Voicemail {
            to: match to {
                VoicemailTo::Task(queue) => announce::VoicemailTo::Task(queue),
                VoicemailTo::Ticket(t) => announce::VoicemailTo::Ticket(t),
            },
            max_ms: u64::from(q.voicemail_max_s) * 1_000,
        }),
    }
}

/// A language code as stored (`zh`, `en`).
fn language(code: &str) -> Option<Language> {
    match code {
        "zh" => Some(Language::Chinese),
        "en" => Some(Language::English),
        _ => None,
    }
}

/// Where a trunk registers: its provider's name looked up now (at every rebuild, so a moved
/// registrar is followed); `None`, and a warning, when it does not resolve.
async fn registration(trunk: &str, r: &StoredRegistration) -> Option<TrunkRegistration> {
    let found = tokio::net::lookup_host((r.domain.as_str(), r.port)).await;
    let Some(registrar) = found.ok().and_then(|mut addrs| addrs.next()) else {
        tracing::warn!(%trunk, domain = %r.domain, "a trunk's registrar does not resolve; it does not register");
        return None;
    };
    Some(TrunkRegistration {
        registrar,
        domain: r.domain.clone(),
        username: r.username.clone(),
        password: r.password.clone(),
        expires_s: r.expires_s,
    })
}

/// Where a trunk's outbound calls go: its proxy's name looked up now (at every rebuild, like
/// the registrar); `None`, and a warning, when it does not resolve.
async fn outbound_proxy(
    trunk: &str,
    p: &OutboundProxy,
    credentials: Option<TrunkCredentials>,
) -> Option<TrunkOutbound> {
    let found = tokio::net::lookup_host((p.host.as_str(), p.port)).await;
    let Some(proxy) = found.ok().and_then(|mut addrs| addrs.next()) else {
        tracing::warn!(%trunk, host = %p.host, "a trunk's outbound proxy does not resolve; it carries no outbound calls");
        return None;
    };
    Some(TrunkOutbound {
        proxy,
        domain: p.host.clone(),
        credentials,
    })
}

/// A stored destination rule as the switch's guard applies it.
pub fn destination_rule(r: &OutboundRule) -> DestinationRule {
    DestinationRule {
        prefix: r.prefix.clone(),
        min_digits: r.min_digits,
        max_digits: r.max_digits,
        allow: r.allow,
        label: r.label.clone(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

    use switchboard_engine::{HotlineNumberId, SipTrunkId, TenantName};
    use switchboard_storage::{HotlineNumber, SipTrunk};

    use super::*;

    fn trunk(name: &str, peer: &str) -> SipTrunk {
        SipTrunk {
            id: SipTrunkId::new(),
            name: name.into(),
            peers: vec![peer.parse().unwrap()],
            enabled: true,
            registration: None,
            outbound: None,
        }
    }

    fn number(n: &str, outbound: bool, trunk: Option<SipTrunkId>) -> HotlineNumber {
        HotlineNumber {
            id: HotlineNumberId::new(),
            number: n.into(),
            inbound: true,
            survey: false,
            route: NumberRoute::Extension("1001".into()),
            outbound,
            outbound_trunk: trunk,
        }
    }

    /// Trunks reach the directory with their outbound target (their proxy, else their
    /// registrar), numbers with their trunk only when outbound is on, and the policy only once
    /// saved.
    #[tokio::test]
    async fn outbound_settings_reach_the_directory() {
        let s = switchboard_storage::testing::sqlite_store().await;
        let t = s
            .create_tenant(&TenantName::parse("acme").unwrap(), "Acme", 0)
            .await
            .unwrap()
            .id;
        let proxied = SipTrunk {
            outbound: Some(OutboundProxy {
                host: "127.0.0.1".into(),
                port: 5080,
            }),
            ..trunk("proxied", "192.0.2.1")
        };
        let registering = SipTrunk {
            registration: Some(StoredRegistration {
                domain: "127.0.0.2".into(),
                port: 5070,
                username: "u".into(),
                password: "p".into(),
                expires_s: 600,
            }),
            ..trunk("registering", "192.0.2.2")
        };
        let inbound_only = trunk("inbound", "192.0.2.3");
        for tr in [&proxied, &registering, &inbound_only] {
            s.save_sip_trunk(t, tr, 0).await.unwrap();
        }
        s.save_hotline_number(t, &number("4000", true, Some(proxied.id)), 0)
            .await
            .unwrap();
        s.save_hotline_number(t, &number("4001", false, Some(proxied.id)), 0)
            .await
            .unwrap();

        let dir = load(&*s).await.unwrap();
        let out = |id| dir.trunk(t, id).unwrap().outbound.clone();
        assert_eq!(
            out(proxied.id),
            Some(TrunkOutbound {
                proxy: "127.0.0.1:5080".parse().unwrap(),
                domain: "127.0.0.1".into(),
                credentials: None,
            })
        );
        assert_eq!(
            out(registering.id),
            Some(TrunkOutbound {
                proxy: "127.0.0.2:5070".parse().unwrap(),
                domain: "127.0.0.2".into(),
                credentials: Some(TrunkCredentials {
                    username: "u".into(),
                    password: "p".into(),
                }),
            })
        );
        assert_eq!(out(inbound_only.id), None);
        assert_eq!(
            dir.number(t, "4000").unwrap().outbound_trunk,
            Some(proxied.id)
        );
        assert_eq!(dir.number(t, "4001").unwrap().outbound_trunk, None);
        assert_eq!(*dir.outbound_policy(t), OutboundPolicy::default());

        let rule = switchboard_storage::OutboundRule {
            prefix: "95".into(),
            min_digits: 5,
            max_digits: 5,
            allow: true,
            label: "服务热线".into(),
        };
        s.set_outbound_policy(t, std::slice::from_ref(&rule), None)
            .await
            .unwrap();
        let dir = load(&*s).await.unwrap();
        assert_eq!(
            *dir.outbound_policy(t),
            OutboundPolicy {
                rules: vec![destination_rule(&rule)],
                daily_limit: None
            }
        );
    }
}
