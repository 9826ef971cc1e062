//! The tenant's chat message writer: takes what is ready, stores it in one transaction,
//! then answers the senders and delivers each message to the customer and to the agent.

use std::sync::{Arc, Weak};

use serde_json::{json, Value};
use switchboard_engine::{Permission, TenantId};
use switchboard_storage::{ChatMessage, NewChatMessage, Storage};
use tokio::sync::{mpsc, oneshot};

use super::TenantChat;
use crate::api::wire::rfc3339;
use crate::events::{Audience, EventHub};

/// Most messages folded into one transaction.
const MAX_BATCH: usize = 512;

pub(super) struct Write {
    pub messages: Vec<NewChatMessage>,
    pub reply: oneshot::Sender<anyhow::Result<Vec<ChatMessage>>>,
}

/// A stored message as agents see it (withdrawn text included, marked).
pub fn message_json_for_agent(m: &ChatMessage) -> Value {
    message_json(m, false)
}

/// Whether the customer may see a message: internal notices (transfer notes) are for agents.
pub fn customer_visible(m: &ChatMessage) -> bool {
    !(m.kind == switchboard_engine::chat::MessageKind::Notice
        && serde_json::from_str::<Value>(&m.body).is_ok_and(|b| b["internal"] == json!(true)))
}

/// A message as both sides see it. A withdrawn message shows no text to the customer.
pub fn message_json(m: &ChatMessage, for_customer: bool) -> Value {
    let withdrawn = m.recalled_at.is_some();
    let body = if withdrawn && for_customer {
        Value::Null
    } else {
        serde_json::from_str(&m.body).unwrap_or(Value::String(m.body.clone()))
    };
    json!({
        "id": m.id.0,
        "contact_id": m.contact.0,
        "seq": m.seq,
        "sender": m.sender.code(),
        "kind": m.kind.code(),
        "body": body,
        "client_id": m.client_id,
        "at": rfc3339(m.created_at),
        "recalled": withdrawn,
        // Which agent wrote it, for agents (to tell their own messages apart); customers see no ids.
        "agent_id": if for_customer { Value::Null } else { json!(m.agent.map(|a| a.0)) },
    })
}

pub(super) async fn run(
    tenant: TenantId,
    store: Arc<dyn Storage>,
    hub: Arc<EventHub>,
    chat: Weak<TenantChat>,
    mut rx: mpsc::Receiver<Write>,
) {
    while let Some(first) = rx.recv().await {
        let mut writes = vec![first];
        let mut count = writes[0].messages.len();
        while count < MAX_BATCH {
            match rx.try_recv() {
                Ok(w) => {
                    count += w.messages.len();
                    writes.push(w);
                }
                Err(_) => break,
            }
        }
        let all: Vec<NewChatMessage> = writes
            .iter()
            .flat_map(|w| w.messages.iter().cloned())
            .collect();
        let stored = match store.append_chat_messages(tenant, &all).await {
            Ok(stored) => stored,
            Err(err) => {
                tracing::error!(%tenant, error = %err, "storing chat messages failed");
                for w in writes {
                    let _ = w
                        .reply
                        .send(Err(anyhow::anyhow!("storing chat messages failed")));
                }
                continue;
            }
        };
        let Some(chat) = chat.upgrade() else { return };
        // A retried message comes back as its first copy (another id): both sides have it.
        let fresh: Vec<ChatMessage> = stored
            .iter()
            .zip(&all)
            .filter(|(s, asked)| s.id == asked.id)
            .map(|(s, _)| s.clone())
            .collect();
        deliver(&chat, &hub, tenant, &fresh);
        let mut rest = stored.into_iter();
        for w in writes {
            let mine: Vec<ChatMessage> = rest.by_ref().take(w.messages.len()).collect();
            let _ = w.reply.send(Ok(mine));
        }
    }
}

fn deliver(chat: &TenantChat, hub: &EventHub, tenant: TenantId, stored: &[ChatMessage]) {
    for m in stored {
        if customer_visible(m) {
            let mut to_customer = message_json(m, true);
            to_customer["type"] = json!("message");
            chat.tell_customer(m.contact, to_customer);
        }
        // The agent hears every message, their own too: another tab of theirs shows it, and
        // the page that sent it matches it to its pending copy by `client_id`.
        tell_agents(chat, hub, tenant, m);
    }
}

/// `chat.message` to the conversation's agent and supervisors: a new message or a new state
/// of one (withdrawn).
pub fn tell_agents(chat: &TenantChat, hub: &EventHub, tenant: TenantId, m: &ChatMessage) {
    let holders = chat.holder(m.contact).into_iter().collect();
    let payload = json!({ "type": "chat.message", "contact_id": m.contact.0, "message": message_json(m, false) });
    hub.publish(
        tenant,
        Audience::users_and(holders, Permission::Monitor),
        &payload,
    );
}
