//! Who may see and do what with a ticket, and the context every ticket request loads.

use switchboard_engine::ticket::search::index_terms;
use switchboard_engine::ticket::{FieldValue, StatusCategory, TicketSchema};
use switchboard_engine::{Permission, SkillQueueId, TenantZone, TicketId, UserId};
use switchboard_storage::{Principal, Ticket, TicketType};

use super::config::load_type;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A ticket with its type, as one caller sees it.
pub struct TicketCtx {
    pub ticket: Ticket,
    pub ticket_type: TicketType,
    pub schema: TicketSchema,
    pub me: UserId,
    pub groups: Vec<SkillQueueId>,
    pub view_all: bool,
    pub may_reopen: bool,
    /// The tenant's zone, for times given without an offset.
    pub zone: TenantZone,
}

/// The skill groups (queues) a user is bound to.
pub async fn groups_of(state: &AppState, p: &Principal) -> ApiResult<Vec<SkillQueueId>> {
    Ok(state
        .store
        .skill_queues(p.tenant_id)
        .await?
        .into_iter()
        .filter(|q| q.agents.iter().any(|a| a.user_id == p.user_id))
        .map(|q| q.id)
        .collect())
}

impl TicketCtx {
    /// Loads a ticket the caller may see; anything else is a 404.
    pub async fn load(state: &AppState, p: &Principal, id: TicketId) -> ApiResult<Self> {
        let ctx = Self::read(state, p, id).await?;
        if !ctx.sees(state, p).await? {
            return Err(ApiError::not_found());
        }
        Ok(ctx)
    }

    /// Loads a ticket of the tenant whether or not the caller may see it.
    pub async fn read(state: &AppState, p: &Principal, id: TicketId) -> ApiResult<Self> {
        let ticket = state
            .store
            .ticket(p.tenant_id, id)
            .await?
            .ok_or_else(ApiError::not_found)?;
        let (ticket_type, schema) = load_type(state, p.tenant_id, ticket.type_id).await?;
        Ok(Self {
            ticket,
            ticket_type,
            schema,
            me: p.user_id,
            groups: groups_of(state, p).await?,
            view_all: p.may(Permission::TicketViewAll),
            may_reopen: p.may(Permission::TicketReopen),
            zone: p.zone.clone(),
        })
    }

    /// Whether the caller may see the ticket.
    pub async fn sees(&self, state: &AppState, p: &Principal) -> ApiResult<bool> {
        if self.sees_directly() {
            return Ok(true);
        }
        let id = self.ticket.id;
        Ok(state
            .store
            .ticket_involves(p.tenant_id, id, p.user_id)
            .await?)
    }

    /// The ticket belongs to one of my skill groups (assigned or not).
    pub fn in_my_groups(&self) -> bool {
        self.ticket.group.is_some_and(|g| self.groups.contains(&g))
    }

    fn sees_directly(&self) -> bool {
        let t = &self.ticket;
        self.view_all
            || t.assignee == Some(self.me)
            || t.created_by == Some(self.me)
            || self.claimable()
    }

    pub fn closed(&self) -> bool {
        self.ticket.status_category == StatusCategory::Closed
    }

    /// Unassigned, open, and in one of my groups (or I see everything).
    pub fn claimable(&self) -> bool {
        let t = &self.ticket;
        t.assignee.is_none() && !self.closed() && (self.view_all || self.in_my_groups())
    }

    /// The assignee works the ticket; supervisors may too.
    pub fn works_it(&self) -> bool {
        !self.closed() && (self.ticket.assignee == Some(self.me) || self.view_all)
    }

    pub fn may_reopen(&self) -> bool {
        self.closed() && self.may_reopen
    }

    pub fn refuse(&self, what: &str) -> ApiError {
        ApiError::client(
            axum::http::StatusCode::CONFLICT,
            "not_allowed_now",
            format!("you cannot {what} this ticket in its current state"),
        )
    }
}

/// The full-text terms of a ticket: title, description and the notes so far.
pub fn terms_for<'a>(t: &Ticket, notes: impl Iterator<Item = &'a str>) -> String {
    let text_of = |code: &str| {
        t.values
            .get(code)
            .map(FieldValue::display)
            .unwrap_or_default()
    };
    let mut all = format!("{} {}", text_of("title"), text_of("description"));
    for n in notes {
        all.push(' ');
        all.push_str(n);
    }
    index_terms(&all)
}

/// `T000123`.
pub fn ticket_number(n: i64) -> String {
    format!("T{n:06}")
}
