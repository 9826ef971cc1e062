//! What a ticket list asks for: whose tab, which filters, which order, from where.

use switchboard_engine::acd::Millis;
use switchboard_engine::ticket::search::QueryTerm;
use switchboard_engine::ticket::{FlagColor, StatusCategory};
use switchboard_engine::{SkillQueueId, TicketCategoryId, TicketId, TicketTypeId, UserId};

/// Which tickets a list starts from (the tabs, T3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Unassigned and not closed, in one of these groups (claimable).
    Unassigned(Vec<SkillQueueId>),
    /// Assigned to the user, not closed.
    Processing(UserId),
    /// The user transferred them.
    Transferred(UserId),
    /// The user completed them.
    Completed(UserId),
    Cc(UserId),
    Created(UserId),
    All,
    /// Everything this user may see (search without a tab): assigned to them, created,
    /// transferred or cc'd by them, or unassigned in their groups.
    VisibleTo(UserId, Vec<SkillQueueId>),
    /// Assigned to the user, in any status (a part of `VisibleTo`).
    Assigned(UserId),
}

impl Scope {
    /// The parts whose union this scope is, each cheap to walk on its own index; a scope that
    /// is not a union is its own only part.
    pub(crate) fn parts(&self) -> Vec<Scope> {
        match self {
            Scope::VisibleTo(u, groups) => vec![
                Scope::Assigned(*u),
                Scope::Created(*u),
                Scope::Unassigned(groups.clone()),
                Scope::Transferred(*u),
                Scope::Cc(*u),
            ],
            other => vec![other.clone()],
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct TicketFilter {
    /// Quick search: the number, or text in the title, customer or phone.
    pub quick: Option<String>,
    /// Full-text terms that must all match.
    pub text: Vec<QueryTerm>,
    pub status: Option<String>,
    pub status_category: Option<StatusCategory>,
    pub type_id: Option<TicketTypeId>,
    pub category_id: Option<TicketCategoryId>,
    pub group: Option<SkillQueueId>,
    pub assignee: Option<UserId>,
    pub priority: Option<String>,
    pub created_from: Option<Millis>,
    pub created_to: Option<Millis>,
    /// The asking user's flag colour.
    pub flag: Option<FlagColor>,
    /// `(field code, value)`: exact match, or list membership.
    pub fields: Vec<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// By id, which is by creation time.
    #[default]
    Created,
    Updated,
    Due,
    Number,
}

/// Where the previous page ended: the sort value and id of its last row.
pub type Cursor = (i64, TicketId);

#[derive(Debug, Clone, PartialEq)]
pub struct TicketQuery {
    /// The asking user (for flags).
    pub user: UserId,
    pub scope: Scope,
    pub filter: TicketFilter,
    pub sort: SortKey,
    pub desc: bool,
    pub after: Option<Cursor>,
    pub limit: u32,
}

impl SortKey {
    /// The column sorted on besides the id; none when sorting by creation (the id is
    /// time-ordered).
    pub(crate) fn column(self) -> Option<&'static str> {
        Some(match self {
            SortKey::Created => return None,
            SortKey::Updated => "t.updated_at",
            // Tickets without a due time sort last either way round.
            SortKey::Due => "COALESCE(t.due_at, 9000000000000000)",
            SortKey::Number => "t.number",
        })
    }
}
