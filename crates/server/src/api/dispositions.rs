//! Disposition codes (处理结果, V11): the tenant's list an agent picks from in a wrap-up
//! summary. Admins replace the list whole (add, rename, reorder, retire); a code once stored
//! is never dropped, only retired, so contacts that carry it keep their label.

use std::collections::HashSet;

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_engine::TenantId;
use switchboard_storage::DispositionCode;
use utoipa::ToSchema;

use crate::auth::{perm, Auth, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiJson;
use crate::state::AppState;

/// At most this many codes per tenant.
const MAX_CODES: usize = 200;

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DispositionWire {
    /// 1-32 characters: letters, digits, `_`, `-` or `.`; fixed once saved.
    pub code: String,
    /// What agents see (1-60 characters).
    pub label: String,
    /// A retired code is no longer offered; contacts that carry it keep it.
    #[serde(default)]
    pub retired: bool,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DispositionList {
    /// In the order agents see them.
    pub codes: Vec<DispositionWire>,
}

fn list_out(codes: Vec<DispositionCode>) -> DispositionList {
    DispositionList {
        codes: codes
            .into_iter()
            .map(|c| DispositionWire {
                code: c.code,
                label: c.label,
                retired: c.retired,
            })
            .collect(),
    }
}

/// Checks a list asked for: well-formed, no code twice, every stored code kept.
fn checked(req: DispositionList, stored: &[DispositionCode]) -> ApiResult<Vec<DispositionCode>> {
    if req.codes.len() > MAX_CODES {
        return Err(ApiError::invalid(
            "codes",
            format!("at most {MAX_CODES} codes"),
        ));
    }
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(req.codes.len());
    for (i, c) in req.codes.into_iter().enumerate() {
        let code = c.code.trim().to_owned();
        let ok = (1..=32).contains(&code.chars().count())
            && code
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '-' | '.'));
        if !ok {
            return Err(ApiError::invalid(
                format!("codes[{i}].code"),
                "must be 1-32 letters, digits, '_', '-' or '.'",
            ));
        }
        let label = super::contacts::bounded("label", Some(&c.label), 60)
            .map_err(|_| {
                ApiError::invalid(
                    format!("codes[{i}].label"),
                    "must be 1-60 characters without control characters",
                )
            })?
            .ok_or_else(|| ApiError::invalid(format!("codes[{i}].label"), "must not be empty"))?;
        if !seen.insert(code.clone()) {
            return Err(ApiError::invalid(
                format!("codes[{i}].code"),
                format!("'{code}' is listed twice"),
            ));
        }
        out.push(DispositionCode {
            code,
            label,
            retired: c.retired,
        });
    }
    if let Some(gone) = stored.iter().find(|s| !seen.contains(&s.code)) {
        return Err(ApiError::invalid(
            "codes",
            format!(
                "code '{}' was used and cannot be removed: retire it instead",
                gone.code
            ),
        ));
    }
    Ok(out)
}

/// The tenant's disposition codes, retired ones included (any signed-in user).
#[utoipa::path(get, path = "/api/v1/tenant/disposition-codes", operation_id = "dispositions_get", tag = "params",
    security(("bearer" = [])), responses((status = 200, body = DispositionList), (status = 401, body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<DispositionList>> {
    let codes = state.store.disposition_codes(auth.0.tenant_id).await?;
    Ok(Json(list_out(codes)))
}

/// Replace the tenant's disposition codes: add, rename, reorder or retire; never remove.
#[utoipa::path(put, path = "/api/v1/tenant/disposition-codes", operation_id = "dispositions_put", tag = "params",
    security(("bearer" = ["params.manage"])), request_body = DispositionList,
    responses((status = 200, body = DispositionList), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn put(
    State(state): State<AppState>,
    p: Can<perm::ManageParams>,
    ApiJson(req): ApiJson<DispositionList>,
) -> ApiResult<Json<DispositionList>> {
    let stored = state.store.disposition_codes(p.tenant_id).await?;
    let codes = checked(req, &stored)?;
    state
        .store
        .set_disposition_codes(p.tenant_id, &codes)
        .await?;
    Ok(Json(list_out(codes)))
}

/// Checks a disposition picked in a summary: one of the tenant's codes not retired, or the
/// contact's stored one (kept even after it was retired). Required when the tenant requires
/// a summary and offers codes.
pub async fn check_pick(
    state: &AppState,
    tenant: TenantId,
    picked: Option<&str>,
    stored: Option<&str>,
    required: bool,
) -> ApiResult<Option<String>> {
    let codes = state.store.disposition_codes(tenant).await?;
    let picked = picked.map(str::trim).filter(|c| !c.is_empty());
    match picked {
        None if required && codes.iter().any(|c| !c.retired) => Err(ApiError::invalid(
            "disposition",
            "pick a disposition: the summary is required",
        )),
        None => Ok(None),
        Some(c) if stored == Some(c) || codes.iter().any(|k| k.code == c && !k.retired) => {
            Ok(Some(c.to_owned()))
        }
        Some(_) => Err(ApiError::invalid(
            "disposition",
            "not one of the tenant's disposition codes",
        )),
    }
}
