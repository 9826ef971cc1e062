//! A customer's service trail: their calls (with the recording when the caller may hear it,
//! by the call records' own rule), chats (whose transcript the profile opens), tasks and
//! survey scores, and the tickets the caller may see, in one list newest first, paged by time.
//! A customer's contacts are those naming them — by their id or a merged record's, or by one
//! of their numbers in any written form — so a merge moves the trail without rewriting it.

use std::collections::HashMap;

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use switchboard_engine::ticket::Caller;
use switchboard_engine::{Channel, ContactId, TenantId, UserId};
use switchboard_storage::{CustomerTicket, DirectoryCustomer, Principal, StoredContact};
use utoipa::ToSchema;
use uuid::Uuid;

use super::load;
use crate::api::caller::number_forms;
use crate::api::calls::recording_playable;
use crate::api::tickets::shared::{groups_of, state_of, ticket_number};
use crate::api::wire::{page_cursor, parse_page_cursor, rfc3339};
use crate::auth::{perm, Can};
use crate::chat::writer::message_json_for_agent;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiPath, ApiQuery, IdPath};
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrailQuery {
    /// The previous page's `next_before`: the entries after it.
    pub before: Option<String>,
    /// Entries per page, 1-100 (30).
    pub limit: Option<u32>,
}

/// One entry of a customer's trail.
#[derive(Serialize, ToSchema)]
pub struct CustomerTrailEntry {
    /// call, chat, task, video or ticket.
    pub kind: String,
    pub at: String,
    /// The contact (call, chat, task).
    #[schema(required)]
    pub contact_id: Option<Uuid>,
    /// The contact's state or the ticket's status.
    pub state: String,
    #[schema(required)]
    pub title: Option<String>,
    #[schema(required)]
    pub agent_name: Option<String>,
    /// The service summary's problem.
    #[schema(required)]
    pub summary: Option<String>,
    /// The customer's satisfaction score (1-5): a chat's rating or a call's survey.
    #[schema(required)]
    pub score: Option<u8>,
    /// A call's record.
    #[schema(required)]
    pub call_id: Option<Uuid>,
    /// Whether I may play the call's recording (`GET /api/v1/calls/{id}/recording`).
    pub recording_playable: bool,
    #[schema(required)]
    pub ticket_id: Option<Uuid>,
    /// The ticket's number as shown (`T000123`).
    #[schema(required)]
    pub ticket_number: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CustomerTrailPage {
    pub items: Vec<CustomerTrailEntry>,
    /// Pass as `before` for the next page; null on the last.
    #[schema(required)]
    pub next_before: Option<String>,
}

/// What names a customer on contacts: their id, the ids merged into it, their numbers'
/// written forms. The phones' forms come first, for the tickets' phone column.
pub async fn refs_of(
    state: &AppState,
    tenant: TenantId,
    c: &DirectoryCustomer,
) -> ApiResult<(Vec<String>, Vec<String>)> {
    let mut phones = Vec::new();
    for p in &c.phones {
        phones.extend(number_forms(p));
    }
    let mut refs = phones.clone();
    refs.push(c.id.to_string());
    for merged in state.store.merged_customers(tenant, c.id).await? {
        refs.push(merged.to_string());
    }
    Ok((phones, refs))
}

/// A customer's service trail, newest first.
#[utoipa::path(get, path = "/api/v1/customers/{id}/trail", operation_id = "customers_trail", tag = "customers",
    security(("bearer" = ["customers.work"])), params(("id" = Uuid, Path), TrailQuery),
    responses((status = 200, body = CustomerTrailPage), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn trail(
    State(state): State<AppState>,
    p: Can<perm::CustomerWork>,
    IdPath(id): IdPath,
    ApiQuery(q): ApiQuery<TrailQuery>,
) -> ApiResult<Json<CustomerTrailPage>> {
    let limit = q.limit.unwrap_or(30);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::invalid("limit", "must be 1-100"));
    }
    let customer = load(&state, p.tenant_id, id).await?;
    let (phones, refs) = refs_of(&state, p.tenant_id, &customer).await?;
    let tenant = p.tenant_id;
    let before = q
        .before
        .as_deref()
        .map(|raw| parse_page_cursor("before", raw))
        .transpose()?;
    let contacts = state
        .store
        .trail_contacts(tenant, &refs, before, limit)
        .await?;
    let tickets = state
        .store
        .trail_tickets(tenant, &phones, &refs, before, limit)
        .await?;
    // Either list may go on past this page, whatever the caller may see of it.
    let full = contacts.len() == limit as usize || tickets.len() == limit as usize;
    let mut items: Vec<((i64, Uuid), CustomerTrailEntry)> =
        contact_entries(&state, &p, &contacts).await?;
    for t in visible_tickets(&state, &p, tickets).await? {
        items.push(((t.created_at, t.id.0), ticket_entry(&t)));
    }
    // The storage order, newest first then by id, across both lists.
    items.sort_by_key(|e| std::cmp::Reverse(e.0));
    let full = full || items.len() > limit as usize;
    items.truncate(limit as usize);
    let next_before = items
        .last()
        .map(|((at, id), _)| page_cursor(*at, *id))
        .filter(|_| full);
    Ok(Json(CustomerTrailPage {
        items: items.into_iter().map(|(_, e)| e).collect(),
        next_before,
    }))
}

async fn agent_names(
    state: &AppState,
    tenant: TenantId,
    contacts: &[StoredContact],
) -> ApiResult<HashMap<UserId, String>> {
    let mut names = HashMap::new();
    for a in contacts.iter().filter_map(|c| c.agent) {
        if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(a) {
            if let Some(u) = state.store.user(tenant, a).await? {
                slot.insert(u.display_name.as_str().to_owned());
            }
        }
    }
    Ok(names)
}

async fn contact_entries(
    state: &AppState,
    p: &Principal,
    contacts: &[StoredContact],
) -> ApiResult<Vec<((i64, Uuid), CustomerTrailEntry)>> {
    let ids: Vec<ContactId> = contacts.iter().map(|c| c.id).collect();
    let calls = state
        .store
        .call_records_of_contacts(p.tenant_id, &ids, 1000)
        .await?;
    let names = agent_names(state, p.tenant_id, contacts).await?;
    Ok(contacts
        .iter()
        .map(|c| {
            let call = calls.iter().find(|r| r.contact == Some(c.id));
            let kind = match c.channel {
                Channel::Voice => "call",
                Channel::Chat => "chat",
                Channel::Task => "task",
                Channel::Video => "video",
            };
            let entry = CustomerTrailEntry {
                kind: kind.into(),
                at: rfc3339(c.created_at),
                contact_id: Some(c.id.0),
                state: c.state.code().into(),
                title: c.title.clone(),
                agent_name: c.agent.and_then(|a| names.get(&a).cloned()),
                summary: c.summary.clone(),
                score: c
                    .rating
                    .as_ref()
                    .map(|r| r.0)
                    .or(call.and_then(|r| r.survey_score)),
                call_id: call.map(|r| r.id),
                recording_playable: call.is_some_and(|r| recording_playable(p, r)),
                ticket_id: None,
                ticket_number: None,
            };
            ((c.created_at, c.id.0), entry)
        })
        .collect())
}

/// The tickets the caller may see, by the ticket rules' `sight`.
async fn visible_tickets(
    state: &AppState,
    p: &Principal,
    tickets: Vec<CustomerTicket>,
) -> ApiResult<Vec<CustomerTicket>> {
    if tickets.is_empty() {
        return Ok(tickets);
    }
    let caller = Caller::new(p.user_id, groups_of(state, p).await?, &p.permissions);
    let mut out = Vec::new();
    for t in tickets {
        let Some(ticket) = state.store.ticket(p.tenant_id, t.id).await? else {
            continue;
        };
        let sight = caller.sight(&state_of(&ticket));
        let involved = match sight {
            switchboard_engine::ticket::Sight::Sees => false,
            switchboard_engine::ticket::Sight::IfInvolved => {
                state
                    .store
                    .ticket_involves(p.tenant_id, t.id, p.user_id)
                    .await?
            }
        };
        if sight.sees(involved) {
            out.push(t);
        }
    }
    Ok(out)
}

fn ticket_entry(t: &CustomerTicket) -> CustomerTrailEntry {
    CustomerTrailEntry {
        kind: "ticket".into(),
        at: rfc3339(t.created_at),
        contact_id: None,
        state: t.status.clone(),
        title: Some(t.title.clone()),
        agent_name: None,
        summary: None,
        score: None,
        call_id: None,
        recording_playable: false,
        ticket_id: Some(t.id.0),
        ticket_number: Some(ticket_number(t.number)),
    }
}

/// The transcript of one of a customer's chats, oldest first (the profile's chat entries).
#[utoipa::path(get, path = "/api/v1/customers/{id}/chats/{contact_id}", operation_id = "customers_chat", tag = "customers",
    security(("bearer" = ["customers.work"])),
    params(("id" = Uuid, Path), ("contact_id" = Uuid, Path)),
    responses((status = 200, body = [Object]), (status = 404, body = ErrorBody)))]
pub async fn chat_transcript(
    State(state): State<AppState>,
    p: Can<perm::CustomerWork>,
    ApiPath((id, contact_id)): ApiPath<(Uuid, Uuid)>,
) -> ApiResult<Json<Vec<Value>>> {
    let customer = load(&state, p.tenant_id, id).await?;
    let (_, refs) = refs_of(&state, p.tenant_id, &customer).await?;
    let contact = state
        .store
        .stored_contact(p.tenant_id, ContactId(contact_id))
        .await?
        .filter(|c| c.channel == Channel::Chat)
        .filter(|c| c.customer.as_ref().is_some_and(|k| refs.contains(k)))
        .ok_or_else(ApiError::not_found)?;
    let messages = state
        .store
        .chat_messages(p.tenant_id, contact.id, 0, 1000)
        .await?;
    Ok(Json(messages.iter().map(message_json_for_agent).collect()))
}
