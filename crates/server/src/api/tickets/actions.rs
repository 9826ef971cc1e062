//! What people do with a ticket (T4, T6): claim, transfer, workflow actions, reopen, cc,
//! linking contacts, and their own flags and reminders.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use switchboard_engine::ticket::{ActionRefused, FlagColor, StatusCategory};
use switchboard_engine::{ContactId, ReminderId, TicketId, UserId};
use switchboard_storage::{Principal, Reminder, StorageError, Ticket, TicketChanges};
use utoipa::ToSchema;

use super::access::TicketCtx;
use super::out::{ReminderOut, TicketOut};
use super::work::{check_placement, commit, edit_fields, refresh_terms, trail, Happened};
use crate::api::contacts::load_visible_contact;
use crate::auth::{now_ms, perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, IdPath, MaybeJson};
use crate::state::AppState;

fn conflict(code: &'static str, message: &str) -> ApiError {
    ApiError::client(StatusCode::CONFLICT, code, message)
}

fn note_text(field: &'static str, note: Option<&str>, required: bool) -> ApiResult<Option<String>> {
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    match note {
        None if required => Err(ApiError::invalid(field, "a note is required")),
        Some(n) if n.chars().count() > 1000 => {
            Err(ApiError::invalid(field, "at most 1000 characters"))
        }
        other => Ok(other.map(str::to_owned)),
    }
}

/// Claim an unassigned ticket of my skill group; of two at once exactly one wins.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/claim", tag = "tickets", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = TicketOut), (status = 409, body = ErrorBody)))]
pub async fn claim(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    IdPath(id): IdPath,
) -> ApiResult<Json<TicketOut>> {
    let taken = || conflict("already_claimed", "someone else has this ticket already");
    // Read without the visibility check: once a colleague has claimed a ticket of my group,
    // I no longer see it, yet I should hear that it was taken, not that it is gone.
    let ctx = TicketCtx::read(&state, &p, TicketId(id)).await?;
    if !ctx.in_my_groups() && !ctx.sees(&state, &p).await? {
        return Err(ApiError::not_found());
    }
    if ctx.ticket.assignee.is_some() {
        return Err(taken());
    }
    if !ctx.claimable() {
        return Err(ctx.refuse("claim"));
    }
    let next = Ticket {
        assignee: Some(p.user_id),
        ..ctx.ticket.clone()
    };
    let entries = vec![trail(&p, "claimed", json!({}))];
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
#[utoipa::path(post, path = "/api/v1/tickets/{id}/transfer", operation_id = "tickets_transfer", tag = "tickets", security(("bearer" = [])), request_body = Transfer,
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = TicketOut), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn transfer(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<Transfer>,
) -> ApiResult<Json<TicketOut>> {
    let note = note_text("note", Some(&req.note), true)?;
    let ctx = TicketCtx::load(&state, &p, TicketId(id)).await?;
    if !ctx.works_it() {
        return Err(ctx.refuse("transfer"));
    }
    if req.group_id.is_some() == req.assignee_id.is_some() {
        return Err(ApiError::invalid(
            "group_id",
            "name a group_id or an assignee_id",
        ));
    }
    let place = check_placement(
        &state,
        &p,
        ctx.ticket.type_id,
        None,
        None,
        req.group_id,
        req.assignee_id,
    )
    .await?;
    let mut next = ctx.ticket.clone();
    match (place.group, place.assignee) {
        (Some(g), _) => {
            next.group = Some(g);
            next.assignee = None;
        }
        (_, a) => next.assignee = a,
    }
    let entries = vec![trail(
        &p,
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

/// Sets status and category; completing closes, leaving closed reopens.
fn move_to(ctx: &TicketCtx, next: &mut Ticket, status: &str, me: UserId, now: i64) {
    let category = ctx.schema.workflow.category(status);
    next.status = status.to_owned();
    next.status_category = category;
    match (ctx.closed(), category == StatusCategory::Closed) {
        (false, true) => {
            next.closed_at = Some(now);
            next.completed_by = Some(me);
        }
        (true, false) => {
            next.closed_at = None;
            next.completed_by = None;
        }
        _ => {}
    }
}

/// Take a workflow action: a status change the current status offers.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/actions/{code}", tag = "tickets", security(("bearer" = [])), request_body = ActionInput,
    params(("id" = uuid::Uuid, Path), ("code" = String, Path)),
    responses((status = 200, body = TicketOut), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn take_action(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    axum::extract::Path((id, code)): axum::extract::Path<(uuid::Uuid, String)>,
    MaybeJson(req): MaybeJson<ActionInput>,
) -> ApiResult<Json<TicketOut>> {
    let req = req.unwrap_or_default();
    let ctx = TicketCtx::load(&state, &p, TicketId(id)).await?;
    if !ctx.works_it() {
        return Err(ctx.refuse("work on"));
    }
    if req.version.is_some_and(|v| v != ctx.ticket.version) {
        return Err(StorageError::Stale.into());
    }
    let note = note_text("note", req.note.as_deref(), false)?;
    let mut next = ctx.ticket.clone();
    let (changed, diff) = edit_fields(&ctx, &mut next, &req.fields)?;
    let action = ctx
        .schema
        .workflow
        .check(&code, &ctx.ticket.status, note.as_deref(), |f| {
            next.values.contains_key(f)
        })
        .map_err(|r| match r {
            ActionRefused::UnknownAction | ActionRefused::NotFromHere => conflict(
                "transition_forbidden",
                "the workflow does not offer this action in the ticket's current status",
            ),
            ActionRefused::NoteRequired => ApiError::invalid("note", "this action needs a note"),
            ActionRefused::FieldRequired(f) => {
                ApiError::invalid(f.to_string(), "this action needs this field filled in")
            }
        })?
        .clone();
    move_to(&ctx, &mut next, action.to.as_str(), p.user_id, now_ms());
    if let Some(g) = action.assign_group {
        next.group = Some(g);
        next.assignee = None;
    }
    refresh_terms(&state, &p, &mut next, &changed).await?;
    let mut entries = Vec::new();
    if !diff.is_empty() {
        entries.push(trail(&p, "edited", json!({ "changes": diff })));
    }
    entries.push(trail(
        &p,
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
#[utoipa::path(post, path = "/api/v1/tickets/{id}/reopen", tag = "tickets", security(("bearer" = [])), request_body = Reopen,
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = TicketOut), (status = 409, body = ErrorBody)))]
pub async fn reopen(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<Reopen>,
) -> ApiResult<Json<TicketOut>> {
    let note = note_text("note", Some(&req.note), true)?;
    let ctx = TicketCtx::load(&state, &p, TicketId(id)).await?;
    if !ctx.may_reopen() {
        return Err(ctx.refuse("reopen"));
    }
    let mut next = ctx.ticket.clone();
    let initial = ctx.schema.workflow.initial.to_string();
    move_to(&ctx, &mut next, &initial, p.user_id, now_ms());
    next.due_handled = false;
    let entries = vec![trail(
        &p,
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
async fn retrying(
    state: &AppState,
    p: &Principal,
    id: TicketId,
    change: impl Fn(&TicketCtx) -> ApiResult<(TicketChanges, Value, &'static str)>,
) -> ApiResult<Json<TicketOut>> {
    for _ in 0..3 {
        let ctx = TicketCtx::load(state, p, id).await?;
        let (changes, detail, action) = change(&ctx)?;
        let next = ctx.ticket.clone();
        let entries = vec![trail(p, action, detail)];
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
#[utoipa::path(post, path = "/api/v1/tickets/{id}/cc", tag = "tickets", security(("bearer" = [])), request_body = CcIn,
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
#[utoipa::path(delete, path = "/api/v1/tickets/{id}/cc/{user_id}", tag = "tickets", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path), ("user_id" = uuid::Uuid, Path)), responses((status = 200, body = TicketOut), (status = 404, body = ErrorBody)))]
pub async fn remove_cc(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    axum::extract::Path((id, user)): axum::extract::Path<(uuid::Uuid, uuid::Uuid)>,
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
#[utoipa::path(post, path = "/api/v1/tickets/{id}/contacts", tag = "tickets", security(("bearer" = [])), request_body = LinkContact,
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
#[utoipa::path(put, path = "/api/v1/tickets/{id}/flag", tag = "tickets", security(("bearer" = [])), request_body = FlagIn,
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
#[utoipa::path(post, path = "/api/v1/tickets/{id}/reminders", tag = "tickets", security(("bearer" = [])), request_body = ReminderIn,
    params(("id" = uuid::Uuid, Path)), responses((status = 201, body = ReminderOut), (status = 400, body = ErrorBody)))]
pub async fn add_reminder(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<ReminderIn>,
) -> ApiResult<(StatusCode, Json<ReminderOut>)> {
    let now = now_ms();
    let at = switchboard_engine::ticket::time::parse_datetime(&req.at, &p.zone)
        .filter(|at| *at > now && *at < now + 366 * 86_400_000)
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
#[utoipa::path(delete, path = "/api/v1/tickets/{id}/reminders/{reminder_id}", tag = "tickets", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path), ("reminder_id" = uuid::Uuid, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_reminder(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    axum::extract::Path((_id, reminder)): axum::extract::Path<(uuid::Uuid, uuid::Uuid)>,
) -> ApiResult<StatusCode> {
    state
        .store
        .delete_reminder(p.tenant_id, p.user_id, ReminderId(reminder))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
