//! Builds the switch's directory from storage: every tenant's SIP domain (its name), its
//! agents' extensions, enabled trunks, hotline numbers, and voice queues' announcement and
//! voicemail settings.

use std::sync::Arc;

use switchboard_sip::Uri;
use switchboard_storage::{NumberRoute, QueueVoice, Storage};
use switchboard_voice::announce::{self, Language, Voicemail};
use switchboard_voice::directory::{Directory, Extension, HotlineNumber, Route, TenantSip, Trunk};

use super::flows::{to_flow, FlowDef};

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
            dir.add_trunk(Trunk {
                tenant: t.id,
                name: trunk.name,
                peers: trunk.peers,
            });
        }
        for q in store.queue_voice(t.id).await? {
            dir.add_queue_voice(t.id, queue_voice(q));
        }
        let zone = store.tenant_zone(t.id).await?;
        let mut flows = std::collections::HashMap::new();
        for f in store.ivr_flows(t.id).await? {
            let def = serde_json::from_str::<FlowDef>(&f.definition).map_err(|e| e.to_string());
            match def.and_then(|d| to_flow(&f.name, &d, &zone)) {
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
                route,
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
        voicemail: q.voicemail_queue.map(|task_queue| Voicemail {
            task_queue,
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
