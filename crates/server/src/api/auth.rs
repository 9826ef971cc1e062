//! Login, logout, the forced password change, and "who am I".

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_engine::{LoginName, Password, TenantName};
use switchboard_storage::{NewSession, Principal, User};
use utoipa::ToSchema;

use super::wire::{agent_sign_in_mode_schema, AgentParamsWire};
use crate::auth::{self, PendingAuth};
use crate::client::ClientAddr;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiJson;
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// The tenant's short name, e.g. `demo`.
    pub tenant: String,
    pub login: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// When true, only `POST /auth/password`, `GET /me` and logout work until it is changed.
    pub must_change_password: bool,
    pub user: Me,
}

/// The signed-in user, their permissions and effective parameters.
#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: uuid::Uuid,
    pub tenant: String,
    pub login: String,
    pub real_name: String,
    pub display_name: String,
    pub chat_limit: u32,
    pub roles: Vec<String>,
    pub permissions: Vec<String>,
    pub must_change_password: bool,
    pub agent_params: AgentParamsWire,
    /// The sign-in skill mode after the tenant/agent precedence rule.
    #[schema(schema_with = agent_sign_in_mode_schema)]
    pub effective_sign_in_mode: String,
    pub effective_auto_answer: bool,
}

async fn me_of(state: &AppState, principal: &Principal) -> ApiResult<Me> {
    let user = state
        .store
        .user(principal.tenant_id, principal.user_id)
        .await?
        .ok_or_else(ApiError::unauthenticated)?;
    let params = state.store.tenant_params(principal.tenant_id).await?;
    Ok(Me {
        id: user.id.0,
        tenant: principal.tenant_name.to_string(),
        login: user.login.to_string(),
        real_name: user.real_name.to_string(),
        display_name: user.display_name.to_string(),
        chat_limit: user.chat_limit.get(),
        roles: user.roles.iter().map(|r| r.name.to_string()).collect(),
        permissions: principal
            .permissions
            .iter()
            .map(|p| p.code().to_owned())
            .collect(),
        must_change_password: principal.must_change_password,
        agent_params: user.agent_params.into(),
        effective_sign_in_mode: params
            .effective_sign_in_mode(&user.agent_params)
            .code()
            .to_owned(),
        effective_auto_answer: params.effective_auto_answer(&user.agent_params),
    })
}

fn invalid_credentials() -> ApiError {
    ApiError::client(
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
        "wrong tenant, login name or password",
    )
}

/// Checks the password; `None` for any failure, so all failures look alike.
async fn check_credentials(state: &AppState, req: &LoginRequest) -> ApiResult<Option<User>> {
    let (Ok(tenant), Ok(login), Some(attempt)) = (
        TenantName::parse(&req.tenant),
        LoginName::parse(&req.login),
        Password::attempt(&req.password),
    ) else {
        return Ok(None);
    };
    let creds = match state.store.tenant_by_name(&tenant).await? {
        Some(t) => state.store.credentials(t.id, &login).await?,
        None => None,
    };
    let hash = creds.as_ref().map_or_else(
        || crate::passwords::decoy_hash().to_owned(),
        |c| c.password_hash.clone(),
    );
    let matches = state.passwords.verify(hash, attempt).await?;
    Ok(creds.filter(|c| matches && c.user.active).map(|c| c.user))
}

/// Log in with tenant, login name and password; returns a bearer token.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Json<LoginResponse>> {
    let account = format!(
        "{}/{}",
        req.tenant.trim().to_lowercase(),
        req.login.trim().to_lowercase()
    );
    let limiter = &state.login_limiter;
    let now = state.clock.now_ms();
    if let Err(retry_after_s) = limiter.check(&account, client, now) {
        return Err(ApiError::RateLimited { retry_after_s });
    }
    let Some(user) = check_credentials(&state, &req).await? else {
        limiter.failed(&account, client, now);
        tracing::info!(account, peer = %client, "login failed");
        return Err(invalid_credentials());
    };
    limiter.succeeded(&account, client);
    let (token, token_hash) = auth::new_token();
    // Read again: checking the password took a while.
    let now = state.clock.now_ms();
    state
        .store
        .create_session(&NewSession {
            token_hash: token_hash.clone(),
            tenant_id: user.tenant_id,
            user_id: user.id,
            created_at: now,
            expires_at: now + state.session_ttl_ms,
        })
        .await?;
    let principal = state
        .store
        .principal(&token_hash, now)
        .await?
        .ok_or_else(|| anyhow::anyhow!("session vanished right after login"))?;
    tracing::info!(account, "login");
    Ok(Json(LoginResponse {
        token,
        must_change_password: user.must_change_password,
        user: me_of(&state, &principal).await?,
    }))
}

/// End this session; the token stops working at once.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn logout(State(state): State<AppState>, auth: PendingAuth) -> ApiResult<StatusCode> {
    state.store.delete_session(&auth.token_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    pub current_password: String,
    /// 8-128 characters, different from the current one.
    pub new_password: String,
}

/// Change my password (also the forced change at first login).
#[utoipa::path(post, path = "/api/v1/auth/password", tag = "auth", security(("bearer" = [])),
    request_body = ChangePassword,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn change_password(
    State(state): State<AppState>,
    auth: PendingAuth,
    ApiJson(req): ApiJson<ChangePassword>,
) -> ApiResult<StatusCode> {
    let p = &auth.principal;
    let new = Password::parse(&req.new_password)
        .map_err(|e| ApiError::invalid("new_password", e.message))?;
    if req.new_password == req.current_password {
        return Err(ApiError::invalid(
            "new_password",
            "must differ from the current password",
        ));
    }
    let user = state
        .store
        .user(p.tenant_id, p.user_id)
        .await?
        .ok_or_else(ApiError::unauthenticated)?;
    let creds = state
        .store
        .credentials(p.tenant_id, &user.login)
        .await?
        .ok_or_else(ApiError::unauthenticated)?;
    let current = Password::attempt(&req.current_password);
    let ok = match current {
        Some(current) => state.passwords.verify(creds.password_hash, current).await?,
        None => false,
    };
    if !ok {
        return Err(ApiError::invalid(
            "current_password",
            "the current password is wrong",
        ));
    }
    let hash = state.passwords.hash(new).await?;
    state
        .store
        .set_password(p.tenant_id, p.user_id, &hash, false, state.clock.now_ms())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who am I: profile, roles, permissions and effective parameters.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn me(State(state): State<AppState>, auth: PendingAuth) -> ApiResult<Json<Me>> {
    Ok(Json(me_of(&state, &auth.principal).await?))
}
