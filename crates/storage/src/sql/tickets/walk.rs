//! The short walk: on PostgreSQL, a search first reads only the newest tickets of each part
//! of its scope, and takes that page when it is provably right.

use switchboard_engine::{TenantId, TicketId};
use uuid::Uuid;

use super::{list, query, Db, Store};
use crate::backend::{Backend, Dialect};
use crate::tickets::{SortKey, TicketFilter, TicketQuery, TicketRow};
use crate::Result;

/// What a search's first walk saw of one part of its scope (`page_by_short_walk`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Window {
    /// The part holds no more tickets than the window: the walk saw all of them.
    Whole,
    /// The window was full; `edge` is its last ticket in the list's order.
    Full { edge: Uuid },
}

impl Window {
    /// Whether no ticket beyond this window can be on a page of merged parts whose last row
    /// is `last` (`None`: the page is not full, so any ticket could still join it).
    fn rules_out_rest(self, last: Option<Uuid>, desc: bool) -> bool {
        match (self, last) {
            (Window::Whole, _) => true,
            (Window::Full { .. }, None) => false,
            (Window::Full { edge }, Some(last)) if desc => last >= edge,
            (Window::Full { edge }, Some(last)) => last <= edge,
        }
    }
}

/// On PostgreSQL, a search first checks only the newest tickets of each part of its
/// scope (`WALK_FIRST` in all). The full-text probe there costs 30-50 ms when a term is
/// common: the index builds the set of all its matches (160,000 for a common phrase)
/// and reads a table row for each of up to `CANDIDATES` of them, only to learn that
/// matches are common, and then the walk finds the page in a few ms anyway. So the walk
/// comes first, and its page is the answer when it is known to be right (`Window`);
/// only otherwise is the probe made. SQLite's probe reads only its index, so it needs
/// no such shortcut.
pub(super) async fn page_by_short_walk(
    db: &sqlx::Pool<Db>,
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
    if Store::DIALECT != Dialect::Postgres || !searches || !mergeable {
        return Ok(None);
    }
    let (window, merged) = ((WALK_FIRST / parts.len()) as i64, parts.len() > 1);
    let limit = q.limit as usize;
    let mut rows: Vec<TicketRow> = Vec::new();
    let mut windows = Vec::new();
    for part in parts {
        let pq = TicketQuery {
            scope: part,
            ..q.clone()
        };
        let page = list::page(db, tenant, &pq, None, Some(window)).await?;
        if page.len() < limit {
            windows.push(part_window(db, tenant, &pq, window).await?);
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
            page_walking_on(db, tenant, q, rows, WALK_FIRST, *edge).await
        }
        _ => Ok(None),
    }
}

/// A first walk of one scope that found some matches, but not a page, goes on past
/// its window (`edge`) when, at the rate it found them, the rest of the page lies
/// within `WALK_FURTHER` tickets. Terms common alone but rarer together (a word, an
/// option and a status: 0.4% of tickets) are found so in a few ms, where the probe
/// intersects their long lists of matches for 15-30 ms.
async fn page_walking_on(
    db: &sqlx::Pool<Db>,
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
    let page = list::page(db, tenant, &next, None, Some(further as i64)).await?;
    let full = page.len() == missing;
    rows.extend(page);
    if full {
        return Ok(Some(rows));
    }
    let seen_all = part_window(db, tenant, &next, further as i64).await? == Window::Whole;
    Ok(seen_all.then_some(rows))
}

/// How many tickets the first `window` of a part (without the search's filters) held,
/// and the id at its far end.
async fn part_window(
    db: &sqlx::Pool<Db>,
    tenant: TenantId,
    q: &TicketQuery,
    window: i64,
) -> Result<Window> {
    let mut b = sqlx::QueryBuilder::<Db>::new("SELECT COUNT(*) OVER (), t.id");
    let bare = TicketQuery {
        filter: TicketFilter::default(),
        ..q.clone()
    };
    query::push_from(&mut b, &bare, false, Some((tenant, window)));
    b.push(if q.desc {
        " ORDER BY t.id ASC LIMIT 1"
    } else {
        " ORDER BY t.id DESC LIMIT 1"
    });
    let mut tx = list::read_by_index(db).await?;
    let edge: Option<(i64, Uuid)> = b.build_query_as().fetch_optional(&mut *tx).await?;
    tx.commit().await?;
    Ok(match edge {
        Some((n, id)) if n >= window => Window::Full { edge: id },
        _ => Window::Whole,
    })
}
