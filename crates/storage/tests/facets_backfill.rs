//! Migration 0009 computes the same search facet in SQL, for tickets written before it, as
//! the storage code computes for new ones: its backfill run over tickets the code wrote
//! changes nothing, on both databases.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use switchboard_engine::ticket::{FieldCode, FieldValue, FieldValues, StatusCategory};
use switchboard_engine::{TenantName, TicketId, TicketTypeId};
use switchboard_storage::testing::PgTestDb;
use switchboard_storage::{open, Location, Storage, Ticket, TicketType};

const NOW: i64 = 1_790_000_000_000;

/// Two tickets, one with a Chinese status.
async fn tickets(s: &dyn Storage) {
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
    let code = |c: &str| FieldCode::parse(c).unwrap();
    let mut values = FieldValues::new();
    values.insert(code("title"), FieldValue::Text("退货 return".into()));
    values.insert(code("product"), FieldValue::Text("手表".into()));
    values.insert(
        code("tags"),
        FieldValue::List(vec!["vip".into(), "急".into()]),
    );
    values.insert(code("due_at"), FieldValue::Time(NOW));
    values.insert(code("address"), FieldValue::Text("深圳".repeat(30)));
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
    s.create_tickets(
        t.id,
        &[
            (ticket("new"), vec![], vec![]),
            (ticket("待处理"), vec![], vec![]),
        ],
    )
    .await
    .unwrap();
}

/// The migration's UPDATE statements.
fn backfill(migration: &str) -> Vec<String> {
    migration
        .split(';')
        .map(|s| {
            s.lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .filter(|s| s.trim_start().starts_with("UPDATE"))
        .collect()
}

const READ: &str = "SELECT facets FROM tickets ORDER BY number";

#[tokio::test]
async fn sqlite_backfill_matches_the_code() {
    let dir = tempfile::tempdir().unwrap();
    tickets(open(Location::DataDir(dir.path())).await.unwrap().as_ref()).await;
    let path = dir.path().join(switchboard_storage::sqlite::DB_FILE);
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let written: Vec<String> = sqlx::query_scalar(READ).fetch_all(&pool).await.unwrap();
    let search: Vec<String> = sqlx::query_scalar("SELECT terms FROM ticket_search ORDER BY rowid")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(
        written,
        ["zs6e6577", "zse5be85e5a484e79086"],
        "the status, in hex"
    );
    sqlx::query("UPDATE tickets SET facets = ''")
        .execute(&pool)
        .await
        .unwrap();
    let statements = backfill(include_str!("../migrations/sqlite/0009_ticket_facets.sql"));
    assert_eq!(statements.len(), 2);
    for sql in statements {
        sqlx::query(&sql).execute(&pool).await.unwrap();
    }
    let again: Vec<String> = sqlx::query_scalar(READ).fetch_all(&pool).await.unwrap();
    assert_eq!(
        again.iter().map(|f| sorted(f)).collect::<Vec<_>>(),
        written.iter().map(|f| sorted(f)).collect::<Vec<_>>()
    );
    let search_again: Vec<String> =
        sqlx::query_scalar("SELECT terms FROM ticket_search ORDER BY rowid")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        search_again.iter().map(|f| sorted(f)).collect::<Vec<_>>(),
        search.iter().map(|f| sorted(f)).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn postgres_backfill_matches_the_code() {
    let Some(db) = PgTestDb::create().await else {
        return;
    };
    tickets(open(Location::Postgres(&db.url)).await.unwrap().as_ref()).await;
    let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
    let written: Vec<String> = sqlx::query_scalar(READ).fetch_all(&pool).await.unwrap();
    assert_eq!(
        written,
        ["zs6e6577", "zse5be85e5a484e79086"],
        "the status, in hex"
    );
    sqlx::query("UPDATE tickets SET facets = ''")
        .execute(&pool)
        .await
        .unwrap();
    let statements = backfill(include_str!(
        "../migrations/postgres/0009_ticket_facets.sql"
    ));
    assert_eq!(statements.len(), 1);
    for sql in statements {
        sqlx::query(&sql).execute(&pool).await.unwrap();
    }
    let again: Vec<String> = sqlx::query_scalar(READ).fetch_all(&pool).await.unwrap();
    assert_eq!(
        again.iter().map(|f| sorted(f)).collect::<Vec<_>>(),
        written.iter().map(|f| sorted(f)).collect::<Vec<_>>()
    );
    pool.close().await;
}

/// The tokens in order: SQL aggregates in no particular order.
fn sorted(facets: &str) -> Vec<&str> {
    let mut tokens: Vec<&str> = facets.split(' ').collect();
    tokens.sort_unstable();
    tokens
}
