//! Live events for WebSocket clients: one broadcast channel per tenant. Each event says who
//! may see it; the socket task filters before sending.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use switchboard_engine::{Permission, TenantId, UserId};
use tokio::sync::broadcast;

/// Who may receive an event: everyone in the tenant, or the listed users plus whoever holds
/// the permission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audience {
    pub everyone: bool,
    pub users: Vec<UserId>,
    pub permission: Option<Permission>,
}

impl Audience {
    /// Every signed-in user of the tenant.
    pub fn tenant() -> Self {
        Audience {
            everyone: true,
            users: Vec::new(),
            permission: None,
        }
    }

    /// Users holding this permission.
    pub fn permission(p: Permission) -> Self {
        Audience {
            everyone: false,
            users: Vec::new(),
            permission: Some(p),
        }
    }

    /// Just these users.
    pub fn users(users: Vec<UserId>) -> Self {
        Audience {
            everyone: false,
            users,
            permission: None,
        }
    }

    /// These users, and whoever holds `p`.
    pub fn users_and(users: Vec<UserId>, p: Permission) -> Self {
        Audience {
            everyone: false,
            users,
            permission: Some(p),
        }
    }

    pub fn includes(&self, user: UserId, may: impl Fn(Permission) -> bool) -> bool {
        self.everyone || self.users.contains(&user) || self.permission.is_some_and(may)
    }
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
    /// Open event sockets per user, for what should wait until someone is there to see it.
    online: Arc<Mutex<HashMap<UserId, usize>>>,
}

/// Counts a user as online while it lives (held by their event socket).
pub struct Online {
    user: UserId,
    online: Arc<Mutex<HashMap<UserId, usize>>>,
}

impl Drop for Online {
    fn drop(&mut self) {
        let mut map = self.online.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = map.get_mut(&self.user) {
            *n -= 1;
            if *n == 0 {
                map.remove(&self.user);
            }
        }
    }
}

impl EventHub {
    /// Marks `user` online until the returned guard is dropped.
    pub fn online(&self, user: UserId) -> Online {
        *self
            .online
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(user)
            .or_default() += 1;
        Online {
            user,
            online: self.online.clone(),
        }
    }

    /// Users with at least one open event socket.
    pub fn online_users(&self) -> Vec<UserId> {
        let map = self.online.lock().unwrap_or_else(|p| p.into_inner());
        map.keys().copied().collect()
    }

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
