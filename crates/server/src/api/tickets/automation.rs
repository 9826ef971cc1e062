//! Running a type's automation rules (T9) on a ticket about to be saved. The engine
//! (`ticket::automation`) decides what they do; here the database answers what it needs (the
//! next member of a rotation, a group's members), the rules' changes join the same save, each
//! firing becomes a `rule` trail entry, and notices go out after the save succeeds.

use serde_json::{json, Value};
use switchboard_engine::ticket::automation::{
    self, fired_by, recipients, Recipients, Rotations, Target,
};
use switchboard_engine::ticket::rules::TicketEvent;
use switchboard_engine::ticket::{FieldValue, NotifyTarget, Rule, RuleAction, TicketSchema};
use switchboard_engine::TenantZone;
use switchboard_engine::{SkillQueueId, TenantId, UserId};
use switchboard_storage::{NewTrail, Principal, Ticket, TicketChanges};

use super::shared::{set_state, state_of, ticket_number};
use crate::error::ApiResult;
use crate::events::Audience;
use crate::state::AppState;

/// What rules decided beyond the ticket's own fields.
#[derive(Default)]
pub struct RuleOutcome {
    pub trail: Vec<NewTrail>,
    pub notify: Vec<(String, NotifyTarget)>,
    pub rotation: Option<(SkillQueueId, UserId)>,
}

/// Whose rules run: the tenant, and its zone for the times rules set.
#[derive(Clone, Copy)]
pub struct RuleTenant<'a> {
    pub id: TenantId,
    pub zone: &'a TenantZone,
}

impl<'a> RuleTenant<'a> {
    /// The tenant of a request, with the zone its session holds.
    pub fn of(p: &'a Principal) -> Self {
        Self {
            id: p.tenant_id,
            zone: &p.zone,
        }
    }
}

/// Applies the rules `events` fire to `t` (in place).
pub async fn run_rules(
    state: &AppState,
    tenant: RuleTenant<'_>,
    schema: &TicketSchema,
    t: &mut Ticket,
    events: &[TicketEvent<'_>],
    now: i64,
) -> ApiResult<RuleOutcome> {
    let mut standing = state_of(t);
    let rules = fired_by(&schema.rules, events, &standing, &t.values);
    let rotations = next_in_rotations(state, tenant.id, &rules).await?;
    let target = Target {
        schema,
        zone: tenant.zone,
        values: &mut t.values,
    };
    let applied = automation::apply(&rules, &mut standing, target, &rotations);
    set_state(t, standing);
    for (field, e) in &applied.skipped {
        tracing::warn!(field = %field, error = %e, "rule could not set a field");
    }
    let trail = rules.iter().map(|rule| {
        let done: Vec<Value> = rule.actions.iter().map(|a| done(a, &rotations)).collect();
        NewTrail {
            at: now,
            actor: None,
            action: "rule".into(),
            detail: json!({ "rule": rule.name, "actions": done }).to_string(),
        }
    });
    Ok(RuleOutcome {
        trail: trail.collect(),
        notify: applied
            .notify
            .into_iter()
            .map(|(r, to)| (r.to_owned(), to))
            .collect(),
        rotation: applied.rotation,
    })
}

/// The next member of each group the rules rotate through.
async fn next_in_rotations(
    state: &AppState,
    tenant: TenantId,
    rules: &[&Rule],
) -> ApiResult<Rotations> {
    let mut next = Vec::new();
    for g in Rotations::wanted(rules) {
        let members = group_members(state, tenant, g).await?;
        next.push((g, state.store.next_in_rotation(tenant, g, &members).await?));
    }
    Ok(Rotations(next))
}

/// What an action did, for the trail.
fn done(action: &RuleAction, rotations: &Rotations) -> Value {
    match action {
        RuleAction::AssignGroup(g) => json!({ "type": "assign_group", "group_id": g.0 }),
        RuleAction::AssignRoundRobin(g) => {
            let next = rotations.next(*g);
            json!({ "type": "assign_round_robin", "group_id": g.0, "assignee_id": next.map(|u| u.0) })
        }
        RuleAction::SetField(code, value) => {
            json!({ "type": "set_field", "field": code.as_str(), "value": value })
        }
        RuleAction::Notify(to) => json!({ "type": "notify", "to": to.code() }),
        RuleAction::Escalate { group, priority } => {
            json!({ "type": "escalate", "group_id": group.0, "priority": priority })
        }
    }
}

pub async fn group_members(
    state: &AppState,
    tenant: TenantId,
    group: SkillQueueId,
) -> ApiResult<Vec<UserId>> {
    Ok(state
        .store
        .skill_queue(tenant, group)
        .await?
        .map(|q| q.agents.iter().map(|a| a.user_id).collect())
        .unwrap_or_default())
}

/// The changes a rule outcome adds to a save.
pub fn with_rotation(mut changes: TicketChanges, out: &RuleOutcome) -> TicketChanges {
    if out.rotation.is_some() {
        changes.rotation = out.rotation;
    }
    changes
}

/// Sends `ticket.notice` for every notify action, once the ticket is saved.
pub async fn send_notices(state: &AppState, tenant: TenantId, t: &Ticket, out: &RuleOutcome) {
    for (rule, to) in &out.notify {
        let users = match recipients(&state_of(t), *to) {
            Recipients::Users(users) => users,
            Recipients::MembersOf(g) => group_members(state, tenant, g).await.unwrap_or_default(),
        };
        if users.is_empty() {
            continue;
        }
        let title = t.values.get("title").map(FieldValue::display);
        let payload = json!({ "type": "ticket.notice", "ticket_id": t.id.0, "number": ticket_number(t.number), "title": title, "rule": rule });
        state
            .events
            .publish(tenant, Audience::users(users), &payload);
    }
}
