//! Automation rules of a ticket type (T9): when something happens to a ticket and its fields
//! meet the conditions, the rule's actions run. Changes made by rules fire no further rules,
//! so a rule set can never loop.

use super::field::FieldCode;
use super::FieldError;
use crate::queue::code_enum;
use crate::SkillQueueId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trigger {
    Created,
    /// Into this status, or into any status.
    StatusChanged(Option<FieldCode>),
    FieldChanged(FieldCode),
    /// The ticket's `due_at` passed while it was not closed.
    Due,
}

code_enum!(
    /// How a condition compares a field with its value.
    ConditionOp, "op" {
        Eq => "eq",
        Ne => "ne",
        /// The field's value is one of the `;`-separated values.
        In => "in",
        /// Text contains the value; a list contains the item.
        Contains => "contains",
        Empty => "empty",
        NotEmpty => "not_empty",
        Gt => "gt",
        Lt => "lt",
    }
);

/// `field` is a field code, or `status`, `group_id`, `assignee_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub field: String,
    pub op: ConditionOp,
    pub value: Option<String>,
}

code_enum!(
    /// Who a `notify` action tells.
    NotifyTarget, "to" {
        Assignee => "assignee",
        Creator => "creator",
        /// Every member of the ticket's skill group.
        Group => "group",
    }
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleAction {
    AssignGroup(SkillQueueId),
    /// To the group's member who was given a ticket by this rule longest ago.
    AssignRoundRobin(SkillQueueId),
    /// The value as the field's input (checked against the field when the rule is saved).
    SetField(FieldCode, String),
    Notify(NotifyTarget),
    /// To the group, unassigned, optionally raising the priority.
    Escalate {
        group: SkillQueueId,
        priority: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: String,
    pub name: String,
    pub active: bool,
    pub trigger: Trigger,
    pub conditions: Vec<Condition>,
    pub actions: Vec<RuleAction>,
}

/// What happened to a ticket.
#[derive(Debug, Clone, Copy)]
pub enum TicketEvent<'a> {
    Created,
    StatusChanged { to: &'a str },
    FieldsChanged(&'a [FieldCode]),
    Due,
}

pub const MAX_RULES: usize = 50;

impl Rule {
    fn triggered_by(&self, event: TicketEvent<'_>) -> bool {
        match (&self.trigger, event) {
            (Trigger::Created, TicketEvent::Created) | (Trigger::Due, TicketEvent::Due) => true,
            (Trigger::StatusChanged(want), TicketEvent::StatusChanged { to }) => {
                want.as_ref().is_none_or(|w| w.as_str() == to)
            }
            (Trigger::FieldChanged(f), TicketEvent::FieldsChanged(changed)) => changed.contains(f),
            _ => false,
        }
    }

    /// Whether every condition holds; `value` reads a field (or `status`, …) as text, lists
    /// joined with `;`.
    fn holds(&self, value: &dyn Fn(&str) -> Option<String>) -> bool {
        self.conditions.iter().all(|c| c.holds(value(&c.field)))
    }

    /// Checks the rule against the type's field codes.
    pub fn validate(&self, field_codes: &[FieldCode]) -> Result<(), FieldError> {
        let bad = |m: &str| Err(FieldError::new(&self.id, m));
        let n = self.name.trim().chars().count();
        if !(1..=64).contains(&n) {
            return bad("a rule name is 1-64 characters");
        }
        if self.actions.is_empty() || self.actions.len() > 10 || self.conditions.len() > 20 {
            return bad("a rule has 1-10 actions and at most 20 conditions");
        }
        let known = |f: &str| {
            ["status", "group_id", "assignee_id"].contains(&f)
                || field_codes.iter().any(|c| c.as_str() == f)
        };
        for c in &self.conditions {
            if !known(&c.field) {
                return bad(&format!("condition on unknown field '{}'", c.field));
            }
            let needs_value = !matches!(c.op, ConditionOp::Empty | ConditionOp::NotEmpty);
            if needs_value && c.value.as_deref().is_none_or(str::is_empty) {
                return bad("this condition needs a value");
            }
        }
        if let Trigger::FieldChanged(f) = &self.trigger {
            if !field_codes.contains(f) {
                return bad("the trigger names an unknown field");
            }
        }
        for a in &self.actions {
            if let RuleAction::SetField(f, _) = a {
                if !field_codes.contains(f) {
                    return bad("set_field names an unknown field");
                }
            }
        }
        Ok(())
    }
}

impl Condition {
    fn holds(&self, actual: Option<String>) -> bool {
        let actual = actual.filter(|a| !a.is_empty());
        let want = self.value.as_deref().unwrap_or("");
        let items = |s: &str| s.split(';').map(str::to_owned).collect::<Vec<_>>();
        match (self.op, actual) {
            (ConditionOp::Empty, a) => a.is_none(),
            (ConditionOp::NotEmpty, a) => a.is_some(),
            (ConditionOp::Ne, a) => a.as_deref() != Some(want),
            (_, None) => false,
            (ConditionOp::Eq, Some(a)) => a == want,
            (ConditionOp::In, Some(a)) => items(want).contains(&a),
            (ConditionOp::Contains, Some(a)) => {
                items(&a).iter().any(|i| i == want) || a.contains(want)
            }
            (ConditionOp::Gt, Some(a)) => compare(&a, want).is_gt(),
            (ConditionOp::Lt, Some(a)) => compare(&a, want).is_lt(),
        }
    }
}

/// Numbers compare as numbers, anything else (dates) as text.
fn compare(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
        _ => a.cmp(b),
    }
}

/// The active rules this event fires, in their configured order.
pub fn fired<'a>(
    rules: &'a [Rule],
    event: TicketEvent<'_>,
    value: &dyn Fn(&str) -> Option<String>,
) -> Vec<&'a Rule> {
    rules
        .iter()
        .filter(|r| r.active && r.triggered_by(event) && r.holds(value))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(c: &str) -> FieldCode {
        FieldCode::parse(c).unwrap()
    }

    fn rule(trigger: Trigger, conditions: Vec<Condition>) -> Rule {
        Rule {
            id: "r1".into(),
            name: "VIP 升级".into(),
            active: true,
            trigger,
            conditions,
            actions: vec![RuleAction::Notify(NotifyTarget::Assignee)],
        }
    }

    fn when(field: &str, op: ConditionOp, value: &str) -> Condition {
        Condition {
            field: field.into(),
            op,
            value: Some(value.into()),
        }
    }

    #[test]
    fn rules_fire_on_their_trigger_when_conditions_hold() {
        let fields = |f: &str| match f {
            "priority" => Some("urgent".to_owned()),
            "amount" => Some("1500".to_owned()),
            "tags" => Some("vip;refund".to_owned()),
            _ => None,
        };
        let rules = vec![
            rule(
                Trigger::Created,
                vec![when("priority", ConditionOp::In, "high;urgent")],
            ),
            rule(
                Trigger::Created,
                vec![when("amount", ConditionOp::Gt, "200")],
            ),
            rule(
                Trigger::Created,
                vec![when("amount", ConditionOp::Lt, "200")],
            ),
            rule(
                Trigger::Created,
                vec![when("tags", ConditionOp::Contains, "vip")],
            ),
            rule(
                Trigger::Created,
                vec![Condition {
                    field: "address".into(),
                    op: ConditionOp::Empty,
                    value: None,
                }],
            ),
            rule(Trigger::StatusChanged(Some(code("done"))), vec![]),
        ];
        assert_eq!(fired(&rules, TicketEvent::Created, &fields).len(), 4);
        assert_eq!(
            fired(&rules, TicketEvent::StatusChanged { to: "done" }, &fields).len(),
            1
        );
        assert_eq!(
            fired(&rules, TicketEvent::StatusChanged { to: "new" }, &fields).len(),
            0
        );
        let mut off = rules[0].clone();
        off.active = false;
        assert!(fired(&[off], TicketEvent::Created, &fields).is_empty());
    }

    #[test]
    fn field_triggers_need_that_field_changed() {
        let rules = vec![rule(Trigger::FieldChanged(code("address")), vec![])];
        let none = |_: &str| None;
        assert_eq!(
            fired(
                &rules,
                TicketEvent::FieldsChanged(&[code("address")]),
                &none
            )
            .len(),
            1
        );
        assert!(fired(&rules, TicketEvent::FieldsChanged(&[code("title")]), &none).is_empty());
        assert!(rules[0].validate(&[code("address")]).is_ok());
        assert!(rules[0].validate(&[]).is_err());
    }
}
