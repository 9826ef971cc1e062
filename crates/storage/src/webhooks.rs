//! What storage keeps for outgoing webhooks (issue #16): a tenant's webhooks, the outbox of
//! their deliveries with each one's attempts, and the outbox reader's place in the tenant's
//! engine events and ticket trail. Storage builds no request and decides no retry: the
//! server passes the bodies it made and the time of the next attempt.

use switchboard_engine::{TenantId, TicketId};
use uuid::Uuid;

use crate::{Millis, Result};

/// A tenant's webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    pub id: Uuid,
    pub url: String,
    pub description: String,
    /// The event types subscribed, checked by the server.
    pub events: Vec<String>,
    pub enabled: bool,
    /// What every delivery is signed with.
    pub secret: String,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryState {
    /// Waiting for its next attempt.
    Pending,
    Delivered,
    /// Given up after the last retry.
    Failed,
}

impl DeliveryState {
    pub fn code(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    fn parse(code: &str) -> Option<Self> {
        [Self::Pending, Self::Delivered, Self::Failed]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// A delivery to put in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDelivery {
    pub id: Uuid,
    pub webhook: Uuid,
    /// The event's own id; a webhook gets each once.
    pub event_id: String,
    pub event_type: String,
    /// The request body, sent as is on every attempt.
    pub body: String,
    pub created_at: Millis,
}

/// A delivery and its last attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub id: Uuid,
    pub webhook: Uuid,
    pub event_id: String,
    pub event_type: String,
    pub body: String,
    pub created_at: Millis,
    pub state: DeliveryState,
    pub attempts: u32,
    pub next_attempt_at: Option<Millis>,
    pub last_attempt_at: Option<Millis>,
    /// The receiver's HTTP status; `None` when none came (refused, timed out).
    pub last_status: Option<u16>,
    pub last_error: Option<String>,
    /// The start of the receiver's answer.
    pub response: Option<String>,
    pub duration_ms: Option<i64>,
}

/// A delivery whose attempt is due, with what sending it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDelivery {
    pub tenant: TenantId,
    pub delivery: Delivery,
    pub url: String,
    pub secret: String,
}

/// How one attempt went, and what follows: `next_attempt_at` set keeps the delivery pending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub at: Millis,
    pub state: DeliveryState,
    pub next_attempt_at: Option<Millis>,
    pub status: Option<u16>,
    pub error: Option<String>,
    pub response: Option<String>,
    pub duration_ms: i64,
}

/// Where the outbox reader stands in one tenant's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebhookCursor {
    /// The last engine event read (ids of a tenant commit in order: one writer).
    pub engine_event: i64,
    /// Trail entries from this time on are read unless seen; older ones are settled.
    pub trail_horizon: Millis,
}

/// An engine event as stored, for the outbox reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceEvent {
    pub id: i64,
    pub at: Millis,
    pub kind: String,
    /// JSON, as the server stored it.
    pub detail: String,
}

/// A ticket trail entry not yet seen by the outbox reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceTrail {
    pub ticket: TicketId,
    pub number: i64,
    pub type_id: Uuid,
    pub seq: i64,
    pub at: Millis,
    pub action: String,
    pub detail: String,
}

/// What the outbox reader found since its cursor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebhookSources {
    pub events: Vec<SourceEvent>,
    pub trail: Vec<SourceTrail>,
}

/// Outgoing webhooks.
#[async_trait::async_trait]
pub trait WebhookStore: Send + Sync {
    /// The tenant's webhooks, oldest first.
    async fn webhooks(&self, tenant: TenantId) -> Result<Vec<Webhook>>;
    async fn webhook(&self, tenant: TenantId, id: Uuid) -> Result<Option<Webhook>>;
    /// Creates a webhook; the tenant's first also places the outbox reader at the newest
    /// engine event and at `webhook.created_at` in the trail, so history is not replayed.
    async fn create_webhook(&self, tenant: TenantId, webhook: &Webhook) -> Result<()>;
    /// Replaces everything but `created_at`; `NotFound` when the tenant has no such webhook.
    async fn update_webhook(&self, tenant: TenantId, webhook: &Webhook) -> Result<()>;
    /// Deletes a webhook with its deliveries.
    async fn delete_webhook(&self, tenant: TenantId, id: Uuid) -> Result<()>;

    /// Tenants with an enabled webhook: those the outbox reader visits.
    async fn webhook_tenants(&self) -> Result<Vec<TenantId>>;
    async fn webhook_cursor(&self, tenant: TenantId) -> Result<Option<WebhookCursor>>;
    /// Engine events after the cursor and trail entries from its horizon not seen yet,
    /// each oldest first, at most `limit` of each.
    async fn webhook_sources(
        &self,
        tenant: TenantId,
        cursor: &WebhookCursor,
        limit: u32,
    ) -> Result<WebhookSources>;
    /// In one transaction: puts the deliveries in the outbox (one already there for its
    /// webhook and event is kept as it is), marks the trail entries `seen` (ticket, seq, at),
    /// and moves the cursor to `cursor`, forgetting seen entries older than its horizon.
    async fn enqueue_webhook_deliveries(
        &self,
        tenant: TenantId,
        deliveries: &[NewDelivery],
        seen: &[(TicketId, i64, Millis)],
        cursor: &WebhookCursor,
    ) -> Result<()>;
    /// Puts one delivery in the outbox, due now (a test event); `NotFound` for another
    /// tenant's webhook.
    async fn add_webhook_delivery(&self, tenant: TenantId, delivery: &NewDelivery) -> Result<()>;

    /// Pending deliveries of enabled webhooks due at `now`, soonest first.
    async fn due_webhook_deliveries(&self, now: Millis, limit: u32) -> Result<Vec<DueDelivery>>;
    /// The earliest next attempt of a pending delivery of an enabled webhook.
    async fn next_webhook_attempt(&self) -> Result<Option<Millis>>;
    /// Records an attempt (counted) and what follows it.
    async fn record_webhook_attempt(
        &self,
        tenant: TenantId,
        delivery: Uuid,
        attempt: &Attempt,
    ) -> Result<()>;
    /// A webhook's deliveries, newest first.
    async fn webhook_deliveries(
        &self,
        tenant: TenantId,
        webhook: Uuid,
        limit: u32,
    ) -> Result<Vec<Delivery>>;
    /// Makes a delivery pending again, due at `now`, its attempts counted from zero;
    /// `NotFound` when the webhook has no such delivery.
    async fn redeliver_webhook_delivery(
        &self,
        tenant: TenantId,
        webhook: Uuid,
        delivery: Uuid,
        now: Millis,
    ) -> Result<Delivery>;
}

/// A stored state code back to its state.
pub(crate) fn delivery_state(code: &str) -> Option<DeliveryState> {
    DeliveryState::parse(code)
}
