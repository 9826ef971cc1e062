//! The context every ticket request loads: the ticket, its type, and the caller as the
//! engine's ticket rules (`switchboard_engine::ticket::access`) see them, which decide who may
//! see and do what.

use switchboard_engine::ticket::{Caller, Sight, TicketSchema, TicketState};
use switchboard_engine::{TenantZone, TicketId};
use switchboard_storage::{Principal, Ticket, TicketType};

use super::shared::{groups_of, load_type, state_of};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A ticket with its type, as one caller sees it.
pub struct TicketCtx {
    pub ticket: Ticket,
    pub ticket_type: TicketType,
    pub schema: TicketSchema,
    pub caller: Caller,
    /// The tenant's zone, for times given without an offset.
    pub zone: TenantZone,
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
        let groups = groups_of(state, p).await?;
        Ok(Self {
            ticket,
            ticket_type,
            schema,
            caller: Caller::new(p.user_id, groups, &p.permissions),
            zone: p.zone.clone(),
        })
    }

    /// The ticket's standing, for the rules.
    pub fn state(&self) -> TicketState {
        state_of(&self.ticket)
    }

    /// Whether the caller may see the ticket.
    pub async fn sees(&self, state: &AppState, p: &Principal) -> ApiResult<bool> {
        self.resolve(state, p, self.caller.sight(&self.state()))
            .await
    }

    /// Asks the database whether the caller is involved only when the answer depends on it.
    pub async fn resolve(&self, state: &AppState, p: &Principal, sight: Sight) -> ApiResult<bool> {
        let involved = match sight {
            Sight::Sees => false,
            Sight::IfInvolved => {
                let id = self.ticket.id;
                state
                    .store
                    .ticket_involves(p.tenant_id, id, p.user_id)
                    .await?
            }
        };
        Ok(sight.sees(involved))
    }

    /// Refuses to `what` the ticket unless the caller works it (`Caller::works`).
    pub fn check_works(&self, what: &str) -> ApiResult<()> {
        match self.caller.works(&self.state()) {
            true => Ok(()),
            false => Err(self.refuse(what)),
        }
    }

    pub fn refuse(&self, what: &str) -> ApiError {
        ApiError::client(
            axum::http::StatusCode::CONFLICT,
            "not_allowed_now",
            format!("you cannot {what} this ticket in its current state"),
        )
    }
}
