//! The agent's side of a chat conversation: read its messages, send one (M2, M11).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use switchboard_engine::acd::ContactPhase;
use switchboard_engine::chat::{message_text, MessageKind, Sender};
use switchboard_engine::{Channel, ContactId, MessageId, Permission};
use switchboard_storage::NewChatMessage;
use utoipa::ToSchema;

use super::contacts::load_contact;
use crate::auth::{now_ms, perm, Can};
use crate::chat::customer::message_json_for_agent;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, IdPath};
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct After {
    /// Only messages after this `seq`.
    #[serde(default)]
    after: i64,
}

/// A conversation's messages, oldest first (its agent, the agent who served it, supervisors).
#[utoipa::path(get, path = "/api/v1/contacts/{id}/messages", tag = "chat", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path), After), responses((status = 200, body = [Object]), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    IdPath(id): IdPath,
    Query(q): Query<After>,
) -> ApiResult<Json<Vec<Value>>> {
    let contact = ContactId(id);
    let (stored, live) = load_contact(&state, p.tenant_id, contact).await?;
    let holder = live.and_then(|v| v.phase.agent()).or(stored.agent);
    if stored.channel != Channel::Chat || !(holder == Some(p.user_id) || p.may(Permission::Monitor))
    {
        return Err(ApiError::not_found());
    }
    let messages = state
        .store
        .chat_messages(p.tenant_id, contact, q.after, 1000)
        .await?;
    Ok(Json(messages.iter().map(message_json_for_agent).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Send {
    /// Chosen by the sender; resending with the same id never stores the message twice.
    pub client_id: String,
    pub text: String,
}

/// Send a text message to the customer of a conversation I am connected to.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/messages", tag = "chat", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = Send,
    responses((status = 201, body = Object), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn send(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<Send>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    if req.client_id.is_empty() || req.client_id.len() > 64 {
        return Err(ApiError::invalid("client_id", "must be 1-64 characters"));
    }
    let text = message_text(&req.text)?;
    let contact = ContactId(id);
    let (stored, live) = load_contact(&state, p.tenant_id, contact).await?;
    if stored.channel != Channel::Chat {
        return Err(ApiError::invalid("id", "not a chat conversation"));
    }
    match live.map(|v| v.phase) {
        Some(ContactPhase::Connected { agent, .. }) if agent == p.user_id => {}
        _ => {
            return Err(ApiError::client(
                StatusCode::CONFLICT,
                "not_connected",
                "you are not connected to this conversation",
            ))
        }
    }
    let message = NewChatMessage {
        id: MessageId::new(),
        contact,
        sender: Sender::Agent,
        agent: Some(p.user_id),
        client_id: Some(req.client_id),
        kind: MessageKind::Text,
        body: serde_json::to_string(&text).map_err(anyhow::Error::from)?,
        created_at: now_ms(),
    };
    let stored = state
        .chats
        .tenant(p.tenant_id)
        .append(vec![message])
        .await?;
    let first = stored
        .first()
        .ok_or_else(|| anyhow::anyhow!("no message stored"))?;
    Ok((StatusCode::CREATED, Json(message_json_for_agent(first))))
}
