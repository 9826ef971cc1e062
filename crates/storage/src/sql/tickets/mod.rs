//! The ticket queries both databases share, one file per resource. Full-text search is where
//! they differ most: SQLite keeps terms in an FTS5 table linked by `search_rowid`, PostgreSQL
//! in a generated `tsvector` column with a GIN index; those statements are written both ways,
//! chosen by `Backend::DIALECT`.
//!
//! Reading a list: `list` picks the plan, `walk` (PostgreSQL's short walk) and `search` (the
//! index's candidates) serve it, and `query` turns the list's query into SQL.
//!
//! `config` implements `TicketConfigStore` whole (it is one resource); `TicketStore` is
//! handed out below, method by method.

mod config;
mod create;
mod facet_fields;
mod links;
mod list;
mod query;
mod reindex;
mod reminders;
mod search;
mod stats;
mod ticket;
mod trail;
mod walk;

use switchboard_engine::ticket::{FieldValues, FlagColor};
use switchboard_engine::{
    ContactId, ReminderId, SkillQueueId, TenantId, TicketId, TicketTypeId, UserId,
};

use super::{delegate, Db, Store, Tx};
use crate::tickets::{
    DueReminder, NewTrail, Reminder, StatsRange, Ticket, TicketChanges, TicketLinks, TicketQuery,
    TicketRow, TicketStats, TicketStore, TrailEntry,
};
use crate::{Millis, Result};

delegate! {
    impl TicketStore {
        create::create_tickets(
            tenant: TenantId, tickets: &[(Ticket, Vec<ContactId>, Vec<NewTrail>)],
        ) -> Result<Vec<Ticket>>;
        ticket::ticket(tenant: TenantId, id: TicketId) -> Result<Option<Ticket>>;
        ticket::ticket_by_number(tenant: TenantId, number: i64) -> Result<Option<Ticket>>;
        ticket::ticket_values(tenant: TenantId, ids: &[TicketId])
            -> Result<Vec<(TicketId, FieldValues)>>;
        ticket::save_ticket(
            tenant: TenantId, t: &Ticket, changes: &TicketChanges, trail: &[NewTrail],
        ) -> Result<Ticket>;
        ticket::add_ticket_note(tenant: TenantId, id: TicketId, terms: &str, trail: &NewTrail)
            -> Result<()>;
        trail::ticket_trail(tenant: TenantId, id: TicketId) -> Result<Vec<TrailEntry>>;

        links::ticket_links(tenant: TenantId, id: TicketId, user: UserId) -> Result<TicketLinks>;
        links::ticket_involves(tenant: TenantId, id: TicketId, user: UserId) -> Result<bool>;
        links::set_ticket_flag(
            tenant: TenantId, id: TicketId, user: UserId, color: Option<FlagColor>,
        ) -> Result<()>;
        links::record_rotation(tenant: TenantId, group: SkillQueueId, user: UserId, at: Millis)
            -> Result<()>;
        links::next_in_rotation(tenant: TenantId, group: SkillQueueId, members: &[UserId])
            -> Result<Option<UserId>>;

        list::list_tickets(tenant: TenantId, q: &TicketQuery) -> Result<Vec<TicketRow>>;
        list::count_tickets(tenant: TenantId, q: &TicketQuery) -> Result<i64>;

        reminders::add_reminder(tenant: TenantId, r: &Reminder) -> Result<()>;
        reminders::delete_reminder(tenant: TenantId, user: UserId, id: ReminderId) -> Result<()>;
        reminders::due_reminders(now: Millis, users: &[UserId], limit: u32)
            -> Result<Vec<DueReminder>>;
        reminders::mark_reminder_fired(tenant: TenantId, id: ReminderId, at: Millis) -> Result<()>;
        reminders::overdue_tickets(now: Millis, limit: u32) -> Result<Vec<(TenantId, TicketId)>>;

        reindex::stale_ticket_terms(limit: u32) -> Result<Vec<(TenantId, TicketId)>>;
        reindex::set_ticket_terms(tenant: TenantId, id: TicketId, version: i64, terms: &str)
            -> Result<bool>;
        reindex::mark_ticket_terms_stale(tenant: TenantId, type_id: TicketTypeId) -> Result<u64>;

        stats::ticket_stats(tenant: TenantId, range: &StatsRange) -> Result<TicketStats>;
    }
}
