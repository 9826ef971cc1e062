//! The quality report: average score, reviews and failures per agent, per queue or per item,
//! per week or month of the tenant's zone, over a date range of at most a year.

use std::collections::{BTreeMap, BTreeSet};

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_engine::quality::{tally, Figure, Period};
use switchboard_engine::ticket::time::local_date;
use switchboard_engine::ScorecardId;
use switchboard_storage::Millis;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{date_range, Directory};
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiQuery;
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// First day (YYYY-MM-DD, the tenant's calendar) of the contacts reviewed; 29 days
    /// before `to` when absent.
    from: Option<String>,
    /// Last day, inclusive, at most a year after `from`; today when absent.
    to: Option<String>,
    /// week (from Monday) or month; week when absent.
    period: Option<String>,
    /// agent, queue or item; agent when absent.
    by: Option<String>,
    /// Only reviews scored with this scorecard.
    scorecard_id: Option<Uuid>,
}

/// One key's figures in one period.
#[derive(Serialize, ToSchema)]
pub struct ReportPoint {
    /// The period's first day (YYYY-MM-DD).
    pub period: String,
    pub count: u32,
    /// Average score in percent.
    pub average: f64,
    /// Reviews failed on a critical item (by agent or queue); answers scored 0 (by item).
    pub failed: u32,
}

#[derive(Serialize, ToSchema)]
pub struct ReportRow {
    /// The agent's or queue's id, or `section / label` for an item.
    pub key: String,
    pub label: String,
    /// Periods with reviews, in order.
    pub points: Vec<ReportPoint>,
    /// The whole range.
    pub total: ReportPoint,
}

#[derive(Serialize, ToSchema)]
pub struct ReportOut {
    pub period: String,
    pub by: String,
    /// Every period with reviews, in order (YYYY-MM-DD).
    pub periods: Vec<String>,
    pub rows: Vec<ReportRow>,
}

fn point(period: String, f: &Figure) -> ReportPoint {
    ReportPoint {
        period,
        count: f.count,
        average: f64::from(f.average_centi()) / 100.0,
        failed: f.failed_critical,
    }
}

/// Rows of `(key, when, hundredths, failed)` as the report's rows, labelled by `label`.
fn rows_of(
    rows: Vec<(String, Millis, u32, bool)>,
    period: Period,
    zone: &switchboard_engine::TenantZone,
    label: impl Fn(&str) -> String,
) -> (Vec<String>, Vec<ReportRow>) {
    let mut totals: BTreeMap<String, Figure> = BTreeMap::new();
    for (key, _, centi, failed) in &rows {
        let t = totals.entry(key.clone()).or_default();
        t.count += 1;
        t.failed_critical += u32::from(*failed);
        t.sum_centi += u64::from(*centi);
    }
    let figures = tally(rows, period, zone);
    let periods: BTreeSet<Millis> = figures.keys().map(|(_, at)| *at).collect();
    let out = totals
        .into_iter()
        .map(|(key, total)| {
            let points = figures
                .range((key.clone(), Millis::MIN)..=(key.clone(), Millis::MAX))
                .map(|((_, at), f)| point(local_date(*at, zone), f))
                .collect();
            ReportRow {
                label: label(&key),
                total: point(String::new(), &total),
                key,
                points,
            }
        })
        .collect();
    (
        periods.into_iter().map(|at| local_date(at, zone)).collect(),
        out,
    )
}

/// Scores per agent, queue or item over time.
#[utoipa::path(get, path = "/api/v1/quality/report", operation_id = "quality_report", tag = "quality",
    security(("bearer" = ["quality.review"])), params(ReportQuery),
    responses((status = 200, body = ReportOut), (status = 400, body = ErrorBody)))]
pub async fn report(
    State(state): State<AppState>,
    p: Can<perm::QualityReview>,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> ApiResult<Json<ReportOut>> {
    let now = state.clock.now_ms();
    let (from, to) = date_range(&p.zone, q.from.as_deref(), q.to.as_deref(), now)?;
    let period = Period::parse(q.period.as_deref().unwrap_or("week"))?;
    let by = q.by.as_deref().unwrap_or("agent");
    let card = q.scorecard_id.map(ScorecardId);
    let names = Directory::load(&state, p.tenant_id).await?;
    let (periods, rows) = match by {
        "agent" | "queue" => {
            let reviews = state.store.scored_reviews(p.tenant_id, from, to).await?;
            let rows = reviews
                .into_iter()
                .filter(|r| card.is_none_or(|c| c == r.scorecard))
                .map(|r| {
                    let key = if by == "agent" { r.agent.0 } else { r.queue.0 };
                    (
                        key.to_string(),
                        r.contact_at,
                        r.score.centi,
                        r.score.failed_critical,
                    )
                })
                .collect();
            rows_of(rows, period, &p.zone, |key| {
                let id = Uuid::parse_str(key).unwrap_or_default();
                if by == "agent" {
                    names.user(switchboard_engine::UserId(id))
                } else {
                    names.queue(switchboard_engine::SkillQueueId(id))
                }
            })
        }
        "item" => {
            let items = state.store.scored_items(p.tenant_id, from, to).await?;
            let rows = items
                .into_iter()
                .filter(|i| card.is_none_or(|c| c == i.scorecard))
                .map(|i| {
                    let max = u32::from(i.max.max(1));
                    let centi = (u32::from(i.points) * 10_000 + max / 2) / max;
                    (
                        format!("{} / {}", i.section, i.label),
                        i.contact_at,
                        centi,
                        i.points == 0,
                    )
                })
                .collect();
            rows_of(rows, period, &p.zone, str::to_owned)
        }
        _ => return Err(ApiError::invalid("by", "must be agent, queue or item")),
    };
    Ok(Json(ReportOut {
        period: period.code().to_owned(),
        by: by.to_owned(),
        periods,
        rows,
    }))
}
