//! Importing tickets from a spreadsheet (T8): a template generated from a type (and template),
//! and an upload where every row is checked first — one bad cell refuses the whole file with
//! a per-row, per-column report, and nothing is created.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use serde_json::json;
use switchboard_engine::ticket::rules::TicketEvent;
use switchboard_engine::ticket::{FieldDef, FieldType, RawValue, TicketSchema};
use switchboard_engine::{ContactId, SkillQueueId, TicketTypeId, UserId};
use switchboard_storage::{NewTrail, Principal, Ticket};

use super::automation::{run_rules, RuleTenant};
use super::config::TemplateOut;
use super::shared::load_type;
use super::work::{check_placement, new_ticket, phone_of, Placement};
use crate::api::import::{read_upload, sheet_error, ImportResult, Report};
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiMultipart, ApiQuery};
use crate::sheets::{self, TemplateColumn};
use crate::state::AppState;

/// The labels of the two columns that say who gets the tickets (row 2 of the template).
const GROUP_LABEL: &str = "技能组 Skill group";
const ASSIGNEE_LABEL: &str = "处理人 Assignee";

/// Most rows one import may create, and the largest file.
pub const MAX_ROWS: usize = 100_000;
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// A report lists at most this many problems.
const MAX_PROBLEMS: usize = 1000;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Target {
    pub type_id: uuid::Uuid,
    pub template_id: Option<uuid::Uuid>,
    pub category_id: Option<uuid::Uuid>,
}

/// The columns of a sheet: the template's fields (or the type's), then who gets the tickets.
async fn columns(
    state: &AppState,
    p: &Principal,
    q: &Target,
) -> ApiResult<(TicketSchema, Vec<FieldDef>)> {
    let (ticket_type, schema) = load_type(state, p.tenant_id, TicketTypeId(q.type_id)).await?;
    if !ticket_type.active {
        return Err(ApiError::invalid(
            "type_id",
            "this ticket type is no longer in use",
        ));
    }
    check_placement(
        state,
        p,
        ticket_type.id,
        q.template_id,
        q.category_id,
        None,
        None,
    )
    .await?;
    let codes: Vec<String> = match q.template_id {
        Some(id) => {
            let all = state
                .store
                .ticket_templates(p.tenant_id, Some(ticket_type.id))
                .await?;
            let t = all
                .iter()
                .find(|t| t.id.0 == id)
                .ok_or_else(|| ApiError::invalid("template_id", "no such template"))?;
            TemplateOut::new(t)?.codes()
        }
        None => schema.fields.iter().map(|f| f.code.to_string()).collect(),
    };
    let defs = codes
        .iter()
        .filter_map(|c| schema.field(c))
        .filter(|f| f.field_type != FieldType::Attachment)
        .cloned()
        .collect();
    Ok((schema, defs))
}

fn note_for(f: &FieldDef) -> String {
    let rule = match f.field_type {
        FieldType::Date => "YYYY-MM-DD",
        FieldType::DateTime => "YYYY-MM-DD HH:MM (UTC+8) or RFC 3339",
        FieldType::MultiSelect => "选项用 ; 分隔 options separated by ;",
        FieldType::Cascade => "路径用 / 分隔, 如 广东/深圳 path separated by /",
        FieldType::Number => "数字 number",
        FieldType::Phone => "电话 phone number",
        FieldType::Email => "邮箱 email",
        _ => "",
    };
    let required = if f.required {
        "必填 required"
    } else {
        "选填 optional"
    };
    format!("{required}. {rule}")
}

/// Download the import template for a type (and template).
#[utoipa::path(get, path = "/api/v1/tickets/import-template", tag = "tickets", security(("bearer" = ["tickets.import_export"])), params(Target),
    responses((status = 200, description = "the .xlsx template"), (status = 400, body = ErrorBody)))]
pub async fn template(
    State(state): State<AppState>,
    p: Can<perm::TicketImportExport>,
    ApiQuery(q): ApiQuery<Target>,
) -> ApiResult<impl IntoResponse> {
    let (_, defs) = columns(&state, &p, &q).await?;
    let notes: Vec<String> = defs.iter().map(note_for).collect();
    let option_labels = |f: &FieldDef| match f.field_type {
        FieldType::SingleSelect => Some(f.options.iter().map(|o| o.label.clone()).collect()),
        _ => None,
    };
    let groups: Vec<String> = state
        .store
        .skill_queues(p.tenant_id)
        .await?
        .into_iter()
        .map(|q| q.spec.name.as_str().to_owned())
        .collect();
    let mut cols: Vec<TemplateColumn<'_>> = defs
        .iter()
        .zip(&notes)
        .map(|(f, note)| TemplateColumn {
            code: f.code.as_str(),
            label: &f.label,
            note,
            options: option_labels(f),
        })
        .collect();
    cols.push(TemplateColumn {
        code: "group",
        label: GROUP_LABEL,
        note: "选填: 工单进入该组待申领 optional: the group that claims it",
        options: Some(groups),
    });
    cols.push(TemplateColumn {
        code: "assignee",
        label: ASSIGNEE_LABEL,
        note: "选填: 登录名 optional: a login name",
        options: None,
    });
    let bytes = sheets::xlsx_template_with(
        &cols,
        &[
            "第 1 行是字段编码, 第 2 行是字段名称, 从第 3 行起每行一张工单。Row 1 holds field codes, row 2 labels; one ticket per row from row 3.",
            "任何一行有错, 整个文件都不会导入, 并返回逐行逐列的错误报告。If any row is wrong nothing is imported and you get a per-row, per-column report.",
            "不要使用公式。Do not use formulas.",
        ],
        true,
    )?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"ticket-import.xlsx\"",
            ),
        ],
        bytes,
    ))
}

/// Who a row's tickets go to, from its `group` and `assignee` cells.
struct Directory {
    groups: Vec<(String, SkillQueueId)>,
    users: Vec<(String, UserId)>,
}

/// Import tickets from .xlsx or .csv: all rows or none.
#[utoipa::path(post, path = "/api/v1/tickets/import", operation_id = "tickets_import", tag = "tickets", security(("bearer" = ["tickets.import_export"])), params(Target),
    request_body(content_type = "multipart/form-data"),
    responses((status = 200, body = ImportResult), (status = 422, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    p: Can<perm::TicketImportExport>,
    ApiQuery(q): ApiQuery<Target>,
    ApiMultipart(multipart): ApiMultipart,
) -> ApiResult<Json<ImportResult>> {
    let (schema, _) = columns(&state, &p, &q).await?;
    let started = std::time::Instant::now();
    let bytes = read_upload(multipart).await?;
    let sheet = sheets::read_limited(&bytes, MAX_BYTES, MAX_ROWS).map_err(sheet_error)?;
    let mut report = Report::default();
    let known = |h: &str| h == "group" || h == "assignee" || schema.field(h).is_some();
    for h in sheet.header.iter().filter(|h| !h.is_empty() && !known(h)) {
        report.add(1, h, "not a field code of this ticket type");
    }
    let labels: Vec<String> = sheet
        .header
        .iter()
        .map(|h| match h.as_str() {
            "group" => GROUP_LABEL.to_owned(),
            "assignee" => ASSIGNEE_LABEL.to_owned(),
            code => schema
                .field(code)
                .map(|f| f.label.clone())
                .unwrap_or_default(),
        })
        .collect();
    let directory = Directory {
        groups: state
            .store
            .skill_queues(p.tenant_id)
            .await?
            .into_iter()
            .map(|g| (g.spec.name.as_str().to_owned(), g.id))
            .collect(),
        users: state
            .store
            .users(p.tenant_id)
            .await?
            .into_iter()
            .filter(|u| u.active)
            .map(|u| (u.login.as_str().to_owned(), u.id))
            .collect(),
    };
    let now = state.clock.now_ms();
    let mut tickets = Vec::with_capacity(sheet.rows.len());
    for (row, cells) in &sheet.rows {
        // The label row of our own template.
        if *row == 2
            && cells
                .iter()
                .zip(&labels)
                .all(|(c, l)| c.trim().is_empty() || c.trim() == l)
        {
            continue;
        }
        if report.0.len() >= MAX_PROBLEMS {
            break;
        }
        if let Some(t) = row_ticket(
            &schema,
            &directory,
            &sheet.header,
            *row,
            cells,
            &p,
            &q,
            now,
            &mut report,
        ) {
            tickets.push(t);
        }
    }
    if !report.0.is_empty() {
        return Err(ApiError::ImportRejected(report.0));
    }
    if tickets.is_empty() {
        return Err(ApiError::invalid("file", "the sheet has no ticket rows"));
    }
    let checked = started.elapsed();
    let mut batch = Vec::with_capacity(tickets.len());
    for mut t in tickets {
        let outcome = run_rules(
            &state,
            RuleTenant::of(&p),
            &schema,
            &mut t,
            &[TicketEvent::Created],
            now,
        )
        .await?;
        let mut trail = vec![NewTrail {
            at: now,
            actor: Some(p.user_id),
            action: "imported".into(),
            detail: json!({}).to_string(),
        }];
        trail.extend(outcome.trail);
        batch.push((t, Vec::<ContactId>::new(), trail));
    }
    let ruled = started.elapsed();
    let created = state.store.create_tickets(p.tenant_id, &batch).await?;
    // Everyone with a ticket is in the customer directory, imported tickets too.
    let phones: std::collections::BTreeSet<&str> = created.iter().filter_map(phone_of).collect();
    for phone in phones {
        crate::api::customers::record::note_number(&state, p.tenant_id, phone).await;
    }
    tracing::info!(
        rows = created.len(),
        read_and_checked_ms = checked.as_millis() as u64,
        rules_ms = (ruled - checked).as_millis() as u64,
        stored_ms = (started.elapsed() - ruled).as_millis() as u64,
        "tickets imported"
    );
    Ok(Json(ImportResult {
        created: created.len(),
    }))
}

/// One row as a ticket, or its problems in the report.
#[allow(clippy::too_many_arguments)]
fn row_ticket(
    schema: &TicketSchema,
    dir: &Directory,
    header: &[String],
    row: usize,
    cells: &[String],
    p: &Principal,
    q: &Target,
    now: i64,
    report: &mut Report,
) -> Option<Ticket> {
    let cell = |code: &str| {
        header
            .iter()
            .position(|h| h == code)
            .and_then(|i| cells.get(i))
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
    };
    let before = report.0.len();
    let input: Vec<(String, RawValue)> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| schema.field(h).is_some())
        .map(|(i, h)| {
            (
                h.clone(),
                RawValue::Text(cells.get(i).cloned().unwrap_or_default()),
            )
        })
        .collect();
    let mut values = Default::default();
    for (code, raw) in &input {
        if let Err(e) = schema.apply(
            &mut values,
            std::slice::from_ref(&(code.clone(), raw.clone())),
            &p.zone,
        ) {
            report.add(row, code, e.message);
        }
    }
    for f in &schema.fields {
        if !values.contains_key(&f.code) {
            if let Some(d) = &f.default {
                values.insert(f.code.clone(), d.clone());
            }
        }
        let reported = report.0[before..]
            .iter()
            .any(|e| e.column == f.code.as_str());
        if f.required && !values.contains_key(&f.code) && !reported {
            report.add(row, f.code.as_str(), "is required");
        }
    }
    let group = cell("group").and_then(|g| {
        let found = dir.groups.iter().find(|(n, _)| n == g).map(|(_, id)| *id);
        if found.is_none() {
            report.add(row, "group", format!("no skill group named '{g}'"));
        }
        found
    });
    let assignee = cell("assignee").and_then(|a| {
        let found = dir
            .users
            .iter()
            .find(|(l, _)| l.eq_ignore_ascii_case(a))
            .map(|(_, id)| *id);
        if found.is_none() {
            report.add(row, "assignee", format!("no active user with login '{a}'"));
        }
        found
    });
    if report.0.len() > before {
        return None;
    }
    let place = Placement {
        template: q.template_id.map(switchboard_engine::TicketTemplateId),
        category: q.category_id.map(switchboard_engine::TicketCategoryId),
        group,
        assignee,
    };
    Some(new_ticket(
        schema,
        TicketTypeId(q.type_id),
        &place,
        Some(p.user_id),
        values,
        now,
    ))
}
