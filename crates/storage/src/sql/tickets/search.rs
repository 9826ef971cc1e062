//! How a ticket search is planned. A list is read newest first, so the cheap plan is to walk
//! tickets in id order and check each; that finds 50 matches fast when matches are common
//! and walks the whole table when they are rare. Reading every match from an index and
//! sorting is the opposite: fast when rare, slow when common. So before searching, the
//! full-text and field indexes are asked for at most `CANDIDATES` matches: if one of them has
//! fewer, only those tickets are read and sorted; otherwise the walk checks each row. Neither
//! planner gets this right on its own (both misjudge full-text selectivity), so the choice is
//! made here, the same way on both databases. The status and option values are facets in the
//! full-text index (`tickets::facets`), so text, status and options are one probe.

use switchboard_engine::ticket::search::{query_terms, QueryTerm};
use switchboard_engine::TenantId;
use uuid::Uuid;

use super::{facet_fields, Db, Store};
use crate::backend::{Backend, Dialect};
use crate::tickets::facets::{field_facet, status_facet, user_term};
use crate::tickets::values::column_of;
use crate::tickets::{TicketFilter, TicketQuery};
use crate::Result;

/// Up to this many matching tickets are read and sorted rather than walked to.
const CANDIDATES: usize = 5000;

/// `' ' || terms || ' '` contains the term (a prefix term: a word starting with it).
fn like_pattern(t: &QueryTerm) -> String {
    if t.prefix {
        format!("% {}%", t.text)
    } else {
        format!("% {} %", t.text)
    }
}

/// Every term is among the ticket's own terms (a row-by-row check, never an index scan:
/// the candidates decide when the index is worth it).
pub(super) fn push_terms(b: &mut sqlx::QueryBuilder<'_, Db>, terms: &[QueryTerm]) {
    match Store::DIALECT {
        Dialect::Sqlite => {
            // A CJK pair is a plain substring search (`QueryTerm::is_cjk_pair`): half
            // the cost of LIKE over the row's terms and facets joined with spaces.
            b.push("(1 = 1");
            for t in terms {
                if t.is_cjk_pair() {
                    b.push(" AND instr(t.terms, ")
                        .push_bind(t.text.clone())
                        .push(") > 0");
                } else {
                    b.push(" AND (' ' || t.terms || ' ' || t.facets || ' ') LIKE ")
                        .push_bind(like_pattern(t));
                }
            }
            b.push(")");
        }
        Dialect::Postgres => {
            b.push("((t.search @@ to_tsquery('simple', ")
                .push_bind(Store::DIALECT.match_query(terms))
                .push(")) IS TRUE)");
        }
    }
}

/// Quick search: the number, the phone, the customer, or words of the title or
/// description.
pub(super) fn push_quick(b: &mut sqlx::QueryBuilder<'_, Db>, quick: &str) {
    let number = quick
        .trim_start_matches(['T', 't'])
        .parse::<i64>()
        .unwrap_or(-1);
    b.push(" AND (t.number = ").push_bind(number);
    b.push(" OR t.phone = ").push_bind(quick.to_owned());
    b.push(" OR t.customer = ").push_bind(quick.to_owned());
    let terms = user_terms(quick);
    if !terms.is_empty() {
        b.push(" OR ");
        push_terms(b, &terms);
    }
    b.push(")");
}

/// Tickets of the tenant whose search row is one of `rowids` (SQLite). `+tenant_id`
/// keeps the tenant from being the index used: without statistics SQLite would read all
/// the tenant's tickets and check each against the list (1 s for 3,000 rows).
/// `tickets_search` holds all three columns, so no ticket row is read.
async fn ids_by_search_row(
    db: &sqlx::Pool<Db>,
    tenant: TenantId,
    rowids: &[i64],
) -> Result<Vec<Uuid>> {
    if rowids.is_empty() {
        return Ok(vec![]);
    }
    let mut b = sqlx::QueryBuilder::<Db>::new("SELECT id FROM tickets WHERE +tenant_id = ");
    b.push_bind(tenant.0).push(" AND search_rowid IN (");
    let mut list = b.separated(", ");
    for r in rowids {
        list.push_bind(*r);
    }
    b.push(")");
    Ok(b.build_query_scalar().fetch_all(db).await?)
}

/// The tickets matching the terms, if there are at most `CANDIDATES` (on SQLite,
/// counting every tenant's: the full-text table is shared).
async fn fts_candidates(
    db: &sqlx::Pool<Db>,
    tenant: TenantId,
    terms: &[QueryTerm],
) -> Result<Option<Vec<Uuid>>> {
    let limit = CANDIDATES as i64 + 1;
    let query = Store::DIALECT.match_query(terms);
    if Store::DIALECT == Dialect::Postgres {
        let ids: Vec<Uuid> = sqlx::query_scalar(
            // The tenant is checked on each match, never looked up by index: without
            // statistics the planner would otherwise read all the tenant's tickets.
            "SELECT id FROM tickets WHERE search @@ to_tsquery('simple', $2) AND (tenant_id = $1) IS TRUE LIMIT $3",
        )
        .bind(tenant.0)
        .bind(query)
        .bind(limit)
        .fetch_all(db)
        .await?;
        return Ok((ids.len() <= CANDIDATES).then_some(ids));
    }
    let rowids: Vec<i64> =
        sqlx::query_scalar("SELECT rowid FROM ticket_search WHERE ticket_search MATCH $1 LIMIT $2")
            .bind(query)
            .bind(limit)
            .fetch_all(db)
            .await?;
    if rowids.len() > CANDIDATES {
        return Ok(None);
    }
    ids_by_search_row(db, tenant, &rowids).await.map(Some)
}

/// The terms of a user's query (`facets::user_term`).
fn user_terms(query: &str) -> Vec<QueryTerm> {
    query_terms(query).into_iter().map(user_term).collect()
}

/// `q` as it is searched: the user's terms kept off facet tokens (`user_term`), and its
/// filters by facet fields turned into full-text terms (their facets): one probe of the
/// index finds them, and a walk checks them in the row's own terms, never by a lookup
/// of the value (which PostgreSQL plans as a join over every ticket holding it: 0.8 s
/// for a common option).
pub(super) async fn with_facets(
    db: &sqlx::Pool<Db>,
    tenant: TenantId,
    q: &TicketQuery,
) -> Result<TicketQuery> {
    let mut q = q.clone();
    q.filter.text = q.filter.text.into_iter().map(user_term).collect();
    if q.filter.fields.is_empty() {
        return Ok(q);
    }
    let faceted = facet_fields::read(&mut *db.acquire().await?, tenant).await?;
    let (by_facet, by_value): (Vec<_>, Vec<_>) = q
        .filter
        .fields
        .drain(..)
        .partition(|(code, _)| faceted.contains(code));
    q.filter.fields = by_value;
    q.filter
        .text
        .extend(by_facet.iter().map(|(code, value)| QueryTerm {
            text: field_facet(code, value),
            prefix: false,
        }));
    Ok(q)
}

/// The few tickets a search can match, when some part of it is rare.
pub(super) async fn candidates(
    db: &sqlx::Pool<Db>,
    tenant: TenantId,
    f: &TicketFilter,
) -> Result<Option<Vec<Uuid>>> {
    let mut sets: Vec<Vec<Uuid>> = Vec::new();
    // The text (with any option values, `with_facets`) and the status are one
    // probe of the full-text index: rare together is found even when each is common.
    let mut probe = f.text.clone();
    if !probe.is_empty() {
        if let Some(status) = &f.status {
            probe.push(QueryTerm {
                text: status_facet(status),
                prefix: false,
            });
        }
        sets.extend(fts_candidates(db, tenant, &probe).await?);
    }
    for (code, value) in &f.fields {
        sets.extend(field_candidates(db, tenant, code, value).await?);
    }
    if let Some(quick) = f.quick.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        sets.extend(quick_candidates(db, tenant, quick).await?);
    }
    Ok(sets.into_iter().min_by_key(Vec::len))
}

/// The tickets holding this value of a field, if there are at most `CANDIDATES`.
async fn field_candidates(
    db: &sqlx::Pool<Db>,
    tenant: TenantId,
    code: &str,
    value: &str,
) -> Result<Option<Vec<Uuid>>> {
    let ids: Vec<Uuid> = match column_of(code) {
        // The title has no index: a filter on it is checked while walking.
        Some("title") => return Ok(None),
        Some(column) => sqlx::query_scalar(&format!(
            "SELECT id FROM tickets WHERE tenant_id = $1 AND {column} = $2 LIMIT $3"
        ))
        .bind(tenant.0)
        .bind(value)
        .bind(CANDIDATES as i64 + 1)
        .fetch_all(db)
        .await?,
        None => sqlx::query_scalar(
            "SELECT ticket_id FROM ticket_values WHERE tenant_id = $1 AND code = $2 AND value = $3 LIMIT $4",
        )
        .bind(tenant.0)
        .bind(code)
        .bind(value)
        .bind(CANDIDATES as i64 + 1)
        .fetch_all(db)
        .await?,
    };
    Ok((ids.len() <= CANDIDATES).then_some(ids))
}

/// The tickets a quick search finds by its words, or by number, phone or customer, if there
/// are at most `CANDIDATES`.
async fn quick_candidates(
    db: &sqlx::Pool<Db>,
    tenant: TenantId,
    quick: &str,
) -> Result<Option<Vec<Uuid>>> {
    let terms = user_terms(quick);
    let by_words = match terms.is_empty() {
        true => Some(vec![]),
        false => fts_candidates(db, tenant, &terms).await?,
    };
    let Some(mut ids) = by_words else {
        return Ok(None);
    };
    let number = quick
        .trim_start_matches(['T', 't'])
        .parse::<i64>()
        .unwrap_or(-1);
    let exact: Vec<Uuid> = sqlx::query_scalar(
        "SELECT id FROM tickets WHERE tenant_id = $1 AND number = $2 \
         UNION SELECT id FROM tickets WHERE tenant_id = $1 AND phone = $3 \
         UNION SELECT id FROM tickets WHERE tenant_id = $1 AND customer = $3 LIMIT $4",
    )
    .bind(tenant.0)
    .bind(number)
    .bind(quick)
    .bind(CANDIDATES as i64 + 1)
    .fetch_all(db)
    .await?;
    ids.extend(exact);
    Ok((ids.len() <= CANDIDATES).then_some(ids))
}
