//! Creating, reading and editing tickets (T2, T4, T5): every change is one version-checked
//! save with its trail entries and the automation rules it fires.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use switchboard_engine::ticket::changes::{self, opened};
use switchboard_engine::ticket::rules::TicketEvent;
use switchboard_engine::ticket::search::{changes_terms, index_terms, ticket_terms};
use switchboard_engine::ticket::{FieldCode, FieldValue, FieldValues, RawValue, TicketSchema};
use switchboard_engine::{
    Channel, ContactId, CustomerId, SkillQueueId, TenantId, TicketCategoryId, TicketId,
    TicketTemplateId, TicketTypeId, UserId,
};
use switchboard_storage::{NewTrail, Principal, StorageError, Ticket, TicketChanges};
use utoipa::ToSchema;

use super::access::TicketCtx;
use super::automation::{run_rules, send_notices, with_rotation, RuleTenant};
use super::out::{TicketOut, TrailOut};
use super::schema::{raw_value, value_json};
use super::shared::load_type;
use crate::api::contacts::load_visible_contact;
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, IdPath};
use crate::state::AppState;

/// What a change did, for the rules it fires.
#[derive(Default)]
pub struct Happened {
    pub status_to: Option<String>,
    pub fields: Vec<FieldCode>,
}

pub fn trail(p: &Principal, at: i64, action: &str, detail: Value) -> NewTrail {
    NewTrail {
        at,
        actor: Some(p.user_id),
        action: action.into(),
        detail: detail.to_string(),
    }
}

/// Input fields as `(code, raw)` pairs, in the order given.
pub fn field_input(fields: &Map<String, Value>) -> ApiResult<Vec<(String, RawValue)>> {
    if fields.len() > 200 {
        return Err(ApiError::invalid("fields", "at most 200 fields"));
    }
    fields
        .iter()
        .map(|(k, v)| Ok((k.clone(), raw_value(k, v)?)))
        .collect()
}

pub fn field_error(e: switchboard_engine::ticket::FieldError) -> ApiError {
    ApiError::invalid(e.field, e.message)
}

/// Runs the rules, saves with the version check, sends notices; the ticket as I now see it.
pub async fn commit(
    state: &AppState,
    p: &Principal,
    ctx: TicketCtx,
    mut next: Ticket,
    changes: TicketChanges,
    mut entries: Vec<NewTrail>,
    happened: Happened,
) -> ApiResult<Json<TicketOut>> {
    let now = state.clock.now_ms();
    next.updated_at = now;
    let mut events = Vec::new();
    if let Some(to) = &happened.status_to {
        events.push(TicketEvent::StatusChanged { to });
    }
    if !happened.fields.is_empty() {
        events.push(TicketEvent::FieldsChanged(&happened.fields));
    }
    let outcome = run_rules(
        state,
        RuleTenant::of(p),
        &ctx.schema,
        &mut next,
        &events,
        now,
    )
    .await?;
    entries.extend(outcome.trail.iter().cloned());
    let saved = state
        .store
        .save_ticket(
            p.tenant_id,
            &next,
            &with_rotation(changes, &outcome),
            &entries,
        )
        .await?;
    send_notices(state, p.tenant_id, &saved, &outcome).await;
    // The caller's context stands; only the ticket changed.
    shown(
        state,
        p,
        TicketCtx {
            ticket: saved,
            ..ctx
        },
    )
    .await
}

pub async fn respond(state: &AppState, p: &Principal, id: TicketId) -> ApiResult<Json<TicketOut>> {
    shown(state, p, TicketCtx::load(state, p, id).await?).await
}

/// The ticket as `ctx`'s user sees it, with their links and marks.
async fn shown(state: &AppState, p: &Principal, ctx: TicketCtx) -> ApiResult<Json<TicketOut>> {
    let links = state
        .store
        .ticket_links(p.tenant_id, ctx.ticket.id, p.user_id)
        .await?;
    Ok(Json(TicketOut::new(&ctx, &links)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTicket {
    pub type_id: uuid::Uuid,
    #[serde(default)]
    pub template_id: Option<uuid::Uuid>,
    #[serde(default)]
    pub category_id: Option<uuid::Uuid>,
    #[serde(default)]
    pub group_id: Option<uuid::Uuid>,
    #[serde(default)]
    pub assignee_id: Option<uuid::Uuid>,
    #[serde(default)]
    pub contact_id: Option<uuid::Uuid>,
    /// `{code: value}`; system fields (title, priority…) too.
    #[schema(schema_with = crate::api::wire::field_values_schema)]
    pub fields: Map<String, Value>,
}

/// The ids a new ticket refers to, each checked to exist in this tenant.
pub struct Placement {
    pub template: Option<TicketTemplateId>,
    pub category: Option<TicketCategoryId>,
    pub group: Option<SkillQueueId>,
    pub assignee: Option<UserId>,
}

/// A ticket as it starts (`changes::opened`); `creator` `None`: the system opened it.
pub fn new_ticket(
    schema: &TicketSchema,
    type_id: TicketTypeId,
    place: &Placement,
    creator: Option<UserId>,
    values: FieldValues,
    now: i64,
) -> Ticket {
    let s = opened(&schema.workflow, place.group, place.assignee, creator);
    Ticket {
        id: TicketId::new(),
        number: 0,
        type_id,
        template_id: place.template,
        category_id: place.category,
        status: s.status,
        status_category: s.category,
        group: s.group,
        assignee: s.assignee,
        created_by: s.created_by,
        completed_by: s.completed_by,
        created_at: now,
        updated_at: now,
        closed_at: s.closed_at,
        due_handled: s.due_handled,
        version: 1,
        terms: ticket_terms(&schema.fields, &values, std::iter::empty()),
        values,
    }
}

pub async fn check_placement(
    state: &AppState,
    p: &Principal,
    type_id: TicketTypeId,
    template: Option<uuid::Uuid>,
    category: Option<uuid::Uuid>,
    group: Option<uuid::Uuid>,
    assignee: Option<uuid::Uuid>,
) -> ApiResult<Placement> {
    let t = p.tenant_id;
    if let Some(id) = template {
        let known = state.store.ticket_templates(t, Some(type_id)).await?;
        if !known.iter().any(|x| x.id.0 == id) {
            return Err(ApiError::invalid(
                "template_id",
                "no such template of this type",
            ));
        }
    }
    if let Some(id) = category {
        if !state
            .store
            .ticket_categories(t)
            .await?
            .iter()
            .any(|c| c.id.0 == id)
        {
            return Err(ApiError::invalid("category_id", "no such category"));
        }
    }
    if let Some(id) = group {
        if state
            .store
            .skill_queue(t, SkillQueueId(id))
            .await?
            .is_none()
        {
            return Err(ApiError::invalid("group_id", "no such skill group"));
        }
    }
    if let Some(id) = assignee {
        let user = state.store.user(t, UserId(id)).await?;
        if !user.is_some_and(|u| u.active) {
            return Err(ApiError::invalid("assignee_id", "no such active user"));
        }
    }
    Ok(Placement {
        template: template.map(TicketTemplateId),
        category: category.map(TicketCategoryId),
        group: group.map(SkillQueueId),
        assignee: assignee.map(UserId),
    })
}

/// Create a ticket (T2), optionally linked to a contact.
#[utoipa::path(post, path = "/api/v1/tickets", operation_id = "tickets_create", tag = "tickets", security(("bearer" = ["tickets.work"])), request_body = NewTicket,
    responses((status = 201, body = TicketOut), (status = 400, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    ApiJson(req): ApiJson<NewTicket>,
) -> ApiResult<(StatusCode, Json<TicketOut>)> {
    let type_id = TicketTypeId(req.type_id);
    let (ticket_type, schema) = load_type(&state, p.tenant_id, type_id).await?;
    if !ticket_type.active {
        return Err(ApiError::invalid(
            "type_id",
            "this ticket type is no longer in use",
        ));
    }
    let values = schema
        .new_values(&field_input(&req.fields)?, &p.zone)
        .map_err(field_error)?;
    let place = check_placement(
        &state,
        &p,
        type_id,
        req.template_id,
        req.category_id,
        req.group_id,
        req.assignee_id,
    )
    .await?;
    let contact = match req.contact_id {
        Some(id) => Some(
            load_visible_contact(&state, &p, ContactId(id))
                .await
                .map_err(|_| ApiError::invalid("contact_id", "no such contact of yours"))?
                .0
                .id,
        ),
        None => None,
    };
    let opening = Opening {
        tenant: RuleTenant::of(&p),
        creator: Some(p.user_id),
        contact,
        about: Map::new(),
    };
    let created = open_ticket(&state, opening, &schema, type_id, &place, values).await?;
    Ok((StatusCode::CREATED, respond(&state, &p, created.id).await?))
}

/// Who opens a ticket and from what.
pub struct Opening<'a> {
    pub tenant: RuleTenant<'a>,
    /// The user creating it; `None`: the system (a caller's voicemail), whose trail entries
    /// name no actor, as the rules' do.
    pub creator: Option<UserId>,
    /// A contact of the tenant the ticket is about, linked to it.
    pub contact: Option<ContactId>,
    /// What the `created` entry says besides the contact (where the ticket came from).
    pub about: Map<String, Value>,
}

/// Opens a ticket of a checked type with checked values and placement: the rules its
/// creation fires, the `created` (and `contact_linked`) trail entries, one transaction, the
/// rotation and the notices. Every new ticket but an import's is made here.
pub async fn open_ticket(
    state: &AppState,
    o: Opening<'_>,
    schema: &TicketSchema,
    type_id: TicketTypeId,
    place: &Placement,
    values: FieldValues,
) -> ApiResult<Ticket> {
    let tenant = o.tenant.id;
    let now = state.clock.now_ms();
    let mut t = new_ticket(schema, type_id, place, o.creator, values, now);
    let outcome = run_rules(
        state,
        o.tenant,
        schema,
        &mut t,
        &[TicketEvent::Created],
        now,
    )
    .await?;
    // A rule may have set a field that holds words.
    t.terms = ticket_terms(&schema.fields, &t.values, std::iter::empty());
    let entry = |action: &str, detail: Value| NewTrail {
        at: now,
        actor: o.creator,
        action: action.into(),
        detail: detail.to_string(),
    };
    let mut created = o.about;
    created.insert("contact_id".into(), json!(o.contact.map(|c| c.0)));
    let mut entries = vec![entry("created", Value::Object(created))];
    if let Some(c) = o.contact {
        entries.push(entry("contact_linked", json!({ "contact_id": c.0 })));
    }
    entries.extend(outcome.trail.iter().cloned());
    let created = state
        .store
        .create_tickets(tenant, &[(t, o.contact.into_iter().collect(), entries)])
        .await?
        .remove(0);
    if let Some((group, user)) = outcome.rotation {
        state
            .store
            .record_rotation(tenant, group, user, now)
            .await?;
    }
    send_notices(state, tenant, &created, &outcome).await;
    // Everyone with a ticket is in the customer directory.
    if let Some(phone) = phone_of(&created) {
        crate::api::customers::record::note_number(state, tenant, phone).await;
    }
    Ok(created)
}

/// The customer's number a ticket holds (its `phone` field), if any.
pub(super) fn phone_of(t: &Ticket) -> Option<&str> {
    match t.values.get("phone") {
        Some(FieldValue::Text(phone)) => Some(phone),
        _ => None,
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PrefillQuery {
    pub contact_id: uuid::Uuid,
    pub type_id: uuid::Uuid,
}

/// What a contact already tells about a new ticket of this type (000's 智能填充).
#[utoipa::path(get, path = "/api/v1/tickets/prefill", tag = "tickets", security(("bearer" = ["tickets.work"])), params(PrefillQuery),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody)))]
pub async fn prefill(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    ApiQuery(q): ApiQuery<PrefillQuery>,
) -> ApiResult<Json<Value>> {
    let (contact, _) = load_visible_contact(&state, &p, ContactId(q.contact_id)).await?;
    let (_, schema) = load_type(&state, p.tenant_id, TicketTypeId(q.type_id)).await?;
    let mut known: Vec<(String, Value)> = Vec::new();
    if let Some(title) = &contact.title {
        known.push(("title".into(), json!(title)));
        // A chat's title is the question the customer asked: the description keeps it too.
        if contact.channel == Channel::Chat {
            known.push(("description".into(), json!(title)));
        }
    }
    if let Some(key) = &contact.customer {
        // A chat names its customer by our own id: what they told us goes in, never the id.
        match CustomerId::parse(key) {
            Some(id) => {
                if let Some(c) = state.store.customer(p.tenant_id, id).await? {
                    known.extend(c.name.map(|v| ("customer".to_owned(), json!(v))));
                    known.extend(c.phone.map(|v| ("phone".to_owned(), json!(v))));
                    known.extend(c.email.map(|v| ("email".to_owned(), json!(v))));
                }
            }
            None => {
                known.push(("customer".into(), json!(key)));
                // A call's customer is known by their number.
                if contact.channel == Channel::Voice {
                    known.push(("phone".into(), json!(key)));
                }
            }
        }
    }
    if let Ok(Value::Object(data)) = serde_json::from_str::<Value>(&contact.data) {
        known.extend(data);
    }
    // Only what fits a field of the type, checked like any input.
    let mut fields = Map::new();
    for (code, v) in known {
        let Some(def) = schema.field(&code) else {
            continue;
        };
        if let Ok(raw) = raw_value(&code, &v) {
            if let Ok(Some(value)) = def.parse_value(&raw, &p.zone) {
                fields.insert(code, value_json(&value));
            }
        }
    }
    Ok(Json(
        json!({ "fields": fields, "channel": contact.channel.code() }),
    ))
}

/// One ticket as I see it, with the actions I may take.
#[utoipa::path(get, path = "/api/v1/tickets/{id}", operation_id = "tickets_get", tag = "tickets", security(("bearer" = ["tickets.work"])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = TicketOut), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    IdPath(id): IdPath,
) -> ApiResult<Json<TicketOut>> {
    respond(&state, &p, TicketId(id)).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    /// The version the edit was made from.
    pub version: i64,
    #[serde(default)]
    #[schema(schema_with = crate::api::wire::field_values_schema)]
    pub fields: Map<String, Value>,
    /// A category, or null to clear it; left out, it stays.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<uuid::Uuid>)]
    pub category_id: Option<Option<uuid::Uuid>>,
}

/// A field that was sent, even as null (`Some(None)`), apart from one left out (`None`).
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Applies field edits to `next`; the changed codes and their `{field, from, to}`.
pub fn edit_fields(
    ctx: &TicketCtx,
    next: &mut Ticket,
    fields: &Map<String, Value>,
) -> ApiResult<(Vec<FieldCode>, Vec<Value>)> {
    let before = next.values.clone();
    let changed = ctx
        .schema
        .apply(&mut next.values, &field_input(fields)?, &ctx.zone)
        .map_err(field_error)?;
    ctx.schema
        .check_required(&next.values)
        .map_err(field_error)?;
    if changes::rearms_due(&changed) {
        next.due_handled = false;
    }
    let diff = changed
        .iter()
        .map(|c| json!({ "field": c.as_str(), "from": before.get(c).map(value_json), "to": next.values.get(c).map(value_json) }))
        .collect();
    Ok((changed, diff))
}

/// Recomputes search terms when a field that holds words changed.
pub async fn refresh_terms(
    state: &AppState,
    p: &Principal,
    schema: &TicketSchema,
    next: &mut Ticket,
    changed: &[FieldCode],
) -> ApiResult<()> {
    if changes_terms(&schema.fields, changed) {
        next.terms = terms_now(state, p.tenant_id, schema, next).await?;
    }
    Ok(())
}

/// A ticket's terms from its values and the notes of its trail.
pub async fn terms_now(
    state: &AppState,
    tenant: TenantId,
    schema: &TicketSchema,
    t: &Ticket,
) -> ApiResult<String> {
    let trail = state.store.ticket_trail(tenant, t.id).await?;
    let notes: Vec<String> = trail
        .iter()
        .filter(|e| e.action == "note")
        .filter_map(|e| serde_json::from_str::<Value>(&e.detail).ok())
        .filter_map(|d| d["text"].as_str().map(str::to_owned))
        .collect();
    Ok(ticket_terms(
        &schema.fields,
        &t.values,
        notes.iter().map(String::as_str),
    ))
}

/// Edit fields (the assignee or a supervisor), from the version read; 409 `stale` otherwise.
#[utoipa::path(patch, path = "/api/v1/tickets/{id}", tag = "tickets", security(("bearer" = ["tickets.work"])), request_body = Edit,
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = TicketOut), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn edit(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<Edit>,
) -> ApiResult<Json<TicketOut>> {
    let ctx = TicketCtx::load(&state, &p, TicketId(id)).await?;
    ctx.check_works("edit")?;
    if req.version != ctx.ticket.version {
        return Err(StorageError::Stale.into());
    }
    let mut next = ctx.ticket.clone();
    let (changed, diff) = edit_fields(&ctx, &mut next, &req.fields)?;
    match req.category_id {
        Some(Some(c)) => {
            let place =
                check_placement(&state, &p, next.type_id, None, Some(c), None, None).await?;
            next.category_id = place.category;
        }
        Some(None) => next.category_id = None,
        None => {}
    }
    refresh_terms(&state, &p, &ctx.schema, &mut next, &changed).await?;
    let entries = vec![trail(
        &p,
        state.clock.now_ms(),
        "edited",
        json!({ "changes": diff }),
    )];
    let happened = Happened {
        fields: changed,
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

/// The service trail, oldest first.
#[utoipa::path(get, path = "/api/v1/tickets/{id}/trail", tag = "tickets", security(("bearer" = ["tickets.work"])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = [TrailOut]), (status = 404, body = ErrorBody)))]
pub async fn trail_of(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    IdPath(id): IdPath,
) -> ApiResult<Json<Vec<TrailOut>>> {
    let ctx = TicketCtx::load(&state, &p, TicketId(id)).await?;
    let entries = state.store.ticket_trail(p.tenant_id, ctx.ticket.id).await?;
    Ok(Json(entries.iter().map(TrailOut::from).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub text: String,
}

/// Add a follow-up note (searchable).
#[utoipa::path(post, path = "/api/v1/tickets/{id}/notes", tag = "tickets", security(("bearer" = ["tickets.work"])), request_body = Note,
    params(("id" = uuid::Uuid, Path)), responses((status = 201, body = TrailOut), (status = 400, body = ErrorBody)))]
pub async fn add_note(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<Note>,
) -> ApiResult<(StatusCode, Json<TrailOut>)> {
    let text = changes::follow_up(&req.text)
        .ok_or_else(|| ApiError::invalid("text", "must be 1-4000 characters"))?;
    let ctx = TicketCtx::load(&state, &p, TicketId(id)).await?;
    let terms = index_terms(&format!("{} {}", ctx.ticket.terms, text));
    let entry = trail(&p, state.clock.now_ms(), "note", json!({ "text": text }));
    state
        .store
        .add_ticket_note(p.tenant_id, ctx.ticket.id, &terms, &entry)
        .await?;
    let all = state.store.ticket_trail(p.tenant_id, ctx.ticket.id).await?;
    let last = all
        .last()
        .ok_or_else(|| anyhow::anyhow!("the note was not stored"))?;
    Ok((StatusCode::CREATED, Json(TrailOut::from(last))))
}
