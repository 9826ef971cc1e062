//! Ticket lists as .xlsx and .csv files (T8).

use std::collections::{BTreeMap, BTreeSet};

use switchboard_engine::ticket::time::format_local;
use switchboard_engine::ticket::{FieldDef, FieldKind, FieldValue, FieldValues};
use switchboard_engine::{SkillQueueId, TenantZone, TicketId, TicketTypeId, UserId};
use switchboard_storage::{Principal, TicketRow};

use super::schema::DefinitionJson;
use super::shared::ticket_number;
use crate::error::ApiResult;
use crate::state::AppState;

const HEADER: [&str; 12] = [
    "number",
    "title",
    "type",
    "status",
    "priority",
    "customer",
    "phone",
    "group",
    "assignee",
    "created_at",
    "updated_at",
    "due_at",
];

/// Display names for ids in exports.
pub struct Names {
    pub users: BTreeMap<UserId, String>,
    pub groups: BTreeMap<SkillQueueId, String>,
    pub types: BTreeMap<TicketTypeId, String>,
    /// Each type's business and custom fields, in the type's order.
    pub fields: BTreeMap<TicketTypeId, Vec<FieldDef>>,
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
        let mut fields = BTreeMap::new();
        for x in &types {
            let schema = DefinitionJson::load(&x.definition)?;
            let own = schema
                .fields
                .into_iter()
                .filter(|f| f.kind != FieldKind::System);
            fields.insert(x.id, own.collect());
        }
        Ok(Self {
            users,
            groups,
            types: types.into_iter().map(|x| (x.id, x.name)).collect(),
            fields,
        })
    }
}

/// The header and one row of text per ticket: the list's columns, then the business and
/// custom fields of the types among the rows, each code once (as in the import sheet).
/// Times are the tenant's clock times, which an import reads back the same.
pub fn table(
    rows: &[TicketRow],
    names: &Names,
    values: &BTreeMap<TicketId, FieldValues>,
    zone: &TenantZone,
) -> Vec<Vec<String>> {
    let time = |ms: i64| format_local(ms, zone);
    let name = |m: Option<&String>| m.cloned().unwrap_or_default();
    let types: BTreeSet<TicketTypeId> = rows.iter().map(|r| r.type_id).collect();
    let mut extra: Vec<&FieldDef> = Vec::new();
    for f in types.iter().filter_map(|t| names.fields.get(t)).flatten() {
        if !extra.iter().any(|e| e.code == f.code) {
            extra.push(f);
        }
    }
    let mut header: Vec<String> = HEADER.iter().map(|h| (*h).to_owned()).collect();
    header.extend(extra.iter().map(|f| f.code.as_str().to_owned()));
    let mut out = vec![header];
    out.extend(rows.iter().map(|r| {
        let mut row = vec![
            ticket_number(r.number),
            r.title.clone(),
            name(names.types.get(&r.type_id)),
            r.status.clone(),
            r.priority.clone(),
            r.customer.clone().unwrap_or_default(),
            r.phone.clone().unwrap_or_default(),
            name(r.group.and_then(|g| names.groups.get(&g))),
            name(r.assignee.and_then(|u| names.users.get(&u))),
            time(r.created_at),
            time(r.updated_at),
            r.due_at.map(time).unwrap_or_default(),
        ];
        let own = values.get(&r.id);
        row.extend(
            extra
                .iter()
                .map(|f| match own.and_then(|v| v.get(f.code.as_str())) {
                    Some(FieldValue::Time(ms)) => time(*ms),
                    Some(v) => v.display(),
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
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name("tickets")?;
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
