//! A ticket type's status workflow (T1, T4): statuses, and the actions that move between them.

use super::field::FieldCode;
use super::FieldError;
use crate::queue::code_enum;
use crate::SkillQueueId;

code_enum!(
    /// What a status means for lists and reports.
    StatusCategory, "category" {
        Open => "open",
        /// Waiting on someone outside (the customer, a supplier).
        Pending => "pending",
        Closed => "closed",
    }
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub code: FieldCode,
    pub label: String,
    pub category: StatusCategory,
}

/// A step a user may take from some statuses: a status change, perhaps with a hand-over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowAction {
    pub code: FieldCode,
    pub label: String,
    pub from: Vec<FieldCode>,
    pub to: FieldCode,
    pub requires_note: bool,
    pub required_fields: Vec<FieldCode>,
    /// Hands the ticket to this skill group, unassigned ("escalate to tier 2").
    pub assign_group: Option<SkillQueueId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workflow {
    pub initial: FieldCode,
    pub statuses: Vec<Status>,
    pub actions: Vec<WorkflowAction>,
}

/// Why a workflow action cannot be taken now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionRefused {
    UnknownAction,
    /// The current status does not offer it.
    NotFromHere,
    NoteRequired,
    FieldRequired(FieldCode),
}

impl Workflow {
    pub fn status(&self, code: &str) -> Option<&Status> {
        self.statuses.iter().find(|s| s.code.as_str() == code)
    }

    pub fn category(&self, code: &str) -> StatusCategory {
        self.status(code)
            .map_or(StatusCategory::Open, |s| s.category)
    }

    /// The actions offered in `status`, in their configured order.
    pub fn actions_from<'a>(&'a self, status: &'a str) -> impl Iterator<Item = &'a WorkflowAction> {
        self.actions
            .iter()
            .filter(move |a| a.from.iter().any(|f| f.as_str() == status))
    }

    /// Whether `action` may be taken from `status` with this note, given which fields will
    /// have a value once the action's own field input is applied.
    pub fn check(
        &self,
        action: &str,
        status: &str,
        note: Option<&str>,
        has_value: impl Fn(&FieldCode) -> bool,
    ) -> Result<&WorkflowAction, ActionRefused> {
        let a = self
            .actions
            .iter()
            .find(|a| a.code.as_str() == action)
            .ok_or(ActionRefused::UnknownAction)?;
        if !a.from.iter().any(|f| f.as_str() == status) {
            return Err(ActionRefused::NotFromHere);
        }
        if a.requires_note && note.is_none_or(|n| n.trim().is_empty()) {
            return Err(ActionRefused::NoteRequired);
        }
        if let Some(missing) = a.required_fields.iter().find(|f| !has_value(f)) {
            return Err(ActionRefused::FieldRequired(missing.clone()));
        }
        Ok(a)
    }

    /// Checks the workflow itself against the type's field codes.
    pub fn validate(&self, field_codes: &[FieldCode]) -> Result<(), FieldError> {
        let bad = |at: &str, m: &str| Err(FieldError::new(at, m));
        if self.statuses.is_empty() || self.statuses.len() > 50 || self.actions.len() > 100 {
            return bad(
                "workflow",
                "a workflow has 1-50 statuses and at most 100 actions",
            );
        }
        for (i, s) in self.statuses.iter().enumerate() {
            if self.statuses[..i].iter().any(|p| p.code == s.code) {
                return bad(s.code.as_str(), "status codes are unique");
            }
            if !label_ok(&s.label) {
                return bad(s.code.as_str(), "a status label is 1-64 characters");
            }
        }
        if self.status(self.initial.as_str()).is_none() {
            return bad("initial", "the initial status must be one of the statuses");
        }
        if self.category(self.initial.as_str()) == StatusCategory::Closed {
            return bad("initial", "a ticket cannot start closed");
        }
        for (i, a) in self.actions.iter().enumerate() {
            let at = a.code.as_str();
            if self.actions[..i].iter().any(|p| p.code == a.code) {
                return bad(at, "action codes are unique");
            }
            if !label_ok(&a.label) {
                return bad(at, "an action label is 1-64 characters");
            }
            if a.from.is_empty() || a.from.iter().any(|f| self.status(f.as_str()).is_none()) {
                return bad(at, "an action starts from one or more of the statuses");
            }
            if self.status(a.to.as_str()).is_none() {
                return bad(at, "an action leads to one of the statuses");
            }
            if a.required_fields.iter().any(|f| !field_codes.contains(f)) {
                return bad(at, "required fields must be fields of the type");
            }
        }
        Ok(())
    }

    /// New → processing ⇄ waiting → done.
    pub fn default_workflow() -> Workflow {
        let code = |c: &str| FieldCode::parse(c).expect("built-in code");
        let status = |c: &str, label: &str, category| Status {
            code: code(c),
            label: label.into(),
            category,
        };
        let action = |c: &str, label: &str, from: &[&str], to: &str| WorkflowAction {
            code: code(c),
            label: label.into(),
            from: from.iter().map(|f| code(f)).collect(),
            to: code(to),
            requires_note: false,
            required_fields: vec![],
            assign_group: None,
        };
        Workflow {
            initial: code("new"),
            statuses: vec![
                status("new", "新建", StatusCategory::Open),
                status("processing", "处理中", StatusCategory::Open),
                status("waiting", "等待反馈", StatusCategory::Pending),
                status("done", "已完结", StatusCategory::Closed),
            ],
            actions: vec![
                action("start", "开始处理", &["new"], "processing"),
                action("wait", "等待反馈", &["processing"], "waiting"),
                action("resume", "继续处理", &["waiting"], "processing"),
                action(
                    "complete",
                    "完结",
                    &["new", "processing", "waiting"],
                    "done",
                ),
            ],
        }
    }
}

fn label_ok(label: &str) -> bool {
    let n = label.trim().chars().count();
    (1..=64).contains(&n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(c: &str) -> FieldCode {
        FieldCode::parse(c).unwrap()
    }

    #[test]
    fn the_default_workflow_is_valid() {
        let w = Workflow::default_workflow();
        w.validate(&[]).unwrap();
        let from_new: Vec<&str> = w.actions_from("new").map(|a| a.code.as_str()).collect();
        assert_eq!(from_new, ["start", "complete"]);
    }

    #[test]
    fn actions_are_checked_against_the_current_status_notes_and_fields() {
        let mut w = Workflow::default_workflow();
        w.actions.push(WorkflowAction {
            code: code("escalate"),
            label: "升级二线".into(),
            from: vec![code("processing")],
            to: code("new"),
            requires_note: true,
            required_fields: vec![code("address")],
            assign_group: None,
        });
        w.validate(&[code("address")]).unwrap();
        assert!(w.validate(&[]).is_err(), "unknown required field");
        let none = |_: &FieldCode| false;
        let all = |_: &FieldCode| true;
        assert_eq!(
            w.check("nope", "new", None, all),
            Err(ActionRefused::UnknownAction)
        );
        assert_eq!(
            w.check("escalate", "new", Some("x"), all),
            Err(ActionRefused::NotFromHere)
        );
        assert_eq!(
            w.check("escalate", "processing", Some("  "), all),
            Err(ActionRefused::NoteRequired)
        );
        assert_eq!(
            w.check("escalate", "processing", Some("二线处理"), none),
            Err(ActionRefused::FieldRequired(code("address")))
        );
        assert!(w
            .check("escalate", "processing", Some("二线处理"), all)
            .is_ok());
    }

    #[test]
    fn broken_workflows_are_refused() {
        let mut w = Workflow::default_workflow();
        w.initial = code("done");
        assert!(w.validate(&[]).is_err(), "cannot start closed");
        let mut w = Workflow::default_workflow();
        w.actions[0].to = code("nowhere");
        assert!(w.validate(&[]).is_err());
        let mut w = Workflow::default_workflow();
        w.statuses.push(w.statuses[0].clone());
        assert!(w.validate(&[]).is_err(), "duplicate status");
    }
}
