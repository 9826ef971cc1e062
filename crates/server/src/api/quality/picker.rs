//! The reviewer's contact picker: closed contacts by date range (the tenant's days), queue,
//! agent, channel, duration and disposition; and random draws of N contacts per agent per
//! week, repeatable from their seed.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_engine::quality::{draw, period_start, Candidate, Period};
use switchboard_engine::{Channel, SampleId, SkillQueueId, UserId};
use switchboard_storage::{ContactFilter, Millis, Principal, ReviewableContact, Sample};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{date_range, Directory};
use crate::api::wire::{channel_schema, rfc3339};
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery};
use crate::state::AppState;

/// The most contacts a search lists, and a draw considers.
const LIST_LIMIT: u32 = 500;
const DRAW_POOL: u32 = 20_000;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContactSearch {
    /// First day (YYYY-MM-DD, the tenant's calendar) the contact closed on; 29 days before
    /// `to` when absent.
    from: Option<String>,
    /// Last day, inclusive, at most a year after `from`; today when absent.
    to: Option<String>,
    queue_id: Option<Uuid>,
    agent_id: Option<Uuid>,
    channel: Option<String>,
    /// At least this many seconds from arrival to close.
    min_duration_s: Option<u32>,
    disposition: Option<String>,
    /// Only contacts without a review (true unless false).
    unreviewed: Option<bool>,
}

/// A closed contact a reviewer may pick.
#[derive(Serialize, ToSchema)]
pub struct PickOut {
    pub contact_id: Uuid,
    #[schema(schema_with = channel_schema)]
    pub channel: String,
    pub queue_id: Uuid,
    pub queue_name: String,
    pub agent_id: Uuid,
    pub agent_name: String,
    #[schema(required)]
    pub customer: Option<String>,
    #[schema(required)]
    pub title: Option<String>,
    #[schema(required)]
    pub disposition: Option<String>,
    pub created_at: String,
    pub closed_at: String,
    pub duration_s: i64,
    /// Its review, when it has one.
    #[schema(required)]
    pub review_id: Option<Uuid>,
    #[schema(required)]
    pub review_status: Option<String>,
}

fn filter_of(
    p: &Principal,
    q: &ContactSearch,
    limit: u32,
    now: Millis,
) -> ApiResult<ContactFilter> {
    let (from, to) = date_range(&p.zone, q.from.as_deref(), q.to.as_deref(), now)?;
    let channel = q
        .channel
        .as_deref()
        .filter(|c| !c.is_empty())
        .map(Channel::parse)
        .transpose()?;
    let disposition = q
        .disposition
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    if disposition.is_some_and(|d| d.chars().count() > 32) {
        return Err(ApiError::invalid("disposition", "at most 32 characters"));
    }
    Ok(ContactFilter {
        from,
        to,
        queue: q.queue_id.map(SkillQueueId),
        agent: q.agent_id.map(UserId),
        channel,
        min_duration_ms: q.min_duration_s.map(|s| i64::from(s) * 1000),
        disposition: disposition.map(str::to_owned),
        unreviewed: q.unreviewed.unwrap_or(true),
        limit,
    })
}

fn pick_out(c: ReviewableContact, names: &Directory) -> PickOut {
    PickOut {
        contact_id: c.id.0,
        channel: c.channel.code().to_owned(),
        queue_id: c.queue.0,
        queue_name: names.queue(c.queue),
        agent_id: c.agent.0,
        agent_name: names.user(c.agent),
        customer: c.customer,
        title: c.title,
        disposition: c.disposition,
        created_at: rfc3339(c.created_at),
        closed_at: rfc3339(c.closed_at),
        duration_s: (c.closed_at - c.created_at).max(0) / 1000,
        review_id: c.review.map(|(id, _)| id.0),
        review_status: c.review.map(|(_, s)| s.code().to_owned()),
    }
}

/// Closed contacts served by an agent, newest first (at most 500).
#[utoipa::path(get, path = "/api/v1/quality/contacts", operation_id = "quality_contacts", tag = "quality",
    security(("bearer" = ["quality.review"])), params(ContactSearch),
    responses((status = 200, body = Vec<PickOut>), (status = 400, body = ErrorBody)))]
pub async fn contacts(
    State(state): State<AppState>,
    p: Can<perm::QualityReview>,
    ApiQuery(q): ApiQuery<ContactSearch>,
) -> ApiResult<Json<Vec<PickOut>>> {
    let filter = filter_of(&p, &q, LIST_LIMIT, state.clock.now_ms())?;
    let found = state
        .store
        .reviewable_contacts(p.tenant_id, &filter)
        .await?;
    let names = Directory::load(&state, p.tenant_id).await?;
    Ok(Json(
        found.into_iter().map(|c| pick_out(c, &names)).collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrawIn {
    /// First day (YYYY-MM-DD) the contacts closed on.
    pub from: String,
    /// Last day, inclusive.
    pub to: String,
    /// Contacts per agent per week, 1-50.
    pub per_agent: u32,
    /// The same seed over the same contacts draws the same sample; a fresh one when absent.
    #[serde(default)]
    pub seed: Option<u64>,
    #[serde(default)]
    pub queue_id: Option<Uuid>,
    #[serde(default)]
    pub channel: Option<String>,
    #[serde(default)]
    pub min_duration_s: Option<u32>,
}

/// A draw and the contacts it drew.
#[derive(Serialize, ToSchema)]
pub struct SampleOut {
    pub id: Uuid,
    pub seed: u64,
    pub per_agent: u32,
    pub from: String,
    pub to: String,
    pub drawn_by: Uuid,
    pub created_at: String,
    pub contacts: Vec<PickOut>,
}

/// Draw N unreviewed contacts per agent per week (weeks from Monday in the tenant's zone)
/// at random, and keep the draw.
#[utoipa::path(post, path = "/api/v1/quality/samples", operation_id = "quality_samples_draw", tag = "quality",
    security(("bearer" = ["quality.review"])), request_body = DrawIn,
    responses((status = 201, body = SampleOut), (status = 400, body = ErrorBody)))]
pub async fn draw_sample(
    State(state): State<AppState>,
    p: Can<perm::QualityReview>,
    ApiJson(req): ApiJson<DrawIn>,
) -> ApiResult<(StatusCode, Json<SampleOut>)> {
    if !(1..=50).contains(&req.per_agent) {
        return Err(ApiError::invalid("per_agent", "must be 1-50"));
    }
    let search = ContactSearch {
        from: Some(req.from),
        to: Some(req.to),
        queue_id: req.queue_id,
        agent_id: None,
        channel: req.channel,
        min_duration_s: req.min_duration_s,
        disposition: None,
        unreviewed: Some(true),
    };
    let now = state.clock.now_ms();
    let filter = filter_of(&p, &search, DRAW_POOL, now)?;
    let pool = state
        .store
        .reviewable_contacts(p.tenant_id, &filter)
        .await?;
    // Without a seed, the time of the draw is one: kept with the draw, so it can be repeated.
    let seed = req.seed.unwrap_or(now.unsigned_abs());
    let candidates: Vec<Candidate> = pool
        .iter()
        .map(|c| Candidate {
            contact: c.id,
            agent: c.agent,
            week: period_start(c.closed_at, Period::Week, &p.zone),
        })
        .collect();
    let drawn = draw(&candidates, req.per_agent, seed);
    let sample = Sample {
        id: SampleId::new(),
        drawn_by: p.user_id,
        seed,
        per_agent: req.per_agent,
        from: filter.from,
        to: filter.to,
        created_at: now,
        contacts: drawn,
    };
    state.store.save_sample(p.tenant_id, &sample).await?;
    let names = Directory::load(&state, p.tenant_id).await?;
    Ok((StatusCode::CREATED, Json(sample_out(sample, pool, &names))))
}

fn sample_out(s: Sample, mut pool: Vec<ReviewableContact>, names: &Directory) -> SampleOut {
    let contacts = s
        .contacts
        .iter()
        .filter_map(|id| {
            let at = pool.iter().position(|c| c.id == *id)?;
            Some(pick_out(pool.swap_remove(at), names))
        })
        .collect();
    SampleOut {
        id: s.id.0,
        seed: s.seed,
        per_agent: s.per_agent,
        from: rfc3339(s.from),
        to: rfc3339(s.to),
        drawn_by: s.drawn_by.0,
        created_at: rfc3339(s.created_at),
        contacts,
    }
}

/// The latest 20 draws, newest first, with the contacts they drew as they stand now.
#[utoipa::path(get, path = "/api/v1/quality/samples", operation_id = "quality_samples_list", tag = "quality",
    security(("bearer" = ["quality.review"])), responses((status = 200, body = Vec<SampleOut>)))]
pub async fn list_samples(
    State(state): State<AppState>,
    p: Can<perm::QualityReview>,
) -> ApiResult<Json<Vec<SampleOut>>> {
    let samples = state.store.samples(p.tenant_id, 20).await?;
    let names = Directory::load(&state, p.tenant_id).await?;
    let mut out = Vec::with_capacity(samples.len());
    for s in samples {
        let filter = ContactFilter {
            from: s.from,
            to: s.to,
            queue: None,
            agent: None,
            channel: None,
            min_duration_ms: None,
            disposition: None,
            unreviewed: false,
            limit: DRAW_POOL,
        };
        let pool = state
            .store
            .reviewable_contacts(p.tenant_id, &filter)
            .await?;
        out.push(sample_out(s, pool, &names));
    }
    Ok(Json(out))
}
