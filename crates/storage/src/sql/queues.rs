//! Skill queues with their agents and category tags, and the tags themselves.

use switchboard_engine::{SkillQueueId, TagId, TagName, TenantId};
use uuid::Uuid;

use super::{delete_owned, found, Store, Tx};
use crate::rows::{assemble_queues, QueueAgentRow, QueueRow, QueueTagRow, TagRow};
use crate::{QueueAgent, Result, SkillQueue, SkillQueueSpec, StorageError, Tag};

pub(super) async fn skill_queues(store: &Store, tenant: TenantId) -> Result<Vec<SkillQueue>> {
    load_queues(store, tenant, None).await
}

pub(super) async fn skill_queue(
    store: &Store,
    tenant: TenantId,
    id: SkillQueueId,
) -> Result<Option<SkillQueue>> {
    Ok(load_queues(store, tenant, Some(id)).await?.pop())
}

pub(super) async fn create_skill_queue(
    store: &Store,
    tenant: TenantId,
    spec: &SkillQueueSpec,
    agents: &[QueueAgent],
) -> Result<SkillQueue> {
    let id = SkillQueueId::new();
    let mut tx = store.writer.begin().await?;
    sqlx::query(
        "INSERT INTO skill_queues (tenant_id, id, name, channel, strategy, priority, \
         max_queue_len, max_wait_s, overflow_queue_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, 0)",
    )
    .bind(tenant.0)
    .bind(id.0)
    .bind(spec.name.as_str())
    .bind(spec.channel.code())
    .bind(spec.strategy.code())
    .bind(i64::from(spec.priority.get()))
    .bind(spec.max_queue_len.map(i64::from))
    .bind(spec.max_wait_s.map(i64::from))
    .bind(spec.overflow_queue.map(|q| q.0))
    .execute(&mut *tx)
    .await?;
    insert_queue_links(&mut tx, tenant, id.0, Some(&spec.tags), Some(agents)).await?;
    tx.commit().await?;
    required_queue(store, tenant, id).await
}

pub(super) async fn update_skill_queue(
    store: &Store,
    tenant: TenantId,
    id: SkillQueueId,
    spec: &SkillQueueSpec,
) -> Result<SkillQueue> {
    let mut tx = store.writer.begin().await?;
    let done = sqlx::query(
        "UPDATE skill_queues SET name = $3, channel = $4, strategy = $5, priority = $6, \
         max_queue_len = $7, max_wait_s = $8, overflow_queue_id = $9 \
         WHERE tenant_id = $1 AND id = $2",
    )
    .bind(tenant.0)
    .bind(id.0)
    .bind(spec.name.as_str())
    .bind(spec.channel.code())
    .bind(spec.strategy.code())
    .bind(i64::from(spec.priority.get()))
    .bind(spec.max_queue_len.map(i64::from))
    .bind(spec.max_wait_s.map(i64::from))
    .bind(spec.overflow_queue.map(|q| q.0))
    .execute(&mut *tx)
    .await?;
    found(done.rows_affected())?;
    insert_queue_links(&mut tx, tenant, id.0, Some(&spec.tags), None).await?;
    tx.commit().await?;
    required_queue(store, tenant, id).await
}

pub(super) async fn set_queue_agents(
    store: &Store,
    tenant: TenantId,
    id: SkillQueueId,
    agents: &[QueueAgent],
) -> Result<SkillQueue> {
    let mut tx = store.writer.begin().await?;
    let exists: Option<(Uuid,)> =
        sqlx::query_as("SELECT id FROM skill_queues WHERE tenant_id = $1 AND id = $2")
            .bind(tenant.0)
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?;
    if exists.is_none() {
        return Err(StorageError::NotFound);
    }
    insert_queue_links(&mut tx, tenant, id.0, None, Some(agents)).await?;
    tx.commit().await?;
    required_queue(store, tenant, id).await
}

pub(super) async fn delete_skill_queue(
    store: &Store,
    tenant: TenantId,
    id: SkillQueueId,
) -> Result<()> {
    delete_owned(store, "skill_queues", tenant, id.0).await
}

pub(super) async fn tags(store: &Store, tenant: TenantId) -> Result<Vec<Tag>> {
    let rows: Vec<TagRow> =
        sqlx::query_as("SELECT id, name FROM tags WHERE tenant_id = $1 ORDER BY name")
            .bind(tenant.0)
            .fetch_all(&store.reader)
            .await?;
    rows.into_iter().map(Tag::try_from).collect()
}

pub(super) async fn create_tag(store: &Store, tenant: TenantId, name: &TagName) -> Result<Tag> {
    let id = TagId::new();
    sqlx::query("INSERT INTO tags (tenant_id, id, name) VALUES ($1, $2, $3)")
        .bind(tenant.0)
        .bind(id.0)
        .bind(name.as_str())
        .execute(&store.writer)
        .await?;
    Ok(Tag {
        id,
        name: name.clone(),
    })
}

pub(super) async fn delete_tag(store: &Store, tenant: TenantId, id: TagId) -> Result<()> {
    delete_owned(store, "tags", tenant, id.0).await
}

/// Replaces the queue's tags and its agents, each only when given.
async fn insert_queue_links(
    tx: &mut Tx<'_>,
    tenant: TenantId,
    queue: Uuid,
    tags: Option<&[TagId]>,
    agents: Option<&[QueueAgent]>,
) -> Result<()> {
    if let Some(tags) = tags {
        sqlx::query("DELETE FROM queue_tags WHERE tenant_id = $1 AND queue_id = $2")
            .bind(tenant.0)
            .bind(queue)
            .execute(&mut **tx)
            .await?;
        for tag in tags {
            sqlx::query(
                "INSERT INTO queue_tags (tenant_id, queue_id, tag_id) VALUES ($1, $2, $3) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(tenant.0)
            .bind(queue)
            .bind(tag.0)
            .execute(&mut **tx)
            .await?;
        }
    }
    if let Some(agents) = agents {
        sqlx::query("DELETE FROM queue_agents WHERE tenant_id = $1 AND queue_id = $2")
            .bind(tenant.0)
            .bind(queue)
            .execute(&mut **tx)
            .await?;
        for a in agents {
            sqlx::query(
                "INSERT INTO queue_agents (tenant_id, queue_id, user_id, skill_level) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (queue_id, user_id) \
                 DO UPDATE SET skill_level = excluded.skill_level",
            )
            .bind(tenant.0)
            .bind(queue)
            .bind(a.user_id.0)
            .bind(i64::from(a.skill_level.get()))
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// The tenant's queues, or only `only`, each with its agents and tags.
async fn load_queues(
    store: &Store,
    tenant: TenantId,
    only: Option<SkillQueueId>,
) -> Result<Vec<SkillQueue>> {
    let only = only.map(|q| q.0);
    let queues: Vec<QueueRow> = sqlx::query_as(
        "SELECT id, name, channel, strategy, priority, max_queue_len, max_wait_s, \
         overflow_queue_id FROM skill_queues \
         WHERE tenant_id = $1 AND ($2 IS NULL OR id = $2) ORDER BY name",
    )
    .bind(tenant.0)
    .bind(only)
    .fetch_all(&store.reader)
    .await?;
    let agents: Vec<QueueAgentRow> = sqlx::query_as(
        "SELECT queue_id, user_id, skill_level FROM queue_agents \
         WHERE tenant_id = $1 AND ($2 IS NULL OR queue_id = $2) \
         ORDER BY skill_level DESC, user_id",
    )
    .bind(tenant.0)
    .bind(only)
    .fetch_all(&store.reader)
    .await?;
    let tags: Vec<QueueTagRow> = sqlx::query_as(
        "SELECT queue_id, tag_id FROM queue_tags \
         WHERE tenant_id = $1 AND ($2 IS NULL OR queue_id = $2)",
    )
    .bind(tenant.0)
    .bind(only)
    .fetch_all(&store.reader)
    .await?;
    assemble_queues(queues, agents, tags)
}

async fn required_queue(store: &Store, tenant: TenantId, id: SkillQueueId) -> Result<SkillQueue> {
    load_queues(store, tenant, Some(id))
        .await?
        .pop()
        .ok_or(StorageError::NotFound)
}
