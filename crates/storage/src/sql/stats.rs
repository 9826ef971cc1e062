//! Interval aggregates: the tally's increments written with the engine's turn (buckets and
//! days and months of the tenant's zone at once), days and months rebuilt from buckets when
//! the zone changes, reports' reads, and the engine's events read back for a replay.

use std::collections::BTreeMap;

use sqlx::Row;
use switchboard_engine::acd::{AgentState, ReasonCode};
use switchboard_engine::stats::{
    day_of, month_after, month_of, AgentMeasure, Figures, Increment, Measure, Merge, QueueMeasure,
    Tallied, DAY_MS,
};
use switchboard_engine::{Channel, SkillQueueId, TenantId, TenantZone, UserId};
use uuid::Uuid;

use super::{queue_targets, Db, Store, Tx};
use crate::backend::{Backend, Dialect};
use crate::rows::event_kind;
use crate::stats::{
    AgentFigureRow, Grain, QueueFigureRow, QueueTargetsRecord, Span, StateTimeRow, StatsStore,
    StoredEvent,
};
use crate::{EventRecord, Millis, Result, StorageError};

type DbRow = <Db as sqlx::Database>::Row;

fn corrupt(what: &str) -> StorageError {
    StorageError::Corrupt(format!("stored {what} cannot be read"))
}

/// The database's two-argument maximum.
fn greatest() -> &'static str {
    match Store::DIALECT {
        Dialect::Sqlite => "max",
        Dialect::Postgres => "GREATEST",
    }
}

/// One aggregate table: its name, its key columns and a family of measures.
struct Table {
    name: &'static str,
    keys: &'static [&'static str],
}

const QUEUES: Table = Table {
    name: "stat_queue",
    keys: &["queue_id"],
};
const AGENTS: Table = Table {
    name: "stat_agent",
    keys: &["agent_id", "channel"],
};
const STATES: Table = Table {
    name: "stat_agent_state",
    keys: &["agent_id", "state", "reason"],
};

/// The head (`INSERT INTO t (…) `) and tail (`ON CONFLICT … DO UPDATE …`) of a statement
/// adding `cols` to rows of `table`, `(column, how it merges)`.
fn upsert_parts(table: &Table, cols: &[(&str, Merge)]) -> (String, String) {
    let mut names = vec!["tenant_id", "grain", "at"];
    names.extend(table.keys);
    names.extend(cols.iter().map(|(c, _)| *c));
    let merges: Vec<String> = cols
        .iter()
        .map(|(c, m)| match m {
            Merge::Sum => format!("{c} = {t}.{c} + excluded.{c}", t = table.name),
            Merge::Max => format!(
                "{c} = {}({t}.{c}, excluded.{c})",
                greatest(),
                t = table.name
            ),
        })
        .collect();
    (
        format!("INSERT INTO {} ({}) ", table.name, names.join(", ")),
        format!(
            " ON CONFLICT (tenant_id, grain, at, {}) DO UPDATE SET {}",
            table.keys.join(", "),
            merges.join(", ")
        ),
    )
}

/// Adds rows of figures, many to a statement (a turn that closes a quarter hour for hundreds
/// of agents writes hundreds of rows).
async fn upsert_rows<K, F>(
    tx: &mut Tx<'_>,
    tenant: TenantId,
    table: &Table,
    cols: &[(&str, Merge)],
    rows: &[(K, F)],
    bind: impl Fn(&mut sqlx::query_builder::Separated<'_, '_, Db, &'static str>, &K, &F) + Copy,
) -> Result<()> {
    let (head, tail) = upsert_parts(table, cols);
    let per_row = 3 + table.keys.len() + cols.len();
    for chunk in rows.chunks(crate::backend::rows_per(per_row)) {
        let mut b = sqlx::QueryBuilder::<Db>::new(head.clone());
        b.push_values(chunk, |mut r, (k, f)| {
            r.push_bind(tenant.0);
            bind(&mut r, k, f);
        });
        b.push(tail.clone());
        b.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// A turn's increments summed per row, for buckets, days and months.
#[derive(Default)]
struct Folded {
    queues: BTreeMap<(i16, i64, Uuid), Figures<QueueMeasure>>,
    agents: BTreeMap<(i16, i64, Uuid, &'static str), Figures<AgentMeasure>>,
    states: BTreeMap<(i16, i64, Uuid, &'static str, String), i64>,
}

impl Folded {
    fn of(incs: &[Increment], zone: &TenantZone) -> Self {
        let mut f = Folded::default();
        for inc in incs {
            let day = day_of(inc.at, zone);
            let at = [
                (Grain::Bucket.code(), inc.bucket()),
                (Grain::Day.code(), day),
                (Grain::Month.code(), month_of(day)),
            ];
            for (grain, at) in at {
                match &inc.what {
                    Tallied::Queue { queue, figures } => {
                        f.queues
                            .entry((grain, at, queue.0))
                            .or_default()
                            .merge(figures);
                    }
                    Tallied::Agent {
                        agent,
                        channel,
                        figures,
                    } => {
                        let key = (grain, at, agent.0, channel.code());
                        f.agents.entry(key).or_default().merge(figures);
                    }
                    Tallied::State {
                        agent,
                        state,
                        reason,
                        ms,
                    } => {
                        let reason = reason.as_ref().map_or("", |r| r.as_str()).to_owned();
                        let key = (grain, at, agent.0, state.code(), reason);
                        *f.states.entry(key).or_default() += ms;
                    }
                }
            }
        }
        f
    }
}

/// The tenant's zone, held against a concurrent change until the transaction ends, so a day
/// written here and a rebuild of the days for a new zone never interleave.
async fn zone_held(tx: &mut Tx<'_>, tenant: TenantId) -> Result<TenantZone> {
    let sql = match Store::DIALECT {
        Dialect::Sqlite => "SELECT time_zone FROM tenants WHERE id = $1",
        Dialect::Postgres => "SELECT time_zone FROM tenants WHERE id = $1 FOR SHARE",
    };
    let name: String = sqlx::query_scalar(sql)
        .bind(tenant.0)
        .fetch_one(&mut **tx)
        .await?;
    TenantZone::parse(&name).map_err(|_| corrupt("time zone"))
}

/// Adds a turn's increments to their buckets and days, and moves the flush mark.
pub(super) async fn write_tallies(
    tx: &mut Tx<'_>,
    tenant: TenantId,
    incs: &[Increment],
    flushed_to: Option<Millis>,
) -> Result<()> {
    if !incs.is_empty() {
        let zone = zone_held(tx, tenant).await?;
        let folded = Folded::of(incs, &zone);
        let queues: Vec<_> = folded.queues.into_iter().collect();
        upsert_rows(
            tx,
            tenant,
            &QUEUES,
            &merges::<QueueMeasure>(),
            &queues,
            |r, k, f| {
                let (grain, at, queue) = *k;
                r.push_bind(grain).push_bind(at).push_bind(queue);
                for m in QueueMeasure::ALL {
                    r.push_bind(f.get(*m));
                }
            },
        )
        .await?;
        let agents: Vec<_> = folded.agents.into_iter().collect();
        upsert_rows(
            tx,
            tenant,
            &AGENTS,
            &merges::<AgentMeasure>(),
            &agents,
            |r, k, f| {
                let (grain, at, agent, channel) = *k;
                r.push_bind(grain)
                    .push_bind(at)
                    .push_bind(agent)
                    .push_bind(channel);
                for m in AgentMeasure::ALL {
                    r.push_bind(f.get(*m));
                }
            },
        )
        .await?;
        let states: Vec<_> = folded.states.into_iter().collect();
        let ms = [("ms", Merge::Sum)];
        upsert_rows(tx, tenant, &STATES, &ms, &states, |r, k, ms| {
            let (grain, at, agent, state, reason) = k;
            r.push_bind(*grain)
                .push_bind(*at)
                .push_bind(*agent)
                .push_bind(*state);
            r.push_bind(reason.clone()).push_bind(*ms);
        })
        .await?;
    }
    if let Some(to) = flushed_to {
        sqlx::query(
            "INSERT INTO stat_marks (tenant_id, flushed_to) VALUES ($1, $2) \
             ON CONFLICT (tenant_id) DO UPDATE SET flushed_to = excluded.flushed_to",
        )
        .bind(tenant.0)
        .bind(to)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Recomputes every day aggregate of the tenant from its buckets in `zone` (its zone
/// changed), one statement per table and stretch of constant offset.
pub(super) async fn rebuild_days(
    tx: &mut Tx<'_>,
    tenant: TenantId,
    zone: &TenantZone,
) -> Result<()> {
    let span: (Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT MIN(lo), MAX(hi) FROM ( \
         SELECT MIN(at) AS lo, MAX(at) AS hi FROM stat_queue WHERE tenant_id = $1 AND grain = 0 \
         UNION ALL SELECT MIN(at), MAX(at) FROM stat_agent WHERE tenant_id = $1 AND grain = 0 \
         UNION ALL SELECT MIN(at), MAX(at) FROM stat_agent_state WHERE tenant_id = $1 AND grain = 0 \
         ) spans",
    )
    .bind(tenant.0)
    .fetch_one(&mut **tx)
    .await?;
    for table in ["stat_queue", "stat_agent", "stat_agent_state"] {
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE tenant_id = $1 AND grain IN (1, 2)"
        ))
        .bind(tenant.0)
        .execute(&mut **tx)
        .await?;
    }
    let (Some(from), Some(to)) = span else {
        return Ok(());
    };
    let stretches = zone.offsets_between(from, to + 1);
    for (i, (start, offset_min)) in stretches.iter().enumerate() {
        let end = stretches.get(i + 1).map_or(to + 1, |(s, _)| *s);
        let offset = Millis::from(*offset_min) * 60_000;
        for sql in regroup_days_sql() {
            sqlx::query(&sql)
                .bind(tenant.0)
                .bind(offset)
                .bind(DAY_MS)
                .bind(start)
                .bind(end)
                .execute(&mut **tx)
                .await?;
        }
    }
    for sql in regroup_months_sql() {
        sqlx::query(&sql).bind(tenant.0).execute(&mut **tx).await?;
    }
    Ok(())
}

/// `INSERT … SELECT`, per table, adding the rows `filter` picks into rows of grain `into`
/// keyed `at` (an expression of the source row's `at`).
fn regroup_sql(into: Grain, at: &str, filter: &str) -> [String; 3] {
    let regroup = |t: &Table, cols: &[(&str, Merge)]| {
        let (head, tail) = upsert_parts(t, cols);
        let keys = t.keys.join(", ");
        let values: Vec<String> = cols.iter().map(|c| aggregate(*c)).collect();
        format!(
            "{head}SELECT tenant_id, {grain}, {at}, {keys}, {values} FROM {n} \
             WHERE tenant_id = $1 AND {filter} GROUP BY tenant_id, 3, {keys}{tail}",
            grain = into.code(),
            values = values.join(", "),
            n = t.name,
        )
    };
    [
        regroup(&QUEUES, &merges::<QueueMeasure>()),
        regroup(&AGENTS, &merges::<AgentMeasure>()),
        regroup(&STATES, &[("ms", Merge::Sum)]),
    ]
}

/// Days from a stretch's buckets (`$4 <= at < $5`) at offset `$2` (`$3` is a day's length).
fn regroup_days_sql() -> [String; 3] {
    regroup_sql(
        Grain::Day,
        "(at + $2) / $3",
        "grain = 0 AND at >= $4 AND at < $5",
    )
}

/// Months from the tenant's days (migration 0032 did the same once for the days stored
/// before months were kept); the same calendar as [`month_of`].
fn regroup_months_sql() -> [String; 3] {
    let month = match Store::DIALECT {
        Dialect::Sqlite => {
            "CAST(julianday(date(at * 86400, 'unixepoch', 'start of month')) - 2440587.5 AS BIGINT)"
        }
        Dialect::Postgres => {
            "CAST(CAST(date_trunc('month', CAST(DATE '1970-01-01' + CAST(at AS INTEGER) \
             AS TIMESTAMP)) AS DATE) - DATE '1970-01-01' AS BIGINT)"
        }
    };
    regroup_sql(Grain::Month, month, "grain = 1")
}

/// A column summed (or maximised) over rows, as a BIGINT (PostgreSQL sums BIGINTs into
/// NUMERIC).
fn aggregate((column, merge): (&str, Merge)) -> String {
    match merge {
        Merge::Sum => format!("CAST(SUM({column}) AS BIGINT)"),
        Merge::Max => format!("MAX({column})"),
    }
}

fn figures_of<M: Measure>(row: &DbRow, first: usize) -> Result<Figures<M>> {
    let mut f = Figures::default();
    for (i, m) in M::ALL.iter().enumerate() {
        f.set(*m, row.try_get::<i64, _>(first + i)?);
    }
    Ok(f)
}

fn merges<M: Measure>() -> Vec<(&'static str, Merge)> {
    M::ALL.iter().map(|m| (m.column(), m.merge())).collect()
}

/// The stretches a read covers, `(grain, from, to)`: a total over days, or a read of months,
/// takes the whole months inside the range from month rows and only the days at either end
/// (each within one month) from day rows.
fn stretches(grain: Grain, span: Span, from: i64, to: i64) -> Vec<(Grain, i64, i64)> {
    if grain == Grain::Bucket || (grain, span) == (Grain::Day, Span::EachPeriod) {
        return vec![(grain, from, to)];
    }
    let first = match month_of(from) {
        m if m == from => m,
        m => month_after(m),
    };
    let last = month_of(to);
    if first > last {
        return vec![(Grain::Day, from, to)];
    }
    [
        (Grain::Day, from, first),
        (Grain::Month, first, last),
        (Grain::Day, last, to),
    ]
    .into_iter()
    .filter(|(_, lo, hi)| lo < hi)
    .collect()
}

/// `SELECT` of a table's rows in a range (each period; months summed from month rows and the
/// days of cut months), or of their sums per subject, with an optional `IN` list on its first
/// key.
async fn read_rows(
    store: &Store,
    table: &Table,
    cols: &[(&str, Merge)],
    (tenant, grain, from, to): (TenantId, Grain, i64, i64),
    span: Span,
    only: &[Uuid],
) -> Result<Vec<DbRow>> {
    let keys = table.keys.join(", ");
    let names: Vec<&str> = cols.iter().map(|(c, _)| *c).collect();
    let sums: Vec<String> = cols.iter().map(|c| aggregate(*c)).collect();
    let by_month = (grain, span) == (Grain::Month, Span::EachPeriod);
    let mut b = sqlx::QueryBuilder::<Db>::new("");
    match (span, by_month) {
        (Span::Total, _) => b.push(format!(
            "SELECT MIN(at), {keys}, {} FROM (",
            sums.join(", ")
        )),
        (_, true) => b.push(format!("SELECT at, {keys}, {} FROM (", sums.join(", "))),
        _ => &mut b,
    };
    for (i, (grain, from, to)) in stretches(grain, span, from, to).into_iter().enumerate() {
        if i > 0 {
            b.push(" UNION ALL ");
        }
        b.push("SELECT ");
        // A cut month's days are read as that month.
        if by_month && grain == Grain::Day {
            b.push_bind(month_of(from));
        } else {
            b.push("at");
        }
        b.push(format!(
            " AS at, {keys}, {} FROM {} WHERE tenant_id = ",
            names.join(", "),
            table.name
        ));
        b.push_bind(tenant.0);
        b.push(" AND grain = ").push_bind(grain.code());
        b.push(" AND at >= ").push_bind(from);
        b.push(" AND at < ").push_bind(to);
        if !only.is_empty() {
            b.push(format!(" AND {} IN (", table.keys[0]));
            let mut list = b.separated(", ");
            for id in only {
                list.push_bind(*id);
            }
            b.push(")");
        }
    }
    match (span, by_month) {
        (Span::Total, _) => b.push(format!(") stretches GROUP BY {keys}")),
        (_, true) => b.push(format!(") stretches GROUP BY at, {keys} ORDER BY at")),
        _ => b.push(" ORDER BY at"),
    };
    Ok(b.build().fetch_all(&store.reader).await?)
}

fn channel_of(code: &str) -> Result<Channel> {
    Channel::parse(code).map_err(|_| corrupt("channel"))
}

fn event_of((id, at, kind, agent, contact, queue, detail): EventTuple) -> StoredEvent {
    StoredEvent {
        id,
        record: EventRecord {
            at,
            kind: event_kind(&kind),
            agent: agent.map(UserId),
            contact: contact.map(switchboard_engine::ContactId),
            queue: queue.map(SkillQueueId),
            detail,
        },
    }
}

type EventTuple = (
    i64,
    i64,
    String,
    Option<Uuid>,
    Option<Uuid>,
    Option<Uuid>,
    String,
);

const EVENT_COLUMNS: &str = "id, at, kind, agent_id, contact_id, queue_id, detail";

#[async_trait::async_trait]
impl StatsStore for Store {
    async fn queue_figures(
        &self,
        tenant: TenantId,
        grain: Grain,
        span: Span,
        from: i64,
        to: i64,
        queues: &[SkillQueueId],
    ) -> Result<Vec<QueueFigureRow>> {
        let only: Vec<Uuid> = queues.iter().map(|q| q.0).collect();
        let cols = merges::<QueueMeasure>();
        let rows = read_rows(self, &QUEUES, &cols, (tenant, grain, from, to), span, &only).await?;
        rows.iter()
            .map(|r| {
                Ok(QueueFigureRow {
                    at: r.try_get(0)?,
                    queue: SkillQueueId(r.try_get(1)?),
                    figures: figures_of(r, 2)?,
                })
            })
            .collect()
    }

    async fn agent_figures(
        &self,
        tenant: TenantId,
        grain: Grain,
        span: Span,
        from: i64,
        to: i64,
        agents: &[UserId],
    ) -> Result<Vec<AgentFigureRow>> {
        let only: Vec<Uuid> = agents.iter().map(|a| a.0).collect();
        let cols = merges::<AgentMeasure>();
        let rows = read_rows(self, &AGENTS, &cols, (tenant, grain, from, to), span, &only).await?;
        rows.iter()
            .map(|r| {
                Ok(AgentFigureRow {
                    at: r.try_get(0)?,
                    agent: UserId(r.try_get(1)?),
                    channel: channel_of(r.try_get::<&str, _>(2)?)?,
                    figures: figures_of(r, 3)?,
                })
            })
            .collect()
    }

    async fn state_times(
        &self,
        tenant: TenantId,
        grain: Grain,
        span: Span,
        from: i64,
        to: i64,
        agents: &[UserId],
    ) -> Result<Vec<StateTimeRow>> {
        let only: Vec<Uuid> = agents.iter().map(|a| a.0).collect();
        let cols = [("ms", Merge::Sum)];
        let rows = read_rows(self, &STATES, &cols, (tenant, grain, from, to), span, &only).await?;
        rows.iter()
            .map(|r| {
                let reason: &str = r.try_get(3)?;
                Ok(StateTimeRow {
                    at: r.try_get(0)?,
                    agent: UserId(r.try_get(1)?),
                    state: AgentState::parse(r.try_get::<&str, _>(2)?)
                        .map_err(|_| corrupt("agent state"))?,
                    reason: (!reason.is_empty())
                        .then(|| ReasonCode::parse(reason).map_err(|_| corrupt("reason")))
                        .transpose()?,
                    ms: r.try_get(4)?,
                })
            })
            .collect()
    }

    async fn stat_flushed_to(&self, tenant: TenantId) -> Result<Option<Millis>> {
        Ok(
            sqlx::query_scalar("SELECT flushed_to FROM stat_marks WHERE tenant_id = $1")
                .bind(tenant.0)
                .fetch_optional(&self.reader)
                .await?,
        )
    }

    async fn queue_targets(&self, tenant: TenantId) -> Result<Vec<QueueTargetsRecord>> {
        queue_targets::current(self, tenant).await
    }

    async fn queue_target_changes(
        &self,
        tenant: TenantId,
        to: Millis,
    ) -> Result<Vec<(Millis, QueueTargetsRecord)>> {
        queue_targets::changes(self, tenant, to).await
    }

    async fn set_queue_targets(
        &self,
        tenant: TenantId,
        targets: &QueueTargetsRecord,
        now: Millis,
    ) -> Result<()> {
        queue_targets::set(self, tenant, targets, now).await
    }

    async fn events_for_replay(
        &self,
        tenant: TenantId,
        from: Millis,
        to: Millis,
    ) -> Result<Vec<StoredEvent>> {
        // Each signed-in agent's latest sign-in (or queue reset) and latest state before
        // `from`: one index probe per agent and kind.
        let latest = |kinds: &str| {
            format!(
                "SELECT (SELECT e.id FROM engine_events e WHERE e.tenant_id = u.tenant_id \
                 AND e.agent_id = u.id AND e.kind IN ({kinds}) AND e.at < $2 \
                 ORDER BY e.at DESC, e.id DESC LIMIT 1) FROM users u WHERE u.tenant_id = $1"
            )
        };
        let mut ids: Vec<i64> = Vec::new();
        for kinds in ["'agent.signed_in', 'agent.queues'", "'agent.state'"] {
            let found: Vec<Option<i64>> = sqlx::query_scalar(&latest(kinds))
                .bind(tenant.0)
                .bind(from)
                .fetch_all(&self.reader)
                .await?;
            ids.extend(found.into_iter().flatten());
        }
        let mut events: Vec<EventTuple> = Vec::new();
        for chunk in ids.chunks(500) {
            let mut b = sqlx::QueryBuilder::<Db>::new(format!(
                "SELECT {EVENT_COLUMNS} FROM engine_events WHERE tenant_id = "
            ));
            b.push_bind(tenant.0).push(" AND id IN (");
            let mut list = b.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            b.push(")");
            events.extend(
                b.build_query_as::<EventTuple>()
                    .fetch_all(&self.reader)
                    .await?,
            );
        }
        // The contacts open at `from`: their story so far.
        let before: Vec<EventTuple> = sqlx::query_as(&format!(
            "SELECT {EVENT_COLUMNS} FROM engine_events WHERE tenant_id = $1 AND at < $2 \
             AND contact_id IN (SELECT id FROM contacts WHERE tenant_id = $1 AND created_at < $2 \
             AND (closed_at IS NULL OR closed_at >= $2))"
        ))
        .bind(tenant.0)
        .bind(from)
        .fetch_all(&self.reader)
        .await?;
        events.extend(before);
        let during: Vec<EventTuple> = sqlx::query_as(&format!(
            "SELECT {EVENT_COLUMNS} FROM engine_events WHERE tenant_id = $1 AND at >= $2 AND at <= $3"
        ))
        .bind(tenant.0)
        .bind(from)
        .bind(to)
        .fetch_all(&self.reader)
        .await?;
        events.extend(during);
        events.sort_by_key(|e| e.0);
        events.dedup_by_key(|e| e.0);
        Ok(events.into_iter().map(event_of).collect())
    }

    async fn agent_events(
        &self,
        tenant: TenantId,
        agent: UserId,
        from: Millis,
        to: Millis,
    ) -> Result<Vec<StoredEvent>> {
        let rows: Vec<EventTuple> = sqlx::query_as(&format!(
            "SELECT {EVENT_COLUMNS} FROM engine_events WHERE tenant_id = $1 AND agent_id = $2 \
             AND at >= $3 AND at < $4 ORDER BY id"
        ))
        .bind(tenant.0)
        .bind(agent.0)
        .bind(from)
        .bind(to)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows.into_iter().map(event_of).collect())
    }

    async fn agent_state_before(
        &self,
        tenant: TenantId,
        agent: UserId,
        at: Millis,
    ) -> Result<Option<StoredEvent>> {
        let row: Option<EventTuple> = sqlx::query_as(&format!(
            "SELECT {EVENT_COLUMNS} FROM engine_events WHERE tenant_id = $1 AND agent_id = $2 \
             AND kind = 'agent.state' AND at < $3 ORDER BY at DESC, id DESC LIMIT 1"
        ))
        .bind(tenant.0)
        .bind(agent.0)
        .bind(at)
        .fetch_optional(&self.reader)
        .await?;
        Ok(row.map(event_of))
    }
}
