//! Ticket configuration (T1): the category tree, types with fields, workflow and rules,
//! templates, and saved views. Reads need `tickets.work`; changes `tickets.manage` (a user's
//! own views only `tickets.work`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use switchboard_engine::ticket::search::terms_shape;
use switchboard_engine::ticket::{FieldCode, TicketSchema};
use switchboard_engine::{
    Permission, TenantZone, TicketCategoryId, TicketTemplateId, TicketTypeId, TicketViewId,
};
use switchboard_storage::{TicketCategory, TicketTemplate, TicketType, TicketView};
use utoipa::ToSchema;

use super::schema::DefinitionJson;
use super::shared::load_type;
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, IdPath};
use crate::state::AppState;

fn name(field: &'static str, raw: &str, max: usize) -> ApiResult<String> {
    let v = raw.trim();
    let n = v.chars().count();
    if n == 0 || n > max || v.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            field,
            format!("must be 1-{max} characters"),
        ));
    }
    Ok(v.to_owned())
}

// ─── Categories ────────────────────────────────────────────────────────────────────────

#[derive(Serialize, ToSchema)]
pub struct CategoryOut {
    pub id: uuid::Uuid,
    pub name: String,
    #[schema(required)]
    pub parent_id: Option<uuid::Uuid>,
    pub position: i64,
}

impl From<TicketCategory> for CategoryOut {
    fn from(c: TicketCategory) -> Self {
        Self {
            id: c.id.0,
            name: c.name,
            parent_id: c.parent.map(|p| p.0),
            position: c.position,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryIn {
    pub name: String,
    #[serde(default)]
    pub parent_id: Option<uuid::Uuid>,
    #[serde(default)]
    pub position: i64,
}

/// The category tree, flat (by `parent_id`).
#[utoipa::path(get, path = "/api/v1/ticket-categories", tag = "tickets", security(("bearer" = ["tickets.work"])),
    responses((status = 200, body = [CategoryOut])))]
pub async fn list_categories(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
) -> ApiResult<Json<Vec<CategoryOut>>> {
    let list = state.store.ticket_categories(p.tenant_id).await?;
    Ok(Json(list.into_iter().map(CategoryOut::from).collect()))
}

async fn save_category(
    state: &AppState,
    p: &switchboard_storage::Principal,
    id: TicketCategoryId,
    req: CategoryIn,
) -> ApiResult<CategoryOut> {
    let c = TicketCategory {
        id,
        parent: req.parent_id.map(TicketCategoryId),
        name: name("name", &req.name, 64)?,
        position: req.position.clamp(0, 1_000_000),
    };
    state
        .store
        .save_ticket_category(p.tenant_id, &c)
        .await
        .map_err(ApiError::on_reference(
            "parent_id",
            "no such parent, or it would be inside itself",
        ))?;
    Ok(c.into())
}

/// Add a category.
#[utoipa::path(post, path = "/api/v1/ticket-categories", tag = "tickets", security(("bearer" = ["tickets.manage"])), request_body = CategoryIn,
    responses((status = 201, body = CategoryOut), (status = 400, body = ErrorBody)))]
pub async fn create_category(
    State(state): State<AppState>,
    p: Can<perm::ManageTickets>,
    ApiJson(req): ApiJson<CategoryIn>,
) -> ApiResult<(StatusCode, Json<CategoryOut>)> {
    let out = save_category(&state, &p, TicketCategoryId::new(), req).await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// Rename or move a category.
#[utoipa::path(put, path = "/api/v1/ticket-categories/{id}", tag = "tickets", security(("bearer" = ["tickets.manage"])), request_body = CategoryIn,
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = CategoryOut), (status = 404, body = ErrorBody)))]
pub async fn update_category(
    State(state): State<AppState>,
    p: Can<perm::ManageTickets>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<CategoryIn>,
) -> ApiResult<Json<CategoryOut>> {
    let id = TicketCategoryId(id);
    let exists = state
        .store
        .ticket_categories(p.tenant_id)
        .await?
        .iter()
        .any(|c| c.id == id);
    if !exists {
        return Err(ApiError::not_found());
    }
    Ok(Json(save_category(&state, &p, id, req).await?))
}

/// Remove a category without sub-categories or tickets.
#[utoipa::path(delete, path = "/api/v1/ticket-categories/{id}", tag = "tickets", security(("bearer" = ["tickets.manage"])),
    params(("id" = uuid::Uuid, Path)), responses((status = 204), (status = 409, body = ErrorBody)))]
pub async fn delete_category(
    State(state): State<AppState>,
    p: Can<perm::ManageTickets>,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    state
        .store
        .delete_ticket_category(p.tenant_id, TicketCategoryId(id))
        .await
        .map_err(in_use("the category has sub-categories or tickets"))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A refused removal: `what` says, in the API's words, what still refers to the record
/// (never the database's constraint, whose name differs between the databases).
fn in_use(what: &'static str) -> impl FnOnce(switchboard_storage::StorageError) -> ApiError {
    move |err| match err {
        switchboard_storage::StorageError::Reference(_) => ApiError::client(
            StatusCode::CONFLICT,
            "in_use",
            format!("still in use: {what}"),
        ),
        other => other.into(),
    }
}

// ─── Types ─────────────────────────────────────────────────────────────────────────────

#[derive(Serialize, ToSchema)]
pub struct TicketTypeOut {
    pub id: uuid::Uuid,
    pub name: String,
    pub description: String,
    pub active: bool,
    pub version: i64,
    // Inlined, so the document's finishing pass (`api::doc`) can open it up in the `allOf`.
    #[serde(flatten)]
    #[schema(inline)]
    pub definition: DefinitionJson,
}

impl TicketTypeOut {
    pub fn new(t: &TicketType, schema: &TicketSchema) -> Self {
        Self {
            id: t.id.0,
            name: t.name.clone(),
            description: t.description.clone(),
            active: t.active,
            version: t.version,
            definition: DefinitionJson::from_schema(schema),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketTypeIn {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "active")]
    pub active: bool,
    /// Required on update: the version the change was made from.
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(default)]
    pub fields: Option<Vec<super::schema::FieldJson>>,
    #[serde(default)]
    pub workflow: Option<super::schema::WorkflowJson>,
    #[serde(default)]
    pub rules: Option<Vec<super::schema::RuleJson>>,
}

fn active() -> bool {
    true
}

impl TicketTypeIn {
    /// The checked schema; what is left out comes from `base`.
    fn schema(&self, base: &TicketSchema, zone: &TenantZone) -> ApiResult<TicketSchema> {
        let stock = DefinitionJson::from_schema(base);
        DefinitionJson {
            fields: self.fields.clone().unwrap_or(stock.fields),
            workflow: self.workflow.clone().unwrap_or(stock.workflow),
            rules: self.rules.clone().unwrap_or(stock.rules),
        }
        .to_schema(zone)
    }
}

/// Every ticket type with its fields, workflow and rules.
#[utoipa::path(get, path = "/api/v1/ticket-types", tag = "tickets", security(("bearer" = ["tickets.work"])),
    responses((status = 200, body = [TicketTypeOut])))]
pub async fn list_types(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
) -> ApiResult<Json<Vec<TicketTypeOut>>> {
    let types = state.store.ticket_types(p.tenant_id).await?;
    types
        .iter()
        .map(|t| Ok(TicketTypeOut::new(t, &DefinitionJson::load(&t.definition)?)))
        .collect::<ApiResult<_>>()
        .map(Json)
}

/// One ticket type.
#[utoipa::path(get, path = "/api/v1/ticket-types/{id}", tag = "tickets", security(("bearer" = ["tickets.work"])),
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = TicketTypeOut), (status = 404, body = ErrorBody)))]
pub async fn get_type(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    IdPath(id): IdPath,
) -> ApiResult<Json<TicketTypeOut>> {
    let (t, schema) = load_type(&state, p.tenant_id, TicketTypeId(id))
        .await
        .map_err(|_| ApiError::not_found())?;
    Ok(Json(TicketTypeOut::new(&t, &schema)))
}

/// Define a ticket type; without fields or workflow it starts with the system fields and the
/// default workflow.
#[utoipa::path(post, path = "/api/v1/ticket-types", tag = "tickets", security(("bearer" = ["tickets.manage"])), request_body = TicketTypeIn,
    responses((status = 201, body = TicketTypeOut), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_type(
    State(state): State<AppState>,
    p: Can<perm::ManageTickets>,
    ApiJson(req): ApiJson<TicketTypeIn>,
) -> ApiResult<(StatusCode, Json<TicketTypeOut>)> {
    let schema = req.schema(&TicketSchema::starter(), &p.zone)?;
    let t = DefinitionJson::new_type(
        name("name", &req.name, 64)?,
        description(&req.description)?,
        req.active,
        &schema,
        state.clock.now_ms(),
    );
    state
        .store
        .create_ticket_type(p.tenant_id, &t)
        .await
        .map_err(ApiError::on_conflict(
            "name",
            "a ticket type with this name exists",
        ))?;
    Ok((StatusCode::CREATED, Json(TicketTypeOut::new(&t, &schema))))
}

fn description(raw: &str) -> ApiResult<String> {
    if raw.chars().count() > 500 {
        return Err(ApiError::invalid(
            "description",
            "must be at most 500 characters",
        ));
    }
    Ok(raw.trim().to_owned())
}

/// Save a ticket type (the whole definition, from the version it was read at).
#[utoipa::path(put, path = "/api/v1/ticket-types/{id}", tag = "tickets", security(("bearer" = ["tickets.manage"])), request_body = TicketTypeIn,
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = TicketTypeOut), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update_type(
    State(state): State<AppState>,
    p: Can<perm::ManageTickets>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<TicketTypeIn>,
) -> ApiResult<Json<TicketTypeOut>> {
    let (current, base) = load_type(&state, p.tenant_id, TicketTypeId(id))
        .await
        .map_err(|_| ApiError::not_found())?;
    let version = req
        .version
        .ok_or_else(|| ApiError::invalid("version", "name the version you changed"))?;
    let schema = req.schema(&base, &p.zone)?;
    let mut t = TicketType {
        name: name("name", &req.name, 64)?,
        description: description(&req.description)?,
        active: req.active,
        version,
        updated_at: state.clock.now_ms(),
        ..current
    };
    DefinitionJson::apply(&mut t, &schema);
    t.version = state
        .store
        .update_ticket_type(p.tenant_id, &t)
        .await
        .map_err(ApiError::on_conflict(
            "name",
            "a ticket type with this name exists",
        ))?;
    if terms_shape(&base.fields) != terms_shape(&schema.fields) {
        // Its tickets' words changed (an option relabelled, a field retyped): the ticket
        // jobs index them again.
        state
            .store
            .mark_ticket_terms_stale(p.tenant_id, t.id)
            .await?;
    }
    Ok(Json(TicketTypeOut::new(&t, &schema)))
}

/// Remove a ticket type no ticket uses (else deactivate it).
#[utoipa::path(delete, path = "/api/v1/ticket-types/{id}", tag = "tickets", security(("bearer" = ["tickets.manage"])),
    params(("id" = uuid::Uuid, Path)), responses((status = 204), (status = 409, body = ErrorBody)))]
pub async fn delete_type(
    State(state): State<AppState>,
    p: Can<perm::ManageTickets>,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    state
        .store
        .delete_ticket_type(p.tenant_id, TicketTypeId(id))
        .await
        .map_err(in_use("tickets of this type exist"))?;
    // A voice queue whose voicemail made tickets of it has no voicemail now.
    state.voice.directory_changed(p.tenant_id);
    Ok(StatusCode::NO_CONTENT)
}

// ─── Templates ─────────────────────────────────────────────────────────────────────────

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LayoutItem {
    pub code: String,
    /// half or full.
    #[serde(default = "full")]
    #[schema(schema_with = crate::api::wire::layout_width_schema)]
    pub width: String,
}

fn full() -> String {
    "full".into()
}

#[derive(Serialize, ToSchema)]
pub struct TemplateOut {
    pub id: uuid::Uuid,
    pub type_id: uuid::Uuid,
    pub name: String,
    pub fields: Vec<LayoutItem>,
}

impl TemplateOut {
    pub fn new(t: &TicketTemplate) -> ApiResult<Self> {
        let fields = serde_json::from_str(&t.layout)
            .map_err(|e| anyhow::anyhow!("stored template layout: {e}"))?;
        Ok(Self {
            id: t.id.0,
            type_id: t.type_id.0,
            name: t.name.clone(),
            fields,
        })
    }

    /// The template's field codes, in order.
    pub fn codes(&self) -> Vec<String> {
        self.fields.iter().map(|f| f.code.clone()).collect()
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateIn {
    pub type_id: uuid::Uuid,
    pub name: String,
    pub fields: Vec<LayoutItem>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ByType {
    pub type_id: Option<uuid::Uuid>,
}

/// Templates, of one type or all.
#[utoipa::path(get, path = "/api/v1/ticket-templates", tag = "tickets", security(("bearer" = ["tickets.work"])), params(ByType),
    responses((status = 200, body = [TemplateOut])))]
pub async fn list_templates(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    ApiQuery(q): ApiQuery<ByType>,
) -> ApiResult<Json<Vec<TemplateOut>>> {
    let list = state
        .store
        .ticket_templates(p.tenant_id, q.type_id.map(TicketTypeId))
        .await?;
    list.iter()
        .map(TemplateOut::new)
        .collect::<ApiResult<_>>()
        .map(Json)
}

async fn save_template(
    state: &AppState,
    p: &switchboard_storage::Principal,
    id: TicketTemplateId,
    req: TemplateIn,
) -> ApiResult<TemplateOut> {
    let (_, schema) = load_type(state, p.tenant_id, TicketTypeId(req.type_id)).await?;
    let mut seen: Vec<&str> = Vec::new();
    for item in &req.fields {
        FieldCode::parse(&item.code).map_err(|e| ApiError::invalid("fields", e.message))?;
        if schema.field(&item.code).is_none() {
            return Err(ApiError::invalid(
                "fields",
                format!("'{}' is not a field of this type", item.code),
            ));
        }
        if seen.contains(&item.code.as_str()) || !["half", "full"].contains(&item.width.as_str()) {
            return Err(ApiError::invalid(
                "fields",
                "each field once, with width half or full",
            ));
        }
        seen.push(&item.code);
    }
    if !seen.contains(&"title") {
        return Err(ApiError::invalid(
            "fields",
            "a template always has the title",
        ));
    }
    let t = TicketTemplate {
        id,
        type_id: TicketTypeId(req.type_id),
        name: name("name", &req.name, 64)?,
        layout: serde_json::to_string(&req.fields).map_err(anyhow::Error::from)?,
    };
    state
        .store
        .save_ticket_template(p.tenant_id, &t)
        .await
        .map_err(ApiError::on_conflict(
            "name",
            "this type has a template with this name",
        ))?;
    TemplateOut::new(&t)
}

/// Add a template: an ordered choice of a type's fields.
#[utoipa::path(post, path = "/api/v1/ticket-templates", tag = "tickets", security(("bearer" = ["tickets.manage"])), request_body = TemplateIn,
    responses((status = 201, body = TemplateOut), (status = 400, body = ErrorBody)))]
pub async fn create_template(
    State(state): State<AppState>,
    p: Can<perm::ManageTickets>,
    ApiJson(req): ApiJson<TemplateIn>,
) -> ApiResult<(StatusCode, Json<TemplateOut>)> {
    let out = save_template(&state, &p, TicketTemplateId::new(), req).await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// Change a template.
#[utoipa::path(put, path = "/api/v1/ticket-templates/{id}", tag = "tickets", security(("bearer" = ["tickets.manage"])), request_body = TemplateIn,
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = TemplateOut), (status = 404, body = ErrorBody)))]
pub async fn update_template(
    State(state): State<AppState>,
    p: Can<perm::ManageTickets>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<TemplateIn>,
) -> ApiResult<Json<TemplateOut>> {
    let id = TicketTemplateId(id);
    let current = state.store.ticket_templates(p.tenant_id, None).await?;
    match current.iter().find(|t| t.id == id) {
        Some(t) if t.type_id.0 == req.type_id => {}
        Some(_) => return Err(ApiError::invalid("type_id", "a template keeps its type")),
        None => return Err(ApiError::not_found()),
    }
    Ok(Json(save_template(&state, &p, id, req).await?))
}

/// Remove a template (its tickets keep their fields).
#[utoipa::path(delete, path = "/api/v1/ticket-templates/{id}", tag = "tickets", security(("bearer" = ["tickets.manage"])),
    params(("id" = uuid::Uuid, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_template(
    State(state): State<AppState>,
    p: Can<perm::ManageTickets>,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    state
        .store
        .delete_ticket_template(p.tenant_id, TicketTemplateId(id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ─── Views ─────────────────────────────────────────────────────────────────────────────

#[derive(Serialize, ToSchema)]
pub struct ViewOut {
    pub id: uuid::Uuid,
    pub name: String,
    pub shared: bool,
    pub owner_id: uuid::Uuid,
    /// List parameters as an object (`status`, `type_id`, `f.<code>`…).
    #[schema(value_type = Object)]
    pub filters: Value,
    pub columns: Vec<String>,
    /// `{field, desc}`, or null for the list's default order.
    #[schema(value_type = Object, nullable)]
    pub sort: Value,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ViewIn {
    pub name: String,
    #[serde(default)]
    pub shared: bool,
    #[schema(value_type = Object)]
    pub filters: serde_json::Map<String, Value>,
    #[serde(default)]
    pub columns: Vec<String>,
    #[serde(default)]
    #[schema(value_type = Object, nullable)]
    pub sort: Option<Value>,
}

pub fn view_out(v: &TicketView) -> ApiResult<ViewOut> {
    let d: Value =
        serde_json::from_str(&v.definition).map_err(|e| anyhow::anyhow!("stored view: {e}"))?;
    Ok(ViewOut {
        id: v.id.0,
        name: v.name.clone(),
        shared: v.shared,
        owner_id: v.owner.0,
        filters: d["filters"].clone(),
        columns: serde_json::from_value(d["columns"].clone()).unwrap_or_default(),
        sort: d["sort"].clone(),
    })
}

/// My saved views and the shared ones.
#[utoipa::path(get, path = "/api/v1/ticket-views", tag = "tickets", security(("bearer" = ["tickets.work"])),
    responses((status = 200, body = [ViewOut])))]
pub async fn list_views(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
) -> ApiResult<Json<Vec<ViewOut>>> {
    let views = state.store.ticket_views(p.tenant_id, p.user_id).await?;
    views
        .iter()
        .map(view_out)
        .collect::<ApiResult<_>>()
        .map(Json)
}

async fn save_view(
    state: &AppState,
    p: &Can<perm::TicketWork>,
    id: TicketViewId,
    owner: Option<switchboard_engine::UserId>,
    req: ViewIn,
) -> ApiResult<ViewOut> {
    if req.shared {
        p.require(Permission::ManageTickets)?;
    }
    // The filters must make a valid list query.
    super::lists::filter_from_map(&req.filters, &p.zone)?;
    if req.columns.len() > 50 {
        return Err(ApiError::invalid("columns", "at most 50 columns"));
    }
    let definition =
        serde_json::json!({ "filters": req.filters, "columns": req.columns, "sort": req.sort });
    let v = TicketView {
        id,
        owner: owner.unwrap_or(p.user_id),
        name: name("name", &req.name, 64)?,
        shared: req.shared,
        definition: definition.to_string(),
    };
    state.store.save_ticket_view(p.tenant_id, &v).await?;
    view_out(&v)
}

/// Save a list as a view (shared views need `tickets.manage`).
#[utoipa::path(post, path = "/api/v1/ticket-views", tag = "tickets", security(("bearer" = ["tickets.work"])), request_body = ViewIn,
    responses((status = 201, body = ViewOut), (status = 400, body = ErrorBody)))]
pub async fn create_view(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    ApiJson(req): ApiJson<ViewIn>,
) -> ApiResult<(StatusCode, Json<ViewOut>)> {
    let out = save_view(&state, &p, TicketViewId::new(), None, req).await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// The view, if the caller may change it: their own, or a shared one with `tickets.manage`.
async fn own_view(
    state: &AppState,
    p: &Can<perm::TicketWork>,
    id: TicketViewId,
) -> ApiResult<TicketView> {
    let v = state
        .store
        .ticket_views(p.tenant_id, p.user_id)
        .await?
        .into_iter()
        .find(|v| v.id == id)
        .ok_or_else(ApiError::not_found)?;
    if v.owner != p.user_id {
        p.require(Permission::ManageTickets)?;
    }
    Ok(v)
}

/// Change a view.
#[utoipa::path(put, path = "/api/v1/ticket-views/{id}", tag = "tickets", security(("bearer" = ["tickets.work"])), request_body = ViewIn,
    params(("id" = uuid::Uuid, Path)), responses((status = 200, body = ViewOut), (status = 404, body = ErrorBody)))]
pub async fn update_view(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<ViewIn>,
) -> ApiResult<Json<ViewOut>> {
    let v = own_view(&state, &p, TicketViewId(id)).await?;
    Ok(Json(save_view(&state, &p, v.id, Some(v.owner), req).await?))
}

/// Remove a view.
#[utoipa::path(delete, path = "/api/v1/ticket-views/{id}", tag = "tickets", security(("bearer" = ["tickets.work"])),
    params(("id" = uuid::Uuid, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_view(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    let v = own_view(&state, &p, TicketViewId(id)).await?;
    state.store.delete_ticket_view(p.tenant_id, v.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
