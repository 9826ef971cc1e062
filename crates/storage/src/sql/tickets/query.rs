//! A ticket list's query (`tickets::query`) as SQL: where it starts (`FROM`), which tickets
//! (`WHERE`: the tenant, the scope, the filters, the page start) and in which order.

use switchboard_engine::{TenantId, UserId};
use uuid::Uuid;

use super::{search, Db, Store};
use crate::backend::Backend;
use crate::tickets::values::column_of;
use crate::tickets::{Scope, TicketFilter, TicketQuery};

/// `WHERE …` for the tenant, `scope` (the query's or one part of it), the query's filters,
/// the search's candidates if it has them, and the page start.
pub(super) fn push_where(
    b: &mut sqlx::QueryBuilder<'_, Db>,
    tenant: TenantId,
    scope: &Scope,
    q: &TicketQuery,
    candidates: Option<&[Uuid]>,
) {
    b.push(" WHERE t.tenant_id = ")
        .push_bind(tenant.0)
        .push(" AND (");
    push_scope(b, tenant, scope);
    b.push(")");
    push_filter(b, tenant, &q.filter);
    if let Some(ids) = candidates {
        Store::push_candidates(b, ids);
    }
    if let Some((value, id)) = q.after {
        let op = if q.desc { " < " } else { " > " };
        match q.sort.column() {
            None => {
                b.push(" AND t.id").push(op).push_bind(id.0);
            }
            Some(col) => {
                b.push(format!(" AND ({col}, t.id)")).push(op).push("(");
                b.push_bind(value).push(", ").push_bind(id.0).push(")");
            }
        }
    }
}

/// The condition of a scope.
fn push_scope(b: &mut sqlx::QueryBuilder<'_, Db>, tenant: TenantId, scope: &Scope) {
    let marked = |b: &mut sqlx::QueryBuilder<'_, Db>, table: &str, user: UserId| {
        b.push(format!(
            "t.id IN (SELECT ticket_id FROM {table} WHERE tenant_id = "
        ))
        .push_bind(tenant.0)
        .push(" AND user_id = ")
        .push_bind(user.0)
        .push(")");
    };
    match scope {
        Scope::Unassigned(groups) if groups.is_empty() => {
            b.push("1 = 0");
        }
        Scope::Unassigned(groups) => {
            b.push("t.assignee_id IS NULL AND t.status_category <> 'closed' AND t.group_id IN (");
            let mut list = b.separated(", ");
            for g in groups {
                list.push_bind(g.0);
            }
            b.push(")");
        }
        Scope::Processing(u) => {
            b.push("t.assignee_id = ").push_bind(u.0);
            b.push(" AND t.status_category <> 'closed'");
        }
        Scope::Assigned(u) => {
            b.push("t.assignee_id = ").push_bind(u.0);
        }
        Scope::Transferred(u) => marked(b, "ticket_transfers", *u),
        Scope::Completed(u) => {
            b.push("t.completed_by = ").push_bind(u.0);
        }
        Scope::Cc(u) => marked(b, "ticket_cc", *u),
        Scope::Created(u) => {
            b.push("t.created_by = ").push_bind(u.0);
        }
        Scope::All => {
            b.push("1 = 1");
        }
        Scope::VisibleTo(..) => {
            for (n, part) in scope.parts().iter().enumerate() {
                b.push(if n == 0 { "(" } else { ") OR (" });
                push_scope(b, tenant, part);
            }
            b.push(")");
        }
    }
}

fn push_filter(b: &mut sqlx::QueryBuilder<'_, Db>, tenant: TenantId, f: &TicketFilter) {
    if let Some(quick) = f.quick.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        search::push_quick(b, quick);
    }
    if !f.text.is_empty() {
        b.push(" AND ");
        search::push_terms(b, &f.text);
    }
    let eq = |b: &mut sqlx::QueryBuilder<'_, Db>, col: &str, v: Option<String>| {
        if let Some(v) = v {
            b.push(format!(" AND {col} = ")).push_bind(v);
        }
    };
    eq(b, "t.status", f.status.clone());
    eq(
        b,
        "t.status_category",
        f.status_category.map(|c| c.code().to_owned()),
    );
    eq(b, "t.priority", f.priority.clone());
    eq(b, "f.color", f.flag.map(|c| c.code().to_owned()));
    let eq_id = |b: &mut sqlx::QueryBuilder<'_, Db>, col: &str, v: Option<Uuid>| {
        if let Some(v) = v {
            b.push(format!(" AND {col} = ")).push_bind(v);
        }
    };
    eq_id(b, "t.type_id", f.type_id.map(|x| x.0));
    eq_id(b, "t.category_id", f.category_id.map(|x| x.0));
    eq_id(b, "t.group_id", f.group.map(|x| x.0));
    eq_id(b, "t.assignee_id", f.assignee.map(|x| x.0));
    if let Some(from) = f.created_from {
        b.push(" AND t.created_at >= ").push_bind(from);
    }
    if let Some(to) = f.created_to {
        b.push(" AND t.created_at < ").push_bind(to);
    }
    for (code, value) in &f.fields {
        if let Some(column) = column_of(code) {
            b.push(format!(" AND t.{column} = "))
                .push_bind(value.clone());
            continue;
        }
        b.push(" AND EXISTS (SELECT 1 FROM ticket_values v WHERE v.ticket_id = t.id AND v.tenant_id = ")
            .push_bind(tenant.0)
            .push(" AND v.code = ")
            .push_bind(code.clone())
            .push(" AND v.value = ")
            .push_bind(value.clone())
            .push(")");
    }
}

/// `ORDER BY … LIMIT …` of a list.
pub(super) fn push_order(b: &mut sqlx::QueryBuilder<'_, Db>, q: &TicketQuery, limit: i64) {
    let dir = if q.desc { "DESC" } else { "ASC" };
    match q.sort.column() {
        Some(col) => b.push(format!(" ORDER BY {col} {dir}, t.id {dir}")),
        None => b.push(format!(" ORDER BY t.id {dir}")),
    };
    b.push(" LIMIT ").push_bind(limit);
}

/// `FROM` the tickets, or only the scope's `newest` from the page start (the rest of
/// the query checks them as it would any ticket).
pub(super) fn push_from(
    b: &mut sqlx::QueryBuilder<'_, Db>,
    q: &TicketQuery,
    with_flags: bool,
    newest: Option<(TenantId, i64)>,
) {
    match newest {
        None => b.push(" FROM tickets t"),
        Some((tenant, n)) => {
            let bare = TicketQuery {
                filter: TicketFilter::default(),
                ..q.clone()
            };
            b.push(" FROM (SELECT t.* FROM tickets t");
            push_where(b, tenant, &q.scope, &bare, None);
            push_order(b, q, n);
            b.push(") t")
        }
    };
    if with_flags || q.filter.flag.is_some() {
        b.push(" LEFT JOIN ticket_flags f ON f.ticket_id = t.id AND f.user_id = ")
            .push_bind(q.user.0);
    }
}
