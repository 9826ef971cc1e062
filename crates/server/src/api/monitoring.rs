//! Supervisors on live calls (P3): listen (hear both, heard by no one), whisper (heard by
//! the agent only) or barge in (a three-way call), switching between them without dropping
//! the call. The supervisor's own phone is called and answers by itself; each change is
//! an engine event on the contact, saying who.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use switchboard_engine::acd::ContactPhase;
use switchboard_engine::{Channel, ContactId};
use switchboard_voice::monitor::MonitorMode;
use switchboard_voice::Control;
use utoipa::ToSchema;

use super::call_control::refusal;
use super::contacts::{contact_out, load_contact, ContactOut};
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, IdPath};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Listen,
    Whisper,
    Barge,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Monitor {
    pub mode: Mode,
}

/// Monitor a connected call, or change how: the first time my phone (my extension) is
/// called and answers by itself.
#[utoipa::path(put, path = "/api/v1/supervisor/calls/{id}/monitor", operation_id = "supervisor_monitor", tag = "supervisor", security(("bearer" = ["supervisor.monitor"])),
    params(("id" = uuid::Uuid, Path, description = "the call's contact")), request_body = Monitor,
    responses((status = 200, body = ContactOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn monitor(
    State(state): State<AppState>,
    p: Can<perm::Monitor>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<Monitor>,
) -> ApiResult<Json<ContactOut>> {
    let mode = match req.mode {
        Mode::Listen => MonitorMode::Listen,
        Mode::Whisper => MonitorMode::Whisper,
        Mode::Barge => MonitorMode::Barge,
    };
    let control = Control::Monitor {
        supervisor: p.user_id,
        mode,
    };
    apply(&state, p.tenant_id, ContactId(id), control).await
}

/// Stop monitoring the call: my phone is hung up; the call goes on.
#[utoipa::path(delete, path = "/api/v1/supervisor/calls/{id}/monitor", operation_id = "supervisor_monitor_end", tag = "supervisor", security(("bearer" = ["supervisor.monitor"])),
    params(("id" = uuid::Uuid, Path, description = "the call's contact")),
    responses((status = 200, body = ContactOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn end(
    State(state): State<AppState>,
    p: Can<perm::Monitor>,
    IdPath(id): IdPath,
) -> ApiResult<Json<ContactOut>> {
    let control = Control::EndMonitor {
        supervisor: p.user_id,
    };
    apply(&state, p.tenant_id, ContactId(id), control).await
}

async fn apply(
    state: &AppState,
    tenant: switchboard_engine::TenantId,
    contact: ContactId,
    control: Control,
) -> ApiResult<Json<ContactOut>> {
    let (stored, live) = load_contact(state, tenant, contact).await?;
    if stored.channel != Channel::Voice {
        return Err(ApiError::client(
            StatusCode::CONFLICT,
            "not_a_call",
            "this contact is not a call",
        ));
    }
    let connected = live
        .as_ref()
        .is_some_and(|v| matches!(v.phase, ContactPhase::Connected { .. }));
    if !connected {
        return Err(ApiError::client(
            StatusCode::CONFLICT,
            "not_connected",
            "the call is not connected to an agent",
        ));
    }
    state
        .voice
        .control(tenant, contact, control)
        .await
        .map_err(refusal)?;
    let (stored, live) = load_contact(state, tenant, contact).await?;
    Ok(Json(contact_out(&stored, live.as_ref())))
}
