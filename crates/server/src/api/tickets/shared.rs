//! What the ticket modules share: loading a type and a caller's skill groups, a ticket's
//! standing as the engine's ticket rules read and change it, and a ticket's number as people
//! see it. It imports no ticket module but `schema`, so imports among them point one way.

use switchboard_engine::ticket::{TicketSchema, TicketState};
use switchboard_engine::{SkillQueueId, TenantId, TicketTypeId};
use switchboard_storage::{Principal, Ticket, TicketType};

use super::schema::DefinitionJson;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A stored type with its checked schema.
pub async fn load_type(
    state: &AppState,
    tenant: TenantId,
    id: TicketTypeId,
) -> ApiResult<(TicketType, TicketSchema)> {
    let t = state
        .store
        .ticket_type(tenant, id)
        .await?
        .ok_or_else(|| ApiError::invalid("type_id", "no such ticket type"))?;
    let schema = DefinitionJson::load(&t.definition)?;
    Ok((t, schema))
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

/// `T000123`.
pub fn ticket_number(n: i64) -> String {
    format!("T{n:06}")
}

pub fn state_of(t: &Ticket) -> TicketState {
    TicketState {
        status: t.status.clone(),
        category: t.status_category,
        group: t.group,
        assignee: t.assignee,
        created_by: t.created_by,
        completed_by: t.completed_by,
        closed_at: t.closed_at,
        due_handled: t.due_handled,
    }
}

/// Writes a standing the rules decided back into the ticket to save.
pub fn set_state(t: &mut Ticket, s: TicketState) {
    t.status = s.status;
    t.status_category = s.category;
    t.group = s.group;
    t.assignee = s.assignee;
    t.created_by = s.created_by;
    t.completed_by = s.completed_by;
    t.closed_at = s.closed_at;
    t.due_handled = s.due_handled;
}

/// The ticket with the standing the rules decided.
pub fn with_state(t: &Ticket, s: TicketState) -> Ticket {
    let mut next = t.clone();
    set_state(&mut next, s);
    next
}
