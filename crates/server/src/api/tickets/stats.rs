//! The ticket management view (T10): tickets in, assigned, completed and backlog, by type,
//! by skill group and by day.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_engine::ticket::time::{civil_from_days, parse_datetime};
use switchboard_engine::{SkillQueueId, TicketTypeId};
use switchboard_storage::{StatCounts, StatsRange};
use utoipa::ToSchema;

use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiQuery;
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// RFC 3339; default 30 days ago.
    pub from: Option<String>,
    /// RFC 3339; default now.
    pub to: Option<String>,
    pub type_id: Option<uuid::Uuid>,
    pub group_id: Option<uuid::Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct Counts {
    pub created: i64,
    pub assigned: i64,
    pub completed: i64,
    pub backlog: i64,
}

impl From<StatCounts> for Counts {
    fn from(c: StatCounts) -> Self {
        Self {
            created: c.created,
            assigned: c.assigned,
            completed: c.completed,
            backlog: c.backlog,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ByType {
    pub type_id: uuid::Uuid,
    #[serde(flatten)]
    pub counts: Counts,
}

#[derive(Serialize, ToSchema)]
pub struct ByGroup {
    #[schema(required)]
    pub group_id: Option<uuid::Uuid>,
    #[serde(flatten)]
    pub counts: Counts,
}

#[derive(Serialize, ToSchema)]
pub struct ByDay {
    /// YYYY-MM-DD (UTC+8).
    pub date: String,
    pub created: i64,
    pub completed: i64,
}

#[derive(Serialize, ToSchema)]
pub struct Stats {
    #[serde(flatten)]
    pub totals: Counts,
    pub by_type: Vec<ByType>,
    pub by_group: Vec<ByGroup>,
    pub by_day: Vec<ByDay>,
}

/// Tickets in, assigned, completed and backlog over a date range.
#[utoipa::path(get, path = "/api/v1/tickets/stats", tag = "tickets", security(("bearer" = ["tickets.view_all"])), params(StatsQuery),
    responses((status = 200, body = Stats), (status = 400, body = ErrorBody)))]
pub async fn stats(
    State(state): State<AppState>,
    p: Can<perm::TicketViewAll>,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> ApiResult<Json<Stats>> {
    let time = |field: &'static str, v: &Option<String>, default: i64| match v {
        Some(v) => parse_datetime(v, &p.zone)
            .ok_or_else(|| ApiError::invalid(field, "must be a time (RFC 3339)")),
        None => Ok(default),
    };
    let now = state.clock.now_ms();
    let to = time("to", &q.to, now)?;
    let from = time("from", &q.from, to - 30 * 86_400_000)?;
    if from >= to || to - from > 400 * 86_400_000 {
        return Err(ApiError::invalid(
            "from",
            "from must be before to, at most 400 days apart",
        ));
    }
    let s = state
        .store
        .ticket_stats(
            p.tenant_id,
            &StatsRange {
                from,
                to,
                offsets: p.zone.offsets_between(from, to),
                type_id: q.type_id.map(TicketTypeId),
                group: q.group_id.map(SkillQueueId),
            },
        )
        .await?;
    Ok(Json(Stats {
        totals: s.totals.into(),
        by_type: s
            .by_type
            .into_iter()
            .map(|(t, c)| ByType {
                type_id: t.0,
                counts: c.into(),
            })
            .collect(),
        by_group: s
            .by_group
            .into_iter()
            .map(|(g, c)| ByGroup {
                group_id: g.map(|g| g.0),
                counts: c.into(),
            })
            .collect(),
        by_day: s
            .by_day
            .into_iter()
            .map(|(d, created, completed)| {
                let (y, m, day) = civil_from_days(d);
                ByDay {
                    date: format!("{y:04}-{m:02}-{day:02}"),
                    created,
                    completed,
                }
            })
            .collect(),
    }))
}
