//! Outgoing webhooks (issue #16): the outbox reader turns stored engine events and ticket
//! trail entries into deliveries (`outbox.rs`), the sender posts them signed and retries on
//! the server's clock (`send.rs`), and `guard.rs` keeps them off private addresses. Both run
//! in one task on the lease holder, so a restart picks up whatever was stored and not sent.

pub mod guard;
pub mod outbox;
pub mod send;

use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Notify;

use crate::state::AppState;

/// The event types a webhook may subscribe to.
pub const EVENT_TYPES: &[&str] = &[
    "contact.created",
    "contact.queued",
    "contact.reserved",
    "contact.offered",
    "contact.offer_timeout",
    "contact.connected",
    "contact.wrap_up",
    "contact.overflowed",
    "contact.transferred",
    "contact.closed",
    "agent.signed_in",
    "agent.signed_out",
    "agent.state",
    "ticket.created",
    "ticket.updated",
    "ticket.status_changed",
    "ticket.closed",
    "ticket.reopened",
];

/// The type of the test event an administrator sends from the console.
pub const PING: &str = "ping";

/// What the API and the delivery task share.
#[derive(Default)]
pub struct Webhooks {
    wake: Notify,
    allow_private: AtomicBool,
}

impl Webhooks {
    /// Something was queued (a test event, a redelivery): look now rather than next tick.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// `--webhook-allow-private`: deliver to loopback and private addresses too.
    pub fn set_allow_private(&self, allow: bool) {
        self.allow_private.store(allow, Ordering::Relaxed);
    }

    pub fn allow_private(&self) -> bool {
        self.allow_private.load(Ordering::Relaxed)
    }
}

/// Time between looks at the outbox, on the server's clock.
const TICK_MS: i64 = 1000;

/// Starts the outbox reader and sender for the life of the process.
pub fn start(state: AppState) {
    tokio::spawn(async move {
        let sender = match send::Sender::new(state.webhooks.allow_private()) {
            Ok(sender) => sender,
            Err(err) => {
                tracing::error!(error = %err, "webhooks cannot send: no HTTP client");
                return;
            }
        };
        loop {
            let started = state.clock.now_ms();
            if let Err(err) = outbox::read_all(&state).await {
                tracing::warn!(error = %err, "reading events into the webhook outbox failed");
            }
            if let Err(err) = sender.send_due(&state).await {
                tracing::warn!(error = %err, "sending webhook deliveries failed");
            }
            tokio::select! {
                _ = state.clock.sleep_until(started + TICK_MS) => {}
                _ = state.webhooks.wake.notified() => {}
            }
        }
    });
}
