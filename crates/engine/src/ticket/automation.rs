//! What a ticket type's automation rules (T9) do to a ticket: the rules a change fires, each
//! once, the changes their actions make, and whom a notice tells. Two answers need the
//! database and stay the caller's: the next member of a round-robin rotation, looked up
//! before the rules apply, and the members of a group a notice goes to.

use super::field::{FieldCode, RawValue};
use super::rules::{fired, NotifyTarget, Rule, RuleAction, TicketEvent};
use super::state::TicketState;
use super::{FieldError, FieldValue, FieldValues, TicketSchema};
use crate::zone::TenantZone;
use crate::{SkillQueueId, UserId};

/// A ticket's value as rule conditions read it: `status`, `group_id`, `assignee_id` or a
/// field code.
pub fn condition_value(t: &TicketState, values: &FieldValues, field: &str) -> Option<String> {
    match field {
        "status" => Some(t.status.clone()),
        "group_id" => t.group.map(|g| g.0.to_string()),
        "assignee_id" => t.assignee.map(|a| a.0.to_string()),
        code => values.get(code).map(FieldValue::display),
    }
}

/// The rules `events` fire, each once, in the order they first fire. Every condition reads
/// the ticket as it was before any rule applied.
pub fn fired_by<'r>(
    rules: &'r [Rule],
    events: &[TicketEvent<'_>],
    t: &TicketState,
    values: &FieldValues,
) -> Vec<&'r Rule> {
    let value = |f: &str| condition_value(t, values, f);
    let mut out: Vec<&Rule> = Vec::new();
    for e in events {
        for r in fired(rules, *e, &value) {
            if !out.iter().any(|x| x.id == r.id) {
                out.push(r);
            }
        }
    }
    out
}

/// The next member of each group's rotation, as the caller looked them up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rotations(pub Vec<(SkillQueueId, Option<UserId>)>);

impl Rotations {
    /// The groups whose next member `apply` needs for these rules.
    pub fn wanted(rules: &[&Rule]) -> Vec<SkillQueueId> {
        let mut groups = Vec::new();
        for a in rules.iter().flat_map(|r| &r.actions) {
            if let RuleAction::AssignRoundRobin(g) = a {
                if !groups.contains(g) {
                    groups.push(*g);
                }
            }
        }
        groups
    }

    /// Nobody when the group is empty (or was not looked up).
    pub fn next(&self, group: SkillQueueId) -> Option<UserId> {
        self.0
            .iter()
            .find(|(g, _)| *g == group)
            .and_then(|(_, u)| *u)
    }
}

/// What the rules decided beyond the ticket itself.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Applied<'r> {
    /// Notices to send once the ticket is saved: the rule's name and whom it tells.
    pub notify: Vec<(&'r str, NotifyTarget)>,
    /// The round-robin assignment to record with the save (the last one made).
    pub rotation: Option<(SkillQueueId, UserId)>,
    /// Values a rule could not set: the field changed since the rule was saved.
    pub skipped: Vec<(FieldCode, FieldError)>,
}

/// Where a ticket's fields live while rules change it.
pub struct Target<'a> {
    pub schema: &'a TicketSchema,
    pub zone: &'a TenantZone,
    pub values: &'a mut FieldValues,
}

/// Applies the actions of `rules`, in order, to the ticket's standing and values.
pub fn apply<'r>(
    rules: &[&'r Rule],
    t: &mut TicketState,
    mut target: Target<'_>,
    rotations: &Rotations,
) -> Applied<'r> {
    let mut out = Applied::default();
    for &rule in rules {
        for action in &rule.actions {
            apply_one(action, &rule.name, t, &mut target, rotations, &mut out);
        }
    }
    out
}

fn apply_one<'r>(
    action: &RuleAction,
    rule: &'r str,
    t: &mut TicketState,
    target: &mut Target<'_>,
    rotations: &Rotations,
    out: &mut Applied<'r>,
) {
    match action {
        RuleAction::AssignGroup(g) => t.hand_to_group(*g),
        RuleAction::AssignRoundRobin(g) => {
            let next = rotations.next(*g);
            t.group = Some(*g);
            t.assignee = next;
            out.rotation = next.map(|u| (*g, u));
        }
        RuleAction::SetField(code, value) => target.set(code, value, &mut out.skipped),
        RuleAction::Notify(to) => out.notify.push((rule, *to)),
        RuleAction::Escalate { group, priority } => {
            t.hand_to_group(*group);
            if let Some(p) = priority {
                let code = FieldCode::parse("priority").expect("system field");
                target.set(&code, p, &mut out.skipped);
            }
        }
    }
}

impl Target<'_> {
    /// Values were checked when the rule was saved; one the field no longer takes is skipped.
    fn set(&mut self, code: &FieldCode, value: &str, skipped: &mut Vec<(FieldCode, FieldError)>) {
        let input = [(code.to_string(), RawValue::Text(value.to_owned()))];
        if let Err(e) = self.schema.apply(self.values, &input, self.zone) {
            skipped.push((code.clone(), e));
        }
    }
}

/// Whom a notice tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipients {
    Users(Vec<UserId>),
    /// Every member of the group.
    MembersOf(SkillQueueId),
}

pub fn recipients(t: &TicketState, to: NotifyTarget) -> Recipients {
    match (to, t.group) {
        (NotifyTarget::Assignee, _) => Recipients::Users(t.assignee.into_iter().collect()),
        (NotifyTarget::Creator, _) => Recipients::Users(t.created_by.into_iter().collect()),
        (NotifyTarget::Group, Some(g)) => Recipients::MembersOf(g),
        (NotifyTarget::Group, None) => Recipients::Users(vec![]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ticket::access::tests::{code, ticket};
    use crate::ticket::{Condition, ConditionOp, Trigger};

    fn rule(id: &str, trigger: Trigger, actions: Vec<RuleAction>) -> Rule {
        Rule {
            id: id.into(),
            name: format!("rule {id}"),
            active: true,
            trigger,
            conditions: vec![],
            actions,
        }
    }

    fn values(pairs: &[(&str, &str)]) -> FieldValues {
        pairs
            .iter()
            .map(|(k, v)| (code(k), FieldValue::Text((*v).into())))
            .collect()
    }

    #[test]
    fn conditions_read_the_standing_and_the_fields() {
        let (g, u) = (SkillQueueId::new(), UserId::new());
        let t = ticket(Some(g), Some(u));
        let v = values(&[("priority", "high")]);
        assert_eq!(condition_value(&t, &v, "status").as_deref(), Some("new"));
        assert_eq!(condition_value(&t, &v, "group_id"), Some(g.0.to_string()));
        assert_eq!(
            condition_value(&t, &v, "assignee_id"),
            Some(u.0.to_string())
        );
        assert_eq!(condition_value(&t, &v, "priority").as_deref(), Some("high"));
        assert_eq!(condition_value(&t, &v, "address"), None);
        assert_eq!(condition_value(&ticket(None, None), &v, "group_id"), None);
    }

    #[test]
    fn a_rule_fires_once_however_many_events_fire_it() {
        let notify = || vec![RuleAction::Notify(NotifyTarget::Assignee)];
        let mut urgent = rule("a", Trigger::StatusChanged(None), notify());
        urgent.conditions.push(Condition {
            field: "priority".into(),
            op: ConditionOp::Eq,
            value: Some("urgent".into()),
        });
        let rules = vec![
            rule("b", Trigger::FieldChanged(code("priority")), notify()),
            rule("c", Trigger::StatusChanged(None), notify()),
            urgent,
        ];
        let changed = [code("priority")];
        let events = [
            TicketEvent::StatusChanged { to: "done" },
            TicketEvent::FieldsChanged(&changed),
            TicketEvent::StatusChanged { to: "done" },
        ];
        let t = ticket(None, None);
        let ids = |v: Vec<&Rule>| v.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
        let normal = values(&[("priority", "normal")]);
        assert_eq!(ids(fired_by(&rules, &events, &t, &normal)), ["c", "b"]);
        let urgent = values(&[("priority", "urgent")]);
        assert_eq!(ids(fired_by(&rules, &events, &t, &urgent)), ["c", "a", "b"]);
        assert!(fired_by(&rules, &[TicketEvent::Created], &t, &urgent).is_empty());
    }

    #[test]
    fn rotations_are_looked_up_once_per_group() {
        let (g1, g2, u) = (SkillQueueId::new(), SkillQueueId::new(), UserId::new());
        let r1 = rule(
            "a",
            Trigger::Created,
            vec![RuleAction::AssignRoundRobin(g1)],
        );
        let r2 = rule(
            "b",
            Trigger::Created,
            vec![
                RuleAction::AssignGroup(g2),
                RuleAction::AssignRoundRobin(g1),
                RuleAction::AssignRoundRobin(g2),
            ],
        );
        assert_eq!(Rotations::wanted(&[&r1, &r2]), [g1, g2]);
        let next = Rotations(vec![(g1, Some(u)), (g2, None)]);
        assert_eq!(next.next(g1), Some(u));
        assert_eq!(next.next(g2), None);
        assert_eq!(next.next(SkillQueueId::new()), None);
    }

    fn run<'r>(
        rules: &[&'r Rule],
        t: &mut TicketState,
        v: &mut FieldValues,
        next: &Rotations,
    ) -> Applied<'r> {
        let schema = TicketSchema::starter();
        let zone = TenantZone::utc();
        let target = Target {
            schema: &schema,
            zone: &zone,
            values: v,
        };
        apply(rules, t, target, next)
    }

    #[test]
    fn actions_assign_set_fields_escalate_and_ask_for_notices() {
        let (g, tier2, u) = (SkillQueueId::new(), SkillQueueId::new(), UserId::new());
        let first = rule(
            "a",
            Trigger::Created,
            vec![
                RuleAction::AssignRoundRobin(g),
                RuleAction::SetField(code("title"), "VIP".into()),
                RuleAction::Notify(NotifyTarget::Group),
            ],
        );
        let mut t = ticket(None, None);
        let mut v = FieldValues::new();
        let out = run(&[&first], &mut t, &mut v, &Rotations(vec![(g, Some(u))]));
        assert_eq!((t.group, t.assignee), (Some(g), Some(u)));
        assert_eq!(out.rotation, Some((g, u)));
        assert_eq!(out.notify, [("rule a", NotifyTarget::Group)]);
        assert_eq!(v[&code("title")], FieldValue::Text("VIP".into()));
        let up = RuleAction::Escalate {
            group: tier2,
            priority: Some("urgent".into()),
        };
        let second = rule("b", Trigger::Due, vec![up]);
        let out = run(&[&second], &mut t, &mut v, &Rotations::default());
        assert_eq!((t.group, t.assignee), (Some(tier2), None));
        assert_eq!(v[&code("priority")], FieldValue::Text("urgent".into()));
        assert_eq!(out, Applied::default());
    }

    #[test]
    fn an_empty_rotation_leaves_the_ticket_unassigned_and_a_stale_value_is_skipped() {
        let g = SkillQueueId::new();
        let r = rule(
            "a",
            Trigger::Created,
            vec![
                RuleAction::AssignRoundRobin(g),
                RuleAction::SetField(code("priority"), "no such option".into()),
            ],
        );
        let mut t = ticket(None, Some(UserId::new()));
        let mut v = values(&[("priority", "normal")]);
        let out = run(&[&r], &mut t, &mut v, &Rotations(vec![(g, None)]));
        assert_eq!((t.group, t.assignee, out.rotation), (Some(g), None, None));
        assert_eq!(out.skipped.len(), 1);
        assert_eq!(out.skipped[0].0, code("priority"));
        assert_eq!(v[&code("priority")], FieldValue::Text("normal".into()));
    }

    #[test]
    fn notices_go_to_the_assignee_the_creator_or_the_group() {
        let (g, u, c) = (SkillQueueId::new(), UserId::new(), UserId::new());
        let mut t = ticket(Some(g), Some(u));
        t.created_by = Some(c);
        assert_eq!(
            recipients(&t, NotifyTarget::Assignee),
            Recipients::Users(vec![u])
        );
        assert_eq!(
            recipients(&t, NotifyTarget::Creator),
            Recipients::Users(vec![c])
        );
        assert_eq!(
            recipients(&t, NotifyTarget::Group),
            Recipients::MembersOf(g)
        );
        let loose = ticket(None, None);
        assert_eq!(
            recipients(&loose, NotifyTarget::Group),
            Recipients::Users(vec![])
        );
        assert_eq!(
            recipients(&loose, NotifyTarget::Assignee),
            Recipients::Users(vec![])
        );
    }
}
