//! Reviews for reviewers (`quality.review`): start one on a closed contact with an active
//! scorecard, save the draft, submit it scored, read it beside the contact's transcript or
//! recordings, and resolve an agent's dispute by upholding or re-scoring it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use switchboard_engine::quality::{
    check_answers, score, Answer, Resolution, ReviewAction, ReviewStatus, MAX_COMMENT,
};
use switchboard_engine::{Channel, ContactId, ReviewId, ScorecardId, UserId};
use switchboard_storage::{DisputeEnd, Review, ReviewFilter};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::shapes::{answers_in, AnswerWire, ReviewOut};
use super::{not_now, review_out_one, reviews_out, unusable};
use crate::api::wire::rfc3339;
use crate::auth::{perm, Can};
use crate::chat::writer::message_json_for_agent;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, IdPath};
use crate::state::AppState;
use switchboard_storage::Principal;

/// Trimmed text of at most `MAX_COMMENT` characters, without control characters.
pub(super) fn comment(field: &str, text: &str) -> ApiResult<String> {
    let t = text.trim();
    if t.chars().count() > MAX_COMMENT {
        return Err(ApiError::invalid(
            field.to_owned(),
            format!("at most {MAX_COMMENT} characters"),
        ));
    }
    if switchboard_engine::validation::refused_char(t).is_some() {
        return Err(ApiError::invalid(
            field.to_owned(),
            "must not contain control characters",
        ));
    }
    Ok(t.to_owned())
}

/// A review of the caller's tenant, else 404.
pub(super) async fn load(state: &AppState, p: &Principal, id: Uuid) -> ApiResult<Review> {
    state
        .store
        .review(p.tenant_id, ReviewId(id))
        .await?
        .ok_or_else(ApiError::not_found)
}

/// Saves a review that was `was`, answering with it as stored.
pub(super) async fn store(
    state: &AppState,
    p: &Principal,
    r: Review,
    was: ReviewStatus,
) -> ApiResult<Json<ReviewOut>> {
    state.store.save_review(p.tenant_id, &r, was).await?;
    Ok(Json(review_out_one(state, p.tenant_id, r).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewSearch {
    agent_id: Option<Uuid>,
    /// draft, submitted, acknowledged, disputed or resolved.
    status: Option<String>,
    /// Only the caller's own reviews (as reviewer).
    #[serde(default)]
    mine: bool,
}

/// Reviews, newest contact first (at most 500).
#[utoipa::path(get, path = "/api/v1/quality/reviews", operation_id = "quality_reviews_list", tag = "quality",
    security(("bearer" = ["quality.review"])), params(ReviewSearch),
    responses((status = 200, body = Vec<ReviewOut>), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    p: Can<perm::QualityReview>,
    ApiQuery(q): ApiQuery<ReviewSearch>,
) -> ApiResult<Json<Vec<ReviewOut>>> {
    let status = q
        .status
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(ReviewStatus::parse)
        .transpose()?;
    let filter = ReviewFilter {
        agent: q.agent_id.map(UserId),
        reviewer: q.mine.then_some(p.user_id),
        status,
        no_drafts: false,
        limit: 500,
    };
    let reviews = state.store.reviews(p.tenant_id, &filter).await?;
    Ok(Json(reviews_out(&state, p.tenant_id, reviews).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartIn {
    /// A closed contact of the tenant served by an agent, not reviewed yet.
    pub contact_id: Uuid,
    /// An active scorecard; the review keeps its current version.
    pub scorecard_id: Uuid,
}

/// Start a review (a draft) of a contact against a scorecard's current version.
#[utoipa::path(post, path = "/api/v1/quality/reviews", operation_id = "quality_reviews_create", tag = "quality",
    security(("bearer" = ["quality.review"])), request_body = StartIn,
    responses((status = 201, body = ReviewOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    p: Can<perm::QualityReview>,
    ApiJson(req): ApiJson<StartIn>,
) -> ApiResult<(StatusCode, Json<ReviewOut>)> {
    let contact = state
        .store
        .stored_contact(p.tenant_id, ContactId(req.contact_id))
        .await?
        .ok_or_else(ApiError::not_found)?;
    let (Some(closed_at), Some(agent)) = (contact.closed_at, contact.agent) else {
        return Err(ApiError::client(
            StatusCode::CONFLICT,
            "not_closed",
            "only a closed contact an agent served can be reviewed",
        ));
    };
    let card = state
        .store
        .scorecard(p.tenant_id, ScorecardId(req.scorecard_id))
        .await?
        .ok_or_else(ApiError::not_found)?;
    if !card.active {
        return Err(ApiError::invalid(
            "scorecard_id",
            "this scorecard is retired",
        ));
    }
    let now = state.clock.now_ms();
    let review = Review {
        id: ReviewId::new(),
        contact: contact.id,
        agent,
        queue: contact.queue,
        channel: contact.channel,
        scorecard: card.id,
        version: card.version,
        reviewer: p.user_id,
        status: ReviewStatus::Draft,
        answers: vec![Answer::default(); card.card.items().count()],
        comment: String::new(),
        score: None,
        dispute_reason: None,
        dispute_end: None,
        contact_at: closed_at,
        created_at: now,
        updated_at: now,
        submitted_at: None,
        acknowledged_at: None,
        disputed_at: None,
        resolved_at: None,
    };
    state
        .store
        .create_review(p.tenant_id, &review)
        .await
        .map_err(ApiError::on_conflict(
            "contact_id",
            "this contact already has a review",
        ))?;
    let out = review_out_one(&state, p.tenant_id, review).await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// One review.
#[utoipa::path(get, path = "/api/v1/quality/reviews/{id}", operation_id = "quality_reviews_get", tag = "quality",
    security(("bearer" = ["quality.review"])), params(("id" = Uuid, Path)),
    responses((status = 200, body = ReviewOut), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    p: Can<perm::QualityReview>,
    IdPath(id): IdPath,
) -> ApiResult<Json<ReviewOut>> {
    let r = load(&state, &p, id).await?;
    Ok(Json(review_out_one(&state, p.tenant_id, r).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoringIn {
    /// One per item of the review's scorecard version, section after section.
    pub answers: Vec<AnswerWire>,
    /// The overall comment.
    #[serde(default)]
    pub comment: String,
}

/// Answers checked against the review's scorecard version, and the score they give.
async fn scored(
    state: &AppState,
    p: &Principal,
    r: &mut Review,
    req: ScoringIn,
    complete: bool,
) -> ApiResult<()> {
    let card = state
        .store
        .scorecard_version(p.tenant_id, r.scorecard, r.version)
        .await?
        .ok_or_else(|| anyhow::anyhow!("review {} names a missing scorecard version", r.id))?;
    r.answers = check_answers(&card, answers_in(req.answers), complete).map_err(unusable)?;
    r.comment = comment("comment", &req.comment)?;
    r.score = score(&card, &r.answers);
    Ok(())
}

/// Save a draft's answers and comment (items may stay unscored).
#[utoipa::path(put, path = "/api/v1/quality/reviews/{id}", operation_id = "quality_reviews_save", tag = "quality",
    security(("bearer" = ["quality.review"])), params(("id" = Uuid, Path)), request_body = ScoringIn,
    responses((status = 200, body = ReviewOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save(
    State(state): State<AppState>,
    p: Can<perm::QualityReview>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<ScoringIn>,
) -> ApiResult<Json<ReviewOut>> {
    let mut r = load(&state, &p, id).await?;
    let was = r.status;
    r.status = was
        .after(ReviewAction::Save)
        .ok_or_else(|| not_now("edited", was.code()))?;
    scored(&state, &p, &mut r, req, false).await?;
    r.updated_at = state.clock.now_ms();
    store(&state, &p, r, was).await
}

/// Submit a review: every item scored, low scores explained where the item asks; the agent
/// sees it from now on.
#[utoipa::path(post, path = "/api/v1/quality/reviews/{id}/submit", operation_id = "quality_reviews_submit", tag = "quality",
    security(("bearer" = ["quality.review"])), params(("id" = Uuid, Path)), request_body = ScoringIn,
    responses((status = 200, body = ReviewOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn submit(
    State(state): State<AppState>,
    p: Can<perm::QualityReview>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<ScoringIn>,
) -> ApiResult<Json<ReviewOut>> {
    let mut r = load(&state, &p, id).await?;
    let was = r.status;
    r.status = was
        .after(ReviewAction::Submit)
        .ok_or_else(|| not_now("submitted", was.code()))?;
    scored(&state, &p, &mut r, req, true).await?;
    let now = state.clock.now_ms();
    r.updated_at = now;
    r.submitted_at = Some(now);
    store(&state, &p, r, was).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveIn {
    /// upheld: the score stands; rescored: `answers` replace the old ones.
    pub resolution: String,
    /// Why, for the agent (required).
    pub note: String,
    /// For a re-score: every item's answer.
    #[serde(default)]
    pub answers: Option<Vec<AnswerWire>>,
}

/// Resolve a disputed review: uphold it or score it again, with a note for the agent.
#[utoipa::path(post, path = "/api/v1/quality/reviews/{id}/resolve", operation_id = "quality_reviews_resolve", tag = "quality",
    security(("bearer" = ["quality.review"])), params(("id" = Uuid, Path)), request_body = ResolveIn,
    responses((status = 200, body = ReviewOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn resolve(
    State(state): State<AppState>,
    p: Can<perm::QualityReview>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<ResolveIn>,
) -> ApiResult<Json<ReviewOut>> {
    let mut r = load(&state, &p, id).await?;
    let was = r.status;
    r.status = was
        .after(ReviewAction::Resolve)
        .ok_or_else(|| not_now("resolved", was.code()))?;
    let resolution = Resolution::parse(&req.resolution)?;
    let note = comment("note", &req.note)?;
    if note.is_empty() {
        return Err(ApiError::invalid("note", "say why, for the agent"));
    }
    match (resolution, req.answers) {
        (Resolution::Rescored, Some(answers)) => {
            let scoring = ScoringIn {
                answers,
                comment: r.comment.clone(),
            };
            scored(&state, &p, &mut r, scoring, true).await?;
        }
        (Resolution::Rescored, None) => {
            return Err(ApiError::invalid(
                "answers",
                "a re-score gives every item's answer",
            ))
        }
        (Resolution::Upheld, Some(_)) => {
            return Err(ApiError::invalid(
                "answers",
                "an upheld review keeps its answers",
            ))
        }
        (Resolution::Upheld, None) => {}
    }
    let now = state.clock.now_ms();
    r.dispute_end = Some(DisputeEnd { resolution, note });
    r.updated_at = now;
    r.resolved_at = Some(now);
    store(&state, &p, r, was).await
}

/// A call of the reviewed contact.
#[derive(Serialize, ToSchema)]
pub struct CallRef {
    pub id: Uuid,
    pub started_at: String,
    /// Whether it was recorded: `GET /api/v1/calls/{id}/recording` plays it for holders of
    /// `recordings.access`.
    pub recording: bool,
}

/// What the reviewer reads or hears beside the scorecard.
#[derive(Serialize, ToSchema)]
pub struct ContactMaterial {
    /// The chat transcript, oldest first (empty for calls and tasks).
    pub messages: Vec<Value>,
    /// The contact's calls, newest first.
    pub calls: Vec<CallRef>,
    #[schema(required)]
    pub title: Option<String>,
    #[schema(required)]
    pub customer: Option<String>,
    #[schema(required)]
    pub summary: Option<String>,
    #[schema(required)]
    pub solution: Option<String>,
}

/// The reviewed contact's transcript, calls and summary.
#[utoipa::path(get, path = "/api/v1/quality/reviews/{id}/material", operation_id = "quality_reviews_material", tag = "quality",
    security(("bearer" = ["quality.review"])), params(("id" = Uuid, Path)),
    responses((status = 200, body = ContactMaterial), (status = 404, body = ErrorBody)))]
pub async fn material(
    State(state): State<AppState>,
    p: Can<perm::QualityReview>,
    IdPath(id): IdPath,
) -> ApiResult<Json<ContactMaterial>> {
    let r = load(&state, &p, id).await?;
    let contact = state
        .store
        .stored_contact(p.tenant_id, r.contact)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let messages = if contact.channel == Channel::Chat {
        let stored = state
            .store
            .chat_messages(p.tenant_id, r.contact, 0, 2000)
            .await?;
        stored.iter().map(message_json_for_agent).collect()
    } else {
        Vec::new()
    };
    let calls = state
        .store
        .call_records_of_contacts(p.tenant_id, &[r.contact], 20)
        .await?
        .into_iter()
        .map(|c| CallRef {
            id: c.id,
            started_at: rfc3339(c.started_at),
            recording: c.recording,
        })
        .collect();
    Ok(Json(ContactMaterial {
        messages,
        calls,
        title: contact.title,
        customer: contact.customer,
        summary: contact.summary,
        solution: contact.solution,
    }))
}
