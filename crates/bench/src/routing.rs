//! `switchboard-bench routing`: the routing engine in-process on synthetic traffic. Agents in
//! several queues each, mixed channels; every routing decision is timed.

use std::time::Instant;

use switchboard_engine::acd::{
    AgentConfig, Command, CustomerPriority, Direction, Engine, Event, NewContact, QueueConfig,
    ReleasedBy,
};
use switchboard_engine::{
    AgentParams, Channel, ChatLimit, ContactId, QueuePriority, RoutingStrategy, SkillLevel,
    SkillQueueId, TenantParams, UserId,
};

use crate::support::{json_line, max_rss_kb, Lcg};

// The flags of `routing` (its description is on the subcommand in main).
#[derive(clap::Args)]
pub struct Args {
    #[arg(long, default_value_t = 50_000)]
    agents: u32,
    #[arg(long, default_value_t = 5_000)]
    queues: u32,
    #[arg(long, default_value_t = 500_000)]
    contacts: u32,
    /// Skill queues each agent is bound to
    #[arg(long, default_value_t = 3)]
    queues_per_agent: u32,
}

const CHANNELS: [Channel; 4] = [Channel::Voice, Channel::Chat, Channel::Task, Channel::Video];
const STRATEGIES: [RoutingStrategy; 4] = [
    RoutingStrategy::LongestIdle,
    RoutingStrategy::RoundRobin,
    RoutingStrategy::LeastOccupied,
    RoutingStrategy::SkillLevel,
];

fn id(kind: u128, n: u32) -> uuid::Uuid {
    uuid::Uuid::from_u128((kind << 64) | u128::from(n))
}

/// Runs the benchmark; its figures as one JSON line.
pub fn run(args: Args) -> anyhow::Result<String> {
    let args = Args {
        agents: args.agents.max(1),
        queues: args.queues.max(1),
        contacts: args.contacts,
        queues_per_agent: args.queues_per_agent.max(1),
    };
    // Auto-answer and no wrap-up limit: the harness finishes each contact itself.
    let params = TenantParams {
        auto_answer: true,
        ..TenantParams::default()
    };
    let now: i64 = 1_800_000_000_000;
    let mut run = Run {
        engine: Engine::new(params, now),
        rng: Lcg(42),
        now,
        latencies: Vec::with_capacity(args.contacts as usize * 2),
        engine_ns: 0,
        connected: Vec::new(),
    };
    let started = Instant::now();
    run.setup(args.agents, args.queues, args.queues_per_agent)?;
    let setup_s = started.elapsed().as_secs_f64();
    let loop_started = Instant::now();
    run.arrivals(args.contacts, args.queues)?;
    run.service()?;
    let loop_s = loop_started.elapsed().as_secs_f64();
    run.latencies.sort_unstable();
    Ok(report(&run, &args, setup_s, loop_s))
}

/// The engine under test and what the harness tracks about it.
struct Run {
    engine: Engine,
    rng: Lcg,
    /// The engine's clock: one millisecond per step.
    now: i64,
    /// Nanoseconds of each command that made a routing decision.
    latencies: Vec<u32>,
    /// Nanoseconds spent in the engine, decisions or not.
    engine_ns: u128,
    connected: Vec<(ContactId, UserId)>,
}

impl Run {
    /// Builds the tenant: agents bound to random queues, everyone signed in.
    fn setup(&mut self, agents: u32, queues: u32, per_agent: u32) -> anyhow::Result<()> {
        for a in 0..agents {
            self.engine.handle(
                self.now,
                Command::UpsertAgent(AgentConfig {
                    id: UserId(id(1, a)),
                    chat_limit: ChatLimit::new(3)?,
                    params: AgentParams::default(),
                }),
            )?;
        }
        for (q, agents) in self
            .members(agents, queues, per_agent)?
            .into_iter()
            .enumerate()
        {
            let q = q as u32;
            let config = QueueConfig {
                id: SkillQueueId(id(2, q)),
                channel: CHANNELS[(q % 4) as usize],
                strategy: STRATEGIES[((q / 4) % 4) as usize],
                priority: QueuePriority::new(i64::from(self.rng.next(100)))?,
                max_queue_len: None,
                max_wait_s: None,
                overflow: None,
                agents,
            };
            self.engine.handle(self.now, Command::UpsertQueue(config))?;
        }
        for a in 0..agents {
            let agent = UserId(id(1, a));
            // An agent bound to no queue cannot sign in; that is fine here.
            let _ = self.engine.handle(
                self.now,
                Command::SignIn {
                    agent,
                    queues: None,
                },
            );
        }
        while self.engine.poll_event().is_some() {}
        Ok(())
    }

    /// Each queue's agents: every agent drawn into `per_agent` random queues, at a random
    /// skill level.
    fn members(
        &mut self,
        agents: u32,
        queues: u32,
        per_agent: u32,
    ) -> anyhow::Result<Vec<Vec<(UserId, SkillLevel)>>> {
        let mut members: Vec<Vec<(UserId, SkillLevel)>> = vec![Vec::new(); queues as usize];
        for a in 0..agents {
            for _ in 0..per_agent {
                let q = self.rng.next(queues) as usize;
                if !members[q].iter().any(|(u, _)| *u == UserId(id(1, a))) {
                    let level = SkillLevel::new(i64::from(self.rng.next(10) + 1))?;
                    members[q].push((UserId(id(1, a)), level));
                }
            }
        }
        Ok(members)
    }

    /// Arrivals: agents fill up, then contacts wait in their queues (contact-side decisions).
    fn arrivals(&mut self, contacts: u32, queues: u32) -> anyhow::Result<()> {
        for n in 0..contacts {
            self.now += 1;
            let q = self.rng.next(queues);
            let contact = NewContact {
                id: ContactId(id(3, n)),
                channel: CHANNELS[(q % 4) as usize],
                direction: Direction::Inbound,
                queue: SkillQueueId(id(2, q)),
                priority: CustomerPriority::new(i64::from(self.rng.next(10)))?,
                customer: None,
                familiar_agent: None,
            };
            self.timed(Command::CreateContact(contact))?;
            self.collect();
        }
        Ok(())
    }

    /// Service: agents finish contacts in random order and pull the most important waiting
    /// contact from their queues (agent-side decisions), until nothing more can be served.
    fn service(&mut self) -> anyhow::Result<()> {
        while !self.connected.is_empty() {
            self.now += 1;
            let next = self.rng.next(self.connected.len() as u32) as usize;
            let (c, a) = self.connected.swap_remove(next);
            self.timed(Command::Release {
                contact: c,
                agent: Some(a),
                by: ReleasedBy::Agent,
            })?;
            self.timed(Command::ContinueWorking {
                agent: a,
                contact: Some(c),
            })?;
            self.collect();
        }
        Ok(())
    }

    /// Runs one command, timing it; a command that made a decision adds a latency sample.
    fn timed(&mut self, cmd: Command) -> anyhow::Result<()> {
        let before = self.engine.decisions();
        let t = Instant::now();
        let result = self.engine.handle(self.now, cmd);
        let ns = t.elapsed().as_nanos();
        self.engine_ns += ns;
        if self.engine.decisions() > before {
            self.latencies.push(u32::try_from(ns).unwrap_or(u32::MAX));
        }
        result.map_err(anyhow::Error::from)
    }

    /// Tracks connected contacts from the engine's events.
    fn collect(&mut self) {
        while let Some(event) = self.engine.poll_event() {
            if let Event::ContactConnected { contact, agent, .. } = event {
                self.connected.push((contact, agent));
            }
        }
    }

    /// The `p` quantile (0-1) of the sorted latencies, in nanoseconds.
    fn percentile(&self, p: f64) -> u32 {
        let latencies = &self.latencies;
        latencies
            .get(((latencies.len() as f64 - 1.0) * p) as usize)
            .copied()
            .unwrap_or(0)
    }
}

/// The figures as one JSON line.
fn report(run: &Run, args: &Args, setup_s: f64, loop_s: f64) -> String {
    let decisions = run.engine.decisions();
    let max_ns = run.latencies.last().copied().unwrap_or(0);
    json_line(&[
        ("bench", "\"routing\"".to_owned()),
        ("agents", args.agents.to_string()),
        ("queues", args.queues.to_string()),
        ("contacts", args.contacts.to_string()),
        ("queues_per_agent", args.queues_per_agent.to_string()),
        ("decisions", decisions.to_string()),
        (
            "decisions_per_s",
            format!("{:.0}", decisions as f64 / loop_s),
        ),
        (
            "engine_decisions_per_s",
            format!("{:.0}", decisions as f64 / (run.engine_ns as f64 / 1e9)),
        ),
        ("p50_ns", run.percentile(0.50).to_string()),
        ("p99_ns", run.percentile(0.99).to_string()),
        ("max_ns", max_ns.to_string()),
        ("setup_s", format!("{setup_s:.2}")),
        ("loop_s", format!("{loop_s:.2}")),
        ("unserved", run.engine.contact_count().to_string()),
        ("max_rss_kb", max_rss_kb().to_string()),
    ])
}
