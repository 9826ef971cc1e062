//! Setup shared by the tests that go around the storage API with raw SQL.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use switchboard_engine::ticket::{FieldCode, FieldValue, FieldValues, StatusCategory};
use switchboard_engine::{TenantName, TicketId, TicketTypeId};
use switchboard_storage::{NewTrail, Storage, Ticket, TicketType};

pub const NOW: i64 = 1_790_000_000_000;

/// The type's definition, in the API's shape (docs/api-v1.md): a select, a multi select and
/// a text field; the first two are its facet fields.
pub const DEFINITION: &str = r#"{"fields":[
    {"code":"product","label":"产品","type":"single_select","options":[{"value":"watch","label":"手表"}]},
    {"code":"tags","label":"标签","type":"multi_select","options":[{"value":"a","label":"A"},{"value":"售后","label":"售后"}]},
    {"code":"order_no","label":"订单号","type":"text"}],"workflow":{}}"#;

/// A new tenant with a ticket type (`DEFINITION`) and one ticket per status (numbered in that
/// order), each with values of its three fields and a "created" trail entry.
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
        definition: DEFINITION.into(),
        facet_fields: vec!["product".into(), "tags".into()],
        created_at: NOW,
        updated_at: NOW,
    };
    s.create_ticket_type(t.id, &ticket_type).await.unwrap();
    let mut values = FieldValues::new();
    values.insert(
        FieldCode::parse("title").unwrap(),
        FieldValue::Text("退货 return".into()),
    );
    let code = |c: &str| FieldCode::parse(c).unwrap();
    values.insert(code("product"), FieldValue::Text("watch".into()));
    values.insert(
        code("tags"),
        FieldValue::List(vec!["a".into(), "售后".into()]),
    );
    values.insert(code("order_no"), FieldValue::Text("A-1".into()));
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
