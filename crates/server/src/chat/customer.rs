//! The customer's side: `GET /api/v1/chat/{tenant}/{entry}/ws`, public (no login). A
//! visitor is known by a random id the widget keeps, or by an identity the host site signs
//! with the entry point's secret (HMAC-SHA256 over `"{id}:{ts}"`, valid for a day).
//!
//! Client → server: `start {name?, phone?, email?, question?}`, `message {client_id, text}`,
//! `typing`, `read {seq}`, `leave`. Server → client: `welcome`, `conversation`, `ack
//! {client_id, id, seq}`, `message`, `agent_joined`, `agent_left`, `queued`, `closed`,
//! `typing`, `error {code, message}`. A message is acknowledged only once stored; resending
//! it with the same `client_id` never stores it twice.

use std::sync::Arc;

use axum::extract::ws::{Message, WebSocket};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::Sha256;
use switchboard_engine::acd::{
    Command, ContactPhase, CustomerPriority, Direction, NewContact, ReleasedBy,
};
use switchboard_engine::chat::{message_text, EntryName, MessageKind, Sender};
use switchboard_engine::{Channel, ContactId, MessageId, Permission, TenantId, TenantName};
use switchboard_storage::{ChatEntry, CustomerDetails, NewChatMessage};

use super::writer::message_json;
use super::TenantChat;
use crate::engines::ContactMeta;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::events::Audience;
use crate::extract::{ApiPath, ApiQuery, ApiWebSocket};
use crate::state::AppState;

/// Messages a visitor may send per window before being told to slow down.
const BURST: u32 = 10;
const WINDOW_MS: i64 = 10_000;
/// Messages replayed on (re)connect at most.
const REPLAY: u32 = 1000;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Connect {
    /// A random id (16-64 characters of `A-Z a-z 0-9 _ -`) the widget keeps for an anonymous visitor.
    pub visitor: Option<String>,
    /// A verified identity from the host site, with `ts` (Unix seconds) and `sig`
    /// (hex HMAC-SHA256 of `"{identity}:{ts}"` with the entry point's secret).
    pub identity: Option<String>,
    pub ts: Option<i64>,
    pub sig: Option<String>,
    /// The conversation to resume, and the last message `seq` already shown.
    pub conversation: Option<uuid::Uuid>,
    #[serde(default)]
    pub after: i64,
}

fn unauthorized(message: &str) -> ApiError {
    ApiError::client(StatusCode::UNAUTHORIZED, "invalid_identity", message)
}

/// The customer identity this connection may use.
fn identity(entry: &ChatEntry, q: &Connect, now_s: i64) -> ApiResult<(String, bool)> {
    use hmac::Mac;
    if let Some(id) = &q.identity {
        let (Some(secret), Some(ts), Some(sig)) = (&entry.identity_secret, q.ts, &q.sig) else {
            return Err(unauthorized(
                "a verified identity needs ts and sig, and an entry point with an identity secret",
            ));
        };
        if id.is_empty() || id.len() > 128 || (now_s - ts).abs() > 86_400 {
            return Err(unauthorized(
                "the identity is malformed or its signature has expired",
            ));
        }
        let mut mac =
            hmac::Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map_err(anyhow::Error::from)?;
        mac.update(format!("{id}:{ts}").as_bytes());
        let expected: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        if !constant_time_eq(expected.as_bytes(), sig.to_ascii_lowercase().as_bytes()) {
            return Err(unauthorized("the identity signature does not match"));
        }
        return Ok((format!("id:{id}"), true));
    }
    let visitor = q.visitor.as_deref().unwrap_or_default();
    let ok = (16..=64).contains(&visitor.len())
        && visitor
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !ok {
        return Err(ApiError::invalid(
            "visitor",
            "must be 16-64 characters of letters, digits, _ or -",
        ));
    }
    Ok((format!("visitor:{visitor}"), false))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The tenant, entry point and customer behind a customer request (socket or upload).
pub(crate) async fn authenticate(
    state: &AppState,
    tenant: &str,
    entry: &str,
    q: &Connect,
) -> ApiResult<(
    switchboard_storage::Tenant,
    ChatEntry,
    switchboard_storage::Customer,
)> {
    let not_found = || {
        ApiError::client(
            StatusCode::NOT_FOUND,
            "not_found",
            "no such chat entry point",
        )
    };
    let tenant_name = TenantName::parse(tenant).map_err(|_| not_found())?;
    let tenant = state
        .store
        .tenant_by_name(&tenant_name)
        .await?
        .ok_or_else(not_found)?;
    let entry_name = EntryName::parse(entry).map_err(|_| not_found())?;
    let entry = state
        .store
        .chat_entry(tenant.id, &entry_name)
        .await?
        .ok_or_else(not_found)?;
    let (identity, verified) = identity(&entry, q, state.clock.now_ms() / 1000)?;
    let customer = state
        .store
        .upsert_customer(
            tenant.id,
            &identity,
            verified,
            &CustomerDetails::default(),
            state.clock.now_ms(),
        )
        .await?;
    Ok((tenant, entry, customer))
}

/// Open a customer chat connection (WebSocket).
#[utoipa::path(get, path = "/api/v1/chat/{tenant}/{entry}/ws", tag = "chat", params(("tenant" = String, Path), ("entry" = String, Path), Connect),
    responses((status = 101, description = "switching to WebSocket"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn connect(
    State(state): State<AppState>,
    ApiPath((tenant, entry)): ApiPath<(String, String)>,
    ApiQuery(q): ApiQuery<Connect>,
    ApiWebSocket(ws): ApiWebSocket,
) -> ApiResult<Response> {
    // Chat frames are small; the default 128 KiB buffers per socket would cost about 1.5 GB
    // at 10,000 customers.
    let ws = ws
        .max_message_size(64 * 1024)
        .read_buffer_size(4 * 1024)
        .write_buffer_size(4 * 1024);
    let (tenant, entry, customer) = match authenticate(&state, &tenant, &entry, &q).await {
        Ok(found) => found,
        // A browser cannot read the status of a refused upgrade, so the refusal is told
        // over the socket instead: an `error` frame, then a close with 4000 + the status.
        Err(err) => return Ok(ws.on_upgrade(move |socket| refuse(socket, err))),
    };
    let resume = match q.conversation {
        Some(id) => state
            .store
            .stored_contact(tenant.id, ContactId(id))
            .await?
            .filter(|c| {
                c.customer.as_deref() == Some(&customer.id.to_string())
                    && c.channel == Channel::Chat
            }),
        None => None,
    };
    let session = Session {
        state: state.clone(),
        tenant: tenant.id,
        entry,
        customer: customer.id.to_string(),
        chat: state.chats.tenant(tenant.id),
        conversation: resume.as_ref().map(|c| c.id),
        resumed_state: resume.as_ref().map(|c| c.state.code()),
        closed: resume.as_ref().is_some_and(|c| c.closed_at.is_some()),
        listener: None,
        sent: 0,
        window_start_ms: state.clock.now_ms(),
    };
    Ok(ws.on_upgrade(move |socket| session.run(socket, q.after)))
}

/// Tells a refused customer why (`error` frame), then closes with code 4000 + the HTTP status
/// the refusal would have had (4400 bad visitor id, 4401 forged identity, 4404 unknown entry).
async fn refuse(mut socket: WebSocket, err: ApiError) {
    use axum::extract::ws::CloseFrame;
    let frame = client_error(&err);
    let code = frame["code"].as_str().unwrap_or("invalid").to_owned();
    let close = CloseFrame {
        code: 4000 + err.status().as_u16(),
        reason: code.into(),
    };
    if socket
        .send(Message::Text(frame.to_string().into()))
        .await
        .is_ok()
    {
        let _ = socket.send(Message::Close(Some(close))).await;
    }
}

struct Session {
    state: AppState,
    tenant: TenantId,
    entry: ChatEntry,
    customer: String,
    chat: Arc<TenantChat>,
    conversation: Option<ContactId>,
    /// The conversation's state when this socket connected (for `welcome`).
    resumed_state: Option<&'static str>,
    /// The conversation has ended: messages are refused until a new `start`.
    closed: bool,
    /// A conversation this socket started and must listen to from now on.
    listener: Option<tokio::sync::broadcast::Receiver<Arc<Value>>>,
    sent: u32,
    /// When the current rate window began (clock milliseconds).
    window_start_ms: i64,
}

fn error(code: &str, message: &str) -> Value {
    json!({ "type": "error", "code": code, "message": message })
}

impl Session {
    async fn run(mut self, socket: WebSocket, after: i64) {
        let (mut tx, mut rx) = socket.split();
        let welcome = json!({
            "type": "welcome", "customer_id": self.customer, "title": self.entry.title,
            "prechat_form": self.entry.prechat_form, "conversation": self.conversation.map(|c| c.0),
            "state": self.resumed_state,
        });
        if tx
            .send(Message::Text(welcome.to_string().into()))
            .await
            .is_err()
        {
            return;
        }
        let mut updates = self.conversation.map(|c| self.chat.listen(c));
        if let Some(c) = self.conversation {
            let history = self
                .state
                .store
                .chat_messages(self.tenant, c, after, REPLAY)
                .await
                .unwrap_or_default();
            // Withdrawals of messages the client already shows, made while it was away.
            let withdrawn = match after {
                0 => vec![],
                _ => self
                    .state
                    .store
                    .recalled_chat_messages(self.tenant, c, after)
                    .await
                    .unwrap_or_default(),
            };
            let recalls = withdrawn
                .iter()
                .filter(|m| super::writer::customer_visible(m))
                .map(|m| json!({ "type": "recalled", "id": m.id.0, "seq": m.seq }));
            let replay = history
                .iter()
                .filter(|m| super::writer::customer_visible(m))
                .map(|m| {
                    let mut v = message_json(m, true);
                    v["type"] = json!("message");
                    v
                });
            for frame in recalls.chain(replay) {
                if tx
                    .send(Message::Text(frame.to_string().into()))
                    .await
                    .is_err()
                {
                    return;
                }
            }
        }
        loop {
            let update = async {
                match updates.as_mut() {
                    Some(rx) => rx.recv().await.ok(),
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                incoming = rx.next() => {
                    let Some(Ok(Message::Text(text))) = incoming else {
                        match incoming {
                            Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                            _ => continue,
                        }
                    };
                    let reply = self.handle(&text).await;
                    if let Some(listener) = self.listener.take() {
                        updates = Some(listener);
                    }
                    for r in reply {
                        if tx.send(Message::Text(r.to_string().into())).await.is_err() {
                            return;
                        }
                    }
                }
                Some(update) = update => {
                    if update["type"] == "closed" {
                        self.closed = true;
                    }
                    if tx.send(Message::Text(update.to_string().into())).await.is_err() {
                        return;
                    }
                }
            }
        }
    }

    /// Handles one client message; returns what to send back to this socket.
    async fn handle(&mut self, text: &str) -> Vec<Value> {
        let Ok(msg) = serde_json::from_str::<Value>(text) else {
            return vec![error("invalid_json", "send JSON objects with a type")];
        };
        let client_id = msg["client_id"].clone();
        if let Err(refused) = crate::extract::refuse_controls(&msg) {
            return vec![client_error(&refused)];
        }
        let result = match msg["type"].as_str() {
            Some("start") => self.start(&msg).await,
            Some("message") => self.message(&msg).await,
            Some("typing") | Some("read") => self.notify_agent(&msg),
            Some("leave") => self.leave().await,
            Some("rate") => self.rate(&msg).await,
            Some("position") => self.position().await,
            _ => Err(ApiError::invalid("type", "unknown message type")),
        };
        result.unwrap_or_else(|e| {
            let mut frame = client_error(&e);
            if !client_id.is_null() {
                frame["client_id"] = client_id;
            }
            vec![frame]
        })
    }

    async fn start(&mut self, msg: &Value) -> ApiResult<Vec<Value>> {
        // One open conversation per customer and entry point: a retried `start` (its reply
        // lost) or a second tab gets the open one instead of a duplicate.
        let open = self
            .state
            .store
            .customer_contacts(self.tenant, &self.customer, 5)
            .await?
            .into_iter()
            .find(|c| {
                c.channel == Channel::Chat && c.closed_at.is_none() && c.queue == self.entry.queue
            });
        if let Some(c) = open {
            if self.conversation != Some(c.id) {
                self.listener = Some(self.chat.listen(c.id));
            }
            self.conversation = Some(c.id);
            self.closed = false;
            return Ok(vec![json!({ "type": "conversation", "id": c.id.0 })]);
        }
        let field = |name: &str, max: usize| -> ApiResult<Option<String>> {
            match msg[name].as_str().map(str::trim).filter(|v| !v.is_empty()) {
                Some(v) if v.chars().count() > max => Err(ApiError::invalid(
                    name.to_owned(),
                    format!("must be at most {max} characters"),
                )),
                other => Ok(other.map(str::to_owned)),
            }
        };
        let details = CustomerDetails {
            name: field("name", 64)?,
            phone: field("phone", 32)?,
            email: field("email", 128)?,
        };
        let question = field("question", 500)?;
        if details != CustomerDetails::default() {
            let customer_id = switchboard_engine::CustomerId::parse(&self.customer)
                .ok_or_else(|| anyhow::anyhow!("customer id"))?;
            if let Some(c) = self.state.store.customer(self.tenant, customer_id).await? {
                self.state
                    .store
                    .upsert_customer(
                        self.tenant,
                        &c.identity,
                        c.verified,
                        &details,
                        self.state.clock.now_ms(),
                    )
                    .await?;
            }
        }
        let id = ContactId::new();
        let familiar_agent = self
            .state
            .store
            .last_agent_of_customer(self.tenant, &self.customer)
            .await?;
        let contact = NewContact {
            id,
            channel: Channel::Chat,
            direction: Direction::Inbound,
            queue: self.entry.queue,
            priority: CustomerPriority::new(0)?,
            customer: Some(self.customer.clone()),
            familiar_agent,
        };
        let meta = ContactMeta {
            title: question.clone(),
            link: None,
            data: json!({ "entry": self.entry.name.as_str() }).to_string(),
        };
        // Listen before the contact exists, so this socket misses none of its first frames.
        self.listener = Some(self.chat.listen(id));
        self.state
            .engines
            .get(self.tenant)
            .await?
            .create_contact(contact, meta)
            .await?;
        self.conversation = Some(id);
        self.closed = false;
        let mut out = vec![json!({ "type": "conversation", "id": id.0 })];
        out.extend(self.position().await?);
        if let Some(q) = question {
            out.extend(self.store_message(q, Some("question".into())).await?);
        }
        Ok(out)
    }

    async fn message(&mut self, msg: &Value) -> ApiResult<Vec<Value>> {
        if self.conversation.is_none() {
            return Err(ApiError::client(
                StatusCode::CONFLICT,
                "no_conversation",
                "send start first",
            ));
        }
        if self.closed {
            return Err(ApiError::client(
                StatusCode::CONFLICT,
                "conversation_closed",
                "the conversation has ended; send start for a new one",
            ));
        }
        let elapsed_ms = self.state.clock.now_ms() - self.window_start_ms;
        if elapsed_ms > WINDOW_MS {
            self.window_start_ms += elapsed_ms;
            self.sent = 0;
        }
        self.sent += 1;
        if self.sent > BURST {
            let left_ms = WINDOW_MS - elapsed_ms.max(0);
            return Err(ApiError::RateLimited {
                retry_after_s: u64::try_from(left_ms / 1000).unwrap_or(0).max(1),
            });
        }
        let client_id = msg["client_id"]
            .as_str()
            .filter(|c| !c.is_empty() && c.len() <= 64)
            .map(str::to_owned);
        let Some(client_id) = client_id else {
            return Err(ApiError::invalid(
                "client_id",
                "every message needs a client_id of 1-64 characters",
            ));
        };
        let text = message_text(msg["text"].as_str().unwrap_or_default())?;
        self.store_message(text, Some(client_id)).await
    }

    async fn store_message(
        &mut self,
        text: String,
        client_id: Option<String>,
    ) -> ApiResult<Vec<Value>> {
        let Some(contact) = self.conversation else {
            return Ok(vec![]);
        };
        self.learn_holder(contact).await;
        let message = NewChatMessage {
            id: MessageId::new(),
            contact,
            sender: Sender::Customer,
            agent: None,
            client_id: client_id.clone(),
            kind: MessageKind::Text,
            body: serde_json::to_string(&text).map_err(anyhow::Error::from)?,
            created_at: self.state.clock.now_ms(),
        };
        let stored = self.chat.append(vec![message]).await?;
        Ok(stored
            .iter()
            .map(|m| json!({ "type": "ack", "client_id": client_id, "id": m.id.0, "seq": m.seq }))
            .collect())
    }

    /// After a restart the chat state does not know who holds a conversation; ask the engine.
    async fn learn_holder(&self, contact: ContactId) {
        if self.chat.holder(contact).is_some() {
            return;
        }
        let Ok(engine) = self.state.engines.get(self.tenant).await else {
            return;
        };
        if let Ok(Some(ContactPhase::Connected { agent, .. })) = engine
            .read(move |e| e.contact_view(contact).map(|v| v.phase))
            .await
        {
            self.chat.set_holder(contact, Some(agent));
        }
    }

    fn notify_agent(&self, msg: &Value) -> ApiResult<Vec<Value>> {
        let Some(contact) = self.conversation else {
            return Ok(vec![]);
        };
        let Some(agent) = self.chat.holder(contact) else {
            return Ok(vec![]);
        };
        let payload = json!({ "type": format!("chat.{}", msg["type"].as_str().unwrap_or("typing")), "contact_id": contact.0, "seq": msg["seq"] });
        self.state.events.publish(
            self.tenant,
            Audience::users_and(vec![agent], Permission::Monitor),
            &payload,
        );
        Ok(vec![])
    }

    /// The satisfaction rating at the end of a conversation: `{score: 1-5, comment?}`.
    async fn rate(&mut self, msg: &Value) -> ApiResult<Vec<Value>> {
        let Some(contact) = self.conversation else {
            return Err(ApiError::client(
                StatusCode::CONFLICT,
                "no_conversation",
                "send start first",
            ));
        };
        let score = msg["score"]
            .as_u64()
            .filter(|s| (1..=5).contains(s))
            .ok_or_else(|| ApiError::invalid("score", "must be a whole number from 1 to 5"))?;
        let comment = msg["comment"]
            .as_str()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        if comment.is_some_and(|c| c.chars().count() > 500) {
            return Err(ApiError::invalid(
                "comment",
                "must be at most 500 characters",
            ));
        }
        self.state
            .store
            .rate_contact(self.tenant, contact, score as u8, comment)
            .await?;
        Ok(vec![json!({ "type": "rated", "score": score })])
    }

    /// Where the customer stands in line, with the queue's typical recent wait.
    async fn position(&self) -> ApiResult<Vec<Value>> {
        let Some(contact) = self.conversation else {
            return Ok(vec![]);
        };
        let engine = self.state.engines.get(self.tenant).await?;
        let at = engine.read(move |e| e.waiting_position(contact)).await?;
        Ok(vec![match at {
            Some((position, wait)) => {
                json!({ "type": "queue", "position": position, "estimated_wait_s": wait.map(|ms| ms / 1000) })
            }
            None => json!({ "type": "queue", "position": null }),
        }])
    }

    async fn leave(&mut self) -> ApiResult<Vec<Value>> {
        let Some(contact) = self.conversation else {
            return Ok(vec![]);
        };
        let release = Command::Release {
            contact,
            agent: None,
            by: ReleasedBy::Customer,
        };
        match self
            .state
            .engines
            .get(self.tenant)
            .await?
            .apply(release)
            .await
        {
            Ok(()) | Err(crate::engines::ApplyError::Refused(_)) => Ok(vec![]),
            Err(err) => Err(err.into()),
        }
    }
}

fn client_error(err: &ApiError) -> Value {
    match err {
        ApiError::Client {
            code,
            message,
            field,
            ..
        } => {
            let mut frame = error(code, message);
            if let Some(field) = field {
                frame["field"] = Value::from(field.as_str());
            }
            frame
        }
        ApiError::RateLimited { .. } => error("rate_limited", "too many messages; slow down"),
        ApiError::Busy { .. } => error("busy", "the server is busy; try again shortly"),
        ApiError::Standby => error("standby", "this server is a standby; try again shortly"),
        ApiError::ImportRejected(_) => error("invalid", "invalid"),
        ApiError::Internal(e) => {
            tracing::error!(error = format!("{e:#}"), "chat customer request failed");
            error("internal", "internal error")
        }
    }
}
