//! The state every handler shares.

use std::sync::Arc;

use switchboard_storage::Storage;

use crate::chat::limits::ChatLimits;
use crate::chat::Chats;
use crate::clock::Clock;
use crate::engines::Engines;
use crate::events::EventHub;
use crate::lease::Standing;
use crate::passwords::Passwords;
use crate::rate_limit::LoginLimiter;
use crate::voice::VoiceState;
use crate::webhooks::Webhooks;

#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// How a server is set up, beyond its storage.
pub struct Options {
    pub clock: Clock,
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Customer sockets and `start`s allowed per source, per entry point and in total.
    pub chat_limits: ChatLimits,
    /// Webhooks may go to loopback and private addresses (`--webhook-allow-private`).
    pub webhook_allow_private: bool,
}

impl Default for Options {
    /// The system clock, no trusted proxy, the default chat limits.
    fn default() -> Self {
        Self {
            clock: Clock::system(),
            trusted_proxies: Vec::new(),
            chat_limits: ChatLimits::default(),
            webhook_allow_private: false,
        }
    }
}

pub struct Shared {
    pub store: Arc<dyn Storage>,
    pub events: Arc<EventHub>,
    pub engines: Engines,
    pub chats: Chats,
    pub login_limiter: LoginLimiter,
    /// The only clock the server reads.
    pub clock: Clock,
    /// Password hashing, bounded to the machine's cores.
    pub passwords: Passwords,
    /// Proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// How long a login session lasts, in milliseconds.
    pub session_ttl_ms: i64,
    /// Whether this server waits for another's database lease (`lease.rs`).
    pub standing: Standing,
    /// What the API and the SIP runtime share (`voice/`).
    pub voice: VoiceState,
    /// What the webhook API and the delivery task share (`webhooks/`).
    pub webhooks: Webhooks,
}

impl AppState {
    /// A server on the system clock.
    pub fn new(store: Arc<dyn Storage>) -> Self {
        Self::with_clock(store, Clock::system())
    }

    /// A server on the given clock (tests pass one they can move forward).
    pub fn with_clock(store: Arc<dyn Storage>, clock: Clock) -> Self {
        Self::with_options(
            store,
            Options {
                clock,
                ..Options::default()
            },
        )
    }

    pub fn with_options(store: Arc<dyn Storage>, options: Options) -> Self {
        let Options {
            clock,
            trusted_proxies,
            chat_limits,
            webhook_allow_private,
        } = options;
        let webhooks = Webhooks::default();
        webhooks.set_allow_private(webhook_allow_private);
        let events = Arc::new(EventHub::default());
        Self(Arc::new(Shared {
            engines: Engines::new(store.clone(), events.clone(), clock.clone()),
            chats: Chats::new(store.clone(), events.clone(), chat_limits),
            store,
            events,
            login_limiter: LoginLimiter::default(),
            clock,
            passwords: Passwords::for_this_machine(),
            trusted_proxies,
            session_ttl_ms: 12 * 3600 * 1000,
            standing: Standing::default(),
            voice: VoiceState::default(),
            webhooks,
        }))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}
