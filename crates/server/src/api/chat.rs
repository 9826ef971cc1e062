//! The agent's side of a chat conversation: read its messages, send one (M2, M11).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use switchboard_engine::acd::ContactPhase;
use switchboard_engine::chat::{message_text, MessageKind, Sender};
use switchboard_engine::{Channel, ContactId, MessageId};
use switchboard_storage::NewChatMessage;
use utoipa::ToSchema;

use super::contacts::{load_contact, load_visible_contact};
use crate::auth::{perm, Can};
use crate::chat::writer::{message_json_for_agent, tell_agents};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, IdPath};
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct After {
    /// Only messages after this `seq`.
    #[serde(default)]
    after: i64,
}

/// A conversation's messages, oldest first (its agent, the agent who served it, supervisors,
/// and an agent serving the same customer now).
#[utoipa::path(get, path = "/api/v1/contacts/{id}/messages", operation_id = "messages_list", tag = "chat", security(("bearer" = ["agent.work"])),
    params(("id" = uuid::Uuid, Path), After), responses((status = 200, body = [Object]), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    IdPath(id): IdPath,
    ApiQuery(q): ApiQuery<After>,
) -> ApiResult<Json<Vec<Value>>> {
    let contact = ContactId(id);
    load_visible_contact(&state, &p, contact).await?;
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
    /// A text message…
    pub text: Option<String>,
    /// …or a link card to a document of the library (M2).
    pub document_id: Option<uuid::Uuid>,
}

/// Send a text message to the customer of a conversation I am connected to.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/messages", tag = "chat", security(("bearer" = ["agent.work"])),
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
    let (kind, body) = match (&req.text, req.document_id) {
        (Some(text), None) => (MessageKind::Text, Value::String(message_text(text)?)),
        (None, Some(document)) => {
            let doc = state
                .store
                .documents(p.tenant_id)
                .await?
                .into_iter()
                .find(|d| d.id.0 == document)
                .ok_or_else(|| ApiError::invalid("document_id", "no such document"))?;
            let card = serde_json::json!({ "document_id": doc.id.0, "title": doc.title, "url": doc.url, "description": doc.description });
            (MessageKind::Document, card)
        }
        _ => return Err(ApiError::invalid("text", "send either text or document_id")),
    };
    let message = NewChatMessage {
        id: MessageId::new(),
        contact,
        sender: Sender::Agent,
        agent: Some(p.user_id),
        client_id: Some(req.client_id),
        kind,
        body: body.to_string(),
        created_at: state.clock.now_ms(),
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

/// Withdraw a message I sent, within the tenant's recall limit (M9). The customer sees it
/// withdrawn; its text stays in the record.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/messages/{message_id}/recall", tag = "chat", security(("bearer" = ["agent.work"])),
    params(("id" = uuid::Uuid, Path), ("message_id" = uuid::Uuid, Path)),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn recall(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    ApiPath((id, message_id)): ApiPath<(uuid::Uuid, uuid::Uuid)>,
) -> ApiResult<Json<Value>> {
    let message = state
        .store
        .chat_message(p.tenant_id, MessageId(message_id))
        .await?
        .filter(|m| m.contact.0 == id && m.sender == Sender::Agent && m.agent == Some(p.user_id))
        .ok_or_else(ApiError::not_found)?;
    if message.recalled_at.is_some() {
        return Err(ApiError::client(
            StatusCode::CONFLICT,
            "already_recalled",
            "the message was already withdrawn",
        ));
    }
    let limit_ms = i64::from(
        state
            .store
            .tenant_params(p.tenant_id)
            .await?
            .recall_limit
            .get(),
    ) * 1000;
    let now = state.clock.now_ms();
    if now - message.created_at > limit_ms {
        return Err(ApiError::client(
            StatusCode::CONFLICT,
            "recall_expired",
            "the time to withdraw this message has passed",
        ));
    }
    state
        .store
        .recall_chat_message(p.tenant_id, message.id, now)
        .await?;
    let chat = state.chats.tenant(p.tenant_id);
    chat.tell_customer(
        message.contact,
        serde_json::json!({ "type": "recalled", "id": message.id.0, "seq": message.seq }),
    );
    let recalled = state
        .store
        .chat_message(p.tenant_id, message.id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    tell_agents(&chat, &state.events, p.tenant_id, &recalled);
    Ok(Json(message_json_for_agent(&recalled)))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct Read {
    /// The last message `seq` the agent has seen.
    pub seq: i64,
}

/// Tell the customer I am typing (M11).
#[utoipa::path(post, path = "/api/v1/contacts/{id}/typing", tag = "chat", security(("bearer" = ["agent.work"])),
    params(("id" = uuid::Uuid, Path)), responses((status = 204), (status = 409, body = ErrorBody)))]
pub async fn typing(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    let contact = connected_chat(&state, &p, ContactId(id)).await?;
    state.chats.tenant(p.tenant_id).tell_customer(
        contact,
        serde_json::json!({ "type": "typing", "from": "agent" }),
    );
    Ok(StatusCode::NO_CONTENT)
}

/// Tell the customer I have read their messages up to `seq` (M11).
#[utoipa::path(post, path = "/api/v1/contacts/{id}/read", tag = "chat", security(("bearer" = ["agent.work"])),
    params(("id" = uuid::Uuid, Path)), request_body = Read, responses((status = 204), (status = 409, body = ErrorBody)))]
pub async fn read(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<Read>,
) -> ApiResult<StatusCode> {
    let contact = connected_chat(&state, &p, ContactId(id)).await?;
    state.chats.tenant(p.tenant_id).tell_customer(
        contact,
        serde_json::json!({ "type": "read", "seq": req.seq }),
    );
    Ok(StatusCode::NO_CONTENT)
}

/// A chat conversation the caller is connected to.
pub(crate) async fn connected_chat(
    state: &AppState,
    p: &switchboard_storage::Principal,
    contact: ContactId,
) -> ApiResult<ContactId> {
    let (stored, live) = load_contact(state, p.tenant_id, contact).await?;
    match live.map(|v| v.phase) {
        Some(ContactPhase::Connected { agent, .. })
            if agent == p.user_id && stored.channel == Channel::Chat =>
        {
            Ok(contact)
        }
        _ => Err(ApiError::client(
            StatusCode::CONFLICT,
            "not_connected",
            "you are not connected to this conversation",
        )),
    }
}
