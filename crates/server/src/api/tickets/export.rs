//! Ticket lists as .xlsx and .csv files (T8), for people: the columns by their names and the
//! options by their labels in the user's language, times in the tenant's zone with their
//! offset.

use std::collections::{BTreeMap, BTreeSet};

use switchboard_engine::ticket::time::format_local_offset;
use switchboard_engine::ticket::{FieldDef, FieldKind, FieldValue, FieldValues, TicketSchema};
use switchboard_engine::{SkillQueueId, TenantZone, TicketId, TicketTypeId, UserId};
use switchboard_storage::{Principal, TicketRow};

use super::schema::DefinitionJson;
use super::shared::ticket_number;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The language of an export's column names and built-in labels (`lang=zh-CN|en`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// `zh-CN` (the default when left out) or `en`.
    pub fn parse(raw: Option<&str>) -> ApiResult<Self> {
        match raw {
            None | Some("zh-CN") => Ok(Lang::Zh),
            Some("en") => Ok(Lang::En),
            Some(_) => Err(ApiError::invalid("lang", "must be zh-CN or en")),
        }
    }
}

/// The list's own columns: (Chinese, English).
const COLUMNS: [(&str, &str); 12] = [
    ("工单编号", "Number"),
    ("标题", "Title"),
    ("工单类型", "Type"),
    ("状态", "Status"),
    ("优先级", "Priority"),
    ("客户", "Customer"),
    ("电话", "Phone"),
    ("技能组", "Group"),
    ("处理人", "Assignee"),
    ("创建时间", "Created"),
    ("更新时间", "Updated"),
    ("截止时间", "Due"),
];

/// The built-in statuses and priorities (`TicketSchema::starter`) in English, by code and
/// Chinese label: used while a label is still the built-in one (a renamed one is the tenant's).
const BUILT_IN_EN: [(&str, &str, &str); 8] = [
    ("new", "新建", "New"),
    ("processing", "处理中", "In progress"),
    ("waiting", "等待反馈", "Waiting for feedback"),
    ("done", "已完结", "Done"),
    ("low", "低", "Low"),
    ("normal", "普通", "Normal"),
    ("high", "高", "High"),
    ("urgent", "紧急", "Urgent"),
];

fn built_in(lang: Lang, code: &str, label: &str) -> String {
    match lang {
        Lang::En => BUILT_IN_EN
            .iter()
            .find(|(c, zh, _)| *c == code && *zh == label)
            .map_or_else(|| label.to_owned(), |(_, _, en)| (*en).to_owned()),
        Lang::Zh => label.to_owned(),
    }
}

/// Display names for ids in exports.
pub struct Names {
    pub users: BTreeMap<UserId, String>,
    pub groups: BTreeMap<SkillQueueId, String>,
    pub types: BTreeMap<TicketTypeId, String>,
    /// Each type's definition: its fields (with their options) and statuses.
    pub schemas: BTreeMap<TicketTypeId, TicketSchema>,
}

impl Names {
    pub async fn load(state: &AppState, p: &Principal) -> ApiResult<Self> {
        let t = p.tenant_id;
        let users = state
            .store
            .users(t)
            .await?
            .into_iter()
            .map(|u| (u.id, u.display_name.as_str().to_owned()))
            .collect();
        let groups = state
            .store
            .skill_queues(t)
            .await?
            .into_iter()
            .map(|q| (q.id, q.spec.name.as_str().to_owned()))
            .collect();
        let types = state.store.ticket_types(t).await?;
        let mut schemas = BTreeMap::new();
        for x in &types {
            schemas.insert(x.id, DefinitionJson::load(&x.definition)?);
        }
        Ok(Self {
            users,
            groups,
            types: types.into_iter().map(|x| (x.id, x.name)).collect(),
            schemas,
        })
    }

    /// A status code's label in its type (the code when unknown).
    fn status(&self, lang: Lang, ty: TicketTypeId, code: &str) -> String {
        let label = self
            .schemas
            .get(&ty)
            .and_then(|s| s.workflow.statuses.iter().find(|x| x.code.as_str() == code))
            .map_or(code, |x| x.label.as_str());
        built_in(lang, code, label)
    }

    /// A priority value's option label in its type (the value when unknown).
    fn priority(&self, lang: Lang, ty: TicketTypeId, value: &str) -> String {
        let label = self
            .schemas
            .get(&ty)
            .and_then(|s| s.field("priority"))
            .and_then(|f| f.options.iter().find(|o| o.value == value))
            .map_or(value, |o| o.label.as_str());
        built_in(lang, value, label)
    }
}

/// The header and one row of text per ticket: the list's columns, then the business and
/// custom fields of the types among the rows, each code once, headed by its label. Option
/// values are shown by their labels; times are the tenant's clock times with their offset
/// (`2026-11-21 09:30:00 +08:00`), which an import reads back as the same instant.
pub fn table(
    rows: &[TicketRow],
    names: &Names,
    values: &BTreeMap<TicketId, FieldValues>,
    zone: &TenantZone,
    lang: Lang,
) -> Vec<Vec<String>> {
    let time = |ms: i64| format_local_offset(ms, zone);
    let name = |m: Option<&String>| m.cloned().unwrap_or_default();
    let types: BTreeSet<TicketTypeId> = rows.iter().map(|r| r.type_id).collect();
    let mut extra: Vec<&FieldDef> = Vec::new();
    for f in types
        .iter()
        .filter_map(|t| names.schemas.get(t))
        .flat_map(|s| s.fields.iter())
        .filter(|f| f.kind != FieldKind::System)
    {
        if !extra.iter().any(|e| e.code == f.code) {
            extra.push(f);
        }
    }
    let mut header: Vec<String> = COLUMNS
        .iter()
        .map(|(zh, en)| (if lang == Lang::En { *en } else { *zh }).to_owned())
        .collect();
    header.extend(extra.iter().map(|f| f.label.clone()));
    let mut out = vec![header];
    out.extend(rows.iter().map(|r| {
        let mut row = vec![
            ticket_number(r.number),
            r.title.clone(),
            name(names.types.get(&r.type_id)),
            names.status(lang, r.type_id, &r.status),
            names.priority(lang, r.type_id, &r.priority),
            r.customer.clone().unwrap_or_default(),
            r.phone.clone().unwrap_or_default(),
            name(r.group.and_then(|g| names.groups.get(&g))),
            name(r.assignee.and_then(|u| names.users.get(&u))),
            time(r.created_at),
            time(r.updated_at),
            r.due_at.map(time).unwrap_or_default(),
        ];
        let own = values.get(&r.id);
        // A code shared by several types is read with the definition of the row's own type.
        let def = |f: &FieldDef| {
            names
                .schemas
                .get(&r.type_id)
                .and_then(|s| s.field(f.code.as_str()))
                .cloned()
                .unwrap_or_else(|| (*f).clone())
        };
        row.extend(
            extra
                .iter()
                .map(|f| match own.and_then(|v| v.get(f.code.as_str())) {
                    Some(FieldValue::Time(ms)) => time(*ms),
                    Some(v) => def(f).display_labels(v),
                    None => String::new(),
                }),
        );
        row
    }));
    out
}

/// UTF-8 with a byte-order mark, so spreadsheet programs read Chinese correctly. Cells that
/// start like a formula are prefixed with `'`, so opening the file never runs one.
pub fn csv(table: &[Vec<String>]) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    for row in table {
        let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

fn csv_cell(raw: &str) -> String {
    let safe = if raw.starts_with(['=', '+', '-', '@']) {
        format!("'{raw}")
    } else {
        raw.to_owned()
    };
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe
    }
}

pub fn xlsx(table: &[Vec<String>]) -> anyhow::Result<Vec<u8>> {
    xlsx_sheet(table, "tickets")
}

/// A table as a one-sheet workbook; the first row bold.
pub fn xlsx_sheet(table: &[Vec<String>], name: &str) -> anyhow::Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name(name)?;
    for (r, row) in table.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (u32::try_from(r)?, u16::try_from(c)?);
            // Strings, never formulas, whatever the text looks like.
            if r == 0 {
                sheet.write_string_with_format(r, c, cell, &bold)?;
            } else {
                sheet.write_string(r, c, cell)?;
            }
        }
    }
    sheet.set_column_width(1, 40)?;
    Ok(book.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_never_formulas() {
        let t = vec![vec![
            "a,b".to_owned(),
            "=1+1".to_owned(),
            "说\"明".to_owned(),
        ]];
        let text = String::from_utf8(csv(&t)).unwrap();
        assert_eq!(text, "\u{feff}\"a,b\",'=1+1,\"说\"\"明\"\r\n");
    }
}
