//! The outbox reader: for each tenant with an enabled webhook, the engine events and ticket
//! trail entries stored since its cursor become deliveries (one per subscribed webhook, the
//! body made here once), added with the cursor's move in one transaction. Nothing on the
//! engine's or the tickets' write path knows about webhooks.

use std::collections::HashMap;

use serde_json::{json, Value};
use switchboard_engine::ticket::workflow::StatusCategory;
use switchboard_engine::{TenantId, TicketTypeId};
use switchboard_storage::{NewDelivery, SourceTrail, Webhook, WebhookCursor};
use uuid::Uuid;

use super::EVENT_TYPES;
use crate::api::tickets::shared::{load_type, ticket_number};
use crate::api::wire::rfc3339;
use crate::state::AppState;

/// Events and trail entries read per batch (each).
const BATCH: u32 = 500;
/// Batches per tenant per tick.
const BATCHES: usize = 8;
/// How far the trail horizon trails the clock: a ticket save committing later than this
/// after it began would be missed (see ARCHITECTURE.md, storage).
pub const TRAIL_LAG_MS: i64 = 24 * 3600 * 1000;

/// The JSON body of an event's delivery.
pub fn body(event_id: &str, event_type: &str, at: i64, tenant: &str, data: Value) -> String {
    json!({
        "id": event_id,
        "type": event_type,
        "created_at": rfc3339(at),
        "tenant": tenant,
        "data": data,
    })
    .to_string()
}

/// Reads every tenant's new events into the outbox.
pub async fn read_all(state: &AppState) -> anyhow::Result<()> {
    let tenants = state.store.webhook_tenants().await?;
    if tenants.is_empty() {
        return Ok(());
    }
    let names: HashMap<TenantId, String> = state
        .store
        .tenants()
        .await?
        .into_iter()
        .map(|t| (t.id, t.name.to_string()))
        .collect();
    for tenant in tenants {
        let name = names.get(&tenant).cloned().unwrap_or_default();
        if let Err(err) = read_tenant(state, tenant, &name).await {
            tracing::warn!(%tenant, error = %err, "reading a tenant's events for its webhooks failed");
        }
    }
    Ok(())
}

/// One event found, in the words of the webhooks.
struct Found {
    id: String,
    kind: String,
    at: i64,
    data: Value,
}

fn parsed(detail: &str) -> Value {
    serde_json::from_str(detail).unwrap_or_else(|_| Value::String(detail.to_owned()))
}

async fn read_tenant(state: &AppState, tenant: TenantId, name: &str) -> anyhow::Result<()> {
    let hooks: Vec<Webhook> = state
        .store
        .webhooks(tenant)
        .await?
        .into_iter()
        .filter(|w| w.enabled)
        .collect();
    let Some(mut cursor) = state.store.webhook_cursor(tenant).await? else {
        return Ok(());
    };
    let mut closing = ClosingStatuses::default();
    for _ in 0..BATCHES {
        let now = state.clock.now_ms();
        let sources = state.store.webhook_sources(tenant, &cursor, BATCH).await?;
        let mut found: Vec<Found> = sources
            .events
            .iter()
            .filter(|e| EVENT_TYPES.contains(&e.kind.as_str()))
            .map(|e| Found {
                id: format!("e-{}", e.id),
                kind: e.kind.clone(),
                at: e.at,
                data: parsed(&e.detail),
            })
            .collect();
        for entry in &sources.trail {
            found.push(trail_event(state, tenant, entry, &mut closing).await);
        }
        let deliveries: Vec<NewDelivery> = found
            .iter()
            .flat_map(|f| {
                hooks
                    .iter()
                    .filter(|w| w.events.contains(&f.kind))
                    .map(|w| NewDelivery {
                        id: Uuid::now_v7(),
                        webhook: w.id,
                        event_id: f.id.clone(),
                        event_type: f.kind.clone(),
                        body: body(&f.id, &f.kind, f.at, name, f.data.clone()),
                        created_at: now,
                    })
            })
            .collect();
        let seen: Vec<_> = sources
            .trail
            .iter()
            .map(|t| (t.ticket, t.seq, t.at))
            .collect();
        let next = WebhookCursor {
            engine_event: sources.events.last().map_or(cursor.engine_event, |e| e.id),
            trail_horizon: cursor.trail_horizon.max(now - TRAIL_LAG_MS),
        };
        let more = sources.events.len() == BATCH as usize || sources.trail.len() == BATCH as usize;
        if next != cursor || !seen.is_empty() {
            state
                .store
                .enqueue_webhook_deliveries(tenant, &deliveries, &seen, &next)
                .await?;
        }
        cursor = next;
        if !more {
            break;
        }
    }
    Ok(())
}

/// Which statuses of each ticket type close a ticket, looked up once per pass.
#[derive(Default)]
struct ClosingStatuses(HashMap<Uuid, Vec<String>>);

impl ClosingStatuses {
    async fn closes(&mut self, state: &AppState, tenant: TenantId, ty: Uuid, to: &str) -> bool {
        if let std::collections::hash_map::Entry::Vacant(slot) = self.0.entry(ty) {
            // A type that cannot be read closes nothing: the entry goes out as a status change.
            let closed = match load_type(state, tenant, TicketTypeId(ty)).await {
                Ok((_, schema)) => schema
                    .workflow
                    .statuses
                    .iter()
                    .filter(|s| s.category == StatusCategory::Closed)
                    .map(|s| s.code.to_string())
                    .collect(),
                Err(_) => Vec::new(),
            };
            slot.insert(closed);
        }
        self.0.get(&ty).is_some_and(|c| c.iter().any(|s| s == to))
    }
}

/// A trail entry as a ticket event: created, a status change (closed when the status is of
/// the closed category), reopened, or any other change as updated.
async fn trail_event(
    state: &AppState,
    tenant: TenantId,
    entry: &SourceTrail,
    closing: &mut ClosingStatuses,
) -> Found {
    let detail = parsed(&entry.detail);
    let kind = match entry.action.as_str() {
        "created" | "imported" => "ticket.created",
        "reopened" => "ticket.reopened",
        "status" => {
            let to = detail["to"].as_str().unwrap_or_default();
            if closing.closes(state, tenant, entry.type_id, to).await {
                "ticket.closed"
            } else {
                "ticket.status_changed"
            }
        }
        _ => "ticket.updated",
    };
    Found {
        id: format!("t-{}-{}", entry.ticket.0, entry.seq),
        kind: kind.to_owned(),
        at: entry.at,
        data: json!({
            "ticket_id": entry.ticket.0,
            "number": ticket_number(entry.number),
            "action": entry.action,
            "detail": detail,
        }),
    }
}
