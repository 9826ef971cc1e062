//! Voice queues' settings beyond routing (V1, R4): how often a waiting caller is told their
//! place in line and the estimated wait, in which languages, and voicemail when the wait
//! runs out — the message becomes a callback task in a task queue or a ticket of a ticket
//! type (one or the other). Every change tells the SIP runtime to rebuild the tenant's
//! directory.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_engine::{Channel, SkillQueueId, TenantId, TicketTypeId};
use switchboard_storage::{QueueVoice, VoicemailTo};
use utoipa::ToSchema;

use crate::api::tickets::schema::DefinitionJson;
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, IdPath};
use crate::state::AppState;

const ANNOUNCE_S: (u32, u32) = (10, 600);
const MESSAGE_S: (u32, u32) = (10, 600);
const DEFAULT_MESSAGE_S: u32 = 120;

/// A language announcements are spoken in.
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AnnounceLanguage {
    Zh,
    En,
}

impl AnnounceLanguage {
    fn code(self) -> &'static str {
        match self {
            AnnounceLanguage::Zh => "zh",
            AnnounceLanguage::En => "en",
        }
    }

    fn of(code: &str) -> Option<Self> {
        [Self::Zh, Self::En].into_iter().find(|l| l.code() == code)
    }
}

/// A voice queue's announcement and voicemail settings.
#[derive(Serialize, ToSchema)]
pub struct QueueVoiceOut {
    pub queue_id: uuid::Uuid,
    pub queue_name: String,
    /// Seconds between place-in-line announcements; null: none.
    #[schema(required)]
    pub announce_every_s: Option<u32>,
    pub languages: Vec<AnnounceLanguage>,
    /// The task queue a message left after the wait ran out becomes a callback task in.
    #[schema(required)]
    pub voicemail_queue_id: Option<uuid::Uuid>,
    /// Or the ticket type it becomes a ticket of. Both null: no voicemail (the call ends).
    #[schema(required)]
    pub voicemail_ticket_type_id: Option<uuid::Uuid>,
    pub voicemail_max_s: u32,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QueueVoiceIn {
    /// 10-600 seconds, or null for none.
    pub announce_every_s: Option<u32>,
    /// One or both, in the order spoken.
    pub languages: Vec<AnnounceLanguage>,
    /// A task queue of this tenant: each message becomes a callback task there.
    pub voicemail_queue_id: Option<uuid::Uuid>,
    /// Or a ticket type of this tenant in use: each message becomes a ticket of it (the
    /// caller's number as title and phone, the recording attached). At most one of the two;
    /// neither: no voicemail.
    #[serde(default)]
    pub voicemail_ticket_type_id: Option<uuid::Uuid>,
    /// The longest message, 10-600 seconds.
    pub voicemail_max_s: u32,
}

/// The voice queues and their announcement and voicemail settings.
#[utoipa::path(get, path = "/api/v1/voice/queues", operation_id = "voice_queues_list", tag = "voice", security(("bearer" = ["queues.manage"])),
    responses((status = 200, body = [QueueVoiceOut]), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
) -> ApiResult<Json<Vec<QueueVoiceOut>>> {
    let set = state.store.queue_voice(p.tenant_id).await?;
    let queues = state.store.skill_queues(p.tenant_id).await?;
    let out = queues
        .into_iter()
        .filter(|q| q.spec.channel == Channel::Voice)
        .map(|q| {
            let settings = set.iter().find(|s| s.queue == q.id).cloned();
            out(q.id, q.spec.name.as_str(), settings)
        })
        .collect();
    Ok(Json(out))
}

/// Set a voice queue's announcements and voicemail.
#[utoipa::path(put, path = "/api/v1/voice/queues/{id}", operation_id = "voice_queues_update", tag = "voice", security(("bearer" = ["queues.manage"])),
    params(("id" = uuid::Uuid, Path)), request_body = QueueVoiceIn,
    responses((status = 200, body = QueueVoiceOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<QueueVoiceIn>,
) -> ApiResult<Json<QueueVoiceOut>> {
    let queue = state
        .store
        .skill_queue(p.tenant_id, SkillQueueId(id))
        .await?
        .filter(|q| q.spec.channel == Channel::Voice)
        .ok_or_else(ApiError::not_found)?;
    let settings = checked(&state, p.tenant_id, queue.id, req).await?;
    let now = state.clock.now_ms();
    state
        .store
        .save_queue_voice(p.tenant_id, &settings, now)
        .await?;
    state.voice.directory_changed(p.tenant_id);
    Ok(Json(out(
        queue.id,
        queue.spec.name.as_str(),
        Some(settings),
    )))
}

async fn checked(
    state: &AppState,
    tenant: TenantId,
    queue: SkillQueueId,
    req: QueueVoiceIn,
) -> ApiResult<QueueVoice> {
    if let Some(s) = req.announce_every_s {
        within("announce_every_s", s, ANNOUNCE_S)?;
    }
    within("voicemail_max_s", req.voicemail_max_s, MESSAGE_S)?;
    let mut codes: Vec<&str> = req.languages.iter().map(|l| l.code()).collect();
    let n = codes.len();
    codes.dedup();
    if n == 0 || codes.len() != n {
        return Err(ApiError::invalid(
            "languages",
            "must name one or both of zh and en, each once",
        ));
    }
    let voicemail = match (req.voicemail_queue_id, req.voicemail_ticket_type_id) {
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid(
                "voicemail_ticket_type_id",
                "voicemail becomes a callback task or a ticket, not both: send one of voicemail_queue_id and voicemail_ticket_type_id",
            ))
        }
        (Some(q), None) => Some(VoicemailTo::Task(SkillQueueId(q))),
        (None, Some(t)) => Some(VoicemailTo::Ticket(TicketTypeId(t))),
        (None, None) => None,
    };
    match voicemail {
        Some(VoicemailTo::Task(q)) => task_queue(state, tenant, q).await?,
        Some(VoicemailTo::Ticket(t)) => ticket_type(state, tenant, t).await?,
        None => {}
    }
    Ok(QueueVoice {
        queue,
        announce_every_s: req.announce_every_s,
        languages: codes.into_iter().map(str::to_owned).collect(),
        voicemail,
        voicemail_max_s: req.voicemail_max_s,
    })
}

/// Callback tasks go to a skill queue of the tenant with channel `task`.
async fn task_queue(state: &AppState, tenant: TenantId, v: SkillQueueId) -> ApiResult<()> {
    let tasks = state
        .store
        .skill_queue(tenant, v)
        .await?
        .is_some_and(|q| q.spec.channel == Channel::Task);
    if !tasks {
        return Err(ApiError::invalid(
            "voicemail_queue_id",
            "must be a skill queue with channel 'task'",
        ));
    }
    Ok(())
}

/// The fields a voicemail's ticket fills (`voice/bridge/voicemail_ticket.rs`).
const FILLED: [&str; 3] = ["title", "description", "phone"];

/// Tickets go to a ticket type of the tenant that is in use, whose required fields a
/// voicemail fills (or their defaults do).
async fn ticket_type(state: &AppState, tenant: TenantId, id: TicketTypeId) -> ApiResult<()> {
    const FIELD: &str = "voicemail_ticket_type_id";
    let t = state
        .store
        .ticket_type(tenant, id)
        .await?
        .ok_or_else(|| ApiError::invalid(FIELD, "must be a ticket type of this tenant"))?;
    if !t.active {
        return Err(ApiError::invalid(
            FIELD,
            "this ticket type is no longer in use",
        ));
    }
    let schema = DefinitionJson::load(&t.definition)?;
    let unfilled: Vec<&str> = schema
        .fields
        .iter()
        .filter(|f| f.required && f.default.is_none() && !FILLED.contains(&f.code.as_str()))
        .map(|f| f.code.as_str())
        .collect();
    if !unfilled.is_empty() {
        return Err(ApiError::invalid(
            FIELD,
            format!(
                "this ticket type requires fields a voicemail cannot fill: {}",
                unfilled.join(", ")
            ),
        ));
    }
    Ok(())
}

fn within(field: &str, v: u32, (lo, hi): (u32, u32)) -> ApiResult<()> {
    if (lo..=hi).contains(&v) {
        Ok(())
    } else {
        Err(ApiError::invalid(
            field,
            format!("must be between {lo} and {hi}"),
        ))
    }
}

fn out(queue: SkillQueueId, name: &str, s: Option<QueueVoice>) -> QueueVoiceOut {
    let s = s.unwrap_or(QueueVoice {
        queue,
        announce_every_s: None,
        languages: vec!["zh".into(), "en".into()],
        voicemail: None,
        voicemail_max_s: DEFAULT_MESSAGE_S,
    });
    QueueVoiceOut {
        queue_id: queue.0,
        queue_name: name.to_owned(),
        announce_every_s: s.announce_every_s,
        languages: s
            .languages
            .iter()
            .filter_map(|l| AnnounceLanguage::of(l))
            .collect(),
        voicemail_queue_id: match s.voicemail {
            Some(VoicemailTo::Task(q)) => Some(q.0),
            _ => None,
        },
        voicemail_ticket_type_id: match s.voicemail {
            Some(VoicemailTo::Ticket(t)) => Some(t.0),
            _ => None,
        },
        voicemail_max_s: s.voicemail_max_s,
    }
}
