//! The customer's side: `GET /api/v1/chat/{tenant}/{entry}/ws`, public (no login). A
//! visitor is known by a random id the widget keeps, or by an identity the host site signs
//! with the entry point's secret (HMAC-SHA256 over `"{id}:{ts}"`, valid for a day). The
//! customer is stored at their first `start`, not on connect, so sockets alone write nothing.
//!
//! Client → server: `start {name?, phone?, email?, question?}`, `message {client_id, text}`,
//! `typing`, `read {seq}`, `leave`. Server → client: `welcome`, `conversation`, `ack
//! {client_id, id, seq}`, `message`, `agent_joined`, `agent_left`, `queued`, `closed`,
//! `typing`, `error {code, message}`. A message is acknowledged only once stored; resending
//! it with the same `client_id` never stores it twice. Each frame type is read into its own
//! struct, so a field of the wrong type or an unknown one is refused by name. Sockets and
//! `start`s are limited per source (`limits.rs`); a conversation whose customer is gone is
//! watched by `presence.rs`.

use std::sync::Arc;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::Sha256;
use switchboard_engine::acd::{
    Command, ContactPhase, CustomerPriority, Direction, NewContact, ReleasedBy,
};
use switchboard_engine::chat::{message_text, EntryName, MessageKind, Sender};
use switchboard_engine::{Channel, ContactId, MessageId, TenantId, TenantName};
use switchboard_storage::{ChatEntry, Customer, CustomerDetails, NewChatMessage, Tenant};

use super::limits::{SocketSlot, Source};
use super::presence::{self, Here};
use super::writer::message_json;
use super::TenantChat;
use crate::api::customers::record::index_chat_customer;
use crate::client::ClientAddr;
use crate::engines::ContactMeta;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiPath, ApiQuery, ApiWebSocket};
use crate::state::AppState;

/// Messages a visitor may send per window before being told to slow down.
const BURST: u32 = 10;
const WINDOW_MS: i64 = 10_000;
/// Messages replayed on (re)connect at most.
const REPLAY: u32 = 1000;
/// The largest frame a customer may send: a message is at most 5,000 characters (up to
/// 20 KB of UTF-8 before JSON escaping); anything larger is closed with 1009.
const MAX_FRAME_BYTES: usize = 64 * 1024;

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

/// Who is behind a customer request (socket or upload).
pub(crate) struct Caller {
    pub tenant: Tenant,
    pub entry: ChatEntry,
    /// The identity key (`visitor:…` or `id:…`) and whether the host site signed it.
    pub identity: (String, bool),
    /// The stored customer of that identity; `None` until their first `start`.
    pub customer: Option<Customer>,
}

/// The tenant, entry point and identity behind a customer request; looks the customer up
/// without creating one.
pub(crate) async fn authenticate(
    state: &AppState,
    tenant: &str,
    entry: &str,
    q: &Connect,
) -> ApiResult<Caller> {
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
    let identity = identity(&entry, q, state.clock.now_ms() / 1000)?;
    let customer = state
        .store
        .customer_by_identity(tenant.id, &identity.0)
        .await?;
    Ok(Caller {
        tenant,
        entry,
        identity,
        customer,
    })
}

/// Open a customer chat connection (WebSocket).
#[utoipa::path(get, path = "/api/v1/chat/{tenant}/{entry}/ws", tag = "chat", params(("tenant" = String, Path), ("entry" = String, Path), Connect),
    responses((status = 101, description = "switching to WebSocket"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn connect(
    State(state): State<AppState>,
    ApiPath((tenant, entry)): ApiPath<(String, String)>,
    ApiQuery(q): ApiQuery<Connect>,
    ClientAddr(addr): ClientAddr,
    ApiWebSocket(ws): ApiWebSocket,
) -> ApiResult<Response> {
    // Chat frames are small; the default 128 KiB buffers per socket would cost about 1.5 GB
    // at 10,000 customers, and the default 16 MiB frames would be read whole before refusal.
    let ws = ws
        .max_message_size(MAX_FRAME_BYTES)
        .max_frame_size(MAX_FRAME_BYTES)
        .read_buffer_size(4 * 1024)
        .write_buffer_size(4 * 1024);
    let source = Source::of(addr);
    // A browser cannot read the status of a refused upgrade, so a refusal is told over the
    // socket instead: an `error` frame, then a close with 4000 + the status.
    let slot = match state.chats.limits.open_socket(source) {
        Ok(slot) => slot,
        Err(err) => return Ok(ws.on_upgrade(move |socket| refuse(socket, err))),
    };
    let caller = match authenticate(&state, &tenant, &entry, &q).await {
        Ok(found) => found,
        Err(err) => return Ok(ws.on_upgrade(move |socket| refuse(socket, err))),
    };
    let customer = caller.customer.as_ref().map(|c| c.id.to_string());
    let resume = match (q.conversation, &customer) {
        (Some(id), Some(customer)) => state
            .store
            .stored_contact(caller.tenant.id, ContactId(id))
            .await?
            .filter(|c| c.customer.as_ref() == Some(customer) && c.channel == Channel::Chat),
        _ => None,
    };
    let session = Session {
        state: state.clone(),
        tenant: caller.tenant.id,
        entry: caller.entry,
        identity: caller.identity,
        customer,
        source,
        chat: state.chats.tenant(caller.tenant.id),
        conversation: resume.as_ref().map(|c| c.id),
        resumed_state: resume.as_ref().map(|c| c.state.code()),
        resumed_rating: resume.as_ref().and_then(|c| c.rating.as_ref().map(|r| r.0)),
        closed: resume.as_ref().is_some_and(|c| c.closed_at.is_some()),
        listener: None,
        here: None,
        sent: 0,
        window_start_ms: state.clock.now_ms(),
        _slot: slot,
    };
    Ok(ws.on_upgrade(move |socket| session.run(socket, q.after)))
}

/// Tells a refused customer why (`error` frame), then closes with code 4000 + the HTTP status
/// the refusal would have had (4400 bad visitor id, 4401 forged identity, 4404 unknown entry,
/// 4429 too many sockets).
async fn refuse(mut socket: WebSocket, err: ApiError) {
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

/// What the customer side of a conversation hears.
type Listener = tokio::sync::broadcast::Receiver<Arc<Value>>;

struct Session {
    state: AppState,
    tenant: TenantId,
    entry: ChatEntry,
    identity: (String, bool),
    /// The stored customer's id, once there is one (their first `start` stores it).
    customer: Option<String>,
    source: Source,
    chat: Arc<TenantChat>,
    conversation: Option<ContactId>,
    /// The conversation's state when this socket connected (for `welcome`).
    resumed_state: Option<&'static str>,
    /// The score the customer already gave the resumed conversation (for `welcome`), so a
    /// page restored from an older copy of its state does not ask again.
    resumed_rating: Option<u8>,
    /// The conversation has ended: messages are refused until a new `start`.
    closed: bool,
    /// A conversation this socket started and must listen to from now on.
    listener: Option<Listener>,
    /// This socket counted in its conversation: when the last one goes, the grace period
    /// starts.
    here: Option<Here>,
    sent: u32,
    /// When the current rate window began (clock milliseconds).
    window_start_ms: i64,
    /// Counted among the open customer sockets while the session lives.
    _slot: SocketSlot,
}

fn error(code: &str, message: &str) -> Value {
    json!({ "type": "error", "code": code, "message": message })
}

/// What one read from the customer's socket asks for.
enum Incoming {
    Text(Utf8Bytes),
    Skip,
    /// The socket is done; close it with this frame first, if any.
    End(Option<CloseFrame>),
}

fn close(code: u16, reason: &'static str) -> Incoming {
    Incoming::End(Some(CloseFrame {
        code,
        reason: reason.into(),
    }))
}

/// Sorts one read: text is handled, binary frames are closed with 1003, a frame over
/// [`MAX_FRAME_BYTES`] with 1009, and text that is not UTF-8 with 1007.
fn incoming(read: Option<Result<Message, axum::Error>>) -> Incoming {
    use tungstenite::error::{CapacityError, Error as WsError};
    match read {
        Some(Ok(Message::Text(text))) => Incoming::Text(text),
        Some(Ok(Message::Binary(_))) => close(1003, "send JSON text frames"),
        Some(Ok(Message::Ping(_) | Message::Pong(_))) => Incoming::Skip,
        Some(Ok(Message::Close(_))) | None => Incoming::End(None),
        // axum passes tungstenite's error on (the same tungstenite version as axum's).
        Some(Err(err)) => match err.into_inner().downcast::<WsError>().map(|e| *e) {
            Ok(WsError::Capacity(CapacityError::MessageTooLong { .. })) => {
                close(1009, "frame too large")
            }
            Ok(WsError::Utf8(_)) => close(1007, "text frames must be UTF-8"),
            _ => Incoming::End(None),
        },
    }
}

/// The fields of a client frame (its `type` removed) as `T`, naming a wrong or unknown field.
fn fields<T: DeserializeOwned>(msg: &Value) -> ApiResult<T> {
    let mut fields = msg.as_object().cloned().unwrap_or_default();
    fields.remove("type");
    crate::extract::from_value(Value::Object(fields))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StartFrame {
    name: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    question: Option<String>,
}

/// `message {client_id, text}`, typed; [`MessageFrame::checked`] applies the rules (after
/// the conversation and rate checks, so their errors come first).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageFrame {
    client_id: String,
    text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReadFrame {
    seq: u64,
}

/// `rate {score, comment?}`, typed; [`RateFrame::checked`] applies the rules.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateFrame {
    score: u64,
    comment: Option<String>,
}

/// `typing`, `leave` and `position` carry nothing.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EmptyFrame {}

/// One client frame, read into its type. Pure (no session, no storage), so the fuzzer
/// drives it (`fuzz/fuzz_targets/chat_frame.rs`).
pub enum Frame {
    /// The pre-chat form's details and question, checked.
    Start(CustomerDetails, Option<String>),
    Message(MessageFrame),
    Typing,
    Read(u64),
    Leave,
    Rate(RateFrame),
    Position,
}

/// Reads a client frame (JSON already parsed): refused text anywhere, an unknown type, or a
/// field of the wrong type or an unknown one is an error naming it.
pub fn read_frame(msg: &Value) -> ApiResult<Frame> {
    crate::extract::refuse_controls(msg)?;
    Ok(match msg["type"].as_str() {
        Some("start") => {
            let (details, question) = fields::<StartFrame>(msg)?.checked()?;
            Frame::Start(details, question)
        }
        Some("message") => Frame::Message(fields(msg)?),
        Some("typing") => fields::<EmptyFrame>(msg).map(|_| Frame::Typing)?,
        Some("read") => Frame::Read(fields::<ReadFrame>(msg)?.seq),
        Some("leave") => fields::<EmptyFrame>(msg).map(|_| Frame::Leave)?,
        Some("rate") => Frame::Rate(fields(msg)?),
        Some("position") => fields::<EmptyFrame>(msg).map(|_| Frame::Position)?,
        _ => return Err(ApiError::invalid("type", "unknown message type")),
    })
}

impl MessageFrame {
    /// The client id (1-64 characters) and the message's text, checked.
    pub fn checked(self) -> ApiResult<(String, String)> {
        if self.client_id.is_empty() || self.client_id.len() > 64 {
            return Err(ApiError::invalid(
                "client_id",
                "every message needs a client_id of 1-64 characters",
            ));
        }
        Ok((self.client_id, message_text(&self.text)?))
    }
}

impl RateFrame {
    /// The score (1-5) and the optional comment, checked.
    pub fn checked(self) -> ApiResult<(u8, Option<String>)> {
        let score = u8::try_from(self.score)
            .ok()
            .filter(|s| (1..=5).contains(s))
            .ok_or_else(|| ApiError::invalid("score", "must be a whole number from 1 to 5"))?;
        Ok((score, optional_text("comment", self.comment, 500)?))
    }
}

/// A trimmed optional text of at most `max` characters; blank is none.
fn optional_text(field: &str, value: Option<String>, max: usize) -> ApiResult<Option<String>> {
    match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) if v.chars().count() > max => Err(ApiError::invalid(
            field.to_owned(),
            format!("must be at most {max} characters"),
        )),
        other => Ok(other.map(str::to_owned)),
    }
}

impl StartFrame {
    /// The pre-chat form's details and question, checked.
    fn checked(self) -> ApiResult<(CustomerDetails, Option<String>)> {
        let details = CustomerDetails {
            name: optional_text("name", self.name, 64)?,
            phone: optional_text("phone", self.phone, 32)?,
            email: optional_text("email", self.email, 128)?,
        };
        Ok((details, optional_text("question", self.question, 500)?))
    }
}

impl Session {
    async fn run(mut self, socket: WebSocket, after: i64) {
        let _counted = crate::metrics::global().socket("customer");
        let (mut tx, mut rx) = socket.split();
        if let (Some(c), false) = (self.conversation, self.closed) {
            self.here = Some(presence::arrive(&self.state, self.tenant, &self.chat, c));
        }
        let mut updates = self.conversation.map(|c| self.chat.listen(c));
        for frame in self.greeting(after).await {
            if tx
                .send(Message::Text(frame.to_string().into()))
                .await
                .is_err()
            {
                return;
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
                read = rx.next() => {
                    let text = match incoming(read) {
                        Incoming::Text(text) => text,
                        Incoming::Skip => continue,
                        Incoming::End(frame) => {
                            if let Some(frame) = frame {
                                let _ = tx.send(Message::Close(Some(frame))).await;
                            }
                            return;
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

    /// `welcome`, then for a resumed conversation the withdrawals of messages the client
    /// already shows (made while it was away) and the messages after `after`.
    async fn greeting(&self, after: i64) -> Vec<Value> {
        let welcome = json!({
            "type": "welcome", "customer_id": self.customer, "title": self.entry.title,
            "prechat_form": self.entry.prechat_form, "conversation": self.conversation.map(|c| c.0),
            "state": self.resumed_state, "rating": self.resumed_rating,
        });
        let mut out = vec![welcome];
        let Some(c) = self.conversation else {
            return out;
        };
        let store = &self.state.store;
        let history = store
            .chat_messages(self.tenant, c, after, REPLAY)
            .await
            .unwrap_or_default();
        let withdrawn = match after {
            0 => vec![],
            _ => store
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
        out.extend(recalls.chain(replay));
        out
    }

    /// Handles one client message; returns what to send back to this socket.
    async fn handle(&mut self, text: &str) -> Vec<Value> {
        let Ok(msg) = serde_json::from_str::<Value>(text) else {
            return vec![error("invalid_json", "send JSON objects with a type")];
        };
        let client_id = msg["client_id"].clone();
        let result = match read_frame(&msg) {
            Ok(Frame::Start(details, question)) => self.start(details, question).await,
            Ok(Frame::Message(frame)) => self.message(frame).await,
            Ok(Frame::Typing) => Ok(self.notify_agent("typing", None)),
            Ok(Frame::Read(seq)) => Ok(self.notify_agent("read", Some(seq))),
            Ok(Frame::Leave) => self.leave().await,
            Ok(Frame::Rate(rating)) => self.rate(rating).await,
            Ok(Frame::Position) => self.position().await,
            Err(err) => Err(err),
        };
        result.unwrap_or_else(|e| {
            let mut frame = client_error(&e);
            if !client_id.is_null() {
                frame["client_id"] = client_id;
            }
            vec![frame]
        })
    }

    /// Follows `contact` from now on: its frames (from `listener` when this socket
    /// subscribed already), and this socket's presence in it.
    fn follow(&mut self, contact: ContactId, listener: Option<Listener>) {
        if self.conversation != Some(contact) {
            self.listener = Some(listener.unwrap_or_else(|| self.chat.listen(contact)));
            self.here = None;
        }
        if self.here.is_none() {
            let here = presence::arrive(&self.state, self.tenant, &self.chat, contact);
            self.here = Some(here);
        }
        self.conversation = Some(contact);
        self.closed = false;
    }

    /// The open conversation of this customer at this entry point, if any.
    async fn open_conversation(&self) -> ApiResult<Option<ContactId>> {
        let Some(customer) = &self.customer else {
            return Ok(None);
        };
        let recent = self
            .state
            .store
            .customer_contacts(self.tenant, customer, 5)
            .await?;
        Ok(recent
            .into_iter()
            .find(|c| {
                c.channel == Channel::Chat && c.closed_at.is_none() && c.queue == self.entry.queue
            })
            .map(|c| c.id))
    }

    async fn start(
        &mut self,
        details: CustomerDetails,
        question: Option<String>,
    ) -> ApiResult<Vec<Value>> {
        let now = self.state.clock.now_ms();
        self.state
            .chats
            .limits
            .start(self.source, self.entry.id, now)
            .map_err(|retry_after_s| ApiError::RateLimited { retry_after_s })?;
        // One open conversation per customer and entry point: a retried `start` (its reply
        // lost) or a second tab gets the open one instead of a duplicate.
        if let Some(open) = self.open_conversation().await? {
            self.follow(open, None);
            return Ok(vec![json!({ "type": "conversation", "id": open.0 })]);
        }
        let customer = self.store_customer(&details, now).await?;
        let id = ContactId::new();
        let familiar_agent = self
            .state
            .store
            .last_agent_of_customer(self.tenant, &customer)
            .await?;
        let contact = NewContact {
            id,
            channel: Channel::Chat,
            direction: Direction::Inbound,
            queue: self.entry.queue,
            priority: CustomerPriority::new(0)?,
            customer: Some(customer),
            familiar_agent,
        };
        let meta = ContactMeta {
            title: question.clone(),
            link: None,
            data: json!({ "entry": self.entry.name.as_str() }).to_string(),
        };
        // Listen before the contact exists, so this socket misses none of its first frames.
        let listener = self.chat.listen(id);
        self.state
            .engines
            .get(self.tenant)
            .await?
            .create_contact(contact, meta)
            .await?;
        self.follow(id, Some(listener));
        let mut out = vec![json!({ "type": "conversation", "id": id.0 })];
        out.extend(self.position().await?);
        if let Some(q) = question {
            out.extend(self.store_message(q, Some("question".into())).await?);
        }
        Ok(out)
    }

    /// Stores the customer at their first conversation (and the details they give later);
    /// their id.
    async fn store_customer(&mut self, details: &CustomerDetails, now: i64) -> ApiResult<String> {
        if let Some(id) = &self.customer {
            if *details == CustomerDetails::default() {
                return Ok(id.clone());
            }
        }
        let (identity, verified) = &self.identity;
        let stored = self
            .state
            .store
            .upsert_customer(self.tenant, identity, *verified, details, now)
            .await?;
        // The chat customer is a directory customer: its keys and terms follow what it gave.
        if let Err(e) = index_chat_customer(&self.state, self.tenant, stored.id).await {
            tracing::warn!(error = %e, "could not index a chat customer; the customer job retries");
        }
        let id = stored.id.to_string();
        self.customer = Some(id.clone());
        Ok(id)
    }

    async fn message(&mut self, frame: MessageFrame) -> ApiResult<Vec<Value>> {
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
        let (client_id, text) = frame.checked()?;
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

    /// `chat.typing` or `chat.read {seq}` to the agent holding the conversation.
    fn notify_agent(&self, kind: &str, seq: Option<u64>) -> Vec<Value> {
        let Some(contact) = self.conversation else {
            return vec![];
        };
        let Some(agent) = self.chat.holder(contact) else {
            return vec![];
        };
        let payload =
            json!({ "type": format!("chat.{kind}"), "contact_id": contact.0, "seq": seq });
        presence::tell_agent(&self.state, self.tenant, agent, payload);
        vec![]
    }

    /// The satisfaction rating at the end of a conversation: `{score: 1-5, comment?}`.
    async fn rate(&mut self, rating: RateFrame) -> ApiResult<Vec<Value>> {
        let Some(contact) = self.conversation else {
            return Err(ApiError::client(
                StatusCode::CONFLICT,
                "no_conversation",
                "send start first",
            ));
        };
        let (score, comment) = rating.checked()?;
        self.state
            .store
            .rate_contact(self.tenant, contact, score, comment.as_deref())
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

    /// The customer ends the conversation: a waiting one is abandoned; the agent holding
    /// an answered one hears `chat.customer_left` (reason `left`) besides its wrap-up.
    async fn leave(&mut self) -> ApiResult<Vec<Value>> {
        let Some(contact) = self.conversation else {
            return Ok(vec![]);
        };
        self.learn_holder(contact).await;
        let holder = self.chat.holder(contact);
        let release = Command::Release {
            contact,
            agent: None,
            by: ReleasedBy::Customer,
        };
        let engine = self.state.engines.get(self.tenant).await?;
        match engine.apply(release).await {
            Ok(()) => {
                if let Some(agent) = holder {
                    presence::left_by_customer(&self.state, self.tenant, contact, agent);
                }
                Ok(vec![])
            }
            Err(crate::engines::ApplyError::Refused(_)) => Ok(vec![]),
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
        ApiError::RateLimited { retry_after_s } => {
            let mut frame = error(
                "rate_limited",
                &format!("too many requests; try again in {retry_after_s} s"),
            );
            frame["retry_after_s"] = json!(retry_after_s);
            frame
        }
        ApiError::Busy { .. } => error("busy", "the server is busy; try again shortly"),
        ApiError::Standby => error("standby", "this server is a standby; try again shortly"),
        ApiError::ImportRejected(_) => error("invalid", "invalid"),
        ApiError::Internal(e) => {
            tracing::error!(error = format!("{e:#}"), "chat customer request failed");
            error("internal", "internal error")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every input kept from the `chat_frame` fuzz target is read or refused, and what passes
    /// holds no refused text.
    #[test]
    fn every_kept_chat_frame_is_read_or_refused() {
        use switchboard_engine::validation::refused_char;
        for (name, bytes) in crate::fuzz_regressions("chat_frame") {
            let Some(msg) = std::str::from_utf8(&bytes)
                .ok()
                .and_then(|t| serde_json::from_str::<Value>(t).ok())
            else {
                continue;
            };
            match read_frame(&msg) {
                Ok(Frame::Start(details, question)) => {
                    for text in [details.name, details.phone, details.email, question]
                        .into_iter()
                        .flatten()
                    {
                        assert!(refused_char(&text).is_none(), "{name}");
                    }
                }
                Ok(Frame::Message(frame)) => {
                    if let Ok((_, text)) = frame.checked() {
                        assert!(refused_char(&text).is_none(), "{name}");
                    }
                }
                Ok(Frame::Rate(rating)) => {
                    let _ = rating.checked();
                }
                Ok(_) | Err(_) => {}
            }
        }
    }

    #[test]
    fn frames_are_read_into_their_types() {
        let read = |text: &str| read_frame(&serde_json::from_str(text).unwrap());
        assert!(matches!(
            read(r#"{"type":"read","seq":3}"#),
            Ok(Frame::Read(3))
        ));
        assert!(
            read(r#"{"type":"read","seq":1,"x":1}"#).is_err(),
            "an unknown field"
        );
        assert!(
            read(r#"{"type":"read","seq":"1"}"#).is_err(),
            "a field of the wrong type"
        );
        assert!(read(r#"{"type":"message","client_id":"a","text":"\u001b"}"#).is_err());
        assert!(read(r#"{"type":"nope"}"#).is_err());
        let Ok(Frame::Start(details, question)) =
            read(r#"{"type":"start","name":"  张三 ","question":" "}"#)
        else {
            panic!("a start frame");
        };
        assert_eq!((details.name.as_deref(), question), (Some("张三"), None));
    }
}
