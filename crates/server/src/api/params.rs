//! Tenant parameters (A6). Agent parameters are part of the user (see `users`).

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_engine::{
    FamiliarWait, NoAnswerLimit, OfferTimeout, PostSignInState, RecallLimit, TaskLimit,
    TenantParams, TenantSignInMode, TenantZone, WrapUpLimit,
};
use utoipa::ToSchema;

use super::wire::{post_sign_in_state_schema, tenant_sign_in_mode_schema};
use crate::auth::{perm, Auth, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::events::Audience;
use crate::extract::ApiJson;
use crate::state::AppState;

/// Tenant parameters. Agents see changes on their next page load.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TenantParamsWire {
    /// The state right after sign-in (签入后的座席状态).
    #[schema(schema_with = post_sign_in_state_schema)]
    pub post_sign_in_state: String,
    /// When `agent_configured`, each agent's own mode decides; otherwise this decides.
    #[schema(schema_with = tenant_sign_in_mode_schema)]
    pub sign_in_mode: String,
    pub auto_answer: bool,
    /// Seconds of wrap-up before returning to work automatically; 0 = no limit.
    pub wrap_up_limit_s: i64,
    /// Whether a service summary must be saved before "continue working".
    pub summary_required: bool,
    /// Seconds an offer rings (5-300).
    pub offer_timeout_s: i64,
    /// Unanswered offers before the agent is set busy; 0 = never.
    pub no_answer_limit: i64,
    /// Whether chats may be offered during a call.
    pub chat_during_call: bool,
    /// How many tasks an agent may hold at once (1-50).
    pub task_limit: i64,
    /// Seconds a returning customer waits for the agent who last served them; 0 = off.
    pub familiar_wait_s: i64,
    /// Seconds after sending during which an agent may withdraw a chat message (0-3600).
    /// Optional on PUT: left out keeps the current value.
    #[serde(default)]
    pub recall_limit_s: Option<i64>,
    /// The time zone (IANA name, e.g. `Asia/Shanghai`) in which times without an offset are
    /// read (spreadsheet cells, typed date-times) and the management view cuts its days.
    /// Optional on PUT: left out keeps the current zone.
    #[serde(default)]
    pub time_zone: Option<String>,
}

impl TenantParamsWire {
    fn new(p: TenantParams, zone: &TenantZone) -> Self {
        Self {
            post_sign_in_state: p.post_sign_in_state.code().into(),
            sign_in_mode: p.sign_in_mode.code().into(),
            auto_answer: p.auto_answer,
            wrap_up_limit_s: p.wrap_up_limit.get().into(),
            summary_required: p.summary_required,
            offer_timeout_s: p.offer_timeout.get().into(),
            no_answer_limit: p.no_answer_limit.get().into(),
            chat_during_call: p.chat_during_call,
            task_limit: p.task_limit.get().into(),
            familiar_wait_s: p.familiar_wait.get().into(),
            recall_limit_s: Some(p.recall_limit.get().into()),
            time_zone: Some(zone.name().to_owned()),
        }
    }

    /// The parameters asked for; fields left out keep their `current` values.
    fn parse(
        &self,
        current: &TenantParams,
    ) -> Result<TenantParams, switchboard_engine::ValidationError> {
        Ok(TenantParams {
            post_sign_in_state: PostSignInState::parse(&self.post_sign_in_state)?,
            sign_in_mode: TenantSignInMode::parse(&self.sign_in_mode)?,
            auto_answer: self.auto_answer,
            wrap_up_limit: WrapUpLimit::new(self.wrap_up_limit_s)?,
            summary_required: self.summary_required,
            offer_timeout: OfferTimeout::new(self.offer_timeout_s)?,
            no_answer_limit: NoAnswerLimit::new(self.no_answer_limit)?,
            chat_during_call: self.chat_during_call,
            task_limit: TaskLimit::new(self.task_limit)?,
            familiar_wait: FamiliarWait::new(self.familiar_wait_s)?,
            recall_limit: match self.recall_limit_s {
                Some(s) => RecallLimit::new(s)?,
                None => current.recall_limit,
            },
        })
    }
}

/// The tenant's parameters (any signed-in user may read them).
#[utoipa::path(get, path = "/api/v1/tenant/params", operation_id = "params_get", tag = "params", security(("bearer" = [])),
    responses((status = 200, body = TenantParamsWire), (status = 401, body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<TenantParamsWire>> {
    let params = state.store.tenant_params(auth.0.tenant_id).await?;
    Ok(Json(TenantParamsWire::new(params, &auth.0.zone)))
}

/// Replace the tenant's parameters.
#[utoipa::path(put, path = "/api/v1/tenant/params", tag = "params", security(("bearer" = ["params.manage"])),
    request_body = TenantParamsWire,
    responses((status = 200, body = TenantParamsWire), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn put(
    State(state): State<AppState>,
    p: Can<perm::ManageParams>,
    ApiJson(req): ApiJson<TenantParamsWire>,
) -> ApiResult<Json<TenantParamsWire>> {
    let current = state.store.tenant_params(p.tenant_id).await?;
    let params = req.parse(&current)?;
    let zone = match req.time_zone.as_deref() {
        Some(name) => {
            TenantZone::parse(name).map_err(|e| ApiError::invalid("time_zone", e.to_string()))?
        }
        None => p.zone.clone(),
    };
    state
        .store
        .set_tenant_params(p.tenant_id, &params, &zone)
        .await?;
    super::sync::params(&state, p.tenant_id, &params).await?;
    let out = TenantParamsWire::new(params, &zone);
    let payload = serde_json::json!({ "type": "params.updated", "params": &out });
    state
        .events
        .publish(p.tenant_id, Audience::tenant(), &payload);
    Ok(Json(out))
}
