//! The agent's own reviews (`agent.work`): submitted ones only, never another agent's (404),
//! acknowledged or disputed with a reason.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use switchboard_engine::quality::ReviewAction;
use switchboard_storage::{Principal, Review, ReviewFilter};
use utoipa::ToSchema;
use uuid::Uuid;

use super::reviews::{comment, load, store};
use super::shapes::ReviewOut;
use super::{not_now, review_out_one, reviews_out};
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, IdPath};
use crate::state::AppState;

/// The caller's own review past draft, else 404.
async fn own(state: &AppState, p: &Principal, id: Uuid) -> ApiResult<Review> {
    let r = load(state, p, id).await?;
    if r.agent != p.user_id || !r.status.shown_to_agent() {
        return Err(ApiError::not_found());
    }
    Ok(r)
}

/// My reviews, newest contact first.
#[utoipa::path(get, path = "/api/v1/agent/quality/reviews", operation_id = "agent_quality_reviews", tag = "quality",
    security(("bearer" = ["agent.work"])), responses((status = 200, body = Vec<ReviewOut>)))]
pub async fn list(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
) -> ApiResult<Json<Vec<ReviewOut>>> {
    let filter = ReviewFilter {
        agent: Some(p.user_id),
        no_drafts: true,
        limit: 500,
        ..ReviewFilter::default()
    };
    let reviews = state.store.reviews(p.tenant_id, &filter).await?;
    Ok(Json(reviews_out(&state, p.tenant_id, reviews).await?))
}

/// One of my reviews.
#[utoipa::path(get, path = "/api/v1/agent/quality/reviews/{id}", operation_id = "agent_quality_review", tag = "quality",
    security(("bearer" = ["agent.work"])), params(("id" = Uuid, Path)),
    responses((status = 200, body = ReviewOut), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    IdPath(id): IdPath,
) -> ApiResult<Json<ReviewOut>> {
    let r = own(&state, &p, id).await?;
    Ok(Json(review_out_one(&state, p.tenant_id, r).await?))
}

/// Accept my submitted review.
#[utoipa::path(post, path = "/api/v1/agent/quality/reviews/{id}/acknowledge", operation_id = "agent_quality_acknowledge", tag = "quality",
    security(("bearer" = ["agent.work"])), params(("id" = Uuid, Path)),
    responses((status = 200, body = ReviewOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn acknowledge(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    IdPath(id): IdPath,
) -> ApiResult<Json<ReviewOut>> {
    let mut r = own(&state, &p, id).await?;
    let was = r.status;
    r.status = was
        .after(ReviewAction::Acknowledge)
        .ok_or_else(|| not_now("acknowledged", was.code()))?;
    let now = state.clock.now_ms();
    r.updated_at = now;
    r.acknowledged_at = Some(now);
    store(&state, &p, r, was).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisputeIn {
    /// Why the score is wrong (1-2000 characters).
    pub reason: String,
}

/// Dispute my submitted review; a reviewer resolves it.
#[utoipa::path(post, path = "/api/v1/agent/quality/reviews/{id}/dispute", operation_id = "agent_quality_dispute", tag = "quality",
    security(("bearer" = ["agent.work"])), params(("id" = Uuid, Path)), request_body = DisputeIn,
    responses((status = 200, body = ReviewOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn dispute(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<DisputeIn>,
) -> ApiResult<Json<ReviewOut>> {
    let mut r = own(&state, &p, id).await?;
    let was = r.status;
    r.status = was
        .after(ReviewAction::Dispute)
        .ok_or_else(|| not_now("disputed", was.code()))?;
    let reason = comment("reason", &req.reason)?;
    if reason.is_empty() {
        return Err(ApiError::invalid("reason", "say why you dispute the score"));
    }
    let now = state.clock.now_ms();
    r.dispute_reason = Some(reason);
    r.updated_at = now;
    r.disputed_at = Some(now);
    store(&state, &p, r, was).await
}
