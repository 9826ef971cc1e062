//! Users: creating them in bulk, reading them with their roles, changing them and their
//! passwords.

use std::collections::HashMap;

use switchboard_engine::{LoginName, RoleId, TenantId, UserId};
use uuid::Uuid;

use super::{found, Store, Tx};
use crate::rows::{roles_by_user, UserRoleRow, UserRow};
use crate::{Credentials, Millis, NewUser, Result, RoleRef, StorageError, User, UserPatch};

const USER_COLUMNS: &str = "SELECT id, tenant_id, login, real_name, display_name, chat_limit, \
    active, must_change_password, sign_in_mode, auto_answer, created_at, password_hash FROM users";

pub(super) async fn create_users(
    store: &Store,
    tenant: TenantId,
    users: &[NewUser],
    now: Millis,
) -> Result<Vec<User>> {
    let mut tx = store.writer.begin().await?;
    let mut ids = Vec::with_capacity(users.len());
    for u in users {
        let id = UserId::new();
        sqlx::query(
            "INSERT INTO users (tenant_id, id, login, real_name, display_name, chat_limit, \
             password_hash, must_change_password, active, sign_in_mode, auto_answer, \
             created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, TRUE, $9, $10, $11, $11)",
        )
        .bind(tenant.0)
        .bind(id.0)
        .bind(u.login.as_str())
        .bind(u.real_name.as_str())
        .bind(u.display_name.as_str())
        .bind(i64::from(u.chat_limit.get()))
        .bind(&u.password_hash)
        .bind(u.must_change_password)
        .bind(u.agent_params.sign_in_mode.code())
        .bind(u.agent_params.auto_answer)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        insert_user_roles(&mut tx, tenant, id.0, &u.role_ids).await?;
        ids.push(id);
    }
    tx.commit().await?;
    let mut created = Vec::with_capacity(ids.len());
    for id in ids {
        created.push(required_user(store, tenant, id).await?);
    }
    Ok(created)
}

pub(super) async fn user(store: &Store, tenant: TenantId, id: UserId) -> Result<Option<User>> {
    let row: Option<UserRow> =
        sqlx::query_as(&format!("{USER_COLUMNS} WHERE tenant_id = $1 AND id = $2"))
            .bind(tenant.0)
            .bind(id.0)
            .fetch_optional(&store.reader)
            .await?;
    let Some(row) = row else { return Ok(None) };
    let mut roles = user_roles(store, tenant, Some(id)).await?;
    row.into_user(roles.remove(&id.0).unwrap_or_default())
        .map(Some)
}

pub(super) async fn users(store: &Store, tenant: TenantId) -> Result<Vec<User>> {
    let rows: Vec<UserRow> = sqlx::query_as(&format!(
        "{USER_COLUMNS} WHERE tenant_id = $1 ORDER BY login"
    ))
    .bind(tenant.0)
    .fetch_all(&store.reader)
    .await?;
    let mut roles = user_roles(store, tenant, None).await?;
    rows.into_iter()
        .map(|r| {
            let own = roles.remove(&r.id).unwrap_or_default();
            r.into_user(own)
        })
        .collect()
}

pub(super) async fn credentials(
    store: &Store,
    tenant: TenantId,
    login: &LoginName,
) -> Result<Option<Credentials>> {
    let row: Option<UserRow> = sqlx::query_as(&format!(
        "{USER_COLUMNS} WHERE tenant_id = $1 AND login = $2"
    ))
    .bind(tenant.0)
    .bind(login.as_str())
    .fetch_optional(&store.reader)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let password_hash = row.password_hash.clone();
    let id = row.id;
    let mut roles = user_roles(store, tenant, Some(UserId(id))).await?;
    let user = row.into_user(roles.remove(&id).unwrap_or_default())?;
    Ok(Some(Credentials {
        user,
        password_hash,
    }))
}

pub(super) async fn update_user(
    store: &Store,
    tenant: TenantId,
    id: UserId,
    patch: &UserPatch,
    now: Millis,
) -> Result<User> {
    let mut tx = store.writer.begin().await?;
    let done = sqlx::query(
        "UPDATE users SET real_name = COALESCE($3, real_name), \
         display_name = COALESCE($4, display_name), chat_limit = COALESCE($5, chat_limit), \
         active = COALESCE($6, active), sign_in_mode = COALESCE($7, sign_in_mode), \
         auto_answer = COALESCE($8, auto_answer), updated_at = $9 \
         WHERE tenant_id = $1 AND id = $2",
    )
    .bind(tenant.0)
    .bind(id.0)
    .bind(patch.real_name.as_ref().map(|n| n.as_str()))
    .bind(patch.display_name.as_ref().map(|n| n.as_str()))
    .bind(patch.chat_limit.map(|c| i64::from(c.get())))
    .bind(patch.active)
    .bind(patch.agent_params.map(|p| p.sign_in_mode.code()))
    .bind(patch.agent_params.map(|p| p.auto_answer))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    found(done.rows_affected())?;
    if let Some(role_ids) = &patch.role_ids {
        sqlx::query("DELETE FROM user_roles WHERE tenant_id = $1 AND user_id = $2")
            .bind(tenant.0)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        insert_user_roles(&mut tx, tenant, id.0, role_ids).await?;
    }
    if patch.active == Some(false) {
        sqlx::query("DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2")
            .bind(tenant.0)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    required_user(store, tenant, id).await
}

pub(super) async fn set_password(
    store: &Store,
    tenant: TenantId,
    id: UserId,
    hash: &str,
    must_change: bool,
    now: Millis,
) -> Result<()> {
    let mut tx = store.writer.begin().await?;
    let done = sqlx::query(
        "UPDATE users SET password_hash = $3, must_change_password = $4, updated_at = $5 \
         WHERE tenant_id = $1 AND id = $2",
    )
    .bind(tenant.0)
    .bind(id.0)
    .bind(hash)
    .bind(must_change)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    found(done.rows_affected())?;
    tx.commit().await?;
    Ok(())
}

/// The roles of one user, or of all the tenant's users, by user id.
async fn user_roles(
    store: &Store,
    tenant: TenantId,
    user: Option<UserId>,
) -> Result<HashMap<Uuid, Vec<RoleRef>>> {
    let rows: Vec<UserRoleRow> = sqlx::query_as(
        "SELECT ur.user_id, r.id AS role_id, r.name FROM user_roles ur \
         JOIN roles r ON r.id = ur.role_id AND r.tenant_id = ur.tenant_id \
         WHERE ur.tenant_id = $1 AND ($2 IS NULL OR ur.user_id = $2) ORDER BY r.name",
    )
    .bind(tenant.0)
    .bind(user.map(|u| u.0))
    .fetch_all(&store.reader)
    .await?;
    roles_by_user(rows)
}

async fn insert_user_roles(
    tx: &mut Tx<'_>,
    tenant: TenantId,
    user: Uuid,
    roles: &[RoleId],
) -> Result<()> {
    for role in roles {
        sqlx::query(
            "INSERT INTO user_roles (tenant_id, user_id, role_id) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(tenant.0)
        .bind(user)
        .bind(role.0)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn required_user(store: &Store, tenant: TenantId, id: UserId) -> Result<User> {
    user(store, tenant, id).await?.ok_or(StorageError::NotFound)
}
