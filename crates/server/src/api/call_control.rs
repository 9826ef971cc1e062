//! Call control on the workbench (V4, V6, V7, V9): hold and resume, the soft keypad, and
//! consulting another agent (then joining all three, completing the transfer, or going
//! back to the customer). Each is a command to the switch (which owns the legs); what
//! changed is told to the routing engine, whose events every workbench and wallboard hears.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use switchboard_engine::acd::{AgentState, Command, ContactPhase, MediaEvent};
use switchboard_engine::{Channel, ContactId, SkillQueueId, UserId};
use switchboard_storage::Principal;
use switchboard_voice::{Control, ControlError};
use utoipa::ToSchema;

use super::contacts::{contact_out, engine, load_contact, ContactOut};
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, IdPath};
use crate::state::AppState;
use crate::voice::ControlRefusal;

/// Put the customer of my connected call on hold: they hear music, I hear silence.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/hold", operation_id = "contacts_hold", tag = "calls", security(("bearer" = ["agent.work"])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = ContactOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn hold(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    IdPath(id): IdPath,
) -> ApiResult<Json<ContactOut>> {
    apply(&state, &p, ContactId(id), Control::Hold).await
}

/// Take my call's customer off hold.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/resume", operation_id = "contacts_resume", tag = "calls", security(("bearer" = ["agent.work"])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = ContactOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn resume(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    IdPath(id): IdPath,
) -> ApiResult<Json<ContactOut>> {
    apply(&state, &p, ContactId(id), Control::Resume).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Digits {
    /// 1-32 keys of 0-9, *, #, A-D, sent in order.
    pub digits: String,
}

/// Send DTMF to the far end of my connected call (RFC 4733), e.g. to walk another IVR.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/digits", operation_id = "contacts_digits", tag = "calls", security(("bearer" = ["agent.work"])),
    params(("id" = uuid::Uuid, Path)), request_body = Digits,
    responses((status = 200, body = ContactOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn digits(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<Digits>,
) -> ApiResult<Json<ContactOut>> {
    let digits = req.digits.trim().to_ascii_uppercase();
    apply(&state, &p, ContactId(id), Control::Digits(digits)).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Consult {
    /// Call this agent…
    pub agent_id: Option<uuid::Uuid>,
    /// …or the longest-idle agent signed in to this queue.
    pub queue_id: Option<uuid::Uuid>,
}

/// Consult: the customer holds while I call another agent (their phone rings); then
/// `/consult/join`, `/consult/complete` or `/consult/end`.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/consult", operation_id = "contacts_consult", tag = "calls", security(("bearer" = ["agent.work"])),
    params(("id" = uuid::Uuid, Path)), request_body = Consult,
    responses((status = 200, body = ContactOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn consult(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<Consult>,
) -> ApiResult<Json<ContactOut>> {
    let other = match (req.agent_id, req.queue_id) {
        (Some(a), None) => UserId(a),
        (None, Some(q)) => free_agent(&state, &p, SkillQueueId(q)).await?,
        _ => {
            return Err(ApiError::invalid(
                "agent_id",
                "give either agent_id or queue_id",
            ))
        }
    };
    let me = p.user_id;
    if other == me {
        return Err(ApiError::invalid(
            "agent_id",
            "you are on this call already",
        ));
    }
    // Free now, so that the transfer the consultation may end in can be made.
    let free = engine(&state, p.tenant_id)
        .await?
        .read(move |e| {
            e.agent_view(other)
                .map(|a| a.state == AgentState::Idle && a.ready)
        })
        .await?;
    match free {
        None => return Err(ApiError::invalid("agent_id", "no such agent")),
        Some(false) => {
            return Err(ApiError::client(
                StatusCode::CONFLICT,
                "target_unavailable",
                "the agent is not free to take a call",
            ))
        }
        Some(true) => {}
    }
    apply(&state, &p, ContactId(id), Control::Consult(other)).await
}

/// The longest-idle agent signed in to `queue`, other than the caller.
async fn free_agent(state: &AppState, p: &Principal, queue: SkillQueueId) -> ApiResult<UserId> {
    let me = p.user_id;
    let found = engine(state, p.tenant_id)
        .await?
        .read(move |e| {
            e.queue_members(queue)
                .into_iter()
                .filter(|a| *a != me)
                .filter_map(|a| e.agent_view(a))
                .filter(|a| a.state == AgentState::Idle && a.ready)
                .min_by_key(|a| a.state_since)
                .map(|a| a.id)
        })
        .await?;
    found.ok_or_else(|| {
        ApiError::client(
            StatusCode::CONFLICT,
            "no_free_agent",
            "no agent of this queue is free",
        )
    })
}

/// Join all three: the customer, me and the consulted agent hear each other.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/consult/join", operation_id = "contacts_consult_join", tag = "calls", security(("bearer" = ["agent.work"])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = ContactOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn consult_join(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    IdPath(id): IdPath,
) -> ApiResult<Json<ContactOut>> {
    apply(&state, &p, ContactId(id), Control::JoinAll).await
}

/// Drop the consulted agent (ringing, talking or joined) and be back with the customer.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/consult/end", operation_id = "contacts_consult_end", tag = "calls", security(("bearer" = ["agent.work"])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = ContactOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn consult_end(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    IdPath(id): IdPath,
) -> ApiResult<Json<ContactOut>> {
    apply(&state, &p, ContactId(id), Control::EndThird).await
}

/// Attended transfer: the customer stays with the consulted agent, who now holds the
/// contact; I leave the call, free for the next (as after any transfer).
#[utoipa::path(post, path = "/api/v1/contacts/{id}/consult/complete", operation_id = "contacts_consult_complete", tag = "calls", security(("bearer" = ["agent.work"])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = ContactOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn consult_complete(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    IdPath(id): IdPath,
) -> ApiResult<Json<ContactOut>> {
    apply(&state, &p, ContactId(id), Control::CompleteTransfer).await
}

/// Checks that `contact` is a call connected to the caller, has the switch apply
/// `control`, then tells the engine what changed.
pub(crate) async fn apply(
    state: &AppState,
    p: &Principal,
    contact: ContactId,
    control: Control,
) -> ApiResult<Json<ContactOut>> {
    let (stored, live) = load_contact(state, p.tenant_id, contact).await?;
    let mine = live
        .as_ref()
        .is_some_and(|v| v.phase.agent() == Some(p.user_id));
    let connected = live
        .as_ref()
        .is_some_and(|v| matches!(v.phase, ContactPhase::Connected { .. }));
    if !mine && stored.agent != Some(p.user_id) {
        return Err(ApiError::not_found());
    }
    if stored.channel != Channel::Voice {
        return Err(ApiError::client(
            StatusCode::CONFLICT,
            "not_a_call",
            "this contact is not a call",
        ));
    }
    if !(mine && connected) {
        return Err(ApiError::client(
            StatusCode::CONFLICT,
            "not_connected",
            "the call is not connected to you",
        ));
    }
    let fact = match control {
        Control::Hold => Some(MediaEvent::Held),
        Control::Resume => Some(MediaEvent::Resumed),
        _ => None,
    };
    state
        .voice
        .control(p.tenant_id, contact, control)
        .await
        .map_err(refusal)?;
    if let Some(event) = fact {
        engine(state, p.tenant_id)
            .await?
            .apply(Command::Media {
                contact,
                event,
                by: None,
            })
            .await?;
    }
    let (stored, live) = load_contact(state, p.tenant_id, contact).await?;
    Ok(Json(contact_out(&stored, live.as_ref())))
}

/// A switch's refusal as the API says it.
pub(crate) fn refusal(r: ControlRefusal) -> ApiError {
    let conflict = |code, message: &str| ApiError::client(StatusCode::CONFLICT, code, message);
    match r {
        ControlRefusal::NoVoice | ControlRefusal::NoCall => {
            conflict("no_call", "no live call carries this contact")
        }
        ControlRefusal::Refused(e) => match e {
            ControlError::NoSuchCall => conflict("no_call", "no live call carries this contact"),
            ControlError::NotConnected => conflict("not_connected", &e.to_string()),
            ControlError::AlreadyHeld => conflict("already_held", &e.to_string()),
            ControlError::NotHeld => conflict("not_held", &e.to_string()),
            ControlError::BadDigits => ApiError::invalid("digits", e.to_string()),
            ControlError::Consulting => conflict("consulting", &e.to_string()),
            ControlError::NotConsulting => conflict("not_consulting", &e.to_string()),
            ControlError::ConsultSelf => ApiError::invalid("agent_id", e.to_string()),
            ControlError::Unreachable => conflict("unreachable", &e.to_string()),
            ControlError::Monitored => conflict("monitored", &e.to_string()),
            ControlError::NotMonitored => conflict("not_monitored", &e.to_string()),
            ControlError::BadNumber => ApiError::invalid("number", e.to_string()),
            ControlError::NotOutboundNumber => ApiError::invalid("caller_number", e.to_string()),
            ControlError::NoTrunk => conflict("no_trunk", &e.to_string()),
            ControlError::DestinationRefused => {
                ApiError::client(StatusCode::FORBIDDEN, "destination_refused", e.to_string())
            }
            ControlError::NoSuchFlow => ApiError::invalid("flow_id", e.to_string()),
        },
    }
}
