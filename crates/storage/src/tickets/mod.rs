//! Ticket storage (issue #5): configuration (categories, types, templates, views) and tickets
//! with their trail, lists, search, flags, reminders and figures. Type definitions, template
//! layouts and view definitions are opaque JSON here: the server owns their shape. Their SQL,
//! shared by both databases, is in `sql/tickets/`.

pub(crate) mod facets;
mod query;
pub(crate) mod rows;
pub(crate) mod values;

pub use query::{Scope, SortKey, TicketFilter, TicketQuery};
pub use values::{decode_values, encode_values};

use switchboard_engine::acd::Millis;
use switchboard_engine::ticket::{FieldValues, FlagColor, StatusCategory};
use switchboard_engine::{
    ContactId, ReminderId, SkillQueueId, TenantId, TicketCategoryId, TicketId, TicketTemplateId,
    TicketTypeId, TicketViewId, UserId,
};

use crate::Result;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketCategory {
    pub id: TicketCategoryId,
    pub parent: Option<TicketCategoryId>,
    pub name: String,
    pub position: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketType {
    pub id: TicketTypeId,
    pub name: String,
    pub description: String,
    pub active: bool,
    /// Bumped on every save; a save naming an older version is refused as stale.
    pub version: i64,
    pub definition: String,
    /// The codes of its select and cascade fields (`TicketSchema::option_codes`): their
    /// values are search facets (`tickets::facets`).
    pub facet_fields: Vec<String>,
    pub created_at: Millis,
    pub updated_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketTemplate {
    pub id: TicketTemplateId,
    pub type_id: TicketTypeId,
    pub name: String,
    pub layout: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketView {
    pub id: TicketViewId,
    pub owner: UserId,
    pub name: String,
    pub shared: bool,
    pub definition: String,
}

/// A ticket's own state. Title, priority, customer, phone and due time are read from its
/// field values when it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    pub id: TicketId,
    /// Per tenant, from 1; given by storage when the ticket is created.
    pub number: i64,
    pub type_id: TicketTypeId,
    pub template_id: Option<TicketTemplateId>,
    pub category_id: Option<TicketCategoryId>,
    pub status: String,
    pub status_category: StatusCategory,
    pub group: Option<SkillQueueId>,
    pub assignee: Option<UserId>,
    pub created_by: Option<UserId>,
    pub completed_by: Option<UserId>,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub closed_at: Option<Millis>,
    /// The due-time rules have run for the current due time.
    pub due_handled: bool,
    pub version: i64,
    pub values: FieldValues,
    /// Full-text terms (`switchboard_engine::ticket::search::index_terms`).
    pub terms: String,
}

/// One line of a ticket list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketRow {
    pub id: TicketId,
    pub number: i64,
    pub title: String,
    pub status: String,
    pub status_category: StatusCategory,
    pub priority: String,
    pub type_id: TicketTypeId,
    pub group: Option<SkillQueueId>,
    pub assignee: Option<UserId>,
    pub customer: Option<String>,
    pub phone: Option<String>,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub due_at: Option<Millis>,
    /// The asking user's flag.
    pub flag: Option<FlagColor>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailEntry {
    pub seq: i64,
    pub at: Millis,
    pub actor: Option<UserId>,
    pub action: String,
    /// JSON, shaped by the server per action.
    pub detail: String,
}

/// A trail entry to append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTrail {
    pub at: Millis,
    pub actor: Option<UserId>,
    pub action: String,
    pub detail: String,
}

/// What else changes with a ticket save, in the same transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TicketChanges {
    pub add_cc: Vec<UserId>,
    pub remove_cc: Vec<UserId>,
    pub link_contacts: Vec<ContactId>,
    /// Remember that this user transferred the ticket ("my transferred").
    pub transferred_by: Option<UserId>,
    /// A round-robin rule gave the ticket to this member of this group.
    pub rotation: Option<(SkillQueueId, UserId)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub id: ReminderId,
    pub ticket: TicketId,
    pub user: UserId,
    pub at: Millis,
    pub note: Option<String>,
    pub fired_at: Option<Millis>,
}

/// A reminder that fell due, with what the notification shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueReminder {
    pub tenant: TenantId,
    pub reminder: Reminder,
    pub number: i64,
    pub title: String,
}

/// The links and the asking user's marks of one ticket.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TicketLinks {
    pub contacts: Vec<ContactId>,
    pub cc: Vec<UserId>,
    pub flag: Option<FlagColor>,
    pub reminders: Vec<Reminder>,
}

/// Tickets in, assigned, completed and backlog, overall and by type, group and day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TicketStats {
    pub totals: StatCounts,
    pub by_type: Vec<(TicketTypeId, StatCounts)>,
    pub by_group: Vec<(Option<SkillQueueId>, StatCounts)>,
    /// `(day index since 1970-01-01 in the asked offset, created, completed)`.
    pub by_day: Vec<(i64, i64, i64)>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatCounts {
    /// Created in the range.
    pub created: i64,
    /// Created in the range and given to someone.
    pub assigned: i64,
    /// Closed in the range.
    pub completed: i64,
    /// Not closed now (of those matching type/group), whenever created.
    pub backlog: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatsRange {
    pub from: Millis,
    pub to: Millis,
    /// Where days are cut: `(since, minutes east of UTC)`, the first since `from`, then each
    /// change of offset in the range (`TenantZone::offsets_between`).
    pub offsets: Vec<(Millis, i32)>,
    pub type_id: Option<TicketTypeId>,
    pub group: Option<SkillQueueId>,
}

/// Ticket configuration.
#[async_trait::async_trait]
pub trait TicketConfigStore: Send + Sync {
    async fn ticket_categories(&self, tenant: TenantId) -> Result<Vec<TicketCategory>>;
    async fn save_ticket_category(&self, tenant: TenantId, c: &TicketCategory) -> Result<()>;
    /// Refused (`Reference`) while it has children or tickets.
    async fn delete_ticket_category(&self, tenant: TenantId, id: TicketCategoryId) -> Result<()>;

    async fn ticket_types(&self, tenant: TenantId) -> Result<Vec<TicketType>>;
    async fn ticket_type(&self, tenant: TenantId, id: TicketTypeId) -> Result<Option<TicketType>>;
    async fn create_ticket_type(&self, tenant: TenantId, t: &TicketType) -> Result<()>;
    /// Saves `t` (with `t.version` = the version it was read at); its version becomes +1.
    /// `Stale` when someone saved in between.
    async fn update_ticket_type(&self, tenant: TenantId, t: &TicketType) -> Result<i64>;
    /// Refused (`Reference`) while tickets use it.
    async fn delete_ticket_type(&self, tenant: TenantId, id: TicketTypeId) -> Result<()>;

    async fn ticket_templates(
        &self,
        tenant: TenantId,
        type_id: Option<TicketTypeId>,
    ) -> Result<Vec<TicketTemplate>>;
    async fn save_ticket_template(&self, tenant: TenantId, t: &TicketTemplate) -> Result<()>;
    async fn delete_ticket_template(&self, tenant: TenantId, id: TicketTemplateId) -> Result<()>;

    /// `user`'s own views and the shared ones.
    async fn ticket_views(&self, tenant: TenantId, user: UserId) -> Result<Vec<TicketView>>;
    async fn save_ticket_view(&self, tenant: TenantId, v: &TicketView) -> Result<()>;
    async fn delete_ticket_view(&self, tenant: TenantId, id: TicketViewId) -> Result<()>;
}

/// Tickets.
#[async_trait::async_trait]
pub trait TicketStore: Send + Sync {
    /// Creates all tickets or none, numbering them; each with its contacts and trail.
    async fn create_tickets(
        &self,
        tenant: TenantId,
        tickets: &[(Ticket, Vec<ContactId>, Vec<NewTrail>)],
    ) -> Result<Vec<Ticket>>;
    async fn ticket(&self, tenant: TenantId, id: TicketId) -> Result<Option<Ticket>>;
    async fn ticket_by_number(&self, tenant: TenantId, number: i64) -> Result<Option<Ticket>>;
    /// The field values of these tickets (those of the tenant), for exports.
    async fn ticket_values(
        &self,
        tenant: TenantId,
        ids: &[TicketId],
    ) -> Result<Vec<(TicketId, FieldValues)>>;
    /// Saves `t` if it is still at `t.version` (its version becomes +1), with `changes` and
    /// `trail`, in one transaction. `Stale` when it changed in between.
    async fn save_ticket(
        &self,
        tenant: TenantId,
        t: &Ticket,
        changes: &TicketChanges,
        trail: &[NewTrail],
    ) -> Result<Ticket>;
    /// A follow-up note: a trail entry and more search terms; the version stays.
    async fn add_ticket_note(
        &self,
        tenant: TenantId,
        id: TicketId,
        terms: &str,
        trail: &NewTrail,
    ) -> Result<()>;
    async fn ticket_trail(&self, tenant: TenantId, id: TicketId) -> Result<Vec<TrailEntry>>;
    async fn ticket_links(
        &self,
        tenant: TenantId,
        id: TicketId,
        user: UserId,
    ) -> Result<TicketLinks>;
    /// Whether `user` transferred or is cc'd on the ticket (they may see it).
    async fn ticket_involves(&self, tenant: TenantId, id: TicketId, user: UserId) -> Result<bool>;

    async fn list_tickets(&self, tenant: TenantId, q: &TicketQuery) -> Result<Vec<TicketRow>>;
    async fn count_tickets(&self, tenant: TenantId, q: &TicketQuery) -> Result<i64>;

    async fn set_ticket_flag(
        &self,
        tenant: TenantId,
        id: TicketId,
        user: UserId,
        color: Option<FlagColor>,
    ) -> Result<()>;
    async fn add_reminder(&self, tenant: TenantId, r: &Reminder) -> Result<()>;
    async fn delete_reminder(&self, tenant: TenantId, user: UserId, id: ReminderId) -> Result<()>;
    /// Unfired reminders of these users due at `now` (any tenant: user ids are unique), oldest
    /// first, at most `limit` per 500 users.
    async fn due_reminders(
        &self,
        now: Millis,
        users: &[UserId],
        limit: u32,
    ) -> Result<Vec<DueReminder>>;
    async fn mark_reminder_fired(&self, tenant: TenantId, id: ReminderId, at: Millis)
        -> Result<()>;
    /// Open tickets whose due time passed and whose due rules have not run, any tenant.
    async fn overdue_tickets(&self, now: Millis, limit: u32) -> Result<Vec<(TenantId, TicketId)>>;
    /// Remembers that a round-robin rule gave `user` a ticket of `group` at `at`.
    async fn record_rotation(
        &self,
        tenant: TenantId,
        group: SkillQueueId,
        user: UserId,
        at: Millis,
    ) -> Result<()>;
    /// Of `members`, who was given a ticket of `group` by a rotation longest ago (or never).
    async fn next_in_rotation(
        &self,
        tenant: TenantId,
        group: SkillQueueId,
        members: &[UserId],
    ) -> Result<Option<UserId>>;

    /// Up to `limit` tickets (of any tenant) whose search terms are to be computed again.
    async fn stale_ticket_terms(&self, limit: u32) -> Result<Vec<(TenantId, TicketId)>>;
    /// Writes a ticket's search terms and clears its stale mark, if it is still at
    /// `version` (a changed ticket is left marked: read it again). Whether it was written.
    async fn set_ticket_terms(
        &self,
        tenant: TenantId,
        id: TicketId,
        version: i64,
        terms: &str,
    ) -> Result<bool>;
    /// Marks every ticket of a type to have its search terms computed again; how many.
    async fn mark_ticket_terms_stale(&self, tenant: TenantId, type_id: TicketTypeId)
        -> Result<u64>;
    async fn ticket_stats(&self, tenant: TenantId, range: &StatsRange) -> Result<TicketStats>;
}
