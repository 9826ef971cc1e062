//! Helpers shared by the wire types: timestamps and enum schemas built from the engine's
//! own code lists, so the OpenAPI document can never disagree with what we accept.

use switchboard_engine::acd::{AgentState, ContactStatus, Direction};
use switchboard_engine::ticket::{
    ConditionOp, FieldKind, FieldType, FlagColor, NotifyTarget, StatusCategory,
};
use switchboard_engine::{
    AgentParams, AgentSignInMode, Channel, PostSignInState, RoutingStrategy, TenantSignInMode,
};
use utoipa::openapi::schema::{
    AdditionalProperties, ArrayBuilder, Object, ObjectBuilder, OneOfBuilder, Schema, SchemaType,
    Type,
};
use utoipa::openapi::RefOr;

/// RFC 3339 text for a millisecond timestamp.
/// A page cursor as the API passes it: the last entry's time and id, `MILLIS.UUID`, opaque to
/// clients.
pub fn page_cursor(at: i64, id: uuid::Uuid) -> String {
    format!("{at}.{id}")
}

/// A cursor from [`page_cursor`]; anything else is refused naming `field`.
pub fn parse_page_cursor(field: &str, raw: &str) -> crate::error::ApiResult<(i64, uuid::Uuid)> {
    let bad =
        || crate::error::ApiError::invalid(field, "must be a next_before of the previous page");
    let (at, id) = raw.split_once('.').ok_or_else(bad)?;
    Ok((
        at.parse().map_err(|_| bad())?,
        id.parse().map_err(|_| bad())?,
    ))
}

pub fn rfc3339(ms: i64) -> String {
    let nanos = i128::from(ms) * 1_000_000;
    time::OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

fn codes_schema(codes: impl IntoIterator<Item = &'static str>) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .enum_values(Some(codes))
        .into()
}

pub fn channel_schema() -> RefOr<Schema> {
    codes_schema(Channel::ALL.iter().map(|c| c.code()))
}
pub fn strategy_schema() -> RefOr<Schema> {
    codes_schema(RoutingStrategy::ALL.iter().map(|c| c.code()))
}
pub fn post_sign_in_state_schema() -> RefOr<Schema> {
    codes_schema(PostSignInState::ALL.iter().map(|c| c.code()))
}
pub fn tenant_sign_in_mode_schema() -> RefOr<Schema> {
    codes_schema(TenantSignInMode::ALL.iter().map(|c| c.code()))
}
pub fn agent_sign_in_mode_schema() -> RefOr<Schema> {
    codes_schema(AgentSignInMode::ALL.iter().map(|c| c.code()))
}
pub fn agent_state_schema() -> RefOr<Schema> {
    codes_schema(AgentState::ALL.iter().map(|c| c.code()))
}
pub fn contact_state_schema() -> RefOr<Schema> {
    codes_schema(ContactStatus::ALL.iter().map(|c| c.code()))
}
pub fn direction_schema() -> RefOr<Schema> {
    codes_schema(Direction::ALL.iter().map(|c| c.code()))
}
pub fn field_type_schema() -> RefOr<Schema> {
    codes_schema(FieldType::ALL.iter().map(|c| c.code()))
}
pub fn field_kind_schema() -> RefOr<Schema> {
    codes_schema(FieldKind::ALL.iter().map(|c| c.code()))
}
pub fn status_category_schema() -> RefOr<Schema> {
    codes_schema(StatusCategory::ALL.iter().map(|c| c.code()))
}
pub fn condition_op_schema() -> RefOr<Schema> {
    codes_schema(ConditionOp::ALL.iter().map(|c| c.code()))
}
pub fn notify_target_schema() -> RefOr<Schema> {
    codes_schema(NotifyTarget::ALL.iter().map(|c| c.code()))
}
/// A flag colour, or null for none.
pub fn flag_color_schema() -> RefOr<Schema> {
    nullable(codes_schema(FlagColor::ALL.iter().map(|c| c.code())))
}

// Code lists that the server spells out where it parses them (no engine enum).
pub fn trigger_schema() -> RefOr<Schema> {
    codes_schema(["created", "status_changed", "field_changed", "due"])
}
pub fn rule_action_type_schema() -> RefOr<Schema> {
    codes_schema([
        "assign_group",
        "assign_round_robin",
        "set_field",
        "notify",
        "escalate",
    ])
}
pub fn layout_width_schema() -> RefOr<Schema> {
    codes_schema(["half", "full"])
}
pub fn canned_scope_schema() -> RefOr<Schema> {
    codes_schema(["personal", "team"])
}

fn nullable(schema: RefOr<Schema>) -> RefOr<Schema> {
    OneOfBuilder::new()
        .item(Object::with_type(Type::Null))
        .item(schema)
        .into()
}

/// One ticket field's value: text (also dates and date-times), a number, or a list
/// (multi-select, cascade path, attachments).
pub fn field_value_schema() -> RefOr<Schema> {
    OneOfBuilder::new()
        .item(Object::with_type(Type::String))
        .item(Object::with_type(Type::Number))
        .item(ArrayBuilder::new().items(Object::with_type(Type::String)))
        .into()
}

/// A ticket's values by field code; null clears a value.
pub fn field_values_schema() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::Object))
        .additional_properties(Some(AdditionalProperties::RefOr(nullable(
            field_value_schema(),
        ))))
        .into()
}

/// An agent's own parameters (A6).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentParamsWire {
    #[schema(schema_with = agent_sign_in_mode_schema)]
    pub sign_in_mode: String,
    pub auto_answer: bool,
}

impl From<AgentParams> for AgentParamsWire {
    fn from(p: AgentParams) -> Self {
        Self {
            sign_in_mode: p.sign_in_mode.code().to_owned(),
            auto_answer: p.auto_answer,
        }
    }
}

impl AgentParamsWire {
    pub fn parse(&self) -> Result<AgentParams, switchboard_engine::ValidationError> {
        Ok(AgentParams {
            sign_in_mode: AgentSignInMode::parse(&self.sign_in_mode).map_err(|e| {
                switchboard_engine::ValidationError::new("agent_params.sign_in_mode", e.message)
            })?,
            auto_answer: self.auto_answer,
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn timestamps_format_as_rfc3339() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::rfc3339(1_500), "1970-01-01T00:00:01.5Z");
    }
}
