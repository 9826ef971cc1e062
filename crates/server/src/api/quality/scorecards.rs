//! Scorecards (质检评分表): admins define them (`quality.manage`); reviewers read them
//! (`quality.review`). An edit of a scorecard some review was scored with becomes its next
//! version; scorecards are retired, never deleted.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use switchboard_engine::ScorecardId;
use utoipa::ToSchema;

use super::shapes::{scorecard_out, ScorecardIn, ScorecardOut};
use super::unusable;
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, IdPath};
use crate::state::AppState;

const NAME_TAKEN: &str = "another scorecard has this name";

/// The tenant's scorecards (current versions), by name.
#[utoipa::path(get, path = "/api/v1/quality/scorecards", operation_id = "quality_scorecards_list", tag = "quality",
    security(("bearer" = ["quality.review"])), responses((status = 200, body = Vec<ScorecardOut>)))]
pub async fn list(
    State(state): State<AppState>,
    p: Can<perm::QualityReview>,
) -> ApiResult<Json<Vec<ScorecardOut>>> {
    let cards = state.store.scorecards(p.tenant_id).await?;
    Ok(Json(cards.into_iter().map(scorecard_out).collect()))
}

/// Define a scorecard: sections of items whose weights add up to 100 (422 naming the field
/// otherwise, and nothing stored).
#[utoipa::path(post, path = "/api/v1/quality/scorecards", operation_id = "quality_scorecards_create", tag = "quality",
    security(("bearer" = ["quality.manage"])), request_body = ScorecardIn,
    responses((status = 201, body = ScorecardOut), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    p: Can<perm::ManageQuality>,
    ApiJson(req): ApiJson<ScorecardIn>,
) -> ApiResult<(StatusCode, Json<ScorecardOut>)> {
    let card = req.into_card().checked().map_err(unusable)?;
    let id = ScorecardId::new();
    let now = state.clock.now_ms();
    state
        .store
        .create_scorecard(p.tenant_id, id, &card, now)
        .await
        .map_err(ApiError::on_conflict("name", NAME_TAKEN))?;
    let stored = state
        .store
        .scorecard(p.tenant_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok((StatusCode::CREATED, Json(scorecard_out(stored))))
}

/// One scorecard's current version.
#[utoipa::path(get, path = "/api/v1/quality/scorecards/{id}", operation_id = "quality_scorecards_get", tag = "quality",
    security(("bearer" = ["quality.review"])), params(("id" = Uuid, Path)),
    responses((status = 200, body = ScorecardOut), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    p: Can<perm::QualityReview>,
    IdPath(id): IdPath,
) -> ApiResult<Json<ScorecardOut>> {
    let stored = state
        .store
        .scorecard(p.tenant_id, ScorecardId(id))
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(scorecard_out(stored)))
}

/// Change a scorecard. When a review was scored with its current version the change is a
/// new version; the reviews keep theirs.
#[utoipa::path(put, path = "/api/v1/quality/scorecards/{id}", operation_id = "quality_scorecards_update", tag = "quality",
    security(("bearer" = ["quality.manage"])), params(("id" = Uuid, Path)), request_body = ScorecardIn,
    responses((status = 200, body = ScorecardOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    p: Can<perm::ManageQuality>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<ScorecardIn>,
) -> ApiResult<Json<ScorecardOut>> {
    let id = ScorecardId(id);
    // A missing scorecard is a 404 even when the body is bad.
    state
        .store
        .scorecard(p.tenant_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let card = req.into_card().checked().map_err(unusable)?;
    let now = state.clock.now_ms();
    state
        .store
        .update_scorecard(p.tenant_id, id, &card, now)
        .await
        .map_err(ApiError::on_conflict("name", NAME_TAKEN))?;
    let stored = state
        .store
        .scorecard(p.tenant_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(scorecard_out(stored)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActiveIn {
    /// false retires the scorecard: no new reviews with it; true offers it again.
    pub active: bool,
}

/// Retire or activate a scorecard.
#[utoipa::path(put, path = "/api/v1/quality/scorecards/{id}/active", operation_id = "quality_scorecards_active", tag = "quality",
    security(("bearer" = ["quality.manage"])), params(("id" = Uuid, Path)), request_body = ActiveIn,
    responses((status = 200, body = ScorecardOut), (status = 404, body = ErrorBody)))]
pub async fn set_active(
    State(state): State<AppState>,
    p: Can<perm::ManageQuality>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<ActiveIn>,
) -> ApiResult<Json<ScorecardOut>> {
    let id = ScorecardId(id);
    let now = state.clock.now_ms();
    state
        .store
        .set_scorecard_active(p.tenant_id, id, req.active, now)
        .await?;
    let stored = state
        .store
        .scorecard(p.tenant_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(scorecard_out(stored)))
}
