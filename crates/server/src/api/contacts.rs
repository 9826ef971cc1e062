//! Contacts: tasks created by integrations (like Amazon Connect tasks or Twilio TaskRouter
//! tasks), and what an agent does with an offered contact: answer, release, summary.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_engine::acd::{
    Command, ContactPhase, ContactView, CustomerPriority, Direction, NewContact, ReleasedBy,
};
use switchboard_engine::{Channel, ContactId, Permission, SkillQueueId, TenantId};
use switchboard_storage::{ContactSummary, Principal, StoredContact};
use utoipa::ToSchema;

use super::wire::rfc3339;
use crate::auth::{perm, Auth, Can};
use crate::engines::{ContactMeta, EngineHandle};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, IdPath};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct ContactOut {
    pub id: uuid::Uuid,
    #[schema(schema_with = crate::api::wire::channel_schema)]
    pub channel: String,
    #[schema(schema_with = crate::api::wire::direction_schema)]
    pub direction: String,
    pub queue_id: uuid::Uuid,
    pub priority: u32,
    #[schema(required)]
    pub customer: Option<String>,
    #[schema(required)]
    pub title: Option<String>,
    #[schema(required)]
    pub link: Option<String>,
    /// Custom data: string keys and values.
    #[schema(value_type = std::collections::HashMap<String, String>)]
    pub data: serde_json::Value,
    /// queued, reserved, offered, connected, wrap_up or closed.
    #[schema(schema_with = crate::api::wire::contact_state_schema)]
    pub state: String,
    #[schema(required)]
    pub agent_id: Option<uuid::Uuid>,
    #[schema(required)]
    pub offer_expires_at: Option<String>,
    pub created_at: String,
    pub enqueued_at: String,
    #[schema(required)]
    pub closed_at: Option<String>,
    #[schema(required)]
    pub outcome: Option<String>,
    /// The service summary's problem.
    #[schema(required)]
    pub summary: Option<String>,
    /// The service summary's solution.
    #[schema(required)]
    pub solution: Option<String>,
    /// The disposition code (处理结果) picked at wrap-up.
    #[schema(required)]
    pub disposition: Option<String>,
    /// The customer's satisfaction rating (1-5), if given.
    #[schema(required)]
    pub rating: Option<u8>,
    #[schema(required)]
    pub rating_comment: Option<String>,
    /// A call on hold: since when (the workbench shows a timer).
    #[schema(required)]
    pub held_since: Option<String>,
    /// Time on hold so far, not counting a hold in progress (ms).
    pub hold_ms: i64,
}

/// Renders a stored contact, with the engine's live view when it is still routed.
pub fn contact_out(stored: &StoredContact, live: Option<&ContactView>) -> ContactOut {
    let (state, agent, expires) = match live.map(|v| v.phase) {
        Some(phase) => {
            let expires = match phase {
                ContactPhase::Offered { until, .. } => Some(rfc3339(until)),
                _ => None,
            };
            (phase.status().code(), phase.agent(), expires)
        }
        None => (stored.state.code(), stored.agent, None),
    };
    ContactOut {
        id: stored.id.0,
        channel: stored.channel.code().into(),
        direction: stored.direction.code().into(),
        queue_id: live.map_or(stored.queue, |v| v.queue).0,
        priority: stored.priority.get(),
        customer: stored.customer.clone(),
        title: stored.title.clone(),
        link: stored.link.clone(),
        data: serde_json::from_str(&stored.data).unwrap_or_else(|_| serde_json::json!({})),
        state: state.into(),
        agent_id: agent.map(|a| a.0),
        offer_expires_at: expires,
        created_at: rfc3339(stored.created_at),
        enqueued_at: rfc3339(live.map_or(stored.enqueued_at, |v| v.enqueued_at)),
        closed_at: stored.closed_at.map(rfc3339),
        outcome: stored.outcome.map(|o| o.code().into()),
        summary: stored.summary.clone(),
        solution: stored.solution.clone(),
        disposition: stored.disposition.clone(),
        rating: stored.rating.as_ref().map(|(s, _)| *s),
        rating_comment: stored.rating.as_ref().and_then(|(_, c)| c.clone()),
        held_since: live.and_then(|v| v.held_since).map(rfc3339),
        hold_ms: live.map_or(0, |v| v.hold_ms),
    }
}

/// Loads a contact of this tenant with its live view.
pub async fn load_contact(
    state: &AppState,
    tenant: TenantId,
    id: ContactId,
) -> ApiResult<(StoredContact, Option<ContactView>)> {
    let stored = state
        .store
        .stored_contact(tenant, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let live = engine(state, tenant)
        .await?
        .read(move |e| e.contact_view(id))
        .await?;
    Ok((stored, live))
}

pub async fn engine(state: &AppState, tenant: TenantId) -> ApiResult<EngineHandle> {
    Ok(state.engines.get(tenant).await?)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTask {
    /// A skill queue with channel `task`.
    pub queue_id: uuid::Uuid,
    /// What the task is about (1-200 characters).
    pub title: String,
    /// A link to the work item in the integrating system (http or https).
    pub link: Option<String>,
    /// 0-9; higher is served first.
    #[serde(default)]
    pub priority: i64,
    /// Who the customer is (a phone number, an account id…): history and familiar-agent routing.
    pub customer: Option<String>,
    /// Custom data shown to the agent (at most 50 entries).
    #[serde(default)]
    pub data: BTreeMap<String, String>,
}

pub fn bounded(field: &'static str, value: Option<&str>, max: usize) -> ApiResult<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) if v.chars().count() > max => Err(ApiError::invalid(
            field,
            format!("must be at most {max} characters"),
        )),
        Some(v) if v.chars().any(char::is_control) => Err(ApiError::invalid(
            field,
            "must not contain control characters",
        )),
        Some(v) => Ok(Some(v.to_owned())),
    }
}

fn task_meta(req: &CreateTask) -> ApiResult<ContactMeta> {
    let title = bounded("title", Some(&req.title), 200)?
        .ok_or_else(|| ApiError::invalid("title", "must not be empty"))?;
    let link = bounded("link", req.link.as_deref(), 2000)?;
    if link
        .as_deref()
        .is_some_and(|l| !(l.starts_with("https://") || l.starts_with("http://")))
    {
        return Err(ApiError::invalid(
            "link",
            "must be an http:// or https:// URL",
        ));
    }
    if req.data.len() > 50 {
        return Err(ApiError::invalid("data", "at most 50 entries"));
    }
    if req
        .data
        .iter()
        .any(|(k, v)| k.is_empty() || k.chars().count() > 64 || v.chars().count() > 1000)
    {
        return Err(ApiError::invalid(
            "data",
            "keys must be 1-64 characters and values at most 1000",
        ));
    }
    Ok(ContactMeta {
        title: Some(title),
        link,
        data: serde_json::to_string(&req.data).map_err(anyhow::Error::from)?,
    })
}

/// Create a task: a contact routed to an agent on a task queue.
#[utoipa::path(post, path = "/api/v1/contacts", operation_id = "contacts_create", tag = "contacts", security(("bearer" = ["contacts.create"])), request_body = CreateTask,
    responses((status = 404, body = ErrorBody), (status = 201, body = ContactOut), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    p: Can<perm::CreateContacts>,
    ApiJson(req): ApiJson<CreateTask>,
) -> ApiResult<(StatusCode, Json<ContactOut>)> {
    let meta = task_meta(&req)?;
    let customer = bounded("customer", req.customer.as_deref(), 64)?;
    let priority = CustomerPriority::new(req.priority)?;
    let queue = state
        .store
        .skill_queue(p.tenant_id, SkillQueueId(req.queue_id))
        .await?
        .ok_or_else(|| ApiError::invalid("queue_id", "no such skill queue"))?;
    if queue.spec.channel != Channel::Task {
        return Err(ApiError::invalid(
            "queue_id",
            "tasks go to a skill queue with channel 'task'",
        ));
    }
    let familiar_agent = match &customer {
        Some(c) => state.store.last_agent_of_customer(p.tenant_id, c).await?,
        None => None,
    };
    let id = ContactId::new();
    let contact = NewContact {
        id,
        channel: Channel::Task,
        direction: Direction::Inbound,
        queue: queue.id,
        priority,
        customer,
        familiar_agent,
    };
    engine(&state, p.tenant_id)
        .await?
        .create_contact(contact, meta)
        .await?;
    // A task about a phone number puts its customer in the directory.
    if let Some(c) = &req.customer {
        crate::api::customers::record::note_number(&state, p.tenant_id, c).await;
    }
    let (stored, live) = load_contact(&state, p.tenant_id, id).await?;
    Ok((
        StatusCode::CREATED,
        Json(contact_out(&stored, live.as_ref())),
    ))
}

/// Whether the caller may see this contact: its agent, supervisors, or integrations.
fn may_see(p: &Principal, stored: &StoredContact, live: Option<&ContactView>) -> bool {
    let holder = live.and_then(|v| v.phase.agent()).or(stored.agent);
    p.may(Permission::Monitor) || p.may(Permission::CreateContacts) || holder == Some(p.user_id)
}

/// A contact the caller may see (else 404): besides [`may_see`], an agent serving a customer
/// right now may open that customer's past contacts, whoever served them (M8).
pub async fn load_visible_contact(
    state: &AppState,
    p: &Principal,
    id: ContactId,
) -> ApiResult<(StoredContact, Option<ContactView>)> {
    let (stored, live) = load_contact(state, p.tenant_id, id).await?;
    if may_see(p, &stored, live.as_ref()) {
        return Ok((stored, live));
    }
    let Some(customer) = stored.customer.clone() else {
        return Err(ApiError::not_found());
    };
    let me = p.user_id;
    let serving = engine(state, p.tenant_id)
        .await?
        .read(move |e| {
            e.agent_view(me).is_some_and(|a| {
                a.contacts.iter().any(|c| {
                    c.customer.as_deref() == Some(customer.as_str())
                        && matches!(
                            c.phase,
                            ContactPhase::Connected { .. } | ContactPhase::WrapUp { .. }
                        )
                })
            })
        })
        .await?;
    match serving {
        true => Ok((stored, live)),
        false => Err(ApiError::not_found()),
    }
}

/// One contact.
#[utoipa::path(get, path = "/api/v1/contacts/{id}", operation_id = "contacts_get", tag = "contacts", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = ContactOut), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
) -> ApiResult<Json<ContactOut>> {
    let (stored, live) = load_visible_contact(&state, &auth.0, ContactId(id)).await?;
    Ok(Json(contact_out(&stored, live.as_ref())))
}

async fn agent_action(
    state: &AppState,
    p: &Principal,
    id: ContactId,
    command: Command,
) -> ApiResult<Json<ContactOut>> {
    engine(state, p.tenant_id).await?.apply(command).await?;
    let (stored, live) = load_contact(state, p.tenant_id, id).await?;
    Ok(Json(contact_out(&stored, live.as_ref())))
}

/// Answer a contact offered to me.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/answer", tag = "contacts", security(("bearer" = ["agent.work"])),
    params(("id" = uuid::Uuid, Path)), responses((status = 404, body = ErrorBody), (status = 200, body = ContactOut), (status = 409, body = ErrorBody)))]
pub async fn answer(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    IdPath(id): IdPath,
) -> ApiResult<Json<ContactOut>> {
    let contact = ContactId(id);
    agent_action(
        &state,
        &p,
        contact,
        Command::Answer {
            agent: p.user_id,
            contact,
        },
    )
    .await
}

/// Release a contact I am connected to; I enter wrap-up for it. Offers cannot be rejected.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/release", tag = "contacts", security(("bearer" = ["agent.work"])),
    params(("id" = uuid::Uuid, Path)), responses((status = 404, body = ErrorBody), (status = 200, body = ContactOut), (status = 409, body = ErrorBody)))]
pub async fn release(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    IdPath(id): IdPath,
) -> ApiResult<Json<ContactOut>> {
    let contact = ContactId(id);
    agent_action(
        &state,
        &p,
        contact,
        Command::Release {
            contact,
            agent: Some(p.user_id),
            by: ReleasedBy::Agent,
        },
    )
    .await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// The problem (1-4000 characters).
    pub text: String,
    /// How it was solved (at most 4000 characters).
    #[serde(default)]
    pub solution: Option<String>,
    /// One of the tenant's disposition codes (`GET /api/v1/tenant/disposition-codes`);
    /// required when the tenant requires a summary and has codes.
    #[serde(default)]
    pub disposition: Option<String>,
}

/// Save the service summary of a contact I am connected to or wrapping up.
#[utoipa::path(put, path = "/api/v1/contacts/{id}/summary", tag = "contacts", security(("bearer" = ["agent.work"])),
    params(("id" = uuid::Uuid, Path)), request_body = Summary,
    responses((status = 404, body = ErrorBody), (status = 200, body = ContactOut), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn summary(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<Summary>,
) -> ApiResult<Json<ContactOut>> {
    let text = req.text.trim();
    if text.is_empty() || text.chars().count() > 4000 {
        return Err(ApiError::invalid("text", "must be 1-4000 characters"));
    }
    let solution = req
        .solution
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if solution.is_some_and(|s| s.chars().count() > 4000) {
        return Err(ApiError::invalid(
            "solution",
            "must be at most 4000 characters",
        ));
    }
    let contact = ContactId(id);
    let (stored, live) = load_contact(&state, p.tenant_id, contact).await?;
    if live.and_then(|v| v.phase.agent()) != Some(p.user_id) {
        return Err(if may_see(&p, &stored, None) {
            ApiError::from(crate::engines::ApplyError::Refused(
                switchboard_engine::acd::EngineError::NotConnected,
            ))
        } else {
            ApiError::not_found()
        });
    }
    let required = state
        .store
        .tenant_params(p.tenant_id)
        .await?
        .summary_required;
    let disposition = super::dispositions::check_pick(
        &state,
        p.tenant_id,
        req.disposition.as_deref(),
        stored.disposition.as_deref(),
        required,
    )
    .await?;
    let summary = ContactSummary {
        problem: text.to_owned(),
        solution: solution.map(str::to_owned),
        disposition,
    };
    engine(&state, p.tenant_id)
        .await?
        .save_summary(contact, summary)
        .await?;
    let (stored, live) = load_contact(&state, p.tenant_id, contact).await?;
    Ok(Json(contact_out(&stored, live.as_ref())))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    /// Hand the contact to this queue (same channel)…
    pub queue_id: Option<uuid::Uuid>,
    /// …or straight to this agent, who must be free to take it.
    pub agent_id: Option<uuid::Uuid>,
    /// For the next agent (1-500 characters); customers never see it.
    pub note: String,
}

/// Transfer a contact I am connected to, with a note (M4, T4); the history travels with it.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/transfer", operation_id = "contacts_transfer", tag = "contacts", security(("bearer" = ["agent.work"])),
    params(("id" = uuid::Uuid, Path)), request_body = Transfer,
    responses((status = 404, body = ErrorBody), (status = 200, body = ContactOut), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn transfer(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<Transfer>,
) -> ApiResult<Json<ContactOut>> {
    use switchboard_engine::acd::TransferTarget;
    let note = bounded("note", Some(&req.note), 500)?
        .ok_or_else(|| ApiError::invalid("note", "a transfer needs a note"))?;
    let to = match (req.queue_id, req.agent_id) {
        (Some(q), None) => TransferTarget::Queue(SkillQueueId(q)),
        (None, Some(a)) => TransferTarget::Agent(switchboard_engine::UserId(a)),
        _ => {
            return Err(ApiError::invalid(
                "queue_id",
                "give either queue_id or agent_id",
            ))
        }
    };
    let contact = ContactId(id);
    let (stored, _) = load_contact(&state, p.tenant_id, contact).await?;
    engine(&state, p.tenant_id)
        .await?
        .apply(Command::Transfer {
            contact,
            agent: p.user_id,
            to,
        })
        .await?;
    let body = serde_json::json!({
        "event": "transferred", "internal": true, "note": note, "from_agent_id": p.user_id.0,
        "to_queue_id": req.queue_id, "to_agent_id": req.agent_id,
    });
    let notice = switchboard_storage::NewChatMessage {
        id: switchboard_engine::MessageId::new(),
        contact,
        sender: switchboard_engine::chat::Sender::System,
        agent: Some(p.user_id),
        client_id: None,
        kind: switchboard_engine::chat::MessageKind::Notice,
        body: body.to_string(),
        created_at: state.clock.now_ms(),
    };
    let chat = state.chats.tenant(p.tenant_id);
    chat.append(vec![notice]).await?;
    if stored.channel == Channel::Chat {
        chat.tell_customer(contact, serde_json::json!({ "type": "transferred" }));
    }
    let (stored, live) = load_contact(&state, p.tenant_id, contact).await?;
    Ok(Json(contact_out(&stored, live.as_ref())))
}

#[derive(Serialize, ToSchema)]
pub struct CustomerOut {
    pub id: String,
    pub verified: bool,
    #[schema(required)]
    pub name: Option<String>,
    #[schema(required)]
    pub phone: Option<String>,
    #[schema(required)]
    pub email: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct History {
    /// The customer's record, when the contact's customer is a known one (chat visitors).
    #[schema(required)]
    pub customer: Option<CustomerOut>,
    /// Who the customer is to this contact (an id, a phone number…).
    #[schema(required)]
    pub customer_key: Option<String>,
    /// The customer's latest 3 other contacts on any channel, newest first (M8).
    pub recent: Vec<ContactOut>,
    /// The customer's record in the customer directory.
    #[schema(required)]
    pub directory: Option<crate::api::customers::record::CustomerBrief>,
}

/// The customer behind a contact and their latest 3 other contacts (M8).
#[utoipa::path(get, path = "/api/v1/contacts/{id}/history", tag = "contacts", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = History), (status = 404, body = ErrorBody)))]
pub async fn history(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
) -> ApiResult<Json<History>> {
    let (stored, _) = load_visible_contact(&state, &auth.0, ContactId(id)).await?;
    let Some(key) = stored.customer.clone() else {
        return Ok(Json(History {
            customer: None,
            customer_key: None,
            recent: Vec::new(),
            directory: None,
        }));
    };
    let customer = match switchboard_engine::CustomerId::parse(&key) {
        Some(cid) => state.store.customer(auth.0.tenant_id, cid).await?,
        None => None,
    };
    let recent = state
        .store
        .customer_contacts(auth.0.tenant_id, &key, 4)
        .await?
        .iter()
        .filter(|c| c.id != stored.id)
        .take(3)
        .map(|c| contact_out(c, None))
        .collect();
    let customer = customer.map(|c| CustomerOut {
        id: c.id.to_string(),
        verified: c.verified,
        name: c.name,
        phone: c.phone,
        email: c.email,
    });
    let directory =
        crate::api::customers::record::customer_of_key(&state, auth.0.tenant_id, &key).await?;
    Ok(Json(History {
        customer,
        customer_key: Some(key),
        recent,
        directory,
    }))
}
