//! Outgoing webhooks: the webhooks, the outbox of deliveries and the outbox reader's cursor.

use switchboard_engine::{TenantId, TicketId};
use uuid::Uuid;

use super::{found, Store, Tx};
use crate::webhooks::{
    delivery_state, Attempt, Delivery, DueDelivery, NewDelivery, SourceEvent, SourceTrail, Webhook,
    WebhookCursor, WebhookSources, WebhookStore,
};
use crate::{Millis, Result, StorageError};

fn corrupt(what: &str) -> StorageError {
    StorageError::Corrupt(format!("stored {what} cannot be read"))
}

type WebhookRow = (Uuid, String, String, String, bool, String, i64, i64);

const WEBHOOK_COLUMNS: &str =
    "id, url, description, events, enabled, secret, created_at, updated_at";

fn webhook_of(row: WebhookRow) -> Result<Webhook> {
    let (id, url, description, events, enabled, secret, created_at, updated_at) = row;
    let events: Vec<String> =
        serde_json::from_str(&events).map_err(|_| corrupt("webhook events"))?;
    Ok(Webhook {
        id,
        url,
        description,
        events,
        enabled,
        secret,
        created_at,
        updated_at,
    })
}

fn events_json(webhook: &Webhook) -> String {
    serde_json::Value::from(webhook.events.clone()).to_string()
}

type DeliveryRow = (
    Uuid,
    Uuid,
    String,
    String,
    String,
    i64,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<i64>,
);

const DELIVERY_COLUMNS: &str = "d.id, d.webhook_id, d.event_id, d.event_type, d.body, \
    d.created_at, d.state, d.attempts, d.next_attempt_at, d.last_attempt_at, d.last_status, \
    d.last_error, d.response_snippet, d.duration_ms";

fn delivery_of(row: DeliveryRow) -> Result<Delivery> {
    let (id, webhook, event_id, event_type, body, created_at, state, attempts, next, last) = (
        row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9,
    );
    Ok(Delivery {
        id,
        webhook,
        event_id,
        event_type,
        body,
        created_at,
        state: delivery_state(&state).ok_or_else(|| corrupt("delivery state"))?,
        attempts: u32::try_from(attempts).map_err(|_| corrupt("delivery attempts"))?,
        next_attempt_at: next,
        last_attempt_at: last,
        last_status: row
            .10
            .map(|s| u16::try_from(s).map_err(|_| corrupt("delivery status")))
            .transpose()?,
        last_error: row.11,
        response: row.12,
        duration_ms: row.13,
    })
}

async fn insert_delivery(tx: &mut Tx<'_>, tenant: TenantId, d: &NewDelivery) -> Result<()> {
    sqlx::query(
        "INSERT INTO webhook_deliveries (tenant_id, id, webhook_id, event_id, event_type, body, \
         created_at, state, attempts, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $7) \
         ON CONFLICT (webhook_id, event_id) DO NOTHING",
    )
    .bind(tenant.0)
    .bind(d.id)
    .bind(d.webhook)
    .bind(&d.event_id)
    .bind(&d.event_type)
    .bind(&d.body)
    .bind(d.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[async_trait::async_trait]
impl WebhookStore for Store {
    async fn webhooks(&self, tenant: TenantId) -> Result<Vec<Webhook>> {
        let rows: Vec<WebhookRow> = sqlx::query_as(&format!(
            "SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE tenant_id = $1 ORDER BY created_at, id"
        ))
        .bind(tenant.0)
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter().map(webhook_of).collect()
    }

    async fn webhook(&self, tenant: TenantId, id: Uuid) -> Result<Option<Webhook>> {
        let row: Option<WebhookRow> = sqlx::query_as(&format!(
            "SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE tenant_id = $1 AND id = $2"
        ))
        .bind(tenant.0)
        .bind(id)
        .fetch_optional(&self.reader)
        .await?;
        row.map(webhook_of).transpose()
    }

    async fn create_webhook(&self, tenant: TenantId, w: &Webhook) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        sqlx::query(&format!(
            "INSERT INTO webhooks (tenant_id, {WEBHOOK_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        ))
        .bind(tenant.0)
        .bind(w.id)
        .bind(&w.url)
        .bind(&w.description)
        .bind(events_json(w))
        .bind(w.enabled)
        .bind(&w.secret)
        .bind(w.created_at)
        .bind(w.updated_at)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO webhook_cursors (tenant_id, engine_event_id, trail_horizon) \
             SELECT $1, COALESCE(MAX(id), 0), $2 FROM engine_events WHERE tenant_id = $1 \
             ON CONFLICT (tenant_id) DO NOTHING",
        )
        .bind(tenant.0)
        .bind(w.created_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn update_webhook(&self, tenant: TenantId, w: &Webhook) -> Result<()> {
        let done = sqlx::query(
            "UPDATE webhooks SET url = $3, description = $4, events = $5, enabled = $6, \
             secret = $7, updated_at = $8 WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant.0)
        .bind(w.id)
        .bind(&w.url)
        .bind(&w.description)
        .bind(events_json(w))
        .bind(w.enabled)
        .bind(&w.secret)
        .bind(w.updated_at)
        .execute(&self.writer)
        .await?;
        found(done.rows_affected())
    }

    async fn delete_webhook(&self, tenant: TenantId, id: Uuid) -> Result<()> {
        super::delete_owned(self, "webhooks", tenant, id).await
    }

    async fn webhook_tenants(&self) -> Result<Vec<TenantId>> {
        let rows: Vec<(Uuid,)> =
            sqlx::query_as("SELECT DISTINCT tenant_id FROM webhooks WHERE enabled = TRUE")
                .fetch_all(&self.reader)
                .await?;
        Ok(rows.into_iter().map(|(t,)| TenantId(t)).collect())
    }

    async fn webhook_cursor(&self, tenant: TenantId) -> Result<Option<WebhookCursor>> {
        let row: Option<(i64, i64)> = sqlx::query_as(
            "SELECT engine_event_id, trail_horizon FROM webhook_cursors WHERE tenant_id = $1",
        )
        .bind(tenant.0)
        .fetch_optional(&self.reader)
        .await?;
        Ok(row.map(|(engine_event, trail_horizon)| WebhookCursor {
            engine_event,
            trail_horizon,
        }))
    }

    async fn webhook_sources(
        &self,
        tenant: TenantId,
        cursor: &WebhookCursor,
        limit: u32,
    ) -> Result<WebhookSources> {
        let events: Vec<(i64, i64, String, String)> = sqlx::query_as(
            "SELECT id, at, kind, detail FROM engine_events WHERE tenant_id = $1 AND id > $2 \
             ORDER BY id LIMIT $3",
        )
        .bind(tenant.0)
        .bind(cursor.engine_event)
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        let trail: Vec<(Uuid, i64, Uuid, i64, i64, String, String)> = sqlx::query_as(
            "SELECT r.ticket_id, t.number, t.type_id, r.seq, r.at, r.action, r.detail \
             FROM ticket_trail r JOIN tickets t ON t.id = r.ticket_id AND t.tenant_id = r.tenant_id \
             WHERE r.tenant_id = $1 AND r.at >= $2 AND NOT EXISTS (SELECT 1 FROM webhook_trail_seen s \
                WHERE s.tenant_id = r.tenant_id AND s.ticket_id = r.ticket_id AND s.seq = r.seq) \
             ORDER BY r.at, r.ticket_id, r.seq LIMIT $3",
        )
        .bind(tenant.0)
        .bind(cursor.trail_horizon)
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        Ok(WebhookSources {
            events: events
                .into_iter()
                .map(|(id, at, kind, detail)| SourceEvent {
                    id,
                    at,
                    kind,
                    detail,
                })
                .collect(),
            trail: trail
                .into_iter()
                .map(
                    |(ticket, number, type_id, seq, at, action, detail)| SourceTrail {
                        ticket: TicketId(ticket),
                        number,
                        type_id,
                        seq,
                        at,
                        action,
                        detail,
                    },
                )
                .collect(),
        })
    }

    async fn enqueue_webhook_deliveries(
        &self,
        tenant: TenantId,
        deliveries: &[NewDelivery],
        seen: &[(TicketId, i64, Millis)],
        cursor: &WebhookCursor,
    ) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        for d in deliveries {
            insert_delivery(&mut tx, tenant, d).await?;
        }
        for (ticket, seq, at) in seen {
            sqlx::query(
                "INSERT INTO webhook_trail_seen (tenant_id, ticket_id, seq, at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            )
            .bind(tenant.0)
            .bind(ticket.0)
            .bind(*seq)
            .bind(*at)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE webhook_cursors SET engine_event_id = $2, trail_horizon = $3 \
             WHERE tenant_id = $1",
        )
        .bind(tenant.0)
        .bind(cursor.engine_event)
        .bind(cursor.trail_horizon)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM webhook_trail_seen WHERE tenant_id = $1 AND at < $2")
            .bind(tenant.0)
            .bind(cursor.trail_horizon)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn add_webhook_delivery(&self, tenant: TenantId, delivery: &NewDelivery) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        let owned: Option<(Uuid,)> =
            sqlx::query_as("SELECT id FROM webhooks WHERE tenant_id = $1 AND id = $2")
                .bind(tenant.0)
                .bind(delivery.webhook)
                .fetch_optional(&mut *tx)
                .await?;
        owned.ok_or(StorageError::NotFound)?;
        insert_delivery(&mut tx, tenant, delivery).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn due_webhook_deliveries(&self, now: Millis, limit: u32) -> Result<Vec<DueDelivery>> {
        let rows: Vec<(Uuid, String, String, Uuid)> = sqlx::query_as(
            "SELECT d.tenant_id, w.url, w.secret, d.id \
             FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id \
             WHERE d.state = 'pending' AND d.next_attempt_at <= $1 AND w.enabled = TRUE \
             ORDER BY d.next_attempt_at, d.id LIMIT $2",
        )
        .bind(now)
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        let mut due = Vec::with_capacity(rows.len());
        for (tenant, url, secret, id) in rows {
            let delivery = one_delivery(self, TenantId(tenant), id)
                .await?
                .ok_or(StorageError::NotFound)?;
            due.push(DueDelivery {
                tenant: TenantId(tenant),
                delivery,
                url,
                secret,
            });
        }
        Ok(due)
    }

    async fn next_webhook_attempt(&self) -> Result<Option<Millis>> {
        let row: (Option<i64>,) = sqlx::query_as(
            "SELECT MIN(d.next_attempt_at) FROM webhook_deliveries d \
             JOIN webhooks w ON w.id = d.webhook_id \
             WHERE d.state = 'pending' AND w.enabled = TRUE",
        )
        .fetch_one(&self.reader)
        .await?;
        Ok(row.0)
    }

    async fn record_webhook_attempt(
        &self,
        tenant: TenantId,
        delivery: Uuid,
        a: &Attempt,
    ) -> Result<()> {
        let done = sqlx::query(
            "UPDATE webhook_deliveries SET attempts = attempts + 1, state = $3, \
             next_attempt_at = $4, last_attempt_at = $5, last_status = $6, last_error = $7, \
             response_snippet = $8, duration_ms = $9 WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant.0)
        .bind(delivery)
        .bind(a.state.code())
        .bind(a.next_attempt_at)
        .bind(a.at)
        .bind(a.status.map(i64::from))
        .bind(&a.error)
        .bind(&a.response)
        .bind(a.duration_ms)
        .execute(&self.writer)
        .await?;
        found(done.rows_affected())
    }

    async fn webhook_deliveries(
        &self,
        tenant: TenantId,
        webhook: Uuid,
        limit: u32,
    ) -> Result<Vec<Delivery>> {
        let rows: Vec<DeliveryRow> = sqlx::query_as(&format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d \
             WHERE d.tenant_id = $1 AND d.webhook_id = $2 \
             ORDER BY d.created_at DESC, d.id DESC LIMIT $3"
        ))
        .bind(tenant.0)
        .bind(webhook)
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter().map(delivery_of).collect()
    }

    async fn redeliver_webhook_delivery(
        &self,
        tenant: TenantId,
        webhook: Uuid,
        delivery: Uuid,
        now: Millis,
    ) -> Result<Delivery> {
        let done = sqlx::query(
            "UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = $4 \
             WHERE tenant_id = $1 AND webhook_id = $2 AND id = $3",
        )
        .bind(tenant.0)
        .bind(webhook)
        .bind(delivery)
        .bind(now)
        .execute(&self.writer)
        .await?;
        found(done.rows_affected())?;
        one_delivery(self, tenant, delivery)
            .await?
            .ok_or(StorageError::NotFound)
    }
}

async fn one_delivery(store: &Store, tenant: TenantId, id: Uuid) -> Result<Option<Delivery>> {
    let row: Option<DeliveryRow> = sqlx::query_as(&format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d WHERE d.tenant_id = $1 AND d.id = $2"
    ))
    .bind(tenant.0)
    .bind(id)
    .fetch_optional(&store.reader)
    .await?;
    row.map(delivery_of).transpose()
}
