//! Ticket lists (T3), search (T7), tab counts and export (T8): query parameters become a
//! storage query scoped to what the caller may see.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use serde::Serialize;
use serde_json::{Map, Value};
use switchboard_engine::ticket::search::query_terms;
use switchboard_engine::ticket::time::parse_datetime;
use switchboard_engine::ticket::{FieldCode, FlagColor, StatusCategory};
use switchboard_engine::TenantZone;
use switchboard_engine::{
    Permission, SkillQueueId, TicketCategoryId, TicketId, TicketTypeId, TicketViewId, UserId,
};
use switchboard_storage::{Principal, Scope, SortKey, TicketFilter, TicketQuery};
use utoipa::ToSchema;

use super::export::Names;
use super::out::TicketRowOut;
use super::shared::groups_of;
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiQuery;
use crate::state::AppState;

/// List parameters by name (a query string, or a saved view's filters).
pub type Params = BTreeMap<String, String>;

fn uuid_of(field: &str, v: &str) -> ApiResult<uuid::Uuid> {
    uuid::Uuid::parse_str(v).map_err(|_| ApiError::invalid(field.to_owned(), "not an id"))
}

fn time_of(field: &str, v: &str, zone: &TenantZone) -> ApiResult<i64> {
    parse_datetime(v, zone)
        .ok_or_else(|| ApiError::invalid(field.to_owned(), "must be a time (RFC 3339)"))
}

/// The filters among list parameters (also what a saved view keeps).
pub fn filter_from(params: &Params, zone: &TenantZone) -> ApiResult<TicketFilter> {
    let get = |k: &str| params.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let id = |k: &str| get(k).map(|v| uuid_of(k, v)).transpose();
    let text = get("text").unwrap_or_default();
    if text.chars().count() > 200 || get("q").is_some_and(|q| q.chars().count() > 100) {
        return Err(ApiError::invalid(
            "text",
            "search text is at most 200 characters",
        ));
    }
    let mut fields = Vec::new();
    for (k, v) in params {
        if let Some(code) = k.strip_prefix("f.") {
            FieldCode::parse(code).map_err(|e| ApiError::invalid(k.clone(), e.message))?;
            if !v.trim().is_empty() {
                fields.push((code.to_owned(), v.trim().to_owned()));
            }
        }
    }
    if fields.len() > 20 {
        return Err(ApiError::invalid("fields", "at most 20 field filters"));
    }
    Ok(TicketFilter {
        quick: get("q").map(str::to_owned),
        text: query_terms(text),
        status: get("status").map(str::to_owned),
        status_category: get("status_category")
            .map(StatusCategory::parse)
            .transpose()?,
        type_id: id("type_id")?.map(TicketTypeId),
        category_id: id("category_id")?.map(TicketCategoryId),
        group: id("group_id")?.map(SkillQueueId),
        assignee: id("assignee_id")?.map(UserId),
        priority: get("priority").map(str::to_owned),
        created_from: get("created_from")
            .map(|v| time_of("created_from", v, zone))
            .transpose()?,
        created_to: get("created_to")
            .map(|v| time_of("created_to", v, zone))
            .transpose()?,
        flag: get("flag").map(FlagColor::parse).transpose()?,
        fields,
    })
}

/// A saved view's filters (JSON values as parameters).
pub fn filter_from_map(map: &Map<String, Value>, zone: &TenantZone) -> ApiResult<Params> {
    let params: Params = map
        .iter()
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Null => String::new(),
                _ => return Err(ApiError::invalid(k.clone(), "filters are plain values")),
            };
            Ok((k.clone(), text))
        })
        .collect::<ApiResult<_>>()?;
    filter_from(&params, zone)?;
    Ok(params)
}

/// Which tickets the tab starts from; without a tab, all I may see.
async fn scope(state: &AppState, p: &Principal, tab: Option<&str>) -> ApiResult<Scope> {
    let me = p.user_id;
    Ok(match tab {
        Some("unassigned") => Scope::Unassigned(groups_of(state, p).await?),
        Some("processing") => Scope::Processing(me),
        Some("transferred") => Scope::Transferred(me),
        Some("completed") => Scope::Completed(me),
        Some("cc") => Scope::Cc(me),
        Some("created") => Scope::Created(me),
        Some("all") if p.may(Permission::TicketViewAll) => Scope::All,
        Some("all") => {
            return Err(ApiError::forbidden(
                "the 'all' tab needs the permission 'tickets.view_all'",
            ))
        }
        None if p.may(Permission::TicketViewAll) => Scope::All,
        None => Scope::VisibleTo(me, groups_of(state, p).await?),
        Some(_) => {
            return Err(ApiError::invalid(
                "tab",
                "unassigned, processing, transferred, completed, cc, created or all",
            ))
        }
    })
}

/// The whole list query from the request parameters (a `view` adds its saved filters).
async fn list_query(state: &AppState, p: &Principal, mut params: Params) -> ApiResult<TicketQuery> {
    if let Some(view) = params.get("view").cloned() {
        let id = TicketViewId(uuid_of("view", &view)?);
        let v = state
            .store
            .ticket_views(p.tenant_id, p.user_id)
            .await?
            .into_iter()
            .find(|v| v.id == id)
            .ok_or_else(|| ApiError::invalid("view", "no such view"))?;
        let saved: Value = serde_json::from_str(&v.definition).map_err(anyhow::Error::from)?;
        if let Some(filters) = saved["filters"].as_object() {
            for (k, v) in filter_from_map(filters, &p.zone)? {
                params.entry(k).or_insert(v);
            }
        }
    }
    let filter = filter_from(&params, &p.zone)?;
    let page = page_from(&params)?;
    Ok(TicketQuery {
        user: p.user_id,
        scope: scope(state, p, params.get("tab").map(String::as_str)).await?,
        filter,
        sort: page.sort,
        desc: page.desc,
        after: page.after,
        limit: page.limit,
    })
}

/// How a list is ordered and which page of it is asked for.
#[derive(Debug, PartialEq, Eq)]
pub struct Page {
    pub sort: SortKey,
    pub desc: bool,
    pub after: Option<(i64, TicketId)>,
    pub limit: u32,
}

/// The ordering and paging parameters: `sort`, `desc`, `cursor` and `limit`.
pub fn page_from(params: &Params) -> ApiResult<Page> {
    let sort = match params.get("sort").map(String::as_str) {
        None | Some("created") => SortKey::Created,
        Some("updated") => SortKey::Updated,
        Some("due") => SortKey::Due,
        Some("number") => SortKey::Number,
        Some(_) => return Err(ApiError::invalid("sort", "created, updated, due or number")),
    };
    let after = params
        .get("cursor")
        .map(|c| {
            let bad = || ApiError::invalid("cursor", "not a cursor from this list");
            let (v, id) = c.split_once('_').ok_or_else(bad)?;
            Ok::<_, ApiError>((
                v.parse::<i64>().map_err(|_| bad())?,
                TicketId(uuid_of("cursor", id)?),
            ))
        })
        .transpose()?;
    let limit = match params.get("limit") {
        Some(l) => l
            .parse::<u32>()
            .ok()
            .filter(|l| (1..=200).contains(l))
            .ok_or_else(|| ApiError::invalid("limit", "1-200"))?,
        None => 50,
    };
    Ok(Page {
        sort,
        desc: params.get("desc").is_none_or(|d| d != "false"),
        after,
        limit,
    })
}

/// Where a page ends: the sort value and id of its last row.
fn cursor_value(sort: SortKey, r: &switchboard_storage::TicketRow) -> (i64, TicketId) {
    let v = match sort {
        SortKey::Created => 0,
        SortKey::Updated => r.updated_at,
        SortKey::Due => r.due_at.unwrap_or(9_000_000_000_000_000),
        SortKey::Number => r.number,
    };
    (v, r.id)
}

fn cursor_of(sort: SortKey, r: &switchboard_storage::TicketRow) -> String {
    let (v, id) = cursor_value(sort, r);
    format!("{v}_{id}")
}

#[derive(Serialize, ToSchema)]
pub struct TicketPage {
    pub items: Vec<TicketRowOut>,
    #[schema(required)]
    pub next_cursor: Option<String>,
}

/// A tab, view or search, newest first by default; page on with `next_cursor`.
#[utoipa::path(get, path = "/api/v1/tickets", operation_id = "tickets_list", tag = "tickets", security(("bearer" = ["tickets.work"])),
    params(("tab" = Option<String>, Query), ("q" = Option<String>, Query), ("text" = Option<String>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = TicketPage), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    ApiQuery(params): ApiQuery<Params>,
) -> ApiResult<Json<TicketPage>> {
    let q = list_query(&state, &p, params).await?;
    let rows = state.store.list_tickets(p.tenant_id, &q).await?;
    let next_cursor = (rows.len() == q.limit as usize)
        .then(|| rows.last().map(|r| cursor_of(q.sort, r)))
        .flatten();
    Ok(Json(TicketPage {
        items: rows.iter().map(TicketRowOut::from).collect(),
        next_cursor,
    }))
}

/// How many tickets each tab holds.
#[utoipa::path(get, path = "/api/v1/tickets/counts", tag = "tickets", security(("bearer" = ["tickets.work"])),
    responses((status = 200, body = Object)))]
pub async fn counts(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
) -> ApiResult<Json<BTreeMap<&'static str, i64>>> {
    let mut tabs = vec![
        "unassigned",
        "processing",
        "transferred",
        "completed",
        "cc",
        "created",
    ];
    if p.may(Permission::TicketViewAll) {
        tabs.push("all");
    }
    let mut out = BTreeMap::new();
    for tab in tabs {
        let q = list_query(
            &state,
            &p,
            Params::from([("tab".to_owned(), tab.to_owned())]),
        )
        .await?;
        out.insert(tab, state.store.count_tickets(p.tenant_id, &q).await?);
    }
    Ok(Json(out))
}

/// Most rows one export holds.
const MAX_EXPORT: usize = 100_000;

/// Export a list or search to .xlsx or .csv (`format`), at most 100,000 rows: columns named
/// and options labelled in `lang` (`zh-CN`, the default, or `en`), times in the tenant's zone
/// with their offset.
#[utoipa::path(get, path = "/api/v1/tickets/export", tag = "tickets", security(("bearer" = ["tickets.work"])),
    params(("format" = String, Query), ("lang" = Option<String>, Query)), responses((status = 200, description = "the file"), (status = 400, body = ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    p: Can<perm::TicketWork>,
    ApiQuery(params): ApiQuery<Params>,
) -> ApiResult<impl IntoResponse> {
    let format = params
        .get("format")
        .cloned()
        .unwrap_or_else(|| "xlsx".into());
    if !["xlsx", "csv"].contains(&format.as_str()) {
        return Err(ApiError::invalid("format", "xlsx or csv"));
    }
    let lang = super::export::Lang::parse(params.get("lang").map(String::as_str))?;
    let mut q = list_query(&state, &p, params).await?;
    q.limit = 1000;
    let mut rows = Vec::new();
    loop {
        let page = state.store.list_tickets(p.tenant_id, &q).await?;
        let full = page.len() == q.limit as usize;
        q.after = page.last().map(|r| cursor_value(q.sort, r));
        rows.extend(page);
        if !full || rows.len() >= MAX_EXPORT {
            break;
        }
    }
    rows.truncate(MAX_EXPORT);
    let names = Names::load(&state, &p).await?;
    let ids: Vec<TicketId> = rows.iter().map(|r| r.id).collect();
    let values = state.store.ticket_values(p.tenant_id, &ids).await?;
    let table = super::export::table(&rows, &names, &values.into_iter().collect(), &p.zone, lang);
    let (body, content_type) = match format.as_str() {
        "csv" => (super::export::csv(&table), "text/csv; charset=utf-8"),
        _ => (
            super::export::xlsx(&table)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"tickets.{format}\""),
            ),
        ],
        body,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_engine::ticket::search::index_terms;

    /// Every input kept from the `search_query` fuzz target (a query string, or a saved
    /// view's filters when it starts with `{`) is read or refused, and the terms of what is
    /// read are found in the index of the text they came from.
    #[test]
    fn every_kept_query_is_read_or_refused() {
        let zone = TenantZone::parse("Asia/Shanghai").unwrap();
        for (name, bytes) in crate::fuzz_regressions("search_query") {
            if bytes.first() == Some(&b'{') {
                if let Ok(Value::Object(filters)) = serde_json::from_slice::<Value>(&bytes) {
                    if let Ok(params) = filter_from_map(&filters, &zone) {
                        assert!(filter_from(&params, &zone).is_ok(), "{name}");
                    }
                }
                continue;
            }
            let Ok(params) = crate::extract::query_of::<Params>(&bytes) else {
                continue;
            };
            let _ = page_from(&params);
            if filter_from(&params, &zone).is_ok() {
                for text in params.values() {
                    let index = index_terms(text);
                    for term in query_terms(text) {
                        assert!(
                            index
                                .split(' ')
                                .any(|i| i == term.text
                                    || (term.prefix && i.starts_with(&term.text))),
                            "{name}: {term:?}"
                        );
                    }
                }
            }
        }
    }
}
