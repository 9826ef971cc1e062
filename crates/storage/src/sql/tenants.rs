//! Tenants: creating one with its built-in roles, finding them, and their routing parameters
//! and time zone.

use switchboard_engine::{BuiltinRole, RoleId, TenantId, TenantName, TenantParams, TenantZone};

use super::{roles, Store, Tx};
use crate::rows::{stored_zone, ParamsRow, TenantRow};
use crate::{Millis, Result, Tenant};

pub(super) async fn create_tenant(
    store: &Store,
    name: &TenantName,
    display_name: &str,
    now: Millis,
) -> Result<Tenant> {
    let id = TenantId::new();
    let params = TenantParams::default();
    let mut tx = store.writer.begin().await?;
    sqlx::query("INSERT INTO tenants (id, name, display_name, created_at) VALUES ($1, $2, $3, $4)")
        .bind(id.0)
        .bind(name.as_str())
        .bind(display_name)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    write_params(&mut tx, id, &params).await?;
    for builtin in BuiltinRole::ALL {
        let role = RoleId::new();
        sqlx::query("INSERT INTO roles (tenant_id, id, name, builtin) VALUES ($1, $2, $3, TRUE)")
            .bind(id.0)
            .bind(role.0)
            .bind(builtin.name())
            .execute(&mut *tx)
            .await?;
        roles::insert_role_permissions(&mut tx, id, role.0, &builtin.default_permissions()).await?;
    }
    tx.commit().await?;
    Ok(Tenant {
        id,
        name: name.clone(),
        display_name: display_name.to_owned(),
        created_at: now,
    })
}

pub(super) async fn tenant_by_name(store: &Store, name: &TenantName) -> Result<Option<Tenant>> {
    let row: Option<TenantRow> =
        sqlx::query_as("SELECT id, name, display_name, created_at FROM tenants WHERE name = $1")
            .bind(name.as_str())
            .fetch_optional(&store.reader)
            .await?;
    row.map(Tenant::try_from).transpose()
}

pub(super) async fn tenants(store: &Store) -> Result<Vec<Tenant>> {
    let rows: Vec<TenantRow> =
        sqlx::query_as("SELECT id, name, display_name, created_at FROM tenants ORDER BY name")
            .fetch_all(&store.reader)
            .await?;
    rows.into_iter().map(Tenant::try_from).collect()
}

pub(super) async fn tenant_params(store: &Store, tenant: TenantId) -> Result<TenantParams> {
    let row: ParamsRow = sqlx::query_as(
        "SELECT post_sign_in_state, sign_in_mode, auto_answer, wrap_up_limit_s, \
         summary_required, offer_timeout_s, no_answer_limit, chat_during_call, \
         task_limit, familiar_wait_s, recall_limit_s FROM tenant_params WHERE tenant_id = $1",
    )
    .bind(tenant.0)
    .fetch_one(&store.reader)
    .await?;
    row.try_into()
}

pub(super) async fn set_tenant_params(
    store: &Store,
    tenant: TenantId,
    params: &TenantParams,
    zone: &TenantZone,
) -> Result<()> {
    let mut tx = store.writer.begin().await?;
    write_params(&mut tx, tenant, params).await?;
    let was: String = sqlx::query_scalar("SELECT time_zone FROM tenants WHERE id = $1")
        .bind(tenant.0)
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query("UPDATE tenants SET time_zone = $2 WHERE id = $1")
        .bind(tenant.0)
        .bind(zone.name())
        .execute(&mut *tx)
        .await?;
    // Days are days of the zone: a new zone regroups them (the row lock just taken keeps
    // the engine's writes of days in the old zone out until this commits).
    if was != zone.name() {
        super::stats::rebuild_days(&mut tx, tenant, zone).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub(super) async fn tenant_zone(store: &Store, tenant: TenantId) -> Result<TenantZone> {
    let name: String = sqlx::query_scalar("SELECT time_zone FROM tenants WHERE id = $1")
        .bind(tenant.0)
        .fetch_one(&store.reader)
        .await?;
    stored_zone(&name)
}

/// Inserts or replaces a tenant's parameters.
async fn write_params(tx: &mut Tx<'_>, tenant: TenantId, p: &TenantParams) -> Result<()> {
    sqlx::query(
        "INSERT INTO tenant_params (tenant_id, post_sign_in_state, sign_in_mode, auto_answer, \
         wrap_up_limit_s, summary_required, offer_timeout_s, no_answer_limit, chat_during_call, \
         task_limit, familiar_wait_s, recall_limit_s) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (tenant_id) DO UPDATE SET \
         post_sign_in_state = excluded.post_sign_in_state, sign_in_mode = excluded.sign_in_mode, \
         auto_answer = excluded.auto_answer, wrap_up_limit_s = excluded.wrap_up_limit_s, \
         summary_required = excluded.summary_required, offer_timeout_s = excluded.offer_timeout_s, \
         no_answer_limit = excluded.no_answer_limit, chat_during_call = excluded.chat_during_call, \
         task_limit = excluded.task_limit, familiar_wait_s = excluded.familiar_wait_s, \
         recall_limit_s = excluded.recall_limit_s",
    )
    .bind(tenant.0)
    .bind(p.post_sign_in_state.code())
    .bind(p.sign_in_mode.code())
    .bind(p.auto_answer)
    .bind(i64::from(p.wrap_up_limit.get()))
    .bind(p.summary_required)
    .bind(i64::from(p.offer_timeout.get()))
    .bind(i64::from(p.no_answer_limit.get()))
    .bind(p.chat_during_call)
    .bind(i64::from(p.task_limit.get()))
    .bind(i64::from(p.familiar_wait.get()))
    .bind(i64::from(p.recall_limit.get()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}
