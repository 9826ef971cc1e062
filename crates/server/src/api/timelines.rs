//! Timelines (X3), read from the stored engine events: an agent's day as a strip of states
//! (with the contacts they held), for supervisors and for the agent themself, and a
//! contact's whole life — queued, offered to whom, rang out, answered, held, transferred,
//! released, wrap-up, closed, its survey score — optionally between two times.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use switchboard_engine::acd::{AgentState, Event};
use switchboard_engine::ticket::time::{parse_date, parse_datetime};
use switchboard_engine::{ContactId, Permission, UserId};
use switchboard_storage::Principal;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::contacts::load_visible_contact;
use super::wire::rfc3339;
use crate::auth::{perm, require, Auth, Can};
use crate::engines::{recall, render, stats::day_bounds};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiQuery, IdPath};
use crate::state::AppState;

/// A stretch of one state.
#[derive(Serialize, ToSchema, Debug, Clone, PartialEq, Eq)]
pub struct StateSpan {
    #[schema(schema_with = crate::api::wire::agent_state_schema)]
    pub state: String,
    #[schema(required)]
    pub reason: Option<String>,
    pub from: String,
    pub to: String,
}

/// A contact the agent held: from connected to closed (or handed on).
#[derive(Serialize, ToSchema, Debug, Clone, PartialEq, Eq)]
pub struct HeldContact {
    pub contact_id: Uuid,
    pub from: String,
    /// When wrap-up began, if it did within the day.
    #[schema(required)]
    pub wrap_up_from: Option<String>,
    pub to: String,
}

/// An agent's day.
#[derive(Serialize, ToSchema, Debug)]
pub struct AgentTimeline {
    pub agent_id: Uuid,
    pub date: String,
    pub day_start: String,
    pub day_end: String,
    /// Signed-out stretches are left out.
    pub spans: Vec<StateSpan>,
    pub contacts: Vec<HeldContact>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DayQuery {
    /// The day, `YYYY-MM-DD` in the tenant's zone (today when left out).
    date: Option<String>,
}

/// The day asked for: its label and bounds, ending at `now` for today.
fn day_of(q: &DayQuery, p: &Principal, now: i64) -> ApiResult<(String, i64, i64)> {
    let at = match q.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => now,
        Some(d) => {
            let (y, m, dd) =
                parse_date(d).ok_or_else(|| ApiError::invalid("date", "must be YYYY-MM-DD"))?;
            p.zone
                .instant_of((y, m, dd), (12, 0, 0))
                .ok_or_else(|| ApiError::invalid("date", "no such day"))?
        }
    };
    let (start, end) = day_bounds(&p.zone, at);
    if start > now {
        return Err(ApiError::invalid("date", "must not be in the future"));
    }
    let label = switchboard_engine::ticket::time::local_date(start, &p.zone);
    Ok((label, start, end))
}

async fn timeline(
    state: &AppState,
    p: &Principal,
    agent: UserId,
    q: &DayQuery,
) -> ApiResult<AgentTimeline> {
    let now = state.clock.now_ms();
    let (date, start, end) = day_of(q, p, now)?;
    let until = end.min(now);
    let store = &state.store;
    let before = store.agent_state_before(p.tenant_id, agent, start).await?;
    let events: Vec<Event> = before
        .iter()
        .chain(
            store
                .agent_events(p.tenant_id, agent, start, until)
                .await?
                .iter(),
        )
        .filter_map(|e| recall::event_of(&e.record))
        .collect();
    let mut spans = Vec::new();
    let mut current: Option<(AgentState, Option<String>, i64)> = None;
    let mut held: BTreeMap<ContactId, (i64, Option<i64>)> = BTreeMap::new();
    let mut contacts = Vec::new();
    let mut close_span = |cur: &Option<(AgentState, Option<String>, i64)>, to: i64| {
        if let Some((s, reason, from)) = cur {
            let from = (*from).max(start);
            if *s != AgentState::SignedOut && to > from {
                spans.push(StateSpan {
                    state: s.code().into(),
                    reason: reason.clone(),
                    from: rfc3339(from),
                    to: rfc3339(to),
                });
            }
        }
    };
    let mut release =
        |held: &mut BTreeMap<ContactId, (i64, Option<i64>)>, c: ContactId, at: i64| {
            if let Some((from, wrap)) = held.remove(&c) {
                contacts.push(HeldContact {
                    contact_id: c.0,
                    from: rfc3339(from.max(start)),
                    wrap_up_from: wrap.map(rfc3339),
                    to: rfc3339(at),
                });
            }
        };
    for e in &events {
        match e {
            Event::AgentStateChanged {
                state, reason, at, ..
            } => {
                close_span(&current, *at);
                current = Some((*state, reason.as_ref().map(|r| r.as_str().to_owned()), *at));
            }
            Event::ContactConnected { contact, at, .. } => {
                held.insert(*contact, (*at, None));
            }
            Event::ContactWrapUp { contact, at, .. } => {
                if let Some(h) = held.get_mut(contact) {
                    h.1 = Some(*at);
                }
            }
            Event::ContactTransferred {
                contact, from, at, ..
            } if *from == agent => release(&mut held, *contact, *at),
            Event::ContactClosed { contact, at, .. } => release(&mut held, *contact, *at),
            _ => {}
        }
    }
    close_span(&current, until);
    let open: Vec<ContactId> = held.keys().copied().collect();
    for c in open {
        release(&mut held, c, until);
    }
    Ok(AgentTimeline {
        agent_id: agent.0,
        date,
        day_start: rfc3339(start),
        day_end: rfc3339(end),
        spans,
        contacts,
    })
}

/// An agent's day: their states and the contacts they held, as a supervisor sees it.
#[utoipa::path(get, path = "/api/v1/agents/{id}/timeline", operation_id = "agent_timeline", tag = "reports", params(("id" = Uuid, Path), DayQuery), security(("bearer" = ["reports.view"])),
    responses((status = 200, body = AgentTimeline), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn agent(
    State(state): State<AppState>,
    p: Can<perm::ViewReports>,
    IdPath(id): IdPath,
    ApiQuery(q): ApiQuery<DayQuery>,
) -> ApiResult<Json<AgentTimeline>> {
    state
        .store
        .user(p.tenant_id, UserId(id))
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(timeline(&state, &p, UserId(id), &q).await?))
}

/// My own day: my states and the contacts I held.
#[utoipa::path(get, path = "/api/v1/agent/timeline", operation_id = "my_timeline", tag = "agent", params(DayQuery), security(("bearer" = ["agent.work"])),
    responses((status = 200, body = AgentTimeline), (status = 400, body = ErrorBody)))]
pub async fn mine(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    ApiQuery(q): ApiQuery<DayQuery>,
) -> ApiResult<Json<AgentTimeline>> {
    let me = p.user_id;
    Ok(Json(timeline(&state, &p, me, &q).await?))
}

/// One step of a contact's life.
#[derive(Serialize, ToSchema, Debug)]
pub struct LifeStep {
    pub at: String,
    /// The engine event: contact.created, contact.queued, contact.offered,
    /// contact.offer_timeout, contact.connected, contact.media, contact.wrap_up,
    /// contact.transferred, contact.overflowed, contact.closed…
    pub kind: String,
    #[schema(required)]
    pub agent_id: Option<Uuid>,
    #[schema(required)]
    pub agent_name: Option<String>,
    /// The event's own fields (queue, outcome, media event, who released…).
    #[schema(value_type = Object)]
    pub detail: Value,
}

/// A contact's whole life.
#[derive(Serialize, ToSchema, Debug)]
pub struct ContactLife {
    pub contact_id: Uuid,
    #[schema(schema_with = crate::api::wire::channel_schema)]
    pub channel: String,
    pub steps: Vec<LifeStep>,
    /// The customer's satisfaction score (1-5), once given.
    #[schema(required)]
    pub rating: Option<u8>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Between {
    /// Only steps at or after this time (RFC 3339 or a local time of the tenant's zone).
    from: Option<String>,
    /// Only steps before this time.
    to: Option<String>,
}

/// A contact's whole life, for supervisors (`reports.view`) and for agents who may see the
/// contact (theirs, or one they were offered).
#[utoipa::path(get, path = "/api/v1/contacts/{id}/life", operation_id = "contact_life", tag = "reports", params(("id" = Uuid, Path), Between),
    security(("bearer" = ["reports.view"]), ("bearer" = ["agent.work"])),
    responses((status = 200, body = ContactLife), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn contact(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
    ApiQuery(q): ApiQuery<Between>,
) -> ApiResult<Json<ContactLife>> {
    let p = &auth.0;
    let all = p.may(Permission::ViewReports);
    if !all {
        require(p, Permission::AgentWork)?;
    }
    let id = ContactId(id);
    let stored = if all {
        state
            .store
            .stored_contact(p.tenant_id, id)
            .await?
            .ok_or_else(ApiError::not_found)?
    } else {
        load_visible_contact(&state, p, id).await?.0
    };
    let time = |field: &str, v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| {
                parse_datetime(v, &p.zone)
                    .ok_or_else(|| ApiError::invalid(field.to_owned(), "must be a time (RFC 3339)"))
            })
            .transpose()
    };
    let (from, to) = (time("from", &q.from)?, time("to", &q.to)?);
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            return Err(ApiError::invalid("to", "must not be before from"));
        }
    }
    let names: BTreeMap<UserId, String> = state
        .store
        .users(p.tenant_id)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name.to_string()))
        .collect();
    let steps = state
        .store
        .contact_events(p.tenant_id, id)
        .await?
        .into_iter()
        .filter(|r| from.is_none_or(|f| r.at >= f) && to.is_none_or(|t| r.at < t))
        .filter_map(|r| {
            let event = recall::event_of(&r)?;
            let (mut detail, _) = render::message(&event);
            if let Some(map) = detail.as_object_mut() {
                map.remove("type");
            }
            Some(LifeStep {
                at: rfc3339(r.at),
                kind: r.kind.into(),
                agent_id: r.agent.map(|a| a.0),
                agent_name: r.agent.and_then(|a| names.get(&a).cloned()),
                detail,
            })
        })
        .collect();
    Ok(Json(ContactLife {
        contact_id: id.0,
        channel: stored.channel.code().into(),
        steps,
        rating: stored.rating.map(|(score, _)| score),
    }))
}
