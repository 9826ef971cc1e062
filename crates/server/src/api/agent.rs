//! The agent's own API: sign in and out (S1), states (S2, S3), reset skill queues (S4),
//! "continue working" after wrap-up, and the live status behind the connection bar.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_engine::acd::{AgentView, Command, QueueStats, ReasonCode, RequestedPresence};
use switchboard_engine::{ContactId, Permission, SkillQueueId};
use switchboard_storage::Principal;
use utoipa::ToSchema;

use super::contacts::{contact_out, engine, ContactOut};
use super::wire::{channel_schema, rfc3339};
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, MaybeJson};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct BoundQueue {
    pub id: uuid::Uuid,
    pub name: String,
    #[schema(schema_with = channel_schema)]
    pub channel: String,
    pub skill_level: u32,
}

#[derive(Serialize, ToSchema)]
pub struct QueueWaiting {
    pub queue_id: uuid::Uuid,
    pub waiting: u32,
    #[schema(required)]
    pub oldest_enqueued_at: Option<String>,
}

/// Everything the connection bar shows.
#[derive(Serialize, ToSchema)]
pub struct AgentStatus {
    /// signed_out, idle, talking, wrap_up, busy or rest.
    #[schema(schema_with = crate::api::wire::agent_state_schema)]
    pub state: String,
    pub state_since: String,
    #[schema(required)]
    pub reason: Option<String>,
    /// Whether my own presence takes offers (idle), whatever my contacts.
    pub ready: bool,
    /// automatic or specified, after the tenant/agent precedence rule.
    #[schema(schema_with = crate::api::wire::agent_sign_in_mode_schema)]
    pub sign_in_mode: String,
    pub auto_answer: bool,
    pub bound_queues: Vec<BoundQueue>,
    pub signed_in_queues: Vec<uuid::Uuid>,
    pub contacts: Vec<ContactOut>,
    pub waiting: Vec<QueueWaiting>,
    pub can_reset_queues: bool,
    pub summary_required: bool,
    pub wrap_up_limit_s: u32,
    pub server_time: String,
}

pub fn waiting_out(s: &QueueStats) -> QueueWaiting {
    QueueWaiting {
        queue_id: s.queue.0,
        waiting: s.waiting,
        oldest_enqueued_at: s.oldest_enqueued_at.map(rfc3339),
    }
}

/// My status, read from the engine and completed from storage.
pub async fn status(state: &AppState, p: &Principal) -> ApiResult<AgentStatus> {
    let me = p.user_id;
    let (view, waiting, params) = engine(state, p.tenant_id)
        .await?
        .read(move |e| {
            let view = e.agent_view(me);
            let waiting: Vec<QueueStats> = view
                .iter()
                .flat_map(|v| v.signed_in.iter().filter_map(|q| e.queue_stats(*q)))
                .collect();
            (view, waiting, e.params().clone())
        })
        .await?;
    let view: AgentView =
        view.ok_or_else(|| ApiError::forbidden("this account is not set up as an agent"))?;
    let user = state
        .store
        .user(p.tenant_id, me)
        .await?
        .ok_or_else(ApiError::unauthenticated)?;
    let queues = state.store.skill_queues(p.tenant_id).await?;
    let bound_queues = view
        .bound
        .iter()
        .filter_map(|(id, level)| {
            let q = queues.iter().find(|q| q.id == *id)?;
            Some(BoundQueue {
                id: id.0,
                name: q.spec.name.to_string(),
                channel: q.spec.channel.code().into(),
                skill_level: level.get(),
            })
        })
        .collect();
    let mut contacts = Vec::with_capacity(view.contacts.len());
    for live in &view.contacts {
        if let Some(stored) = state.store.stored_contact(p.tenant_id, live.id).await? {
            contacts.push(contact_out(&stored, Some(live)));
        }
    }
    Ok(AgentStatus {
        state: view.state.code().into(),
        state_since: rfc3339(view.state_since),
        reason: view.reason.map(|r| r.as_str().to_owned()),
        ready: view.ready,
        sign_in_mode: params
            .effective_sign_in_mode(&user.agent_params)
            .code()
            .into(),
        auto_answer: params.effective_auto_answer(&user.agent_params),
        bound_queues,
        signed_in_queues: view.signed_in.iter().map(|q| q.0).collect(),
        contacts,
        waiting: waiting.iter().map(waiting_out).collect(),
        can_reset_queues: p.may(Permission::ResetQueues),
        summary_required: params.summary_required,
        wrap_up_limit_s: params.wrap_up_limit.get(),
        server_time: rfc3339(state.clock.now_ms()),
    })
}

async fn act(state: &AppState, p: &Principal, command: Command) -> ApiResult<Json<AgentStatus>> {
    engine(state, p.tenant_id).await?.apply(command).await?;
    Ok(Json(status(state, p).await?))
}

/// My state, signed-in queues, contacts and the waiting counts of my queues.
#[utoipa::path(get, path = "/api/v1/agent", operation_id = "agent_status", tag = "agent", security(("bearer" = ["agent.work"])),
    responses((status = 200, body = AgentStatus), (status = 403, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
) -> ApiResult<Json<AgentStatus>> {
    Ok(Json(status(&state, &p).await?))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    /// Required in specified mode, refused in automatic mode.
    pub queues: Option<Vec<uuid::Uuid>>,
}

/// Sign in to skill queues (S1).
#[utoipa::path(post, path = "/api/v1/agent/sign-in", tag = "agent", security(("bearer" = ["agent.work"])), request_body = SignIn,
    responses((status = 404, body = ErrorBody), (status = 200, body = AgentStatus), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn sign_in(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    MaybeJson(body): MaybeJson<SignIn>,
) -> ApiResult<Json<AgentStatus>> {
    let queues = body
        .and_then(|b| b.queues)
        .map(|qs| qs.into_iter().map(SkillQueueId).collect());
    act(
        &state,
        &p,
        Command::SignIn {
            agent: p.user_id,
            queues,
        },
    )
    .await
}

/// Sign out (refused while a contact is connected or in wrap-up).
#[utoipa::path(post, path = "/api/v1/agent/sign-out", tag = "agent", security(("bearer" = ["agent.work"])),
    responses((status = 404, body = ErrorBody), (status = 200, body = AgentStatus), (status = 409, body = ErrorBody)))]
pub async fn sign_out(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
) -> ApiResult<Json<AgentStatus>> {
    act(&state, &p, Command::SignOut { agent: p.user_id }).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetState {
    /// idle, busy or rest.
    pub state: String,
    /// Optional reason code for busy and rest (1-32 characters).
    pub reason: Option<String>,
}

pub fn parse_state(req: &SetState) -> ApiResult<(RequestedPresence, Option<ReasonCode>)> {
    let presence = RequestedPresence::parse(&req.state)?;
    let reason = req
        .reason
        .as_deref()
        .filter(|r| !r.trim().is_empty())
        .map(ReasonCode::parse)
        .transpose()?;
    Ok((presence, reason))
}

/// Set my state: idle, busy (inbound blocked) or rest, with an optional reason (S2, S3).
#[utoipa::path(post, path = "/api/v1/agent/state", tag = "agent", security(("bearer" = ["agent.work"])), request_body = SetState,
    responses((status = 404, body = ErrorBody), (status = 200, body = AgentStatus), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn set_state(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    ApiJson(req): ApiJson<SetState>,
) -> ApiResult<Json<AgentStatus>> {
    let (presence, reason) = parse_state(&req)?;
    act(
        &state,
        &p,
        Command::SetPresence {
            agent: p.user_id,
            presence,
            reason,
        },
    )
    .await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetQueues {
    pub queues: Vec<uuid::Uuid>,
}

/// Re-choose my signed-in skill queues among my bound ones (S4); needs `agent.reset_queues`.
#[utoipa::path(post, path = "/api/v1/agent/queues", tag = "agent", security(("bearer" = ["agent.reset_queues"])), request_body = ResetQueues,
    responses((status = 409, body = ErrorBody), (status = 404, body = ErrorBody), (status = 200, body = AgentStatus), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn reset_queues(
    State(state): State<AppState>,
    p: Can<perm::ResetQueues>,
    ApiJson(req): ApiJson<ResetQueues>,
) -> ApiResult<Json<AgentStatus>> {
    if !p.may(Permission::AgentWork) {
        return Err(ApiError::forbidden(
            "this needs the permission 'agent.work'",
        ));
    }
    let queues = req.queues.into_iter().map(SkillQueueId).collect();
    act(
        &state,
        &p,
        Command::ResetQueues {
            agent: p.user_id,
            queues,
        },
    )
    .await
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct Continue {
    /// Finish wrap-up of this contact only; otherwise of everything in wrap-up.
    pub contact_id: Option<uuid::Uuid>,
}

/// "Continue working": end wrap-up (refused until the summary is saved when the tenant requires one).
#[utoipa::path(post, path = "/api/v1/agent/continue", tag = "agent", security(("bearer" = ["agent.work"])), request_body = Continue,
    responses((status = 404, body = ErrorBody), (status = 200, body = AgentStatus), (status = 409, body = ErrorBody)))]
pub async fn continue_working(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    MaybeJson(body): MaybeJson<Continue>,
) -> ApiResult<Json<AgentStatus>> {
    let contact = body.and_then(|b| b.contact_id).map(ContactId);
    act(
        &state,
        &p,
        Command::ContinueWorking {
            agent: p.user_id,
            contact,
        },
    )
    .await
}
