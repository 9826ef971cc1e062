//! IVR flows (语音导航) per tenant: list, read, create, change, delete. A definition is
//! checked whole before it is stored — every node it points to, keys, times, the prompts it
//! plays (built-in, or uploaded by this tenant), the queues it ends in (voice; task for
//! voicemail), and the
//! sub-flows it goes into (inlined, so cycles and too deep nesting are refused) — and a
//! refusal names the node and field. Every change tells the SIP runtime to rebuild the
//! tenant's directory, which inlines sub-flows again, so a changed sub-flow reaches every
//! flow that includes it.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_engine::{Channel, IvrFlowId, TenantId};
use switchboard_storage::{IvrFlow, NumberRoute, StorageError};
use utoipa::ToSchema;
use uuid::Uuid;

use super::contacts::bounded;
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, IdPath};
use crate::state::AppState;
use crate::voice::flows::{plain_node_id, to_flow, FlowDef, FlowError, NodeDef};
use crate::voice::{prompts, subflows, uploads};

#[derive(Serialize, ToSchema)]
pub struct FlowOut {
    pub id: Uuid,
    pub name: String,
    pub definition: FlowDef,
    /// The hotline numbers whose calls start in this flow.
    pub numbers: Vec<String>,
    /// The flows that go into this one through a sub-flow node.
    pub used_by: Vec<Uuid>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowIn {
    /// 1-64 characters, unique in the tenant.
    pub name: String,
    pub definition: FlowDef,
}

/// The tenant's flows, their definitions parsed (a stored one that cannot be read is
/// skipped and logged: it was checked when saved).
async fn tenant_flows(state: &AppState, tenant: TenantId) -> ApiResult<Vec<(IvrFlow, FlowDef)>> {
    let flows = state.store.ivr_flows(tenant).await?;
    Ok(flows
        .into_iter()
        .filter_map(|f| match serde_json::from_str(&f.definition) {
            Ok(def) => Some((f, def)),
            Err(why) => {
                tracing::error!(flow = %f.name, %why, "a stored flow cannot be read");
                None
            }
        })
        .collect())
}

fn flow_out(
    f: &IvrFlow,
    def: FlowDef,
    numbers: &[switchboard_storage::HotlineNumber],
    all: &[(IvrFlow, FlowDef)],
) -> FlowOut {
    FlowOut {
        id: f.id.0,
        name: f.name.clone(),
        definition: def,
        numbers: numbers
            .iter()
            .filter(|n| n.route == NumberRoute::Flow(f.id))
            .map(|n| n.number.clone())
            .collect(),
        used_by: all
            .iter()
            .filter(|(_, d)| subflows::used_by(f.id.0, [("", d)]).is_some())
            .map(|(o, _)| o.id.0)
            .collect(),
    }
}

/// The tenant's IVR flows.
#[utoipa::path(get, path = "/api/v1/voice/flows", operation_id = "voice_flows_list", tag = "voice", security(("bearer" = ["queues.manage"])),
    responses((status = 200, body = [FlowOut]), (status = 403, body = ErrorBody)))]
pub async fn list_flows(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
) -> ApiResult<Json<Vec<FlowOut>>> {
    let all = tenant_flows(&state, p.tenant_id).await?;
    let numbers = state.store.hotline_numbers(p.tenant_id).await?;
    let out = all
        .iter()
        .map(|(f, d)| flow_out(f, d.clone(), &numbers, &all))
        .collect();
    Ok(Json(out))
}

/// A flow as an agent picks it when sending a customer into it: its name and its nodes.
#[derive(Serialize, ToSchema)]
pub struct AgentFlowOut {
    pub id: Uuid,
    pub name: String,
    /// The flow's nodes, its start first, then by id.
    pub nodes: Vec<AgentFlowNode>,
}

#[derive(Serialize, ToSchema)]
pub struct AgentFlowNode {
    pub id: String,
    pub label: String,
}

fn node_label(n: &NodeDef) -> &str {
    match n {
        NodeDef::Play { label, .. }
        | NodeDef::Menu { label, .. }
        | NodeDef::Collect { label, .. }
        | NodeDef::Hours { label, .. }
        | NodeDef::Queue { label, .. }
        | NodeDef::Extension { label, .. }
        | NodeDef::Voicemail { label, .. }
        | NodeDef::Hangup { label }
        | NodeDef::SubFlow { label, .. } => label,
    }
}

/// The IVR flows I may send my call's customer into (`POST /contacts/{id}/transfer/ivr`),
/// with their nodes' ids and labels, by name. Agents read this; the definitions stay with
/// the queue managers.
#[utoipa::path(get, path = "/api/v1/agent/ivr-flows", operation_id = "agent_ivr_flows", tag = "agent", security(("bearer" = ["agent.work"])),
    responses((status = 200, body = [AgentFlowOut]), (status = 403, body = ErrorBody)))]
pub async fn agent_flows(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
) -> ApiResult<Json<Vec<AgentFlowOut>>> {
    let mut out: Vec<AgentFlowOut> = tenant_flows(&state, p.tenant_id)
        .await?
        .into_iter()
        .map(|(f, d)| {
            let mut nodes: Vec<AgentFlowNode> = d
                .nodes
                .iter()
                .map(|(id, n)| AgentFlowNode {
                    id: id.clone(),
                    label: node_label(n).to_owned(),
                })
                .collect();
            nodes.sort_by_key(|n| n.id != d.start);
            AgentFlowOut {
                id: f.id.0,
                name: f.name,
                nodes,
            }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Json(out))
}

/// One IVR flow.
#[utoipa::path(get, path = "/api/v1/voice/flows/{id}", operation_id = "voice_flows_get", tag = "voice", security(("bearer" = ["queues.manage"])),
    params(("id" = Uuid, Path)), responses((status = 200, body = FlowOut), (status = 404, body = ErrorBody)))]
pub async fn get_flow(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
    IdPath(id): IdPath,
) -> ApiResult<Json<FlowOut>> {
    let all = tenant_flows(&state, p.tenant_id).await?;
    let (f, d) = all
        .iter()
        .find(|(f, _)| f.id.0 == id)
        .ok_or_else(ApiError::not_found)?;
    let numbers = state.store.hotline_numbers(p.tenant_id).await?;
    Ok(Json(flow_out(f, d.clone(), &numbers, &all)))
}

/// Add an IVR flow. The definition is checked whole; a refusal (422) names the node and
/// field at fault, e.g. `definition.nodes.menu.timeout_ms`.
#[utoipa::path(post, path = "/api/v1/voice/flows", operation_id = "voice_flows_create", tag = "voice", security(("bearer" = ["queues.manage"])), request_body = FlowIn,
    responses((status = 201, body = FlowOut), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_flow(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
    ApiJson(req): ApiJson<FlowIn>,
) -> ApiResult<(StatusCode, Json<FlowOut>)> {
    let out = save_flow(&state, p.tenant_id, IvrFlowId::new(), req, false).await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// Change an IVR flow (its name or definition). Calls already in it finish the old one.
#[utoipa::path(put, path = "/api/v1/voice/flows/{id}", operation_id = "voice_flows_update", tag = "voice", security(("bearer" = ["queues.manage"])),
    params(("id" = Uuid, Path)), request_body = FlowIn,
    responses((status = 200, body = FlowOut), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_flow(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<FlowIn>,
) -> ApiResult<Json<FlowOut>> {
    Ok(Json(
        save_flow(&state, p.tenant_id, IvrFlowId(id), req, true).await?,
    ))
}

async fn save_flow(
    state: &AppState,
    tenant: TenantId,
    id: IvrFlowId,
    req: FlowIn,
    existing: bool,
) -> ApiResult<FlowOut> {
    let name = bounded("name", Some(&req.name), 64)?
        .ok_or_else(|| ApiError::invalid("name", "must not be empty"))?;
    let all = tenant_flows(state, tenant).await?;
    if existing && !all.iter().any(|(f, _)| f.id == id) {
        return Err(ApiError::not_found());
    }
    let def = req.definition;
    check_references(state, tenant, &def)
        .await
        .map_err(unusable)?;
    let before: HashMap<Uuid, FlowDef> = all.iter().map(|(f, d)| (f.id.0, d.clone())).collect();
    let mut after = before.clone();
    after.insert(id.0, def.clone());
    let zone = state.store.tenant_zone(tenant).await?;
    let usable = |fid: Uuid, name: &str, flows: &HashMap<Uuid, FlowDef>| {
        let def = flows.get(&fid).cloned().unwrap_or_else(|| def.clone());
        subflows::inline(Some(fid), &def, flows).and_then(|i| to_flow(name, &i.def, &zone))
    };
    usable(id.0, &name, &after).map_err(unusable)?;
    // A flow that includes this one must stay usable with it changed.
    for (f, _) in all.iter().filter(|(f, _)| f.id != id) {
        if let Err(e) = usable(f.id.0, &f.name, &after) {
            if usable(f.id.0, &f.name, &before).is_ok() {
                return Err(unusable(FlowError::new(
                    "nodes",
                    format!(
                        "flow '{}', which goes into this one, would break: {e}",
                        f.name
                    ),
                )));
            }
        }
    }
    let definition = serde_json::to_string(&def).map_err(anyhow::Error::from)?;
    let flow = IvrFlow {
        id,
        name,
        definition,
    };
    state
        .store
        .save_ivr_flow(tenant, &flow, state.clock.now_ms())
        .await
        .map_err(ApiError::on_conflict(
            "name",
            "a flow with this name exists",
        ))?;
    state.voice.directory_changed(tenant);
    let mut all = all;
    all.retain(|(f, _)| f.id != id);
    all.push((flow.clone(), def.clone()));
    let numbers = state.store.hotline_numbers(tenant).await?;
    Ok(flow_out(&flow, def, &numbers, &all))
}

/// What a definition names outside itself: node ids are plain, prompts exist (built-in, or
/// uploaded by this tenant: another tenant's cannot be named), queues are this tenant's
/// voice queues.
async fn check_references(
    state: &AppState,
    tenant: TenantId,
    def: &FlowDef,
) -> Result<(), FlowError> {
    let internal = |e: ApiError| FlowError::new("nodes", format!("cannot check the flow now: {e}"));
    let uploaded = state
        .store
        .voice_prompts(tenant)
        .await
        .map_err(|e| internal(e.into()))?;
    let queues = state
        .store
        .skill_queues(tenant)
        .await
        .map_err(|e| internal(e.into()))?;
    for (id, node) in &def.nodes {
        if !plain_node_id(id) {
            return Err(FlowError::new(
                format!("nodes.{id}"),
                "a node's id is 1-32 letters, digits, - or _",
            ));
        }
        for (field, list) in node.prompt_lists() {
            for p in list {
                let known = match uploads::id_of(p) {
                    Some(pid) => uploaded.iter().any(|u| u.id == pid),
                    None => !uploads::looks_uploaded(p) && prompts::names().any(|n| n == p),
                };
                if !known {
                    return Err(FlowError::new(
                        format!("nodes.{id}.{field}"),
                        format!("no prompt '{p}': name a built-in prompt or one uploaded here"),
                    ));
                }
            }
        }
        // A call ends in a voice queue; a message left becomes a task in a task queue.
        let wanted = match node {
            NodeDef::Queue { queue_id, .. } => Some((queue_id, Channel::Voice)),
            NodeDef::Voicemail { queue_id, .. } => Some((queue_id, Channel::Task)),
            _ => None,
        };
        if let Some((queue_id, channel)) = wanted {
            if !queues
                .iter()
                .any(|q| q.id.0 == *queue_id && q.spec.channel == channel)
            {
                return Err(FlowError::new(
                    format!("nodes.{id}.queue_id"),
                    format!(
                        "must be a skill queue of this tenant with channel '{}'",
                        channel.code()
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// A 422 naming the node and field at fault, under `definition`.
fn unusable(e: FlowError) -> ApiError {
    let message = match e
        .field
        .strip_prefix("nodes.")
        .and_then(|r| r.split('.').next())
    {
        Some(node) => format!("node '{node}': {}", e.message),
        None => e.message,
    };
    ApiError::Client {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid_flow",
        message,
        field: Some(format!("definition.{}", e.field)),
    }
}

/// Remove an IVR flow; refused (409) while a hotline number routes to it or another flow
/// goes into it as a sub-flow.
#[utoipa::path(delete, path = "/api/v1/voice/flows/{id}", operation_id = "voice_flows_delete", tag = "voice", security(("bearer" = ["queues.manage"])),
    params(("id" = Uuid, Path)), responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete_flow(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    let all = tenant_flows(&state, p.tenant_id).await?;
    if !all.iter().any(|(f, _)| f.id.0 == id) {
        return Err(ApiError::not_found());
    }
    let others = all
        .iter()
        .filter(|(f, _)| f.id.0 != id)
        .map(|(f, d)| (f.name.as_str(), d));
    if let Some(user) = subflows::used_by(id, others) {
        return Err(in_use(format!(
            "flow '{user}' goes into this flow as a sub-flow"
        )));
    }
    match state
        .store
        .delete_ivr_flow(p.tenant_id, IvrFlowId(id))
        .await
    {
        Err(StorageError::Reference(why)) => return Err(in_use(why)),
        other => other?,
    }
    state.voice.directory_changed(p.tenant_id);
    Ok(StatusCode::NO_CONTENT)
}

/// A 409 saying what still uses the record.
pub fn in_use(why: String) -> ApiError {
    ApiError::client(StatusCode::CONFLICT, "in_use", why)
}
