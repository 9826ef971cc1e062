//! Whether the customer is still there. Each conversation counts its customer sockets; when
//! the last one closes, the agent holding it hears `chat.customer_left`, and a conversation no
//! agent has answered yet is abandoned (released by the customer, outcome `abandoned`) unless
//! a socket comes back within [`GRACE_MS`] of the server's clock — so a queue holds only
//! customers who are still waiting. A customer back after the agent was told brings
//! `chat.customer_back`. One watch task per conversation at most, and only while nobody is
//! there.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::json;
use switchboard_engine::acd::{Command, ContactPhase, ReleasedBy};
use switchboard_engine::{ContactId, Permission, TenantId, UserId};

use super::TenantChat;
use crate::events::Audience;
use crate::state::AppState;

/// How long a conversation waits for its customer to reconnect (a reload, a network change, a
/// phone waking up) before a queued or offered conversation is abandoned.
pub const GRACE_MS: i64 = 60_000;

/// Each conversation's customer sockets.
#[derive(Default)]
pub(super) struct Presences(Mutex<HashMap<ContactId, Presence>>);

#[derive(Default)]
struct Presence {
    sockets: u32,
    /// When the last socket closed (clock milliseconds); meaningful while `sockets` is 0.
    left_at: i64,
    /// The agent told that the customer left, until told they are back.
    told: Option<UserId>,
    /// A watch task is running for this conversation.
    watched: bool,
}

/// Tells `agent` (and supervisors) about the customer of a conversation the agent holds.
pub fn tell_agent(state: &AppState, tenant: TenantId, agent: UserId, payload: serde_json::Value) {
    state.events.publish(
        tenant,
        Audience::users_and(vec![agent], Permission::Monitor),
        &payload,
    );
}

/// `chat.customer_left`; `reason` is `disconnected` (every socket closed; the customer may
/// come back) or `left` (the customer ended the conversation).
fn left_event(state: &AppState, contact: ContactId, reason: &str) -> serde_json::Value {
    json!({
        "type": "chat.customer_left", "contact_id": contact.0, "reason": reason,
        "at": crate::api::wire::rfc3339(state.clock.now_ms()),
    })
}

/// Tells the agent holding `contact` that the customer ended it (`leave`).
pub fn left_by_customer(state: &AppState, tenant: TenantId, contact: ContactId, agent: UserId) {
    tell_agent(state, tenant, agent, left_event(state, contact, "left"));
}

/// A customer socket following a conversation; dropping it (the socket closed, or it moved to
/// another conversation) may start the grace period.
pub struct Here {
    state: AppState,
    tenant: TenantId,
    chat: Arc<TenantChat>,
    contact: ContactId,
}

/// Counts a customer socket in `contact`; the first one back after the agent heard the
/// customer left tells that agent they are back.
pub fn arrive(
    state: &AppState,
    tenant: TenantId,
    chat: &Arc<TenantChat>,
    contact: ContactId,
) -> Here {
    let mut map = chat.presence.lock();
    let p = map.entry(contact).or_default();
    p.sockets += 1;
    if p.sockets == 1 {
        if let Some(agent) = p.told.take() {
            let at = crate::api::wire::rfc3339(state.clock.now_ms());
            let back = json!({ "type": "chat.customer_back", "contact_id": contact.0, "at": at });
            tell_agent(state, tenant, agent, back);
        }
    }
    Here {
        state: state.clone(),
        tenant,
        chat: chat.clone(),
        contact,
    }
}

impl Drop for Here {
    fn drop(&mut self) {
        let mut map = self.chat.presence.lock();
        let Some(p) = map.get_mut(&self.contact) else {
            return;
        };
        p.sockets = p.sockets.saturating_sub(1);
        if p.sockets > 0 {
            return;
        }
        p.left_at = self.state.clock.now_ms();
        if p.watched {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        p.watched = true;
        let (state, chat) = (self.state.clone(), self.chat.clone());
        runtime.spawn(watch(state, self.tenant, chat, self.contact));
    }
}

impl Presences {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<ContactId, Presence>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// When the grace period of a conversation nobody is in ends; `None` (and the watch
    /// ends) once a socket is back.
    fn away_until(&self, contact: ContactId) -> Option<i64> {
        let mut map = self.lock();
        let p = map.get_mut(&contact)?;
        if p.sockets > 0 {
            p.watched = false;
            return None;
        }
        Some(p.left_at + GRACE_MS)
    }

    /// Tells `agent` the customer left, unless they are back already or it was said.
    fn tell_left(&self, state: &AppState, tenant: TenantId, contact: ContactId, agent: UserId) {
        let mut map = self.lock();
        let Some(p) = map.get_mut(&contact) else {
            return;
        };
        if p.sockets == 0 && p.told != Some(agent) {
            p.told = Some(agent);
            tell_agent(
                state,
                tenant,
                agent,
                left_event(state, contact, "disconnected"),
            );
        }
    }

    /// The watch is over: forget the conversation unless a socket is in it or its agent
    /// waits to hear the customer is back.
    fn settle(&self, contact: ContactId) {
        let mut map = self.lock();
        if let Some(p) = map.get_mut(&contact) {
            p.watched = false;
            if p.sockets == 0 && p.told.is_none() {
                map.remove(&contact);
            }
        }
    }

    /// The conversation ended: nobody will come back to it.
    pub(super) fn forget(&self, contact: ContactId) {
        let mut map = self.lock();
        if map
            .get(&contact)
            .is_some_and(|p| p.sockets == 0 && !p.watched)
        {
            map.remove(&contact);
        }
    }
}

/// Watches a conversation nobody is in: tells its agent, or abandons it once the grace
/// period is over, re-reading where it stands after every wait.
async fn watch(state: AppState, tenant: TenantId, chat: Arc<TenantChat>, contact: ContactId) {
    loop {
        let Some(until) = chat.presence.away_until(contact) else {
            return;
        };
        let Ok(engine) = state.engines.get(tenant).await else {
            break;
        };
        let phase = engine
            .read(move |e| e.contact_view(contact).map(|v| v.phase))
            .await;
        match phase {
            Ok(Some(ContactPhase::Queued | ContactPhase::Reserved { .. }))
            | Ok(Some(ContactPhase::Offered { .. })) => {
                if state.clock.now_ms() < until {
                    state.clock.sleep_until(until).await;
                    continue;
                }
                let release = Command::Release {
                    contact,
                    agent: None,
                    by: ReleasedBy::Customer,
                };
                if let Err(err) = engine.apply(release).await {
                    tracing::debug!(error = %err, "abandoning a chat nobody waits for");
                }
            }
            Ok(Some(ContactPhase::Connected { agent, .. })) => {
                chat.presence.tell_left(&state, tenant, contact, agent);
            }
            _ => {}
        }
        break;
    }
    chat.presence.settle(contact);
}
