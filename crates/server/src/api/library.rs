//! Canned replies (M11) and the document library (M2).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_engine::{CannedReplyId, DocumentId, Permission};
use switchboard_storage::{CannedReply, Document};
use utoipa::ToSchema;

use super::contacts::bounded;
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, IdPath};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct CannedReplyOut {
    pub id: uuid::Uuid,
    /// personal or team.
    #[schema(schema_with = crate::api::wire::canned_scope_schema)]
    pub scope: String,
    pub title: String,
    pub text: String,
}

impl From<CannedReply> for CannedReplyOut {
    fn from(r: CannedReply) -> Self {
        Self {
            id: r.id.0,
            scope: if r.owner.is_some() {
                "personal"
            } else {
                "team"
            }
            .into(),
            title: r.title,
            text: r.text,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCannedReply {
    /// personal (mine) or team (needs `documents.manage`).
    pub scope: String,
    pub title: String,
    pub text: String,
}

/// The team's canned replies and my own.
#[utoipa::path(get, path = "/api/v1/canned-replies", tag = "chat", security(("bearer" = ["agent.work"])),
    responses((status = 200, body = [CannedReplyOut])))]
pub async fn list_replies(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
) -> ApiResult<Json<Vec<CannedReplyOut>>> {
    let replies = state.store.canned_replies(p.tenant_id, p.user_id).await?;
    Ok(Json(
        replies.into_iter().map(CannedReplyOut::from).collect(),
    ))
}

/// Add a canned reply, personal or for the whole team.
#[utoipa::path(post, path = "/api/v1/canned-replies", tag = "chat", security(("bearer" = ["agent.work"])), request_body = NewCannedReply,
    responses((status = 201, body = CannedReplyOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_reply(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    ApiJson(req): ApiJson<NewCannedReply>,
) -> ApiResult<(StatusCode, Json<CannedReplyOut>)> {
    let owner = match req.scope.as_str() {
        "personal" => Some(p.user_id),
        "team" => {
            p.require(Permission::ManageDocuments)?;
            None
        }
        _ => return Err(ApiError::invalid("scope", "must be personal or team")),
    };
    let title = bounded("title", Some(&req.title), 64)?
        .ok_or_else(|| ApiError::invalid("title", "must not be empty"))?;
    let text = req.text.trim();
    if text.is_empty() || text.chars().count() > 2000 {
        return Err(ApiError::invalid("text", "must be 1-2000 characters"));
    }
    let reply = CannedReply {
        id: CannedReplyId::new(),
        owner,
        title,
        text: text.to_owned(),
    };
    state
        .store
        .create_canned_reply(p.tenant_id, &reply, state.clock.now_ms())
        .await?;
    Ok((StatusCode::CREATED, Json(reply.into())))
}

/// Delete one of my canned replies, or a team one (needs `documents.manage`).
#[utoipa::path(delete, path = "/api/v1/canned-replies/{id}", tag = "chat", security(("bearer" = ["agent.work"])),
    params(("id" = uuid::Uuid, Path)), responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_reply(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    let reply = state
        .store
        .canned_replies(p.tenant_id, p.user_id)
        .await?
        .into_iter()
        .find(|r| r.id.0 == id)
        .ok_or_else(ApiError::not_found)?;
    if reply.owner.is_none() {
        p.require(Permission::ManageDocuments)?;
    }
    state
        .store
        .delete_canned_reply(p.tenant_id, reply.id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct DocumentOut {
    pub id: uuid::Uuid,
    pub title: String,
    pub url: String,
    #[schema(required)]
    pub description: Option<String>,
}

impl From<Document> for DocumentOut {
    fn from(d: Document) -> Self {
        Self {
            id: d.id.0,
            title: d.title,
            url: d.url,
            description: d.description,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDocument {
    pub title: String,
    /// An http:// or https:// link to the document.
    pub url: String,
    pub description: Option<String>,
}

/// The document library.
#[utoipa::path(get, path = "/api/v1/documents", tag = "chat", security(("bearer" = ["agent.work"])),
    responses((status = 200, body = [DocumentOut])))]
pub async fn list_documents(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
) -> ApiResult<Json<Vec<DocumentOut>>> {
    Ok(Json(
        state
            .store
            .documents(p.tenant_id)
            .await?
            .into_iter()
            .map(DocumentOut::from)
            .collect(),
    ))
}

/// Add a document to the library.
#[utoipa::path(post, path = "/api/v1/documents", tag = "chat", security(("bearer" = ["documents.manage"])), request_body = NewDocument,
    responses((status = 201, body = DocumentOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_document(
    State(state): State<AppState>,
    p: Can<perm::ManageDocuments>,
    ApiJson(req): ApiJson<NewDocument>,
) -> ApiResult<(StatusCode, Json<DocumentOut>)> {
    let title = bounded("title", Some(&req.title), 100)?
        .ok_or_else(|| ApiError::invalid("title", "must not be empty"))?;
    let url = bounded("url", Some(&req.url), 2000)?
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"));
    let url = url.ok_or_else(|| ApiError::invalid("url", "must be an http:// or https:// URL"))?;
    let description = bounded("description", req.description.as_deref(), 500)?;
    let document = Document {
        id: DocumentId::new(),
        title,
        url,
        description,
    };
    state
        .store
        .create_document(p.tenant_id, &document, state.clock.now_ms())
        .await?;
    Ok((StatusCode::CREATED, Json(document.into())))
}

/// Remove a document from the library (messages already sent keep their card).
#[utoipa::path(delete, path = "/api/v1/documents/{id}", tag = "chat", security(("bearer" = ["documents.manage"])),
    params(("id" = uuid::Uuid, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_document(
    State(state): State<AppState>,
    p: Can<perm::ManageDocuments>,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    state
        .store
        .delete_document(p.tenant_id, DocumentId(id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
