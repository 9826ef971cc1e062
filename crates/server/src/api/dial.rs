//! Outbound calls from the workbench (外呼, V9, V10, T4): the agent dials a number and
//! presents a caller number from the number groups of their skill queues. The toll-fraud
//! guard refuses before anything is placed: the `calls.outbound` permission, the tenant's
//! destination rules (checked by the switch, which checks them again as it dials), and a
//! daily limit per agent. A call from a ticket is linked to it and written in its trail.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::json;
use switchboard_engine::acd::{CustomerPriority, Direction, NewContact, ReleasedBy};
use switchboard_engine::{Channel, ContactId, SkillQueueId, TicketId};
use switchboard_storage::{Principal, TicketChanges};
use switchboard_voice::destinations::{OutboundPolicy, Refusal};
use switchboard_voice::directory::{normalize_number, COUNTRY_CODE};
use switchboard_voice::{Dial, DialError};
use utoipa::ToSchema;

use super::contacts::{contact_out, engine, load_contact, ContactOut};
use super::tickets::access::TicketCtx;
use super::tickets::actions::retrying;
use crate::auth::{perm, Can};
use crate::engines::ContactMeta;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiJson;
use crate::state::AppState;
use crate::voice::DialRefusal;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DialIn {
    /// The customer's number: digits, an optional leading +, spaces and dashes allowed.
    pub number: String,
    /// One of my caller numbers (`GET /api/v1/agent/caller-numbers`); left out: the default.
    #[serde(default)]
    pub caller_number: Option<String>,
    /// The ticket the call is about: the call is linked to it and appears in its trail.
    #[serde(default)]
    pub ticket_id: Option<uuid::Uuid>,
}

/// Call a customer: my phone (or standing line) rings first, then theirs through the
/// trunk of the caller number, with ringback; the call is my contact from now on and ends
/// in wrap-up. Allowed when idle or busy, not at rest.
#[utoipa::path(post, path = "/api/v1/agent/calls", operation_id = "agent_dial", tag = "calls", security(("bearer" = ["calls.outbound"])),
    request_body = DialIn,
    responses((status = 201, body = ContactOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 429, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn dial(
    State(state): State<AppState>,
    p: Can<perm::OutboundCall>,
    ApiJson(req): ApiJson<DialIn>,
) -> ApiResult<(StatusCode, Json<ContactOut>)> {
    let number = customer_number(&req.number)?;
    let caller_number = caller_number(&state, &p, req.caller_number.as_deref()).await?;
    let ticket = match req.ticket_id {
        Some(id) => Some(TicketCtx::load(&state, &p, TicketId(id)).await?.ticket.id),
        None => None,
    };
    let call = Dial {
        tenant: p.tenant_id,
        agent: p.user_id,
        number: number.clone(),
        caller_number: caller_number.clone(),
    };
    state
        .voice
        .dial(call.clone(), None)
        .await
        .map_err(refusal)?;
    within_daily_limit(&state, &p).await?;
    let queue = voice_queue(&state, &p).await?;
    let contact = ContactId::new();
    let meta = ContactMeta {
        title: Some(number.clone()),
        link: None,
        data: json!({
            "dialled": number,
            "caller_number": caller_number,
            "ticket_id": ticket.map(|t| t.0.to_string()),
        })
        .to_string(),
    };
    let new = NewContact {
        id: contact,
        channel: Channel::Voice,
        direction: Direction::Outbound,
        queue,
        priority: CustomerPriority::new(0).map_err(|e| anyhow::anyhow!(e))?,
        customer: Some(number.clone()),
        familiar_agent: None,
    };
    let engine = engine(&state, p.tenant_id).await?;
    engine.dial(new, p.user_id, meta).await?;
    if let Err(refused) = state.voice.dial(call, Some((contact, queue))).await {
        // Nothing was placed after all (the phone went away in between): the contact ends.
        let release = switchboard_engine::acd::Command::Release {
            contact,
            agent: None,
            by: ReleasedBy::System,
        };
        let _ = engine.apply(release).await;
        return Err(refusal(refused));
    }
    if let Some(ticket) = ticket {
        link_to_ticket(&state, &p, ticket, contact, &number).await;
    }
    crate::api::customers::record::note_number(&state, p.tenant_id, &number).await;
    let (stored, live) = load_contact(&state, p.tenant_id, contact).await?;
    Ok((
        StatusCode::CREATED,
        Json(contact_out(&stored, live.as_ref())),
    ))
}

fn customer_number(raw: &str) -> ApiResult<String> {
    let raw = raw.trim();
    if raw.is_empty() || raw.chars().count() > 32 {
        return Err(ApiError::invalid("number", "give the number to call"));
    }
    normalize_number(raw, COUNTRY_CODE)
        .ok_or_else(|| ApiError::invalid("number", "not a phone number"))
}

/// The caller number asked for, if it is one of mine, or my default one.
pub(crate) async fn caller_number(
    state: &AppState,
    p: &Principal,
    asked: Option<&str>,
) -> ApiResult<String> {
    let mine = state.store.caller_numbers(p.tenant_id, p.user_id).await?;
    let chosen = match asked {
        Some(asked) => mine
            .iter()
            .find(|n| n.number == asked.trim())
            .ok_or_else(|| {
                ApiError::invalid(
                    "caller_number",
                    "not a caller number of your skill queues' number groups",
                )
            })?,
        None => mine
            .iter()
            .find(|n| n.default)
            .or_else(|| mine.first())
            .ok_or_else(|| {
                ApiError::client(
                    StatusCode::CONFLICT,
                    "no_caller_number",
                    "no number group of your skill queues has a number for outbound calls",
                )
            })?,
    };
    Ok(chosen.number.clone())
}

/// Refuses once the agent placed the tenant's daily limit of calls today (its time zone).
async fn within_daily_limit(state: &AppState, p: &Principal) -> ApiResult<()> {
    let limit = match state.store.outbound_policy(p.tenant_id).await? {
        Some(saved) => saved.daily_limit,
        None => OutboundPolicy::default().daily_limit,
    };
    let Some(limit) = limit else {
        return Ok(());
    };
    let today = p.zone.start_of_day(state.clock.now_ms());
    let placed = state
        .store
        .outbound_calls_since(p.tenant_id, p.user_id, today)
        .await?;
    if placed >= u64::from(limit) {
        return Err(ApiError::client(
            StatusCode::TOO_MANY_REQUESTS,
            "daily_limit_reached",
            format!("you placed today's limit of {limit} outbound calls"),
        ));
    }
    Ok(())
}

/// The voice queue the call counts in: one the agent is signed in to, else one they are
/// bound to.
async fn voice_queue(state: &AppState, p: &Principal) -> ApiResult<SkillQueueId> {
    let voice: Vec<SkillQueueId> = state
        .store
        .skill_queues(p.tenant_id)
        .await?
        .into_iter()
        .filter(|q| q.spec.channel == Channel::Voice)
        .map(|q| q.id)
        .collect();
    let me = p.user_id;
    let view = engine(state, p.tenant_id)
        .await?
        .read(move |e| e.agent_view(me))
        .await?;
    let Some(view) = view else {
        return Err(ApiError::client(
            StatusCode::CONFLICT,
            "not_signed_in",
            "sign in before calling out",
        ));
    };
    let signed_in = view.signed_in.iter();
    let bound = view.bound.iter().map(|(q, _)| q);
    signed_in
        .chain(bound)
        .find(|q| voice.contains(q))
        .copied()
        .ok_or_else(|| {
            ApiError::client(
                StatusCode::CONFLICT,
                "no_voice_queue",
                "you are bound to no voice skill queue",
            )
        })
}

/// Links the call to its ticket, with a trail entry; the call stands if this fails.
async fn link_to_ticket(
    state: &AppState,
    p: &Principal,
    ticket: TicketId,
    contact: ContactId,
    number: &str,
) {
    let linked = retrying(state, p, ticket, |_| {
        let changes = TicketChanges {
            link_contacts: vec![contact],
            ..Default::default()
        };
        let detail = json!({ "contact_id": contact.0, "number": number });
        Ok((changes, detail, "call_placed"))
    })
    .await;
    if let Err(e) = linked {
        tracing::warn!(error = ?e, "an outbound call could not be linked to its ticket");
    }
}

/// A switch's refusal as the API says it.
fn refusal(r: DialRefusal) -> ApiError {
    let conflict = |code, message: &str| ApiError::client(StatusCode::CONFLICT, code, message);
    let refused =
        |message: String| ApiError::client(StatusCode::FORBIDDEN, "destination_refused", message);
    match r {
        DialRefusal::NoVoice => ApiError::client(
            StatusCode::SERVICE_UNAVAILABLE,
            "no_voice",
            "the server runs without SIP",
        ),
        DialRefusal::Refused(e) => match e {
            DialError::BadNumber => ApiError::invalid("number", "not a phone number"),
            DialError::NotOutboundNumber => ApiError::invalid(
                "caller_number",
                "the number is not enabled for outbound calls",
            ),
            DialError::NoTrunk => conflict(
                "no_trunk",
                "the caller number's trunk has no outbound proxy to send calls to",
            ),
            DialError::Refused(Refusal::NoRule) => {
                refused("the outbound rules allow no calls to this number".into())
            }
            DialError::Refused(Refusal::Denied(label)) => refused(format!(
                "the outbound rules forbid calls to this number ({label})"
            )),
            DialError::NoPhone => conflict(
                "no_phone",
                "register your phone or open your line before calling out",
            ),
            DialError::OnACall => conflict("on_a_call", "you are on a call already"),
            DialError::NoCapacity => ApiError::client(
                StatusCode::SERVICE_UNAVAILABLE,
                "no_capacity",
                "no media port is free; try again shortly",
            ),
        },
    }
}
