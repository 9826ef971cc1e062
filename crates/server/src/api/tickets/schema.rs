//! The JSON shape of a ticket type's definition (fields, workflow, rules) and of field values,
//! and their conversion to the engine's checked types. The stored definition uses the same
//! shape, so one mapping serves the API and the database.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use switchboard_engine::ticket::time::format_utc;
use switchboard_engine::ticket::{
    Condition, ConditionOp, FieldCode, FieldDef, FieldError, FieldKind, FieldOption, FieldType,
    FieldValue, NotifyTarget, RawValue, Rule, RuleAction, Status, StatusCategory, TicketSchema,
    Trigger, Workflow, WorkflowAction,
};
use switchboard_engine::{SkillQueueId, TenantZone};
use utoipa::ToSchema;

use crate::error::ApiError;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldJson {
    pub code: String,
    pub label: String,
    /// system, business or custom.
    #[serde(default = "custom")]
    #[schema(schema_with = crate::api::wire::field_kind_schema)]
    pub kind: String,
    /// text, long_text, number, date, datetime, single_select, multi_select, cascade, phone,
    /// email, address, member, attachment.
    #[serde(rename = "type")]
    #[schema(schema_with = crate::api::wire::field_type_schema)]
    pub field_type: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<OptionJson>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = crate::api::wire::field_value_schema)]
    pub default: Option<Value>,
}

fn custom() -> String {
    "custom".into()
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionJson {
    pub value: String,
    pub label: String,
    /// Only for cascade fields.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(no_recursion)]
    pub children: Vec<OptionJson>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusJson {
    pub code: String,
    pub label: String,
    /// open, pending or closed.
    #[schema(schema_with = crate::api::wire::status_category_schema)]
    pub category: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionJson {
    pub code: String,
    pub label: String,
    pub from: Vec<String>,
    pub to: String,
    #[serde(default)]
    pub requires_note: bool,
    #[serde(default)]
    pub required_fields: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assign_group_id: Option<uuid::Uuid>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowJson {
    pub initial: String,
    pub statuses: Vec<StatusJson>,
    pub actions: Vec<ActionJson>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConditionJson {
    /// A field code, or status, group_id, assignee_id.
    pub field: String,
    /// eq, ne, in, contains, empty, not_empty, gt, lt.
    #[schema(schema_with = crate::api::wire::condition_op_schema)]
    pub op: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleActionJson {
    /// assign_group, assign_round_robin, set_field, notify, escalate.
    #[serde(rename = "type")]
    #[schema(schema_with = crate::api::wire::rule_action_type_schema)]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<uuid::Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// For notify: assignee, creator or group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = crate::api::wire::notify_target_schema)]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleJson {
    /// Kept across saves; given when missing.
    #[serde(default)]
    pub id: Option<String>,
    pub name: String,
    #[serde(default = "yes")]
    pub active: bool,
    /// created, status_changed, field_changed, due.
    #[schema(schema_with = crate::api::wire::trigger_schema)]
    pub trigger: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default)]
    pub conditions: Vec<ConditionJson>,
    pub actions: Vec<RuleActionJson>,
}

/// A type's fields, workflow and rules.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DefinitionJson {
    pub fields: Vec<FieldJson>,
    pub workflow: WorkflowJson,
    #[serde(default)]
    pub rules: Vec<RuleJson>,
}

fn field_err(e: FieldError) -> ApiError {
    ApiError::invalid(e.field, e.message)
}

fn code(raw: &str) -> Result<FieldCode, ApiError> {
    FieldCode::parse(raw).map_err(field_err)
}

fn parse_enum<T>(
    field: &str,
    raw: &str,
    parse: fn(&str) -> Result<T, switchboard_engine::ValidationError>,
) -> Result<T, ApiError> {
    parse(raw).map_err(|e| ApiError::invalid(field.to_owned(), e.message))
}

/// Input JSON as a raw field value.
pub fn raw_value(field: &str, v: &Value) -> Result<RawValue, ApiError> {
    Ok(match v {
        Value::Null => RawValue::Empty,
        Value::String(s) => RawValue::Text(s.clone()),
        Value::Number(n) => RawValue::Number(n.as_f64().unwrap_or(f64::NAN)),
        Value::Bool(b) => RawValue::Text(b.to_string()),
        Value::Array(items) => RawValue::List(
            items
                .iter()
                .map(|i| match i {
                    Value::String(s) => Ok(s.clone()),
                    Value::Number(n) => Ok(n.to_string()),
                    _ => Err(ApiError::invalid(field.to_owned(), "a list of texts")),
                })
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(_) => {
            return Err(ApiError::invalid(field.to_owned(), "not a field value"));
        }
    })
}

/// A checked value as JSON: text as strings, times as RFC 3339 (UTC), lists as arrays.
pub fn value_json(v: &FieldValue) -> Value {
    match v {
        FieldValue::Text(t) => Value::String(t.clone()),
        FieldValue::Time(ms) => Value::String(format_utc(*ms)),
        FieldValue::List(items) => items.iter().cloned().map(Value::String).collect(),
    }
}

fn option_from(o: &OptionJson) -> FieldOption {
    FieldOption {
        value: o.value.trim().to_owned(),
        label: o.label.trim().to_owned(),
        children: o.children.iter().map(option_from).collect(),
    }
}

fn option_json(o: &FieldOption) -> OptionJson {
    OptionJson {
        value: o.value.clone(),
        label: o.label.clone(),
        children: o.children.iter().map(option_json).collect(),
    }
}

impl FieldJson {
    fn to_def(&self, zone: &TenantZone) -> Result<FieldDef, ApiError> {
        let mut def = FieldDef {
            code: code(&self.code)?,
            label: self.label.trim().to_owned(),
            kind: parse_enum(&self.code, &self.kind, FieldKind::parse)?,
            field_type: parse_enum(&self.code, &self.field_type, FieldType::parse)?,
            required: self.required,
            options: self.options.iter().map(option_from).collect(),
            default: None,
        };
        if let Some(d) = &self.default {
            def.default = def
                .parse_value(&raw_value(&self.code, d)?, zone)
                .map_err(field_err)?;
        }
        Ok(def)
    }

    fn from_def(f: &FieldDef) -> Self {
        Self {
            code: f.code.to_string(),
            label: f.label.clone(),
            kind: f.kind.code().into(),
            field_type: f.field_type.code().into(),
            required: f.required,
            options: f.options.iter().map(option_json).collect(),
            default: f.default.as_ref().map(value_json),
        }
    }
}

impl WorkflowJson {
    fn to_workflow(&self) -> Result<Workflow, ApiError> {
        let codes = |list: &[String]| list.iter().map(|c| code(c)).collect::<Result<Vec<_>, _>>();
        Ok(Workflow {
            initial: code(&self.initial)?,
            statuses: self
                .statuses
                .iter()
                .map(|s| {
                    Ok(Status {
                        code: code(&s.code)?,
                        label: s.label.trim().to_owned(),
                        category: parse_enum(&s.code, &s.category, StatusCategory::parse)?,
                    })
                })
                .collect::<Result<_, ApiError>>()?,
            actions: self
                .actions
                .iter()
                .map(|a| {
                    Ok(WorkflowAction {
                        code: code(&a.code)?,
                        label: a.label.trim().to_owned(),
                        from: codes(&a.from)?,
                        to: code(&a.to)?,
                        requires_note: a.requires_note,
                        required_fields: codes(&a.required_fields)?,
                        assign_group: a.assign_group_id.map(SkillQueueId),
                    })
                })
                .collect::<Result<_, ApiError>>()?,
        })
    }

    fn from_workflow(w: &Workflow) -> Self {
        let strings = |l: &[FieldCode]| l.iter().map(ToString::to_string).collect();
        Self {
            initial: w.initial.to_string(),
            statuses: w
                .statuses
                .iter()
                .map(|s| StatusJson {
                    code: s.code.to_string(),
                    label: s.label.clone(),
                    category: s.category.code().into(),
                })
                .collect(),
            actions: w
                .actions
                .iter()
                .map(|a| ActionJson {
                    code: a.code.to_string(),
                    label: a.label.clone(),
                    from: strings(&a.from),
                    to: a.to.to_string(),
                    requires_note: a.requires_note,
                    required_fields: strings(&a.required_fields),
                    assign_group_id: a.assign_group.map(|g| g.0),
                })
                .collect(),
        }
    }
}

impl RuleJson {
    fn to_rule(&self, index: usize) -> Result<Rule, ApiError> {
        let at = format!("rules[{index}]");
        let need = |v: &Option<String>, what: &str| {
            v.clone()
                .ok_or_else(|| ApiError::invalid(at.clone(), format!("needs {what}")))
        };
        let group = |a: &RuleActionJson| {
            a.group_id
                .map(SkillQueueId)
                .ok_or_else(|| ApiError::invalid(at.clone(), "needs group_id"))
        };
        let trigger = match self.trigger.as_str() {
            "created" => Trigger::Created,
            "status_changed" => {
                Trigger::StatusChanged(self.status.as_deref().map(code).transpose()?)
            }
            "field_changed" => Trigger::FieldChanged(code(&need(&self.field, "field")?)?),
            "due" => Trigger::Due,
            _ => {
                return Err(ApiError::invalid(
                    at,
                    "trigger is created, status_changed, field_changed or due",
                ))
            }
        };
        let conditions = self
            .conditions
            .iter()
            .map(|c| {
                Ok(Condition {
                    field: c.field.clone(),
                    op: parse_enum(&at, &c.op, ConditionOp::parse)?,
                    value: c.value.clone(),
                })
            })
            .collect::<Result<_, ApiError>>()?;
        let actions = self
            .actions
            .iter()
            .map(|a| {
                Ok(match a.kind.as_str() {
                    "assign_group" => RuleAction::AssignGroup(group(a)?),
                    "assign_round_robin" => RuleAction::AssignRoundRobin(group(a)?),
                    "set_field" => RuleAction::SetField(
                        code(&need(&a.field, "field")?)?,
                        a.value.clone().unwrap_or_default(),
                    ),
                    "notify" => RuleAction::Notify(parse_enum(
                        &at,
                        a.to.as_deref().unwrap_or(""),
                        NotifyTarget::parse,
                    )?),
                    "escalate" => RuleAction::Escalate {
                        group: group(a)?,
                        priority: a.priority.clone(),
                    },
                    _ => {
                        return Err(ApiError::invalid(
                            at.clone(),
                            "action type is assign_group, assign_round_robin, set_field, notify or escalate",
                        ))
                    }
                })
            })
            .collect::<Result<_, ApiError>>()?;
        Ok(Rule {
            id: self
                .id
                .clone()
                .filter(|i| !i.is_empty() && i.len() <= 64)
                .unwrap_or_else(|| uuid::Uuid::now_v7().to_string()),
            name: self.name.trim().to_owned(),
            active: self.active,
            trigger,
            conditions,
            actions,
        })
    }

    fn from_rule(r: &Rule) -> Self {
        let (trigger, status, field) = match &r.trigger {
            Trigger::Created => ("created", None, None),
            Trigger::StatusChanged(s) => {
                ("status_changed", s.as_ref().map(ToString::to_string), None)
            }
            Trigger::FieldChanged(f) => ("field_changed", None, Some(f.to_string())),
            Trigger::Due => ("due", None, None),
        };
        let action = |kind: &str| RuleActionJson {
            kind: kind.into(),
            group_id: None,
            field: None,
            value: None,
            to: None,
            priority: None,
        };
        Self {
            id: Some(r.id.clone()),
            name: r.name.clone(),
            active: r.active,
            trigger: trigger.into(),
            status,
            field,
            conditions: r
                .conditions
                .iter()
                .map(|c| ConditionJson {
                    field: c.field.clone(),
                    op: c.op.code().into(),
                    value: c.value.clone(),
                })
                .collect(),
            actions: r
                .actions
                .iter()
                .map(|a| match a {
                    RuleAction::AssignGroup(g) => RuleActionJson {
                        group_id: Some(g.0),
                        ..action("assign_group")
                    },
                    RuleAction::AssignRoundRobin(g) => RuleActionJson {
                        group_id: Some(g.0),
                        ..action("assign_round_robin")
                    },
                    RuleAction::SetField(f, v) => RuleActionJson {
                        field: Some(f.to_string()),
                        value: Some(v.clone()),
                        ..action("set_field")
                    },
                    RuleAction::Notify(to) => RuleActionJson {
                        to: Some(to.code().into()),
                        ..action("notify")
                    },
                    RuleAction::Escalate { group, priority } => RuleActionJson {
                        group_id: Some(group.0),
                        priority: priority.clone(),
                        ..action("escalate")
                    },
                })
                .collect(),
        }
    }
}

impl DefinitionJson {
    /// The checked schema: every field, the workflow and every rule valid, set_field values
    /// valid for their field. A default time without an offset is read in `zone`.
    pub fn to_schema(&self, zone: &TenantZone) -> Result<TicketSchema, ApiError> {
        let schema = TicketSchema {
            fields: self
                .fields
                .iter()
                .map(|f| f.to_def(zone))
                .collect::<Result<_, _>>()?,
            workflow: self.workflow.to_workflow()?,
            rules: self
                .rules
                .iter()
                .enumerate()
                .map(|(i, r)| r.to_rule(i))
                .collect::<Result<_, _>>()?,
        };
        schema.validate().map_err(field_err)?;
        for r in &schema.rules {
            for a in &r.actions {
                if let RuleAction::SetField(f, v) = a {
                    let def = schema.field(f.as_str()).expect("validated");
                    def.parse_value(&RawValue::Text(v.clone()), zone)
                        .map_err(field_err)?;
                }
            }
        }
        Ok(schema)
    }

    pub fn from_schema(s: &TicketSchema) -> Self {
        Self {
            fields: s.fields.iter().map(FieldJson::from_def).collect(),
            workflow: WorkflowJson::from_workflow(&s.workflow),
            rules: s.rules.iter().map(RuleJson::from_rule).collect(),
        }
    }

    /// A stored definition; a broken one is a corrupt database, not the caller's fault.
    pub fn load(stored: &str) -> Result<TicketSchema, ApiError> {
        let json: DefinitionJson = serde_json::from_str(stored)
            .map_err(|e| anyhow::anyhow!("stored ticket type definition: {e}"))?;
        // Stored definitions hold their times with an offset (`value_json`), so no zone is needed.
        json.to_schema(&TenantZone::utc())
            .map_err(|e| anyhow::anyhow!("stored ticket type definition: {e}").into())
    }

    pub fn store(s: &TicketSchema) -> String {
        serde_json::to_string(&Self::from_schema(s)).expect("plain JSON")
    }

    /// `t` defined by `s`: its stored definition and the fields storage indexes as facets.
    pub fn apply(t: &mut switchboard_storage::TicketType, s: &TicketSchema) {
        t.definition = Self::store(s);
        t.facet_fields = s.option_codes();
    }

    /// A new ticket type defined by `s`, as storage keeps it.
    pub fn new_type(
        name: String,
        description: String,
        active: bool,
        s: &TicketSchema,
        now: i64,
    ) -> switchboard_storage::TicketType {
        let mut t = switchboard_storage::TicketType {
            id: switchboard_engine::TicketTypeId::new(),
            name,
            description,
            active,
            version: 1,
            definition: String::new(),
            facet_fields: vec![],
            created_at: now,
            updated_at: now,
        };
        Self::apply(&mut t, s);
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn option(value: &str, label: &str, children: Vec<FieldOption>) -> FieldOption {
        FieldOption {
            value: value.into(),
            label: label.into(),
            children,
        }
    }

    /// The fields of `fuzz/fuzz_targets/ticket_field.rs`, one of each type.
    fn field(field_type: FieldType) -> FieldDef {
        let options = match field_type {
            FieldType::SingleSelect | FieldType::MultiSelect => vec![
                option("refund", "退款", vec![]),
                option("repair", "维修 Repair", vec![]),
                option("a", "b", vec![]),
                option("b", "c", vec![]),
            ],
            FieldType::Cascade => vec![
                option(
                    "gd",
                    "广东",
                    vec![
                        option("sz", "深圳", vec![option("ns", "南山", vec![])]),
                        option("gz", "广州", vec![]),
                    ],
                ),
                option("bj", "北京", vec![option("cy", "朝阳", vec![])]),
            ],
            _ => vec![],
        };
        FieldDef {
            code: FieldCode::parse("f").unwrap(),
            label: "字段".into(),
            kind: FieldKind::Custom,
            field_type,
            required: false,
            options,
            default: None,
        }
    }

    /// `YYYY-MM-DD`, digits where digits go.
    fn is_date(text: &str) -> bool {
        text.len() == 10
            && text.bytes().enumerate().all(|(i, b)| {
                matches!(i, 4 | 7) == (b == b'-') && (b == b'-' || b.is_ascii_digit())
            })
    }

    /// Every input kept from the `ticket_field` fuzz target (a field type byte, a JSON or
    /// cell byte, then the input) is checked, and a value that passes enters again unchanged.
    #[test]
    fn every_kept_field_input_is_checked_and_reenters_unchanged() {
        let zone = TenantZone::parse("Asia/Shanghai").unwrap();
        for (name, bytes) in crate::fuzz_regressions("ticket_field") {
            let [which, how, rest @ ..] = bytes.as_slice() else {
                continue;
            };
            let def = field(FieldType::ALL[usize::from(*which) % FieldType::ALL.len()]);
            let raw = match how % 2 {
                0 => match serde_json::from_slice::<Value>(rest) {
                    Ok(v) => match raw_value("f", &v) {
                        Ok(raw) => raw,
                        Err(_) => continue,
                    },
                    Err(_) => continue,
                },
                _ => match std::str::from_utf8(rest) {
                    Ok(text) => RawValue::Text(text.to_owned()),
                    Err(_) => continue,
                },
            };
            if let Ok(Some(value)) = def.parse_value(&raw, &zone) {
                if let (FieldType::Date, FieldValue::Text(date)) = (def.field_type, &value) {
                    assert!(is_date(date), "{name}: the date {date:?}");
                }
                let again = raw_value("f", &value_json(&value)).unwrap();
                assert_eq!(
                    def.parse_value(&again, &zone).ok().flatten(),
                    Some(value),
                    "{name}"
                );
            }
        }
    }
}
