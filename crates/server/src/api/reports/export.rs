//! Reports as spreadsheets: the same rows as the JSON reports, then each queue's or agent's
//! total, as .xlsx or CSV, with column names in Chinese (the default) or English. Durations
//! in seconds, ratios in percent, so a spreadsheet can compute with them.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use serde::Deserialize;
use utoipa::IntoParams;

use super::range::{Range, ReportFilter};
use super::{agent_report, channel_of, queue_report, AgentReportRow, QueueReportRow};
use crate::api::tickets::export::{csv, xlsx_sheet, Lang};
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiQuery;
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportFormat {
    /// `xlsx` (the default) or `csv`.
    format: Option<String>,
    /// Column names: `zh-CN` (the default) or `en`.
    lang: Option<String>,
}

fn seconds(ms: i64) -> String {
    (ms / 1000).to_string()
}

fn avg_seconds(ms: Option<f64>) -> String {
    ms.map(|v| format!("{:.1}", v / 1000.0)).unwrap_or_default()
}

fn percent(r: Option<f64>) -> String {
    r.map(|v| format!("{:.1}", v * 100.0)).unwrap_or_default()
}

const QUEUE_COLUMNS: [(&str, &str); 20] = [
    ("时段", "Period"),
    ("技能队列", "Queue"),
    ("进线量", "Offered"),
    ("接通量", "Answered"),
    ("服务水平内接通", "Answered in target"),
    ("服务水平(%)", "Service level (%)"),
    ("平均应答时长(秒)", "ASA (s)"),
    ("放弃量", "Abandoned"),
    ("短时放弃", "Short abandons"),
    ("放弃率(%)", "Abandon rate (%)"),
    ("排队超时", "Timed out"),
    ("溢出转出", "Overflowed out"),
    ("转入", "Transferred in"),
    ("转出", "Transferred out"),
    ("振铃未接", "No answers"),
    ("处理量", "Handled"),
    ("平均处理时长(秒)", "AHT (s)"),
    ("通话时长(秒)", "Talk (s)"),
    ("保持时长(秒)", "Hold (s)"),
    ("话后处理时长(秒)", "Wrap-up (s)"),
];

fn queue_line(r: &QueueReportRow) -> Vec<String> {
    let f = &r.figures;
    let n = |v: i64| v.to_string();
    vec![
        r.period.clone(),
        r.queue_name
            .clone()
            .unwrap_or_else(|| r.queue_id.to_string()),
        n(f.offered),
        n(f.answered),
        n(f.answered_in_target),
        percent(f.service_level),
        avg_seconds(f.asa_ms),
        n(f.abandoned),
        n(f.abandoned_short),
        percent(f.abandon_rate),
        n(f.timed_out),
        n(f.overflowed_out),
        n(f.transferred_in),
        n(f.transferred_out),
        n(f.no_answers),
        n(f.handled),
        avg_seconds(f.aht_ms),
        seconds(f.talk_ms),
        seconds(f.hold_ms),
        seconds(f.wrap_ms),
    ]
}

const AGENT_COLUMNS: [(&str, &str); 18] = [
    ("时段", "Period"),
    ("座席", "Agent"),
    ("接通量", "Answered"),
    ("外呼量", "Outbound"),
    ("处理量", "Handled"),
    ("平均处理时长(秒)", "AHT (s)"),
    ("平均通话(秒)", "Avg talk (s)"),
    ("平均保持(秒)", "Avg hold (s)"),
    ("平均话后处理(秒)", "Avg wrap-up (s)"),
    ("转出", "Transferred out"),
    ("振铃未接", "No answers"),
    ("占用率(%)", "Occupancy (%)"),
    ("签入时长(秒)", "Signed in (s)"),
    ("空闲(秒)", "Idle (s)"),
    ("通话中(秒)", "Talking (s)"),
    ("话后处理中(秒)", "Wrap-up state (s)"),
    ("示忙(秒)", "Busy (s)"),
    ("休息(秒)", "Rest (s)"),
];

fn agent_line(r: &AgentReportRow) -> Vec<String> {
    let f = &r.figures;
    let n = |v: i64| v.to_string();
    vec![
        r.period.clone(),
        r.agent_name
            .clone()
            .unwrap_or_else(|| r.agent_id.to_string()),
        n(f.answered),
        n(f.outbound),
        n(f.handled),
        avg_seconds(f.aht_ms),
        avg_seconds(f.avg_talk_ms),
        avg_seconds(f.avg_hold_ms),
        avg_seconds(f.avg_wrap_ms),
        n(f.transferred_out),
        n(f.no_answers),
        percent(f.occupancy),
        seconds(f.signed_in_ms),
        seconds(f.idle_ms),
        seconds(f.talking_ms),
        seconds(f.wrap_up_ms),
        seconds(f.busy_ms),
        seconds(f.rest_ms),
    ]
}

fn header_row(columns: &[(&str, &str)], lang: Lang) -> Vec<String> {
    columns
        .iter()
        .map(|(zh, en)| match lang {
            Lang::Zh => (*zh).to_owned(),
            Lang::En => (*en).to_owned(),
        })
        .collect()
}

fn file(table: &[Vec<String>], name: &str, format: &str) -> ApiResult<impl IntoResponse> {
    let (body, content_type) = match format {
        "csv" => (csv(table), "text/csv; charset=utf-8"),
        _ => (
            xlsx_sheet(table, name)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.{format}\""),
            ),
        ],
        body,
    ))
}

fn format_of(f: &ExportFormat) -> ApiResult<(String, Lang)> {
    let format = f.format.clone().unwrap_or_else(|| "xlsx".into());
    if !["xlsx", "csv"].contains(&format.as_str()) {
        return Err(ApiError::invalid("format", "xlsx or csv"));
    }
    Ok((format, Lang::parse(f.lang.as_deref())?))
}

/// The queue report as a spreadsheet: its rows, then each queue's total.
#[utoipa::path(get, path = "/api/v1/reports/queues/export", operation_id = "reports_queues_export", tag = "reports", params(ReportFilter, ExportFormat), security(("bearer" = ["reports.view"])),
    responses((status = 200, description = "the file"), (status = 400, body = ErrorBody)))]
pub async fn queues(
    State(state): State<AppState>,
    p: Can<perm::ViewReports>,
    ApiQuery(f): ApiQuery<ReportFilter>,
    ApiQuery(x): ApiQuery<ExportFormat>,
) -> ApiResult<impl IntoResponse> {
    let (format, lang) = format_of(&x)?;
    let range = Range::parse(&f, &p.zone)?;
    let report = queue_report(&state, &p, &range).await?;
    let mut table = vec![header_row(&QUEUE_COLUMNS, lang)];
    table.extend(report.rows.iter().map(queue_line));
    if range.interval != super::range::Interval::Total {
        table.extend(report.totals.iter().map(queue_line));
    }
    file(&table, "queues", &format)
}

/// The agent report as a spreadsheet: its rows, then each agent's total.
#[utoipa::path(get, path = "/api/v1/reports/agents/export", operation_id = "reports_agents_export", tag = "reports", params(ReportFilter, ExportFormat), security(("bearer" = ["reports.view"])),
    responses((status = 200, description = "the file"), (status = 400, body = ErrorBody)))]
pub async fn agents(
    State(state): State<AppState>,
    p: Can<perm::ViewReports>,
    ApiQuery(f): ApiQuery<ReportFilter>,
    ApiQuery(x): ApiQuery<ExportFormat>,
) -> ApiResult<impl IntoResponse> {
    let (format, lang) = format_of(&x)?;
    let range = Range::parse(&f, &p.zone)?;
    let report = agent_report(&state, &p, &range, channel_of(&f)?).await?;
    let mut table = vec![header_row(&AGENT_COLUMNS, lang)];
    table.extend(report.rows.iter().map(agent_line));
    if range.interval != super::range::Interval::Total {
        table.extend(report.totals.iter().map(agent_line));
    }
    file(&table, "agents", &format)
}
