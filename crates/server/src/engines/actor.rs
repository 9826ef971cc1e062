//! The single writer of one tenant's engine. Each turn takes the requests that are ready
//! (group commit), applies them, stores everything they changed in one transaction, and only
//! then answers the callers and tells the WebSockets. Timers and live counts run here too.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use switchboard_engine::acd::{ContactOutcome, ContactPhase, ContactStatus, Engine, Event};
use switchboard_engine::{ContactId, Permission, TenantId, UserId};
use switchboard_storage::{AgentSession, ContactUpdate, EngineBatch, Storage, StoredContact};
use tokio::sync::mpsc;

use super::stats::CenterStats;
use super::{load, render, ApplyError, ContactMeta, Reply, Request};
use crate::clock::Clock;
use crate::events::{Audience, EventHub};

/// Most commands folded into one stored turn.
const MAX_TURN: usize = 256;
/// How often changed queues' live counts (and a changed wallboard) are pushed.
const STATS_EVERY: Duration = Duration::from_millis(250);
/// How often the wallboard is pushed unchanged, so its sliding window moves on.
const WALLBOARD_EVERY: i64 = 10_000;

struct Actor {
    engine: Engine,
    stats: CenterStats,
    wallboard_sent: i64,
    tenant: TenantId,
    store: Arc<dyn Storage>,
    hub: Arc<EventHub>,
    clock: Clock,
}

/// What one turn changed, waiting to be stored.
#[derive(Default)]
struct Turn {
    waiters: Vec<Reply>,
    metas: HashMap<ContactId, ContactMeta>,
    batch: EngineBatch,
    contacts: BTreeSet<ContactId>,
    closed: HashMap<ContactId, (ContactOutcome, i64)>,
    agents: BTreeSet<UserId>,
    messages: Vec<(Value, Audience)>,
}

pub(super) async fn run(
    (engine, stats): (Engine, CenterStats),
    tenant: TenantId,
    store: Arc<dyn Storage>,
    hub: Arc<EventHub>,
    clock: Clock,
    mut rx: mpsc::Receiver<Request>,
) {
    let mut actor = Actor {
        engine,
        stats,
        wallboard_sent: 0,
        tenant,
        store,
        hub,
        clock,
    };
    // Restoring produced events (offers to restored agents, timeouts): store them first.
    let mut turn = Turn::default();
    actor.collect(&mut turn);
    let now = actor.clock.now_ms();
    actor.count_time(&mut turn, now);
    actor.finish(turn).await;
    let mut stats = tokio::time::interval(STATS_EVERY);
    loop {
        let clock = actor.clock.clone();
        let due = [
            actor.engine.next_timeout(),
            actor.stats.tally.next_timeout(),
            Some(actor.stats.board.day_end()),
        ]
        .into_iter()
        .flatten()
        .min();
        tokio::select! {
            request = rx.recv() => {
                let Some(request) = request else { return };
                let mut turn = Turn::default();
                actor.take(&mut turn, request);
                while turn.waiters.len() < MAX_TURN {
                    match rx.try_recv() {
                        Ok(request) => actor.take(&mut turn, request),
                        Err(_) => break,
                    }
                }
                actor.finish(turn).await;
            }
            _ = clock.sleep_until_maybe(due) => {
                let now = clock.now_ms();
                actor.engine.handle_timeout(now);
                let mut turn = Turn::default();
                actor.collect(&mut turn);
                actor.count_time(&mut turn, now);
                actor.finish(turn).await;
            }
            _ = stats.tick() => {
                actor.publish_stats();
                actor.publish_wallboard();
            }
        }
    }
}

impl Actor {
    fn take(&mut self, turn: &mut Turn, request: Request) {
        match request {
            Request::Read(job) => job(&self.engine),
            Request::Stats(job) => job(&mut self.stats, &self.engine),
            Request::Apply(apply) => {
                let super::ApplyRequest {
                    command,
                    meta,
                    summary,
                    reply,
                } = *apply;
                let created = match &command {
                    switchboard_engine::acd::Command::CreateContact(c)
                    | switchboard_engine::acd::Command::Dial { contact: c, .. } => Some(c.id),
                    _ => None,
                };
                match self.engine.handle(self.clock.now_ms(), command) {
                    Ok(()) => {
                        if let (Some(id), Some(meta)) = (created, meta) {
                            turn.metas.insert(id, meta);
                        }
                        turn.batch.summaries.extend(summary);
                        turn.waiters.push(reply);
                    }
                    Err(refused) => {
                        let _ = reply.send(Err(ApplyError::Refused(refused)));
                    }
                }
                self.collect(turn);
            }
        }
    }

    /// Moves the engine's events into the turn.
    fn collect(&mut self, turn: &mut Turn) {
        while let Some(event) = self.engine.poll_event() {
            match &event {
                Event::ContactCreated {
                    contact,
                    channel,
                    direction,
                    queue,
                    priority,
                    customer,
                    at,
                } => {
                    // A restored contact is re-created in the engine but already stored.
                    let Some(meta) = turn.metas.remove(contact) else {
                        continue;
                    };
                    turn.batch.new_contacts.push(StoredContact {
                        id: *contact,
                        channel: *channel,
                        direction: *direction,
                        queue: *queue,
                        priority: *priority,
                        customer: customer.clone(),
                        title: meta.title,
                        link: meta.link,
                        data: meta.data,
                        state: ContactStatus::Queued,
                        agent: None,
                        offer_expires_at: None,
                        created_at: *at,
                        enqueued_at: *at,
                        closed_at: None,
                        outcome: None,
                        summary: None,
                        solution: None,
                        disposition: None,
                        summary_saved: false,
                        rating: None,
                    });
                }
                Event::ContactClosed {
                    contact,
                    outcome,
                    at,
                    ..
                } => {
                    turn.closed.insert(*contact, (*outcome, *at));
                }
                _ => {}
            }
            self.tally(turn, &event);
            let record = render::record(&event);
            turn.contacts.extend(record.contact);
            turn.agents.extend(record.agent);
            turn.batch.events.push(record);
            turn.messages.push(render::message(&event));
        }
    }

    /// Counts an event into the tally: its increments go with the turn and onto the board.
    fn tally(&mut self, turn: &mut Turn, event: &Event) {
        let flushed = self.stats.tally.flushed_to();
        self.stats.tally.handle(event);
        self.take_increments(turn, flushed);
    }

    /// Counts agents' time up to the last bucket boundary, and starts a new day on the board.
    fn count_time(&mut self, turn: &mut Turn, now: i64) {
        let flushed = self.stats.tally.flushed_to();
        self.stats.tally.handle_timeout(now);
        self.take_increments(turn, flushed);
        self.stats.roll_day(now);
    }

    fn take_increments(&mut self, turn: &mut Turn, flushed_before: Option<i64>) {
        for inc in self.stats.tally.drain() {
            self.stats.board.add(&inc);
            turn.batch.tallies.push(inc);
            self.stats.dirty = true;
        }
        let flushed = self.stats.tally.flushed_to();
        if flushed != flushed_before {
            turn.batch.stat_flushed_to = flushed;
        }
    }

    fn contact_update(&self, id: ContactId, turn: &Turn, now: i64) -> Option<ContactUpdate> {
        if let Some((outcome, at)) = turn.closed.get(&id) {
            return Some(ContactUpdate {
                id,
                state: ContactStatus::Closed,
                queue: None,
                agent: None,
                offer_expires_at: None,
                closed_at: Some(*at),
                outcome: Some(*outcome),
                summary_saved: None,
                updated_at: now,
            });
        }
        let view = self.engine.contact_view(id)?;
        let (served_by, offer_expires_at) = match view.phase {
            ContactPhase::Connected { agent, .. } | ContactPhase::WrapUp { agent, .. } => {
                (Some(agent), None)
            }
            ContactPhase::Offered { until, .. } => (None, Some(until)),
            _ => (None, None),
        };
        Some(ContactUpdate {
            id,
            state: view.phase.status(),
            queue: Some(view.queue),
            agent: served_by,
            offer_expires_at,
            closed_at: None,
            outcome: None,
            summary_saved: Some(view.summary_saved),
            updated_at: now,
        })
    }

    /// Stores the turn, then answers its callers and publishes its events.
    async fn finish(&mut self, mut turn: Turn) {
        let now = self.clock.now_ms();
        let contacts = std::mem::take(&mut turn.contacts);
        for id in contacts {
            if let Some(update) = self.contact_update(id, &turn, now) {
                turn.batch.contact_updates.push(update);
            }
        }
        for agent in std::mem::take(&mut turn.agents) {
            match self
                .engine
                .agent_view(agent)
                .and_then(|v| v.presence.map(|p| (v, p)))
            {
                Some((view, presence)) => turn.batch.sessions.push(AgentSession {
                    agent,
                    queues: view.signed_in,
                    presence,
                    reason: view.reason,
                    since: view.state_since,
                }),
                None => turn.batch.ended_sessions.push(agent),
            }
        }
        match self
            .store
            .apply_engine_batch(self.tenant, &turn.batch)
            .await
        {
            Ok(()) => {
                for reply in turn.waiters {
                    let _ = reply.send(Ok(()));
                }
                for (payload, audience) in turn.messages {
                    self.hub.publish(self.tenant, audience, &payload);
                }
            }
            Err(err) => {
                tracing::error!(tenant = %self.tenant, error = %err, "storing an engine turn failed; reloading the engine");
                for reply in turn.waiters {
                    let _ = reply.send(Err(ApplyError::Unavailable(anyhow::anyhow!(
                        "storage failed"
                    ))));
                }
                // Forget what was not stored: the engine goes back to what storage holds.
                match load::load(self.store.as_ref(), self.tenant, self.clock.now_ms()).await {
                    Ok((engine, stats)) => {
                        self.engine = engine;
                        self.stats = stats;
                        let mut restored = Turn::default();
                        self.collect(&mut restored);
                        Box::pin(self.finish(restored)).await;
                    }
                    Err(err) => {
                        tracing::error!(tenant = %self.tenant, error = %err, "reloading the engine failed")
                    }
                }
            }
        }
    }

    /// Sends the wallboard to everyone watching when it changed, or every few seconds so its
    /// window moves on: computed once per tenant, never per client.
    fn publish_wallboard(&mut self) {
        let now = self.clock.now_ms();
        if !self.stats.dirty && now - self.wallboard_sent < WALLBOARD_EVERY {
            return;
        }
        self.stats.dirty = false;
        self.wallboard_sent = now;
        let queues = self.engine.queue_ids();
        let view = self.stats.view(now, &queues);
        let mut payload = crate::api::wallboard::render(&view, &self.stats);
        payload["type"] = serde_json::json!("wallboard");
        self.hub.publish(
            self.tenant,
            Audience::permission(Permission::Monitor),
            &payload,
        );
    }

    fn publish_stats(&mut self) {
        for queue in self.engine.take_changed_queues() {
            let Some(stats) = self.engine.queue_stats(queue) else {
                continue;
            };
            let mut payload = render::queue_stats(&stats);
            payload["type"] = serde_json::json!("queue.stats");
            let audience =
                Audience::users_and(self.engine.queue_members(queue), Permission::Monitor);
            self.hub.publish(self.tenant, audience, &payload);
        }
    }
}
