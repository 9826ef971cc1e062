//! `switchboard-bench offers`: a contact created through the API until its offer arrives on
//! the agent's WebSocket, through the real server (HTTP, engine actor, storage, WebSocket)
//! on loopback, at a fixed arrival rate.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::{json, Value};
use switchboard_engine::{Channel, OfferTimeout, TaskLimit, TenantParams};
use switchboard_storage::Storage;

use crate::support::{self, login, max_rss_kb, percentile};

// The flags of `offers` (its description is on the subcommand in main).
#[derive(clap::Args)]
pub struct Args {
    #[arg(long, default_value_t = 100)]
    agents: u32,
    /// Contacts created per second
    #[arg(long, default_value_t = 1000)]
    rate: u32,
    #[arg(long, default_value_t = 5)]
    seconds: u32,
}

/// When each contact (by id) was sent, or its offer received.
type Times = Arc<Mutex<HashMap<String, Instant>>>;

/// Runs the benchmark; its figures as one JSON line.
pub async fn run(args: Args) -> anyhow::Result<String> {
    let (agents, rate, seconds) = (args.agents.max(1), args.rate.max(1), args.seconds.max(1));
    let total = rate * seconds;
    let capacity = total.div_ceil(agents).clamp(1, 50);
    anyhow::ensure!(
        capacity * agents >= total,
        "{agents} agents cannot hold {total} tasks (50 each at most)"
    );
    let dir = tempfile::tempdir()?;
    let addr = start(dir.path(), agents, capacity).await?;
    let base = format!("http://{addr}");
    let client = reqwest::Client::new();
    let admin = login(&client, &base, "admin").await?;
    let queues: Value = client
        .get(format!("{base}/api/v1/queues"))
        .bearer_auth(&admin)
        .send()
        .await?
        .json()
        .await?;
    let received: Times = Arc::default();
    for n in 0..agents {
        agent(&client, &base, &addr, n, received.clone()).await?;
    }
    let sent: Times = Arc::default();
    let started = Instant::now();
    let failed = create(&client, &base, &admin, &queues[0]["id"], rate, total, &sent).await;
    let send_s = started.elapsed().as_secs_f64();
    wait_for(&received, total as usize - failed).await;
    let latencies = latencies(&lock(&sent), &lock(&received));
    let pct = |p: f64| percentile(&latencies, p);
    Ok(format!(
        "{{\"bench\":\"offers\",\"agents\":{agents},\"target_rate\":{rate},\"contacts\":{total},\"achieved_rate\":{:.0},\
         \"failed\":{failed},\"offers_received\":{},\"p50_ms\":{:.2},\"p99_ms\":{:.2},\"max_ms\":{:.2},\"max_rss_kb\":{}}}",
        total as f64 / send_s,
        latencies.len(),
        pct(0.50),
        pct(0.99),
        latencies.last().copied().unwrap_or(f64::NAN),
        max_rss_kb()
    ))
}

/// Serves a fresh embedded database in `dir` with the benchmark's tenant; the address.
async fn start(dir: &Path, agents: u32, capacity: u32) -> anyhow::Result<String> {
    let store = switchboard_server::open_storage(dir, None).await?;
    tenant(store.as_ref(), agents, capacity).await?;
    let state = switchboard_server::AppState::new(store);
    state.engines.start_all().await?;
    support::serve(state).await
}

/// A tenant with an admin and `agents` agents on one task queue that can hold every contact.
async fn tenant(store: &dyn Storage, agents: u32, capacity: u32) -> anyhow::Result<()> {
    let params = TenantParams {
        task_limit: TaskLimit::new(i64::from(capacity))?,
        offer_timeout: OfferTimeout::new(300)?,
        ..TenantParams::default()
    };
    let (t, agents) = support::tenant(store, params, agents, 1, true).await?;
    support::queue(store, t, "bench tasks", Channel::Task, &agents).await?;
    Ok(())
}

/// Signs an agent in and records the arrival time of every offer on its WebSocket.
async fn agent(
    client: &reqwest::Client,
    base: &str,
    addr: &str,
    n: u32,
    received: Times,
) -> anyhow::Result<()> {
    let token = login(client, base, &format!("agent{n}")).await?;
    let (mut socket, _) =
        tokio_tungstenite::connect_async(format!("ws://{addr}/api/v1/ws?token={token}")).await?;
    client
        .post(format!("{base}/api/v1/agent/sign-in"))
        .bearer_auth(&token)
        .send()
        .await?
        .error_for_status()?;
    tokio::spawn(async move {
        while let Some(Ok(msg)) = socket.next().await {
            let Ok(text) = msg.to_text() else { continue };
            if !text.contains("contact.offered") {
                continue;
            }
            if let Ok(v) = serde_json::from_str::<Value>(text) {
                if let Some(id) = v["contact_id"].as_str() {
                    record(&received, id);
                }
            }
        }
    });
    Ok(())
}

/// Creates `total` task contacts in `queue` at `rate` per second, recording when each was
/// sent; how many requests failed.
async fn create(
    client: &reqwest::Client,
    base: &str,
    admin: &str,
    queue: &Value,
    rate: u32,
    total: u32,
    sent: &Times,
) -> usize {
    let mut tick = tokio::time::interval(Duration::from_secs(1) / rate);
    let mut requests = Vec::with_capacity(total as usize);
    for n in 0..total {
        tick.tick().await;
        let (client, url, admin, sent) = (
            client.clone(),
            format!("{base}/api/v1/contacts"),
            admin.to_owned(),
            sent.clone(),
        );
        let body = json!({ "queue_id": queue, "title": format!("bench task {n}") });
        requests.push(tokio::spawn(async move {
            let t0 = Instant::now();
            let res = client
                .post(url)
                .bearer_auth(&admin)
                .json(&body)
                .send()
                .await
                .ok()?;
            let v: Value = res.json().await.ok()?;
            let id = v["id"].as_str()?.to_owned();
            lock_mut(&sent).insert(id, t0);
            Some(())
        }));
    }
    let mut failed = 0;
    for r in requests {
        if !matches!(r.await, Ok(Some(()))) {
            failed += 1;
        }
    }
    failed
}

/// Waits up to ten seconds for `count` offers.
async fn wait_for(received: &Times, count: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while lock_mut(received).len() < count && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Sorted milliseconds from sending each contact to receiving its offer.
fn latencies(sent: &HashMap<String, Instant>, received: &HashMap<String, Instant>) -> Vec<f64> {
    let mut ms: Vec<f64> = sent
        .iter()
        .filter_map(|(id, t0)| {
            received
                .get(id)
                .map(|t1| t1.saturating_duration_since(*t0).as_secs_f64() * 1000.0)
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    ms
}

fn record(times: &Times, id: &str) {
    lock_mut(times).insert(id.to_owned(), Instant::now());
}

fn lock_mut(times: &Times) -> std::sync::MutexGuard<'_, HashMap<String, Instant>> {
    times.lock().unwrap_or_else(|p| p.into_inner())
}

fn lock(times: &Times) -> HashMap<String, Instant> {
    lock_mut(times).clone()
}
