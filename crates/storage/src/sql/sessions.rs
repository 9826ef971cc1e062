//! Sign-in sessions, kept by the hash of their token, and the principal behind one.

use switchboard_engine::{BuiltinRole, Permission, TenantId, TenantName, UserId};
use uuid::Uuid;

use super::Store;
use crate::rows::{corrupt, stored_zone, PrincipalRow};
use crate::{Millis, NewSession, Principal, Result};

/// Expired sessions are swept here, where sessions are written anyway.
pub(super) async fn create_session(store: &Store, s: &NewSession) -> Result<()> {
    let mut tx = store.writer.begin().await?;
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(s.created_at)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO sessions (token_hash, tenant_id, user_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&s.token_hash)
    .bind(s.tenant_id.0)
    .bind(s.user_id.0)
    .bind(s.created_at)
    .bind(s.expires_at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn principal(
    store: &Store,
    token_hash: &str,
    now: Millis,
) -> Result<Option<Principal>> {
    let row: Option<PrincipalRow> = sqlx::query_as(
        "SELECT s.tenant_id, t.name AS tenant_name, t.time_zone, s.user_id, u.must_change_password \
         FROM sessions s \
         JOIN users u ON u.id = s.user_id AND u.tenant_id = s.tenant_id \
         JOIN tenants t ON t.id = s.tenant_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&store.reader)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let permissions = permissions_of(store, row.tenant_id, row.user_id).await?;
    Ok(Some(Principal {
        tenant_id: TenantId(row.tenant_id),
        tenant_name: TenantName::parse(&row.tenant_name).map_err(corrupt)?,
        zone: stored_zone(&row.time_zone)?,
        user_id: UserId(row.user_id),
        must_change_password: row.must_change_password,
        permissions,
    }))
}

pub(super) async fn delete_session(store: &Store, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&store.writer)
        .await?;
    Ok(())
}

pub(super) async fn delete_user_sessions(
    store: &Store,
    tenant: TenantId,
    user: UserId,
) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2")
        .bind(tenant.0)
        .bind(user.0)
        .execute(&store.writer)
        .await?;
    Ok(())
}

/// What the user's roles allow, sorted.
async fn permissions_of(store: &Store, tenant: Uuid, user: Uuid) -> Result<Vec<Permission>> {
    let codes: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT rp.permission FROM user_roles ur \
         JOIN role_permissions rp ON rp.role_id = ur.role_id AND rp.tenant_id = ur.tenant_id \
         WHERE ur.tenant_id = $1 AND ur.user_id = $2",
    )
    .bind(tenant)
    .bind(user)
    .fetch_all(&store.reader)
    .await?;
    let admin: Option<(Uuid,)> = sqlx::query_as(
        "SELECT r.id FROM user_roles ur \
         JOIN roles r ON r.id = ur.role_id AND r.tenant_id = ur.tenant_id \
         WHERE ur.tenant_id = $1 AND ur.user_id = $2 AND r.builtin AND r.name = $3",
    )
    .bind(tenant)
    .bind(user)
    .bind(BuiltinRole::Admin.name())
    .fetch_optional(&store.reader)
    .await?;
    // The built-in admin holds every permission, including ones added later.
    let mut permissions: Vec<Permission> = if admin.is_some() {
        Permission::ALL.to_vec()
    } else {
        codes
            .iter()
            .filter_map(|(c,)| Permission::from_code(c))
            .collect()
    };
    permissions.sort();
    Ok(permissions)
}
