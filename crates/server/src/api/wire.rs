//! Helpers shared by the wire types: timestamps and enum schemas built from the engine's
//! own code lists, so the OpenAPI document can never disagree with what we accept.

use switchboard_engine::{
    AgentParams, AgentSignInMode, Channel, PostSignInState, RoutingStrategy, TenantSignInMode,
};
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::RefOr;

/// RFC 3339 text for a millisecond timestamp.
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
