//! The single writer of one tenant's engine. Each turn takes the requests that are ready
//! (group commit), applies them, stores everything they changed in one transaction, and only
//! then answers the callers and tells the WebSockets. Timers and live counts run here too.

use std::sync::Arc;
use std::time::Duration;

use switchboard_engine::acd::Engine;
use switchboard_engine::{Permission, TenantId};
use switchboard_storage::Storage;
use tokio::sync::mpsc;

use super::stats::CenterStats;
use super::turn::Turn;
use super::{load, render, ApplyError, Request};
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
                let began = std::time::Instant::now();
                let mut turn = Turn::default();
                actor.take(&mut turn, request);
                while turn.waiters.len() < MAX_TURN {
                    match rx.try_recv() {
                        Ok(request) => actor.take(&mut turn, request),
                        Err(_) => break,
                    }
                }
                let stored = actor.finish(turn).await;
                crate::metrics::global().engine_turn(began.elapsed(), stored);
            }
            _ = clock.sleep_until_maybe(due) => {
                let began = std::time::Instant::now();
                let now = clock.now_ms();
                actor.engine.handle_timeout(now);
                let mut turn = Turn::default();
                actor.collect(&mut turn);
                actor.count_time(&mut turn, now);
                let stored = actor.finish(turn).await;
                crate::metrics::global().engine_turn(began.elapsed(), stored);
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
        turn.collect(&mut self.engine, &mut self.stats);
    }

    fn count_time(&mut self, turn: &mut Turn, now: i64) {
        turn.count_time(&mut self.stats, now);
    }

    /// Stores the turn, then answers its callers and publishes its events; returns the time
    /// storing took.
    async fn finish(&mut self, mut turn: Turn) -> Duration {
        turn.seal(&self.engine, self.clock.now_ms());
        let storing = std::time::Instant::now();
        let stored = self
            .store
            .apply_engine_batch(self.tenant, &turn.batch)
            .await;
        let store_time = storing.elapsed();
        match stored {
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
        store_time
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
