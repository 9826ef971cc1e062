//! The customer directory (issue #16) under `/api/v1/customers`: search, create, read and
//! edit (version-checked: an edit names the version it read, a concurrent change is a 409
//! `stale`), merging duplicates, custom field definitions (`fields.rs`), the profile's service
//! trail (`trail.rs`), and import and export (`sheets.rs`). Reading and editing need
//! `customers.work`, merging `customers.merge`.

pub mod fields;
pub mod record;
pub mod sheets;
pub mod trail;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_engine::ticket::search::query_terms;
use switchboard_engine::{CustomerId, TenantId};
use switchboard_storage::{
    CustomerQuery, CustomerTerm, CustomerWrite, DirectoryCustomer, StorageError,
};
use utoipa::ToSchema;
use uuid::Uuid;

use self::fields::CustomerFieldDefs;
use self::record::{as_write, checked, e164, phone_terms, record_out, CustomerIn, CustomerRecord};
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, IdPath};
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerFilter {
    /// Words of a name, e-mail, tag, note or field (Chinese included), or a phone number in
    /// any written form.
    pub q: Option<String>,
    /// Customers to skip (paging).
    pub offset: Option<u32>,
    /// Customers per page, 1-200 (50).
    pub limit: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct CustomerPage {
    /// Newest-updated first.
    pub items: Vec<CustomerRecord>,
    /// Whether a next page exists (`offset` + `limit`).
    pub has_more: bool,
}

/// What a search asks the terms for: a phone number's digits, or the words.
pub fn search_terms(q: &str) -> Vec<CustomerTerm> {
    let q = q.trim();
    let phone_like = q.chars().filter(char::is_ascii_digit).count() >= 3
        && q.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')' | '.'));
    if phone_like {
        let normal = e164(q).unwrap_or_else(|| q.chars().filter(char::is_ascii_digit).collect());
        let text = match normal.strip_prefix('+') {
            Some(_) => phone_terms(&normal).swap_remove(0),
            None => normal,
        };
        return vec![CustomerTerm { text, prefix: true }];
    }
    query_terms(q)
        .into_iter()
        .map(|t| CustomerTerm {
            text: t.text,
            prefix: t.prefix,
        })
        .collect()
}

pub fn query_of(f: &CustomerFilter) -> ApiResult<CustomerQuery> {
    let limit = f.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::invalid("limit", "must be 1-200"));
    }
    let q = f.q.as_deref().unwrap_or_default();
    if q.chars().count() > 200 {
        return Err(ApiError::invalid("q", "must be at most 200 characters"));
    }
    Ok(CustomerQuery {
        terms: search_terms(q),
        offset: f.offset.unwrap_or(0),
        limit,
    })
}

/// The directory, newest-updated first; `q` searches it.
#[utoipa::path(get, path = "/api/v1/customers", operation_id = "customers_list", tag = "customers",
    security(("bearer" = ["customers.work"])), params(CustomerFilter),
    responses((status = 200, body = CustomerPage), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    p: Can<perm::CustomerWork>,
    ApiQuery(f): ApiQuery<CustomerFilter>,
) -> ApiResult<Json<CustomerPage>> {
    let mut q = query_of(&f)?;
    q.limit += 1;
    let mut found = state.store.search_customers(p.tenant_id, &q).await?;
    let has_more = found.len() > (q.limit - 1) as usize;
    found.truncate((q.limit - 1) as usize);
    Ok(Json(CustomerPage {
        items: found.iter().map(record_out).collect(),
        has_more,
    }))
}

/// Refuses a key another customer holds, naming it.
fn key_taken(err: StorageError) -> ApiError {
    match err {
        StorageError::Conflict(key) => {
            let field = match key.split_once(':') {
                Some(("email", _)) => "emails",
                _ => "phones",
            };
            ApiError::Client {
                status: StatusCode::CONFLICT,
                code: "key_taken",
                message: format!(
                    "another customer has {}",
                    key.split_once(':').map_or(key.as_str(), |(_, v)| v)
                ),
                field: Some(field.into()),
            }
        }
        other => other.into(),
    }
}

/// Create a customer.
#[utoipa::path(post, path = "/api/v1/customers", operation_id = "customers_create", tag = "customers",
    security(("bearer" = ["customers.work"])), request_body = CustomerIn,
    responses((status = 201, body = CustomerRecord), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    p: Can<perm::CustomerWork>,
    ApiJson(req): ApiJson<CustomerIn>,
) -> ApiResult<(StatusCode, Json<CustomerRecord>)> {
    let defs = CustomerFieldDefs::load(&state, p.tenant_id).await?;
    let w = checked(&req, &defs)?;
    let now = state.clock.now_ms();
    let c = state
        .store
        .create_customer(p.tenant_id, CustomerId::new(), &w, now)
        .await
        .map_err(|e| host_taken(e, &w))
        .map_err(key_taken)?;
    Ok((StatusCode::CREATED, Json(record_out(&c))))
}

/// A host id another customer holds breaks the identity's uniqueness.
fn host_taken(err: StorageError, w: &CustomerWrite) -> StorageError {
    match err {
        StorageError::Conflict(k) if !k.contains(':') && w.host_identity.is_some() => {
            StorageError::Conflict(format!("host_id:{k}"))
        }
        other => other,
    }
}

pub async fn load(state: &AppState, tenant: TenantId, id: Uuid) -> ApiResult<DirectoryCustomer> {
    state
        .store
        .directory_customer(tenant, CustomerId(id))
        .await?
        .ok_or_else(ApiError::not_found)
}

/// A customer; a merged one names the customer it was merged into (`merged_into`).
#[utoipa::path(get, path = "/api/v1/customers/{id}", operation_id = "customers_get", tag = "customers",
    security(("bearer" = ["customers.work"])), params(("id" = Uuid, Path)),
    responses((status = 200, body = CustomerRecord), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    p: Can<perm::CustomerWork>,
    IdPath(id): IdPath,
) -> ApiResult<Json<CustomerRecord>> {
    Ok(Json(record_out(&load(&state, p.tenant_id, id).await?)))
}

/// An edit: the whole record as in `CustomerIn`, and the version it was made on. Spelled out
/// rather than flattened, so the document describes one object (schemathesis, typed clients).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerEdit {
    /// The version the edit was made on.
    pub version: i64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub phones: Vec<String>,
    #[serde(default)]
    pub emails: Vec<String>,
    #[serde(default)]
    pub host_id: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub fields: serde_json::Map<String, serde_json::Value>,
}

impl CustomerEdit {
    fn record(&self) -> CustomerIn {
        CustomerIn {
            name: self.name.clone(),
            phones: self.phones.clone(),
            emails: self.emails.clone(),
            host_id: self.host_id.clone(),
            tags: self.tags.clone(),
            notes: self.notes.clone(),
            fields: self.fields.clone(),
        }
    }
}

/// Replace a customer's record (name, numbers, e-mails, host id, tags, notes, fields) if it is
/// still at `version`.
#[utoipa::path(put, path = "/api/v1/customers/{id}", operation_id = "customers_update", tag = "customers",
    security(("bearer" = ["customers.work"])), params(("id" = Uuid, Path)), request_body = CustomerEdit,
    responses((status = 200, body = CustomerRecord), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    p: Can<perm::CustomerWork>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<CustomerEdit>,
) -> ApiResult<Json<CustomerRecord>> {
    let current = load(&state, p.tenant_id, id).await?;
    let defs = CustomerFieldDefs::load(&state, p.tenant_id).await?;
    let mut w = checked(&req.record(), &defs)?;
    keep_identity(&current, &mut w)?;
    w.terms = record::terms(&w, &defs);
    let now = state.clock.now_ms();
    let c = state
        .store
        .update_customer(p.tenant_id, current.id, req.version, &w, now)
        .await
        .map_err(|e| host_taken(e, &w))
        .map_err(key_taken)?;
    Ok(Json(record_out(&c)))
}

/// A verified host identity stays: an edit may set one where there is none, not change it.
fn keep_identity(current: &DirectoryCustomer, w: &mut CustomerWrite) -> ApiResult<()> {
    if !current.verified {
        return Ok(());
    }
    match &w.host_identity {
        Some(h) if *h != current.identity => Err(ApiError::invalid(
            "host_id",
            "the host site's id of a verified customer cannot be changed",
        )),
        _ => {
            w.host_identity = Some(current.identity.clone());
            Ok(())
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerMerge {
    /// The duplicate to merge into this customer.
    pub from: Uuid,
}

/// What the survivor holds after a merge: its own values first, the duplicate's filling in.
fn union(
    into: &DirectoryCustomer,
    from: &DirectoryCustomer,
    defs: &CustomerFieldDefs,
) -> CustomerWrite {
    let mut w = as_write(into, defs);
    let extend = |list: &mut Vec<String>, more: &[String]| {
        for m in more {
            if !list.contains(m) {
                list.push(m.clone());
            }
        }
    };
    w.name = into.name.clone().or_else(|| from.name.clone());
    extend(&mut w.phones, &from.phones);
    extend(&mut w.emails, &from.emails);
    extend(&mut w.tags, &from.tags);
    w.notes = [into.notes.as_str(), from.notes.as_str()]
        .into_iter()
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    let mut fields: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&from.fields).unwrap_or_default();
    let own: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&into.fields).unwrap_or_default();
    fields.extend(own);
    w.fields = serde_json::Value::Object(fields).to_string();
    // The survivor takes the duplicate's verified identity when it has none of its own.
    if from.verified && !into.verified {
        w.host_identity = Some(from.identity.clone());
    }
    w.terms = record::terms(&w, defs);
    w
}

/// Merge a duplicate into this customer: its numbers, e-mails, tags, notes, fields and service
/// trail move here; the duplicate is marked merged into this one. Refused for the customer
/// itself, a merged record, or another tenant's (404); nothing changes then.
#[utoipa::path(post, path = "/api/v1/customers/{id}/merge", operation_id = "customers_merge", tag = "customers",
    security(("bearer" = ["customers.merge"])), params(("id" = Uuid, Path)), request_body = CustomerMerge,
    responses((status = 200, body = CustomerRecord), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn merge(
    State(state): State<AppState>,
    p: Can<perm::CustomerMerge>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<CustomerMerge>,
) -> ApiResult<Json<CustomerRecord>> {
    if req.from == id {
        return Err(ApiError::invalid(
            "from",
            "a customer cannot be merged into itself",
        ));
    }
    let into = load(&state, p.tenant_id, id).await?;
    let from = load(&state, p.tenant_id, req.from).await?;
    if into.merged_into.is_some() || from.merged_into.is_some() {
        return Err(ApiError::Client {
            status: StatusCode::CONFLICT,
            code: "already_merged",
            message: "a merged record cannot take part in another merge".into(),
            field: Some(
                if into.merged_into.is_some() {
                    "id"
                } else {
                    "from"
                }
                .into(),
            ),
        });
    }
    let defs = CustomerFieldDefs::load(&state, p.tenant_id).await?;
    let w = union(&into, &from, &defs);
    let now = state.clock.now_ms();
    let merged = state
        .store
        .merge_customers(p.tenant_id, into.id, from.id, into.version, &w, now)
        .await?;
    Ok(Json(record_out(&merged)))
}
