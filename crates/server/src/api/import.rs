//! Bulk user import from .csv or .xlsx (A2): every row is checked first; one bad row
//! refuses the whole file with a per-row, per-column report, and nothing is written.

use std::collections::{HashMap, HashSet};

use axum::extract::{Multipart, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde::Serialize;
use switchboard_engine::{
    AgentParams, AgentSignInMode, ChatLimit, LoginName, Password, PersonName, RoleId,
};
use switchboard_storage::NewUser;
use utoipa::ToSchema;

use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody, RowError};
use crate::extract::{too_large, ApiMultipart};
use crate::passwords::Passwords;
use crate::sheets::{self, SheetError, TemplateColumn};
use crate::state::AppState;

/// Most users one file may create.
pub const MAX_ROWS: usize = 2000;

const COLUMNS: [(&str, &str, &str, bool); 8] = [
    (
        "login",
        "登录名 Login name",
        "required; letters, digits, . _ - @ +; often a phone number or email",
        true,
    ),
    ("real_name", "真实姓名 Real name", "required", true),
    (
        "display_name",
        "对外展示名 Display name",
        "required; the name customers see",
        true,
    ),
    (
        "chat_limit",
        "在线接待上限 Concurrent chat limit",
        "required; 0-50",
        true,
    ),
    (
        "roles",
        "角色 Roles",
        "role names separated by ';', e.g. agent",
        false,
    ),
    (
        "password",
        "初始密码 Initial password",
        "required; 8-128 characters; changed at first login",
        true,
    ),
    (
        "sign_in_mode",
        "签入技能方式 Sign-in skill mode",
        "automatic (default) or specified",
        false,
    ),
    (
        "auto_answer",
        "自动应答 Auto-answer",
        "true or false (default false)",
        false,
    ),
];

#[derive(Serialize, ToSchema)]
pub struct ImportResult {
    pub created: usize,
}

/// Problems found so far, in sheet order.
#[derive(Default)]
pub(crate) struct Report(pub(crate) Vec<RowError>);

impl Report {
    pub(crate) fn add(&mut self, row: usize, column: &str, message: impl Into<String>) {
        self.0.push(RowError {
            row,
            column: column.to_owned(),
            message: message.into(),
        });
    }

    /// Keeps valid values, records domain-rule violations under `column`.
    fn valid<T>(
        &mut self,
        row: usize,
        column: &str,
        r: Result<T, switchboard_engine::ValidationError>,
    ) -> Option<T> {
        self.check(row, column, r.map_err(|e| e.message))
    }

    /// Keeps `Ok` values, records `Err` messages.
    fn check<T, E: std::fmt::Display>(
        &mut self,
        row: usize,
        column: &str,
        r: Result<T, E>,
    ) -> Option<T> {
        r.map_err(|e| self.add(row, column, e.to_string())).ok()
    }
}

pub(crate) async fn read_upload(mut multipart: Multipart) -> ApiResult<Vec<u8>> {
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        if field.name() == Some("file") {
            return Ok(field.bytes().await.map_err(multipart_error)?.to_vec());
        }
    }
    Err(ApiError::invalid(
        "file",
        "send the spreadsheet in a multipart field named 'file'",
    ))
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        ApiError::client(StatusCode::BAD_REQUEST, "invalid_upload", e.body_text())
    }
}

pub(crate) fn sheet_error(e: SheetError) -> ApiError {
    match e {
        SheetError::TooLarge => too_large(),
        SheetError::UnknownFormat => ApiError::client(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            e.to_string(),
        ),
        other => ApiError::invalid("file", other.to_string()),
    }
}

/// Maps each known column code to its index; refuses missing required and unknown columns.
fn column_index(header: &[String]) -> ApiResult<HashMap<&'static str, usize>> {
    let mut index = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        let Some((code, ..)) = COLUMNS
            .iter()
            .find(|(code, ..)| code.eq_ignore_ascii_case(h))
        else {
            return Err(ApiError::invalid(
                "file",
                format!("unknown column '{h}'; the columns are: {}", codes()),
            ));
        };
        if index.insert(*code, i).is_some() {
            return Err(ApiError::invalid(
                "file",
                format!("column '{code}' appears twice"),
            ));
        }
    }
    if let Some((code, ..)) = COLUMNS
        .iter()
        .find(|(code, _, _, required)| *required && !index.contains_key(code))
    {
        return Err(ApiError::invalid(
            "file",
            format!("missing column '{code}'; the columns are: {}", codes()),
        ));
    }
    Ok(index)
}

fn codes() -> String {
    COLUMNS.iter().map(|c| c.0).collect::<Vec<_>>().join(", ")
}

struct RowUser {
    login: LoginName,
    real_name: PersonName,
    display_name: PersonName,
    chat_limit: ChatLimit,
    role_ids: Vec<RoleId>,
    password: Password,
    agent_params: AgentParams,
}

/// Validates one row; records every problem in `report`.
fn parse_row(
    row: usize,
    cell: impl Fn(&str) -> String,
    roles: &HashMap<String, RoleId>,
    report: &mut Report,
) -> Option<RowUser> {
    let login = report.valid(row, "login", LoginName::parse(&cell("login")));
    let real_name = report.valid(row, "real_name", PersonName::parse(&cell("real_name")));
    let display_name = report.valid(
        row,
        "display_name",
        PersonName::parse(&cell("display_name")),
    );
    let chat_limit = report.check(
        row,
        "chat_limit",
        cell("chat_limit")
            .trim()
            .parse::<i64>()
            .map_err(|_| "must be a whole number".to_owned())
            .and_then(|n| ChatLimit::new(n).map_err(|e| e.message)),
    );
    let mut role_ids = Some(Vec::new());
    for name in cell("roles")
        .split([';', '；', ','])
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        match roles.get(name) {
            Some(id) => role_ids.iter_mut().for_each(|ids| ids.push(*id)),
            None => {
                report.add(row, "roles", format!("unknown role '{name}'"));
                role_ids = None;
            }
        }
    }
    let password = report.valid(row, "password", Password::parse(&cell("password")));
    let mode = cell("sign_in_mode");
    let sign_in_mode = if mode.trim().is_empty() {
        Some(AgentSignInMode::Automatic)
    } else {
        report.valid(row, "sign_in_mode", AgentSignInMode::parse(mode.trim()))
    };
    let auto_answer = match cell("auto_answer").trim().to_lowercase().as_str() {
        "" | "false" | "no" | "0" | "否" => Some(false),
        "true" | "yes" | "1" | "是" => Some(true),
        _ => {
            report.add(row, "auto_answer", "must be true or false");
            None
        }
    };
    Some(RowUser {
        login: login?,
        real_name: real_name?,
        display_name: display_name?,
        chat_limit: chat_limit?,
        role_ids: role_ids?,
        password: password?,
        agent_params: AgentParams {
            sign_in_mode: sign_in_mode?,
            auto_answer: auto_answer?,
        },
    })
}

/// Hashes every password on the server's password pool (all its workers, none beyond).
async fn hash_all(passwords: &Passwords, users: Vec<RowUser>) -> ApiResult<Vec<NewUser>> {
    let hashes = users
        .iter()
        .map(|u| passwords.hash_waiting(u.password.clone()));
    let hashes = futures_util::future::try_join_all(hashes).await?;
    Ok(users
        .into_iter()
        .zip(hashes)
        .map(|(u, password_hash)| NewUser {
            password_hash,
            login: u.login,
            real_name: u.real_name,
            display_name: u.display_name,
            chat_limit: u.chat_limit,
            role_ids: u.role_ids,
            must_change_password: true,
            agent_params: u.agent_params,
        })
        .collect())
}

/// Import users from a .csv or .xlsx file (multipart field `file`, at most 5 MB and 2000
/// rows). All rows are created, or none.
#[utoipa::path(post, path = "/api/v1/users/import", operation_id = "users_import", tag = "users", security(("bearer" = ["users.manage"])),
    request_body(content_type = "multipart/form-data", description = "field `file`: .csv or .xlsx"),
    responses((status = 200, body = ImportResult), (status = 400, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, description = "rows with problems; nothing imported", body = ErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    p: Can<perm::ManageUsers>,
    ApiMultipart(multipart): ApiMultipart,
) -> ApiResult<Json<ImportResult>> {
    let bytes = read_upload(multipart).await?;
    let sheet = sheets::read(&bytes, MAX_ROWS).map_err(sheet_error)?;
    if sheet.rows.is_empty() {
        return Err(ApiError::invalid(
            "file",
            "the spreadsheet has no data rows",
        ));
    }
    let index = column_index(&sheet.header)?;
    let roles: HashMap<String, RoleId> = state
        .store
        .roles(p.tenant_id)
        .await?
        .into_iter()
        .map(|r| (r.name.to_string(), r.id))
        .collect();
    let mut taken: HashSet<String> = state
        .store
        .users(p.tenant_id)
        .await?
        .into_iter()
        .map(|u| u.login.to_string())
        .collect();
    let mut report = Report::default();
    let mut users = Vec::new();
    for (row, cells) in &sheet.rows {
        let cell = |code: &str| {
            index
                .get(code)
                .and_then(|i| cells.get(*i))
                .cloned()
                .unwrap_or_default()
        };
        if let Some(user) = parse_row(*row, cell, &roles, &mut report) {
            if taken.insert(user.login.to_string()) {
                users.push(user);
            } else {
                report.add(
                    *row,
                    "login",
                    format!("login '{}' is already taken", user.login),
                );
            }
        }
    }
    if !report.0.is_empty() {
        return Err(ApiError::ImportRejected(report.0));
    }
    let new_users = hash_all(&state.passwords, users).await?;
    let created = state
        .store
        .create_users(p.tenant_id, &new_users, state.clock.now_ms())
        .await
        .map_err(ApiError::on_conflict(
            "file",
            "a login in the file was taken meanwhile; nothing was imported",
        ))?;
    tracing::info!(tenant = %p.tenant_name, created = created.len(), "users imported");
    let engine = super::contacts::engine(&state, p.tenant_id).await?;
    for user in &created {
        // New users are bound to no queue yet, so telling the engine about them suffices.
        let config = crate::engines::agent_config(user);
        engine
            .apply(switchboard_engine::acd::Command::UpsertAgent(config))
            .await?;
    }
    Ok(Json(ImportResult {
        created: created.len(),
    }))
}

fn template_columns(role_names: Vec<String>) -> Vec<TemplateColumn<'static>> {
    COLUMNS
        .iter()
        .map(|(code, label, note, _)| TemplateColumn {
            code,
            label,
            note,
            options: match *code {
                "roles" => Some(role_names.clone()),
                "sign_in_mode" => Some(vec!["automatic".into(), "specified".into()]),
                "auto_answer" => Some(vec!["true".into(), "false".into()]),
                _ => None,
            },
        })
        .collect()
}

/// The user import template as CSV (header row of column codes).
#[utoipa::path(get, path = "/api/v1/users/import/template.csv", tag = "users", security(("bearer" = ["users.manage"])),
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn template_csv(_p: Can<perm::ManageUsers>) -> ApiResult<impl IntoResponse> {
    let header: Vec<&str> = COLUMNS.iter().map(|c| c.0).collect();
    let body = format!("\u{feff}{}\r\n", header.join(","));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"users-template.csv\"",
            ),
        ],
        body,
    ))
}

/// The user import template as .xlsx, with dropdowns and an instructions sheet.
#[utoipa::path(get, path = "/api/v1/users/import/template.xlsx", tag = "users", security(("bearer" = ["users.manage"])),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn template_xlsx(
    State(state): State<AppState>,
    p: Can<perm::ManageUsers>,
) -> ApiResult<impl IntoResponse> {
    let roles = state
        .store
        .roles(p.tenant_id)
        .await?
        .into_iter()
        .map(|r| r.name.to_string())
        .collect();
    let instructions = [
        "批量导入人员 / Bulk user import",
        "第一行是字段编码,请勿修改;从第二行起每行一个人员。 Row 1 holds the field codes: keep it. One user per row below it.",
        "任何一行有错误时整个文件都不会导入,并返回逐行错误报告。 If any row has a problem nothing is imported and you get a per-row report.",
        "初始密码在首次登录时必须修改。 Initial passwords must be changed at first login.",
    ];
    let bytes = sheets::xlsx_template(&template_columns(roles), &instructions)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"users-template.xlsx\"",
            ),
        ],
        bytes,
    ))
}
