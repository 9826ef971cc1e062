//! Queues' targets and wallboard thresholds: the ones in force, and every change with its
//! time, so a wallboard rebuilt "as of" a past moment counts with the targets of then.

use sqlx::Row;
use switchboard_engine::{SkillQueueId, TenantId};
use uuid::Uuid;

use super::{Db, Store};
use crate::stats::{Levels, QueueTargetsRecord};
use crate::{Millis, Result, StorageError};

/// The targets' columns after `queue_id`, in [`targets_of`]'s order.
const COLUMNS: &str = "answer_within_s, service_level_goal, short_abandon_s, \
     waiting_warn, waiting_alarm, longest_wait_warn_s, longest_wait_alarm_s, \
     service_level_warn, service_level_alarm, abandon_rate_warn, abandon_rate_alarm";

fn corrupt() -> StorageError {
    StorageError::Corrupt("stored queue target cannot be read".into())
}

fn targets_of(row: &<Db as sqlx::Database>::Row) -> Result<QueueTargetsRecord> {
    let n = |i: usize| -> Result<u32> {
        u32::try_from(row.try_get::<i64, _>(i)?).map_err(|_| corrupt())
    };
    let opt = |i: usize| -> Result<Option<u32>> {
        row.try_get::<Option<i64>, _>(i)?
            .map(|v| u32::try_from(v).map_err(|_| corrupt()))
            .transpose()
    };
    let levels = |i: usize| -> Result<Levels> {
        Ok(Levels {
            warn: opt(i)?,
            alarm: opt(i + 1)?,
        })
    };
    Ok(QueueTargetsRecord {
        queue: SkillQueueId(row.try_get(0)?),
        answer_within_s: n(1)?,
        service_level_goal: n(2)?,
        short_abandon_s: n(3)?,
        waiting: levels(4)?,
        longest_wait_s: levels(6)?,
        service_level: levels(8)?,
        abandon_rate: levels(10)?,
    })
}

/// The targets every queue of the tenant has saved.
pub(super) async fn current(store: &Store, tenant: TenantId) -> Result<Vec<QueueTargetsRecord>> {
    let rows = sqlx::query(&format!(
        "SELECT queue_id, {COLUMNS} FROM queue_targets WHERE tenant_id = $1"
    ))
    .bind(tenant.0)
    .fetch_all(&store.reader)
    .await?;
    rows.iter().map(targets_of).collect()
}

/// Every change saved at or before `to`, oldest first.
pub(super) async fn changes(
    store: &Store,
    tenant: TenantId,
    to: Millis,
) -> Result<Vec<(Millis, QueueTargetsRecord)>> {
    let rows = sqlx::query(&format!(
        "SELECT queue_id, {COLUMNS}, at FROM queue_target_changes \
         WHERE tenant_id = $1 AND at <= $2 ORDER BY at, queue_id"
    ))
    .bind(tenant.0)
    .bind(to)
    .fetch_all(&store.reader)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(12)?, targets_of(r)?)))
        .collect()
}

/// Saves a queue's targets and the change, in one transaction; `NotFound` when the queue is
/// not the tenant's.
pub(super) async fn set(
    store: &Store,
    tenant: TenantId,
    t: &QueueTargetsRecord,
    now: Millis,
) -> Result<()> {
    let mut tx = store.writer.begin().await?;
    let known: Option<(Uuid,)> =
        sqlx::query_as("SELECT id FROM skill_queues WHERE tenant_id = $1 AND id = $2")
            .bind(tenant.0)
            .bind(t.queue.0)
            .fetch_optional(&mut *tx)
            .await?;
    if known.is_none() {
        return Err(StorageError::NotFound);
    }
    let updates: Vec<String> = COLUMNS
        .split(',')
        .map(|c| format!("{c} = excluded.{c}", c = c.trim()))
        .collect();
    for (table, stamp, key) in [
        ("queue_targets", "updated_at", "tenant_id, queue_id"),
        ("queue_target_changes", "at", "tenant_id, queue_id, at"),
    ] {
        let sql = format!(
            "INSERT INTO {table} (tenant_id, queue_id, {COLUMNS}, {stamp}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
             ON CONFLICT ({key}) DO UPDATE SET {}, {stamp} = excluded.{stamp}",
            updates.join(", ")
        );
        bind_targets(sqlx::query(&sql), tenant, t, now)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

type Query<'q> = sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments<'q>>;

fn bind_targets<'q>(
    q: Query<'q>,
    tenant: TenantId,
    t: &QueueTargetsRecord,
    now: Millis,
) -> Query<'q> {
    let opt = |v: Option<u32>| v.map(i64::from);
    q.bind(tenant.0)
        .bind(t.queue.0)
        .bind(i64::from(t.answer_within_s))
        .bind(i64::from(t.service_level_goal))
        .bind(i64::from(t.short_abandon_s))
        .bind(opt(t.waiting.warn))
        .bind(opt(t.waiting.alarm))
        .bind(opt(t.longest_wait_s.warn))
        .bind(opt(t.longest_wait_s.alarm))
        .bind(opt(t.service_level.warn))
        .bind(opt(t.service_level.alarm))
        .bind(opt(t.abandon_rate.warn))
        .bind(opt(t.abandon_rate.alarm))
        .bind(now)
}
