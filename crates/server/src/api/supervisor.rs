//! The supervisor's live view of every agent and queue (P1, S6) and forcing an agent's
//! state (P3).

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_engine::acd::{
    AgentState, AgentView, Command, QueueStats, ReasonCode, RequestedPresence,
};
use switchboard_engine::{Permission, TenantId, UserId};
use utoipa::ToSchema;

use super::contacts::engine;
use super::wire::rfc3339;
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::events::Audience;
use crate::extract::{ApiJson, IdPath};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct LiveAgent {
    pub id: uuid::Uuid,
    pub login: String,
    pub display_name: String,
    #[schema(schema_with = crate::api::wire::agent_state_schema)]
    pub state: String,
    pub state_since: String,
    #[schema(required)]
    pub reason: Option<String>,
    pub signed_in_queues: Vec<uuid::Uuid>,
    /// Contacts offered to, connected with, or wrapping up with this agent.
    pub contacts: usize,
    /// Each of those contacts' channel and state, so that the wallboard can say "ringing",
    /// "on a chat" or "on a call" instead of one word for every channel.
    pub activity: Vec<LiveContact>,
}

/// One contact an agent holds: its channel and whether it is offered, connected or in wrap-up.
#[derive(Serialize, ToSchema)]
pub struct LiveContact {
    /// The contact (a call's contact is what monitoring addresses).
    pub id: uuid::Uuid,
    #[schema(schema_with = crate::api::wire::channel_schema)]
    pub channel: String,
    #[schema(schema_with = crate::api::wire::contact_state_schema)]
    pub state: String,
}

#[derive(Serialize, ToSchema)]
pub struct LiveQueue {
    pub id: uuid::Uuid,
    pub name: String,
    #[schema(schema_with = crate::api::wire::channel_schema)]
    pub channel: String,
    pub waiting: u32,
    #[schema(required)]
    pub oldest_enqueued_at: Option<String>,
    /// Signed-in agents per state.
    #[schema(value_type = std::collections::HashMap<String, u32>)]
    pub agents: serde_json::Value,
}

#[derive(Serialize, ToSchema)]
pub struct LiveView {
    pub agents: Vec<LiveAgent>,
    pub queues: Vec<LiveQueue>,
    pub server_time: String,
}

fn state_counts(stats: &QueueStats) -> serde_json::Value {
    AgentState::ALL
        .iter()
        .map(|s| {
            (
                s.code().to_owned(),
                serde_json::json!(stats.agents[s.index()]),
            )
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}

async fn live_agent(state: &AppState, tenant: TenantId, id: UserId) -> ApiResult<LiveAgent> {
    let user = state
        .store
        .user(tenant, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let view = engine(state, tenant)
        .await?
        .read(move |e| e.agent_view(id))
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(render_agent(
        &view,
        user.login.as_str(),
        user.display_name.as_str(),
    ))
}

fn render_agent(view: &AgentView, login: &str, display_name: &str) -> LiveAgent {
    LiveAgent {
        id: view.id.0,
        login: login.to_owned(),
        display_name: display_name.to_owned(),
        state: view.state.code().into(),
        state_since: rfc3339(view.state_since),
        reason: view.reason.as_ref().map(|r| r.as_str().to_owned()),
        signed_in_queues: view.signed_in.iter().map(|q| q.0).collect(),
        contacts: view.contacts.len(),
        activity: view
            .contacts
            .iter()
            .map(|c| LiveContact {
                id: c.id.0,
                channel: c.channel.code().into(),
                state: c.phase.status().code().into(),
            })
            .collect(),
    }
}

/// Every active agent's state and every queue's live counts.
#[utoipa::path(get, path = "/api/v1/supervisor/live", tag = "supervisor", security(("bearer" = ["supervisor.monitor"])),
    responses((status = 200, body = LiveView), (status = 403, body = ErrorBody)))]
pub async fn live(
    State(state): State<AppState>,
    p: Can<perm::Monitor>,
) -> ApiResult<Json<LiveView>> {
    let users = state.store.users(p.tenant_id).await?;
    let queues = state.store.skill_queues(p.tenant_id).await?;
    let ids: Vec<UserId> = users.iter().filter(|u| u.active).map(|u| u.id).collect();
    let qids: Vec<_> = queues.iter().map(|q| q.id).collect();
    let (views, stats) = engine(&state, p.tenant_id)
        .await?
        .read(move |e| {
            // Agents only: someone bound to a skill queue or signed in. Administrators and
            // supervisors who take no contacts are not "signed-out agents".
            let views: Vec<AgentView> = ids
                .iter()
                .filter_map(|id| e.agent_view(*id))
                .filter(|v| !v.bound.is_empty() || v.state != AgentState::SignedOut)
                .collect();
            let stats: Vec<QueueStats> = qids.iter().filter_map(|q| e.queue_stats(*q)).collect();
            (views, stats)
        })
        .await?;
    let agents = views
        .iter()
        .filter_map(|v| {
            users
                .iter()
                .find(|u| u.id == v.id)
                .map(|u| render_agent(v, u.login.as_str(), u.display_name.as_str()))
        })
        .collect();
    let queues = stats
        .iter()
        .filter_map(|s| {
            let q = queues.iter().find(|q| q.id == s.queue)?;
            Some(LiveQueue {
                id: q.id.0,
                name: q.spec.name.to_string(),
                channel: q.spec.channel.code().into(),
                waiting: s.waiting,
                oldest_enqueued_at: s.oldest_enqueued_at.map(rfc3339),
                agents: state_counts(s),
            })
        })
        .collect();
    Ok(Json(LiveView {
        agents,
        queues,
        server_time: rfc3339(state.clock.now_ms()),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForceState {
    /// idle, busy, rest or signed_out.
    pub state: String,
    /// Why (1-32 characters, optional): the busy or rest reason, and what the agent's notice
    /// says for every state.
    pub reason: Option<String>,
}

/// Force an agent's state (P3).
#[utoipa::path(post, path = "/api/v1/supervisor/agents/{id}/state", tag = "supervisor", security(("bearer" = ["supervisor.monitor"])),
    params(("id" = uuid::Uuid, Path)), request_body = ForceState,
    responses((status = 200, body = LiveAgent), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn force_state(
    State(state): State<AppState>,
    p: Can<perm::Monitor>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<ForceState>,
) -> ApiResult<Json<LiveAgent>> {
    let agent = UserId(id);
    state
        .store
        .user(p.tenant_id, agent)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let presence = match req.state.as_str() {
        "signed_out" => None,
        other => Some(RequestedPresence::parse(other)?),
    };
    let reason = req
        .reason
        .as_deref()
        .filter(|r| !r.trim().is_empty())
        .map(ReasonCode::parse)
        .transpose()?;
    engine(&state, p.tenant_id)
        .await?
        .apply(Command::ForcePresence {
            agent,
            presence,
            // A reason is kept with busy and rest; idle and signed out have none.
            reason: presence
                .filter(|s| *s != RequestedPresence::Idle)
                .and(reason.clone()),
        })
        .await?;
    // Tell the agent who did it and why (the engine's `agent.state` names neither).
    let by = state.store.user(p.tenant_id, p.user_id).await?;
    let payload = serde_json::json!({
        "type": "agent.forced", "agent_id": agent.0, "state": req.state,
        "reason": reason.as_ref().map(ReasonCode::as_str),
        "by_id": p.user_id.0, "by_name": by.map(|u| u.display_name.as_str().to_owned()),
        "at": rfc3339(state.clock.now_ms()),
    });
    state.events.publish(
        p.tenant_id,
        Audience::users_and(vec![agent], Permission::Monitor),
        &payload,
    );
    Ok(Json(live_agent(&state, p.tenant_id, agent).await?))
}
