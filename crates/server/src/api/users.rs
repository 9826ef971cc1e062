//! Users (A2): list, create, edit, deactivate, reset password.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_engine::{
    AgentParams, ChatLimit, LoginName, Password, Permission, PersonName, RoleId, TenantId, UserId,
};
use switchboard_storage::{NewUser, Storage, User, UserPatch};
use utoipa::ToSchema;

use super::wire::{rfc3339, AgentParamsWire};
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::events::Audience;
use crate::extract::{ApiJson, IdPath};
use crate::passwords::Passwords;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct UserOut {
    pub id: uuid::Uuid,
    pub login: String,
    pub real_name: String,
    /// The name customers see (对外展示名).
    pub display_name: String,
    /// How many chats this agent may hold at once (在线接待上限).
    pub chat_limit: u32,
    pub roles: Vec<String>,
    pub active: bool,
    pub must_change_password: bool,
    pub agent_params: AgentParamsWire,
    pub created_at: String,
}

impl From<User> for UserOut {
    fn from(u: User) -> Self {
        Self {
            id: u.id.0,
            login: u.login.to_string(),
            real_name: u.real_name.to_string(),
            display_name: u.display_name.to_string(),
            chat_limit: u.chat_limit.get(),
            roles: u.roles.into_iter().map(|r| r.name.to_string()).collect(),
            active: u.active,
            must_change_password: u.must_change_password,
            agent_params: u.agent_params.into(),
            created_at: rfc3339(u.created_at),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    pub login: String,
    pub real_name: String,
    pub display_name: String,
    pub chat_limit: i64,
    /// Role names.
    #[serde(default)]
    pub roles: Vec<String>,
    /// The initial password; the user must change it at first login.
    pub password: String,
    pub agent_params: Option<AgentParamsWire>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct PatchUser {
    pub real_name: Option<String>,
    pub display_name: Option<String>,
    pub chat_limit: Option<i64>,
    pub roles: Option<Vec<String>>,
    pub active: Option<bool>,
    pub agent_params: Option<AgentParamsWire>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetPassword {
    /// The new initial password; the user must change it at next login.
    pub password: String,
}

/// Role names to ids, refusing unknown names.
pub async fn resolve_roles(
    store: &dyn Storage,
    tenant: TenantId,
    names: &[String],
) -> ApiResult<Vec<RoleId>> {
    let roles = store.roles(tenant).await?;
    names
        .iter()
        .map(|name| {
            roles
                .iter()
                .find(|r| r.name.as_str() == name.trim())
                .map(|r| r.id)
                .ok_or_else(|| ApiError::invalid("roles", format!("unknown role '{name}'")))
        })
        .collect()
}

/// A validated user, ready to be hashed and stored.
pub struct ValidUser {
    pub login: LoginName,
    pub real_name: PersonName,
    pub display_name: PersonName,
    pub chat_limit: ChatLimit,
    pub password: Password,
    pub agent_params: AgentParams,
}

impl ValidUser {
    pub fn parse(req: &CreateUser) -> Result<Self, switchboard_engine::ValidationError> {
        Ok(Self {
            login: LoginName::parse(&req.login)?,
            real_name: PersonName::parse(&req.real_name).map_err(|e| named("real_name", e))?,
            display_name: PersonName::parse(&req.display_name)
                .map_err(|e| named("display_name", e))?,
            chat_limit: ChatLimit::new(req.chat_limit)?,
            password: Password::parse(&req.password)?,
            agent_params: req
                .agent_params
                .as_ref()
                .map(AgentParamsWire::parse)
                .transpose()?
                .unwrap_or_default(),
        })
    }

    /// Hashes the password; initial passwords must be changed at first login.
    pub async fn into_new_user(
        self,
        role_ids: Vec<RoleId>,
        passwords: &Passwords,
    ) -> ApiResult<NewUser> {
        Ok(NewUser {
            login: self.login,
            real_name: self.real_name,
            display_name: self.display_name,
            chat_limit: self.chat_limit,
            role_ids,
            password_hash: passwords.hash(self.password).await?,
            must_change_password: true,
            agent_params: self.agent_params,
        })
    }
}

fn named(
    field: &'static str,
    e: switchboard_engine::ValidationError,
) -> switchboard_engine::ValidationError {
    switchboard_engine::ValidationError::new(field, e.message)
}

pub fn announce(state: &AppState, tenant: TenantId, user: &UserOut) {
    let payload = serde_json::json!({ "type": "user.updated", "user": user });
    state.events.publish(
        tenant,
        Audience::permission(Permission::ManageUsers),
        &payload,
    );
}

/// List the tenant's users.
#[utoipa::path(get, path = "/api/v1/users", operation_id = "users_list", tag = "users", security(("bearer" = ["users.manage"])),
    responses((status = 200, body = [UserOut]), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    p: Can<perm::ManageUsers>,
) -> ApiResult<Json<Vec<UserOut>>> {
    let users = state.store.users(p.tenant_id).await?;
    Ok(Json(users.into_iter().map(UserOut::from).collect()))
}

/// A colleague as anyone working contacts or tickets may see them: enough to show a name
/// and pick them as an assignee or cc.
#[derive(Serialize, ToSchema)]
pub struct Colleague {
    pub id: uuid::Uuid,
    pub login: String,
    pub display_name: String,
    pub active: bool,
}

/// Everyone's name, for agents and ticket workers (no other personal data).
#[utoipa::path(get, path = "/api/v1/users/directory", tag = "users", security(("bearer" = ["tickets.work"]), ("bearer" = ["agent.work"])),
    responses((status = 200, body = [Colleague]), (status = 403, body = ErrorBody)))]
pub async fn directory(
    State(state): State<AppState>,
    auth: crate::auth::Auth,
) -> ApiResult<Json<Vec<Colleague>>> {
    use switchboard_engine::Permission;
    if !auth.0.may(Permission::TicketWork) {
        auth.require(Permission::AgentWork)?;
    }
    let users = state.store.users(auth.0.tenant_id).await?;
    Ok(Json(
        users
            .into_iter()
            .map(|u| Colleague {
                id: u.id.0,
                login: u.login.as_str().to_owned(),
                display_name: u.display_name.as_str().to_owned(),
                active: u.active,
            })
            .collect(),
    ))
}

/// Create a user with an initial password.
#[utoipa::path(post, path = "/api/v1/users", operation_id = "users_create", tag = "users", security(("bearer" = ["users.manage"])), request_body = CreateUser,
    responses((status = 201, body = UserOut), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    p: Can<perm::ManageUsers>,
    ApiJson(req): ApiJson<CreateUser>,
) -> ApiResult<(StatusCode, Json<UserOut>)> {
    let valid = ValidUser::parse(&req)?;
    let role_ids = resolve_roles(state.store.as_ref(), p.tenant_id, &req.roles).await?;
    let new = valid.into_new_user(role_ids, &state.passwords).await?;
    let mut created = state
        .store
        .create_users(p.tenant_id, &[new], state.clock.now_ms())
        .await
        .map_err(ApiError::on_conflict(
            "login",
            "this login name is already taken",
        ))?;
    let created = created.remove(0);
    super::sync::user(&state, p.tenant_id, &created).await?;
    let user = UserOut::from(created);
    announce(&state, p.tenant_id, &user);
    Ok((StatusCode::CREATED, Json(user)))
}

/// One user.
#[utoipa::path(get, path = "/api/v1/users/{id}", operation_id = "users_get", tag = "users", security(("bearer" = ["users.manage"])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = UserOut), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    p: Can<perm::ManageUsers>,
    IdPath(id): IdPath,
) -> ApiResult<Json<UserOut>> {
    let user = state
        .store
        .user(p.tenant_id, UserId(id))
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(user.into()))
}

/// Change a user's profile, roles, activity or agent parameters.
#[utoipa::path(patch, path = "/api/v1/users/{id}", operation_id = "users_update", tag = "users", security(("bearer" = ["users.manage"])),
    params(("id" = uuid::Uuid, Path)), request_body = PatchUser,
    responses((status = 200, body = UserOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    p: Can<perm::ManageUsers>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<PatchUser>,
) -> ApiResult<Json<UserOut>> {
    let id = UserId(id);
    if id == p.user_id && req.active == Some(false) {
        return Err(ApiError::invalid(
            "active",
            "you cannot deactivate your own account",
        ));
    }
    let text = |field, v: &Option<String>| {
        v.as_deref()
            .map(PersonName::parse)
            .transpose()
            .map_err(|e| ApiError::invalid(field, e.message))
    };
    let patch = UserPatch {
        real_name: text("real_name", &req.real_name)?,
        display_name: text("display_name", &req.display_name)?,
        chat_limit: req.chat_limit.map(ChatLimit::new).transpose()?,
        role_ids: match &req.roles {
            Some(names) => Some(resolve_roles(state.store.as_ref(), p.tenant_id, names).await?),
            None => None,
        },
        active: req.active,
        agent_params: req
            .agent_params
            .as_ref()
            .map(AgentParamsWire::parse)
            .transpose()?,
    };
    let updated = state
        .store
        .update_user(p.tenant_id, id, &patch, state.clock.now_ms())
        .await?;
    super::sync::user(&state, p.tenant_id, &updated).await?;
    let user = UserOut::from(updated);
    announce(&state, p.tenant_id, &user);
    Ok(Json(user))
}

/// Deactivate a user: they can no longer log in and their sessions end. History stays.
#[utoipa::path(delete, path = "/api/v1/users/{id}", tag = "users", security(("bearer" = ["users.manage"])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn deactivate(
    State(state): State<AppState>,
    p: Can<perm::ManageUsers>,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    if UserId(id) == p.user_id {
        return Err(ApiError::invalid(
            "id",
            "you cannot deactivate your own account",
        ));
    }
    let patch = UserPatch {
        active: Some(false),
        ..UserPatch::default()
    };
    let updated = state
        .store
        .update_user(p.tenant_id, UserId(id), &patch, state.clock.now_ms())
        .await?;
    super::sync::user(&state, p.tenant_id, &updated).await?;
    announce(&state, p.tenant_id, &UserOut::from(updated));
    Ok(StatusCode::NO_CONTENT)
}

/// Set a new initial password; the user must change it at next login. Ends their sessions.
#[utoipa::path(post, path = "/api/v1/users/{id}/password", tag = "users", security(("bearer" = ["users.manage"])),
    params(("id" = uuid::Uuid, Path)), request_body = ResetPassword,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn reset_password(
    State(state): State<AppState>,
    p: Can<perm::ManageUsers>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<ResetPassword>,
) -> ApiResult<StatusCode> {
    let password = Password::parse(&req.password)?;
    let id = UserId(id);
    state
        .store
        .user(p.tenant_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let hash = state.passwords.hash(password).await?;
    state
        .store
        .set_password(p.tenant_id, id, &hash, true, state.clock.now_ms())
        .await?;
    state.store.delete_user_sessions(p.tenant_id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
