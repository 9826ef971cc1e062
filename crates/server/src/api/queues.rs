//! Skill queues (A5) and category tags.

use std::collections::HashSet;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_engine::{
    Channel, QueuePriority, RoutingStrategy, SkillLevel, SkillQueueId, SkillQueueName, TagId,
    TagName, TenantId, UserId,
};
use switchboard_storage::{QueueAgent, SkillQueue, SkillQueueSpec, Storage, Tag};
use utoipa::ToSchema;

use super::wire::{channel_schema, strategy_schema};
use crate::auth::{perm, Auth, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::events::Audience;
use crate::extract::{ApiJson, IdPath};
use crate::state::AppState;

#[derive(Serialize, Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct QueueAgentWire {
    pub user_id: uuid::Uuid,
    /// 1-10; 10 is the most skilled.
    pub skill_level: i64,
}

#[derive(Serialize, ToSchema)]
pub struct QueueOut {
    pub id: uuid::Uuid,
    pub name: String,
    #[schema(schema_with = channel_schema)]
    pub channel: String,
    #[schema(schema_with = strategy_schema)]
    pub strategy: String,
    pub priority: u32,
    #[schema(required)]
    pub max_queue_len: Option<u32>,
    #[schema(required)]
    pub max_wait_s: Option<u32>,
    #[schema(required)]
    pub overflow_queue_id: Option<uuid::Uuid>,
    /// Category tag names.
    pub tags: Vec<String>,
    pub agents: Vec<QueueAgentWire>,
}

/// A skill queue's settings, for create (`POST`) and replace (`PATCH` takes the same fields,
/// all optional).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QueueIn {
    pub name: Option<String>,
    #[schema(schema_with = channel_schema)]
    pub channel: Option<String>,
    #[schema(schema_with = strategy_schema)]
    pub strategy: Option<String>,
    /// 0-100; higher is served first when an agent could take from several queues.
    pub priority: Option<i64>,
    /// `null` for no limit. Send `0` to clear on PATCH? No: send `null` explicitly.
    #[serde(default, with = "double_option")]
    pub max_queue_len: Option<Option<i64>>,
    #[serde(default, with = "double_option")]
    pub max_wait_s: Option<Option<i64>>,
    #[serde(default, with = "double_option")]
    pub overflow_queue_id: Option<Option<uuid::Uuid>>,
    pub tags: Option<Vec<String>>,
    /// Only on create; use `PUT /queues/{id}/agents` afterwards.
    pub agents: Option<Vec<QueueAgentWire>>,
}

/// Tells a field sent as `null` (Some(None)) from a field left out (None).
mod double_option {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

async fn queue_out(store: &dyn Storage, tenant: TenantId, q: SkillQueue) -> ApiResult<QueueOut> {
    let tags = store.tags(tenant).await?;
    Ok(render(q, &tags))
}

fn render(q: SkillQueue, tags: &[Tag]) -> QueueOut {
    QueueOut {
        id: q.id.0,
        name: q.spec.name.to_string(),
        channel: q.spec.channel.code().into(),
        strategy: q.spec.strategy.code().into(),
        priority: q.spec.priority.get(),
        max_queue_len: q.spec.max_queue_len,
        max_wait_s: q.spec.max_wait_s,
        overflow_queue_id: q.spec.overflow_queue.map(|o| o.0),
        tags: q
            .spec
            .tags
            .iter()
            .filter_map(|id| {
                tags.iter()
                    .find(|t| t.id == *id)
                    .map(|t| t.name.to_string())
            })
            .collect(),
        agents: q
            .agents
            .iter()
            .map(|a| QueueAgentWire {
                user_id: a.user_id.0,
                skill_level: a.skill_level.get().into(),
            })
            .collect(),
    }
}

fn limit(field: &'static str, v: Option<i64>) -> ApiResult<Option<u32>> {
    v.map(|n| {
        u32::try_from(n).ok().filter(|n| *n > 0).ok_or_else(|| {
            ApiError::invalid(
                field,
                "must be a positive whole number, or null for no limit",
            )
        })
    })
    .transpose()
}

/// Applies the fields present in `req` over `base` (the stored spec, or defaults on create).
async fn merge_spec(
    store: &dyn Storage,
    tenant: TenantId,
    base: SkillQueueSpec,
    req: &QueueIn,
) -> ApiResult<SkillQueueSpec> {
    let mut spec = base;
    if let Some(name) = &req.name {
        spec.name = SkillQueueName::parse(name)?;
    }
    if let Some(c) = &req.channel {
        spec.channel = Channel::parse(c)?;
    }
    if let Some(s) = &req.strategy {
        spec.strategy = RoutingStrategy::parse(s)?;
    }
    if let Some(p) = req.priority {
        spec.priority = QueuePriority::new(p)?;
    }
    if let Some(v) = req.max_queue_len {
        spec.max_queue_len = limit("max_queue_len", v)?;
    }
    if let Some(v) = req.max_wait_s {
        spec.max_wait_s = limit("max_wait_s", v)?;
    }
    if let Some(v) = req.overflow_queue_id {
        spec.overflow_queue = v.map(SkillQueueId);
    }
    if let Some(names) = &req.tags {
        let tags = store.tags(tenant).await?;
        spec.tags = names
            .iter()
            .map(|n| {
                tags.iter()
                    .find(|t| t.name.as_str() == n.trim())
                    .map(|t| t.id)
                    .ok_or_else(|| ApiError::invalid("tags", format!("unknown category tag '{n}'")))
            })
            .collect::<ApiResult<Vec<TagId>>>()?;
    }
    Ok(spec)
}

fn parse_agents(agents: &[QueueAgentWire]) -> ApiResult<Vec<QueueAgent>> {
    let mut seen = HashSet::new();
    agents
        .iter()
        .map(|a| {
            if !seen.insert(a.user_id) {
                return Err(ApiError::invalid(
                    "agents",
                    format!("user {} is listed twice", a.user_id),
                ));
            }
            Ok(QueueAgent {
                user_id: UserId(a.user_id),
                skill_level: SkillLevel::new(a.skill_level)?,
            })
        })
        .collect()
}

/// Storage refusals of a queue write, in the caller's terms.
fn queue_write_error(err: switchboard_storage::StorageError) -> ApiError {
    use switchboard_storage::StorageError;
    match err {
        StorageError::Conflict(_) => {
            ApiError::on_conflict("name", "a skill queue with this name exists")(err)
        }
        StorageError::Reference(_) => ApiError::invalid(
            "overflow_queue_id",
            "refers to a user, queue or category tag that is not in this tenant",
        ),
        other => other.into(),
    }
}

fn announce(state: &AppState, tenant: TenantId, queue: &QueueOut) {
    let payload = serde_json::json!({ "type": "queue.updated", "queue": queue });
    state.events.publish(tenant, Audience::tenant(), &payload);
}

/// The tenant's skill queues (any signed-in user may read them).
#[utoipa::path(get, path = "/api/v1/queues", operation_id = "queues_list", tag = "queues", security(("bearer" = [])),
    responses((status = 200, body = [QueueOut])))]
pub async fn list(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<QueueOut>>> {
    let tenant = auth.0.tenant_id;
    let tags = state.store.tags(tenant).await?;
    let queues = state.store.skill_queues(tenant).await?;
    Ok(Json(queues.into_iter().map(|q| render(q, &tags)).collect()))
}

/// One skill queue.
#[utoipa::path(get, path = "/api/v1/queues/{id}", operation_id = "queues_get", tag = "queues", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = QueueOut), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
) -> ApiResult<Json<QueueOut>> {
    let tenant = auth.0.tenant_id;
    let q = state
        .store
        .skill_queue(tenant, SkillQueueId(id))
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(queue_out(state.store.as_ref(), tenant, q).await?))
}

/// Create a skill queue. `name` and `channel` are required; strategy defaults to longest idle.
#[utoipa::path(post, path = "/api/v1/queues", operation_id = "queues_create", tag = "queues", security(("bearer" = ["queues.manage"])), request_body = QueueIn,
    responses((status = 201, body = QueueOut), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
    ApiJson(req): ApiJson<QueueIn>,
) -> ApiResult<(StatusCode, Json<QueueOut>)> {
    let (Some(name), Some(channel)) = (&req.name, &req.channel) else {
        let field = if req.name.is_none() {
            "name"
        } else {
            "channel"
        };
        return Err(ApiError::invalid(field, "is required"));
    };
    let base = SkillQueueSpec {
        name: SkillQueueName::parse(name)?,
        channel: Channel::parse(channel)?,
        strategy: RoutingStrategy::LongestIdle,
        priority: QueuePriority::new(50)?,
        max_queue_len: None,
        max_wait_s: None,
        overflow_queue: None,
        tags: vec![],
    };
    let spec = merge_spec(state.store.as_ref(), p.tenant_id, base, &req).await?;
    let agents = parse_agents(req.agents.as_deref().unwrap_or_default())?;
    let q = state
        .store
        .create_skill_queue(p.tenant_id, &spec, &agents)
        .await
        .map_err(queue_write_error)?;
    super::sync::queue(&state, p.tenant_id, &q).await?;
    let out = queue_out(state.store.as_ref(), p.tenant_id, q).await?;
    announce(&state, p.tenant_id, &out);
    Ok((StatusCode::CREATED, Json(out)))
}

/// Change a skill queue's settings (fields left out stay as they are).
#[utoipa::path(patch, path = "/api/v1/queues/{id}", operation_id = "queues_update", tag = "queues", security(("bearer" = ["queues.manage"])),
    params(("id" = uuid::Uuid, Path)), request_body = QueueIn,
    responses((status = 200, body = QueueOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<QueueIn>,
) -> ApiResult<Json<QueueOut>> {
    let id = SkillQueueId(id);
    if req.agents.is_some() {
        return Err(ApiError::invalid(
            "agents",
            "use PUT /api/v1/queues/{id}/agents to change bound agents",
        ));
    }
    let current = state
        .store
        .skill_queue(p.tenant_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let spec = merge_spec(state.store.as_ref(), p.tenant_id, current.spec, &req).await?;
    if spec.overflow_queue == Some(id) {
        return Err(ApiError::invalid(
            "overflow_queue_id",
            "a queue cannot overflow into itself",
        ));
    }
    let q = state
        .store
        .update_skill_queue(p.tenant_id, id, &spec)
        .await
        .map_err(queue_write_error)?;
    super::sync::queue(&state, p.tenant_id, &q).await?;
    let out = queue_out(state.store.as_ref(), p.tenant_id, q).await?;
    announce(&state, p.tenant_id, &out);
    Ok(Json(out))
}

/// Replace the agents bound to a skill queue, with their skill levels.
#[utoipa::path(put, path = "/api/v1/queues/{id}/agents", tag = "queues", security(("bearer" = ["queues.manage"])),
    params(("id" = uuid::Uuid, Path)), request_body = [QueueAgentWire],
    responses((status = 200, body = QueueOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_agents(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<Vec<QueueAgentWire>>,
) -> ApiResult<Json<QueueOut>> {
    let agents = parse_agents(&req)?;
    let q = state
        .store
        .set_queue_agents(p.tenant_id, SkillQueueId(id), &agents)
        .await
        .map_err(ApiError::on_reference(
            "agents",
            "every agent must be a user of this tenant",
        ))?;
    super::sync::queue(&state, p.tenant_id, &q).await?;
    let out = queue_out(state.store.as_ref(), p.tenant_id, q).await?;
    announce(&state, p.tenant_id, &out);
    Ok(Json(out))
}

/// Delete a skill queue (refused while another queue overflows into it).
#[utoipa::path(delete, path = "/api/v1/queues/{id}", operation_id = "queues_delete", tag = "queues", security(("bearer" = ["queues.manage"])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    state
        .store
        .delete_skill_queue(p.tenant_id, SkillQueueId(id))
        .await
        .map_err(|e| match e {
            switchboard_storage::StorageError::Reference(_) => {
                ApiError::conflict("another queue overflows into this one; change that queue first")
            }
            other => other.into(),
        })?;
    super::sync::queue_removed(&state, p.tenant_id, SkillQueueId(id)).await?;
    let payload = serde_json::json!({ "type": "queue.deleted", "id": id });
    state
        .events
        .publish(p.tenant_id, Audience::tenant(), &payload);
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct TagOut {
    pub id: uuid::Uuid,
    pub name: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTag {
    pub name: String,
}

/// Category tags (类目标签).
#[utoipa::path(get, path = "/api/v1/tags", tag = "queues", security(("bearer" = [])),
    responses((status = 200, body = [TagOut])))]
pub async fn list_tags(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<TagOut>>> {
    let tags = state.store.tags(auth.0.tenant_id).await?;
    Ok(Json(
        tags.into_iter()
            .map(|t| TagOut {
                id: t.id.0,
                name: t.name.to_string(),
            })
            .collect(),
    ))
}

/// Create a category tag.
#[utoipa::path(post, path = "/api/v1/tags", tag = "queues", security(("bearer" = ["queues.manage"])), request_body = CreateTag,
    responses((status = 201, body = TagOut), (status = 409, body = ErrorBody)))]
pub async fn create_tag(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
    ApiJson(req): ApiJson<CreateTag>,
) -> ApiResult<(StatusCode, Json<TagOut>)> {
    let name = TagName::parse(&req.name)?;
    let tag = state
        .store
        .create_tag(p.tenant_id, &name)
        .await
        .map_err(ApiError::on_conflict("name", "this category tag exists"))?;
    Ok((
        StatusCode::CREATED,
        Json(TagOut {
            id: tag.id.0,
            name: tag.name.to_string(),
        }),
    ))
}

/// Delete a category tag (it is removed from every queue).
#[utoipa::path(delete, path = "/api/v1/tags/{id}", tag = "queues", security(("bearer" = ["queues.manage"])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_tag(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    state.store.delete_tag(p.tenant_id, TagId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
