//! Keeping a tenant's running engine in step with configuration changes made through the
//! admin API. Storage is written first and stays the source of truth: an engine started
//! later loads the same state.

use switchboard_engine::acd::{Command, EngineError};
use switchboard_engine::{SkillQueueId, TenantId, TenantParams};
use switchboard_storage::{SkillQueue, User};

use super::contacts::engine;
use crate::engines::{agent_config, queue_config, ApplyError};
use crate::error::ApiResult;
use crate::state::AppState;

pub async fn params(state: &AppState, tenant: TenantId, params: &TenantParams) -> ApiResult<()> {
    Ok(engine(state, tenant)
        .await?
        .apply(Command::Configure(params.clone()))
        .await?)
}

pub async fn queue(state: &AppState, tenant: TenantId, q: &SkillQueue) -> ApiResult<()> {
    Ok(engine(state, tenant)
        .await?
        .apply(Command::UpsertQueue(queue_config(q)))
        .await?)
}

pub async fn queue_removed(state: &AppState, tenant: TenantId, id: SkillQueueId) -> ApiResult<()> {
    Ok(engine(state, tenant)
        .await?
        .apply(Command::RemoveQueue(id))
        .await?)
}

/// An active user is an agent the engine knows (with the queues binding them); an inactive
/// one is removed, which signs them out.
pub async fn user(state: &AppState, tenant: TenantId, user: &User) -> ApiResult<()> {
    let handle = engine(state, tenant).await?;
    if !user.active {
        return match handle.apply(Command::RemoveAgent(user.id)).await {
            // Removed already: the user was inactive before this change.
            Err(ApplyError::Refused(EngineError::UnknownAgent(_))) => Ok(()),
            other => Ok(other?),
        };
    }
    handle
        .apply(Command::UpsertAgent(agent_config(user)))
        .await?;
    for q in state.store.skill_queues(tenant).await? {
        if q.agents.iter().any(|a| a.user_id == user.id) {
            handle.apply(Command::UpsertQueue(queue_config(&q))).await?;
        }
    }
    Ok(())
}
