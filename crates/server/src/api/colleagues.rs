//! The colleagues an agent may hand a call to or consult (V5, V6): every signed-in agent of
//! the tenant but oneself, with their state, so the workbench can offer the free ones. It
//! shows no contacts or customers: an agent sees who is free, not what others do.

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use switchboard_engine::acd::AgentState;
use utoipa::ToSchema;

use super::contacts::engine;
use crate::auth::{perm, Can};
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct ColleagueStatus {
    pub id: uuid::Uuid,
    pub display_name: String,
    /// idle, talking, wrap_up, busy or rest.
    #[schema(schema_with = crate::api::wire::agent_state_schema)]
    pub state: String,
    /// Free to take a call now (idle and ready): a transfer or consult can go to them.
    pub free: bool,
    /// The skill queues they are signed in to.
    pub queue_ids: Vec<uuid::Uuid>,
}

/// Signed-in colleagues, free ones first, for transfer and consult.
#[utoipa::path(get, path = "/api/v1/agent/colleagues", operation_id = "agent_colleagues", tag = "agent", security(("bearer" = ["agent.work"])),
    responses((status = 200, body = Vec<ColleagueStatus>), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
) -> ApiResult<Json<Vec<ColleagueStatus>>> {
    let me = p.user_id;
    let views = engine(&state, p.tenant_id)
        .await?
        .read(move |e| {
            e.agent_ids()
                .into_iter()
                .filter(|a| *a != me)
                .filter_map(|a| e.agent_view(a))
                .filter(|v| v.state != AgentState::SignedOut)
                .collect::<Vec<_>>()
        })
        .await?;
    let users = state.store.users(p.tenant_id).await?;
    let mut out: Vec<ColleagueStatus> = views
        .into_iter()
        .filter_map(|v| {
            let user = users.iter().find(|u| u.id == v.id && u.active)?;
            Some(ColleagueStatus {
                id: v.id.0,
                display_name: user.display_name.as_str().to_owned(),
                state: v.state.code().to_owned(),
                free: v.state == AgentState::Idle && v.ready,
                queue_ids: v.signed_in.iter().map(|q| q.0).collect(),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.free
            .cmp(&a.free)
            .then(a.display_name.cmp(&b.display_name))
    });
    Ok(Json(out))
}
