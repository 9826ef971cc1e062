//! SQL for tickets, shared by both databases (instantiated per backend). Full-text search is
//! the one place they differ: SQLite keeps terms in an FTS5 table, PostgreSQL in a GIN index.

/// Which database a shared query runs on, for the few statements that differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// The full-text match of all `terms`, as a query string for this database.
    pub(crate) fn match_query(
        self,
        terms: &[switchboard_engine::ticket::search::QueryTerm],
    ) -> String {
        let parts: Vec<String> = terms
            .iter()
            .map(|t| match (self, t.prefix) {
                (Dialect::Sqlite, false) => format!("\"{}\"", t.text),
                (Dialect::Sqlite, true) => format!("\"{}\"*", t.text),
                (Dialect::Postgres, false) => format!("'{}'", t.text),
                (Dialect::Postgres, true) => format!("'{}':*", t.text),
            })
            .collect();
        parts.join(if self == Dialect::Sqlite { " " } else { " & " })
    }
}

macro_rules! impl_ticket_store {
    ($store:ty, $db:ty, $dialect:expr) => {
        use $crate::tickets::rows::*;
        use $crate::tickets::ticket_sql::Dialect;
        use $crate::tickets::values::{column_of, encode_values, text_of, time_of, value_rows};
        use $crate::tickets::facets::{facet_fields_union, ticket_facets, FacetFields, FacetLock};

        const DIALECT: Dialect = $dialect;
        $crate::tickets::search_sql::impl_ticket_search!($db);
        /// Rows per multi-row statement: as many as fit in 30,000 parameters (SQLite allows
        /// 32,766, PostgreSQL 65,535), for a row of `columns`.
        const fn rows_per(columns: usize) -> usize {
            30_000 / columns
        }
        const BATCH: usize = 500;

        async fn ticket_insert_values(
            tx: &mut Tx<'_>,
            tenant: TenantId,
            tickets: &[&Ticket],
        ) -> Result<()> {
            let rows: Vec<(Uuid, String, String)> = tickets
                .iter()
                .flat_map(|t| value_rows(&t.values).into_iter().map(|(c, v)| (t.id.0, c, v)))
                .filter(|(_, code, _)| column_of(code).is_none())
                .collect();
            // Each backend inserts them its fastest way (sqlite.rs, postgres.rs).
            insert_value_rows(tx, tenant, &rows).await
        }

        async fn ticket_append_trail(
            tx: &mut Tx<'_>,
            tenant: TenantId,
            id: TicketId,
            trail: &[NewTrail],
        ) -> Result<()> {
            if trail.is_empty() {
                return Ok(());
            }
            let last: i64 = sqlx::query_scalar(
                "SELECT COALESCE(MAX(seq), 0) FROM ticket_trail WHERE ticket_id = $1",
            )
            .bind(id.0)
            .fetch_one(&mut **tx)
            .await?;
            let mut b = sqlx::QueryBuilder::<$db>::new(
                "INSERT INTO ticket_trail (tenant_id, ticket_id, seq, at, actor_id, action, detail) ",
            );
            b.push_values(trail.iter().enumerate(), |mut r, (i, e)| {
                r.push_bind(tenant.0)
                    .push_bind(id.0)
                    .push_bind(last + 1 + i as i64)
                    .push_bind(e.at)
                    .push_bind(e.actor.map(|a| a.0))
                    .push_bind(e.action.clone())
                    .push_bind(e.detail.clone());
            });
            b.build().execute(&mut **tx).await?;
            Ok(())
        }

        /// The tenant's facet fields: the union of its types'.
        async fn facet_fields_of(
            conn: &mut <$db as sqlx::Database>::Connection,
            tenant: TenantId,
        ) -> Result<FacetFields> {
            let stored: Vec<String> =
                sqlx::query_scalar("SELECT facet_fields FROM ticket_types WHERE tenant_id = $1")
                    .bind(tenant.0)
                    .fetch_all(&mut *conn)
                    .await?;
            Ok(facet_fields_union(stored.iter().map(String::as_str)))
        }

        /// The tenant's facet fields, held as `lock` until the transaction ends. Taken first,
        /// before any ticket row.
        async fn ticket_facet_fields(
            tx: &mut Tx<'_>,
            tenant: TenantId,
            lock: FacetLock,
        ) -> Result<FacetFields> {
            lock_facet_fields(tx, tenant, lock).await?;
            facet_fields_of(&mut **tx, tenant).await
        }

        /// After a type's save (holding the exclusive lock): the tickets holding a value of a
        /// code that joined the tenant's facet fields get their facets rebuilt.
        async fn ticket_facets_follow(
            tx: &mut Tx<'_>,
            tenant: TenantId,
            before: &FacetFields,
        ) -> Result<()> {
            let after = facet_fields_of(&mut **tx, tenant).await?;
            let joined: FacetFields = after.difference(before).cloned().collect();
            if joined.is_empty() {
                return Ok(());
            }
            rebuild_facets(tx, tenant, &after, &joined).await
        }

        /// Brings the ticket's full-text row up to its terms and facets (PostgreSQL's
        /// generated column needs nothing).
        async fn ticket_refresh_search(tx: &mut Tx<'_>, id: TicketId) -> Result<()> {
            if DIALECT == Dialect::Sqlite {
                sqlx::query(
                    "UPDATE ticket_search SET terms = \
                     (SELECT terms || ' ' || facets FROM tickets WHERE id = $1) \
                     WHERE rowid = (SELECT search_rowid FROM tickets WHERE id = $1)",
                )
                .bind(id.0)
                .execute(&mut **tx)
                .await?;
            }
            Ok(())
        }

        /// Inserts tickets already numbered, with their search rows.
        async fn ticket_insert(
            tx: &mut Tx<'_>,
            tenant: TenantId,
            tickets: &[Ticket],
            fields: &FacetFields,
        ) -> Result<()> {
            for chunk in tickets.chunks(rows_per(26)) {
                let base: i64 = match DIALECT {
                    Dialect::Sqlite => {
                        sqlx::query_scalar("SELECT COALESCE(MAX(rowid), 0) FROM ticket_search")
                            .fetch_one(&mut **tx)
                            .await?
                    }
                    Dialect::Postgres => 0,
                };
                let mut b = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO tickets (tenant_id, id, number, type_id, template_id, category_id, \
                     title, status, status_category, priority, customer, phone, group_id, assignee_id, \
                     created_by, completed_by, created_at, updated_at, due_at, closed_at, due_handled, \
                     version, fields, terms, facets",
                );
                b.push(if DIALECT == Dialect::Sqlite { ", search_rowid) " } else { ") " });
                let facets: Vec<String> =
                    chunk.iter().map(|t| ticket_facets(&t.status, &t.values, fields)).collect();
                b.push_values(chunk.iter().zip(&facets).enumerate(), |mut r, (i, (t, facets))| {
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
                        .push_bind(facets.clone());
                    if DIALECT == Dialect::Sqlite {
                        r.push_bind(base + 1 + i as i64);
                    }
                });
                b.build().execute(&mut **tx).await?;
                if DIALECT == Dialect::Sqlite {
                    let mut s = sqlx::QueryBuilder::<$db>::new("INSERT INTO ticket_search (rowid, terms) ");
                    s.push_values(chunk.iter().zip(&facets).enumerate(), |mut r, (i, (t, facets))| {
                        r.push_bind(base + 1 + i as i64).push_bind(format!("{} {facets}", t.terms));
                    });
                    s.build().execute(&mut **tx).await?;
                }
                let refs: Vec<&Ticket> = chunk.iter().collect();
                ticket_insert_values(tx, tenant, &refs).await?;
            }
            Ok(())
        }

        /// `WHERE …` for the tenant, `scope` (the query's or one part of it), the query's filters,
        /// the search's candidates if it has them, and the page start.
        fn ticket_push_where(
            b: &mut sqlx::QueryBuilder<'_, $db>,
            tenant: TenantId,
            scope: &Scope,
            q: &TicketQuery,
            candidates: Option<&[Uuid]>,
        ) {
            b.push(" WHERE t.tenant_id = ").push_bind(tenant.0).push(" AND (");
            ticket_push_scope(b, tenant, scope);
            b.push(")");
            ticket_push_filter(b, tenant, &q.filter);
            if let Some(ids) = candidates {
                ticket_push_candidates(b, ids);
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
        fn ticket_push_scope(b: &mut sqlx::QueryBuilder<'_, $db>, tenant: TenantId, scope: &Scope) {
            let marked = |b: &mut sqlx::QueryBuilder<'_, $db>, table: &str, user: UserId| {
                b.push(format!("t.id IN (SELECT ticket_id FROM {table} WHERE tenant_id = "))
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
                        ticket_push_scope(b, tenant, part);
                    }
                    b.push(")");
                }
            }
        }

        fn ticket_push_filter(b: &mut sqlx::QueryBuilder<'_, $db>, tenant: TenantId, f: &TicketFilter) {
            if let Some(quick) = f.quick.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                ticket_push_quick(b, quick);
            }
            if !f.text.is_empty() {
                b.push(" AND ");
                ticket_push_terms(b, &f.text);
            }
            let eq = |b: &mut sqlx::QueryBuilder<'_, $db>, col: &str, v: Option<String>| {
                if let Some(v) = v {
                    b.push(format!(" AND {col} = ")).push_bind(v);
                }
            };
            eq(b, "t.status", f.status.clone());
            eq(b, "t.status_category", f.status_category.map(|c| c.code().to_owned()));
            eq(b, "t.priority", f.priority.clone());
            eq(b, "f.color", f.flag.map(|c| c.code().to_owned()));
            let eq_id = |b: &mut sqlx::QueryBuilder<'_, $db>, col: &str, v: Option<Uuid>| {
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
                    b.push(format!(" AND t.{column} = ")).push_bind(value.clone());
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

        /// A read transaction for a list. On PostgreSQL it reads by index only: the
        /// plan (walk or candidates, `search_sql`) is chosen here, and the planner, without
        /// fresh statistics, would otherwise scan all of a tenant's tickets and sort them.
        /// (Sessions run without JIT, `PgStore::connect`: the cost of the scans turned off
        /// crosses its threshold, and compiling took 100-170 ms of every list.)
        async fn ticket_read_by_index(db: &sqlx::Pool<$db>) -> Result<Tx<'static>> {
            let mut tx = db.begin().await?;
            if DIALECT == Dialect::Postgres {
                sqlx::query(
                    "SELECT set_config('enable_seqscan', 'off', true), \
                     set_config('enable_bitmapscan', 'off', true)",
                )
                .execute(&mut *tx)
                .await?;
            }
            Ok(tx)
        }

        /// One page of a list: the tickets of the query (among `candidates` if given).
        async fn ticket_page(
            db: &sqlx::Pool<$db>,
            tenant: TenantId,
            q: &TicketQuery,
            candidates: Option<&[Uuid]>,
            newest: Option<i64>,
        ) -> Result<Vec<TicketRow>> {
            if candidates.is_some_and(<[Uuid]>::is_empty) {
                return Ok(vec![]);
            }
            let parts = q.scope.parts();
            let mut b = sqlx::QueryBuilder::<$db>::new(format!("SELECT {ROW_COLUMNS}"));
            let newest = newest.filter(|_| parts.len() == 1).map(|n| (tenant, n));
            ticket_from(&mut b, q, true, newest);
            if parts.len() == 1 {
                ticket_push_where(&mut b, tenant, &q.scope, q, candidates);
            } else {
                // One OR over the parts would walk every ticket; each part's own first page,
                // read on its own index, and the first page of their union is the same page.
                b.push(" WHERE t.tenant_id = ").push_bind(tenant.0).push(" AND t.id IN (");
                for (n, part) in parts.iter().enumerate() {
                    b.push(if n == 0 { "" } else { " UNION " });
                    b.push("SELECT id FROM (SELECT t.id");
                    ticket_from(&mut b, q, false, None);
                    ticket_push_where(&mut b, tenant, part, q, candidates);
                    ticket_push_order(&mut b, q, i64::from(q.limit));
                    b.push(format!(") part{n}"));
                }
                b.push(")");
            }
            ticket_push_order(&mut b, q, i64::from(q.limit));
            let mut tx = ticket_read_by_index(db).await?;
            let rows: Vec<TicketListRow> = b.build_query_as().fetch_all(&mut *tx).await?;
            tx.commit().await?;
            rows.into_iter().map(TicketRow::try_from).collect()
        }

        /// On PostgreSQL, a search first checks only the newest tickets of each part of its
        /// scope (`WALK_FIRST` in all). The full-text probe there costs 30-50 ms when a term is
        /// common: the index builds the set of all its matches (160,000 for a common phrase)
        /// and reads a table row for each of up to `CANDIDATES` of them, only to learn that
        /// matches are common, and then the walk finds the page in a few ms anyway. So the walk
        /// comes first, and its page is the answer when it is known to be right (`Window`);
        /// only otherwise is the probe made. SQLite's probe reads only its index, so it needs
        /// no such shortcut.
        async fn ticket_page_by_short_walk(
            db: &sqlx::Pool<$db>,
            tenant: TenantId,
            q: &TicketQuery,
        ) -> Result<Option<Vec<TicketRow>>> {
            const WALK_FIRST: usize = 5000;
            let f = &q.filter;
            // Words and options may be common; a quick search is mostly a number, a phone or a
            // name, which the probe finds at once, and the walk would only cost its window.
            let searches = (!f.text.is_empty() || !f.fields.is_empty()) && f.quick.is_none();
            let parts = q.scope.parts();
            // Pages of several parts are merged here by id, so only in creation order.
            let mergeable = parts.len() == 1 || q.sort == SortKey::Created;
            if DIALECT != Dialect::Postgres || !searches || !mergeable {
                return Ok(None);
            }
            let (window, merged) = ((WALK_FIRST / parts.len()) as i64, parts.len() > 1);
            let limit = q.limit as usize;
            let mut rows: Vec<TicketRow> = Vec::new();
            let mut windows = Vec::new();
            for part in parts {
                let pq = TicketQuery { scope: part, ..q.clone() };
                let page = ticket_page(db, tenant, &pq, None, Some(window)).await?;
                if page.len() < limit {
                    windows.push(ticket_window(db, tenant, &pq, window).await?);
                }
                rows.extend(page);
            }
            if merged {
                rows.sort_unstable_by_key(|r| r.id.0);
                rows.dedup_by_key(|r| r.id.0);
                if q.desc {
                    rows.reverse();
                }
            }
            rows.truncate(limit);
            let last = rows.last().filter(|_| rows.len() == limit).map(|r| r.id.0);
            if windows.iter().all(|w| w.rules_out_rest(last, q.desc)) {
                return Ok(Some(rows));
            }
            match windows.as_slice() {
                [Window::Full { edge }] if !merged && q.sort == SortKey::Created && !rows.is_empty() => {
                    ticket_page_walking_on(db, tenant, q, rows, WALK_FIRST, *edge).await
                }
                _ => Ok(None),
            }
        }

        /// A first walk of one scope that found some matches, but not a page, goes on past
        /// its window (`edge`) when, at the rate it found them, the rest of the page lies
        /// within `WALK_FURTHER` tickets. Terms common alone but rarer together (a word, an
        /// option and a status: 0.4% of tickets) are found so in a few ms, where the probe
        /// intersects their long lists of matches for 15-30 ms.
        async fn ticket_page_walking_on(
            db: &sqlx::Pool<$db>,
            tenant: TenantId,
            q: &TicketQuery,
            mut rows: Vec<TicketRow>,
            walked: usize,
            edge: Uuid,
        ) -> Result<Option<Vec<TicketRow>>> {
            const WALK_FURTHER: usize = 30_000;
            let missing = q.limit as usize - rows.len();
            let further = walked * missing / rows.len() * 3 / 2;
            if further > WALK_FURTHER {
                return Ok(None);
            }
            let next = TicketQuery {
                after: Some((0, TicketId(edge))),
                limit: missing as u32,
                ..q.clone()
            };
            let page = ticket_page(db, tenant, &next, None, Some(further as i64)).await?;
            let full = page.len() == missing;
            rows.extend(page);
            if full {
                return Ok(Some(rows));
            }
            let seen_all = ticket_window(db, tenant, &next, further as i64).await? == Window::Whole;
            Ok(seen_all.then_some(rows))
        }

        /// How many tickets the first `window` of a part (without the search's filters) held,
        /// and the id at its far end.
        async fn ticket_window(
            db: &sqlx::Pool<$db>,
            tenant: TenantId,
            q: &TicketQuery,
            window: i64,
        ) -> Result<Window> {
            let mut b = sqlx::QueryBuilder::<$db>::new("SELECT COUNT(*) OVER (), t.id");
            let bare = TicketQuery { filter: TicketFilter::default(), ..q.clone() };
            ticket_from(&mut b, &bare, false, Some((tenant, window)));
            b.push(if q.desc { " ORDER BY t.id ASC LIMIT 1" } else { " ORDER BY t.id DESC LIMIT 1" });
            let mut tx = ticket_read_by_index(db).await?;
            let edge: Option<(i64, Uuid)> = b.build_query_as().fetch_optional(&mut *tx).await?;
            tx.commit().await?;
            Ok(match edge {
                Some((n, id)) if n >= window => Window::Full { edge: id },
                _ => Window::Whole,
            })
        }

        /// A page in creation order (by id) among known candidates: the newest are checked
        /// first, in growing batches, and most of them match (the index named them), so the
        /// first batch usually fills the page instead of every candidate being read and sorted.
        async fn ticket_page_of_newest(
            db: &sqlx::Pool<$db>,
            tenant: TenantId,
            q: &TicketQuery,
            mut ids: Vec<Uuid>,
        ) -> Result<Vec<TicketRow>> {
            if let Some((_, after)) = q.after {
                ids.retain(|id| if q.desc { *id < after.0 } else { *id > after.0 });
            }
            ids.sort_unstable();
            if q.desc {
                ids.reverse();
            }
            let limit = q.limit as usize;
            let mut rows = Vec::with_capacity(limit);
            let (mut start, mut batch) = (0, (4 * limit).max(100));
            while start < ids.len() && rows.len() < limit {
                let end = (start + batch).min(ids.len());
                // Each batch's ids all come after the previous batch's, so pages append in order.
                rows.extend(ticket_page(db, tenant, q, Some(&ids[start..end]), None).await?);
                (start, batch) = (end, batch * 2);
            }
            rows.truncate(limit);
            Ok(rows)
        }

        /// `ORDER BY … LIMIT …` of a list.
        fn ticket_push_order(b: &mut sqlx::QueryBuilder<'_, $db>, q: &TicketQuery, limit: i64) {
            let dir = if q.desc { "DESC" } else { "ASC" };
            match q.sort.column() {
                Some(col) => b.push(format!(" ORDER BY {col} {dir}, t.id {dir}")),
                None => b.push(format!(" ORDER BY t.id {dir}")),
            };
            b.push(" LIMIT ").push_bind(limit);
        }

        /// `FROM` the tickets, or only the scope's `newest` from the page start (the rest of
        /// the query checks them as it would any ticket).
        fn ticket_from(
            b: &mut sqlx::QueryBuilder<'_, $db>,
            q: &TicketQuery,
            with_flags: bool,
            newest: Option<(TenantId, i64)>,
        ) {
            match newest {
                None => b.push(" FROM tickets t"),
                Some((tenant, n)) => {
                    let bare = TicketQuery { filter: TicketFilter::default(), ..q.clone() };
                    b.push(" FROM (SELECT t.* FROM tickets t");
                    ticket_push_where(b, tenant, &q.scope, &bare, None);
                    ticket_push_order(b, q, n);
                    b.push(") t")
                }
            };
            if with_flags || q.filter.flag.is_some() {
                b.push(" LEFT JOIN ticket_flags f ON f.ticket_id = t.id AND f.user_id = ")
                    .push_bind(q.user.0);
            }
        }

        #[async_trait::async_trait]
        impl $crate::tickets::TicketStore for $store {
            async fn create_tickets(
                &self,
                tenant: TenantId,
                tickets: &[(Ticket, Vec<ContactId>, Vec<NewTrail>)],
            ) -> Result<Vec<Ticket>> {
                let mut tx = self.writer.begin().await?;
                let fields = ticket_facet_fields(&mut tx, tenant, FacetLock::Shared).await?;
                let n = tickets.len() as i64;
                sqlx::query(
                    "INSERT INTO ticket_numbers (tenant_id, last_number) VALUES ($1, $2) \
                     ON CONFLICT (tenant_id) DO UPDATE SET last_number = ticket_numbers.last_number + $2",
                )
                .bind(tenant.0)
                .bind(n)
                .execute(&mut *tx)
                .await?;
                let last: i64 = sqlx::query_scalar("SELECT last_number FROM ticket_numbers WHERE tenant_id = $1")
                    .bind(tenant.0)
                    .fetch_one(&mut *tx)
                    .await?;
                let numbered: Vec<Ticket> = tickets
                    .iter()
                    .enumerate()
                    .map(|(i, (t, _, _))| Ticket { number: last - n + 1 + i as i64, ..t.clone() })
                    .collect();
                ticket_insert(&mut tx, tenant, &numbered, &fields).await?;
                let links: Vec<(Uuid, Uuid)> = tickets
                    .iter()
                    .flat_map(|(t, contacts, _)| contacts.iter().map(|c| (t.id.0, c.0)))
                    .collect();
                for chunk in links.chunks(rows_per(3)) {
                    let mut b = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO ticket_contacts (tenant_id, ticket_id, contact_id) ",
                    );
                    b.push_values(chunk, |mut r, (t, c)| {
                        r.push_bind(tenant.0).push_bind(*t).push_bind(*c);
                    });
                    b.build().execute(&mut *tx).await?;
                }
                let trail: Vec<(Uuid, &NewTrail)> = tickets
                    .iter()
                    .flat_map(|(t, _, trail)| trail.iter().map(|e| (t.id.0, e)))
                    .collect();
                let mut seqs: std::collections::HashMap<Uuid, i64> = Default::default();
                for chunk in trail.chunks(rows_per(7)) {
                    let mut b = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO ticket_trail (tenant_id, ticket_id, seq, at, actor_id, action, detail) ",
                    );
                    b.push_values(chunk, |mut r, (id, e)| {
                        let seq = seqs.entry(*id).or_insert(0);
                        *seq += 1;
                        r.push_bind(tenant.0)
                            .push_bind(*id)
                            .push_bind(*seq)
                            .push_bind(e.at)
                            .push_bind(e.actor.map(|a| a.0))
                            .push_bind(e.action.clone())
                            .push_bind(e.detail.clone());
                    });
                    b.build().execute(&mut *tx).await?;
                }
                tx.commit().await?;
                Ok(numbered)
            }

            async fn ticket(&self, tenant: TenantId, id: TicketId) -> Result<Option<Ticket>> {
                let row: Option<TicketDbRow> =
                    sqlx::query_as(&format!("{TICKET_COLUMNS} WHERE t.tenant_id = $1 AND t.id = $2"))
                        .bind(tenant.0)
                        .bind(id.0)
                        .fetch_optional(&self.reader)
                        .await?;
                row.map(Ticket::try_from).transpose()
            }

            async fn ticket_values(
                &self,
                tenant: TenantId,
                ids: &[TicketId],
            ) -> Result<Vec<(TicketId, switchboard_engine::ticket::FieldValues)>> {
                let mut out = Vec::with_capacity(ids.len());
                for chunk in ids.chunks(rows_per(1)) {
                    let mut b = sqlx::QueryBuilder::<$db>::new("SELECT id, fields FROM tickets WHERE tenant_id = ");
                    b.push_bind(tenant.0).push(" AND id IN (");
                    let mut list = b.separated(", ");
                    for id in chunk {
                        list.push_bind(id.0);
                    }
                    b.push(")");
                    let rows: Vec<(Uuid, String)> = b.build_query_as().fetch_all(&self.reader).await?;
                    for (id, fields) in rows {
                        out.push((TicketId(id), $crate::tickets::values::decode_values(&fields)?));
                    }
                }
                Ok(out)
            }

            async fn ticket_by_number(&self, tenant: TenantId, number: i64) -> Result<Option<Ticket>> {
                let row: Option<TicketDbRow> =
                    sqlx::query_as(&format!("{TICKET_COLUMNS} WHERE t.tenant_id = $1 AND t.number = $2"))
                        .bind(tenant.0)
                        .bind(number)
                        .fetch_optional(&self.reader)
                        .await?;
                row.map(Ticket::try_from).transpose()
            }

            async fn save_ticket(
                &self,
                tenant: TenantId,
                t: &Ticket,
                changes: &TicketChanges,
                trail: &[NewTrail],
            ) -> Result<Ticket> {
                let mut tx = self.writer.begin().await?;
                let fields = ticket_facet_fields(&mut tx, tenant, FacetLock::Shared).await?;
                let done = sqlx::query(
                    "UPDATE tickets SET template_id = $4, category_id = $5, title = $6, status = $7, \
                     status_category = $8, priority = $9, customer = $10, phone = $11, group_id = $12, \
                     assignee_id = $13, completed_by = $14, updated_at = $15, due_at = $16, closed_at = $17, \
                     due_handled = $18, fields = $19, terms = $20, facets = $21, version = version + 1 \
                     WHERE tenant_id = $1 AND id = $2 AND version = $3",
                )
                .bind(tenant.0)
                .bind(t.id.0)
                .bind(t.version)
                .bind(t.template_id.map(|x| x.0))
                .bind(t.category_id.map(|x| x.0))
                .bind(text_of(&t.values, "title").unwrap_or_default())
                .bind(&t.status)
                .bind(t.status_category.code())
                .bind(text_of(&t.values, "priority").unwrap_or_else(|| "normal".into()))
                .bind(text_of(&t.values, "customer"))
                .bind(text_of(&t.values, "phone"))
                .bind(t.group.map(|x| x.0))
                .bind(t.assignee.map(|x| x.0))
                .bind(t.completed_by.map(|x| x.0))
                .bind(t.updated_at)
                .bind(time_of(&t.values, "due_at"))
                .bind(t.closed_at)
                .bind(t.due_handled)
                .bind(encode_values(&t.values))
                .bind(&t.terms)
                .bind(ticket_facets(&t.status, &t.values, &fields))
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    drop(tx);
                    return match self.ticket(tenant, t.id).await? {
                        Some(_) => Err(StorageError::Stale),
                        None => Err(StorageError::NotFound),
                    };
                }
                sqlx::query("DELETE FROM ticket_values WHERE ticket_id = $1")
                    .bind(t.id.0)
                    .execute(&mut *tx)
                    .await?;
                ticket_insert_values(&mut tx, tenant, &[t]).await?;
                ticket_refresh_search(&mut tx, t.id).await?;
                ticket_apply_changes(&mut tx, tenant, t, changes).await?;
                ticket_append_trail(&mut tx, tenant, t.id, trail).await?;
                tx.commit().await?;
                Ok(Ticket { version: t.version + 1, ..t.clone() })
            }

            async fn add_ticket_note(
                &self,
                tenant: TenantId,
                id: TicketId,
                terms: &str,
                trail: &NewTrail,
            ) -> Result<()> {
                let mut tx = self.writer.begin().await?;
                let done = sqlx::query(
                    "UPDATE tickets SET terms = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2",
                )
                .bind(tenant.0)
                .bind(id.0)
                .bind(terms)
                .bind(trail.at)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(StorageError::NotFound);
                }
                ticket_refresh_search(&mut tx, id).await?;
                ticket_append_trail(&mut tx, tenant, id, std::slice::from_ref(trail)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn ticket_trail(&self, tenant: TenantId, id: TicketId) -> Result<Vec<TrailEntry>> {
                let rows: Vec<(i64, i64, Option<Uuid>, String, String)> = sqlx::query_as(
                    "SELECT seq, at, actor_id, action, detail FROM ticket_trail \
                     WHERE tenant_id = $1 AND ticket_id = $2 ORDER BY seq",
                )
                .bind(tenant.0)
                .bind(id.0)
                .fetch_all(&self.reader)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(seq, at, actor, action, detail)| TrailEntry {
                        seq,
                        at,
                        actor: actor.map(UserId),
                        action,
                        detail,
                    })
                    .collect())
            }

            async fn ticket_links(&self, tenant: TenantId, id: TicketId, user: UserId) -> Result<TicketLinks> {
                let ids = |sql: &'static str| {
                    sqlx::query_scalar::<_, Uuid>(sql).bind(tenant.0).bind(id.0).fetch_all(&self.reader)
                };
                let contacts = ids("SELECT contact_id FROM ticket_contacts WHERE tenant_id = $1 AND ticket_id = $2 ORDER BY contact_id").await?;
                let cc = ids("SELECT user_id FROM ticket_cc WHERE tenant_id = $1 AND ticket_id = $2 ORDER BY user_id").await?;
                let flag: Option<String> = sqlx::query_scalar(
                    "SELECT color FROM ticket_flags WHERE tenant_id = $1 AND ticket_id = $2 AND user_id = $3",
                )
                .bind(tenant.0)
                .bind(id.0)
                .bind(user.0)
                .fetch_optional(&self.reader)
                .await?;
                let reminders: Vec<ReminderRow> = sqlx::query_as(&format!(
                    "SELECT {REMINDER_COLUMNS} FROM ticket_reminders r \
                     WHERE r.tenant_id = $1 AND r.ticket_id = $2 AND r.user_id = $3 ORDER BY r.at"
                ))
                .bind(tenant.0)
                .bind(id.0)
                .bind(user.0)
                .fetch_all(&self.reader)
                .await?;
                Ok(TicketLinks {
                    contacts: contacts.into_iter().map(ContactId).collect(),
                    cc: cc.into_iter().map(UserId).collect(),
                    flag: flag
                        .as_deref()
                        .map(switchboard_engine::ticket::FlagColor::parse)
                        .transpose()
                        .map_err($crate::rows::corrupt)?,
                    reminders: reminders.into_iter().map(Reminder::from).collect(),
                })
            }

            async fn ticket_involves(&self, tenant: TenantId, id: TicketId, user: UserId) -> Result<bool> {
                let n: i64 = sqlx::query_scalar(
                    "SELECT (SELECT COUNT(*) FROM ticket_cc WHERE tenant_id = $1 AND ticket_id = $2 AND user_id = $3) \
                          + (SELECT COUNT(*) FROM ticket_transfers WHERE tenant_id = $1 AND ticket_id = $2 AND user_id = $3)",
                )
                .bind(tenant.0)
                .bind(id.0)
                .bind(user.0)
                .fetch_one(&self.reader)
                .await?;
                Ok(n > 0)
            }

            async fn list_tickets(&self, tenant: TenantId, q: &TicketQuery) -> Result<Vec<TicketRow>> {
                let q = &ticket_with_facets(&self.reader, tenant, q).await?;
                if let Some(rows) = ticket_page_by_short_walk(&self.reader, tenant, q).await? {
                    return Ok(rows);
                }
                match ticket_candidates(&self.reader, tenant, &q.filter).await? {
                    Some(ids) if q.sort == SortKey::Created => {
                        ticket_page_of_newest(&self.reader, tenant, q, ids).await
                    }
                    candidates => ticket_page(&self.reader, tenant, q, candidates.as_deref(), None).await,
                }
            }

            async fn count_tickets(&self, tenant: TenantId, q: &TicketQuery) -> Result<i64> {
                if q.scope == Scope::All && q.filter == TicketFilter::default() {
                    // Tickets are never deleted, and each takes the next number in the
                    // transaction that creates it: the last number is the count.
                    let last: Option<i64> =
                        sqlx::query_scalar("SELECT last_number FROM ticket_numbers WHERE tenant_id = $1")
                            .bind(tenant.0)
                            .fetch_optional(&self.reader)
                            .await?;
                    return Ok(last.unwrap_or(0));
                }
                let q = &ticket_with_facets(&self.reader, tenant, q).await?;
                let candidates = ticket_candidates(&self.reader, tenant, &q.filter).await?;
                if candidates.as_ref().is_some_and(Vec::is_empty) {
                    return Ok(0);
                }
                let mut b = sqlx::QueryBuilder::<$db>::new("SELECT COUNT(*)");
                ticket_from(&mut b, q, false, None);
                ticket_push_where(&mut b, tenant, &q.scope, q, candidates.as_deref());
                // A count reads every match, so the planner's bitmap scans are right here.
                Ok(b.build_query_scalar().fetch_one(&self.reader).await?)
            }

            async fn set_ticket_flag(
                &self,
                tenant: TenantId,
                id: TicketId,
                user: UserId,
                color: Option<switchboard_engine::ticket::FlagColor>,
            ) -> Result<()> {
                match color {
                    Some(c) => sqlx::query(
                        "INSERT INTO ticket_flags (tenant_id, ticket_id, user_id, color) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (ticket_id, user_id) DO UPDATE SET color = $4",
                    )
                    .bind(tenant.0)
                    .bind(id.0)
                    .bind(user.0)
                    .bind(c.code()),
                    None => sqlx::query(
                        "DELETE FROM ticket_flags WHERE tenant_id = $1 AND ticket_id = $2 AND user_id = $3",
                    )
                    .bind(tenant.0)
                    .bind(id.0)
                    .bind(user.0),
                }
                .execute(&self.writer)
                .await?;
                Ok(())
            }

            async fn add_reminder(&self, tenant: TenantId, r: &Reminder) -> Result<()> {
                sqlx::query(
                    "INSERT INTO ticket_reminders (tenant_id, id, ticket_id, user_id, at, note, fired_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, NULL)",
                )
                .bind(tenant.0)
                .bind(r.id.0)
                .bind(r.ticket.0)
                .bind(r.user.0)
                .bind(r.at)
                .bind(&r.note)
                .execute(&self.writer)
                .await?;
                Ok(())
            }

            async fn delete_reminder(&self, tenant: TenantId, user: UserId, id: ReminderId) -> Result<()> {
                let done = sqlx::query(
                    "DELETE FROM ticket_reminders WHERE tenant_id = $1 AND user_id = $2 AND id = $3",
                )
                .bind(tenant.0)
                .bind(user.0)
                .bind(id.0)
                .execute(&self.writer)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(StorageError::NotFound);
                }
                Ok(())
            }

            async fn due_reminders(&self, now: Millis, users: &[UserId], limit: u32) -> Result<Vec<DueReminder>> {
                let mut out = Vec::new();
                for chunk in users.chunks(BATCH) {
                    let mut b = sqlx::QueryBuilder::<$db>::new(format!(
                        "SELECT r.tenant_id, t.number, t.title, {REMINDER_COLUMNS} FROM ticket_reminders r \
                         JOIN tickets t ON t.id = r.ticket_id WHERE r.fired_at IS NULL AND r.at <= "
                    ));
                    b.push_bind(now).push(" AND r.user_id IN (");
                    let mut list = b.separated(", ");
                    for u in chunk {
                        list.push_bind(u.0);
                    }
                    b.push(") ORDER BY r.at LIMIT ").push_bind(i64::from(limit));
                    let rows: Vec<DueReminderRow> = b.build_query_as().fetch_all(&self.reader).await?;
                    out.extend(rows.into_iter().map(DueReminderRow::split).map(|(tenant, number, title, r)| DueReminder {
                        tenant: TenantId(tenant),
                        reminder: Reminder::from(r),
                        number,
                        title,
                    }));
                }
                Ok(out)
            }

            async fn mark_reminder_fired(&self, tenant: TenantId, id: ReminderId, at: Millis) -> Result<()> {
                sqlx::query("UPDATE ticket_reminders SET fired_at = $3 WHERE tenant_id = $1 AND id = $2")
                    .bind(tenant.0)
                    .bind(id.0)
                    .bind(at)
                    .execute(&self.writer)
                    .await?;
                Ok(())
            }

            async fn overdue_tickets(&self, now: Millis, limit: u32) -> Result<Vec<(TenantId, TicketId)>> {
                let rows: Vec<(Uuid, Uuid)> = sqlx::query_as(
                    "SELECT tenant_id, id FROM tickets \
                     WHERE due_handled = FALSE AND closed_at IS NULL AND due_at <= $1 ORDER BY due_at LIMIT $2",
                )
                .bind(now)
                .bind(i64::from(limit))
                .fetch_all(&self.reader)
                .await?;
                Ok(rows.into_iter().map(|(t, id)| (TenantId(t), TicketId(id))).collect())
            }

            async fn record_rotation(
                &self,
                tenant: TenantId,
                group: SkillQueueId,
                user: UserId,
                at: Millis,
            ) -> Result<()> {
                let mut tx = self.writer.begin().await?;
                ticket_rotate(&mut tx, tenant, group, user, at).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn next_in_rotation(
                &self,
                tenant: TenantId,
                group: SkillQueueId,
                members: &[UserId],
            ) -> Result<Option<UserId>> {
                let last: Vec<(Uuid, i64)> = sqlx::query_as(
                    "SELECT user_id, last_at FROM ticket_rotation WHERE tenant_id = $1 AND group_id = $2",
                )
                .bind(tenant.0)
                .bind(group.0)
                .fetch_all(&self.reader)
                .await?;
                let when = |u: &UserId| last.iter().find(|(id, _)| *id == u.0).map_or(0, |(_, at)| *at);
                Ok(members.iter().min_by_key(|u| when(u)).copied())
            }

            async fn ticket_stats(&self, tenant: TenantId, r: &StatsRange) -> Result<TicketStats> {
                ticket_stats_query(&self.reader, tenant, r).await
            }
        }

        async fn ticket_apply_changes(
            tx: &mut Tx<'_>,
            tenant: TenantId,
            t: &Ticket,
            c: &TicketChanges,
        ) -> Result<()> {
            for u in &c.add_cc {
                sqlx::query(
                    "INSERT INTO ticket_cc (tenant_id, ticket_id, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                )
                .bind(tenant.0)
                .bind(t.id.0)
                .bind(u.0)
                .execute(&mut **tx)
                .await?;
            }
            for u in &c.remove_cc {
                sqlx::query("DELETE FROM ticket_cc WHERE tenant_id = $1 AND ticket_id = $2 AND user_id = $3")
                    .bind(tenant.0)
                    .bind(t.id.0)
                    .bind(u.0)
                    .execute(&mut **tx)
                    .await?;
            }
            for contact in &c.link_contacts {
                sqlx::query(
                    "INSERT INTO ticket_contacts (tenant_id, ticket_id, contact_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                )
                .bind(tenant.0)
                .bind(t.id.0)
                .bind(contact.0)
                .execute(&mut **tx)
                .await?;
            }
            if let Some(u) = c.transferred_by {
                sqlx::query(
                    "INSERT INTO ticket_transfers (tenant_id, ticket_id, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                )
                .bind(tenant.0)
                .bind(t.id.0)
                .bind(u.0)
                .execute(&mut **tx)
                .await?;
            }
            if let Some((group, user)) = c.rotation {
                ticket_rotate(tx, tenant, group, user, t.updated_at).await?;
            }
            Ok(())
        }

        async fn ticket_rotate(
            tx: &mut Tx<'_>,
            tenant: TenantId,
            group: SkillQueueId,
            user: UserId,
            at: Millis,
        ) -> Result<()> {
            sqlx::query(
                "INSERT INTO ticket_rotation (tenant_id, group_id, user_id, last_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (group_id, user_id) DO UPDATE SET last_at = $4",
            )
            .bind(tenant.0)
            .bind(group.0)
            .bind(user.0)
            .bind(at)
            .execute(&mut **tx)
            .await?;
            Ok(())
        }

        /// The local day (days since 1970-01-01) of `column`'s time: shifted by the offset in
        /// force then, which changes at summer time.
        fn ticket_push_local_day(b: &mut sqlx::QueryBuilder<'_, $db>, column: &str, offsets: &[(i64, i32)]) {
            let ms = |min: i32| i64::from(min) * 60_000;
            let first = ms(offsets.first().map_or(0, |o| o.1));
            if offsets.len() < 2 {
                b.push(format!("({column} + ")).push_bind(first).push(") / 86400000");
                return;
            }
            b.push(format!("({column} + CASE"));
            for (since, min) in offsets.iter().skip(1).rev() {
                b.push(format!(" WHEN {column} >= ")).push_bind(*since).push(" THEN ").push_bind(ms(*min));
            }
            b.push(" ELSE ").push_bind(first).push(" END) / 86400000");
        }

        async fn ticket_stats_query(
            db: &sqlx::Pool<$db>,
            tenant: TenantId,
            r: &StatsRange,
        ) -> Result<TicketStats> {
            // created, assigned, completed, backlog per type and group, in one pass.
            let rows: Vec<(Uuid, Option<Uuid>, i64, i64, i64, i64)> = sqlx::query_as(
                "SELECT type_id, group_id, \
                   SUM(CASE WHEN created_at >= $2 AND created_at < $3 THEN 1 ELSE 0 END), \
                   SUM(CASE WHEN created_at >= $2 AND created_at < $3 AND assignee_id IS NOT NULL THEN 1 ELSE 0 END), \
                   SUM(CASE WHEN closed_at >= $2 AND closed_at < $3 THEN 1 ELSE 0 END), \
                   SUM(CASE WHEN closed_at IS NULL THEN 1 ELSE 0 END) \
                 FROM tickets WHERE tenant_id = $1 AND ($4 IS NULL OR type_id = $4) AND ($5 IS NULL OR group_id = $5) \
                 GROUP BY type_id, group_id",
            )
            .bind(tenant.0)
            .bind(r.from)
            .bind(r.to)
            .bind(r.type_id.map(|x| x.0))
            .bind(r.group.map(|x| x.0))
            .fetch_all(db)
            .await?;
            let mut stats = TicketStats::default();
            for (type_id, group, created, assigned, completed, backlog) in rows {
                let add = |c: &mut StatCounts| {
                    c.created += created;
                    c.assigned += assigned;
                    c.completed += completed;
                    c.backlog += backlog;
                };
                add(&mut stats.totals);
                let type_id = TicketTypeId(type_id);
                match stats.by_type.iter_mut().find(|(t, _)| *t == type_id) {
                    Some((_, c)) => add(c),
                    None => {
                        let mut c = StatCounts::default();
                        add(&mut c);
                        stats.by_type.push((type_id, c));
                    }
                }
                let group = group.map(SkillQueueId);
                match stats.by_group.iter_mut().find(|(g, _)| *g == group) {
                    Some((_, c)) => add(c),
                    None => {
                        let mut c = StatCounts::default();
                        add(&mut c);
                        stats.by_group.push((group, c));
                    }
                }
            }
            let per_day = |column: &'static str| {
                let mut b = sqlx::QueryBuilder::<$db>::new("SELECT ");
                ticket_push_local_day(&mut b, column, &r.offsets);
                b.push(", COUNT(*) FROM tickets WHERE tenant_id = ").push_bind(tenant.0);
                b.push(format!(" AND {column} >= ")).push_bind(r.from);
                b.push(format!(" AND {column} < ")).push_bind(r.to);
                if let Some(t) = r.type_id {
                    b.push(" AND type_id = ").push_bind(t.0);
                }
                if let Some(g) = r.group {
                    b.push(" AND group_id = ").push_bind(g.0);
                }
                b.push(" GROUP BY 1 ORDER BY 1");
                b
            };
            let created: Vec<(i64, i64)> = per_day("created_at").build_query_as().fetch_all(db).await?;
            let completed: Vec<(i64, i64)> = per_day("closed_at").build_query_as().fetch_all(db).await?;
            let mut days: Vec<i64> = created.iter().chain(&completed).map(|(d, _)| *d).collect();
            days.sort_unstable();
            days.dedup();
            let count = |list: &[(i64, i64)], d: i64| list.iter().find(|(x, _)| *x == d).map_or(0, |(_, n)| *n);
            stats.by_day = days
                .into_iter()
                .map(|d| (d, count(&created, d), count(&completed, d)))
                .collect();
            Ok(stats)
        }
    };
}
pub(crate) use impl_ticket_store;
