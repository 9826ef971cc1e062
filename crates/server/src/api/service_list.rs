//! The agent's own service list (001's 服务列表 tabs): the contacts they serve now (connected
//! or wrapping up) and those they served that ended, newest first, paged by time and id. Each entry
//! opens as its channel does: a call's record, a chat's transcript, a task.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_engine::ContactId;
use utoipa::ToSchema;
use uuid::Uuid;

use super::contacts::{contact_out, ContactOut};
use super::wire::{page_cursor, parse_page_cursor};
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiQuery;
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ServiceQuery {
    /// open (in service: connected or wrap-up) or ended.
    pub tab: String,
    /// The previous page's `next_before`.
    pub before: Option<String>,
    /// Contacts per page, 1-100 (30).
    pub limit: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct ServiceEntry {
    pub contact: ContactOut,
    /// A call's record (`/api/v1/calls/{id}`).
    #[schema(required)]
    pub call_id: Option<Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct ServicePage {
    pub items: Vec<ServiceEntry>,
    /// Pass as `before` for the next page; null on the last.
    #[schema(required)]
    pub next_before: Option<String>,
}

/// My contacts in service or ended, newest first.
#[utoipa::path(get, path = "/api/v1/agent/contacts", operation_id = "agent_contacts", tag = "agent",
    security(("bearer" = ["agent.work"])), params(ServiceQuery),
    responses((status = 200, body = ServicePage), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    ApiQuery(q): ApiQuery<ServiceQuery>,
) -> ApiResult<Json<ServicePage>> {
    let open = match q.tab.as_str() {
        "open" => true,
        "ended" => false,
        _ => return Err(ApiError::invalid("tab", "must be open or ended")),
    };
    let limit = q.limit.unwrap_or(30);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::invalid("limit", "must be 1-100"));
    }
    let before = q
        .before
        .as_deref()
        .map(|raw| parse_page_cursor("before", raw))
        .transpose()?;
    let contacts = state
        .store
        .agent_contacts(p.tenant_id, p.user_id, open, before, limit)
        .await?;
    let next_before = contacts
        .last()
        .map(|c| page_cursor(c.created_at, c.id.0))
        .filter(|_| contacts.len() == limit as usize);
    let ids: Vec<ContactId> = contacts.iter().map(|c| c.id).collect();
    let calls = state
        .store
        .call_records_of_contacts(p.tenant_id, &ids, 1000)
        .await?;
    let items = contacts
        .iter()
        .map(|c| ServiceEntry {
            contact: contact_out(c, None),
            call_id: calls.iter().find(|r| r.contact == Some(c.id)).map(|r| r.id),
        })
        .collect();
    Ok(Json(ServicePage { items, next_before }))
}
