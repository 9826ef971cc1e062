//! Quality inspection (issue #16, P4 质检): scorecards (`scorecards.rs`), the reviewer's
//! contact picker and random draws (`picker.rs`), reviews and disputes (`reviews.rs`), the
//! agent's own reviews (`mine.rs`) and the report (`report.rs`); JSON in `shapes.rs`. The
//! rules are `switchboard_engine::quality`'s: handlers parse, load, ask them, and save.

mod mine;
mod picker;
mod report;
mod reviews;
mod scorecards;
mod shapes;

use std::collections::HashMap;

use axum::http::StatusCode;
use switchboard_engine::quality::{check_range, QualityError};
use switchboard_engine::ticket::time::{civil_from_days, days_from_civil, local_date, parse_date};
use switchboard_engine::{SkillQueueId, TenantId, TenantZone, UserId};
use switchboard_storage::{Millis, Review};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use shapes::{review_out, Names, ReviewOut};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(scorecards::list, scorecards::create))
        .routes(routes!(scorecards::get, scorecards::update))
        .routes(routes!(scorecards::set_active))
        .routes(routes!(picker::contacts))
        .routes(routes!(picker::list_samples, picker::draw_sample))
        .routes(routes!(reviews::list, reviews::create))
        .routes(routes!(reviews::get, reviews::save))
        .routes(routes!(reviews::submit))
        .routes(routes!(reviews::resolve))
        .routes(routes!(reviews::material))
        .routes(routes!(mine::list))
        .routes(routes!(mine::get))
        .routes(routes!(mine::acknowledge))
        .routes(routes!(mine::dispute))
        .routes(routes!(report::report))
}

/// A refused scorecard or set of answers: 422 naming the field.
fn unusable(e: QualityError) -> ApiError {
    ApiError::Client {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid_field",
        message: e.message,
        field: Some(e.field),
    }
}

/// A step the review's status does not allow.
fn not_now(what: &str, status: &str) -> ApiError {
    ApiError::client(
        StatusCode::CONFLICT,
        "wrong_status",
        format!("a review that is {status} cannot be {what}"),
    )
}

/// `[from, to)` from two local dates of the tenant (`to` inclusive): at most a year, not
/// inverted. Without `to`, today (at `now`); without `from`, the 30 days ending on `to`.
fn date_range(
    zone: &TenantZone,
    from: Option<&str>,
    to: Option<&str>,
    now: Millis,
) -> ApiResult<(Millis, Millis)> {
    let day = |field: &str, v: Option<&str>| -> ApiResult<Option<i64>> {
        let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) else {
            return Ok(None);
        };
        let (y, m, d) = parse_date(v)
            .ok_or_else(|| ApiError::invalid(field.to_owned(), "must be a date (YYYY-MM-DD)"))?;
        Ok(Some(days_from_civil(y, m, d)))
    };
    let today = || {
        let local = local_date(now, zone);
        parse_date(&local).map_or(0, |(y, m, d)| days_from_civil(y, m, d))
    };
    let last = day("to", to)?.unwrap_or_else(today);
    let first = day("from", from)?.unwrap_or(last - 29);
    let start = zone.instant_of(civil_from_days(first), (0, 0, 0));
    let end = zone.instant_of(civil_from_days(last + 1), (0, 0, 0));
    let (Some(start), Some(end)) = (start, end) else {
        return Err(ApiError::invalid(
            "from",
            "not a date of the tenant's calendar",
        ));
    };
    check_range(start, end).map_err(|e| ApiError::invalid(e.field, e.message))?;
    Ok((start, end))
}

/// Names of the tenant's users and queues, to show beside ids.
struct Directory {
    users: HashMap<UserId, String>,
    queues: HashMap<SkillQueueId, String>,
}

impl Directory {
    async fn load(state: &AppState, tenant: TenantId) -> ApiResult<Directory> {
        let users = state.store.users(tenant).await?;
        let queues = state.store.skill_queues(tenant).await?;
        Ok(Directory {
            users: users
                .into_iter()
                .map(|u| (u.id, u.display_name.as_str().to_owned()))
                .collect(),
            queues: queues
                .into_iter()
                .map(|q| (q.id, q.spec.name.as_str().to_owned()))
                .collect(),
        })
    }

    fn user(&self, id: UserId) -> String {
        self.users.get(&id).cloned().unwrap_or_default()
    }

    fn queue(&self, id: SkillQueueId) -> String {
        self.queues.get(&id).cloned().unwrap_or_default()
    }
}

/// Reviews with their scorecard versions' items and the names of the people and queues.
async fn reviews_out(
    state: &AppState,
    tenant: TenantId,
    reviews: Vec<Review>,
) -> ApiResult<Vec<ReviewOut>> {
    let names = Directory::load(state, tenant).await?;
    let mut cards = HashMap::new();
    let mut out = Vec::with_capacity(reviews.len());
    for r in reviews {
        let key = (r.scorecard, r.version);
        if let std::collections::hash_map::Entry::Vacant(slot) = cards.entry(key) {
            let card = state
                .store
                .scorecard_version(tenant, r.scorecard, r.version)
                .await?
                .ok_or_else(|| {
                    anyhow::anyhow!("review {} names a missing scorecard version", r.id)
                })?;
            slot.insert(card);
        }
        let card = &cards[&key];
        let n = Names {
            agent: names.user(r.agent),
            queue: names.queue(r.queue),
            reviewer: names.user(r.reviewer),
        };
        out.push(review_out(r, card, n));
    }
    Ok(out)
}

async fn review_out_one(
    state: &AppState,
    tenant: TenantId,
    review: Review,
) -> ApiResult<ReviewOut> {
    reviews_out(state, tenant, vec![review])
        .await?
        .pop()
        .ok_or_else(|| anyhow::anyhow!("a review went missing").into())
}
