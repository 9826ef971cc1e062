//! Turns the engine's contact events into what a chat customer sees, and keeps track of
//! which agent holds each conversation.

use std::sync::Weak;

use serde_json::{json, Value};
use switchboard_engine::{ContactId, UserId};
use tokio::sync::broadcast::{self, error::RecvError};

use super::TenantChat;
use crate::events::Event;

fn id_field<T>(v: &Value, field: &str, wrap: fn(uuid::Uuid) -> T) -> Option<T> {
    v[field]
        .as_str()
        .and_then(|s| uuid::Uuid::parse_str(s).ok())
        .map(wrap)
}

pub(super) async fn run(mut events: broadcast::Receiver<Event>, chat: Weak<TenantChat>) {
    loop {
        let event = match events.recv().await {
            Ok(event) => event,
            Err(RecvError::Lagged(missed)) => {
                tracing::warn!(missed, "chat bridge fell behind the engine events");
                continue;
            }
            Err(RecvError::Closed) => return,
        };
        let Some(chat) = chat.upgrade() else { return };
        if !event.json.contains("\"contact.") {
            continue;
        }
        let Ok(v) = serde_json::from_str::<Value>(&event.json) else {
            continue;
        };
        let Some(contact) = id_field(&v, "contact_id", ContactId) else {
            continue;
        };
        let agent = id_field(&v, "agent_id", UserId);
        match v["type"].as_str() {
            Some("contact.connected") => {
                chat.set_holder(contact, agent);
                chat.tell_customer(
                    contact,
                    json!({ "type": "agent_joined", "agent_id": v["agent_id"], "at": v["at"] }),
                );
            }
            Some("contact.wrap_up") => {
                chat.set_holder(contact, None);
                chat.tell_customer(
                    contact,
                    json!({ "type": "agent_left", "released_by": v["released_by"], "at": v["at"] }),
                );
            }
            Some("contact.closed") => {
                chat.set_holder(contact, None);
                chat.presence.forget(contact);
                chat.tell_customer(
                    contact,
                    json!({ "type": "closed", "outcome": v["outcome"], "at": v["at"] }),
                );
            }
            Some("contact.queued") => {
                chat.tell_customer(contact, json!({ "type": "queued", "at": v["at"] }))
            }
            _ => {}
        }
    }
}
