//! Chat entry points (M1): where a company embeds the chat widget, and which queue its
//! conversations go to.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_engine::chat::EntryName;
use switchboard_engine::{Channel, ChatEntryId, SkillQueueId};
use switchboard_storage::ChatEntry;
use utoipa::ToSchema;

use super::contacts::bounded;
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, IdPath};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct EntryOut {
    pub id: uuid::Uuid,
    /// The URL name: the chat page is `/chat/{tenant}/{name}`.
    pub name: String,
    pub title: String,
    pub queue_id: uuid::Uuid,
    pub prechat_form: bool,
    /// Whether host-site identities can be verified (the secret itself is never shown again).
    pub verifies_identities: bool,
}

impl From<ChatEntry> for EntryOut {
    fn from(e: ChatEntry) -> Self {
        Self {
            id: e.id.0,
            name: e.name.as_str().to_owned(),
            title: e.title,
            queue_id: e.queue.0,
            prechat_form: e.prechat_form,
            verifies_identities: e.identity_secret.is_some(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEntry {
    pub name: String,
    pub title: String,
    /// A skill queue with channel `chat`.
    pub queue_id: uuid::Uuid,
    #[serde(default)]
    pub prechat_form: bool,
    /// The key the host site signs identities with (16-128 characters); leave out for
    /// anonymous visitors only.
    pub identity_secret: Option<String>,
}

/// The tenant's chat entry points.
#[utoipa::path(get, path = "/api/v1/chat-entries", operation_id = "entries_list", tag = "chat", security(("bearer" = ["queues.manage"])),
    responses((status = 200, body = [EntryOut]), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
) -> ApiResult<Json<Vec<EntryOut>>> {
    Ok(Json(
        state
            .store
            .chat_entries(p.tenant_id)
            .await?
            .into_iter()
            .map(EntryOut::from)
            .collect(),
    ))
}

/// Add a chat entry point.
#[utoipa::path(post, path = "/api/v1/chat-entries", operation_id = "entries_create", tag = "chat", security(("bearer" = ["queues.manage"])), request_body = NewEntry,
    responses((status = 201, body = EntryOut), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
    ApiJson(req): ApiJson<NewEntry>,
) -> ApiResult<(StatusCode, Json<EntryOut>)> {
    let name = EntryName::parse(&req.name).map_err(|e| ApiError::invalid("name", e.message))?;
    let title = bounded("title", Some(&req.title), 100)?
        .ok_or_else(|| ApiError::invalid("title", "must not be empty"))?;
    let queue = state
        .store
        .skill_queue(p.tenant_id, SkillQueueId(req.queue_id))
        .await?
        .filter(|q| q.spec.channel == Channel::Chat)
        .ok_or_else(|| {
            ApiError::invalid("queue_id", "must be a skill queue with channel 'chat'")
        })?;
    let secret = req.identity_secret.filter(|s| !s.is_empty());
    if secret
        .as_ref()
        .is_some_and(|s| !(16..=128).contains(&s.len()))
    {
        return Err(ApiError::invalid(
            "identity_secret",
            "must be 16-128 characters",
        ));
    }
    let entry = ChatEntry {
        id: ChatEntryId::new(),
        name,
        title,
        queue: queue.id,
        prechat_form: req.prechat_form,
        identity_secret: secret,
    };
    state
        .store
        .create_chat_entry(p.tenant_id, &entry, state.clock.now_ms())
        .await
        .map_err(ApiError::on_conflict(
            "name",
            "an entry point with this name exists",
        ))?;
    Ok((StatusCode::CREATED, Json(entry.into())))
}

/// Remove a chat entry point (its conversations stay).
#[utoipa::path(delete, path = "/api/v1/chat-entries/{id}", operation_id = "entries_delete", tag = "chat", security(("bearer" = ["queues.manage"])),
    params(("id" = uuid::Uuid, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    state
        .store
        .delete_chat_entry(p.tenant_id, ChatEntryId(id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
