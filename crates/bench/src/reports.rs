//! `switchboard-bench reports`: historical reports over 90 days of a tenant taking a million
//! contacts a month, on SQLite or a fresh PostgreSQL database. The interval aggregates are
//! written the way the engine's turns write them (`apply_engine_batch` with the tally's
//! increments, a day at a time: queues every quarter hour, agents on 8-hour shifts with their
//! time per state), then the real server is measured over HTTP: the queue report per day and
//! in total over 90 days, the agent report in total and per month over 90 days and per day
//! over a week, and the queue report per 15 minutes over 31 days.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use switchboard_engine::acd::{AgentState, ReasonCode};
use switchboard_engine::stats::{
    AgentMeasure, Figures, Increment, QueueMeasure, Tallied, BUCKET_MS, DAY_MS,
};
use switchboard_engine::ticket::time::local_date;
use switchboard_engine::{Channel, SkillQueueId, TenantParams, TenantZone, UserId};
use switchboard_storage::testing::PgTestDb;
use switchboard_storage::{EngineBatch, Storage};

use crate::support::{self, json_line, login, max_rss_kb, now_ms, percentile, Lcg};

// The flags of `reports` (its description is on the subcommand in main).
#[derive(clap::Args)]
pub struct Args {
    /// sqlite or postgres (a fresh database at SWITCHBOARD_TEST_PG's server)
    #[arg(long, default_value = "sqlite")]
    database: String,
    #[arg(long, default_value_t = 90)]
    days: u32,
    #[arg(long, default_value_t = 1_000_000)]
    contacts_per_month: u32,
    #[arg(long, default_value_t = 350)]
    agents: u32,
    #[arg(long, default_value_t = 20)]
    queues: u32,
    /// Requests of each report
    #[arg(long, default_value_t = 100)]
    requests: u32,
    /// Keep SQLite's data in this directory instead of a temporary one
    #[arg(long)]
    data: Option<PathBuf>,
}

const CHANNELS: [Channel; 3] = [Channel::Voice, Channel::Chat, Channel::Task];

/// A day's share of contacts per local hour: busy from 9 to 21, a few at night.
fn hour_weight(hour: i64) -> u32 {
    match hour {
        0..=7 => 1,
        8 | 21 | 22 => 4,
        9..=20 => 10,
        _ => 2,
    }
}

/// One day's increments: every queue each quarter hour, every agent on shift.
fn day(
    start: i64,
    queues: &[SkillQueueId],
    agents: &[UserId],
    per_day: u32,
    rng: &mut Lcg,
) -> Vec<Increment> {
    let weights: u32 = (0..24).map(hour_weight).sum::<u32>() * 4;
    let mut out = Vec::new();
    for b in 0..96i64 {
        let at = start + b * BUCKET_MS;
        let offered_all = per_day * hour_weight(b / 4) / weights;
        for q in queues {
            let offered = i64::from(offered_all / queues.len() as u32 + rng.next(3));
            let abandoned = offered / 12;
            let answered = offered - abandoned;
            let in_target = answered * (70 + i64::from(rng.next(25))) / 100;
            use QueueMeasure::*;
            let figures = Figures::of(&[
                (Offered, offered),
                (Answered, answered),
                (AnsweredInTarget, in_target),
                (
                    AnswerWaitMs,
                    answered * (8_000 + i64::from(rng.next(20_000))),
                ),
                (Abandoned, abandoned),
                (AbandonedShort, abandoned / 3),
                (AbandonWaitMs, abandoned * 30_000),
                (Handled, answered),
                (TalkMs, answered * 240_000),
                (HoldMs, answered * 15_000),
                (WrapMs, answered * 30_000),
                (TransferredOut, answered / 20),
                (NoAnswers, i64::from(rng.next(3))),
                (MaxWaitMs, 60_000 + i64::from(rng.next(120_000))),
            ]);
            out.push(Increment {
                at,
                what: Tallied::Queue { queue: *q, figures },
            });
        }
    }
    for (n, agent) in agents.iter().enumerate() {
        // Shifts start between 8:00 and 14:00 and last 8 hours.
        let first = 32 + (n as i64 % 7) * 4;
        let channel = CHANNELS[n % CHANNELS.len()];
        for b in first..first + 32 {
            let at = start + b * BUCKET_MS;
            let talking = 500_000 + i64::from(rng.next(200_000));
            let wrap = 100_000;
            let busy = if b % 8 == 0 { 120_000 } else { 0 };
            let idle = BUCKET_MS - talking - wrap - busy;
            for (state, ms) in [
                (AgentState::Talking, talking),
                (AgentState::WrapUp, wrap),
                (AgentState::Idle, idle),
                (AgentState::Busy, busy),
            ] {
                if ms > 0 {
                    let reason = (state == AgentState::Busy)
                        .then(|| ReasonCode::parse("培训").ok())
                        .flatten();
                    out.push(Increment {
                        at,
                        what: Tallied::State {
                            agent: *agent,
                            state,
                            reason,
                            ms,
                        },
                    });
                }
            }
            let handled = 2 + i64::from(rng.next(2));
            use AgentMeasure::*;
            let figures = Figures::of(&[
                (Offers, handled),
                (Answered, handled),
                (Handled, handled),
                (TalkMs, talking),
                (WrapMs, wrap),
                (HoldMs, handled * 10_000),
            ]);
            out.push(Increment {
                at,
                what: Tallied::Agent {
                    agent: *agent,
                    channel,
                    figures,
                },
            });
        }
    }
    out
}

/// Writes `days` days of figures ending today; the rows written per second.
async fn generate(
    store: &dyn Storage,
    tenant: switchboard_engine::TenantId,
    (queues, agents): (&[SkillQueueId], &[UserId]),
    args: &Args,
    zone: &TenantZone,
) -> anyhow::Result<(f64, u64)> {
    let today = zone.start_of_day(now_ms());
    let per_day = args.contacts_per_month / 30;
    let mut rng = Lcg(16);
    let started = Instant::now();
    let mut written = 0u64;
    for d in (0..i64::from(args.days)).rev() {
        let start = zone.start_of_day(today - d * DAY_MS + DAY_MS / 2);
        let batch = EngineBatch {
            tallies: day(start, queues, agents, per_day, &mut rng),
            ..EngineBatch::default()
        };
        written += batch.tallies.len() as u64;
        store.apply_engine_batch(tenant, &batch).await?;
    }
    Ok((written as f64 / started.elapsed().as_secs_f64(), written))
}

/// `n` requests of `path`, one after another; sorted milliseconds.
async fn timed(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    path: &str,
    n: u32,
) -> anyhow::Result<Vec<f64>> {
    let mut ms = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let started = Instant::now();
        let res = client
            .get(format!("{base}{path}"))
            .bearer_auth(token)
            .timeout(Duration::from_secs(60))
            .send()
            .await?;
        anyhow::ensure!(res.status().is_success(), "{path}: {}", res.status());
        res.bytes().await?;
        ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    ms.sort_by(f64::total_cmp);
    Ok(ms)
}

/// Runs the benchmark; its figures as one JSON line.
pub async fn run(args: Args) -> anyhow::Result<String> {
    let temp = tempfile::tempdir()?;
    let dir = args.data.clone().unwrap_or_else(|| temp.path().to_owned());
    let pg = match args.database.as_str() {
        "sqlite" => None,
        "postgres" => Some(
            PgTestDb::create()
                .await
                .ok_or_else(|| anyhow::anyhow!("PostgreSQL is unreachable"))?,
        ),
        other => anyhow::bail!("--database is sqlite or postgres, not {other}"),
    };
    let store = switchboard_server::open_storage(&dir, pg.as_ref().map(|p| p.url.as_str())).await?;
    let (tenant, users) = support::tenant(
        store.as_ref(),
        TenantParams::default(),
        args.agents,
        1,
        true,
    )
    .await?;
    let mut queues = Vec::new();
    for n in 0..args.queues {
        let channel = CHANNELS[n as usize % CHANNELS.len()];
        queues.push(
            support::queue(store.as_ref(), tenant, &format!("队列{n}"), channel, &[])
                .await?
                .id,
        );
    }
    let agents: Vec<UserId> = users.iter().map(|u| u.id).collect();
    let zone = store.tenant_zone(tenant).await?;
    let (rows_per_s, increments) =
        generate(store.as_ref(), tenant, (&queues, &agents), &args, &zone).await?;

    let state = switchboard_server::AppState::new(store);
    let base = format!("http://{}", support::serve(state).await?);
    let client = reqwest::Client::new();
    let token = login(&client, &base, "admin").await?;
    let day = |back: i64| local_date(now_ms() - back * DAY_MS, &zone);
    let (first, week, month, last) = (day(i64::from(args.days) - 1), day(6), day(30), day(0));
    let kinds = [
        (
            "queues_day_90d",
            format!("/api/v1/reports/queues?from={first}&to={last}&interval=day"),
        ),
        (
            "queues_total_90d",
            format!("/api/v1/reports/queues?from={first}&to={last}&interval=total"),
        ),
        (
            "agents_total_90d",
            format!("/api/v1/reports/agents?from={first}&to={last}&interval=total"),
        ),
        (
            "agents_month_90d",
            format!("/api/v1/reports/agents?from={first}&to={last}&interval=month"),
        ),
        (
            "agents_day_7d",
            format!("/api/v1/reports/agents?from={week}&to={last}&interval=day"),
        ),
        (
            "queues_15min_31d",
            format!("/api/v1/reports/queues?from={month}&to={last}&interval=15"),
        ),
    ];
    let mut fields = vec![
        ("bench", "\"reports\"".to_owned()),
        ("database", format!("\"{}\"", args.database)),
        ("days", args.days.to_string()),
        ("contacts_per_month", args.contacts_per_month.to_string()),
        ("increments", increments.to_string()),
        ("generated_per_s", format!("{rows_per_s:.0}")),
    ];
    let mut measured = Vec::new();
    for (name, path) in &kinds {
        timed(&client, &base, &token, path, 3).await?; // warm the caches
        let ms = timed(&client, &base, &token, path, args.requests).await?;
        measured.push((*name, percentile(&ms, 0.5), percentile(&ms, 0.99)));
    }
    for (name, p50, p99) in &measured {
        fields.push((name, format!("{{\"p50_ms\":{p50:.1},\"p99_ms\":{p99:.1}}}")));
    }
    fields.push(("max_rss_kb", max_rss_kb().to_string()));
    Ok(json_line(&fields))
}
