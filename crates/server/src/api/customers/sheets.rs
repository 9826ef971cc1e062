//! The directory in spreadsheets (`customers.import_export`): export of the (searched)
//! directory as .xlsx or .csv, a generated import template, and import all or nothing with a
//! per-row, per-column report — the same sheet reading, report, template and file writing as
//! the user and ticket imports (`sheets.rs`, `api/import.rs`, `api/tickets/export.rs`).

use std::collections::{BTreeMap, HashSet};

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{Map, Value};
use switchboard_engine::CustomerId;
use switchboard_storage::{CustomerQuery, CustomerWrite, DirectoryCustomer, KeyKind};

use super::fields::{CustomerFieldDefs, CustomerFieldType};
use super::record::{checked, host_id, CustomerIn};
use super::{search_terms, CustomerFilter};
use crate::api::import::{read_upload, sheet_error, ImportResult, Report};
use crate::api::tickets::export::{csv, xlsx_sheet, Lang};
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiMultipart, ApiQuery};
use crate::sheets::{self, TemplateColumn};
use crate::state::AppState;

const MAX_ROWS: usize = 20_000;
const MAX_EXPORT: usize = 100_000;
const MAX_PROBLEMS: usize = 1000;

/// The record's own columns: (code, Chinese, English, the template's note).
const COLUMNS: [(&str, &str, &str, &str); 6] = [
    ("name", "姓名", "Name", "选填 optional"),
    (
        "phones",
        "电话",
        "Phone numbers",
        "多个用 ; 分隔 several separated by ;",
    ),
    (
        "emails",
        "邮箱",
        "E-mails",
        "多个用 ; 分隔 several separated by ;",
    ),
    ("host_id", "网站用户ID", "Website user ID", "选填 optional"),
    (
        "tags",
        "标签",
        "Tags",
        "多个用 ; 分隔 several separated by ;",
    ),
    ("notes", "备注", "Notes", "选填 optional"),
];

fn list(cell: &str) -> Vec<String> {
    cell.split([';', '；', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn row_of(c: &DirectoryCustomer, defs: &CustomerFieldDefs) -> Vec<String> {
    let fields: Map<String, Value> = serde_json::from_str(&c.fields).unwrap_or_default();
    let mut row = vec![
        c.name.clone().unwrap_or_default(),
        c.phones.join("; "),
        c.emails.join("; "),
        host_id(c).unwrap_or_default().to_owned(),
        c.tags.join("; "),
        c.notes.clone(),
    ];
    row.extend(defs.fields.iter().map(|d| match fields.get(&d.code) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }));
    row
}

fn header_row(defs: &CustomerFieldDefs, lang: Lang) -> Vec<String> {
    let own = COLUMNS.iter().map(|(_, zh, en, _)| match lang {
        Lang::Zh => (*zh).to_owned(),
        Lang::En => (*en).to_owned(),
    });
    let custom = defs.fields.iter().map(|d| match (lang, &d.label_en) {
        (Lang::En, Some(en)) => en.clone(),
        _ => d.label.clone(),
    });
    own.chain(custom).collect()
}

fn file(format: &str, table: &[Vec<String>], name: &str) -> ApiResult<impl IntoResponse> {
    let (bytes, kind) = match format {
        "csv" => (csv(table), "text/csv; charset=utf-8"),
        _ => (
            xlsx_sheet(table, "customers")?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    };
    let disposition = format!("attachment; filename=\"{name}.{format}\"");
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    ))
}

/// Export the directory (or what `q` finds) as .xlsx or .csv (`format`), newest-updated first,
/// at most 100,000, headed in `lang` (`zh-CN`, the default, or `en`).
#[utoipa::path(get, path = "/api/v1/customers/export", operation_id = "customers_export", tag = "customers",
    security(("bearer" = ["customers.import_export"])),
    params(("format" = String, Query), ("lang" = Option<String>, Query), ("q" = Option<String>, Query)),
    responses((status = 200, description = "the file"), (status = 400, body = ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    p: Can<perm::CustomerImportExport>,
    ApiQuery(params): ApiQuery<BTreeMap<String, String>>,
) -> ApiResult<impl IntoResponse> {
    let format = params
        .get("format")
        .map_or("xlsx", String::as_str)
        .to_owned();
    if !["xlsx", "csv"].contains(&format.as_str()) {
        return Err(ApiError::invalid("format", "xlsx or csv"));
    }
    let lang = Lang::parse(params.get("lang").map(String::as_str))?;
    let filter = CustomerFilter {
        q: params.get("q").cloned(),
        offset: None,
        limit: None,
    };
    super::query_of(&filter)?;
    let defs = CustomerFieldDefs::load(&state, p.tenant_id).await?;
    let mut table = vec![header_row(&defs, lang)];
    let mut q = CustomerQuery {
        terms: search_terms(filter.q.as_deref().unwrap_or_default()),
        offset: 0,
        limit: 500,
    };
    loop {
        let page = state.store.search_customers(p.tenant_id, &q).await?;
        table.extend(page.iter().map(|c| row_of(c, &defs)));
        if page.len() < q.limit as usize || table.len() > MAX_EXPORT {
            break;
        }
        q.offset += q.limit;
    }
    file(&format, &table, "customers")
}

/// The import template (.xlsx): row 1 the column codes, row 2 their labels, one customer a row
/// from row 3; option fields as dropdowns.
#[utoipa::path(get, path = "/api/v1/customers/import-template", operation_id = "customers_import_template", tag = "customers",
    security(("bearer" = ["customers.import_export"])),
    responses((status = 200, description = "the .xlsx template")))]
pub async fn template(
    State(state): State<AppState>,
    p: Can<perm::CustomerImportExport>,
) -> ApiResult<impl IntoResponse> {
    let defs = CustomerFieldDefs::load(&state, p.tenant_id).await?;
    let mut cols: Vec<TemplateColumn<'_>> = COLUMNS
        .iter()
        .map(|(code, zh, _, note)| TemplateColumn {
            code,
            label: zh,
            note,
            options: None,
        })
        .collect();
    let notes: Vec<&str> = defs
        .fields
        .iter()
        .map(|d| match d.field_type {
            CustomerFieldType::Text => "文本 text",
            CustomerFieldType::Number => "数字 number",
            CustomerFieldType::Date => "日期 YYYY-MM-DD date",
            CustomerFieldType::Option => "从列表选择 one of the list",
        })
        .collect();
    cols.extend(
        defs.fields
            .iter()
            .zip(&notes)
            .map(|(d, note)| TemplateColumn {
                code: &d.code,
                label: &d.label,
                note,
                options: (d.field_type == CustomerFieldType::Option).then(|| d.options.clone()),
            }),
    );
    let bytes = sheets::xlsx_template_with(
        &cols,
        &[
            "第 1 行是列编码, 第 2 行是列名称, 从第 3 行起每行一位客户。Row 1 holds column codes, row 2 labels; one customer per row from row 3.",
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
                "attachment; filename=\"customer-import.xlsx\"",
            ),
        ],
        bytes,
    ))
}

/// One row as the record the API takes: text cells, numbers of number fields read as numbers.
fn row_input(header: &[String], cells: &[String], defs: &CustomerFieldDefs) -> CustomerIn {
    let mut c = CustomerIn {
        name: None,
        phones: Vec::new(),
        emails: Vec::new(),
        host_id: None,
        tags: Vec::new(),
        notes: String::new(),
        fields: Map::new(),
    };
    for (h, cell) in header.iter().zip(cells) {
        let cell = cell.trim();
        if cell.is_empty() {
            continue;
        }
        match h.as_str() {
            "name" => c.name = Some(cell.to_owned()),
            "phones" => c.phones = list(cell),
            "emails" => c.emails = list(cell),
            "host_id" => c.host_id = Some(cell.to_owned()),
            "tags" => c.tags = list(cell),
            "notes" => c.notes = cell.to_owned(),
            code => {
                let number = defs
                    .fields
                    .iter()
                    .any(|d| d.code == code && d.field_type == CustomerFieldType::Number);
                let v = match cell.parse::<f64>().ok().filter(|_| number) {
                    Some(n) => serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number),
                    None => Value::String(cell.to_owned()),
                };
                c.fields.insert(code.to_owned(), v);
            }
        }
    }
    c
}

/// The report's column for an API field (`phones[0]` → `phones`, `fields.level` → `level`).
fn column_of(field: &str) -> String {
    let field = field.strip_prefix("fields.").unwrap_or(field);
    field.split('[').next().unwrap_or(field).to_owned()
}

/// Refuses keys another row of the file or a stored customer already holds.
async fn check_keys(
    state: &AppState,
    p: &Can<perm::CustomerImportExport>,
    row: usize,
    w: &CustomerWrite,
    seen: &mut HashSet<String>,
    report: &mut Report,
) -> ApiResult<()> {
    let keys = (w.phones.iter().map(|v| (KeyKind::Phone, "phones", v)))
        .chain(w.emails.iter().map(|v| (KeyKind::Email, "emails", v)));
    for (kind, column, value) in keys {
        if !seen.insert(format!("{}:{value}", kind.code())) {
            report.add(row, column, format!("{value} is on an earlier row"));
        } else if state
            .store
            .customer_by_key(p.tenant_id, kind, value)
            .await?
            .is_some()
        {
            report.add(row, column, format!("another customer has {value}"));
        }
    }
    Ok(())
}

/// Import customers from .xlsx or .csv: all rows or none, with a per-row report.
#[utoipa::path(post, path = "/api/v1/customers/import", operation_id = "customers_import", tag = "customers",
    security(("bearer" = ["customers.import_export"])), request_body(content_type = "multipart/form-data"),
    responses((status = 200, body = ImportResult), (status = 422, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    p: Can<perm::CustomerImportExport>,
    ApiMultipart(multipart): ApiMultipart,
) -> ApiResult<Json<ImportResult>> {
    let defs = CustomerFieldDefs::load(&state, p.tenant_id).await?;
    let bytes = read_upload(multipart).await?;
    let sheet = sheets::read(&bytes, MAX_ROWS).map_err(sheet_error)?;
    let mut report = Report::default();
    let known =
        |h: &str| COLUMNS.iter().any(|c| c.0 == h) || defs.fields.iter().any(|d| d.code == h);
    for h in sheet.header.iter().filter(|h| !h.is_empty() && !known(h)) {
        report.add(1, h, "not a column of the customer template");
    }
    let labels = header_row(&defs, Lang::Zh);
    let mut rows = Vec::with_capacity(sheet.rows.len());
    let mut seen = HashSet::new();
    for (row, cells) in &sheet.rows {
        // The label row of our own template.
        let labels_of = |h: &String| {
            COLUMNS
                .iter()
                .position(|c| c.0 == h)
                .map(|i| labels[i].clone())
        };
        if *row == 2
            && sheet.header.iter().zip(cells).all(|(h, c)| {
                c.trim().is_empty()
                    || labels_of(h).as_deref() == Some(c.trim())
                    || defs
                        .fields
                        .iter()
                        .any(|d| d.code == *h && d.label == c.trim())
            })
        {
            continue;
        }
        if report.0.len() >= MAX_PROBLEMS {
            break;
        }
        match checked(&row_input(&sheet.header, cells, &defs), &defs) {
            Ok(w) => {
                check_keys(&state, &p, *row, &w, &mut seen, &mut report).await?;
                rows.push((CustomerId::new(), w));
            }
            Err(ApiError::Client { field, message, .. }) => {
                report.add(*row, &column_of(field.as_deref().unwrap_or("")), message);
            }
            Err(other) => return Err(other),
        }
    }
    if !report.0.is_empty() {
        return Err(ApiError::ImportRejected(report.0));
    }
    if rows.is_empty() {
        return Err(ApiError::invalid("file", "the sheet has no customer rows"));
    }
    let now = state.clock.now_ms();
    let created = state
        .store
        .import_customers(p.tenant_id, &rows, now)
        .await
        .map_err(ApiError::on_conflict(
            "file",
            "a number or e-mail was taken meanwhile; import again",
        ))?;
    Ok(Json(ImportResult { created }))
}
