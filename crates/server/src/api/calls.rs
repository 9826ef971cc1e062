//! Call records (V13): an agent's own calls ("my call records"), every call of the tenant
//! for holders of `recordings.access`, each with its legs and their media quality, an export,
//! and the recording played in the browser (HTTP range requests). A recording is served only
//! to `recordings.access` holders and the call's agent, found only by our own ids (the
//! tenant's and the record's), so no request reaches another tenant's file. A ticket lists
//! the calls of the contacts it links to whoever may see the ticket (what happened, who took
//! it, how long, the score); the recording is offered only to those the recording endpoint
//! would serve, since what was said is for `recordings.access` and the call's agent.

use std::collections::{BTreeMap, HashMap};
use std::io::SeekFrom;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_engine::ticket::time::{format_local_offset, parse_datetime};
use switchboard_engine::{ContactId, Permission, SkillQueueId, TenantId, TicketId, UserId};
use switchboard_storage::{CallHandoff, CallLeg, CallQuery, CallRecord, ContactSummary, Principal};
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use utoipa::ToSchema;
use uuid::Uuid;

use super::tickets::access::TicketCtx;
use super::tickets::export::{csv, xlsx_sheet, Lang};
use super::wire::rfc3339;
use crate::auth::{perm, principal_for_token, require, Auth, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiQuery, IdPath};
use crate::state::AppState;

/// Whether the caller sees every call of the tenant, not only their own.
fn sees_all(p: &Principal) -> bool {
    p.may(Permission::RecordingAccess)
}

/// Whether a call's recording plays for the caller: the same rule as `visible_call`, so a
/// link offered (a ticket's calls, a customer's trail) is a link that plays.
pub fn recording_playable(p: &Principal, c: &CallRecord) -> bool {
    c.recording && (sees_all(p) || c.agent == Some(p.user_id))
}

/// Call records are for `recordings.access` holders (all calls) and agents (their own).
fn may_read_calls(p: &Principal) -> ApiResult<()> {
    if !sees_all(p) {
        require(p, Permission::AgentWork)?;
    }
    Ok(())
}

#[derive(Serialize, ToSchema)]
pub struct QualityOut {
    /// RTP packets received on the leg.
    pub packets: i64,
    /// Packets lost on the way (expected minus received).
    pub lost: i64,
    /// Lost packets as a share of those expected, in percent.
    pub loss_percent: f64,
    /// Interarrival jitter (RFC 3550) in milliseconds.
    pub jitter_ms: f64,
    /// Estimated MOS (1-4.5) of what we received; null when nothing was.
    #[schema(required)]
    pub mos: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct LegOut {
    pub id: Uuid,
    /// caller, agent or destination.
    pub party: String,
    #[schema(required)]
    pub agent_id: Option<Uuid>,
    #[schema(required)]
    pub agent_name: Option<String>,
    /// PCMU or PCMA.
    pub codec: String,
    /// When the leg began: the caller's INVITE arrived, or ours to the agent's phone went out.
    pub ring_at: String,
    #[schema(required)]
    pub answered_at: Option<String>,
    #[schema(required)]
    pub ended_at: Option<String>,
    /// What the leg's media received, once it closed.
    #[schema(required)]
    pub quality: Option<QualityOut>,
}

#[derive(Serialize, ToSchema)]
pub struct CallOut {
    pub id: Uuid,
    pub caller: String,
    pub dialled: String,
    /// inbound (through a trunk) or outbound (from an agent's phone).
    pub direction: String,
    pub started_at: String,
    #[schema(required)]
    pub answered_at: Option<String>,
    #[schema(required)]
    pub ended_at: Option<String>,
    #[schema(required)]
    pub queue_id: Option<Uuid>,
    #[schema(required)]
    pub queue_name: Option<String>,
    #[schema(required)]
    pub queued_at: Option<String>,
    /// How long the call waited in its queue (ms), until answered or given up.
    #[schema(required)]
    pub wait_ms: Option<i64>,
    /// The agent who answered.
    #[schema(required)]
    pub agent_id: Option<Uuid>,
    #[schema(required)]
    pub agent_name: Option<String>,
    /// Talk time (ms): from the answer to the end.
    #[schema(required)]
    pub talk_ms: Option<i64>,
    /// caller, agent, destination or system; null while the call goes on.
    #[schema(required)]
    pub released_by: Option<String>,
    /// The SIP status the call ended with.
    #[schema(required)]
    pub end_status: Option<u16>,
    /// The routing engine's contact of a queued call.
    #[schema(required)]
    pub contact_id: Option<Uuid>,
    /// Whether there is a recording (`GET /api/v1/calls/{id}/recording`).
    pub recording: bool,
    #[schema(required)]
    pub recording_ms: Option<i64>,
    /// The IVR path the call took (`营业时间 → 主菜单 → 1 售前`); empty without one.
    pub ivr_path: String,
    /// What the caller keyed in the IVR, by variable.
    pub variables: BTreeMap<String, String>,
    /// The agent's service summary of the call's contact, once saved.
    #[schema(required)]
    pub summary: Option<CallSummaryOut>,
    /// The satisfaction survey after the agent released (V12): rated or not_rated; null
    /// when the number has no survey.
    #[schema(required)]
    pub survey: Option<String>,
    /// 1-5 when rated.
    #[schema(required)]
    pub survey_score: Option<u8>,
}

/// One hand-over of the call: who gave it to whom.
#[derive(Serialize, ToSchema)]
pub struct HandoffOut {
    pub at: String,
    /// blind (to a queue or an agent, offered like any call), attended (after a consult),
    /// external (to an outside number) or ivr (to an IVR flow or the survey).
    pub kind: String,
    #[schema(required)]
    pub from_agent_id: Option<Uuid>,
    #[schema(required)]
    pub from_agent_name: Option<String>,
    #[schema(required)]
    pub to_agent_id: Option<Uuid>,
    #[schema(required)]
    pub to_agent_name: Option<String>,
    #[schema(required)]
    pub to_queue_id: Option<Uuid>,
    #[schema(required)]
    pub to_queue_name: Option<String>,
    /// external: the outside number; ivr: the flow's name, or `survey`.
    #[schema(required)]
    pub to_target: Option<String>,
}

/// The wrap-up summary of a call (V11): problem, solution, disposition.
#[derive(Serialize, ToSchema)]
pub struct CallSummaryOut {
    pub problem: String,
    #[schema(required)]
    pub solution: Option<String>,
    /// The disposition code (处理结果).
    #[schema(required)]
    pub disposition: Option<String>,
    /// Its label among the tenant's codes.
    #[schema(required)]
    pub disposition_label: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CallDetail {
    #[serde(flatten)]
    pub call: CallOut,
    pub legs: Vec<LegOut>,
    /// Who handed the call to whom, in order (V5, V6).
    pub handoffs: Vec<HandoffOut>,
}

#[derive(Serialize, ToSchema)]
pub struct CallPage {
    pub items: Vec<CallOut>,
    /// Pass as `cursor` for the next page; null on the last.
    #[schema(required)]
    pub next_cursor: Option<String>,
}

/// Agents' and queues' names, to show with ids, and the calls' summaries.
struct Names {
    users: HashMap<UserId, String>,
    queues: HashMap<SkillQueueId, String>,
    summaries: HashMap<ContactId, ContactSummary>,
    dispositions: HashMap<String, String>,
}

impl Names {
    async fn load(state: &AppState, tenant: TenantId, calls: &[CallRecord]) -> ApiResult<Names> {
        let users = state.store.users(tenant).await?;
        let queues = state.store.skill_queues(tenant).await?;
        let contacts: Vec<ContactId> = calls.iter().filter_map(|c| c.contact).collect();
        let mut summaries = HashMap::new();
        // In slices, so no statement carries more parameters than a database takes.
        for slice in contacts.chunks(500) {
            summaries.extend(state.store.contact_summaries(tenant, slice).await?);
        }
        let dispositions = state.store.disposition_codes(tenant).await?;
        Ok(Names {
            summaries,
            dispositions: dispositions
                .into_iter()
                .map(|d| (d.code, d.label))
                .collect(),
            users: users
                .into_iter()
                .map(|u| (u.id, u.display_name.as_str().to_owned()))
                .collect(),
            queues: queues
                .into_iter()
                .map(|q| (q.id, q.spec.name.as_str().to_owned()))
                .collect(),
        })
    }

    fn user(&self, id: Option<UserId>) -> Option<String> {
        id.and_then(|id| self.users.get(&id).cloned())
    }
}

fn call_out(c: &CallRecord, names: &Names) -> CallOut {
    CallOut {
        id: c.id,
        caller: c.caller.clone(),
        dialled: c.dialled.clone(),
        direction: c.direction.code().into(),
        started_at: rfc3339(c.started_at),
        answered_at: c.answered_at.map(rfc3339),
        ended_at: c.ended_at.map(rfc3339),
        queue_id: c.queue.map(|q| q.0),
        queue_name: c.queue.and_then(|q| names.queues.get(&q).cloned()),
        queued_at: c.queued_at.map(rfc3339),
        wait_ms: c.wait_ms,
        agent_id: c.agent.map(|a| a.0),
        agent_name: names.user(c.agent),
        talk_ms: c.answered_at.zip(c.ended_at).map(|(a, e)| e - a),
        released_by: c.released_by.map(|r| r.code().into()),
        end_status: c.end_status,
        contact_id: c.contact.map(|c| c.0),
        recording: c.recording,
        recording_ms: c.recording_ms,
        ivr_path: c.ivr_path.clone(),
        variables: c.variables.iter().cloned().collect(),
        summary: c
            .contact
            .and_then(|id| names.summaries.get(&id))
            .map(|s| CallSummaryOut {
                problem: s.problem.clone(),
                solution: s.solution.clone(),
                disposition: s.disposition.clone(),
                disposition_label: s
                    .disposition
                    .as_ref()
                    .and_then(|d| names.dispositions.get(d).cloned()),
            }),
        survey: c.survey.map(|s| s.code().into()),
        survey_score: c.survey_score,
    }
}

fn handoff_out(h: &CallHandoff, names: &Names) -> HandoffOut {
    HandoffOut {
        at: rfc3339(h.at),
        kind: h.kind.code().into(),
        from_agent_id: h.from.map(|a| a.0),
        from_agent_name: names.user(h.from),
        to_agent_id: h.to_agent.map(|a| a.0),
        to_agent_name: names.user(h.to_agent),
        to_queue_id: h.to_queue.map(|q| q.0),
        to_queue_name: h.to_queue.and_then(|q| names.queues.get(&q).cloned()),
        to_target: h.to_target.clone(),
    }
}

fn leg_out(l: &CallLeg, names: &Names) -> LegOut {
    LegOut {
        id: l.id,
        party: l.party.code().into(),
        agent_id: l.agent.map(|a| a.0),
        agent_name: names.user(l.agent),
        codec: l.codec.clone(),
        ring_at: rfc3339(l.ring_at),
        answered_at: l.answered_at.map(rfc3339),
        ended_at: l.ended_at.map(rfc3339),
        quality: l.quality.map(|q| {
            let expected = q.packets + q.lost.max(0);
            QualityOut {
                packets: q.packets,
                lost: q.lost,
                loss_percent: if expected > 0 {
                    (q.lost.max(0) as f64 * 10_000.0 / expected as f64).round() / 100.0
                } else {
                    0.0
                },
                jitter_ms: (q.jitter_ms * 100.0).round() / 100.0,
                mos: q.mos_x100.map(|m| m as f64 / 100.0),
            }
        }),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallFilter {
    /// A part of the caller's or the dialled number.
    number: Option<String>,
    /// Calls started at or after this time (RFC 3339, or a local time of the tenant's zone).
    from: Option<String>,
    /// Calls started before this time.
    to: Option<String>,
    /// The agent who answered (ignored for callers who see only their own calls).
    agent_id: Option<Uuid>,
    queue_id: Option<Uuid>,
    /// The previous page's `next_cursor`.
    cursor: Option<String>,
    /// Records per page, 1-200 (50).
    limit: Option<u32>,
}

fn query_of(p: &Principal, f: &CallFilter) -> ApiResult<CallQuery> {
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
    let number = f.number.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if number.is_some_and(|n| n.chars().count() > 64 || n.chars().any(char::is_control)) {
        return Err(ApiError::invalid("number", "at most 64 characters"));
    }
    let before = f
        .cursor
        .as_deref()
        .filter(|c| !c.is_empty())
        .map(|c| Uuid::parse_str(c).map_err(|_| ApiError::invalid("cursor", "not a cursor")))
        .transpose()?;
    let limit = f.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::invalid("limit", "must be 1-200"));
    }
    Ok(CallQuery {
        number: number.map(str::to_owned),
        from: time("from", &f.from)?,
        to: time("to", &f.to)?,
        // "My call records": without recordings.access, only the caller's own calls.
        agent: if sees_all(p) {
            f.agent_id.map(UserId)
        } else {
            Some(p.user_id)
        },
        queue: f.queue_id.map(SkillQueueId),
        before,
        limit,
    })
}

/// Call records, newest first: every call of the tenant for holders of `recordings.access`,
/// the caller's own otherwise ("my call records"). Page on with `next_cursor`.
#[utoipa::path(get, path = "/api/v1/calls", operation_id = "calls_list", tag = "calls",
    security(("bearer" = ["recordings.access"]), ("bearer" = ["agent.work"])),
    params(CallFilter), responses((status = 200, body = CallPage), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(f): ApiQuery<CallFilter>,
) -> ApiResult<Json<CallPage>> {
    let p = &auth.0;
    may_read_calls(p)?;
    let q = query_of(p, &f)?;
    let rows = state.store.call_records(p.tenant_id, &q).await?;
    let names = Names::load(&state, p.tenant_id, &rows).await?;
    let next_cursor = (rows.len() == q.limit as usize)
        .then(|| rows.last().map(|r| r.id.to_string()))
        .flatten();
    Ok(Json(CallPage {
        items: rows.iter().map(|r| call_out(r, &names)).collect(),
        next_cursor,
    }))
}

/// A call the caller may see: any of the tenant's with `recordings.access`, else their own.
async fn visible_call(state: &AppState, p: &Principal, id: Uuid) -> ApiResult<CallRecord> {
    let call = state
        .store
        .call_record(p.tenant_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if sees_all(p) || call.agent == Some(p.user_id) {
        Ok(call)
    } else {
        Err(ApiError::not_found())
    }
}

/// One call with its legs: ring, answer and end times and the media quality of each.
#[utoipa::path(get, path = "/api/v1/calls/{id}", operation_id = "calls_get", tag = "calls",
    security(("bearer" = ["recordings.access"]), ("bearer" = ["agent.work"])),
    params(("id" = Uuid, Path)), responses((status = 200, body = CallDetail), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
) -> ApiResult<Json<CallDetail>> {
    let p = &auth.0;
    may_read_calls(p)?;
    let call = visible_call(&state, p, id).await?;
    let legs = state.store.call_legs(p.tenant_id, id).await?;
    let names = Names::load(&state, p.tenant_id, std::slice::from_ref(&call)).await?;
    Ok(Json(CallDetail {
        call: call_out(&call, &names),
        legs: legs.iter().map(|l| leg_out(l, &names)).collect(),
        handoffs: call
            .handoffs
            .iter()
            .map(|h| handoff_out(h, &names))
            .collect(),
    }))
}

/// The most calls a ticket lists: a ticket links a handful of contacts, each a call or two.
const TICKET_CALLS: u32 = 200;

/// A call of a contact linked to a ticket, as the ticket's page lists it.
#[derive(Serialize, ToSchema)]
pub struct TicketCallOut {
    pub id: Uuid,
    /// The linked contact the call was.
    #[schema(required)]
    pub contact_id: Option<Uuid>,
    pub started_at: String,
    /// inbound (through a trunk) or outbound (from an agent's phone).
    pub direction: String,
    pub caller: String,
    pub dialled: String,
    /// The agent who answered.
    #[schema(required)]
    pub agent_id: Option<Uuid>,
    #[schema(required)]
    pub agent_name: Option<String>,
    /// Talk time (ms): from the answer to the end; null when unanswered or still going.
    #[schema(required)]
    pub talk_ms: Option<i64>,
    /// rated or not_rated; null when the number has no survey.
    #[schema(required)]
    pub survey: Option<String>,
    /// 1-5 when rated.
    #[schema(required)]
    pub survey_score: Option<u8>,
    /// Whether the call was recorded.
    pub recording: bool,
    /// Whether I may play the recording (`GET /api/v1/calls/{id}/recording`): holders of
    /// `recordings.access` and the call's agent; false when there is none.
    pub recording_playable: bool,
}

fn ticket_call_out(p: &Principal, c: &CallRecord, names: &Names) -> TicketCallOut {
    TicketCallOut {
        id: c.id,
        contact_id: c.contact.map(|c| c.0),
        started_at: rfc3339(c.started_at),
        direction: c.direction.code().into(),
        caller: c.caller.clone(),
        dialled: c.dialled.clone(),
        agent_id: c.agent.map(|a| a.0),
        agent_name: names.user(c.agent),
        talk_ms: c.answered_at.zip(c.ended_at).map(|(a, e)| e - a),
        survey: c.survey.map(|s| s.code().into()),
        survey_score: c.survey_score,
        recording: c.recording,
        recording_playable: recording_playable(p, c),
    }
}

/// The calls of the contacts a ticket links (T11), newest first, for whoever may see the
/// ticket; the recording is playable only for `recordings.access` and the call's agent.
#[utoipa::path(get, path = "/api/v1/tickets/{id}/calls", operation_id = "tickets_calls", tag = "tickets",
    security(("bearer" = ["tickets.work"])),
    params(("id" = Uuid, Path)), responses((status = 200, body = [TicketCallOut]), (status = 404, body = ErrorBody)))]
pub async fn of_ticket(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    IdPath(id): IdPath,
) -> ApiResult<Json<Vec<TicketCallOut>>> {
    let ctx = TicketCtx::load(&state, &p, TicketId(id)).await?;
    let links = state
        .store
        .ticket_links(p.tenant_id, ctx.ticket.id, p.user_id)
        .await?;
    let calls = state
        .store
        .call_records_of_contacts(p.tenant_id, &links.contacts, TICKET_CALLS)
        .await?;
    let names = Names::load(&state, p.tenant_id, &calls).await?;
    Ok(Json(
        calls
            .iter()
            .map(|c| ticket_call_out(&p, c, &names))
            .collect(),
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TokenQuery {
    /// The session token, for an `<audio>` element, which cannot send headers.
    token: Option<String>,
}

/// The bytes of a file a `Range` header asks for.
#[derive(Debug, PartialEq, Eq)]
enum Span {
    Whole,
    /// First and last byte, inclusive.
    Part(u64, u64),
    Unsatisfiable,
}

/// Reads one `bytes=` range (RFC 9110 §14.1.2); several ranges or a header we do not
/// understand get the whole file, as the RFC allows.
fn span(range: Option<&str>, len: u64) -> Span {
    let Some(spec) = range.and_then(|r| r.trim().strip_prefix("bytes=")) else {
        return Span::Whole;
    };
    if spec.contains(',') {
        return Span::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Span::Whole;
    };
    match (first.trim(), last.trim()) {
        ("", "") => Span::Whole,
        ("", suffix) => match suffix.parse::<u64>() {
            Ok(0) => Span::Unsatisfiable,
            Ok(_) if len == 0 => Span::Unsatisfiable,
            Ok(n) => Span::Part(len.saturating_sub(n), len - 1),
            Err(_) => Span::Whole,
        },
        (first, last) => {
            let Ok(first) = first.parse::<u64>() else {
                return Span::Whole;
            };
            if first >= len {
                return Span::Unsatisfiable;
            }
            if last.is_empty() {
                return Span::Part(first, len - 1);
            }
            match last.parse::<u64>() {
                Ok(last) if last >= first => Span::Part(first, last.min(len - 1)),
                _ => Span::Whole,
            }
        }
    }
}

/// The call's recording as `audio/wav` (stereo: the caller left, the agent right), with
/// range requests (206 and `Content-Range`; 416 past the end), for holders of
/// `recordings.access` and the call's agent. The token may come in the `token` query
/// parameter (an `<audio>` element sends no headers) or as a bearer header.
#[utoipa::path(get, path = "/api/v1/calls/{id}/recording", operation_id = "calls_recording", tag = "calls",
    security(("token" = ["recordings.access"]), ("token" = ["agent.work"])),
    params(("id" = Uuid, Path), TokenQuery),
    responses((status = 200, description = "the recording (audio/wav)"), (status = 206, description = "the range asked for"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 416, description = "the range starts past the end")))]
pub async fn recording(
    State(state): State<AppState>,
    IdPath(id): IdPath,
    ApiQuery(q): ApiQuery<TokenQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let token = q
        .token
        .as_deref()
        .or(bearer)
        .ok_or_else(ApiError::unauthenticated)?;
    let (p, _) = principal_for_token(&state, token).await?;
    if p.must_change_password {
        return Err(crate::auth::password_change_required());
    }
    may_read_calls(&p)?;
    let call = visible_call(&state, &p, id).await?;
    let root = state.voice.recordings().ok_or_else(ApiError::not_found)?;
    if !call.recording {
        return Err(ApiError::not_found());
    }
    // Only our ids name the file: the tenant's and the record's, both UUIDs.
    let path = root
        .join(p.tenant_id.0.to_string())
        .join(format!("{}.wav", call.id));
    let mut file = match tokio::fs::File::open(&path).await {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(ApiError::not_found()),
        Err(e) => return Err(anyhow::Error::from(e).into()),
    };
    let len = file.metadata().await.map_err(anyhow::Error::from)?.len();
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let (status, first, last) = match span(range, len) {
        Span::Whole => (StatusCode::OK, 0, len.saturating_sub(1)),
        Span::Part(a, b) => (StatusCode::PARTIAL_CONTENT, a, b),
        Span::Unsatisfiable => {
            return Ok((
                StatusCode::RANGE_NOT_SATISFIABLE,
                [
                    (header::CONTENT_RANGE, format!("bytes */{len}")),
                    (header::ACCEPT_RANGES, "bytes".to_owned()),
                ],
            )
                .into_response())
        }
    };
    let count = if len == 0 { 0 } else { last - first + 1 };
    file.seek(SeekFrom::Start(first))
        .await
        .map_err(anyhow::Error::from)?;
    let body = Body::from_stream(chunks(file.take(count)));
    let mut response = Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "audio/wav")
        .header(header::CONTENT_LENGTH, count)
        .header(header::ACCEPT_RANGES, "bytes")
        .header(header::CACHE_CONTROL, "private, no-store")
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    if status == StatusCode::PARTIAL_CONTENT {
        response = response.header(header::CONTENT_RANGE, format!("bytes {first}-{last}/{len}"));
    }
    response
        .body(body)
        .map_err(|e| anyhow::Error::from(e).into())
}

/// A reader as a stream of 64 KiB chunks.
fn chunks<R: tokio::io::AsyncRead + Unpin + Send + 'static>(
    reader: R,
) -> impl futures_util::Stream<Item = std::io::Result<Vec<u8>>> + Send {
    futures_util::stream::unfold(Some(reader), |reader| async move {
        let mut reader = reader?;
        let mut buf = vec![0u8; 64 * 1024];
        match reader.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(buf), Some(reader)))
            }
            Err(e) => Some((Err(e), None)),
        }
    })
}

/// Most rows one export holds.
const MAX_EXPORT: usize = 100_000;

/// Export call records to .xlsx or .csv (`format`), with the list's filters, newest first,
/// at most 100,000: columns named in `lang` (`zh-CN`, the default, or `en`), times in the
/// tenant's zone with their offset.
#[utoipa::path(get, path = "/api/v1/calls/export", operation_id = "calls_export", tag = "calls", security(("bearer" = ["recordings.access"])),
    params(("format" = String, Query), ("lang" = Option<String>, Query), CallFilter),
    responses((status = 200, description = "the file"), (status = 400, body = ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    p: Can<perm::RecordingAccess>,
    ApiQuery(params): ApiQuery<BTreeMap<String, String>>,
) -> ApiResult<impl IntoResponse> {
    let format = params
        .get("format")
        .cloned()
        .unwrap_or_else(|| "xlsx".into());
    if !["xlsx", "csv"].contains(&format.as_str()) {
        return Err(ApiError::invalid("format", "xlsx or csv"));
    }
    let lang = Lang::parse(params.get("lang").map(String::as_str))?;
    let id = |k: &str| {
        params
            .get(k)
            .filter(|v| !v.is_empty())
            .map(|v| Uuid::parse_str(v).map_err(|_| ApiError::invalid(k.to_owned(), "not an id")))
            .transpose()
    };
    let filter = CallFilter {
        number: params.get("number").cloned(),
        from: params.get("from").cloned(),
        to: params.get("to").cloned(),
        agent_id: id("agent_id")?,
        queue_id: id("queue_id")?,
        cursor: None,
        limit: Some(200),
    };
    let mut q = query_of(&p, &filter)?;
    q.limit = 500;
    let mut rows = Vec::new();
    loop {
        let page = state.store.call_records(p.tenant_id, &q).await?;
        let full = page.len() == q.limit as usize;
        q.before = page.last().map(|r| r.id);
        rows.extend(page);
        if !full || rows.len() >= MAX_EXPORT {
            break;
        }
    }
    rows.truncate(MAX_EXPORT);
    let names = Names::load(&state, p.tenant_id, &rows).await?;
    let table = table(&rows, &names, &p.zone, lang);
    let (body, content_type) = match format.as_str() {
        "csv" => (csv(&table), "text/csv; charset=utf-8"),
        _ => (
            xlsx_sheet(&table, "calls")?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"calls.{format}\""),
            ),
        ],
        body,
    ))
}

/// The export's columns: (Chinese, English).
const COLUMNS: [(&str, &str); 17] = [
    ("主叫号码", "Caller"),
    ("被叫号码", "Dialled"),
    ("方向", "Direction"),
    ("开始时间", "Started"),
    ("接通时间", "Answered"),
    ("结束时间", "Ended"),
    ("技能组", "Queue"),
    ("排队时长(秒)", "Wait (s)"),
    ("座席", "Agent"),
    ("通话时长(秒)", "Talk (s)"),
    ("挂断方", "Released by"),
    ("IVR 路径", "IVR path"),
    ("问题", "Problem"),
    ("解决方案", "Solution"),
    ("处理结果", "Disposition"),
    ("录音", "Recording"),
    ("记录编号", "Record id"),
];

fn table(
    rows: &[CallRecord],
    names: &Names,
    zone: &switchboard_engine::TenantZone,
    lang: Lang,
) -> Vec<Vec<String>> {
    let zh = lang == Lang::Zh;
    let mut out = vec![COLUMNS
        .iter()
        .map(|(z, e)| if zh { *z } else { *e }.to_owned())
        .collect::<Vec<_>>()];
    let time = |t: Option<i64>| t.map(|t| format_local_offset(t, zone)).unwrap_or_default();
    let secs = |ms: Option<i64>| ms.map(|ms| format!("{}", ms / 1000)).unwrap_or_default();
    for r in rows {
        let c = call_out(r, names);
        let direction = match (r.direction.code(), zh) {
            ("inbound", true) => "呼入",
            ("outbound", true) => "呼出",
            (code, _) => code,
        };
        let released = match (c.released_by.as_deref(), zh) {
            (Some("caller"), true) => "主叫",
            (Some("agent"), true) => "座席",
            (Some("destination"), true) => "被叫",
            (Some("system"), true) => "系统",
            (Some(code), false) => code,
            _ => "",
        };
        let recording = match (r.recording, zh) {
            (true, true) => "有",
            (false, true) => "无",
            (true, false) => "yes",
            (false, false) => "no",
        };
        out.push(vec![
            r.caller.clone(),
            r.dialled.clone(),
            direction.to_owned(),
            time(Some(r.started_at)),
            time(r.answered_at),
            time(r.ended_at),
            c.queue_name.unwrap_or_default(),
            secs(r.wait_ms),
            c.agent_name.unwrap_or_default(),
            secs(c.talk_ms),
            released.to_owned(),
            r.ivr_path.clone(),
            c.summary
                .as_ref()
                .map(|s| s.problem.clone())
                .unwrap_or_default(),
            c.summary
                .as_ref()
                .and_then(|s| s.solution.clone())
                .unwrap_or_default(),
            c.summary
                .as_ref()
                .and_then(|s| s.disposition_label.clone().or(s.disposition.clone()))
                .unwrap_or_default(),
            recording.to_owned(),
            r.id.to_string(),
        ]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_read_as_rfc_9110_says() {
        assert_eq!(span(None, 100), Span::Whole);
        assert_eq!(span(Some("bytes=0-9"), 100), Span::Part(0, 9));
        assert_eq!(span(Some("bytes=90-"), 100), Span::Part(90, 99));
        assert_eq!(span(Some("bytes=90-500"), 100), Span::Part(90, 99));
        assert_eq!(span(Some("bytes=-10"), 100), Span::Part(90, 99));
        assert_eq!(span(Some("bytes=-500"), 100), Span::Part(0, 99));
        assert_eq!(span(Some("bytes=100-"), 100), Span::Unsatisfiable);
        assert_eq!(span(Some("bytes=-0"), 100), Span::Unsatisfiable);
        assert_eq!(span(Some("bytes=5-2"), 100), Span::Whole);
        assert_eq!(span(Some("bytes=0-1,5-6"), 100), Span::Whole);
        assert_eq!(span(Some("items=0-1"), 100), Span::Whole);
        assert_eq!(span(Some("bytes=x-1"), 100), Span::Whole);
    }
}
