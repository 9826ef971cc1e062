//! `serve --demo --demo-history DAYS`: the demo tenant's past, played through a real routing
//! engine in simulated time and stored the way the engine actor stores its turns (events,
//! contacts, agent sessions, the tally's increments), so reports, agents' timelines, the
//! wallboard of past days and the quality draw have something to show. Only a tenant whose
//! engine never stored an event gets it; the days end at the start of today in its zone, with
//! every contact closed and every agent signed out, so the live engine starts clean.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use switchboard_engine::acd::Engine;
use switchboard_engine::stats::DAY_MS;
use switchboard_engine::{
    BuiltinRole, Channel, SkillQueueId, TenantId, TenantName, TenantZone, UserId,
};
use switchboard_storage::Storage;

mod play;
mod records;

use super::traffic::{self, Step, MINUTE};
use crate::api::customers::record::index_chat_customer;
use crate::engines::stats::CenterStats;
use crate::engines::turn::Turn;
use crate::state::AppState;
use records::Records;

/// The most days of history `--demo-history` plays.
pub const MAX_DAYS: u32 = 90;
/// Every installation plays the same traffic.
const SEED: u64 = 0x5357_4954_4348;
/// Events stored per transaction at most (the actor's turns are smaller; these are replayed).
const BATCH_EVENTS: usize = 2_000;

/// What was played.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Played {
    pub days: u32,
    pub contacts: usize,
    pub events: usize,
}

/// Plays `days` days of traffic ending at the start of `now`'s day into the demo tenant, when
/// it exists and its engine has stored nothing yet; `None` when there was nothing to do.
pub async fn seed(state: &AppState, days: u32, now: i64) -> anyhow::Result<Option<Played>> {
    let store = state.store.as_ref();
    anyhow::ensure!(days <= MAX_DAYS, "at most {MAX_DAYS} days of demo history");
    let name = TenantName::parse(super::TENANT)?;
    let Some(tenant) = store.tenant_by_name(&name).await? else {
        return Ok(None);
    };
    if days == 0 || store.has_engine_events(tenant.id).await? {
        return Ok(None);
    }
    let zone = store.tenant_zone(tenant.id).await?;
    let today = zone.start_of_day(now);
    let first = day_start(&zone, today, days);
    let mut sim = Sim::new(store, tenant.id, zone, first).await?;
    for d in (1..=days).rev() {
        let start = day_start(&sim.zone, today, d);
        let end = day_start(&sim.zone, today, d - 1);
        sim.plan_day(start);
        sim.run_until(end - 30 * MINUTE).await?;
        sim.close_everything(end - 30 * MINUTE);
        sim.run_until(end).await?;
        sim.played.days += 1;
    }
    let played = sim.finish(today).await?;
    // The visitors' numbers and e-mails become directory keys, as a chat's customer's do.
    for (of, id) in store.unindexed_customers(1_000).await? {
        if of == tenant.id {
            index_chat_customer(state, of, id).await?;
        }
    }
    Ok(Some(played))
}

/// The start of the local day `days` before the one starting at `today`.
fn day_start(zone: &TenantZone, today: i64, days: u32) -> i64 {
    // Noon of that day is at least 11 hours from either midnight, whatever summer time does.
    zone.start_of_day(today - i64::from(days) * DAY_MS + DAY_MS / 2)
}

/// Something planned, earliest first (then in the order planned).
struct Planned {
    at: i64,
    seq: u64,
    step: Step,
}

impl PartialEq for Planned {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}
impl Eq for Planned {}
impl PartialOrd for Planned {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Planned {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.at, self.seq).cmp(&(other.at, other.seq))
    }
}

/// The simulated center: the engine and its figures, the turn being gathered, what is planned.
struct Sim<'a> {
    store: &'a dyn Storage,
    tenant: TenantId,
    zone: TenantZone,
    engine: Engine,
    stats: CenterStats,
    turn: Turn,
    rng: ChaCha8Rng,
    plan: BinaryHeap<Reverse<Planned>>,
    seq: u64,
    /// The demo agents, with the queues they sign in to when they must name them.
    agents: Vec<(UserId, Option<Vec<SkillQueueId>>)>,
    queues: Vec<(SkillQueueId, Channel)>,
    played: Played,
    records: Records,
    /// Draws the chats' timing apart from the traffic.
    talk_rng: ChaCha8Rng,
}

impl<'a> Sim<'a> {
    /// The tenant's engine and figures as storage holds them at `start` (nothing yet).
    async fn new(
        store: &'a dyn Storage,
        tenant: TenantId,
        zone: TenantZone,
        start: i64,
    ) -> anyhow::Result<Sim<'a>> {
        let engine = crate::engines::load::engine(store, tenant, start).await?;
        let stats = CenterStats::replayed(store, tenant, start, false).await?;
        let params = store.tenant_params(tenant).await?;
        let queues = store.skill_queues(tenant).await?;
        let users = store.users(tenant).await?;
        let records = Records::new(store, tenant, start).await?;
        let mut agents = Vec::new();
        for (login, _, _, role) in super::ACCOUNTS {
            let Some(user) = users.iter().find(|u| u.login.as_str() == login && u.active) else {
                continue;
            };
            if role != BuiltinRole::Agent {
                continue;
            }
            let named = params.effective_sign_in_mode(&user.agent_params)
                == switchboard_engine::AgentSignInMode::Specified;
            let bound = queues
                .iter()
                .filter(|q| q.agents.iter().any(|a| a.user_id == user.id))
                .map(|q| q.id);
            agents.push((user.id, named.then(|| bound.collect())));
        }
        Ok(Sim {
            store,
            tenant,
            zone,
            engine,
            stats,
            turn: Turn::default(),
            rng: ChaCha8Rng::seed_from_u64(SEED),
            plan: BinaryHeap::new(),
            seq: 0,
            agents,
            queues: queues.iter().map(|q| (q.id, q.spec.channel)).collect(),
            played: Played::default(),
            records,
            talk_rng: ChaCha8Rng::seed_from_u64(SEED + 1),
        })
    }

    fn at(&mut self, at: i64, step: Step) {
        self.seq += 1;
        let seq = self.seq;
        self.plan.push(Reverse(Planned { at, seq, step }));
    }

    fn plan_day(&mut self, start: i64) {
        let agents: Vec<UserId> = self.agents.iter().map(|(a, _)| *a).collect();
        let channels: Vec<Channel> = self.queues.iter().map(|(_, c)| *c).collect();
        for (at, step) in traffic::day(&mut self.rng, &self.zone, start, &agents, &channels) {
            self.at(at, step);
        }
    }

    /// Plays what is planned and the engine's and tally's timers, in time order, up to `end`.
    async fn run_until(&mut self, end: i64) -> anyhow::Result<()> {
        loop {
            let timers = [self.engine.next_timeout(), self.stats.tally.next_timeout()]
                .into_iter()
                .flatten()
                .min();
            let planned = self.plan.peek().map(|p| p.0.at);
            let Some(at) = timers.into_iter().chain(planned).min().filter(|t| *t < end) else {
                return Ok(());
            };
            if timers == Some(at) {
                // As the actor wakes for a timer.
                self.engine.handle_timeout(at);
                self.drain();
                self.turn.count_time(&mut self.stats, at);
            } else if let Some(Reverse(p)) = self.plan.pop() {
                self.act(p.at, p.step);
            }
            if self.turn.batch.events.len() >= BATCH_EVENTS {
                self.store(at).await?;
            }
        }
    }

    /// Stores the turn gathered so far, as the actor stores one of its turns.
    async fn store(&mut self, now: i64) -> anyhow::Result<()> {
        let mut turn = std::mem::take(&mut self.turn);
        turn.seal(&self.engine, now);
        self.played.events += turn.batch.events.len();
        self.store
            .apply_engine_batch(self.tenant, &turn.batch)
            .await?;
        self.records.store(self.store, self.tenant).await?;
        // The wallboard's window is trimmed as it is drawn; nobody watches this one.
        let queues = self.engine.queue_ids();
        self.stats.view(now, &queues);
        Ok(())
    }

    /// Counts the last agents' time up to `today`, stores the rest and checks that the live
    /// engine will find nothing open.
    async fn finish(mut self, today: i64) -> anyhow::Result<Played> {
        self.turn.count_time(&mut self.stats, today);
        self.store(today).await?;
        anyhow::ensure!(
            self.engine.contact_ids().is_empty(),
            "demo history left contacts open"
        );
        let signed_in = self
            .engine
            .agent_ids()
            .into_iter()
            .any(|a| self.signed_in(a));
        anyhow::ensure!(!signed_in, "demo history left agents signed in");
        self.records.enter_callers(self.store, self.tenant).await?;
        Ok(self.played)
    }

    /// Moves the engine's events into the turn, planning what agents and customers do next.
    fn drain(&mut self) {
        while let Some(event) = self.engine.poll_event() {
            self.react(&event);
            self.records.see(&event, &mut self.talk_rng);
            self.turn.take(&event, &mut self.stats);
        }
    }
}
