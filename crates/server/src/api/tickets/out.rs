//! Tickets, list rows, trail entries and reminders as the API shows them.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;
use switchboard_storage::{Reminder, TicketLinks, TicketRow, TrailEntry};
use utoipa::ToSchema;

use super::access::TicketCtx;
use super::schema::value_json;
use super::shared::ticket_number;
use crate::api::wire::rfc3339;

#[derive(Serialize, ToSchema)]
pub struct ActionOut {
    pub code: String,
    pub label: String,
    pub to: String,
    pub requires_note: bool,
    pub required_fields: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CanOut {
    pub claim: bool,
    pub transfer: bool,
    pub edit: bool,
    pub cc: bool,
    pub reopen: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ReminderOut {
    pub id: uuid::Uuid,
    pub ticket_id: uuid::Uuid,
    pub at: String,
    #[schema(required)]
    pub note: Option<String>,
    pub fired: bool,
}

impl From<&Reminder> for ReminderOut {
    fn from(r: &Reminder) -> Self {
        Self {
            id: r.id.0,
            ticket_id: r.ticket.0,
            at: rfc3339(r.at),
            note: r.note.clone(),
            fired: r.fired_at.is_some(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TicketOut {
    pub id: uuid::Uuid,
    pub number: String,
    pub type_id: uuid::Uuid,
    #[schema(required)]
    pub template_id: Option<uuid::Uuid>,
    #[schema(required)]
    pub category_id: Option<uuid::Uuid>,
    pub status: String,
    pub status_label: String,
    #[schema(schema_with = crate::api::wire::status_category_schema)]
    pub status_category: String,
    #[schema(required)]
    pub group_id: Option<uuid::Uuid>,
    #[schema(required)]
    pub assignee_id: Option<uuid::Uuid>,
    #[schema(required)]
    pub created_by: Option<uuid::Uuid>,
    pub created_at: String,
    pub updated_at: String,
    #[schema(required)]
    pub closed_at: Option<String>,
    pub version: i64,
    #[schema(schema_with = crate::api::wire::field_values_schema)]
    pub fields: BTreeMap<String, Value>,
    pub contact_ids: Vec<uuid::Uuid>,
    pub cc: Vec<uuid::Uuid>,
    /// My flag colour.
    #[schema(schema_with = crate::api::wire::flag_color_schema, required)]
    pub flag: Option<String>,
    /// My reminders on this ticket.
    pub reminders: Vec<ReminderOut>,
    /// The workflow actions I may take now.
    pub actions: Vec<ActionOut>,
    pub can: CanOut,
}

impl TicketOut {
    pub fn new(ctx: &TicketCtx, links: &TicketLinks) -> Self {
        let t = &ctx.ticket;
        let standing = ctx.state();
        let actions = ctx
            .caller
            .actions(&ctx.schema.workflow, &standing)
            .into_iter()
            .map(|a| ActionOut {
                code: a.code.to_string(),
                label: a.label.clone(),
                to: a.to.to_string(),
                requires_note: a.requires_note,
                required_fields: a.required_fields.iter().map(ToString::to_string).collect(),
            })
            .collect();
        let can = ctx.caller.can(&standing);
        Self {
            id: t.id.0,
            number: ticket_number(t.number),
            type_id: t.type_id.0,
            template_id: t.template_id.map(|x| x.0),
            category_id: t.category_id.map(|x| x.0),
            status: t.status.clone(),
            status_label: ctx
                .schema
                .workflow
                .status(&t.status)
                .map_or_else(|| t.status.clone(), |s| s.label.clone()),
            status_category: t.status_category.code().into(),
            group_id: t.group.map(|x| x.0),
            assignee_id: t.assignee.map(|x| x.0),
            created_by: t.created_by.map(|x| x.0),
            created_at: rfc3339(t.created_at),
            updated_at: rfc3339(t.updated_at),
            closed_at: t.closed_at.map(rfc3339),
            version: t.version,
            fields: t
                .values
                .iter()
                .map(|(c, v)| (c.to_string(), value_json(v)))
                .collect(),
            contact_ids: links.contacts.iter().map(|c| c.0).collect(),
            cc: links.cc.iter().map(|u| u.0).collect(),
            flag: links.flag.map(|f| f.code().into()),
            reminders: links.reminders.iter().map(ReminderOut::from).collect(),
            actions,
            can: CanOut {
                claim: can.claim,
                transfer: can.transfer,
                edit: can.edit,
                cc: can.cc,
                reopen: can.reopen,
            },
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TicketRowOut {
    pub id: uuid::Uuid,
    pub number: String,
    pub title: String,
    pub status: String,
    #[schema(schema_with = crate::api::wire::status_category_schema)]
    pub status_category: String,
    pub priority: String,
    pub type_id: uuid::Uuid,
    #[schema(required)]
    pub group_id: Option<uuid::Uuid>,
    #[schema(required)]
    pub assignee_id: Option<uuid::Uuid>,
    #[schema(required)]
    pub customer: Option<String>,
    #[schema(required)]
    pub phone: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    #[schema(required)]
    pub due_at: Option<String>,
    #[schema(schema_with = crate::api::wire::flag_color_schema, required)]
    pub flag: Option<String>,
}

impl From<&TicketRow> for TicketRowOut {
    fn from(r: &TicketRow) -> Self {
        Self {
            id: r.id.0,
            number: ticket_number(r.number),
            title: r.title.clone(),
            status: r.status.clone(),
            status_category: r.status_category.code().into(),
            priority: r.priority.clone(),
            type_id: r.type_id.0,
            group_id: r.group.map(|x| x.0),
            assignee_id: r.assignee.map(|x| x.0),
            customer: r.customer.clone(),
            phone: r.phone.clone(),
            created_at: rfc3339(r.created_at),
            updated_at: rfc3339(r.updated_at),
            due_at: r.due_at.map(rfc3339),
            flag: r.flag.map(|f| f.code().into()),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TrailOut {
    pub seq: i64,
    pub at: String,
    #[schema(required)]
    pub actor_id: Option<uuid::Uuid>,
    pub action: String,
    #[schema(value_type = Object, nullable)]
    pub detail: Value,
}

impl From<&TrailEntry> for TrailOut {
    fn from(e: &TrailEntry) -> Self {
        Self {
            seq: e.seq,
            at: rfc3339(e.at),
            actor_id: e.actor.map(|a| a.0),
            action: e.action.clone(),
            detail: serde_json::from_str(&e.detail).unwrap_or(Value::Null),
        }
    }
}
