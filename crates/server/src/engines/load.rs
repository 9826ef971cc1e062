//! Building a tenant's engine from storage: configuration first, then the signed-in agents
//! and the contacts that had not ended (ringing ones go back to the head of their queue).

use switchboard_engine::acd::{
    AgentConfig, Command, ContactStatus, Engine, NewContact, QueueConfig, RestoredPhase,
};
use switchboard_engine::TenantId;
use switchboard_storage::{SkillQueue, Storage, StoredContact, User};

use super::stats::CenterStats;

pub fn queue_config(q: &SkillQueue) -> QueueConfig {
    QueueConfig {
        id: q.id,
        channel: q.spec.channel,
        strategy: q.spec.strategy,
        priority: q.spec.priority,
        max_queue_len: q.spec.max_queue_len,
        max_wait_s: q.spec.max_wait_s,
        overflow: q.spec.overflow_queue,
        agents: q
            .agents
            .iter()
            .map(|a| (a.user_id, a.skill_level))
            .collect(),
    }
}

pub fn agent_config(u: &User) -> AgentConfig {
    AgentConfig {
        id: u.id,
        chat_limit: u.chat_limit,
        params: u.agent_params,
    }
}

fn restored_phase(c: &StoredContact) -> RestoredPhase {
    match (c.state, c.agent) {
        (ContactStatus::Connected, Some(agent)) => RestoredPhase::Connected {
            agent,
            since: c.enqueued_at,
        },
        (ContactStatus::WrapUp, Some(agent)) => RestoredPhase::WrapUp {
            agent,
            since: c.enqueued_at,
            summary_saved: c.summary_saved,
        },
        _ => RestoredPhase::Queued,
    }
}

/// Loads a tenant's engine and its figures. The figures first: replayed from the events
/// stored, they stand where the engine stood, and the engine's restore events (left in it for
/// the actor's first turn) go through them like any other.
pub async fn load(
    store: &dyn Storage,
    tenant: TenantId,
    now: i64,
) -> anyhow::Result<(Engine, CenterStats)> {
    let stats = CenterStats::replayed(store, tenant, now, true).await?;
    Ok((engine(store, tenant, now).await?, stats))
}

/// The tenant's engine as storage holds it: configuration, signed-in agents, open contacts.
pub(crate) async fn engine(
    store: &dyn Storage,
    tenant: TenantId,
    now: i64,
) -> anyhow::Result<Engine> {
    let mut engine = Engine::new(store.tenant_params(tenant).await?, now);
    for user in store.users(tenant).await?.iter().filter(|u| u.active) {
        engine.handle(now, Command::UpsertAgent(agent_config(user)))?;
    }
    for queue in store.skill_queues(tenant).await? {
        engine.handle(now, Command::UpsertQueue(queue_config(&queue)))?;
    }
    for s in store.agent_sessions(tenant).await? {
        let restore = Command::RestoreAgent {
            agent: s.agent,
            queues: s.queues,
            state: s.presence,
            reason: s.reason,
            since: s.since,
        };
        if let Err(err) = engine.handle(now, restore) {
            tracing::warn!(%tenant, agent = %s.agent, %err, "agent session not restored");
        }
    }
    // Contacts agents hold first: a waiting one restored before them could be offered to an
    // agent whose call is not restored yet, who would then hold two.
    let mut open = store.open_contacts(tenant).await?;
    open.sort_by_key(|c| !matches!(c.state, ContactStatus::Connected | ContactStatus::WrapUp));
    for c in open {
        let contact = NewContact {
            id: c.id,
            channel: c.channel,
            direction: c.direction,
            queue: c.queue,
            priority: c.priority,
            customer: c.customer.clone(),
            familiar_agent: None,
        };
        let restore = Command::RestoreContact {
            contact,
            created_at: c.created_at,
            enqueued_at: c.enqueued_at,
            phase: restored_phase(&c),
        };
        if let Err(err) = engine.handle(now, restore) {
            tracing::warn!(%tenant, contact = %c.id, %err, "contact not restored");
        }
    }
    Ok(engine)
}
