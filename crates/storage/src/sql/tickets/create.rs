//! Creating tickets, in bulk (an import writes thousands per call): numbering them, then their
//! rows, search rows, field values, contacts and trails, as few statements as the databases'
//! parameter limits allow.

use switchboard_engine::{ContactId, TenantId};
use uuid::Uuid;

use super::{facet_fields, trail, Db, Store, Tx};
use crate::backend::{rows_per, Backend, Dialect};
use crate::tickets::facets::{ticket_facets, FacetFields, FacetLock};
use crate::tickets::values::{column_of, encode_values, text_of, time_of, value_rows};
use crate::tickets::{NewTrail, Ticket};
use crate::Result;

pub(super) async fn create_tickets(
    store: &Store,
    tenant: TenantId,
    tickets: &[(Ticket, Vec<ContactId>, Vec<NewTrail>)],
) -> Result<Vec<Ticket>> {
    let mut tx = store.writer.begin().await?;
    let fields = facet_fields::hold(&mut tx, tenant, FacetLock::Shared).await?;
    let numbered = number(&mut tx, tenant, tickets).await?;
    insert(&mut tx, tenant, &numbered, &fields).await?;
    let links: Vec<(Uuid, Uuid)> = tickets
        .iter()
        .flat_map(|(t, contacts, _)| contacts.iter().map(|c| (t.id.0, c.0)))
        .collect();
    insert_contacts(&mut tx, tenant, &links).await?;
    let trail: Vec<(Uuid, &NewTrail)> = tickets
        .iter()
        .flat_map(|(t, _, trail)| trail.iter().map(|e| (t.id.0, e)))
        .collect();
    trail::insert_new(&mut tx, tenant, &trail).await?;
    tx.commit().await?;
    Ok(numbered)
}

/// The tickets with the tenant's next numbers, taken in the transaction that creates them.
async fn number(
    tx: &mut Tx<'_>,
    tenant: TenantId,
    tickets: &[(Ticket, Vec<ContactId>, Vec<NewTrail>)],
) -> Result<Vec<Ticket>> {
    let n = tickets.len() as i64;
    sqlx::query(
        "INSERT INTO ticket_numbers (tenant_id, last_number) VALUES ($1, $2) \
         ON CONFLICT (tenant_id) DO UPDATE SET last_number = ticket_numbers.last_number + $2",
    )
    .bind(tenant.0)
    .bind(n)
    .execute(&mut **tx)
    .await?;
    let last: i64 =
        sqlx::query_scalar("SELECT last_number FROM ticket_numbers WHERE tenant_id = $1")
            .bind(tenant.0)
            .fetch_one(&mut **tx)
            .await?;
    Ok(tickets
        .iter()
        .enumerate()
        .map(|(i, (t, _, _))| Ticket {
            number: last - n + 1 + i as i64,
            ..t.clone()
        })
        .collect())
}

/// Inserts tickets already numbered, with their search rows.
async fn insert(
    tx: &mut Tx<'_>,
    tenant: TenantId,
    tickets: &[Ticket],
    fields: &FacetFields,
) -> Result<()> {
    for chunk in tickets.chunks(rows_per(26)) {
        let base: i64 = match Store::DIALECT {
            Dialect::Sqlite => {
                sqlx::query_scalar("SELECT COALESCE(MAX(rowid), 0) FROM ticket_search")
                    .fetch_one(&mut **tx)
                    .await?
            }
            Dialect::Postgres => 0,
        };
        let facets: Vec<String> = chunk
            .iter()
            .map(|t| ticket_facets(&t.status, &t.values, fields))
            .collect();
        insert_rows(tx, tenant, chunk, &facets, base).await?;
        if Store::DIALECT == Dialect::Sqlite {
            insert_search_rows(tx, chunk, &facets, base).await?;
        }
        let refs: Vec<&Ticket> = chunk.iter().collect();
        insert_values(tx, tenant, &refs).await?;
    }
    Ok(())
}

/// The tickets' own rows; on SQLite each linked to the search row it will have, `base` + its
/// position.
async fn insert_rows(
    tx: &mut Tx<'_>,
    tenant: TenantId,
    chunk: &[Ticket],
    facets: &[String],
    base: i64,
) -> Result<()> {
    let mut b = sqlx::QueryBuilder::<Db>::new(
        "INSERT INTO tickets (tenant_id, id, number, type_id, template_id, category_id, \
         title, status, status_category, priority, customer, phone, group_id, assignee_id, \
         created_by, completed_by, created_at, updated_at, due_at, closed_at, due_handled, \
         version, fields, terms, facets, terms_stale",
    );
    b.push(if Store::DIALECT == Dialect::Sqlite {
        ", search_rowid) "
    } else {
        ") "
    });
    b.push_values(
        chunk.iter().zip(facets).enumerate(),
        |mut r, (i, (t, facets))| {
            r.push_bind(tenant.0)
                .push_bind(t.id.0)
                .push_bind(t.number)
                .push_bind(t.type_id.0)
                .push_bind(t.template_id.map(|x| x.0))
                .push_bind(t.category_id.map(|x| x.0))
                .push_bind(text_of(&t.values, "title").unwrap_or_default())
                .push_bind(t.status.clone())
                .push_bind(t.status_category.code())
                .push_bind(text_of(&t.values, "priority").unwrap_or_else(|| "normal".into()))
                .push_bind(text_of(&t.values, "customer"))
                .push_bind(text_of(&t.values, "phone"))
                .push_bind(t.group.map(|x| x.0))
                .push_bind(t.assignee.map(|x| x.0))
                .push_bind(t.created_by.map(|x| x.0))
                .push_bind(t.completed_by.map(|x| x.0))
                .push_bind(t.created_at)
                .push_bind(t.updated_at)
                .push_bind(time_of(&t.values, "due_at"))
                .push_bind(t.closed_at)
                .push_bind(t.due_handled)
                .push_bind(t.version)
                .push_bind(encode_values(&t.values))
                .push_bind(t.terms.clone())
                .push_bind(facets.clone())
                .push_bind(false);
            if Store::DIALECT == Dialect::Sqlite {
                r.push_bind(base + 1 + i as i64);
            }
        },
    );
    b.build().execute(&mut **tx).await?;
    Ok(())
}

/// SQLite's full-text rows (FTS5 keeps no column of the ticket's own): its terms and facets.
async fn insert_search_rows(
    tx: &mut Tx<'_>,
    chunk: &[Ticket],
    facets: &[String],
    base: i64,
) -> Result<()> {
    let mut s = sqlx::QueryBuilder::<Db>::new("INSERT INTO ticket_search (rowid, terms) ");
    s.push_values(
        chunk.iter().zip(facets).enumerate(),
        |mut r, (i, (t, facets))| {
            r.push_bind(base + 1 + i as i64)
                .push_bind(format!("{} {facets}", t.terms));
        },
    );
    s.build().execute(&mut **tx).await?;
    Ok(())
}

/// The field values a search by field reads (`ticket_values`), but not those kept in columns.
pub(super) async fn insert_values(
    tx: &mut Tx<'_>,
    tenant: TenantId,
    tickets: &[&Ticket],
) -> Result<()> {
    let rows: Vec<(Uuid, String, String)> = tickets
        .iter()
        .flat_map(|t| {
            value_rows(&t.values)
                .into_iter()
                .map(|(c, v)| (t.id.0, c, v))
        })
        .filter(|(_, code, _)| column_of(code).is_none())
        .collect();
    Store::insert_value_rows(tx, tenant, &rows).await
}

async fn insert_contacts(tx: &mut Tx<'_>, tenant: TenantId, links: &[(Uuid, Uuid)]) -> Result<()> {
    for chunk in links.chunks(rows_per(3)) {
        let mut b = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO ticket_contacts (tenant_id, ticket_id, contact_id) ",
        );
        b.push_values(chunk, |mut r, (t, c)| {
            r.push_bind(tenant.0).push_bind(*t).push_bind(*c);
        });
        b.build().execute(&mut **tx).await?;
    }
    Ok(())
}
