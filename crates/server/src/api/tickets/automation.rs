//! Running a type's automation rules (T9) on a ticket about to be saved: the rule's changes
//! join the same save, each firing becomes a `rule` trail entry, and notices go out after
//! the save succeeds.

use serde_json::json;
use switchboard_engine::ticket::rules::{fired, TicketEvent};
use switchboard_engine::ticket::{
    FieldCode, FieldValue, NotifyTarget, RawValue, RuleAction, TicketSchema,
};
use switchboard_engine::TenantZone;
use switchboard_engine::{SkillQueueId, TenantId, UserId};
use switchboard_storage::{NewTrail, Principal, Ticket, TicketChanges};

use super::access::ticket_number;
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
    let mut out = RuleOutcome::default();
    let snapshot = t.clone();
    let value = |f: &str| -> Option<String> {
        match f {
            "status" => Some(snapshot.status.clone()),
            "group_id" => snapshot.group.map(|g| g.0.to_string()),
            "assignee_id" => snapshot.assignee.map(|a| a.0.to_string()),
            code => snapshot.values.get(code).map(FieldValue::display),
        }
    };
    let mut rules = Vec::new();
    for e in events {
        for r in fired(&schema.rules, *e, &value) {
            if !rules
                .iter()
                .any(|x: &&switchboard_engine::ticket::Rule| x.id == r.id)
            {
                rules.push(r);
            }
        }
    }
    for rule in rules {
        let mut done = Vec::new();
        for a in &rule.actions {
            done.push(apply(state, tenant, schema, t, a, &mut out, &rule.name).await?);
        }
        out.trail.push(NewTrail {
            at: now,
            actor: None,
            action: "rule".into(),
            detail: json!({ "rule": rule.name, "actions": done }).to_string(),
        });
    }
    Ok(out)
}

async fn apply(
    state: &AppState,
    RuleTenant { id: tenant, zone }: RuleTenant<'_>,
    schema: &TicketSchema,
    t: &mut Ticket,
    action: &RuleAction,
    out: &mut RuleOutcome,
    rule: &str,
) -> ApiResult<serde_json::Value> {
    Ok(match action {
        RuleAction::AssignGroup(g) => {
            t.group = Some(*g);
            t.assignee = None;
            json!({ "type": "assign_group", "group_id": g.0 })
        }
        RuleAction::AssignRoundRobin(g) => {
            let members = group_members(state, tenant, *g).await?;
            let next = state.store.next_in_rotation(tenant, *g, &members).await?;
            t.group = Some(*g);
            t.assignee = next;
            out.rotation = next.map(|u| (*g, u));
            json!({ "type": "assign_round_robin", "group_id": g.0, "assignee_id": next.map(|u| u.0) })
        }
        RuleAction::SetField(code, value) => {
            set_field(schema, zone, t, code, value);
            json!({ "type": "set_field", "field": code.as_str(), "value": value })
        }
        RuleAction::Notify(to) => {
            out.notify.push((rule.to_owned(), *to));
            json!({ "type": "notify", "to": to.code() })
        }
        RuleAction::Escalate { group, priority } => {
            t.group = Some(*group);
            t.assignee = None;
            if let Some(p) = priority {
                set_field(
                    schema,
                    zone,
                    t,
                    &FieldCode::parse("priority").expect("system field"),
                    p,
                );
            }
            json!({ "type": "escalate", "group_id": group.0, "priority": priority })
        }
    })
}

/// Values were checked when the rule was saved; a field changed since then is skipped.
fn set_field(
    schema: &TicketSchema,
    zone: &TenantZone,
    t: &mut Ticket,
    code: &FieldCode,
    value: &str,
) {
    let input = [(code.to_string(), RawValue::Text(value.to_owned()))];
    if let Err(e) = schema.apply(&mut t.values, &input, zone) {
        tracing::warn!(field = %code, error = %e, "rule could not set a field");
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
        let users = match to {
            NotifyTarget::Assignee => t.assignee.into_iter().collect(),
            NotifyTarget::Creator => t.created_by.into_iter().collect(),
            NotifyTarget::Group => match t.group {
                Some(g) => group_members(state, tenant, g).await.unwrap_or_default(),
                None => vec![],
            },
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
