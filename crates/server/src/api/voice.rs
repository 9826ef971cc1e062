//! Voice configuration (issue #14): agents' SIP extensions (the password only ever becomes
//! the digest HA1s), trunks by peer address, and hotline numbers and where their calls go.
//! Every change tells the SIP runtime to rebuild the tenant's directory. (The agent's own
//! phone is `phone.rs`.)

use std::fmt;
use std::net::IpAddr;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_engine::{
    Channel, HotlineNumberId, IvrFlowId, SipTrunkId, SkillQueueId, TenantId, UserId,
};
use switchboard_sip::digest::{ha1, Algorithm};
use switchboard_sip::{Host, Uri};
use switchboard_storage::{HotlineNumber, NumberRoute, SipExtension, SipTrunk};
use utoipa::ToSchema;

use super::contacts::bounded;
use super::outbound_config::{self, TrunkOutboundProxy};
use super::trunk_registration::{self, RegistrationIn, RegistrationOut};
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, IdPath};
use crate::state::AppState;

// ---- Input, checked into these at the edge ----

/// An agent's extension: 2-10 digits. It is also the digest user name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionNumber(String);

impl ExtensionNumber {
    pub fn parse(field: &str, raw: &str) -> ApiResult<Self> {
        let s = raw.trim();
        if (2..=10).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(ApiError::invalid(
                field,
                "must be an extension of 2-10 digits",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A SIP password: 8-64 printable ASCII characters without spaces (what every phone can
/// type and send the same way). Never shown in `Debug`.
pub struct SipPassword(String);

impl fmt::Debug for SipPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SipPassword(***)")
    }
}

impl SipPassword {
    pub fn parse(raw: &str) -> ApiResult<Self> {
        if !(8..=64).contains(&raw.len()) {
            return Err(ApiError::invalid("password", "must be 8-64 characters"));
        }
        if !raw.bytes().all(|c| c.is_ascii_graphic()) {
            return Err(ApiError::invalid(
                "password",
                "must be printable ASCII characters without spaces",
            ));
        }
        Ok(Self(raw.to_owned()))
    }
}

/// A hotline number: digits with an optional leading `+`, 2-20 digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialNumber(String);

impl DialNumber {
    pub fn parse(field: &str, raw: &str) -> ApiResult<Self> {
        let s = raw.trim();
        let digits = s.strip_prefix('+').unwrap_or(s);
        if (2..=20).contains(&digits.len()) && digits.bytes().all(|c| c.is_ascii_digit()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(ApiError::invalid(
                field,
                "must be 2-20 digits, optionally after a leading +",
            ))
        }
    }
}

/// A trunk's name: 1-64 characters.
fn trunk_name(raw: &str) -> ApiResult<String> {
    bounded("name", Some(raw), 64)?.ok_or_else(|| ApiError::invalid("name", "must not be empty"))
}

/// A trunk's peers: 1-16 IP addresses, each once.
fn trunk_peers(raw: &[String]) -> ApiResult<Vec<IpAddr>> {
    if raw.is_empty() || raw.len() > 16 {
        return Err(ApiError::invalid("peers", "must list 1-16 IP addresses"));
    }
    let mut peers: Vec<IpAddr> = Vec::with_capacity(raw.len());
    for (i, p) in raw.iter().enumerate() {
        let ip: IpAddr = p
            .trim()
            .parse()
            .map_err(|_| ApiError::invalid(format!("peers[{i}]"), "must be an IP address"))?;
        if peers.contains(&ip) {
            return Err(ApiError::invalid(format!("peers[{i}]"), "is listed twice"));
        }
        peers.push(ip);
    }
    Ok(peers)
}

/// A direct route's destination: `sip:user@IP[:port]`. The switch does no DNS yet, so the
/// host must be an address.
fn direct_uri(raw: &str) -> ApiResult<String> {
    const FIELD: &str = "route.uri";
    const SHAPE: &str = "must be a SIP URI like sip:user@192.0.2.10:5060";
    let s = raw.trim();
    let uri = Uri::parse(s).map_err(|_| ApiError::invalid(FIELD, SHAPE))?;
    let Uri::Sip(sip) = uri else {
        return Err(ApiError::invalid(FIELD, SHAPE));
    };
    if sip.secure || sip.user.as_deref().is_none_or(str::is_empty) || sip.headers.is_some() {
        return Err(ApiError::invalid(FIELD, SHAPE));
    }
    if !matches!(sip.host, Host::Ip(_)) {
        return Err(ApiError::invalid(
            FIELD,
            "must name an IP address as its host (names are not looked up yet)",
        ));
    }
    Ok(s.to_owned())
}

// ---- Wire types ----

/// An agent and their extension, if any.
#[derive(Serialize, ToSchema)]
pub struct ExtensionOut {
    pub agent_id: uuid::Uuid,
    pub login: String,
    pub display_name: String,
    pub active: bool,
    /// The extension (also the SIP user name); null when the agent has none.
    #[schema(required)]
    pub number: Option<String>,
    /// How many phones are registered for it now.
    pub registered_devices: u32,
}

/// Give an agent an extension. The password is needed every time: the stored digest secret
/// covers the number.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetExtension {
    /// 2-10 digits.
    pub number: String,
    /// The SIP password, 8-64 printable ASCII characters; only its digest is kept.
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct TrunkOut {
    pub id: uuid::Uuid,
    pub name: String,
    /// Calls are accepted from these addresses only (and from the registrar's).
    pub peers: Vec<String>,
    pub enabled: bool,
    /// The account the trunk registers with at its provider; null: it does not register.
    #[schema(required)]
    pub registration: Option<RegistrationOut>,
    /// Whether the registration is up just now; null before the registrar's first answer.
    #[schema(required)]
    pub registered: Option<bool>,
    /// Where outbound calls go; null: to the registrar when the trunk registers, else none.
    #[schema(required)]
    pub outbound_proxy: Option<TrunkOutboundProxy>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrunkIn {
    /// 1-64 characters, unique in the tenant.
    pub name: String,
    /// 1-16 IP addresses (none needed when the trunk registers: its calls come from the
    /// registrar).
    #[serde(default)]
    pub peers: Vec<String>,
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Register with the provider under this account; null or left out: no registration.
    #[serde(default)]
    pub registration: Option<RegistrationIn>,
    /// The provider's proxy outbound calls go to; null or left out: none (a registering
    /// trunk calls through its registrar).
    #[serde(default)]
    pub outbound_proxy: Option<TrunkOutboundProxy>,
}

fn yes() -> bool {
    true
}

/// Where a hotline number's calls go.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum RouteWire {
    /// Into a skill queue with channel `voice`.
    Queue { queue_id: uuid::Uuid },
    /// Straight to a SIP destination, `sip:user@IP[:port]`.
    Direct { uri: String },
    /// Ring an agent's extension.
    Extension { number: String },
    /// Into an IVR flow (语音导航) of the tenant.
    Flow { flow_id: uuid::Uuid },
}

#[derive(Serialize, ToSchema)]
pub struct NumberOut {
    pub id: uuid::Uuid,
    pub number: String,
    /// Whether calls to it are taken.
    pub inbound: bool,
    /// Whether callers are offered the satisfaction survey after the call.
    pub survey: bool,
    pub route: RouteWire,
    /// Whether agents may present it as caller ID on outbound calls.
    pub outbound: bool,
    /// The trunk its outbound calls go through; null: none.
    #[schema(required)]
    pub outbound_trunk_id: Option<uuid::Uuid>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NumberIn {
    /// Digits with an optional leading +, 2-20 digits; unique in the tenant.
    pub number: String,
    #[serde(default = "yes")]
    pub inbound: bool,
    #[serde(default)]
    pub survey: bool,
    pub route: RouteWire,
    /// Agents may present it as caller ID on outbound calls (a number group gives it to
    /// them); needs `outbound_trunk_id`.
    #[serde(default)]
    pub outbound: bool,
    /// The trunk its outbound calls go through: one of the tenant's, with an outbound proxy
    /// or a registration.
    #[serde(default)]
    pub outbound_trunk_id: Option<uuid::Uuid>,
}

pub(super) fn devices(state: &AppState, tenant: TenantId, agent: UserId) -> u32 {
    u32::try_from(state.voice.devices(tenant, agent)).unwrap_or(u32::MAX)
}

fn trunk_out(state: &AppState, tenant: TenantId, t: SipTrunk) -> TrunkOut {
    let registered = t
        .registration
        .as_ref()
        .and_then(|_| state.voice.trunk_registered(tenant, &t.name));
    TrunkOut {
        id: t.id.0,
        registration: t.registration.as_ref().map(trunk_registration::out),
        registered,
        outbound_proxy: t.outbound.as_ref().map(outbound_config::proxy_out),
        name: t.name,
        peers: t.peers.iter().map(IpAddr::to_string).collect(),
        enabled: t.enabled,
    }
}

fn number_out(n: HotlineNumber) -> NumberOut {
    NumberOut {
        id: n.id.0,
        number: n.number,
        inbound: n.inbound,
        survey: n.survey,
        route: match n.route {
            NumberRoute::Queue(q) => RouteWire::Queue { queue_id: q.0 },
            NumberRoute::Direct(uri) => RouteWire::Direct { uri },
            NumberRoute::Extension(number) => RouteWire::Extension { number },
            NumberRoute::Flow(f) => RouteWire::Flow { flow_id: f.0 },
        },
        outbound: n.outbound,
        outbound_trunk_id: n.outbound_trunk.map(|t| t.0),
    }
}

// ---- Extensions ----

/// Every agent with their extension (active users, and inactive ones that still have one).
#[utoipa::path(get, path = "/api/v1/voice/extensions", operation_id = "voice_extensions_list", tag = "voice", security(("bearer" = ["users.manage"])),
    responses((status = 200, body = [ExtensionOut]), (status = 403, body = ErrorBody)))]
pub async fn list_extensions(
    State(state): State<AppState>,
    p: Can<perm::ManageUsers>,
) -> ApiResult<Json<Vec<ExtensionOut>>> {
    let exts = state.store.sip_extensions(p.tenant_id).await?;
    let users = state.store.users(p.tenant_id).await?;
    let out = users
        .into_iter()
        .filter_map(|u| {
            let number = exts
                .iter()
                .find(|e| e.agent == u.id)
                .map(|e| e.number.clone());
            (u.active || number.is_some()).then(|| ExtensionOut {
                agent_id: u.id.0,
                login: u.login.as_str().to_owned(),
                display_name: u.display_name.as_str().to_owned(),
                active: u.active,
                registered_devices: devices(&state, p.tenant_id, u.id),
                number,
            })
        })
        .collect();
    Ok(Json(out))
}

/// Give an agent an extension and SIP password (replacing theirs). The password is kept only
/// as the digest HA1s of `number:tenant:password`, so a new number needs the password again.
#[utoipa::path(put, path = "/api/v1/voice/extensions/{user_id}", operation_id = "voice_extensions_set", tag = "voice", security(("bearer" = ["users.manage"])),
    params(("user_id" = uuid::Uuid, Path)), request_body = SetExtension,
    responses((status = 200, body = ExtensionOut), (status = 409, body = ErrorBody)))]
pub async fn set_extension(
    State(state): State<AppState>,
    p: Can<perm::ManageUsers>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<SetExtension>,
) -> ApiResult<Json<ExtensionOut>> {
    let number = ExtensionNumber::parse("number", &req.number)?;
    let password = SipPassword::parse(&req.password)?;
    let agent = UserId(id);
    let user = state
        .store
        .user(p.tenant_id, agent)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let numbers = state.store.hotline_numbers(p.tenant_id).await?;
    if numbers.iter().any(|n| n.number == number.as_str()) {
        return Err(taken("number", "a hotline number is this number"));
    }
    let realm = p.tenant_name.as_str();
    let ext = SipExtension {
        agent,
        number: number.as_str().to_owned(),
        ha1_md5: ha1(Algorithm::Md5, number.as_str(), realm, &password.0),
        ha1_sha256: ha1(Algorithm::Sha256, number.as_str(), realm, &password.0),
    };
    state
        .store
        .set_sip_extension(p.tenant_id, &ext, state.clock.now_ms())
        .await
        .map_err(ApiError::on_conflict(
            "number",
            "another agent has this extension",
        ))?;
    state.voice.directory_changed(p.tenant_id);
    Ok(Json(ExtensionOut {
        agent_id: id,
        login: user.login.as_str().to_owned(),
        display_name: user.display_name.as_str().to_owned(),
        active: user.active,
        number: Some(ext.number),
        registered_devices: devices(&state, p.tenant_id, agent),
    }))
}

/// Take an agent's extension away (their phones can no longer register or call).
#[utoipa::path(delete, path = "/api/v1/voice/extensions/{user_id}", operation_id = "voice_extensions_delete", tag = "voice", security(("bearer" = ["users.manage"])),
    params(("user_id" = uuid::Uuid, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_extension(
    State(state): State<AppState>,
    p: Can<perm::ManageUsers>,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    state
        .store
        .delete_sip_extension(p.tenant_id, UserId(id))
        .await?;
    state.voice.directory_changed(p.tenant_id);
    Ok(StatusCode::NO_CONTENT)
}

// ---- Trunks ----

/// The tenant's SIP trunks.
#[utoipa::path(get, path = "/api/v1/voice/trunks", operation_id = "voice_trunks_list", tag = "voice", security(("bearer" = ["params.manage"])),
    responses((status = 200, body = [TrunkOut]), (status = 403, body = ErrorBody)))]
pub async fn list_trunks(
    State(state): State<AppState>,
    p: Can<perm::ManageParams>,
) -> ApiResult<Json<Vec<TrunkOut>>> {
    let trunks = state.store.sip_trunks(p.tenant_id).await?;
    let out = trunks
        .into_iter()
        .map(|t| trunk_out(&state, p.tenant_id, t));
    Ok(Json(out.collect()))
}

/// Add a trunk: calls from its peers' addresses are accepted.
#[utoipa::path(post, path = "/api/v1/voice/trunks", operation_id = "voice_trunks_create", tag = "voice", security(("bearer" = ["params.manage"])), request_body = TrunkIn,
    responses((status = 201, body = TrunkOut), (status = 409, body = ErrorBody)))]
pub async fn create_trunk(
    State(state): State<AppState>,
    p: Can<perm::ManageParams>,
    ApiJson(req): ApiJson<TrunkIn>,
) -> ApiResult<(StatusCode, Json<TrunkOut>)> {
    let trunk = save_trunk(&state, p.tenant_id, SipTrunkId::new(), req, false).await?;
    Ok((
        StatusCode::CREATED,
        Json(trunk_out(&state, p.tenant_id, trunk)),
    ))
}

/// Change a trunk.
#[utoipa::path(put, path = "/api/v1/voice/trunks/{id}", operation_id = "voice_trunks_update", tag = "voice", security(("bearer" = ["params.manage"])),
    params(("id" = uuid::Uuid, Path)), request_body = TrunkIn,
    responses((status = 200, body = TrunkOut), (status = 409, body = ErrorBody)))]
pub async fn update_trunk(
    State(state): State<AppState>,
    p: Can<perm::ManageParams>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<TrunkIn>,
) -> ApiResult<Json<TrunkOut>> {
    let trunk = save_trunk(&state, p.tenant_id, SipTrunkId(id), req, true).await?;
    Ok(Json(trunk_out(&state, p.tenant_id, trunk)))
}

async fn save_trunk(
    state: &AppState,
    tenant: TenantId,
    id: SipTrunkId,
    req: TrunkIn,
    existing: bool,
) -> ApiResult<SipTrunk> {
    let name = trunk_name(&req.name)?;
    let trunks = state.store.sip_trunks(tenant).await?;
    let before = trunks.iter().find(|t| t.id == id);
    if existing && before.is_none() {
        return Err(ApiError::not_found());
    }
    let registration = trunk_registration::checked(
        req.registration,
        before.and_then(|t| t.registration.as_ref()),
    )?;
    let outbound = outbound_config::proxy_checked(req.outbound_proxy)?;
    let peers = match (req.peers.is_empty(), &registration) {
        (true, Some(_)) => Vec::new(),
        _ => trunk_peers(&req.peers)?,
    };
    // A call is told apart by its source address: one address, one trunk.
    if let Some(other) = trunks
        .iter()
        .find(|t| t.id != id && t.peers.iter().any(|a| peers.contains(a)))
    {
        return Err(taken(
            "peers",
            &format!("an address is a peer of trunk '{}' already", other.name),
        ));
    }
    let trunk = SipTrunk {
        id,
        name,
        peers,
        enabled: req.enabled,
        registration,
        outbound,
    };
    state
        .store
        .save_sip_trunk(tenant, &trunk, state.clock.now_ms())
        .await
        .map_err(ApiError::on_conflict(
            "name",
            "a trunk with this name exists",
        ))?;
    state.voice.directory_changed(tenant);
    Ok(trunk)
}

/// Remove a trunk.
#[utoipa::path(delete, path = "/api/v1/voice/trunks/{id}", operation_id = "voice_trunks_delete", tag = "voice", security(("bearer" = ["params.manage"])),
    params(("id" = uuid::Uuid, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_trunk(
    State(state): State<AppState>,
    p: Can<perm::ManageParams>,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    state
        .store
        .delete_sip_trunk(p.tenant_id, SipTrunkId(id))
        .await?;
    state.voice.directory_changed(p.tenant_id);
    Ok(StatusCode::NO_CONTENT)
}

// ---- Hotline numbers ----

/// The tenant's hotline numbers and their routes.
#[utoipa::path(get, path = "/api/v1/voice/numbers", operation_id = "voice_numbers_list", tag = "voice", security(("bearer" = ["queues.manage"])),
    responses((status = 200, body = [NumberOut]), (status = 403, body = ErrorBody)))]
pub async fn list_numbers(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
) -> ApiResult<Json<Vec<NumberOut>>> {
    let numbers = state.store.hotline_numbers(p.tenant_id).await?;
    Ok(Json(numbers.into_iter().map(number_out).collect()))
}

/// Add a hotline number.
#[utoipa::path(post, path = "/api/v1/voice/numbers", operation_id = "voice_numbers_create", tag = "voice", security(("bearer" = ["queues.manage"])), request_body = NumberIn,
    responses((status = 201, body = NumberOut), (status = 409, body = ErrorBody)))]
pub async fn create_number(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
    ApiJson(req): ApiJson<NumberIn>,
) -> ApiResult<(StatusCode, Json<NumberOut>)> {
    let n = save_number(&state, p.tenant_id, HotlineNumberId::new(), req, false).await?;
    Ok((StatusCode::CREATED, Json(number_out(n))))
}

/// Change a hotline number or its route.
#[utoipa::path(put, path = "/api/v1/voice/numbers/{id}", operation_id = "voice_numbers_update", tag = "voice", security(("bearer" = ["queues.manage"])),
    params(("id" = uuid::Uuid, Path)), request_body = NumberIn,
    responses((status = 200, body = NumberOut), (status = 409, body = ErrorBody)))]
pub async fn update_number(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<NumberIn>,
) -> ApiResult<Json<NumberOut>> {
    let n = save_number(&state, p.tenant_id, HotlineNumberId(id), req, true).await?;
    Ok(Json(number_out(n)))
}

async fn save_number(
    state: &AppState,
    tenant: TenantId,
    id: HotlineNumberId,
    req: NumberIn,
    existing: bool,
) -> ApiResult<HotlineNumber> {
    let number = DialNumber::parse("number", &req.number)?;
    let route = match req.route {
        RouteWire::Queue { queue_id } => {
            let queue = state
                .store
                .skill_queue(tenant, SkillQueueId(queue_id))
                .await?
                .filter(|q| q.spec.channel == Channel::Voice)
                .ok_or_else(|| {
                    ApiError::invalid(
                        "route.queue_id",
                        "must be a skill queue with channel 'voice'",
                    )
                })?;
            NumberRoute::Queue(queue.id)
        }
        RouteWire::Direct { uri } => NumberRoute::Direct(direct_uri(&uri)?),
        RouteWire::Extension { number } => {
            let ext = ExtensionNumber::parse("route.number", &number)?;
            let exts = state.store.sip_extensions(tenant).await?;
            if !exts.iter().any(|e| e.number == ext.as_str()) {
                return Err(ApiError::invalid(
                    "route.number",
                    "no agent has this extension",
                ));
            }
            NumberRoute::Extension(ext.0)
        }
        RouteWire::Flow { flow_id } => {
            let flows = state.store.ivr_flows(tenant).await?;
            if !flows.iter().any(|f| f.id.0 == flow_id) {
                return Err(ApiError::invalid(
                    "route.flow_id",
                    "must be an IVR flow of this tenant",
                ));
            }
            NumberRoute::Flow(IvrFlowId(flow_id))
        }
    };
    let outbound_trunk =
        outbound_config::outbound_trunk_checked(state, tenant, req.outbound, req.outbound_trunk_id)
            .await?;
    let numbers = state.store.hotline_numbers(tenant).await?;
    if existing && !numbers.iter().any(|n| n.id == id) {
        return Err(ApiError::not_found());
    }
    let exts = state.store.sip_extensions(tenant).await?;
    if exts.iter().any(|e| e.number == number.0) {
        return Err(taken("number", "an agent's extension is this number"));
    }
    let n = HotlineNumber {
        id,
        number: number.0,
        inbound: req.inbound,
        survey: req.survey,
        route,
        outbound: req.outbound,
        outbound_trunk,
    };
    state
        .store
        .save_hotline_number(tenant, &n, state.clock.now_ms())
        .await
        .map_err(ApiError::on_conflict(
            "number",
            "this hotline number exists",
        ))?;
    state.voice.directory_changed(tenant);
    Ok(n)
}

/// Remove a hotline number.
#[utoipa::path(delete, path = "/api/v1/voice/numbers/{id}", operation_id = "voice_numbers_delete", tag = "voice", security(("bearer" = ["queues.manage"])),
    params(("id" = uuid::Uuid, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_number(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    state
        .store
        .delete_hotline_number(p.tenant_id, HotlineNumberId(id))
        .await?;
    state.voice.directory_changed(p.tenant_id);
    Ok(StatusCode::NO_CONTENT)
}

/// A 409 naming the field whose value is taken.
fn taken(field: &str, message: &str) -> ApiError {
    ApiError::Client {
        status: StatusCode::CONFLICT,
        code: "conflict",
        message: message.to_owned(),
        field: Some(field.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_passwords_are_checked() {
        assert!(ExtensionNumber::parse("number", "1001").is_ok());
        assert!(ExtensionNumber::parse("number", "1").is_err());
        assert!(ExtensionNumber::parse("number", "+1001").is_err());
        assert!(DialNumber::parse("number", "+8640012345").is_ok());
        assert!(DialNumber::parse("number", "4000").is_ok());
        assert!(DialNumber::parse("number", "40a0").is_err());
        assert!(DialNumber::parse("number", "+").is_err());
        assert!(SipPassword::parse("switchboard").is_ok());
        assert!(SipPassword::parse("short").is_err());
        assert!(SipPassword::parse("with space inside").is_err());
        assert_eq!(
            format!("{:?}", SipPassword::parse("switchboard").unwrap()),
            "SipPassword(***)"
        );
    }

    #[test]
    fn direct_routes_name_an_address() {
        assert!(direct_uri("sip:4000@192.0.2.10:5060").is_ok());
        assert!(direct_uri("sip:4000@[2001:db8::1]").is_ok());
        assert!(direct_uri("sip:4000@pbx.example.com").is_err());
        assert!(direct_uri("sip:192.0.2.10").is_err());
        assert!(direct_uri("tel:+864000").is_err());
        assert!(direct_uri("nonsense").is_err());
    }

    #[test]
    fn trunk_peers_are_addresses() {
        assert!(trunk_peers(&["127.0.0.1".into(), "::1".into()]).is_ok());
        assert!(trunk_peers(&[]).is_err());
        assert!(trunk_peers(&["127.0.0.1".into(), "127.0.0.1".into()]).is_err());
        assert!(trunk_peers(&["host.example".into()]).is_err());
    }
}
