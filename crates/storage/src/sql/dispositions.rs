//! A tenant's disposition codes (处理结果), read and replaced as one ordered list.

use switchboard_engine::TenantId;

use super::Store;
use crate::{DispositionCode, Result};

pub(super) async fn disposition_codes(
    store: &Store,
    tenant: TenantId,
) -> Result<Vec<DispositionCode>> {
    let rows: Vec<(String, String, bool)> = sqlx::query_as(
        "SELECT code, label, retired FROM disposition_codes WHERE tenant_id = $1 ORDER BY position",
    )
    .bind(tenant.0)
    .fetch_all(&store.reader)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(code, label, retired)| DispositionCode {
            code,
            label,
            retired,
        })
        .collect())
}

/// Replaces the list in one transaction (the server keeps every stored code in it).
pub(super) async fn set_disposition_codes(
    store: &Store,
    tenant: TenantId,
    codes: &[DispositionCode],
) -> Result<()> {
    let mut tx = store.writer.begin().await?;
    sqlx::query("DELETE FROM disposition_codes WHERE tenant_id = $1")
        .bind(tenant.0)
        .execute(&mut *tx)
        .await?;
    for (position, c) in codes.iter().enumerate() {
        sqlx::query(
            "INSERT INTO disposition_codes (tenant_id, code, label, retired, position) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(tenant.0)
        .bind(&c.code)
        .bind(&c.label)
        .bind(c.retired)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
