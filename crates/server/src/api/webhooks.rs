//! Outgoing webhooks at the edge (issue #16, `integrations.manage`): a tenant's webhooks with
//! the events they take and their signing secret (shown on create and on rotate only), the
//! delivery log, redelivering one, and a test event.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use serde_json::json;
use switchboard_engine::TenantId;
use switchboard_storage::{Delivery, NewDelivery, Webhook};
use utoipa::ToSchema;
use uuid::Uuid;

use super::contacts::bounded;
use super::wire::rfc3339;
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, IdPath};
use crate::state::AppState;
use crate::webhooks::{guard, outbox, EVENT_TYPES, PING};

/// Deliveries shown in the log, newest first.
const LOG_LIMIT: u32 = 100;
/// Webhooks a tenant may have.
const MAX_WEBHOOKS: usize = 50;

/// A webhook, without its secret.
#[derive(Serialize, ToSchema)]
pub struct WebhookOut {
    pub id: Uuid,
    pub url: String,
    pub description: String,
    /// The event types it receives.
    pub events: Vec<String>,
    pub enabled: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// A webhook and its signing secret: the only time the secret is shown.
#[derive(Serialize, ToSchema)]
pub struct WebhookWithSecret {
    pub webhook: WebhookOut,
    /// Verify `X-Switchboard-Signature` with it; store it now, it is not shown again.
    pub secret: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookIn {
    /// http:// or https://, at most 2000 characters; not a loopback, private or link-local
    /// address unless the server allows them.
    pub url: String,
    /// At most 200 characters.
    #[serde(default)]
    pub description: String,
    /// At least one of the event types (`GET /api/v1/webhook-event-types`), each once.
    pub events: Vec<String>,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

/// One delivery in the log.
#[derive(Serialize, ToSchema)]
pub struct DeliveryOut {
    pub id: Uuid,
    pub event_id: String,
    pub event_type: String,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    pub attempts: u32,
    pub created_at: String,
    #[schema(required)]
    pub next_attempt_at: Option<String>,
    #[schema(required)]
    pub last_attempt_at: Option<String>,
    /// The receiver's HTTP status; null when none came.
    #[schema(required)]
    pub last_status: Option<u16>,
    /// Why no answer came (timed out, refused, could not connect).
    #[schema(required)]
    pub last_error: Option<String>,
    /// The start of the receiver's answer.
    #[schema(required)]
    pub response: Option<String>,
    #[schema(required)]
    pub duration_ms: Option<i64>,
    /// The JSON body sent.
    pub body: String,
}

fn webhook_out(w: &Webhook) -> WebhookOut {
    WebhookOut {
        id: w.id,
        url: w.url.clone(),
        description: w.description.clone(),
        events: w.events.clone(),
        enabled: w.enabled,
        created_at: rfc3339(w.created_at),
        updated_at: rfc3339(w.updated_at),
    }
}

fn delivery_out(d: Delivery) -> DeliveryOut {
    DeliveryOut {
        id: d.id,
        event_id: d.event_id,
        event_type: d.event_type,
        state: d.state.code().to_owned(),
        attempts: d.attempts,
        created_at: rfc3339(d.created_at),
        next_attempt_at: d.next_attempt_at.map(rfc3339),
        last_attempt_at: d.last_attempt_at.map(rfc3339),
        last_status: d.last_status,
        last_error: d.last_error,
        response: d.response,
        duration_ms: d.duration_ms,
        body: d.body,
    }
}

/// 32 random bytes, hex: the key deliveries are signed with.
fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("whsec_{hex}")
}

/// Checks a URL: http or https, a host, no credentials, and no literal private address.
pub fn url_checked(raw: &str, allow_private: bool) -> ApiResult<String> {
    let raw = raw.trim();
    if raw.is_empty() || raw.chars().count() > 2000 {
        return Err(ApiError::invalid("url", "must be 1-2000 characters"));
    }
    let url = reqwest::Url::parse(raw)
        .map_err(|_| ApiError::invalid("url", "must be an absolute http:// or https:// URL"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(ApiError::invalid(
            "url",
            "must be an absolute http:// or https:// URL",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ApiError::invalid(
            "url",
            "must not hold a user name or password; verify the signature instead",
        ));
    }
    if let Some(why) = guard::literal_refused(&url, allow_private) {
        return Err(ApiError::invalid("url", why));
    }
    Ok(url.to_string())
}

/// Checks the event types: known, each once, at least one.
fn events_checked(events: &[String]) -> ApiResult<Vec<String>> {
    if events.is_empty() {
        return Err(ApiError::invalid(
            "events",
            "must name at least one event type",
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(events.len());
    for (i, e) in events.iter().enumerate() {
        if !EVENT_TYPES.contains(&e.as_str()) {
            return Err(ApiError::invalid(
                format!("events[{i}]"),
                format!("is not an event type; one of {}", EVENT_TYPES.join(", ")),
            ));
        }
        if out.contains(e) {
            return Err(ApiError::invalid(format!("events[{i}]"), "is listed twice"));
        }
        out.push(e.clone());
    }
    Ok(out)
}

/// The request's checked fields, applied to `w`.
fn apply(state: &AppState, w: &mut Webhook, req: WebhookIn) -> ApiResult<()> {
    w.url = url_checked(&req.url, state.webhooks.allow_private())?;
    w.description = bounded("description", Some(&req.description), 200)?.unwrap_or_default();
    w.events = events_checked(&req.events)?;
    w.enabled = req.enabled;
    Ok(())
}

async fn owned(state: &AppState, tenant: TenantId, id: Uuid) -> ApiResult<Webhook> {
    state
        .store
        .webhook(tenant, id)
        .await?
        .ok_or_else(ApiError::not_found)
}

/// The event types a webhook may subscribe to.
#[utoipa::path(get, path = "/api/v1/webhook-event-types", tag = "webhooks", security(("bearer" = ["integrations.manage"])),
    responses((status = 200, body = [String]), (status = 403, body = ErrorBody)))]
pub async fn event_types(_p: Can<perm::ManageIntegrations>) -> Json<Vec<&'static str>> {
    Json(EVENT_TYPES.to_vec())
}

/// The tenant's webhooks, oldest first.
#[utoipa::path(get, path = "/api/v1/webhooks", operation_id = "webhooks_list", tag = "webhooks", security(("bearer" = ["integrations.manage"])),
    responses((status = 200, body = [WebhookOut]), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    p: Can<perm::ManageIntegrations>,
) -> ApiResult<Json<Vec<WebhookOut>>> {
    let hooks = state.store.webhooks(p.tenant_id).await?;
    Ok(Json(hooks.iter().map(webhook_out).collect()))
}

/// Add a webhook. Its signing secret is in the answer, and only there (and on rotate).
#[utoipa::path(post, path = "/api/v1/webhooks", operation_id = "webhooks_create", tag = "webhooks", security(("bearer" = ["integrations.manage"])), request_body = WebhookIn,
    responses((status = 201, body = WebhookWithSecret), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    p: Can<perm::ManageIntegrations>,
    ApiJson(req): ApiJson<WebhookIn>,
) -> ApiResult<(StatusCode, Json<WebhookWithSecret>)> {
    let now = state.clock.now_ms();
    let mut w = Webhook {
        id: Uuid::now_v7(),
        url: String::new(),
        description: String::new(),
        events: Vec::new(),
        enabled: true,
        secret: new_secret(),
        created_at: now,
        updated_at: now,
    };
    apply(&state, &mut w, req)?;
    if state.store.webhooks(p.tenant_id).await?.len() >= MAX_WEBHOOKS {
        return Err(ApiError::conflict(format!(
            "a tenant has at most {MAX_WEBHOOKS} webhooks"
        )));
    }
    state.store.create_webhook(p.tenant_id, &w).await?;
    let out = WebhookWithSecret {
        webhook: webhook_out(&w),
        secret: w.secret,
    };
    Ok((StatusCode::CREATED, Json(out)))
}

/// One webhook.
#[utoipa::path(get, path = "/api/v1/webhooks/{id}", operation_id = "webhooks_get", tag = "webhooks", security(("bearer" = ["integrations.manage"])),
    params(("id" = Uuid, Path)), responses((status = 200, body = WebhookOut), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    p: Can<perm::ManageIntegrations>,
    IdPath(id): IdPath,
) -> ApiResult<Json<WebhookOut>> {
    Ok(Json(webhook_out(&owned(&state, p.tenant_id, id).await?)))
}

/// Change a webhook's URL, description, events and whether it is on (its secret stays).
#[utoipa::path(put, path = "/api/v1/webhooks/{id}", operation_id = "webhooks_update", tag = "webhooks", security(("bearer" = ["integrations.manage"])),
    params(("id" = Uuid, Path)), request_body = WebhookIn,
    responses((status = 200, body = WebhookOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    p: Can<perm::ManageIntegrations>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<WebhookIn>,
) -> ApiResult<Json<WebhookOut>> {
    let mut w = owned(&state, p.tenant_id, id).await?;
    apply(&state, &mut w, req)?;
    w.updated_at = state.clock.now_ms();
    state.store.update_webhook(p.tenant_id, &w).await?;
    Ok(Json(webhook_out(&w)))
}

/// Remove a webhook and its delivery log.
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", operation_id = "webhooks_delete", tag = "webhooks", security(("bearer" = ["integrations.manage"])),
    params(("id" = Uuid, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    p: Can<perm::ManageIntegrations>,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    state.store.delete_webhook(p.tenant_id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Give a webhook a new signing secret; the old one stops at once. The answer is the only
/// place the new one is shown.
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/rotate-secret", tag = "webhooks", security(("bearer" = ["integrations.manage"])),
    params(("id" = Uuid, Path)), responses((status = 200, body = WebhookWithSecret), (status = 404, body = ErrorBody)))]
pub async fn rotate_secret(
    State(state): State<AppState>,
    p: Can<perm::ManageIntegrations>,
    IdPath(id): IdPath,
) -> ApiResult<Json<WebhookWithSecret>> {
    let mut w = owned(&state, p.tenant_id, id).await?;
    w.secret = new_secret();
    w.updated_at = state.clock.now_ms();
    state.store.update_webhook(p.tenant_id, &w).await?;
    Ok(Json(WebhookWithSecret {
        webhook: webhook_out(&w),
        secret: w.secret,
    }))
}

/// Send a test event (`ping`) to the webhook now; it appears in the delivery log.
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/ping", tag = "webhooks", security(("bearer" = ["integrations.manage"])),
    params(("id" = Uuid, Path)), responses((status = 202, body = DeliveryOut), (status = 404, body = ErrorBody)))]
pub async fn ping(
    State(state): State<AppState>,
    p: Can<perm::ManageIntegrations>,
    IdPath(id): IdPath,
) -> ApiResult<(StatusCode, Json<DeliveryOut>)> {
    let w = owned(&state, p.tenant_id, id).await?;
    let now = state.clock.now_ms();
    let event_id = format!("ping-{}", Uuid::now_v7());
    let data = json!({ "webhook_id": w.id, "message": "a test event from Switchboard" });
    let delivery = NewDelivery {
        id: Uuid::now_v7(),
        webhook: w.id,
        body: outbox::body(&event_id, PING, now, p.tenant_name.as_str(), data),
        event_id,
        event_type: PING.to_owned(),
        created_at: now,
    };
    state
        .store
        .add_webhook_delivery(p.tenant_id, &delivery)
        .await?;
    state.webhooks.wake();
    let log = state
        .store
        .webhook_deliveries(p.tenant_id, w.id, LOG_LIMIT)
        .await?;
    let added = log
        .into_iter()
        .find(|d| d.id == delivery.id)
        .ok_or_else(ApiError::not_found)?;
    Ok((StatusCode::ACCEPTED, Json(delivery_out(added))))
}

/// A webhook's latest deliveries (at most 100), newest first.
#[utoipa::path(get, path = "/api/v1/webhooks/{id}/deliveries", tag = "webhooks", security(("bearer" = ["integrations.manage"])),
    params(("id" = Uuid, Path)), responses((status = 200, body = [DeliveryOut]), (status = 404, body = ErrorBody)))]
pub async fn deliveries(
    State(state): State<AppState>,
    p: Can<perm::ManageIntegrations>,
    IdPath(id): IdPath,
) -> ApiResult<Json<Vec<DeliveryOut>>> {
    let w = owned(&state, p.tenant_id, id).await?;
    let log = state
        .store
        .webhook_deliveries(p.tenant_id, w.id, LOG_LIMIT)
        .await?;
    Ok(Json(log.into_iter().map(delivery_out).collect()))
}

/// Send a delivery again now, whatever became of it; its retries start over.
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/deliveries/{delivery}/redeliver", tag = "webhooks", security(("bearer" = ["integrations.manage"])),
    params(("id" = Uuid, Path), ("delivery" = Uuid, Path)),
    responses((status = 202, body = DeliveryOut), (status = 404, body = ErrorBody)))]
pub async fn redeliver(
    State(state): State<AppState>,
    p: Can<perm::ManageIntegrations>,
    ApiPath((id, delivery)): ApiPath<(Uuid, Uuid)>,
) -> ApiResult<(StatusCode, Json<DeliveryOut>)> {
    let again = state
        .store
        .redeliver_webhook_delivery(p.tenant_id, id, delivery, state.clock.now_ms())
        .await?;
    state.webhooks.wake();
    Ok((StatusCode::ACCEPTED, Json(delivery_out(again))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked() {
        assert_eq!(
            url_checked(" https://hooks.example.com/in ", false).unwrap(),
            "https://hooks.example.com/in"
        );
        for bad in [
            "",
            "hooks.example.com",
            "ftp://hooks.example.com/",
            "https://user:pw@hooks.example.com/",
            "http://127.0.0.1:8080/x",
            "http://10.0.0.1/x",
            "http://[fe80::1]/x",
            "http://localhost/x",
        ] {
            assert!(url_checked(bad, false).is_err(), "{bad}");
        }
        assert!(url_checked("http://127.0.0.1:8080/x", true).is_ok());
    }

    #[test]
    fn event_types_are_known_and_listed_once() {
        let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(events_checked(&list(&["contact.created", "ticket.closed"])).is_ok());
        assert!(events_checked(&[]).is_err());
        assert!(events_checked(&list(&["contact.exploded"])).is_err());
        assert!(events_checked(&list(&["agent.state", "agent.state"])).is_err());
        assert!(
            events_checked(&list(&[PING])).is_err(),
            "ping is sent on request only"
        );
        let secret = new_secret();
        assert!(secret.starts_with("whsec_") && secret.len() == 70);
    }
}
