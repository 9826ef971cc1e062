//! Roles and their permissions. The built-in admin role holds every permission whatever its
//! rows say, so permissions added in later versions reach it without a migration.

use switchboard_engine::{BuiltinRole, Permission, RoleId, RoleName, TenantId};
use uuid::Uuid;

use super::{delete_owned, found, Store, Tx};
use crate::rows::{corrupt, RolePermissionRow, RoleRow};
use crate::{Result, Role, StorageError};

pub(super) async fn roles(store: &Store, tenant: TenantId) -> Result<Vec<Role>> {
    let rows: Vec<RoleRow> = sqlx::query_as(
        "SELECT id, name, builtin FROM roles WHERE tenant_id = $1 ORDER BY builtin DESC, name",
    )
    .bind(tenant.0)
    .fetch_all(&store.reader)
    .await?;
    let perms: Vec<RolePermissionRow> =
        sqlx::query_as("SELECT role_id, permission FROM role_permissions WHERE tenant_id = $1")
            .bind(tenant.0)
            .fetch_all(&store.reader)
            .await?;
    rows.into_iter()
        .map(|r| {
            let mut permissions: Vec<Permission> =
                if r.builtin && r.name == BuiltinRole::Admin.name() {
                    Permission::ALL.to_vec()
                } else {
                    perms
                        .iter()
                        .filter(|p| p.role_id == r.id)
                        .filter_map(|p| Permission::from_code(&p.permission))
                        .collect()
                };
            permissions.sort();
            Ok(Role {
                id: RoleId(r.id),
                name: RoleName::parse(&r.name).map_err(corrupt)?,
                builtin: r.builtin,
                permissions,
            })
        })
        .collect()
}

pub(super) async fn role(store: &Store, tenant: TenantId, id: RoleId) -> Result<Option<Role>> {
    Ok(roles(store, tenant).await?.into_iter().find(|r| r.id == id))
}

pub(super) async fn create_role(
    store: &Store,
    tenant: TenantId,
    name: &RoleName,
    permissions: &[Permission],
) -> Result<Role> {
    let id = RoleId::new();
    let mut tx = store.writer.begin().await?;
    sqlx::query("INSERT INTO roles (tenant_id, id, name, builtin) VALUES ($1, $2, $3, FALSE)")
        .bind(tenant.0)
        .bind(id.0)
        .bind(name.as_str())
        .execute(&mut *tx)
        .await?;
    insert_role_permissions(&mut tx, tenant, id.0, permissions).await?;
    tx.commit().await?;
    required_role(store, tenant, id).await
}

pub(super) async fn update_role(
    store: &Store,
    tenant: TenantId,
    id: RoleId,
    name: Option<&RoleName>,
    permissions: Option<&[Permission]>,
) -> Result<Role> {
    let mut tx = store.writer.begin().await?;
    let done =
        sqlx::query("UPDATE roles SET name = COALESCE($3, name) WHERE tenant_id = $1 AND id = $2")
            .bind(tenant.0)
            .bind(id.0)
            .bind(name.map(|n| n.as_str()))
            .execute(&mut *tx)
            .await?;
    found(done.rows_affected())?;
    if let Some(permissions) = permissions {
        sqlx::query("DELETE FROM role_permissions WHERE tenant_id = $1 AND role_id = $2")
            .bind(tenant.0)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        insert_role_permissions(&mut tx, tenant, id.0, permissions).await?;
    }
    tx.commit().await?;
    required_role(store, tenant, id).await
}

pub(super) async fn delete_role(store: &Store, tenant: TenantId, id: RoleId) -> Result<()> {
    delete_owned(store, "roles", tenant, id.0).await
}

/// Also run for the built-in roles of a new tenant (`tenants::create_tenant`).
pub(super) async fn insert_role_permissions(
    tx: &mut Tx<'_>,
    tenant: TenantId,
    role: Uuid,
    permissions: &[Permission],
) -> Result<()> {
    for p in permissions {
        sqlx::query(
            "INSERT INTO role_permissions (tenant_id, role_id, permission) \
             VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(tenant.0)
        .bind(role)
        .bind(p.code())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn required_role(store: &Store, tenant: TenantId, id: RoleId) -> Result<Role> {
    role(store, tenant, id).await?.ok_or(StorageError::NotFound)
}
