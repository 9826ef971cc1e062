//! The tenant's custom customer fields: a short list of definitions (code, labels, type text,
//! number, date or option) kept as JSON, and customer values checked against it.

use std::collections::HashSet;

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use switchboard_engine::ticket::time::parse_date;
use switchboard_engine::{Permission, TenantId};
use utoipa::ToSchema;

use crate::api::contacts::bounded;
use crate::auth::{perm, Auth, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiJson;
use crate::state::AppState;

const MAX_FIELDS: usize = 50;
const MAX_OPTIONS: usize = 100;
const MAX_TEXT: usize = 500;

#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CustomerFieldType {
    Text,
    Number,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// One of `options`.
    Option,
}

#[derive(Serialize, Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct CustomerFieldDef {
    /// 1-32 lower-case letters, digits or `_`, starting with a letter; the values' key.
    pub code: String,
    /// The label (Chinese, or the only one).
    pub label: String,
    /// The English label, when it differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_en: Option<String>,
    #[serde(rename = "type")]
    pub field_type: CustomerFieldType,
    /// The choices of an `option` field.
    #[serde(default)]
    pub options: Vec<String>,
}

#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct CustomerFieldDefs {
    pub fields: Vec<CustomerFieldDef>,
}

fn code_ok(code: &str) -> bool {
    let mut chars = code.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && code.len() <= 32
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl CustomerFieldDefs {
    pub async fn load(state: &AppState, tenant: TenantId) -> ApiResult<Self> {
        let stored = state.store.customer_field_defs(tenant).await?;
        Ok(stored
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default())
    }

    fn get(&self, code: &str) -> Option<&CustomerFieldDef> {
        self.fields.iter().find(|f| f.code == code)
    }

    /// The definitions checked: codes well formed and unique, labels and options bounded.
    fn check(mut self) -> ApiResult<Self> {
        if self.fields.len() > MAX_FIELDS {
            return Err(ApiError::invalid("fields", format!("at most {MAX_FIELDS}")));
        }
        let mut seen = HashSet::new();
        for (i, f) in self.fields.iter_mut().enumerate() {
            let at = |what: &str| format!("fields[{i}].{what}");
            if !code_ok(&f.code) || !seen.insert(f.code.clone()) {
                return Err(ApiError::invalid(
                    at("code"),
                    "must be 1-32 lower-case letters, digits or '_' from a letter, once",
                ));
            }
            f.label = bounded("label", Some(&f.label), 40)
                .map_err(|_| ApiError::invalid(at("label"), "at most 40 characters"))?
                .ok_or_else(|| ApiError::invalid(at("label"), "must not be empty"))?;
            f.label_en = bounded("label_en", f.label_en.as_deref(), 40)
                .map_err(|_| ApiError::invalid(at("label_en"), "at most 40 characters"))?;
            let options_ok = match f.field_type {
                CustomerFieldType::Option => {
                    !f.options.is_empty()
                        && f.options.len() <= MAX_OPTIONS
                        && f.options
                            .iter()
                            .all(|o| bounded("options", Some(o), 40).is_ok_and(|o| o.is_some()))
                        && f.options.iter().collect::<HashSet<_>>().len() == f.options.len()
                }
                _ => f.options.is_empty(),
            };
            if !options_ok {
                return Err(ApiError::invalid(
                    at("options"),
                    "an option field lists 1-100 distinct options of 1-40 characters; others none",
                ));
            }
        }
        Ok(self)
    }

    /// Refuses a saved field whose type changes: customers' values of it were checked against
    /// the old type, and a field of another type is a new field (a new code).
    fn keeps_types_of(&self, saved: &CustomerFieldDefs) -> ApiResult<()> {
        for (i, f) in self.fields.iter().enumerate() {
            if saved
                .get(&f.code)
                .is_some_and(|old| old.field_type != f.field_type)
            {
                return Err(ApiError::invalid(
                    format!("fields[{i}].type"),
                    "a saved field keeps its type; add a field with a new code instead",
                ));
            }
        }
        Ok(())
    }

    /// Values checked against the definitions: known codes, each of its type; null drops one.
    pub fn checked_values(&self, values: &Map<String, Value>) -> ApiResult<Value> {
        let mut out = Map::new();
        for (code, v) in values {
            let field = format!("fields.{code}");
            let def = self
                .get(code)
                .ok_or_else(|| ApiError::invalid(field.clone(), "no such custom field"))?;
            if v.is_null() {
                continue;
            }
            let ok = match def.field_type {
                CustomerFieldType::Text => v.as_str().is_some_and(|s| {
                    s.chars().count() <= MAX_TEXT && !s.chars().any(char::is_control)
                }),
                CustomerFieldType::Number => v.as_f64().is_some_and(f64::is_finite),
                CustomerFieldType::Date => v.as_str().and_then(parse_date).is_some(),
                CustomerFieldType::Option => v
                    .as_str()
                    .is_some_and(|s| def.options.iter().any(|o| o == s)),
            };
            if !ok {
                let wanted = match def.field_type {
                    CustomerFieldType::Text => "text of at most 500 characters",
                    CustomerFieldType::Number => "a number",
                    CustomerFieldType::Date => "a date (YYYY-MM-DD)",
                    CustomerFieldType::Option => "one of the field's options",
                };
                return Err(ApiError::invalid(field, format!("must be {wanted}")));
            }
            out.insert(code.clone(), v.clone());
        }
        Ok(Value::Object(out))
    }

    /// The words of the text and option values in stored values (JSON), for search.
    pub fn words_of(&self, stored: &str) -> String {
        let values: Map<String, Value> = serde_json::from_str(stored).unwrap_or_default();
        let mut out = String::new();
        for f in &self.fields {
            let words = matches!(
                f.field_type,
                CustomerFieldType::Text | CustomerFieldType::Option
            );
            if let Some(s) = values
                .get(&f.code)
                .and_then(Value::as_str)
                .filter(|_| words)
            {
                out.push(' ');
                out.push_str(s);
            }
        }
        out
    }
}

/// The tenant's custom customer fields: for those who work with customers and for those who
/// define the fields.
#[utoipa::path(get, path = "/api/v1/customer-fields", operation_id = "customer_fields_get", tag = "customers",
    security(("bearer" = ["customers.work"]), ("bearer" = ["params.manage"])),
    responses((status = 200, body = CustomerFieldDefs), (status = 403, body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<CustomerFieldDefs>> {
    if !auth.0.may(Permission::CustomerWork) {
        auth.require(Permission::ManageParams)?;
    }
    Ok(Json(
        CustomerFieldDefs::load(&state, auth.0.tenant_id).await?,
    ))
}

/// Replace the tenant's custom customer fields. Values of a field removed stay stored until
/// the customer's next edit, which drops them.
#[utoipa::path(put, path = "/api/v1/customer-fields", operation_id = "customer_fields_put", tag = "customers",
    security(("bearer" = ["params.manage"])), request_body = CustomerFieldDefs,
    responses((status = 200, body = CustomerFieldDefs), (status = 400, body = ErrorBody)))]
pub async fn put(
    State(state): State<AppState>,
    p: Can<perm::ManageParams>,
    ApiJson(req): ApiJson<CustomerFieldDefs>,
) -> ApiResult<Json<CustomerFieldDefs>> {
    let defs = req.check()?;
    defs.keeps_types_of(&CustomerFieldDefs::load(&state, p.tenant_id).await?)?;
    let json = serde_json::to_string(&defs).map_err(anyhow::Error::from)?;
    state
        .store
        .set_customer_field_defs(p.tenant_id, &json)
        .await?;
    Ok(Json(defs))
}
