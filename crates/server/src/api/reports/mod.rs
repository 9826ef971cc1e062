//! Historical reports (P2), read from the interval aggregates the engine's turns keep up to
//! date (never recounted from raw events per request): per queue, and per agent with their
//! time per state, over any range of days in the tenant's zone, in total, per day or per
//! 15/30/60 minutes; exported as .xlsx or CSV (`export.rs`); the range and interval
//! (`range.rs`).

pub mod export;
pub mod range;

use std::collections::BTreeMap;

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use switchboard_engine::acd::AgentState;
use switchboard_engine::stats::{AgentMeasure, AgentRatios, Figures, QueueMeasure};
use switchboard_engine::{Channel, SkillQueueId, UserId};
use utoipa::ToSchema;
use uuid::Uuid;

use super::wallboard::QueueFigures;
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiQuery;
use crate::state::AppState;
use range::{period_start, Range, ReportFilter};
use switchboard_storage::Principal;

/// A queue's figures in one period.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct QueueReportRow {
    /// `YYYY-MM-DD`, `YYYY-MM-DD HH:MM` (the interval's local start) or `total`.
    pub period: String,
    pub period_start: String,
    pub queue_id: Uuid,
    /// Null for a queue deleted since.
    #[schema(required)]
    pub queue_name: Option<String>,
    pub figures: QueueFigures,
}

/// A queue report: each period's rows, each queue over the whole range, and the tenant.
#[derive(Serialize, ToSchema, Debug)]
pub struct QueueReport {
    pub from: String,
    pub to: String,
    pub interval: String,
    pub rows: Vec<QueueReportRow>,
    pub totals: Vec<QueueReportRow>,
    pub total: QueueFigures,
}

/// Time in a state, busy and rest by reason.
#[derive(Serialize, ToSchema, Debug, Clone, PartialEq, Eq)]
pub struct ReasonTime {
    #[schema(schema_with = crate::api::wire::agent_state_schema)]
    pub state: String,
    #[schema(required)]
    pub reason: Option<String>,
    pub ms: i64,
}

/// An agent's contact figures and time per state over a period.
#[derive(Serialize, ToSchema, Debug, Clone, Default)]
pub struct AgentFigures {
    pub offers: i64,
    pub answered: i64,
    pub outbound: i64,
    pub handled: i64,
    pub talk_ms: i64,
    pub hold_ms: i64,
    pub wrap_ms: i64,
    pub transferred_out: i64,
    pub no_answers: i64,
    #[schema(required)]
    pub aht_ms: Option<f64>,
    #[schema(required)]
    pub avg_talk_ms: Option<f64>,
    #[schema(required)]
    pub avg_hold_ms: Option<f64>,
    #[schema(required)]
    pub avg_wrap_ms: Option<f64>,
    /// Signed in: every state but signed out.
    pub signed_in_ms: i64,
    pub idle_ms: i64,
    pub talking_ms: i64,
    pub wrap_up_ms: i64,
    pub busy_ms: i64,
    pub rest_ms: i64,
    /// (talking + wrap-up) / (talking + wrap-up + idle); null without any.
    #[schema(required)]
    pub occupancy: Option<f64>,
    /// Busy and rest time per reason.
    pub reasons: Vec<ReasonTime>,
}

/// What one agent's period sums up, before it is shown.
#[derive(Default, Clone)]
pub struct AgentSums {
    pub figures: Figures<AgentMeasure>,
    pub states: BTreeMap<(usize, String), i64>,
}

impl AgentSums {
    fn merge(&mut self, other: &AgentSums) {
        self.figures.merge(&other.figures);
        for (k, v) in &other.states {
            *self.states.entry(k.clone()).or_default() += v;
        }
    }

    fn state_ms(&self, state: AgentState) -> i64 {
        self.states
            .iter()
            .filter(|((s, _), _)| *s == state.index())
            .map(|(_, v)| v)
            .sum()
    }

    pub fn shown(&self) -> AgentFigures {
        use AgentMeasure::*;
        let f = &self.figures;
        let r = AgentRatios::of(f);
        let (idle, talking, wrap) = (
            self.state_ms(AgentState::Idle),
            self.state_ms(AgentState::Talking),
            self.state_ms(AgentState::WrapUp),
        );
        let (busy, rest) = (
            self.state_ms(AgentState::Busy),
            self.state_ms(AgentState::Rest),
        );
        let reasons = self
            .states
            .iter()
            .filter(|((s, _), _)| [AgentState::Busy.index(), AgentState::Rest.index()].contains(s))
            .map(|((s, reason), ms)| ReasonTime {
                state: AgentState::ALL[*s].code().into(),
                reason: (!reason.is_empty()).then(|| reason.clone()),
                ms: *ms,
            })
            .collect();
        AgentFigures {
            offers: f.get(Offers),
            answered: f.get(Answered),
            outbound: f.get(Outbound),
            handled: f.get(Handled),
            talk_ms: f.get(TalkMs),
            hold_ms: f.get(HoldMs),
            wrap_ms: f.get(WrapMs),
            transferred_out: f.get(TransferredOut),
            no_answers: f.get(NoAnswers),
            aht_ms: r.aht_ms,
            avg_talk_ms: r.avg_talk_ms,
            avg_hold_ms: r.avg_hold_ms,
            avg_wrap_ms: r.avg_wrap_ms,
            signed_in_ms: idle + talking + wrap + busy + rest,
            idle_ms: idle,
            talking_ms: talking,
            wrap_up_ms: wrap,
            busy_ms: busy,
            rest_ms: rest,
            occupancy: switchboard_engine::stats::ratio(talking + wrap, talking + wrap + idle),
            reasons,
        }
    }
}

/// An agent's figures in one period.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct AgentReportRow {
    pub period: String,
    pub period_start: String,
    pub agent_id: Uuid,
    #[schema(required)]
    pub agent_name: Option<String>,
    pub figures: AgentFigures,
}

/// An agent report: each period's rows and each agent over the whole range.
#[derive(Serialize, ToSchema, Debug)]
pub struct AgentReport {
    pub from: String,
    pub to: String,
    pub interval: String,
    pub rows: Vec<AgentReportRow>,
    pub totals: Vec<AgentReportRow>,
}

/// The queue report's rows, summed per period and queue.
pub async fn queue_rows(
    state: &AppState,
    p: &Principal,
    range: &Range,
) -> ApiResult<BTreeMap<(i64, SkillQueueId), (String, Figures<QueueMeasure>)>> {
    let (grain, span, from, to) = range.read();
    let ids: Vec<SkillQueueId> = range.ids.iter().map(|i| SkillQueueId(*i)).collect();
    let rows = state
        .store
        .queue_figures(p.tenant_id, grain, span, from, to, &ids)
        .await?;
    let mut out: BTreeMap<(i64, SkillQueueId), (String, Figures<QueueMeasure>)> = BTreeMap::new();
    for r in rows {
        let (start, label) = range.period_of(r.at);
        out.entry((start, r.queue))
            .or_insert_with(|| (label, Figures::default()))
            .1
            .merge(&r.figures);
    }
    Ok(out)
}

/// The agent report's rows, summed per period and agent (contact figures of `channel` only
/// when one is asked for).
pub async fn agent_rows(
    state: &AppState,
    p: &Principal,
    range: &Range,
    channel: Option<Channel>,
) -> ApiResult<BTreeMap<(i64, UserId), (String, AgentSums)>> {
    let (grain, span, from, to) = range.read();
    let ids: Vec<UserId> = range.ids.iter().map(|i| UserId(*i)).collect();
    let store = &state.store;
    let figures = store
        .agent_figures(p.tenant_id, grain, span, from, to, &ids)
        .await?;
    let states = store
        .state_times(p.tenant_id, grain, span, from, to, &ids)
        .await?;
    let mut out: BTreeMap<(i64, UserId), (String, AgentSums)> = BTreeMap::new();
    for r in figures
        .iter()
        .filter(|r| channel.is_none_or(|c| c == r.channel))
    {
        sums_of(&mut out, range, r.at, r.agent)
            .figures
            .merge(&r.figures);
    }
    for r in states {
        let reason = r.reason.map(|x| x.as_str().to_owned()).unwrap_or_default();
        let sums = sums_of(&mut out, range, r.at, r.agent);
        *sums.states.entry((r.state.index(), reason)).or_default() += r.ms;
    }
    Ok(out)
}

/// The sums of the period holding `at` for `agent`.
fn sums_of<'a>(
    out: &'a mut BTreeMap<(i64, UserId), (String, AgentSums)>,
    range: &Range,
    at: i64,
    agent: UserId,
) -> &'a mut AgentSums {
    let (start, label) = range.period_of(at);
    &mut out
        .entry((start, agent))
        .or_insert_with(|| (label, AgentSums::default()))
        .1
}

async fn queue_names(state: &AppState, p: &Principal) -> ApiResult<BTreeMap<SkillQueueId, String>> {
    Ok(state
        .store
        .skill_queues(p.tenant_id)
        .await?
        .into_iter()
        .map(|q| (q.id, q.spec.name.to_string()))
        .collect())
}

async fn agent_names(state: &AppState, p: &Principal) -> ApiResult<BTreeMap<UserId, String>> {
    Ok(state
        .store
        .users(p.tenant_id)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name.to_string()))
        .collect())
}

/// Builds the queue report from its summed rows.
pub async fn queue_report(
    state: &AppState,
    p: &Principal,
    range: &Range,
) -> ApiResult<QueueReport> {
    let rows = queue_rows(state, p, range).await?;
    let names = queue_names(state, p).await?;
    let mut per_queue: BTreeMap<SkillQueueId, Figures<QueueMeasure>> = BTreeMap::new();
    let mut total = Figures::default();
    let row =
        |start: i64, period: String, q: SkillQueueId, f: &Figures<QueueMeasure>| QueueReportRow {
            period,
            period_start: period_start(start),
            queue_id: q.0,
            queue_name: names.get(&q).cloned(),
            figures: QueueFigures::of(f),
        };
    let mut out = Vec::with_capacity(rows.len());
    for ((start, q), (label, f)) in &rows {
        per_queue.entry(*q).or_default().merge(f);
        total.merge(f);
        out.push(row(*start, label.clone(), *q, f));
    }
    let first = range.day_start(range.first_day);
    let totals = per_queue
        .iter()
        .map(|(q, f)| row(first, "total".into(), *q, f))
        .collect();
    Ok(QueueReport {
        from: range.from.clone(),
        to: range.to.clone(),
        interval: range.interval.code(),
        rows: out,
        totals,
        total: QueueFigures::of(&total),
    })
}

/// Builds the agent report from its summed rows.
pub async fn agent_report(
    state: &AppState,
    p: &Principal,
    range: &Range,
    channel: Option<Channel>,
) -> ApiResult<AgentReport> {
    let rows = agent_rows(state, p, range, channel).await?;
    let names = agent_names(state, p).await?;
    let mut per_agent: BTreeMap<UserId, AgentSums> = BTreeMap::new();
    let row = |start: i64, period: String, a: UserId, s: &AgentSums| AgentReportRow {
        period,
        period_start: period_start(start),
        agent_id: a.0,
        agent_name: names.get(&a).cloned(),
        figures: s.shown(),
    };
    let mut out = Vec::with_capacity(rows.len());
    for ((start, a), (label, s)) in &rows {
        per_agent.entry(*a).or_default().merge(s);
        out.push(row(*start, label.clone(), *a, s));
    }
    let first = range.day_start(range.first_day);
    let totals = per_agent
        .iter()
        .map(|(a, s)| row(first, "total".into(), *a, s))
        .collect();
    Ok(AgentReport {
        from: range.from.clone(),
        to: range.to.clone(),
        interval: range.interval.code(),
        rows: out,
        totals,
    })
}

/// The channel a report asks for, if any.
pub fn channel_of(f: &ReportFilter) -> ApiResult<Option<Channel>> {
    f.channel
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| {
            Channel::parse(c)
                .map_err(|_| ApiError::invalid("channel", "voice, video, chat or task"))
        })
        .transpose()
}

/// Queues' figures over a range of days: offered, answered, abandoned (short ones apart),
/// service level, ASA, AHT as talk + hold + wrap-up, transfers, no-answers.
#[utoipa::path(get, path = "/api/v1/reports/queues", operation_id = "reports_queues", tag = "reports", params(ReportFilter), security(("bearer" = ["reports.view"])),
    responses((status = 200, body = QueueReport), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn queues(
    State(state): State<AppState>,
    p: Can<perm::ViewReports>,
    ApiQuery(f): ApiQuery<ReportFilter>,
) -> ApiResult<Json<QueueReport>> {
    let range = Range::parse(&f, &p.zone)?;
    Ok(Json(queue_report(&state, &p, &range).await?))
}

/// Agents' figures over a range of days: contacts answered and handled, AHT split into
/// talk, hold and wrap-up, transfers, no-answers, occupancy, and time signed in, idle,
/// talking, in wrap-up, busy and at rest (by reason).
#[utoipa::path(get, path = "/api/v1/reports/agents", operation_id = "reports_agents", tag = "reports", params(ReportFilter), security(("bearer" = ["reports.view"])),
    responses((status = 200, body = AgentReport), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn agents(
    State(state): State<AppState>,
    p: Can<perm::ViewReports>,
    ApiQuery(f): ApiQuery<ReportFilter>,
) -> ApiResult<Json<AgentReport>> {
    let range = Range::parse(&f, &p.zone)?;
    let channel = channel_of(&f)?;
    Ok(Json(agent_report(&state, &p, &range, channel).await?))
}
