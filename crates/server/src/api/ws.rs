//! The live event stream: `GET /api/v1/ws?token=…` (browsers cannot set headers on a
//! WebSocket). Each socket receives its tenant's events that its user may see.

use axum::extract::ws::{Message, WebSocket};
use axum::extract::State;
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use switchboard_storage::Principal;
use tokio::sync::broadcast::error::RecvError;

use crate::auth::principal_for_token;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::events::Event;
use crate::extract::{ApiQuery, ApiWebSocket};
use crate::state::AppState;

/// How often (clock milliseconds) a socket re-checks that its session is still valid
/// (logout, deactivation, expiry).
const RECHECK_MS: i64 = 15_000;

#[derive(Deserialize)]
pub struct WsQuery {
    /// The bearer token from login.
    token: Option<String>,
}

/// Open the event stream. Messages are JSON objects with a `type`; the first is `hello`.
#[utoipa::path(get, path = "/api/v1/ws", tag = "events", security(("token" = [])),
    responses((status = 101, description = "switching to WebSocket"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn upgrade(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<WsQuery>,
    ApiWebSocket(ws): ApiWebSocket,
) -> ApiResult<Response> {
    let token = q.token.ok_or_else(ApiError::unauthenticated)?;
    let (principal, _) = principal_for_token(&state, &token).await?;
    if principal.must_change_password {
        return Err(crate::auth::password_change_required());
    }
    Ok(ws
        .read_buffer_size(4 * 1024)
        .write_buffer_size(8 * 1024)
        .on_upgrade(move |socket| run(state, socket, token, principal)))
}

fn visible(event: &Event, who: &Principal) -> bool {
    event.audience.includes(who.user_id, |p| who.may(p))
}

async fn run(state: AppState, socket: WebSocket, token: String, mut who: Principal) {
    let mut events = state.events.subscribe(who.tenant_id);
    let _online = state.events.online(who.user_id);
    let _counted = crate::metrics::global().socket("agent");
    let (mut tx, mut rx) = socket.split();
    let hello = serde_json::json!({ "type": "hello", "user_id": who.user_id.0, "tenant": who.tenant_name.as_str() });
    if tx
        .send(Message::Text(hello.to_string().into()))
        .await
        .is_err()
    {
        return;
    }
    let mut recheck_at = state.clock.now_ms() + RECHECK_MS;
    loop {
        tokio::select! {
            event = events.recv() => match event {
                Ok(event) if visible(&event, &who) => {
                    if tx.send(Message::Text(event.json.as_ref().into())).await.is_err() {
                        return;
                    }
                }
                Ok(_) => {}
                Err(RecvError::Lagged(missed)) => {
                    let resync = serde_json::json!({ "type": "resync", "missed": missed });
                    if tx.send(Message::Text(resync.to_string().into())).await.is_err() {
                        return;
                    }
                }
                Err(RecvError::Closed) => return,
            },
            incoming = rx.next() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
            _ = state.clock.sleep_until(recheck_at) => match principal_for_token(&state, &token).await {
                Ok((fresh, _)) => {
                    who = fresh;
                    recheck_at = state.clock.now_ms() + RECHECK_MS;
                }
                Err(_) => {
                    let ended = serde_json::json!({ "type": "session.ended" });
                    let _ = tx.send(Message::Text(ended.to_string().into())).await;
                    let _ = tx.send(Message::Close(None)).await;
                    return;
                }
            },
        }
    }
}
