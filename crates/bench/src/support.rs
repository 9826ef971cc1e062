//! What the benchmarks share: the wall clock, a deterministic generator, percentiles, peak
//! memory, JSON lines, and for the server benchmarks a tenant of agents on a queue, the real
//! app served on loopback, and logging in. Imports no benchmark module.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};
use switchboard_engine::{
    AgentParams, BuiltinRole, Channel, ChatLimit, LoginName, Password, PersonName, QueuePriority,
    RoutingStrategy, SkillLevel, SkillQueueName, TenantId, TenantName, TenantParams, TenantZone,
};
use switchboard_storage::{NewUser, QueueAgent, SkillQueue, SkillQueueSpec, Storage, User};

pub const PASSWORD: &str = "bench-password";

/// Milliseconds since the Unix epoch by the real clock: the time the benchmarks give storage.
/// (Benchmarks read the wall clock themselves rather than borrow the server's.)
pub fn now_ms() -> i64 {
    i64::try_from(since_epoch().as_millis()).unwrap_or(i64::MAX)
}

/// Microseconds since the Unix epoch by the real clock; comparable across processes.
pub fn wall_us() -> u64 {
    u64::try_from(since_epoch().as_micros()).unwrap_or(u64::MAX)
}

fn since_epoch() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// A small deterministic generator, so every run sees the same traffic.
pub struct Lcg(pub u64);

impl Lcg {
    /// The next number below `bound`.
    pub fn next(&mut self, bound: u32) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % u64::from(bound)) as u32
    }
}

/// The `p` quantile (0-1) of sorted samples.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted
        .get(((sorted.len() as f64 - 1.0) * p).round() as usize)
        .copied()
        .unwrap_or(f64::NAN)
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

/// One JSON object on one line from fields whose values are already JSON.
pub fn json_line(fields: &[(&str, String)]) -> String {
    let body: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
    format!("{{{}}}", body.join(","))
}

/// Tenant `bench` with these parameters, an `admin` when asked, and `agent0…` agents (one
/// password hash for all: hashing thousands of times would measure argon2).
pub async fn tenant(
    store: &dyn Storage,
    params: TenantParams,
    agents: u32,
    chat_limit: u32,
    with_admin: bool,
) -> anyhow::Result<(TenantId, Vec<User>)> {
    let now = now_ms();
    let t = store
        .create_tenant(&TenantName::parse("bench")?, "Bench", now)
        .await?;
    store
        .set_tenant_params(t.id, &params, &TenantZone::default())
        .await?;
    let roles = store.roles(t.id).await?;
    let role = |b: BuiltinRole| {
        roles
            .iter()
            .find(|r| r.builtin && r.name.as_str() == b.name())
            .map(|r| r.id)
    };
    let hash = switchboard_server::passwords::hash_password(&Password::parse(PASSWORD)?)?;
    let user = |login: String, r: BuiltinRole| -> anyhow::Result<NewUser> {
        Ok(NewUser {
            login: LoginName::parse(&login)?,
            real_name: PersonName::parse(&login)?,
            display_name: PersonName::parse(&login)?,
            chat_limit: ChatLimit::new(i64::from(chat_limit))?,
            role_ids: role(r).into_iter().collect(),
            password_hash: hash.clone(),
            must_change_password: false,
            agent_params: AgentParams::default(),
        })
    };
    let mut users = Vec::new();
    if with_admin {
        users.push(user("admin".into(), BuiltinRole::Admin)?);
    }
    for n in 0..agents {
        users.push(user(format!("agent{n}"), BuiltinRole::Agent)?);
    }
    let mut created = store.create_users(t.id, &users, now).await?;
    if with_admin {
        created.remove(0);
    }
    Ok((t.id, created))
}

/// A queue of `channel` with these agents bound at skill level 5.
pub async fn queue(
    store: &dyn Storage,
    tenant: TenantId,
    name: &str,
    channel: Channel,
    agents: &[User],
) -> anyhow::Result<SkillQueue> {
    let bound: Vec<QueueAgent> = agents
        .iter()
        .map(|u| {
            Ok(QueueAgent {
                user_id: u.id,
                skill_level: SkillLevel::new(5)?,
            })
        })
        .collect::<anyhow::Result<_>>()?;
    let spec = SkillQueueSpec {
        name: SkillQueueName::parse(name)?,
        channel,
        strategy: RoutingStrategy::LeastOccupied,
        priority: QueuePriority::new(50)?,
        max_queue_len: None,
        max_wait_s: None,
        overflow_queue: None,
        tags: vec![],
    };
    Ok(store.create_skill_queue(tenant, &spec, &bound).await?)
}

/// Serves the whole app on a loopback port; its address.
pub async fn serve(state: switchboard_server::AppState) -> anyhow::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?.to_string();
    let app = switchboard_server::api::app(state);
    // The product's accept loop, with room for a benchmark's thousands of clients, which all
    // come from this one address.
    let limits = switchboard_server::listen::Limits {
        connections: 1 << 20,
        per_source: 1 << 20,
        ..switchboard_server::listen::Limits::default()
    };
    tokio::spawn(switchboard_server::listen::serve(
        listener,
        app,
        limits,
        std::future::pending(),
    ));
    Ok(addr)
}

/// Logs `who` in to tenant `bench`; the session token.
pub async fn login(client: &reqwest::Client, base: &str, who: &str) -> anyhow::Result<String> {
    login_to(client, base, ("bench", who, PASSWORD)).await
}

/// Logs `(tenant, who, password)` in; the session token.
pub async fn login_to(
    client: &reqwest::Client,
    base: &str,
    (tenant, who, password): (&str, &str, &str),
) -> anyhow::Result<String> {
    let body = json!({ "tenant": tenant, "login": who, "password": password });
    let res: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .timeout(Duration::from_secs(30))
        .json(&body)
        .send()
        .await?
        .json()
        .await?;
    res["token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("login {who}: {res}"))
}
