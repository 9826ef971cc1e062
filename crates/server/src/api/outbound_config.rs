//! Outbound calling's configuration (issue #15) at the edge: a trunk's outbound proxy and a
//! number's outbound trunk as the trunk and number endpoints take them, number groups (V10:
//! which numbers a skill queue's agents may present as caller ID), the tenant's destination
//! rules and daily limit (外呼号码规则, the toll-fraud guard), and the agent's own caller
//! numbers. Every change rebuilds the tenant's directory, which carries all of it to the switch.

use std::collections::HashSet;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_engine::{
    Channel, HotlineNumberId, NumberGroupId, SipTrunkId, SkillQueueId, TenantId,
};
use switchboard_storage::{NumberGroup, OutboundProxy, OutboundRule, SipTrunk};
use switchboard_voice::destinations::{DestinationRule, OutboundPolicy};
use utoipa::ToSchema;

use super::contacts::bounded;
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, IdPath};
use crate::state::AppState;
use crate::voice::destination_rule;

// ---- A trunk's outbound proxy and a number's outbound trunk ----

/// Where a trunk's outbound calls go: the provider's proxy.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrunkOutboundProxy {
    /// An IP address or a DNS name, 1-253 characters (looked up when the directory is built).
    pub host: String,
    /// 1-65535; 5060 when left out.
    #[serde(default = "sip_port")]
    pub port: u16,
}

fn sip_port() -> u16 {
    5060
}

/// Checks a trunk's outbound proxy (field `outbound_proxy`).
pub fn proxy_checked(req: Option<TrunkOutboundProxy>) -> ApiResult<Option<OutboundProxy>> {
    let Some(p) = req else {
        return Ok(None);
    };
    let host = p.host.trim().to_ascii_lowercase();
    if !host_like(&host) {
        return Err(ApiError::invalid(
            "outbound_proxy.host",
            "must be an IP address or a DNS name of 1-253 characters",
        ));
    }
    if p.port == 0 {
        return Err(ApiError::invalid(
            "outbound_proxy.port",
            "must be between 1 and 65535",
        ));
    }
    Ok(Some(OutboundProxy { host, port: p.port }))
}

/// An IP address, or a DNS name: dot-separated labels of letters, digits and inner hyphens.
fn host_like(host: &str) -> bool {
    if host.parse::<std::net::IpAddr>().is_ok() {
        return true;
    }
    let label_ok = |l: &str| {
        (1..=63).contains(&l.len())
            && l.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    (1..=253).contains(&host.len()) && host.split('.').all(label_ok)
}

pub fn proxy_out(p: &OutboundProxy) -> TrunkOutboundProxy {
    TrunkOutboundProxy {
        host: p.host.clone(),
        port: p.port,
    }
}

/// A number's outbound setting: on only with a trunk of the tenant that can carry calls out
/// (it has an outbound proxy or registers with its provider).
pub async fn outbound_trunk_checked(
    state: &AppState,
    tenant: TenantId,
    outbound: bool,
    trunk: Option<uuid::Uuid>,
) -> ApiResult<Option<SipTrunkId>> {
    let Some(id) = trunk else {
        if outbound {
            return Err(ApiError::Client {
                status: StatusCode::BAD_REQUEST,
                code: "outbound_trunk_required",
                message: "a number used for outbound calls needs an outbound trunk".into(),
                field: Some("outbound_trunk_id".into()),
            });
        }
        return Ok(None);
    };
    let trunks = state.store.sip_trunks(tenant).await?;
    let found: Option<&SipTrunk> = trunks.iter().find(|t| t.id.0 == id);
    let Some(trunk) = found else {
        return Err(ApiError::invalid(
            "outbound_trunk_id",
            "must be a trunk of this tenant",
        ));
    };
    if trunk.outbound.is_none() && trunk.registration.is_none() {
        return Err(ApiError::invalid(
            "outbound_trunk_id",
            "this trunk has no outbound proxy and does not register, so it cannot carry calls out",
        ));
    }
    Ok(Some(trunk.id))
}

// ---- Number groups ----

#[derive(Serialize, ToSchema)]
pub struct NumberGroupOut {
    pub id: uuid::Uuid,
    pub name: String,
    /// Hotline numbers (with outbound on) the queues' agents may present.
    pub number_ids: Vec<uuid::Uuid>,
    /// Voice skill queues whose agents may present them.
    pub queue_ids: Vec<uuid::Uuid>,
    /// One of `number_ids`, offered first; null: none.
    #[schema(required)]
    pub default_number_id: Option<uuid::Uuid>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NumberGroupIn {
    /// 1-64 characters, unique in the tenant.
    pub name: String,
    /// Hotline numbers of the tenant with outbound on, each once (at most 500).
    #[serde(default)]
    pub number_ids: Vec<uuid::Uuid>,
    /// Skill queues of the tenant with channel `voice`, each once (at most 500).
    #[serde(default)]
    pub queue_ids: Vec<uuid::Uuid>,
    /// One of `number_ids`; null or left out: none.
    #[serde(default)]
    pub default_number_id: Option<uuid::Uuid>,
}

const GROUP_MEMBERS: usize = 500;

fn group_out(g: NumberGroup) -> NumberGroupOut {
    NumberGroupOut {
        id: g.id.0,
        name: g.name,
        number_ids: g.numbers.iter().map(|n| n.0).collect(),
        queue_ids: g.queues.iter().map(|q| q.0).collect(),
        default_number_id: g.default_number.map(|n| n.0),
    }
}

/// Refuses a list naming an id twice or holding more than the bound.
fn each_once(field: &str, ids: &[uuid::Uuid]) -> ApiResult<()> {
    if ids.len() > GROUP_MEMBERS {
        return Err(ApiError::invalid(
            field,
            format!("must list at most {GROUP_MEMBERS}"),
        ));
    }
    let mut seen = HashSet::new();
    for (i, id) in ids.iter().enumerate() {
        if !seen.insert(id) {
            return Err(ApiError::invalid(
                format!("{field}[{i}]"),
                "is listed twice",
            ));
        }
    }
    Ok(())
}

/// Checks a group against the tenant's numbers and queues.
async fn group_checked(
    state: &AppState,
    tenant: TenantId,
    id: NumberGroupId,
    req: NumberGroupIn,
) -> ApiResult<NumberGroup> {
    let name = bounded("name", Some(&req.name), 64)?
        .ok_or_else(|| ApiError::invalid("name", "must not be empty"))?;
    each_once("number_ids", &req.number_ids)?;
    each_once("queue_ids", &req.queue_ids)?;
    let numbers = state.store.hotline_numbers(tenant).await?;
    for (i, id) in req.number_ids.iter().enumerate() {
        let field = format!("number_ids[{i}]");
        match numbers.iter().find(|n| n.id.0 == *id) {
            None => {
                return Err(ApiError::invalid(
                    field,
                    "must be a hotline number of this tenant",
                ))
            }
            Some(n) if !n.outbound => {
                return Err(ApiError::invalid(
                    field,
                    format!("number {} is not used for outbound calls", n.number),
                ))
            }
            Some(_) => {}
        }
    }
    let queues = state.store.skill_queues(tenant).await?;
    for (i, id) in req.queue_ids.iter().enumerate() {
        if !queues
            .iter()
            .any(|q| q.id.0 == *id && q.spec.channel == Channel::Voice)
        {
            return Err(ApiError::invalid(
                format!("queue_ids[{i}]"),
                "must be a skill queue of this tenant with channel 'voice'",
            ));
        }
    }
    if let Some(d) = req.default_number_id {
        if !req.number_ids.contains(&d) {
            return Err(ApiError::invalid(
                "default_number_id",
                "must be one of the group's numbers",
            ));
        }
    }
    Ok(NumberGroup {
        id,
        name,
        numbers: req.number_ids.into_iter().map(HotlineNumberId).collect(),
        queues: req.queue_ids.into_iter().map(SkillQueueId).collect(),
        default_number: req.default_number_id.map(HotlineNumberId),
    })
}

async fn save_group(
    state: &AppState,
    tenant: TenantId,
    id: NumberGroupId,
    req: NumberGroupIn,
    existing: bool,
) -> ApiResult<NumberGroup> {
    if existing
        && !state
            .store
            .number_groups(tenant)
            .await?
            .iter()
            .any(|g| g.id == id)
    {
        return Err(ApiError::not_found());
    }
    let group = group_checked(state, tenant, id, req).await?;
    state
        .store
        .save_number_group(tenant, &group, state.clock.now_ms())
        .await
        .map_err(ApiError::on_conflict(
            "name",
            "a number group with this name exists",
        ))?;
    state.voice.directory_changed(tenant);
    // Read back: the store orders numbers and queues.
    let stored = state.store.number_groups(tenant).await?;
    Ok(stored.into_iter().find(|g| g.id == id).unwrap_or(group))
}

/// The tenant's number groups, by name.
#[utoipa::path(get, path = "/api/v1/voice/number-groups", operation_id = "voice_number_groups_list", tag = "voice", security(("bearer" = ["queues.manage"])),
    responses((status = 200, body = [NumberGroupOut]), (status = 403, body = ErrorBody)))]
pub async fn list_groups(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
) -> ApiResult<Json<Vec<NumberGroupOut>>> {
    let groups = state.store.number_groups(p.tenant_id).await?;
    Ok(Json(groups.into_iter().map(group_out).collect()))
}

/// Add a number group: its numbers become the caller IDs its queues' agents may present.
#[utoipa::path(post, path = "/api/v1/voice/number-groups", operation_id = "voice_number_groups_create", tag = "voice", security(("bearer" = ["queues.manage"])), request_body = NumberGroupIn,
    responses((status = 201, body = NumberGroupOut), (status = 409, body = ErrorBody)))]
pub async fn create_group(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
    ApiJson(req): ApiJson<NumberGroupIn>,
) -> ApiResult<(StatusCode, Json<NumberGroupOut>)> {
    let g = save_group(&state, p.tenant_id, NumberGroupId::new(), req, false).await?;
    Ok((StatusCode::CREATED, Json(group_out(g))))
}

/// Change a number group: its name, and its numbers, queues and default, replaced whole.
#[utoipa::path(put, path = "/api/v1/voice/number-groups/{id}", operation_id = "voice_number_groups_update", tag = "voice", security(("bearer" = ["queues.manage"])),
    params(("id" = uuid::Uuid, Path)), request_body = NumberGroupIn,
    responses((status = 200, body = NumberGroupOut), (status = 409, body = ErrorBody)))]
pub async fn update_group(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<NumberGroupIn>,
) -> ApiResult<Json<NumberGroupOut>> {
    let g = save_group(&state, p.tenant_id, NumberGroupId(id), req, true).await?;
    Ok(Json(group_out(g)))
}

/// Remove a number group (its numbers and queues stay).
#[utoipa::path(delete, path = "/api/v1/voice/number-groups/{id}", operation_id = "voice_number_groups_delete", tag = "voice", security(("bearer" = ["queues.manage"])),
    params(("id" = uuid::Uuid, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_group(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    state
        .store
        .delete_number_group(p.tenant_id, NumberGroupId(id))
        .await?;
    state.voice.directory_changed(p.tenant_id);
    Ok(StatusCode::NO_CONTENT)
}

// ---- The outbound policy ----

/// A destination rule: numbers (as `+` and digits after normalizing, e.g. `+8613800138000`)
/// starting with `prefix` whose digit count lies in `min_digits..=max_digits`. A number may be
/// called when an allow rule matches and no deny rule does.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DestinationRuleWire {
    /// `+` then digits, or digits only; 1-16 characters.
    pub prefix: String,
    /// 1-20, at most `max_digits`.
    pub min_digits: u8,
    /// `min_digits`-20.
    pub max_digits: u8,
    /// Allow (true) or deny (false) the numbers it matches.
    pub allow: bool,
    /// What the rule is for (国内手机, 声讯台), at most 64 characters; shown with a refusal.
    #[serde(default)]
    pub label: String,
}

/// The tenant's outbound rules, as saved.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutboundPolicyIn {
    /// At most 100 rules, in the order shown.
    pub rules: Vec<DestinationRuleWire>,
    /// The most outbound calls one agent may place a day (the tenant's time zone), 1-10000;
    /// null: no limit.
    pub daily_limit: Option<u32>,
}

/// The tenant's outbound rules: the saved ones, or the built-in defaults before a first save.
#[derive(Serialize, ToSchema)]
pub struct OutboundPolicyOut {
    pub rules: Vec<DestinationRuleWire>,
    #[schema(required)]
    pub daily_limit: Option<u32>,
    /// Whether an admin saved these; false: the built-in defaults (domestic numbers only).
    pub saved: bool,
}

const MAX_RULES: usize = 100;
const DAILY_LIMIT: (u32, u32) = (1, 10_000);

fn rule_checked(i: usize, r: DestinationRuleWire) -> ApiResult<OutboundRule> {
    let field = |f: &str| format!("rules[{i}].{f}");
    let prefix = r.prefix.trim();
    let digits = prefix.strip_prefix('+').unwrap_or(prefix);
    if !(1..=16).contains(&prefix.len())
        || digits.is_empty()
        || !digits.bytes().all(|c| c.is_ascii_digit())
    {
        return Err(ApiError::invalid(
            field("prefix"),
            "must be digits, optionally after a leading +, 1-16 characters",
        ));
    }
    if !(1..=20).contains(&r.min_digits) {
        return Err(ApiError::invalid(
            field("min_digits"),
            "must be between 1 and 20",
        ));
    }
    if !(r.min_digits..=20).contains(&r.max_digits) {
        return Err(ApiError::invalid(
            field("max_digits"),
            "must be between min_digits and 20",
        ));
    }
    let label = r.label.trim();
    if label.chars().count() > 64 || label.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            field("label"),
            "must be at most 64 characters without control characters",
        ));
    }
    Ok(OutboundRule {
        prefix: prefix.to_owned(),
        min_digits: r.min_digits,
        max_digits: r.max_digits,
        allow: r.allow,
        label: label.to_owned(),
    })
}

fn policy_checked(req: OutboundPolicyIn) -> ApiResult<(Vec<OutboundRule>, Option<u32>)> {
    if req.rules.len() > MAX_RULES {
        return Err(ApiError::invalid(
            "rules",
            format!("must hold at most {MAX_RULES} rules"),
        ));
    }
    if let Some(limit) = req.daily_limit {
        if !(DAILY_LIMIT.0..=DAILY_LIMIT.1).contains(&limit) {
            let (lo, hi) = DAILY_LIMIT;
            return Err(ApiError::invalid(
                "daily_limit",
                format!("must be between {lo} and {hi}, or null"),
            ));
        }
    }
    let rules = req
        .rules
        .into_iter()
        .enumerate()
        .map(|(i, r)| rule_checked(i, r))
        .collect::<ApiResult<_>>()?;
    Ok((rules, req.daily_limit))
}

fn rule_out(r: &DestinationRule) -> DestinationRuleWire {
    DestinationRuleWire {
        prefix: r.prefix.clone(),
        min_digits: r.min_digits,
        max_digits: r.max_digits,
        allow: r.allow,
        label: r.label.clone(),
    }
}

async fn policy_out(state: &AppState, tenant: TenantId) -> ApiResult<OutboundPolicyOut> {
    let (policy, saved) = match state.store.outbound_policy(tenant).await? {
        Some(p) => (
            OutboundPolicy {
                rules: p.rules.iter().map(destination_rule).collect(),
                daily_limit: p.daily_limit,
            },
            true,
        ),
        None => (OutboundPolicy::default(), false),
    };
    Ok(OutboundPolicyOut {
        rules: policy.rules.iter().map(rule_out).collect(),
        daily_limit: policy.daily_limit,
        saved,
    })
}

/// The tenant's outbound destination rules and daily limit (the built-in defaults until an
/// admin saves some).
#[utoipa::path(get, path = "/api/v1/voice/outbound-policy", operation_id = "voice_outbound_policy_get", tag = "voice", security(("bearer" = ["params.manage"])),
    responses((status = 200, body = OutboundPolicyOut), (status = 403, body = ErrorBody)))]
pub async fn get_policy(
    State(state): State<AppState>,
    p: Can<perm::ManageParams>,
) -> ApiResult<Json<OutboundPolicyOut>> {
    Ok(Json(policy_out(&state, p.tenant_id).await?))
}

/// Replace the tenant's outbound destination rules and daily limit.
#[utoipa::path(put, path = "/api/v1/voice/outbound-policy", operation_id = "voice_outbound_policy_put", tag = "voice", security(("bearer" = ["params.manage"])), request_body = OutboundPolicyIn,
    responses((status = 200, body = OutboundPolicyOut), (status = 403, body = ErrorBody)))]
pub async fn put_policy(
    State(state): State<AppState>,
    p: Can<perm::ManageParams>,
    ApiJson(req): ApiJson<OutboundPolicyIn>,
) -> ApiResult<Json<OutboundPolicyOut>> {
    let (rules, daily_limit) = policy_checked(req)?;
    state
        .store
        .set_outbound_policy(p.tenant_id, &rules, daily_limit)
        .await?;
    state.voice.directory_changed(p.tenant_id);
    Ok(Json(policy_out(&state, p.tenant_id).await?))
}

// ---- The agent's caller numbers ----

/// A number I may present as caller ID on an outbound call.
#[derive(Serialize, ToSchema)]
pub struct CallerNumberOut {
    pub number_id: uuid::Uuid,
    pub number: String,
    /// The number group that gives it to me.
    pub group: String,
    /// Whether it is a group's default: offered first.
    pub default: bool,
}

/// The numbers I may present on outbound calls: those of the number groups bound to my skill
/// queues, defaults first.
#[utoipa::path(get, path = "/api/v1/agent/caller-numbers", operation_id = "agent_caller_numbers", tag = "agent", security(("bearer" = ["calls.outbound"])),
    responses((status = 200, body = [CallerNumberOut]), (status = 403, body = ErrorBody)))]
pub async fn caller_numbers(
    State(state): State<AppState>,
    p: Can<perm::OutboundCall>,
) -> ApiResult<Json<Vec<CallerNumberOut>>> {
    let numbers = state.store.caller_numbers(p.tenant_id, p.user_id).await?;
    let out = numbers.into_iter().map(|c| CallerNumberOut {
        number_id: c.number_id.0,
        number: c.number,
        group: c.group,
        default: c.default,
    });
    Ok(Json(out.collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(prefix: &str, min: u8, max: u8, label: &str) -> DestinationRuleWire {
        DestinationRuleWire {
            prefix: prefix.into(),
            min_digits: min,
            max_digits: max,
            allow: true,
            label: label.into(),
        }
    }

    #[test]
    fn proxies_name_a_host() {
        let p = |host: &str, port| {
            proxy_checked(Some(TrunkOutboundProxy {
                host: host.into(),
                port,
            }))
        };
        assert_eq!(
            p(" SIP.Carrier.example ", 5060).unwrap(),
            Some(OutboundProxy {
                host: "sip.carrier.example".into(),
                port: 5060
            })
        );
        assert!(p("192.0.2.10", 5080).is_ok());
        assert!(p("2001:db8::1", 5060).is_ok());
        assert!(p("carrier example", 5060).is_err());
        assert!(p("", 5060).is_err());
        assert!(p("-bad.example", 5060).is_err());
        assert!(p("a..b", 5060).is_err());
        assert!(p(&"a".repeat(254), 5060).is_err());
        assert!(p("sip.example", 0).is_err());
        assert_eq!(proxy_checked(None).unwrap(), None);
    }

    #[test]
    fn rules_are_checked() {
        assert!(rule_checked(0, rule("+86", 11, 13, "国内")).is_ok());
        assert!(rule_checked(0, rule("95", 5, 5, "")).is_ok());
        for bad in [
            rule("+", 1, 20, ""),
            rule("", 1, 20, ""),
            rule("+8a", 1, 20, ""),
            rule("+12345678901234567", 1, 20, ""),
            rule("+86", 0, 20, ""),
            rule("+86", 12, 11, ""),
            rule("+86", 1, 21, ""),
            rule("+86", 1, 20, &"长".repeat(65)),
        ] {
            assert!(rule_checked(0, bad).is_err());
        }
        let many = OutboundPolicyIn {
            rules: (0..101).map(|_| rule("+86", 11, 13, "")).collect(),
            daily_limit: None,
        };
        assert!(policy_checked(many).is_err());
        for limit in [0, 10_001] {
            let p = OutboundPolicyIn {
                rules: vec![],
                daily_limit: Some(limit),
            };
            assert!(policy_checked(p).is_err());
        }
    }
}
