//! The wallboard (P1): per skill queue and for the tenant, now (waiting, longest wait, agents
//! per state and reason), today in the tenant's zone and the last 30 minutes (offered,
//! answered, abandoned, service level, ASA, AHT…), coloured by each queue's thresholds.
//! Live (`GET /supervisor/wallboard` once, then `wallboard` messages on the WebSocket, sent
//! by the tenant's engine task to every supervisor at once) and as of any past moment
//! (`GET /reports/wallboard?at=`, rebuilt from the stored events by the same code). Queues'
//! targets and thresholds are set here too.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use switchboard_engine::acd::AgentState;
use switchboard_engine::stats::{BoardView, Figures, QueueMeasure, QueueRatios};
use switchboard_engine::ticket::time::parse_datetime;
use switchboard_engine::SkillQueueId;
use switchboard_storage::{Levels, QueueTargetsRecord};
use utoipa::{IntoParams, ToSchema};

use super::contacts::engine;
use super::wire::rfc3339;
use crate::auth::{perm, Can};
use crate::engines::stats::CenterStats;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, IdPath};
use crate::state::AppState;

/// A queue's figures over a stretch of time, with the ratios derived from them.
#[derive(Serialize, ToSchema, Default, Debug, Clone, PartialEq)]
pub struct QueueFigures {
    /// Visits started: arrivals, overflows in and transfers in.
    pub offered: i64,
    pub transferred_in: i64,
    pub overflowed_in: i64,
    pub answered: i64,
    /// Answered within the queue's service-level time.
    pub answered_in_target: i64,
    pub answer_wait_ms: i64,
    /// Customers who left while waiting or ringing (short abandons included).
    pub abandoned: i64,
    /// Abandoned before the queue's short-abandon time: counted apart, not in the SL.
    pub abandoned_short: i64,
    pub abandon_wait_ms: i64,
    pub timed_out: i64,
    pub overflowed_out: i64,
    pub cancelled: i64,
    pub outbound: i64,
    /// Services ended (wrap-up finished or transferred on).
    pub handled: i64,
    pub talk_ms: i64,
    pub hold_ms: i64,
    pub wrap_ms: i64,
    pub transferred_out: i64,
    /// Offers that rang out unanswered.
    pub no_answers: i64,
    pub max_wait_ms: i64,
    /// Answered in target / (answered + abandoned not short + timed out); null without any.
    #[schema(required)]
    pub service_level: Option<f64>,
    /// Average speed of answer.
    #[schema(required)]
    pub asa_ms: Option<f64>,
    /// Average handle time: (talk + hold + wrap-up) / handled.
    #[schema(required)]
    pub aht_ms: Option<f64>,
    /// Abandoned (not short) / (offered − short abandons).
    #[schema(required)]
    pub abandon_rate: Option<f64>,
}

impl QueueFigures {
    pub fn of(f: &Figures<QueueMeasure>) -> Self {
        use QueueMeasure::*;
        let r = QueueRatios::of(f);
        Self {
            offered: f.get(Offered),
            transferred_in: f.get(TransferredIn),
            overflowed_in: f.get(OverflowedIn),
            answered: f.get(Answered),
            answered_in_target: f.get(AnsweredInTarget),
            answer_wait_ms: f.get(AnswerWaitMs),
            abandoned: f.get(Abandoned),
            abandoned_short: f.get(AbandonedShort),
            abandon_wait_ms: f.get(AbandonWaitMs),
            timed_out: f.get(TimedOut),
            overflowed_out: f.get(OverflowedOut),
            cancelled: f.get(Cancelled),
            outbound: f.get(Outbound),
            handled: f.get(Handled),
            talk_ms: f.get(TalkMs),
            hold_ms: f.get(HoldMs),
            wrap_ms: f.get(WrapMs),
            transferred_out: f.get(TransferredOut),
            no_answers: f.get(NoAnswers),
            max_wait_ms: f.get(MaxWaitMs),
            service_level: r.service_level,
            asa_ms: r.asa_ms,
            aht_ms: r.aht_ms,
            abandon_rate: r.abandon_rate,
        }
    }
}

/// Signed-in agents per state.
#[derive(Serialize, ToSchema, Default, Debug, Clone, PartialEq, Eq)]
pub struct StateCounts {
    pub idle: u32,
    pub talking: u32,
    pub wrap_up: u32,
    pub busy: u32,
    pub rest: u32,
}

impl StateCounts {
    fn of(c: &[u32; 6]) -> Self {
        let n = |s: AgentState| c[s.index()];
        Self {
            idle: n(AgentState::Idle),
            talking: n(AgentState::Talking),
            wrap_up: n(AgentState::WrapUp),
            busy: n(AgentState::Busy),
            rest: n(AgentState::Rest),
        }
    }
}

/// Warning and alarm levels of one figure (either may be unset).
#[derive(Serialize, Deserialize, ToSchema, Default, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ThresholdLevels {
    #[schema(required)]
    pub warn: Option<u32>,
    #[schema(required)]
    pub alarm: Option<u32>,
}

impl From<Levels> for ThresholdLevels {
    fn from(l: Levels) -> Self {
        Self {
            warn: l.warn,
            alarm: l.alarm,
        }
    }
}

/// A queue's service-level target, short-abandon time and the wallboard's colours.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct QueueTargets {
    /// The service-level time, seconds (1-3600): the "20" of 80/20.
    pub answer_within_s: u32,
    /// The service-level goal, percent (1-100): the "80" of 80/20.
    pub service_level_goal: u32,
    /// Abandons before this many seconds (0-600) are short: counted apart, not in the SL.
    pub short_abandon_s: u32,
    /// Contacts waiting: colour at or above.
    pub waiting: ThresholdLevels,
    /// Seconds of the longest wait: colour at or above.
    pub longest_wait_s: ThresholdLevels,
    /// Service level percent: colour at or below (the alarm at most the warning).
    pub service_level: ThresholdLevels,
    /// Abandon rate percent: colour at or above.
    pub abandon_rate: ThresholdLevels,
}

impl From<&QueueTargetsRecord> for QueueTargets {
    fn from(t: &QueueTargetsRecord) -> Self {
        Self {
            answer_within_s: t.answer_within_s,
            service_level_goal: t.service_level_goal,
            short_abandon_s: t.short_abandon_s,
            waiting: t.waiting.into(),
            longest_wait_s: t.longest_wait_s.into(),
            service_level: t.service_level.into(),
            abandon_rate: t.abandon_rate.into(),
        }
    }
}

impl QueueTargets {
    /// The record to store, or the field that is out of range.
    fn checked(&self, queue: SkillQueueId) -> ApiResult<QueueTargetsRecord> {
        let range = |field: &str, v: u32, lo: u32, hi: u32| {
            if (lo..=hi).contains(&v) {
                Ok(v)
            } else {
                Err(ApiError::invalid(field, format!("must be {lo}-{hi}")))
            }
        };
        range("answer_within_s", self.answer_within_s, 1, 3600)?;
        range("service_level_goal", self.service_level_goal, 1, 100)?;
        range("short_abandon_s", self.short_abandon_s, 0, 600)?;
        let levels = |field: &str, l: ThresholdLevels, max: u32, lower_is_worse: bool| {
            for (part, v) in [("warn", l.warn), ("alarm", l.alarm)] {
                if let Some(v) = v {
                    range(&format!("{field}.{part}"), v, 0, max)?;
                }
            }
            if let (Some(w), Some(a)) = (l.warn, l.alarm) {
                let ordered = if lower_is_worse { a <= w } else { a >= w };
                if !ordered {
                    let how = if lower_is_worse {
                        "at most"
                    } else {
                        "at least"
                    };
                    return Err(ApiError::invalid(
                        format!("{field}.alarm"),
                        format!("must be {how} the warning level"),
                    ));
                }
            }
            Ok(Levels {
                warn: l.warn,
                alarm: l.alarm,
            })
        };
        Ok(QueueTargetsRecord {
            queue,
            answer_within_s: self.answer_within_s,
            service_level_goal: self.service_level_goal,
            short_abandon_s: self.short_abandon_s,
            waiting: levels("waiting", self.waiting, 100_000, false)?,
            longest_wait_s: levels("longest_wait_s", self.longest_wait_s, 86_400, false)?,
            service_level: levels("service_level", self.service_level, 100, true)?,
            abandon_rate: levels("abandon_rate", self.abandon_rate, 100, false)?,
        })
    }
}

/// One queue on the wallboard.
#[derive(Serialize, ToSchema, Debug, Clone, PartialEq)]
pub struct WallboardQueue {
    pub queue_id: uuid::Uuid,
    /// Contacts not yet answered: waiting, held for a familiar agent, or ringing.
    pub waiting: u32,
    /// When the longest-waiting of them started waiting in this queue.
    #[schema(required)]
    pub oldest_since: Option<String>,
    pub agents: StateCounts,
    pub today: QueueFigures,
    pub window: QueueFigures,
    pub targets: QueueTargets,
}

/// Agents busy or resting for one reason.
#[derive(Serialize, ToSchema, Debug, Clone, PartialEq, Eq)]
pub struct ReasonCount {
    #[schema(schema_with = crate::api::wire::agent_state_schema)]
    pub state: String,
    #[schema(required)]
    pub reason: Option<String>,
    pub agents: u32,
}

/// The whole wallboard at one moment.
#[derive(Serialize, ToSchema, Debug, Clone, PartialEq)]
pub struct Wallboard {
    /// The moment it shows.
    pub at: String,
    /// The start of the tenant's day it counts "today" from.
    pub day_start: String,
    /// The sliding window's length.
    pub window_minutes: u32,
    pub queues: Vec<WallboardQueue>,
    /// Every signed-in agent once, per state.
    pub agents: StateCounts,
    /// Busy and rest agents per reason.
    pub reasons: Vec<ReasonCount>,
    pub today: QueueFigures,
    pub window: QueueFigures,
}

impl Wallboard {
    pub fn of(view: &BoardView, stats: &CenterStats) -> Self {
        Self {
            at: rfc3339(view.at),
            day_start: rfc3339(view.day_start),
            window_minutes: u32::try_from(view.window_ms / 60_000).unwrap_or(0),
            queues: view
                .queues
                .iter()
                .map(|q| WallboardQueue {
                    queue_id: q.queue.0,
                    waiting: q.waiting,
                    oldest_since: q.oldest_since.map(rfc3339),
                    agents: StateCounts::of(&q.agents),
                    today: QueueFigures::of(&q.today),
                    window: QueueFigures::of(&q.window),
                    targets: (&stats.targets_of(q.queue)).into(),
                })
                .collect(),
            agents: StateCounts::of(&view.agents),
            reasons: view
                .reasons
                .iter()
                .map(|r| ReasonCount {
                    state: r.state.code().into(),
                    reason: r.reason.as_ref().map(|r| r.as_str().to_owned()),
                    agents: r.agents,
                })
                .collect(),
            today: QueueFigures::of(&view.today),
            window: QueueFigures::of(&view.window),
        }
    }
}

/// The `wallboard` WebSocket message's fields.
pub fn render(view: &BoardView, stats: &CenterStats) -> Value {
    serde_json::to_value(Wallboard::of(view, stats)).unwrap_or(Value::Null)
}

/// The live wallboard (then kept up to date by `wallboard` messages on the WebSocket).
#[utoipa::path(get, path = "/api/v1/supervisor/wallboard", operation_id = "supervisor_wallboard", tag = "supervisor", security(("bearer" = ["supervisor.monitor"])),
    responses((status = 200, body = Wallboard), (status = 403, body = ErrorBody)))]
pub async fn live(
    State(state): State<AppState>,
    p: Can<perm::Monitor>,
) -> ApiResult<Json<Wallboard>> {
    let now = state.clock.now_ms();
    let board = engine(&state, p.tenant_id)
        .await?
        .with_stats(move |stats, engine| {
            let view = stats.view(now, &engine.queue_ids());
            Wallboard::of(&view, stats)
        })
        .await?;
    Ok(Json(board))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOf {
    /// The moment to show (RFC 3339, or a local time of the tenant's zone such as
    /// `2026-12-04 10:42`); not in the future.
    at: String,
}

/// The wallboard as it stood at a past moment, rebuilt from the stored events.
#[utoipa::path(get, path = "/api/v1/reports/wallboard", operation_id = "reports_wallboard", tag = "reports", params(AsOf), security(("bearer" = ["reports.view"])),
    responses((status = 200, body = Wallboard), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn as_of(
    State(state): State<AppState>,
    p: Can<perm::ViewReports>,
    ApiQuery(q): ApiQuery<AsOf>,
) -> ApiResult<Json<Wallboard>> {
    let at = parse_datetime(q.at.trim(), &p.zone)
        .ok_or_else(|| ApiError::invalid("at", "must be a time (RFC 3339 or YYYY-MM-DD HH:MM)"))?;
    if at > state.clock.now_ms() {
        return Err(ApiError::invalid("at", "must not be in the future"));
    }
    let mut stats = CenterStats::replayed(state.store.as_ref(), p.tenant_id, at, false).await?;
    let queues: Vec<SkillQueueId> = state
        .store
        .skill_queues(p.tenant_id)
        .await?
        .iter()
        .map(|q| q.id)
        .collect();
    let view = stats.view(at, &queues);
    Ok(Json(Wallboard::of(&view, &stats)))
}

/// A queue's targets and thresholds (the defaults, 80 % in 20 s, until set).
#[utoipa::path(get, path = "/api/v1/queues/{id}/targets", operation_id = "queue_targets_get", tag = "queues", params(("id" = uuid::Uuid, Path)), security(("bearer" = ["queues.manage"])),
    responses((status = 200, body = QueueTargets), (status = 404, body = ErrorBody)))]
pub async fn get_targets(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
    IdPath(id): IdPath,
) -> ApiResult<Json<QueueTargets>> {
    let queue = SkillQueueId(id);
    state
        .store
        .skill_queue(p.tenant_id, queue)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let saved = state.store.queue_targets(p.tenant_id).await?;
    let targets = saved
        .iter()
        .find(|t| t.queue == queue)
        .copied()
        .unwrap_or_else(|| QueueTargetsRecord::default_for(queue));
    Ok(Json((&targets).into()))
}

/// Sets a queue's targets and thresholds; the wallboard and the figures counted from now on
/// follow them.
#[utoipa::path(put, path = "/api/v1/queues/{id}/targets", operation_id = "queue_targets_put", tag = "queues", params(("id" = uuid::Uuid, Path)), request_body = QueueTargets, security(("bearer" = ["queues.manage"])),
    responses((status = 200, body = QueueTargets), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn put_targets(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<QueueTargets>,
) -> ApiResult<Json<QueueTargets>> {
    let record = body.checked(SkillQueueId(id))?;
    state
        .store
        .set_queue_targets(p.tenant_id, &record, state.clock.now_ms())
        .await?;
    engine(&state, p.tenant_id)
        .await?
        .with_stats(move |stats, _| stats.set_targets(record))
        .await?;
    Ok(Json((&record).into()))
}
