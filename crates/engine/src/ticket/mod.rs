//! Tickets (工单, T1-T10): types with their fields, workflows and rules; checking a ticket's
//! values; who may see and do what with a ticket and what each change does to it; full-text
//! terms. Pure: storage and the API live in other crates.

pub mod access;
pub mod automation;
pub mod changes;
pub mod field;
pub mod rules;
pub mod search;
pub mod state;
pub mod time;
pub mod workflow;

use std::collections::BTreeMap;

pub use access::{Caller, Can, Sight};
pub use field::{
    system_fields, FieldCode, FieldDef, FieldKind, FieldOption, FieldType, FieldValue, RawValue,
};
pub use rules::{Condition, ConditionOp, NotifyTarget, Rule, RuleAction, Trigger};
pub use state::TicketState;
pub use workflow::{ActionRefused, Status, StatusCategory, Workflow, WorkflowAction};

use crate::queue::code_enum;

/// A problem with one field (its code) or one part of a definition.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// A ticket's field values by code.
pub type FieldValues = BTreeMap<FieldCode, FieldValue>;

code_enum!(
    /// A user's flag on a ticket (T6).
    FlagColor, "color" {
        Red => "red",
        Orange => "orange",
        Yellow => "yellow",
        Green => "green",
        Blue => "blue",
        Purple => "purple",
    }
);

/// The definition part of a ticket type that checks tickets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketSchema {
    pub fields: Vec<FieldDef>,
    pub workflow: Workflow,
    pub rules: Vec<Rule>,
}

pub const MAX_FIELDS: usize = 200;

impl TicketSchema {
    /// A new type's schema: the system fields and the default workflow.
    pub fn starter() -> Self {
        Self {
            fields: system_fields(),
            workflow: Workflow::default_workflow(),
            rules: vec![],
        }
    }

    pub fn field(&self, code: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.code.as_str() == code)
    }

    pub fn codes(&self) -> Vec<FieldCode> {
        self.fields.iter().map(|f| f.code.clone()).collect()
    }

    /// The codes of the select and cascade fields: their few values are worth indexing as
    /// search facets, unlike free text.
    pub fn option_codes(&self) -> Vec<String> {
        self.fields
            .iter()
            .filter(|f| f.field_type.has_options())
            .map(|f| f.code.as_str().to_owned())
            .collect()
    }

    /// Checks the whole definition: system fields present with their fixed types, unique
    /// codes, valid fields, workflow and rules.
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.fields.len() > MAX_FIELDS {
            return Err(FieldError::new("fields", "at most 200 fields per type"));
        }
        for (i, f) in self.fields.iter().enumerate() {
            if self.fields[..i].iter().any(|p| p.code == f.code) {
                return Err(FieldError::new(
                    f.code.as_str(),
                    "field codes are unique in a type",
                ));
            }
            f.check()?;
        }
        for sys in system_fields() {
            match self.field(sys.code.as_str()) {
                Some(f) if f.field_type == sys.field_type && f.kind == FieldKind::System => {}
                _ => {
                    return Err(FieldError::new(
                        sys.code.as_str(),
                        "system fields keep their code and type",
                    ))
                }
            }
        }
        if !self.field("title").is_some_and(|f| f.required) {
            return Err(FieldError::new("title", "the title is always required"));
        }
        if let Some(f) = self.fields.iter().find(|f| {
            f.kind == FieldKind::System && system_fields().iter().all(|s| s.code != f.code)
        }) {
            return Err(FieldError::new(f.code.as_str(), "not a system field"));
        }
        let codes = self.codes();
        self.workflow.validate(&codes)?;
        if self.rules.len() > rules::MAX_RULES {
            return Err(FieldError::new("rules", "at most 50 rules per type"));
        }
        for r in &self.rules {
            r.validate(&codes)?;
        }
        Ok(())
    }

    /// Checks input for a new ticket: every code known, every value valid, defaults filled in,
    /// required fields present.
    pub fn new_values(
        &self,
        input: &[(String, RawValue)],
        zone: &crate::zone::TenantZone,
    ) -> Result<FieldValues, FieldError> {
        let mut values = FieldValues::new();
        for f in &self.fields {
            if let Some(d) = &f.default {
                values.insert(f.code.clone(), d.clone());
            }
        }
        self.apply(&mut values, input, zone)?;
        self.check_required(&values)?;
        Ok(values)
    }

    /// Applies edits to existing values; returns the codes that changed. An empty input
    /// clears the field.
    pub fn apply(
        &self,
        values: &mut FieldValues,
        input: &[(String, RawValue)],
        zone: &crate::zone::TenantZone,
    ) -> Result<Vec<FieldCode>, FieldError> {
        let mut changed = Vec::new();
        for (code, raw) in input {
            let f = self
                .field(code)
                .ok_or_else(|| FieldError::new(code, "no such field in this ticket type"))?;
            let next = f.parse_value(raw, zone)?;
            let before = values.get(&f.code);
            if before != next.as_ref() {
                changed.push(f.code.clone());
                match next {
                    Some(v) => values.insert(f.code.clone(), v),
                    None => values.remove(&f.code),
                };
            }
        }
        Ok(changed)
    }

    pub fn check_required(&self, values: &FieldValues) -> Result<(), FieldError> {
        match self
            .fields
            .iter()
            .find(|f| f.required && !values.contains_key(&f.code))
        {
            Some(f) => Err(FieldError::new(f.code.as_str(), "is required")),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zone::TenantZone;

    fn custom(code: &str, field_type: FieldType, required: bool) -> FieldDef {
        FieldDef {
            code: FieldCode::parse(code).unwrap(),
            label: code.into(),
            kind: FieldKind::Custom,
            field_type,
            required,
            options: vec![],
            default: None,
        }
    }

    fn input(pairs: &[(&str, &str)]) -> Vec<(String, RawValue)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), RawValue::Text(v.to_string())))
            .collect()
    }

    #[test]
    fn option_codes_are_the_select_and_cascade_fields() {
        let mut schema = TicketSchema::starter();
        assert_eq!(schema.option_codes(), ["priority"]);
        schema
            .fields
            .push(custom("order_no", FieldType::Text, false));
        schema
            .fields
            .push(custom("region", FieldType::Cascade, false));
        schema
            .fields
            .push(custom("tags", FieldType::MultiSelect, false));
        assert_eq!(schema.option_codes(), ["priority", "region", "tags"]);
    }

    #[test]
    fn new_tickets_get_defaults_and_need_required_fields() {
        let mut schema = TicketSchema::starter();
        schema
            .fields
            .push(custom("address", FieldType::Address, true));
        schema.validate().unwrap();
        let err = schema
            .new_values(&input(&[("title", "退货")]), &TenantZone::default())
            .unwrap_err();
        assert_eq!(err.field, "address");
        let values = schema
            .new_values(
                &input(&[("title", "退货"), ("address", "深圳市南山区")]),
                &TenantZone::default(),
            )
            .unwrap();
        assert_eq!(
            values[&FieldCode::parse("priority").unwrap()],
            FieldValue::Text("normal".into())
        );
        let unknown = schema.new_values(
            &input(&[("title", "x"), ("nope", "1")]),
            &TenantZone::default(),
        );
        assert_eq!(unknown.unwrap_err().field, "nope");
        assert_eq!(
            schema
                .new_values(&input(&[("address", "x")]), &TenantZone::default())
                .unwrap_err()
                .field,
            "title"
        );
    }

    #[test]
    fn edits_report_what_changed() {
        let schema = TicketSchema::starter();
        let mut values = schema
            .new_values(&input(&[("title", "退货")]), &TenantZone::utc())
            .unwrap();
        let changed = schema
            .apply(
                &mut values,
                &input(&[("title", "退货"), ("phone", "13800138000")]),
                &TenantZone::utc(),
            )
            .unwrap();
        assert_eq!(changed, [FieldCode::parse("phone").unwrap()]);
        let cleared = schema
            .apply(&mut values, &input(&[("phone", "")]), &TenantZone::utc())
            .unwrap();
        assert_eq!(cleared.len(), 1);
        assert!(!values.contains_key(&FieldCode::parse("phone").unwrap()));
    }

    #[test]
    fn system_fields_cannot_be_removed_or_retyped() {
        let mut schema = TicketSchema::starter();
        schema.fields.retain(|f| f.code.as_str() != "title");
        assert_eq!(schema.validate().unwrap_err().field, "title");
        let mut schema = TicketSchema::starter();
        schema.fields[0].field_type = FieldType::LongText;
        assert!(schema.validate().is_err());
        let mut schema = TicketSchema::starter();
        schema.fields.push(custom("title", FieldType::Text, false));
        assert!(schema.validate().is_err(), "duplicate code");
    }
}
