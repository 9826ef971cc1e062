//! A directory customer at the edge: the record as the API takes and shows it, input checked
//! into what storage saves (phones in E.164, e-mails lower-cased, tags, notes, the host site's
//! identity, custom field values), the search terms a record has, and finding or creating the
//! customer of a caller's number.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use switchboard_engine::ticket::search::index_terms;
use switchboard_engine::{CustomerId, TenantId};
use switchboard_storage::{CustomerWrite, DirectoryCustomer, KeyKind};
use switchboard_voice::directory::{normalize_number, COUNTRY_CODE};
use utoipa::ToSchema;
use uuid::Uuid;

use super::fields::CustomerFieldDefs;
use crate::api::contacts::bounded;
use crate::api::wire::rfc3339;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

const MAX_PHONES: usize = 10;
const MAX_EMAILS: usize = 10;
const MAX_TAGS: usize = 30;
const MAX_NOTES: usize = 5000;

/// A customer of the directory.
#[derive(Serialize, ToSchema)]
pub struct CustomerRecord {
    pub id: Uuid,
    #[schema(required)]
    pub name: Option<String>,
    /// E.164.
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    /// The host site's id of a customer it verified (web chat's signed identity).
    #[schema(required)]
    pub host_id: Option<String>,
    pub tags: Vec<String>,
    pub notes: String,
    /// Custom field values by code.
    #[schema(value_type = Object)]
    pub fields: Value,
    /// Name it when saving an edit.
    pub version: i64,
    /// The customer this record was merged into: show that one instead.
    #[schema(required)]
    pub merged_into: Option<Uuid>,
    pub created_at: String,
    pub updated_at: String,
}

pub fn record_out(c: &DirectoryCustomer) -> CustomerRecord {
    CustomerRecord {
        id: c.id.0,
        name: c.name.clone(),
        phones: c.phones.clone(),
        emails: c.emails.clone(),
        host_id: host_id(c).map(str::to_owned),
        tags: c.tags.clone(),
        notes: c.notes.clone(),
        fields: serde_json::from_str(&c.fields).unwrap_or_else(|_| Value::Object(Map::new())),
        version: c.version,
        merged_into: c.merged_into.map(|m| m.0),
        created_at: rfc3339(c.created_at),
        updated_at: rfc3339(c.updated_at),
    }
}

/// The host site's id of a verified customer.
pub fn host_id(c: &DirectoryCustomer) -> Option<&str> {
    c.identity.strip_prefix("id:").filter(|_| c.verified)
}

/// A customer as created or edited: the whole record.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerIn {
    #[serde(default)]
    pub name: Option<String>,
    /// Phone numbers in any usual written form; kept in E.164.
    #[serde(default)]
    pub phones: Vec<String>,
    #[serde(default)]
    pub emails: Vec<String>,
    /// The host site's id (as its signed chat identities name the customer); once set, it
    /// cannot be removed.
    #[serde(default)]
    pub host_id: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub notes: String,
    /// Custom field values by code (see `GET /api/v1/customer-fields`); null clears one.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub fields: Map<String, Value>,
}

/// A phone number in E.164, or why not.
pub fn e164(raw: &str) -> Option<String> {
    let n = normalize_number(raw.trim(), COUNTRY_CODE)?;
    let digits = n.strip_prefix('+')?;
    (7..=15).contains(&digits.len()).then_some(n)
}

fn email(raw: &str) -> Option<String> {
    let e = raw.trim().to_lowercase();
    let (local, domain) = e.split_once('@')?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && e.len() <= 254
        && !e.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then_some(e)
}

/// Each item once, in the order first given.
fn push_once(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

fn phones_of(raw: &[String]) -> ApiResult<Vec<String>> {
    if raw.len() > MAX_PHONES {
        return Err(ApiError::invalid("phones", format!("at most {MAX_PHONES}")));
    }
    let mut out = Vec::new();
    for (i, p) in raw.iter().enumerate() {
        let n = e164(p).ok_or_else(|| {
            ApiError::invalid(format!("phones[{i}]"), "must be a full phone number")
        })?;
        push_once(&mut out, n);
    }
    Ok(out)
}

fn emails_of(raw: &[String]) -> ApiResult<Vec<String>> {
    if raw.len() > MAX_EMAILS {
        return Err(ApiError::invalid("emails", format!("at most {MAX_EMAILS}")));
    }
    let mut out = Vec::new();
    for (i, e) in raw.iter().enumerate() {
        let e = email(e).ok_or_else(|| {
            ApiError::invalid(format!("emails[{i}]"), "must be an e-mail address")
        })?;
        push_once(&mut out, e);
    }
    Ok(out)
}

fn tags_of(raw: &[String]) -> ApiResult<Vec<String>> {
    if raw.len() > MAX_TAGS {
        return Err(ApiError::invalid("tags", format!("at most {MAX_TAGS}")));
    }
    let mut out = Vec::new();
    for t in raw {
        let tag = bounded("tags", Some(t), 30)?
            .ok_or_else(|| ApiError::invalid("tags", "a tag must not be empty"))?;
        push_once(&mut out, tag);
    }
    Ok(out)
}

fn notes_of(raw: &str) -> ApiResult<String> {
    if raw.chars().count() > MAX_NOTES {
        return Err(ApiError::invalid(
            "notes",
            format!("must be at most {MAX_NOTES} characters"),
        ));
    }
    // Line breaks are the notes' own; other control characters are refused.
    if raw
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(ApiError::invalid(
            "notes",
            "must not contain control characters",
        ));
    }
    Ok(raw.trim().to_owned())
}

/// Checks a whole record into what storage writes, terms included.
pub fn checked(req: &CustomerIn, defs: &CustomerFieldDefs) -> ApiResult<CustomerWrite> {
    let name = bounded("name", req.name.as_deref(), 100)?;
    let host = bounded("host_id", req.host_id.as_deref(), 200)?;
    let mut w = CustomerWrite {
        name,
        phones: phones_of(&req.phones)?,
        emails: emails_of(&req.emails)?,
        tags: tags_of(&req.tags)?,
        notes: notes_of(&req.notes)?,
        fields: defs.checked_values(&req.fields)?.to_string(),
        host_identity: host.map(|h| format!("id:{h}")),
        terms: Vec::new(),
    };
    w.terms = terms(&w, defs);
    Ok(w)
}

/// What storage writes to keep a stored record as it is (with fresh terms).
pub fn as_write(c: &DirectoryCustomer, defs: &CustomerFieldDefs) -> CustomerWrite {
    let mut w = CustomerWrite {
        name: c.name.clone(),
        phones: c.phones.clone(),
        emails: c.emails.clone(),
        tags: c.tags.clone(),
        notes: c.notes.clone(),
        fields: c.fields.clone(),
        host_identity: c.verified.then(|| c.identity.clone()),
        terms: Vec::new(),
    };
    w.terms = terms(&w, defs);
    w
}

fn words(text: &str) -> Vec<String> {
    index_terms(text)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The digits a number is searched by: E.164 without `+`, and the national number.
pub fn phone_terms(e164: &str) -> Vec<String> {
    let digits = e164.trim_start_matches('+').to_owned();
    let mut out = vec![digits.clone()];
    if let Some(national) = digits.strip_prefix(COUNTRY_CODE) {
        out.push(national.to_owned());
    }
    out
}

/// A record's search terms: words of its name, e-mails, tags, notes, host id and the custom
/// fields that hold words, CJK as pairs; and its numbers' digits.
pub fn terms(w: &CustomerWrite, defs: &CustomerFieldDefs) -> Vec<String> {
    let mut text = String::new();
    let parts = w.name.iter().chain(&w.emails).chain(&w.tags);
    for part in parts.chain(std::iter::once(&w.notes)) {
        text.push(' ');
        text.push_str(part);
    }
    if let Some(h) = &w.host_identity {
        text.push(' ');
        text.push_str(h.trim_start_matches("id:"));
    }
    text.push_str(&defs.words_of(&w.fields));
    let mut out = words(&text);
    for p in &w.phones {
        for t in phone_terms(p) {
            push_once(&mut out, t);
        }
    }
    out
}

/// The customer of a number a call or a ticket brought, created when the directory does not
/// know it yet; `None` when it is no full phone number (withheld, a short code).
pub async fn customer_of_number(
    state: &AppState,
    tenant: TenantId,
    raw: &str,
) -> ApiResult<Option<CustomerId>> {
    let Some(number) = e164(raw) else {
        return Ok(None);
    };
    let now = state.clock.now_ms();
    let id = state
        .store
        .customer_for_phone(tenant, &number, &phone_terms(&number), now)
        .await?;
    Ok(Some(id))
}

/// The same, for paths that must not fail because of the directory (a call, a ticket, a
/// task): a failure is logged and the path goes on.
pub async fn note_number(state: &AppState, tenant: TenantId, raw: &str) {
    if let Err(e) = customer_of_number(state, tenant, raw).await {
        tracing::warn!(error = %e, "could not record a caller in the customer directory");
    }
}

/// Writes a chat customer's directory keys and terms: the number and e-mail the chat gave
/// become keys unless another customer holds them (a duplicate, for merging), and the row is
/// marked indexed. Chat and the customer job call it; a failure is the caller's to log.
pub async fn index_chat_customer(
    state: &AppState,
    tenant: TenantId,
    id: CustomerId,
) -> ApiResult<()> {
    let (Some(c), Some(chat)) = (
        state.store.directory_customer(tenant, id).await?,
        state.store.customer(tenant, id).await?,
    ) else {
        return Ok(());
    };
    if c.merged_into.is_some() {
        return Ok(());
    }
    let defs = super::fields::CustomerFieldDefs::load(state, tenant).await?;
    let mut w = as_write(&c, &defs);
    if let Some(p) = chat.phone.as_deref().and_then(e164) {
        let free = state
            .store
            .customer_by_key(tenant, KeyKind::Phone, &p)
            .await?
            .is_none();
        if free {
            push_once(&mut w.phones, p);
        }
    }
    if let Some(e) = chat.email.as_deref().and_then(email) {
        let free = state
            .store
            .customer_by_key(tenant, KeyKind::Email, &e)
            .await?
            .is_none();
        if free {
            push_once(&mut w.emails, e);
        }
    }
    w.terms = terms(&w, &defs);
    let now = state.clock.now_ms();
    state
        .store
        .update_customer(tenant, id, c.version, &w, now)
        .await?;
    Ok(())
}

/// What the workbench shows of a contact's customer (screen pop, chat panel).
#[derive(Serialize, ToSchema)]
pub struct CustomerBrief {
    /// The directory record (`/api/v1/customers/{id}`).
    pub id: Uuid,
    #[schema(required)]
    pub name: Option<String>,
    pub tags: Vec<String>,
    pub notes: String,
}

/// The directory customer a contact names (a customer id or a number), followed past merges.
pub async fn customer_of_key(
    state: &AppState,
    tenant: TenantId,
    key: &str,
) -> ApiResult<Option<CustomerBrief>> {
    let mut found = match CustomerId::parse(key) {
        Some(id) => state.store.directory_customer(tenant, id).await?,
        None => match e164(key) {
            Some(n) => {
                let phone = KeyKind::Phone;
                state.store.customer_by_key(tenant, phone, &n).await?
            }
            None => None,
        },
    };
    // Merges leave no chains (a merge moves what was merged into the duplicate too).
    if let Some(into) = found.as_ref().and_then(|c| c.merged_into) {
        found = state.store.directory_customer(tenant, into).await?;
    }
    Ok(found.map(|c| CustomerBrief {
        id: c.id.0,
        name: c.name,
        tags: c.tags,
        notes: c.notes,
    }))
}
