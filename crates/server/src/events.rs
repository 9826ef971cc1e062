//! Live events for WebSocket clients: one broadcast channel per tenant. Each event says who
//! may see it; the socket task filters before sending.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use switchboard_engine::{Permission, TenantId, UserId};
use tokio::sync::broadcast;

/// Who may receive an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Every signed-in user of the tenant.
    Tenant,
    /// Users holding this permission.
    Permission(Permission),
    /// One user (all of their sockets).
    User(UserId),
}

#[derive(Debug, Clone)]
pub struct Event {
    pub audience: Audience,
    /// The JSON sent to the client, already serialised once for every receiver.
    pub json: Arc<str>,
}

const CAPACITY: usize = 1024;

#[derive(Default)]
pub struct EventHub {
    tenants: Mutex<HashMap<TenantId, broadcast::Sender<Event>>>,
}

impl EventHub {
    pub fn subscribe(&self, tenant: TenantId) -> broadcast::Receiver<Event> {
        let mut map = self.tenants.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(tenant)
            .or_insert_with(|| broadcast::channel(CAPACITY).0)
            .subscribe()
    }

    /// Sends `payload` (a JSON object with a `type`) to the tenant's sockets in `audience`.
    pub fn publish(&self, tenant: TenantId, audience: Audience, payload: &serde_json::Value) {
        let map = self.tenants.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(tx) = map.get(&tenant) {
            let json: Arc<str> = payload.to_string().into();
            // No receivers is fine: nobody is listening right now.
            let _ = tx.send(Event { audience, json });
        }
    }
}
