//! Ticket row shapes shared by both databases.

use switchboard_engine::ticket::{FlagColor, StatusCategory};
use switchboard_engine::{
    ReminderId, SkillQueueId, TicketCategoryId, TicketId, TicketTemplateId, TicketTypeId, UserId,
};
use uuid::Uuid;

use super::values::decode_values;
use super::{Reminder, Ticket, TicketRow, TicketType};
use crate::rows::corrupt;
use crate::StorageError;

pub(crate) const TICKET_TYPE_COLUMNS: &str = "SELECT id, name, description, active, version, \
     definition, facet_fields, created_at, updated_at FROM ticket_types";

#[derive(sqlx::FromRow)]
pub(crate) struct TicketTypeRow {
    id: Uuid,
    name: String,
    description: String,
    active: bool,
    version: i64,
    definition: String,
    facet_fields: String,
    created_at: i64,
    updated_at: i64,
}

impl From<TicketTypeRow> for TicketType {
    fn from(r: TicketTypeRow) -> Self {
        TicketType {
            id: TicketTypeId(r.id),
            name: r.name,
            description: r.description,
            active: r.active,
            version: r.version,
            definition: r.definition,
            facet_fields: r
                .facet_fields
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

pub(crate) const TICKET_COLUMNS: &str = "SELECT t.id, t.number, t.type_id, t.template_id, \
     t.category_id, t.status, t.status_category, t.group_id, t.assignee_id, t.created_by, \
     t.completed_by, t.created_at, t.updated_at, t.closed_at, t.due_handled, t.version, t.fields, \
     t.terms FROM tickets t";

#[derive(sqlx::FromRow)]
pub(crate) struct TicketDbRow {
    id: Uuid,
    number: i64,
    type_id: Uuid,
    template_id: Option<Uuid>,
    category_id: Option<Uuid>,
    status: String,
    status_category: String,
    group_id: Option<Uuid>,
    assignee_id: Option<Uuid>,
    created_by: Option<Uuid>,
    completed_by: Option<Uuid>,
    created_at: i64,
    updated_at: i64,
    closed_at: Option<i64>,
    due_handled: bool,
    version: i64,
    fields: String,
    terms: String,
}

impl TryFrom<TicketDbRow> for Ticket {
    type Error = StorageError;
    fn try_from(r: TicketDbRow) -> Result<Self, StorageError> {
        Ok(Ticket {
            id: TicketId(r.id),
            number: r.number,
            type_id: TicketTypeId(r.type_id),
            template_id: r.template_id.map(TicketTemplateId),
            category_id: r.category_id.map(TicketCategoryId),
            status: r.status,
            status_category: StatusCategory::parse(&r.status_category).map_err(corrupt)?,
            group: r.group_id.map(SkillQueueId),
            assignee: r.assignee_id.map(UserId),
            created_by: r.created_by.map(UserId),
            completed_by: r.completed_by.map(UserId),
            created_at: r.created_at,
            updated_at: r.updated_at,
            closed_at: r.closed_at,
            due_handled: r.due_handled,
            version: r.version,
            values: decode_values(&r.fields)?,
            terms: r.terms,
        })
    }
}

pub(crate) const ROW_COLUMNS: &str = "t.id, t.number, t.title, t.status, t.status_category, \
     t.priority, t.type_id, t.group_id, t.assignee_id, t.customer, t.phone, t.created_at, \
     t.updated_at, t.due_at, f.color";

#[derive(sqlx::FromRow)]
pub(crate) struct TicketListRow {
    id: Uuid,
    number: i64,
    title: String,
    status: String,
    status_category: String,
    priority: String,
    type_id: Uuid,
    group_id: Option<Uuid>,
    assignee_id: Option<Uuid>,
    customer: Option<String>,
    phone: Option<String>,
    created_at: i64,
    updated_at: i64,
    due_at: Option<i64>,
    color: Option<String>,
}

impl TryFrom<TicketListRow> for TicketRow {
    type Error = StorageError;
    fn try_from(r: TicketListRow) -> Result<Self, StorageError> {
        Ok(TicketRow {
            id: TicketId(r.id),
            number: r.number,
            title: r.title,
            status: r.status,
            status_category: StatusCategory::parse(&r.status_category).map_err(corrupt)?,
            priority: r.priority,
            type_id: TicketTypeId(r.type_id),
            group: r.group_id.map(SkillQueueId),
            assignee: r.assignee_id.map(UserId),
            customer: r.customer,
            phone: r.phone,
            created_at: r.created_at,
            updated_at: r.updated_at,
            due_at: r.due_at,
            flag: r
                .color
                .as_deref()
                .map(FlagColor::parse)
                .transpose()
                .map_err(corrupt)?,
        })
    }
}

pub(crate) const REMINDER_COLUMNS: &str = "r.id, r.ticket_id, r.user_id, r.at, r.note, r.fired_at";

#[derive(sqlx::FromRow)]
pub(crate) struct ReminderRow {
    id: Uuid,
    ticket_id: Uuid,
    user_id: Uuid,
    at: i64,
    note: Option<String>,
    fired_at: Option<i64>,
}

impl From<ReminderRow> for Reminder {
    fn from(r: ReminderRow) -> Self {
        Reminder {
            id: ReminderId(r.id),
            ticket: TicketId(r.ticket_id),
            user: UserId(r.user_id),
            at: r.at,
            note: r.note,
            fired_at: r.fired_at,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct DueReminderRow {
    tenant_id: Uuid,
    number: i64,
    title: String,
    #[sqlx(flatten)]
    reminder: ReminderRow,
}

impl DueReminderRow {
    pub(crate) fn split(self) -> (Uuid, i64, String, ReminderRow) {
        (self.tenant_id, self.number, self.title, self.reminder)
    }
}
