//! `switchboard bench offers`: a contact created through the API until its offer arrives on
//! the agent's WebSocket, through the real server (HTTP, engine actor, storage, WebSocket)
//! on loopback, at a fixed arrival rate.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::{json, Value};
use switchboard_engine::{Channel, OfferTimeout, TaskLimit, TenantParams};
use switchboard_storage::Storage;

use crate::bench_support::{self as support, login};

type Times = Arc<Mutex<HashMap<String, Instant>>>;

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
    client: reqwest::Client,
    base: String,
    addr: String,
    n: u32,
    received: Times,
) -> anyhow::Result<()> {
    let token = login(&client, &base, &format!("agent{n}")).await?;
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
                    received
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .insert(id.to_owned(), Instant::now());
                }
            }
        }
    });
    Ok(())
}

pub async fn offers(agents: u32, rate: u32, seconds: u32) -> anyhow::Result<String> {
    let total = rate * seconds;
    let capacity = total.div_ceil(agents).clamp(1, 50);
    anyhow::ensure!(
        capacity * agents >= total,
        "{agents} agents cannot hold {total} tasks (50 each at most)"
    );
    let dir = tempfile::tempdir()?;
    let store = switchboard_server::open_storage(dir.path(), None).await?;
    tenant(store.as_ref(), agents, capacity).await?;
    let state = switchboard_server::AppState::new(store);
    state.engines.start_all().await?;
    let addr = support::serve(state).await?;
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
    let queue = queues[0]["id"].clone();
    let received: Times = Arc::default();
    for n in 0..agents {
        agent(
            client.clone(),
            base.clone(),
            addr.clone(),
            n,
            received.clone(),
        )
        .await?;
    }

    let sent: Times = Arc::default();
    let started = Instant::now();
    let mut tick = tokio::time::interval(Duration::from_secs(1) / rate);
    let mut requests = Vec::with_capacity(total as usize);
    for n in 0..total {
        tick.tick().await;
        let (client, base, admin, sent) =
            (client.clone(), base.clone(), admin.clone(), sent.clone());
        let body = json!({ "queue_id": queue, "title": format!("bench task {n}") });
        requests.push(tokio::spawn(async move {
            let t0 = Instant::now();
            let res = client
                .post(format!("{base}/api/v1/contacts"))
                .bearer_auth(&admin)
                .json(&body)
                .send()
                .await
                .ok()?;
            let v: Value = res.json().await.ok()?;
            sent.lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(v["id"].as_str()?.to_owned(), t0);
            Some(())
        }));
    }
    let mut failed = 0;
    for r in requests {
        if !matches!(r.await, Ok(Some(()))) {
            failed += 1;
        }
    }
    let send_s = started.elapsed().as_secs_f64();
    let deadline = Instant::now() + Duration::from_secs(10);
    while received.lock().unwrap_or_else(|p| p.into_inner()).len() < total as usize - failed
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (sent, received) = (
        sent.lock().unwrap_or_else(|p| p.into_inner()).clone(),
        received.lock().unwrap_or_else(|p| p.into_inner()).clone(),
    );
    let mut latencies: Vec<f64> = sent
        .iter()
        .filter_map(|(id, t0)| {
            received
                .get(id)
                .map(|t1| t1.saturating_duration_since(*t0).as_secs_f64() * 1000.0)
        })
        .collect();
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| support::percentile(&latencies, p);
    Ok(format!(
        "{{\"bench\":\"offers\",\"agents\":{agents},\"target_rate\":{rate},\"contacts\":{total},\"achieved_rate\":{:.0},\
         \"failed\":{failed},\"offers_received\":{},\"p50_ms\":{:.2},\"p99_ms\":{:.2},\"max_ms\":{:.2},\"max_rss_kb\":{}}}",
        total as f64 / send_s,
        latencies.len(),
        pct(0.50),
        pct(0.99),
        latencies.last().copied().unwrap_or(f64::NAN),
        crate::bench::max_rss_kb()
    ))
}
