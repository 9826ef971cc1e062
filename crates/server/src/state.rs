//! The state every handler shares.

use std::sync::Arc;

use switchboard_storage::Storage;

use crate::events::EventHub;
use crate::rate_limit::LoginLimiter;

#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub store: Arc<dyn Storage>,
    pub events: EventHub,
    pub login_limiter: LoginLimiter,
    /// How long a login session lasts, in milliseconds.
    pub session_ttl_ms: i64,
}

impl AppState {
    pub fn new(store: Arc<dyn Storage>) -> Self {
        Self(Arc::new(Shared {
            store,
            events: EventHub::default(),
            login_limiter: LoginLimiter::default(),
            session_ttl_ms: 12 * 3600 * 1000,
        }))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}
