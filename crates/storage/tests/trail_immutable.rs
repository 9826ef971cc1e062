//! The service trail cannot be rewritten, even by SQL that goes around the storage API.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use switchboard_engine::ticket::{FieldCode, FieldValue, FieldValues, StatusCategory};
use switchboard_engine::{TenantName, TicketId, TicketTypeId};
use switchboard_storage::testing::PgTestDb;
use switchboard_storage::{open, Location, NewTrail, Storage, Ticket, TicketType};

const NOW: i64 = 1_790_000_000_000;

/// A tenant with one ticket that has one trail entry.
async fn ticket_with_trail(s: &dyn Storage) {
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
        FieldValue::Text("x".into()),
    );
    let ticket = Ticket {
        id: TicketId::new(),
        number: 0,
        type_id: ticket_type.id,
        template_id: None,
        category_id: None,
        status: "new".into(),
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
        values,
        terms: "x".into(),
    };
    let trail = NewTrail {
        at: NOW,
        actor: None,
        action: "created".into(),
        detail: "{}".into(),
    };
    s.create_tickets(t.id, &[(ticket, vec![], vec![trail])])
        .await
        .unwrap();
}

const EDIT: &str = "UPDATE ticket_trail SET action = 'forged'";
const ERASE: &str = "DELETE FROM ticket_trail";

#[tokio::test]
async fn sqlite_refuses_to_rewrite_the_trail() {
    let dir = tempfile::tempdir().unwrap();
    ticket_with_trail(open(Location::DataDir(dir.path())).await.unwrap().as_ref()).await;
    let path = dir.path().join(switchboard_storage::sqlite::DB_FILE);
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    for sql in [EDIT, ERASE] {
        let err = sqlx::query(sql).execute(&pool).await.unwrap_err();
        assert!(err.to_string().contains("immutable"), "{sql}: {err}");
    }
}

#[tokio::test]
async fn postgres_refuses_to_rewrite_the_trail() {
    let Some(db) = PgTestDb::create().await else {
        return;
    };
    ticket_with_trail(open(Location::Postgres(&db.url)).await.unwrap().as_ref()).await;
    let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
    for sql in [EDIT, ERASE] {
        let err = sqlx::query(sql).execute(&pool).await.unwrap_err();
        assert!(err.to_string().contains("immutable"), "{sql}: {err}");
    }
    pool.close().await;
}
