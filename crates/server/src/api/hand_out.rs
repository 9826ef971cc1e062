//! Handing a call's customer out of the center (V5): to an outside number through a trunk
//! (as any outbound call: the `calls.outbound` permission, a caller number of the agent's,
//! the destination rules), into an IVR flow or one of its nodes, or to the satisfaction
//! survey. The agent leaves the call and their contact goes to wrap-up; who handed the call
//! where is on the call record.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use switchboard_engine::{ContactId, IvrFlowId};
use switchboard_voice::Control;
use utoipa::ToSchema;

use super::call_control::apply;
use super::contacts::ContactOut;
use super::dial::caller_number;
use crate::auth::{perm, Can};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, IdPath};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferToNumber {
    /// The outside number: digits, an optional leading +, spaces and dashes allowed.
    pub number: String,
    /// One of my caller numbers, presented to them; left out: my default one.
    #[serde(default)]
    pub caller_number: Option<String>,
}

/// Blind transfer of my call's customer to an outside number through a trunk: they hear
/// music until it answers; I leave the call and wrap up.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/transfer/number", operation_id = "contacts_transfer_number", tag = "calls", security(("bearer" = ["calls.outbound"])),
    params(("id" = uuid::Uuid, Path)), request_body = TransferToNumber,
    responses((status = 200, body = ContactOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn to_number(
    State(state): State<AppState>,
    p: Can<perm::OutboundCall>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<TransferToNumber>,
) -> ApiResult<Json<ContactOut>> {
    let caller_number = caller_number(&state, &p, req.caller_number.as_deref()).await?;
    let control = Control::TransferOut {
        number: req.number.trim().to_owned(),
        caller_number,
    };
    apply(&state, &p, ContactId(id), control).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferToIvr {
    pub flow_id: uuid::Uuid,
    /// The node to start at (e.g. "enter your card number"); left out: the flow's start.
    #[serde(default)]
    pub node: Option<String>,
}

/// Send my call's customer into an IVR flow (at a node, or its start); I leave the call.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/transfer/ivr", operation_id = "contacts_transfer_ivr", tag = "calls", security(("bearer" = ["agent.work"])),
    params(("id" = uuid::Uuid, Path)), request_body = TransferToIvr,
    responses((status = 200, body = ContactOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn to_ivr(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<TransferToIvr>,
) -> ApiResult<Json<ContactOut>> {
    let control = Control::ToFlow {
        flow: IvrFlowId(req.flow_id),
        node: req.node.map(|n| n.trim().to_owned()),
    };
    apply(&state, &p, ContactId(id), control).await
}

/// Ask my call's customer to rate the service now (whether or not the number asks after
/// every call); I leave the call.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/transfer/survey", operation_id = "contacts_transfer_survey", tag = "calls", security(("bearer" = ["agent.work"])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = ContactOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn to_survey(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    IdPath(id): IdPath,
) -> ApiResult<Json<ContactOut>> {
    apply(&state, &p, ContactId(id), Control::ToSurvey).await
}
