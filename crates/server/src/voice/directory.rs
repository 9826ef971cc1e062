//! Builds the switch's directory from storage: every tenant's SIP domain (its name), its
//! agents' extensions, enabled trunks (with their registrars looked up), hotline numbers (with
//! their flows, sub-flows inlined), and voice queues' announcement and voicemail settings.

use std::sync::Arc;

use switchboard_sip::Uri;
use switchboard_storage::{
    NumberRoute, QueueVoice, Storage, TrunkRegistration as StoredRegistration, VoicemailTo,
};
use switchboard_voice::announce::{self, Language, Voicemail};
use switchboard_voice::directory::{
    Directory, Extension, HotlineNumber, Route, TenantSip, Trunk, TrunkRegistration,
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
            let mut peers = trunk.peers;
            // The provider a trunk registers with sends its calls from its registrar.
            peers.extend(registration.as_ref().map(|r| r.registrar.ip()));
            dir.add_trunk(Trunk {
                id: trunk.id,
                tenant: t.id,
                name: trunk.name,
                peers,
                registration,
                // Issue #15: the trunk's outbound proxy, from storage.
                outbound: None,
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
                    flows.insert(f.id, Arc::new(flow));
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
                // Issue #15: the number's outbound trunk, from storage.
                outbound_trunk: None,
            });
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
