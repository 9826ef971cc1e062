//! Setup shared by the tests that go around the storage API with raw SQL.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use switchboard_engine::ticket::{FieldCode, FieldValue, FieldValues, StatusCategory};
use switchboard_engine::{TenantName, TicketId, TicketTypeId};
use switchboard_storage::{NewTrail, Storage, Ticket, TicketType};

pub const NOW: i64 = 1_790_000_000_000;

/// A new tenant with a ticket type and one ticket per status (numbered in that order), each
/// with a "created" trail entry.
pub async fn tickets_in_statuses(s: &dyn Storage, statuses: &[&str]) {
    let t = s
        .create_tenant(&TenantName::parse("acme").unwrap(), "Acme", NOW)
        .await
        .unwrap();
    let ticket_type = TicketType {
        id: TicketTypeId::new(),
        name: "t".into(),
        description: String::new(),
        active: true,
        version: 1,
        definition: "{}".into(),
        created_at: NOW,
        updated_at: NOW,
    };
    s.create_ticket_type(t.id, &ticket_type).await.unwrap();
    let mut values = FieldValues::new();
    values.insert(
        FieldCode::parse("title").unwrap(),
        FieldValue::Text("退货 return".into()),
    );
    let ticket = |status: &str| Ticket {
        id: TicketId::new(),
        number: 0,
        type_id: ticket_type.id,
        template_id: None,
        category_id: None,
        status: status.into(),
        status_category: StatusCategory::Open,
        group: None,
        assignee: None,
        created_by: None,
        completed_by: None,
        created_at: NOW,
        updated_at: NOW,
        closed_at: None,
        due_handled: false,
        version: 1,
        values: values.clone(),
        terms: "退货 return".into(),
    };
    let created = NewTrail {
        at: NOW,
        actor: None,
        action: "created".into(),
        detail: "{}".into(),
    };
    let tickets: Vec<_> = statuses
        .iter()
        .map(|status| (ticket(status), vec![], vec![created.clone()]))
        .collect();
    s.create_tickets(t.id, &tickets).await.unwrap();
}
