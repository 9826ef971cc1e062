//! `switchboard bench …`: benchmarks of the real code on synthetic traffic.

use std::time::Instant;

use clap::Subcommand;
use switchboard_engine::acd::{
    AgentConfig, Command, CustomerPriority, Direction, Engine, Event, NewContact, QueueConfig,
    ReleasedBy,
};
use switchboard_engine::{
    AgentParams, Channel, ChatLimit, ContactId, QueuePriority, RoutingStrategy, SkillLevel,
    SkillQueueId, TenantParams, UserId,
};

#[derive(Subcommand)]
pub enum Bench {
    /// The routing engine in-process: agents in several queues each, mixed channels. Prints
    /// one JSON line: decisions_per_s, p50_ns, p99_ns, max_ns, max_rss_kb, ...
    Routing {
        #[arg(long, default_value_t = 50_000)]
        agents: u32,
        #[arg(long, default_value_t = 5_000)]
        queues: u32,
        #[arg(long, default_value_t = 500_000)]
        contacts: u32,
        /// Skill queues each agent is bound to
        #[arg(long, default_value_t = 3)]
        queues_per_agent: u32,
    },
    /// The real server on loopback: a task created through the API until its offer arrives
    /// on the agent's WebSocket, at a fixed arrival rate. Prints one JSON line with p50/p99.
    Offers {
        #[arg(long, default_value_t = 100)]
        agents: u32,
        /// Contacts created per second
        #[arg(long, default_value_t = 1000)]
        rate: u32,
        #[arg(long, default_value_t = 5)]
        seconds: u32,
    },
    /// The real server with customer chat WebSockets (clients in a child process): a
    /// customer's message until acknowledged and until it reaches the agent's WebSocket.
    Chat {
        #[arg(long, default_value_t = 10_000)]
        customers: u32,
        #[arg(long, default_value_t = 200)]
        agents: u32,
        /// Customer messages per second
        #[arg(long, default_value_t = 2000)]
        rate: u32,
        #[arg(long, default_value_t = 5)]
        seconds: u32,
    },
    /// The ticket center with `--tickets` generated tickets on SQLite or a fresh PostgreSQL
    /// database: API creates, tab lists, searches and an import through the real server.
    /// Prints one JSON line.
    Tickets {
        #[arg(long, default_value_t = 1_000_000)]
        tickets: u32,
        /// sqlite or postgres (a fresh database at SWITCHBOARD_TEST_PG's server)
        #[arg(long, default_value = "sqlite")]
        database: String,
        /// Tickets created through the API (8 at a time)
        #[arg(long, default_value_t = 2000)]
        creates: u32,
        /// Tab-list requests, and as many searches
        #[arg(long, default_value_t = 1000)]
        queries: u32,
        #[arg(long, default_value_t = 100_000)]
        import_rows: u32,
        /// Keep the data for inspection: SQLite in this directory instead of a temporary one;
        /// PostgreSQL's database is kept and its URL printed on stderr
        #[arg(long)]
        data: Option<std::path::PathBuf>,
    },
    /// The client half of `bench chat` (started by it).
    #[command(hide = true)]
    ChatClients {
        #[arg(long)]
        base: String,
        #[arg(long)]
        customers: u32,
        #[arg(long)]
        agents: u32,
        #[arg(long)]
        rate: u32,
        #[arg(long)]
        seconds: u32,
    },
}

pub async fn run(bench: Bench) -> anyhow::Result<()> {
    match bench {
        Bench::Chat {
            customers,
            agents,
            rate,
            seconds,
        } => {
            println!(
                "{}",
                crate::bench_chat::chat(
                    customers.max(1),
                    agents.max(1),
                    rate.max(1),
                    seconds.max(1)
                )
                .await?
            );
            Ok(())
        }
        Bench::ChatClients {
            base,
            customers,
            agents,
            rate,
            seconds,
        } => {
            println!(
                "{}",
                crate::bench_chat::clients(base, customers, agents, rate, seconds).await?
            );
            Ok(())
        }
        Bench::Tickets {
            tickets,
            database,
            creates,
            queries,
            import_rows,
            data,
        } => {
            let report = crate::bench_tickets::tickets(
                tickets.max(1),
                &database,
                creates.max(1),
                queries.max(1),
                import_rows.max(1),
                data,
            )
            .await?;
            println!("{report}");
            Ok(())
        }
        Bench::Offers {
            agents,
            rate,
            seconds,
        } => {
            println!(
                "{}",
                crate::bench_offers::offers(agents.max(1), rate.max(1), seconds.max(1)).await?
            );
            Ok(())
        }
        Bench::Routing {
            agents,
            queues,
            contacts,
            queues_per_agent,
        } => {
            let report = routing(
                agents.max(1),
                queues.max(1),
                contacts,
                queues_per_agent.max(1),
            )?;
            println!("{report}");
            Ok(())
        }
    }
}

/// A small deterministic generator, so every run sees the same traffic.
pub(crate) struct Lcg(pub(crate) u64);

impl Lcg {
    pub(crate) fn next(&mut self, bound: u32) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % u64::from(bound)) as u32
    }
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

/// Builds the tenant: agents bound to random queues, everyone signed in.
fn setup(
    engine: &mut Engine,
    agents: u32,
    queues: u32,
    per_agent: u32,
    rng: &mut Lcg,
    now: i64,
) -> anyhow::Result<()> {
    for a in 0..agents {
        let params = AgentParams::default();
        engine.handle(
            now,
            Command::UpsertAgent(AgentConfig {
                id: UserId(id(1, a)),
                chat_limit: ChatLimit::new(3)?,
                params,
            }),
        )?;
    }
    let mut members: Vec<Vec<(UserId, SkillLevel)>> = vec![Vec::new(); queues as usize];
    for a in 0..agents {
        for _ in 0..per_agent {
            let q = rng.next(queues) as usize;
            if !members[q].iter().any(|(u, _)| *u == UserId(id(1, a))) {
                members[q].push((
                    UserId(id(1, a)),
                    SkillLevel::new(i64::from(rng.next(10) + 1))?,
                ));
            }
        }
    }
    for (q, agents) in members.into_iter().enumerate() {
        let q = q as u32;
        engine.handle(
            now,
            Command::UpsertQueue(QueueConfig {
                id: SkillQueueId(id(2, q)),
                channel: CHANNELS[(q % 4) as usize],
                strategy: STRATEGIES[((q / 4) % 4) as usize],
                priority: QueuePriority::new(i64::from(rng.next(100)))?,
                max_queue_len: None,
                max_wait_s: None,
                overflow: None,
                agents,
            }),
        )?;
    }
    for a in 0..agents {
        // An agent bound to no queue cannot sign in; that is fine here.
        let _ = engine.handle(
            now,
            Command::SignIn {
                agent: UserId(id(1, a)),
                queues: None,
            },
        );
    }
    while engine.poll_event().is_some() {}
    Ok(())
}

fn routing(agents: u32, queues: u32, contacts: u32, per_agent: u32) -> anyhow::Result<String> {
    // Auto-answer and no wrap-up limit: the harness finishes each contact itself.
    let params = TenantParams {
        auto_answer: true,
        ..TenantParams::default()
    };
    let mut now: i64 = 1_800_000_000_000;
    let mut engine = Engine::new(params, now);
    let mut rng = Lcg(42);
    let started = Instant::now();
    setup(&mut engine, agents, queues, per_agent, &mut rng, now)?;
    let setup_s = started.elapsed().as_secs_f64();

    let mut latencies: Vec<u32> = Vec::with_capacity(contacts as usize * 2);
    let mut connected: Vec<(ContactId, UserId)> = Vec::new();
    let mut engine_ns: u128 = 0;
    let mut timed = |engine: &mut Engine,
                     now: i64,
                     cmd: Command,
                     latencies: &mut Vec<u32>|
     -> anyhow::Result<()> {
        let before = engine.decisions();
        let t = Instant::now();
        let result = engine.handle(now, cmd);
        let ns = t.elapsed().as_nanos();
        engine_ns += ns;
        if engine.decisions() > before {
            latencies.push(u32::try_from(ns).unwrap_or(u32::MAX));
        }
        result.map_err(anyhow::Error::from)
    };
    let loop_started = Instant::now();
    // Arrivals: agents fill up, then contacts wait in their queues (contact-side decisions).
    for n in 0..contacts {
        now += 1;
        let q = rng.next(queues);
        let contact = NewContact {
            id: ContactId(id(3, n)),
            channel: CHANNELS[(q % 4) as usize],
            direction: Direction::Inbound,
            queue: SkillQueueId(id(2, q)),
            priority: CustomerPriority::new(i64::from(rng.next(10)))?,
            customer: None,
            familiar_agent: None,
        };
        timed(
            &mut engine,
            now,
            Command::CreateContact(contact),
            &mut latencies,
        )?;
        collect(&mut engine, &mut connected);
    }
    // Service: agents finish contacts in random order and pull the most important waiting
    // contact from their queues (agent-side decisions), until nothing more can be served.
    while !connected.is_empty() {
        now += 1;
        let (c, a) = connected.swap_remove(rng.next(connected.len() as u32) as usize);
        timed(
            &mut engine,
            now,
            Command::Release {
                contact: c,
                agent: Some(a),
                by: ReleasedBy::Agent,
            },
            &mut latencies,
        )?;
        timed(
            &mut engine,
            now,
            Command::ContinueWorking {
                agent: a,
                contact: Some(c),
            },
            &mut latencies,
        )?;
        collect(&mut engine, &mut connected);
    }
    let loop_s = loop_started.elapsed().as_secs_f64();
    let decisions = engine.decisions();
    latencies.sort_unstable();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * p) as usize)
            .copied()
            .unwrap_or(0)
    };
    Ok(serde_json_line(&[
        ("bench", "\"routing\"".to_owned()),
        ("agents", agents.to_string()),
        ("queues", queues.to_string()),
        ("contacts", contacts.to_string()),
        ("queues_per_agent", per_agent.to_string()),
        ("decisions", decisions.to_string()),
        (
            "decisions_per_s",
            format!("{:.0}", decisions as f64 / loop_s),
        ),
        (
            "engine_decisions_per_s",
            format!("{:.0}", decisions as f64 / (engine_ns as f64 / 1e9)),
        ),
        ("p50_ns", pct(0.50).to_string()),
        ("p99_ns", pct(0.99).to_string()),
        ("max_ns", latencies.last().copied().unwrap_or(0).to_string()),
        ("setup_s", format!("{setup_s:.2}")),
        ("loop_s", format!("{loop_s:.2}")),
        ("unserved", engine.contact_count().to_string()),
        ("max_rss_kb", max_rss_kb().to_string()),
    ]))
}

/// Tracks connected contacts from the engine's events.
fn collect(engine: &mut Engine, connected: &mut Vec<(ContactId, UserId)>) {
    while let Some(event) = engine.poll_event() {
        if let Event::ContactConnected { contact, agent, .. } = event {
            connected.push((contact, agent));
        }
    }
}

fn serde_json_line(fields: &[(&str, String)]) -> String {
    let body: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
    format!("{{{}}}", body.join(","))
}

/// Peak resident memory of this process (Linux), in KiB.
pub fn max_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
