//! Roles and permissions (A4).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_engine::{BuiltinRole, Permission, RoleId, RoleName};
use switchboard_storage::Role;
use utoipa::ToSchema;

use crate::auth::{perm, Auth, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, IdPath};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct PermissionOut {
    pub code: String,
    pub description: String,
}

#[derive(Serialize, ToSchema)]
pub struct RoleOut {
    pub id: uuid::Uuid,
    pub name: String,
    /// Built-in roles (admin, supervisor, agent) cannot be deleted; admin cannot be changed.
    pub builtin: bool,
    pub permissions: Vec<String>,
}

impl From<Role> for RoleOut {
    fn from(r: Role) -> Self {
        Self {
            id: r.id.0,
            name: r.name.to_string(),
            builtin: r.builtin,
            permissions: r.permissions.iter().map(|p| p.code().to_owned()).collect(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRole {
    pub name: String,
    pub permissions: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchRole {
    pub name: Option<String>,
    pub permissions: Option<Vec<String>>,
}

fn parse_permissions(codes: &[String]) -> ApiResult<Vec<Permission>> {
    codes
        .iter()
        .map(|c| {
            Permission::from_code(c).ok_or_else(|| {
                ApiError::invalid("permissions", format!("unknown permission '{c}'"))
            })
        })
        .collect()
}

fn is_admin_role(role: &Role) -> bool {
    role.builtin && role.name.as_str() == BuiltinRole::Admin.name()
}

/// Every permission a role can hold.
#[utoipa::path(get, path = "/api/v1/permissions", tag = "roles", security(("bearer" = ["roles.manage"])),
    responses((status = 200, body = [PermissionOut])))]
pub async fn permissions(_p: Can<perm::ManageRoles>) -> ApiResult<Json<Vec<PermissionOut>>> {
    Ok(Json(
        Permission::ALL
            .iter()
            .map(|p| PermissionOut {
                code: p.code().into(),
                description: p.description().into(),
            })
            .collect(),
    ))
}

/// The tenant's roles.
#[utoipa::path(get, path = "/api/v1/roles", operation_id = "roles_list", tag = "roles", security(("bearer" = ["roles.manage"]), ("bearer" = ["users.manage"])),
    responses((status = 200, body = [RoleOut]), (status = 403, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<RoleOut>>> {
    // Whoever manages users must be able to pick roles, too.
    let p = if auth.0.may(Permission::ManageUsers) {
        &auth.0
    } else {
        auth.require(Permission::ManageRoles)?
    };
    let roles = state.store.roles(p.tenant_id).await?;
    Ok(Json(roles.into_iter().map(RoleOut::from).collect()))
}

/// Create a custom role.
#[utoipa::path(post, path = "/api/v1/roles", operation_id = "roles_create", tag = "roles", security(("bearer" = ["roles.manage"])), request_body = CreateRole,
    responses((status = 201, body = RoleOut), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    p: Can<perm::ManageRoles>,
    ApiJson(req): ApiJson<CreateRole>,
) -> ApiResult<(StatusCode, Json<RoleOut>)> {
    let name = RoleName::parse(&req.name)?;
    let permissions = parse_permissions(&req.permissions)?;
    let role = state
        .store
        .create_role(p.tenant_id, &name, &permissions)
        .await
        .map_err(ApiError::on_conflict(
            "name",
            "a role with this name exists",
        ))?;
    Ok((StatusCode::CREATED, Json(role.into())))
}

/// Rename a role or change its permissions. The built-in admin role is fixed.
#[utoipa::path(patch, path = "/api/v1/roles/{id}", operation_id = "roles_update", tag = "roles", security(("bearer" = ["roles.manage"])),
    params(("id" = uuid::Uuid, Path)), request_body = PatchRole,
    responses((status = 200, body = RoleOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    p: Can<perm::ManageRoles>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<PatchRole>,
) -> ApiResult<Json<RoleOut>> {
    let id = RoleId(id);
    let role = state
        .store
        .role(p.tenant_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if is_admin_role(&role) {
        return Err(ApiError::conflict(
            "the built-in admin role always holds every permission",
        ));
    }
    if role.builtin && req.name.is_some() {
        return Err(ApiError::invalid("name", "built-in roles keep their names"));
    }
    let name = req.name.as_deref().map(RoleName::parse).transpose()?;
    let permissions = req
        .permissions
        .as_deref()
        .map(parse_permissions)
        .transpose()?;
    let role = state
        .store
        .update_role(p.tenant_id, id, name.as_ref(), permissions.as_deref())
        .await
        .map_err(ApiError::on_conflict(
            "name",
            "a role with this name exists",
        ))?;
    Ok(Json(role.into()))
}

/// Delete a custom role that no user holds.
#[utoipa::path(delete, path = "/api/v1/roles/{id}", operation_id = "roles_delete", tag = "roles", security(("bearer" = ["roles.manage"])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    p: Can<perm::ManageRoles>,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    let id = RoleId(id);
    let role = state
        .store
        .role(p.tenant_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if role.builtin {
        return Err(ApiError::conflict("built-in roles cannot be deleted"));
    }
    state
        .store
        .delete_role(p.tenant_id, id)
        .await
        .map_err(|e| match e {
            switchboard_storage::StorageError::Reference(_) => {
                ApiError::conflict("users still hold this role; take it from them first")
            }
            other => other.into(),
        })?;
    Ok(StatusCode::NO_CONTENT)
}
