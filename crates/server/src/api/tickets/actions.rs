//! What people do with a ticket (T4, T6): claim, transfer, workflow actions, reopen, cc,
//! linking contacts, and their own flags and reminders.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use switchboard_engine::ticket::changes::{self, ClaimRefused, Handover, NoteRefused};
use switchboard_engine::ticket::{ActionRefused, FlagColor};
use switchboard_engine::{ContactId, ReminderId, SkillQueueId, TicketId, UserId};
use switchboard_storage::{Principal, Reminder, StorageError, TicketChanges};
use utoipa::ToSchema;

use super::access::TicketCtx;
use super::out::{ReminderOut, TicketOut};
use super::shared::{set_state, state_of, with_state};
use super::work::{check_placement, commit, edit_fields, refresh_terms, trail, Happened};
use crate::api::contacts::load_visible_contact;
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, IdPath, MaybeJson};
use crate::state::AppState;

fn conflict(code: &'static str, message: &str) -> ApiError {
    ApiError::client(StatusCode::CONFLICT, code, message)
}

fn note_text(field: &'static str, note: Option<&str>, required: bool) -> ApiResult<Option<String>> {
    match changes::note(note, required) {
        Ok(note) => Ok(note.map(str::to_owned)),
        Err(NoteRefused::Missing) => Err(ApiError::invalid(field, "a note is required")),
        Err(NoteRefused::TooLong) => Err(ApiError::invalid(field, "at most 1000 characters")),
    }
}

/// Claim an unassigned ticket of my skill group; of two at once exactly one wins.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/claim", tag = "tickets", security(("bearer" = ["tickets.work"])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = TicketOut), (status = 409, body = ErrorBody)))]
pub async fn claim(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    IdPath(id): IdPath,
) -> ApiResult<Json<TicketOut>> {
    let taken = || conflict("already_claimed", "someone else has this ticket already");
    // Read without the visibility check: a claim sees more (`Caller::claim_sight`).
    let ctx = TicketCtx::read(&state, &p, TicketId(id)).await?;
    let before = ctx.state();
    if !ctx
        .resolve(&state, &p, ctx.caller.claim_sight(&before))
        .await?
    {
        return Err(ApiError::not_found());
    }
    let next = match changes::claim(&ctx.caller, &before) {
        Ok(after) => with_state(&ctx.ticket, after),
        Err(ClaimRefused::Taken) => return Err(taken()),
        Err(ClaimRefused::NotNow) => return Err(ctx.refuse("claim")),
    };
    let entries = vec![trail(&p, state.clock.now_ms(), "claimed", json!({}))];
    commit(
        &state,
        &p,
        ctx,
        next,
        TicketChanges::default(),
        entries,
        Happened::default(),
    )
    .await
    .map_err(|e| match e {
        ApiError::Client { code: "stale", .. } => taken(),
        other => other,
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    #[serde(default)]
    pub group_id: Option<uuid::Uuid>,
    #[serde(default)]
    pub assignee_id: Option<uuid::Uuid>,
    pub note: String,
}

/// Hand the ticket to a skill group (unassigned there) or a named agent, with a note.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/transfer", operation_id = "tickets_transfer", tag = "tickets", security(("bearer" = ["tickets.work"])), request_body = Transfer,
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = TicketOut), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn transfer(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<Transfer>,
) -> ApiResult<Json<TicketOut>> {
    let note = note_text("note", Some(&req.note), true)?;
    let ctx = TicketCtx::load(&state, &p, TicketId(id)).await?;
    ctx.check_works("transfer")?;
    let to = Handover::of(req.group_id.map(SkillQueueId), req.assignee_id.map(UserId))
        .ok_or_else(|| ApiError::invalid("group_id", "name a group_id or an assignee_id"))?;
    check_placement(
        &state,
        &p,
        ctx.ticket.type_id,
        None,
        None,
        req.group_id,
        req.assignee_id,
    )
    .await?;
    let next = with_state(&ctx.ticket, changes::transferred(&ctx.state(), to));
    let entries = vec![trail(
        &p,
        state.clock.now_ms(),
        "transferred",
        json!({ "to_group_id": req.group_id, "to_assignee_id": req.assignee_id, "note": note }),
    )];
    let changes = TicketChanges {
        transferred_by: Some(p.user_id),
        ..Default::default()
    };
    commit(&state, &p, ctx, next, changes, entries, Happened::default()).await
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    #[schema(schema_with = crate::api::wire::field_values_schema)]
    pub fields: Map<String, Value>,
    #[serde(default)]
    pub version: Option<i64>,
}

fn action_refused(r: ActionRefused) -> ApiError {
    match r {
        ActionRefused::UnknownAction | ActionRefused::NotFromHere => conflict(
            "transition_forbidden",
            "the workflow does not offer this action in the ticket's current status",
        ),
        ActionRefused::NoteRequired => ApiError::invalid("note", "this action needs a note"),
        ActionRefused::FieldRequired(f) => {
            ApiError::invalid(f.to_string(), "this action needs this field filled in")
        }
    }
}

/// Take a workflow action: a status change the current status offers.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/actions/{code}", tag = "tickets", security(("bearer" = ["tickets.work"])), request_body = ActionInput,
    params(("id" = uuid::Uuid, Path), ("code" = String, Path)),
    responses((status = 200, body = TicketOut), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn take_action(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    ApiPath((id, code)): ApiPath<(uuid::Uuid, String)>,
    MaybeJson(req): MaybeJson<ActionInput>,
) -> ApiResult<Json<TicketOut>> {
    let req = req.unwrap_or_default();
    let ctx = TicketCtx::load(&state, &p, TicketId(id)).await?;
    ctx.check_works("work on")?;
    if req.version.is_some_and(|v| v != ctx.ticket.version) {
        return Err(StorageError::Stale.into());
    }
    let note = note_text("note", req.note.as_deref(), false)?;
    let mut next = ctx.ticket.clone();
    let (changed, diff) = edit_fields(&ctx, &mut next, &req.fields)?;
    let has_value = |f: &_| next.values.contains_key(f);
    let (after, action) = changes::act(
        &ctx.schema.workflow,
        &state_of(&next),
        &code,
        note.as_deref(),
        has_value,
        p.user_id,
        state.clock.now_ms(),
    )
    .map_err(action_refused)?;
    let action = action.clone();
    set_state(&mut next, after);
    refresh_terms(&state, &p, &ctx.schema, &mut next, &changed).await?;
    let mut entries = Vec::new();
    if !diff.is_empty() {
        entries.push(trail(
            &p,
            state.clock.now_ms(),
            "edited",
            json!({ "changes": diff }),
        ));
    }
    entries.push(trail(
        &p,
        state.clock.now_ms(),
        "status",
        json!({ "action": code, "label": action.label, "from": ctx.ticket.status, "to": action.to.as_str(), "note": note }),
    ));
    let happened = Happened {
        status_to: Some(action.to.to_string()),
        fields: changed,
    };
    commit(
        &state,
        &p,
        ctx,
        next,
        TicketChanges::default(),
        entries,
        happened,
    )
    .await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reopen {
    pub note: String,
}

/// Reopen a closed ticket (`tickets.reopen`): back to the workflow's first status.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/reopen", tag = "tickets", security(("bearer" = ["tickets.work"])), request_body = Reopen,
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = TicketOut), (status = 409, body = ErrorBody)))]
pub async fn reopen(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<Reopen>,
) -> ApiResult<Json<TicketOut>> {
    let note = note_text("note", Some(&req.note), true)?;
    let ctx = TicketCtx::load(&state, &p, TicketId(id)).await?;
    let after = changes::reopen(
        &ctx.schema.workflow,
        &ctx.caller,
        &ctx.state(),
        state.clock.now_ms(),
    )
    .map_err(|_| ctx.refuse("reopen"))?;
    let initial = after.status.clone();
    let next = with_state(&ctx.ticket, after);
    let entries = vec![trail(
        &p,
        state.clock.now_ms(),
        "reopened",
        json!({ "from": ctx.ticket.status, "to": initial, "note": note }),
    )];
    let happened = Happened {
        status_to: Some(initial),
        ..Default::default()
    };
    commit(
        &state,
        &p,
        ctx,
        next,
        TicketChanges::default(),
        entries,
        happened,
    )
    .await
}

/// Saves a change that does not depend on what the caller saw (cc, links): a concurrent
/// save only means reading again, a few times.
pub(crate) async fn retrying(
    state: &AppState,
    p: &Principal,
    id: TicketId,
    change: impl Fn(&TicketCtx) -> ApiResult<(TicketChanges, Value, &'static str)>,
) -> ApiResult<Json<TicketOut>> {
    for _ in 0..3 {
        let ctx = TicketCtx::load(state, p, id).await?;
        let (changes, detail, action) = change(&ctx)?;
        let next = ctx.ticket.clone();
        let entries = vec![trail(p, state.clock.now_ms(), action, detail)];
        match commit(state, p, ctx, next, changes, entries, Happened::default()).await {
            Err(ApiError::Client { code: "stale", .. }) => continue,
            other => return other,
        }
    }
    Err(StorageError::Stale.into())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CcIn {
    pub user_id: uuid::Uuid,
}

/// Copy someone on the ticket (they see it in "cc'd to me").
#[utoipa::path(post, path = "/api/v1/tickets/{id}/cc", tag = "tickets", security(("bearer" = ["tickets.work"])), request_body = CcIn,
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = TicketOut), (status = 400, body = ErrorBody)))]
pub async fn add_cc(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<CcIn>,
) -> ApiResult<Json<TicketOut>> {
    let user = state.store.user(p.tenant_id, UserId(req.user_id)).await?;
    if !user.is_some_and(|u| u.active) {
        return Err(ApiError::invalid("user_id", "no such active user"));
    }
    retrying(&state, &p, TicketId(id), |_| {
        let changes = TicketChanges {
            add_cc: vec![UserId(req.user_id)],
            ..Default::default()
        };
        Ok((changes, json!({ "user_id": req.user_id }), "cc_added"))
    })
    .await
}

/// Stop copying someone.
#[utoipa::path(delete, path = "/api/v1/tickets/{id}/cc/{user_id}", tag = "tickets", security(("bearer" = ["tickets.work"])),
    params(("id" = uuid::Uuid, Path), ("user_id" = uuid::Uuid, Path)), responses((status = 200, body = TicketOut), (status = 404, body = ErrorBody)))]
pub async fn remove_cc(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    ApiPath((id, user)): ApiPath<(uuid::Uuid, uuid::Uuid)>,
) -> ApiResult<Json<TicketOut>> {
    let links = state
        .store
        .ticket_links(p.tenant_id, TicketId(id), p.user_id)
        .await?;
    if !links.cc.contains(&UserId(user)) {
        return Err(ApiError::not_found());
    }
    retrying(&state, &p, TicketId(id), |_| {
        let changes = TicketChanges {
            remove_cc: vec![UserId(user)],
            ..Default::default()
        };
        Ok((changes, json!({ "user_id": user }), "cc_removed"))
    })
    .await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkContact {
    pub contact_id: uuid::Uuid,
}

/// Link a contact (a call or chat about this ticket).
#[utoipa::path(post, path = "/api/v1/tickets/{id}/contacts", tag = "tickets", security(("bearer" = ["tickets.work"])), request_body = LinkContact,
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = TicketOut), (status = 400, body = ErrorBody)))]
pub async fn link_contact(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<LinkContact>,
) -> ApiResult<Json<TicketOut>> {
    let contact = ContactId(req.contact_id);
    load_visible_contact(&state, &p, contact)
        .await
        .map_err(|_| ApiError::invalid("contact_id", "no such contact of yours"))?;
    retrying(&state, &p, TicketId(id), |_| {
        let changes = TicketChanges {
            link_contacts: vec![contact],
            ..Default::default()
        };
        Ok((
            changes,
            json!({ "contact_id": contact.0 }),
            "contact_linked",
        ))
    })
    .await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FlagIn {
    /// red, orange, yellow, green, blue, purple, or null to clear.
    pub color: Option<String>,
}

/// Set or clear my flag on the ticket.
#[utoipa::path(put, path = "/api/v1/tickets/{id}/flag", tag = "tickets", security(("bearer" = ["tickets.work"])), request_body = FlagIn,
    params(("id" = uuid::Uuid, Path)), responses((status = 204), (status = 400, body = ErrorBody)))]
pub async fn set_flag(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<FlagIn>,
) -> ApiResult<StatusCode> {
    let color = req.color.as_deref().map(FlagColor::parse).transpose()?;
    let ctx = TicketCtx::load(&state, &p, TicketId(id)).await?;
    state
        .store
        .set_ticket_flag(p.tenant_id, ctx.ticket.id, p.user_id, color)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReminderIn {
    /// RFC 3339, in the future (within a year).
    pub at: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// Remind me of this ticket at a time (a workbench notification).
#[utoipa::path(post, path = "/api/v1/tickets/{id}/reminders", tag = "tickets", security(("bearer" = ["tickets.work"])), request_body = ReminderIn,
    params(("id" = uuid::Uuid, Path)), responses((status = 201, body = ReminderOut), (status = 400, body = ErrorBody)))]
pub async fn add_reminder(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<ReminderIn>,
) -> ApiResult<(StatusCode, Json<ReminderOut>)> {
    let now = state.clock.now_ms();
    let at = switchboard_engine::ticket::time::parse_datetime(&req.at, &p.zone)
        .filter(|at| changes::reminder_time_ok(*at, now))
        .ok_or_else(|| ApiError::invalid("at", "must be a time (RFC 3339) within the next year"))?;
    let note = note_text("note", req.note.as_deref(), false)?;
    let ctx = TicketCtx::load(&state, &p, TicketId(id)).await?;
    let r = Reminder {
        id: ReminderId::new(),
        ticket: ctx.ticket.id,
        user: p.user_id,
        at,
        note,
        fired_at: None,
    };
    state.store.add_reminder(p.tenant_id, &r).await?;
    Ok((StatusCode::CREATED, Json(ReminderOut::from(&r))))
}

/// Remove one of my reminders.
#[utoipa::path(delete, path = "/api/v1/tickets/{id}/reminders/{reminder_id}", tag = "tickets", security(("bearer" = ["tickets.work"])),
    params(("id" = uuid::Uuid, Path), ("reminder_id" = uuid::Uuid, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_reminder(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    ApiPath((_id, reminder)): ApiPath<(uuid::Uuid, uuid::Uuid)>,
) -> ApiResult<StatusCode> {
    state
        .store
        .delete_reminder(p.tenant_id, p.user_id, ReminderId(reminder))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
