//! The agent's own phone for the workbench: their extension, how many devices are
//! registered, and their standing line (persistent connection): opened, the server calls
//! the phone once and bridges each call the agent takes onto it, so the workbench's Answer
//! answers; closed, offers ring the phone again.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use super::voice::devices;
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;
use crate::voice::{LineRequest, LineState};

/// What the workbench shows of my phone.
#[derive(Serialize, ToSchema)]
pub struct PhoneOut {
    /// My extension (the SIP user name); null when none is set up.
    #[schema(required)]
    pub extension: Option<String>,
    pub registered_devices: u32,
    /// The domain (and digest realm) phones register under: the tenant's name.
    pub sip_domain: String,
    pub line: LineWire,
}

/// My standing line: `off`; `calling` (my phone is being called); `up` (answered: the
/// calls I take are bridged onto it).
#[derive(Serialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum LineWire {
    Off,
    Calling,
    Up,
}

impl From<LineState> for LineWire {
    fn from(l: LineState) -> Self {
        match l {
            LineState::Off => LineWire::Off,
            LineState::Calling => LineWire::Calling,
            LineState::Up => LineWire::Up,
        }
    }
}

/// My phone: my extension, how many phones are registered for it, the SIP domain and my line.
#[utoipa::path(get, path = "/api/v1/agent/phone", operation_id = "agent_phone", tag = "agent", security(("bearer" = ["agent.work"])),
    responses((status = 200, body = PhoneOut), (status = 403, body = ErrorBody)))]
pub async fn phone(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
) -> ApiResult<Json<PhoneOut>> {
    let extension = my_extension(&state, &p).await?;
    Ok(Json(PhoneOut {
        extension,
        registered_devices: devices(&state, p.tenant_id, p.user_id),
        sip_domain: p.tenant_name.as_str().to_owned(),
        line: state.voice.line(p.tenant_id, p.user_id).into(),
    }))
}

/// Open my standing line: the server calls my phone (asking it to answer by itself). The
/// line's progress comes as `agent.phone` events (`calling`, then `up` or `off`).
#[utoipa::path(put, path = "/api/v1/agent/phone/line", operation_id = "agent_phone_line_open", tag = "agent", security(("bearer" = ["agent.work"])),
    responses((status = 202, description = "calling my phone"), (status = 409, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn open_line(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
) -> ApiResult<StatusCode> {
    if my_extension(&state, &p).await?.is_none() {
        return Err(ApiError::conflict(
            "you have no extension; an admin sets one up",
        ));
    }
    if devices(&state, p.tenant_id, p.user_id) == 0 {
        return Err(ApiError::conflict(
            "no phone is registered for your extension",
        ));
    }
    if state.voice.line(p.tenant_id, p.user_id) != LineState::Off {
        return Ok(StatusCode::ACCEPTED);
    }
    let request = LineRequest::Open {
        tenant: p.tenant_id,
        agent: p.user_id,
    };
    if !state.voice.request_line(request) {
        return Err(sip_unavailable());
    }
    Ok(StatusCode::ACCEPTED)
}

/// Close my standing line (hanging up a call on it, as released by me).
#[utoipa::path(delete, path = "/api/v1/agent/phone/line", operation_id = "agent_phone_line_close", tag = "agent", security(("bearer" = ["agent.work"])),
    responses((status = 204, description = "closed"), (status = 503, body = ErrorBody)))]
pub async fn close_line(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
) -> ApiResult<StatusCode> {
    if state.voice.line(p.tenant_id, p.user_id) == LineState::Off {
        return Ok(StatusCode::NO_CONTENT);
    }
    let request = LineRequest::Close {
        tenant: p.tenant_id,
        agent: p.user_id,
    };
    if !state.voice.request_line(request) {
        return Err(sip_unavailable());
    }
    Ok(StatusCode::NO_CONTENT)
}

async fn my_extension(state: &AppState, p: &Can<perm::AgentWork>) -> ApiResult<Option<String>> {
    let exts = state.store.sip_extensions(p.tenant_id).await?;
    Ok(exts
        .into_iter()
        .find(|e| e.agent == p.user_id)
        .map(|e| e.number))
}

fn sip_unavailable() -> ApiError {
    ApiError::client(
        StatusCode::SERVICE_UNAVAILABLE,
        "sip_unavailable",
        "the server's SIP side is not running here",
    )
}
