//! Ticket figures: created, assigned, completed and backlog by type and group, and created
//! and completed per local day.

use switchboard_engine::{SkillQueueId, TenantId, TicketTypeId};
use uuid::Uuid;

use super::{Db, Store};
use crate::tickets::{StatCounts, StatsRange, TicketStats};
use crate::Result;

/// The local day (days since 1970-01-01) of `column`'s time: shifted by the offset in
/// force then, which changes at summer time.
fn push_local_day(b: &mut sqlx::QueryBuilder<'_, Db>, column: &str, offsets: &[(i64, i32)]) {
    let ms = |min: i32| i64::from(min) * 60_000;
    let first = ms(offsets.first().map_or(0, |o| o.1));
    if offsets.len() < 2 {
        b.push(format!("({column} + "))
            .push_bind(first)
            .push(") / 86400000");
        return;
    }
    b.push(format!("({column} + CASE"));
    for (since, min) in offsets.iter().skip(1).rev() {
        b.push(format!(" WHEN {column} >= "))
            .push_bind(*since)
            .push(" THEN ")
            .push_bind(ms(*min));
    }
    b.push(" ELSE ").push_bind(first).push(" END) / 86400000");
}

pub(super) async fn ticket_stats(
    store: &Store,
    tenant: TenantId,
    r: &StatsRange,
) -> Result<TicketStats> {
    let mut stats = by_type_and_group(&store.reader, tenant, r).await?;
    stats.by_day = by_day(&store.reader, tenant, r).await?;
    Ok(stats)
}

/// The totals, and the counts by type and by group.
async fn by_type_and_group(
    db: &sqlx::Pool<Db>,
    tenant: TenantId,
    r: &StatsRange,
) -> Result<TicketStats> {
    // created, assigned, completed, backlog per type and group, in one pass.
    let rows: Vec<(Uuid, Option<Uuid>, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT type_id, group_id, \
           SUM(CASE WHEN created_at >= $2 AND created_at < $3 THEN 1 ELSE 0 END), \
           SUM(CASE WHEN created_at >= $2 AND created_at < $3 AND assignee_id IS NOT NULL THEN 1 ELSE 0 END), \
           SUM(CASE WHEN closed_at >= $2 AND closed_at < $3 THEN 1 ELSE 0 END), \
           SUM(CASE WHEN closed_at IS NULL THEN 1 ELSE 0 END) \
         FROM tickets WHERE tenant_id = $1 AND ($4 IS NULL OR type_id = $4) AND ($5 IS NULL OR group_id = $5) \
         GROUP BY type_id, group_id",
    )
    .bind(tenant.0)
    .bind(r.from)
    .bind(r.to)
    .bind(r.type_id.map(|x| x.0))
    .bind(r.group.map(|x| x.0))
    .fetch_all(db)
    .await?;
    let mut stats = TicketStats::default();
    for (type_id, group, created, assigned, completed, backlog) in rows {
        let counts = StatCounts {
            created,
            assigned,
            completed,
            backlog,
        };
        add(&mut stats.totals, counts);
        add(entry(&mut stats.by_type, TicketTypeId(type_id)), counts);
        add(entry(&mut stats.by_group, group.map(SkillQueueId)), counts);
    }
    Ok(stats)
}

/// `(day, created, completed)` for each local day with either.
async fn by_day(
    db: &sqlx::Pool<Db>,
    tenant: TenantId,
    r: &StatsRange,
) -> Result<Vec<(i64, i64, i64)>> {
    let per_day = |column: &'static str| {
        let mut b = sqlx::QueryBuilder::<Db>::new("SELECT ");
        push_local_day(&mut b, column, &r.offsets);
        b.push(", COUNT(*) FROM tickets WHERE tenant_id = ")
            .push_bind(tenant.0);
        b.push(format!(" AND {column} >= ")).push_bind(r.from);
        b.push(format!(" AND {column} < ")).push_bind(r.to);
        if let Some(t) = r.type_id {
            b.push(" AND type_id = ").push_bind(t.0);
        }
        if let Some(g) = r.group {
            b.push(" AND group_id = ").push_bind(g.0);
        }
        b.push(" GROUP BY 1 ORDER BY 1");
        b
    };
    let created: Vec<(i64, i64)> = per_day("created_at").build_query_as().fetch_all(db).await?;
    let completed: Vec<(i64, i64)> = per_day("closed_at").build_query_as().fetch_all(db).await?;
    let mut days: Vec<i64> = created.iter().chain(&completed).map(|(d, _)| *d).collect();
    days.sort_unstable();
    days.dedup();
    let count =
        |list: &[(i64, i64)], d: i64| list.iter().find(|(x, _)| *x == d).map_or(0, |(_, n)| *n);
    Ok(days
        .into_iter()
        .map(|d| (d, count(&created, d), count(&completed, d)))
        .collect())
}

fn add(to: &mut StatCounts, c: StatCounts) {
    to.created += c.created;
    to.assigned += c.assigned;
    to.completed += c.completed;
    to.backlog += c.backlog;
}

/// The counts of `key`, new ones (zero) if it has none yet.
fn entry<K: PartialEq>(list: &mut Vec<(K, StatCounts)>, key: K) -> &mut StatCounts {
    let at = match list.iter().position(|(k, _)| *k == key) {
        Some(at) => at,
        None => {
            list.push((key, StatCounts::default()));
            list.len() - 1
        }
    };
    &mut list[at].1
}
