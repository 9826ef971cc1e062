//! `switchboard bench chat`: the real server with thousands of customer WebSockets. The
//! server runs in this process; the customers and agents run in a child process (each side
//! needs a file descriptor per socket). A customer's message is timed until it is
//! acknowledged (durably stored) and until it arrives on the agent's WebSocket.

use std::collections::HashMap;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use switchboard_engine::chat::EntryName;
use switchboard_engine::{Channel, ChatEntryId, TenantParams};
use switchboard_storage::{ChatEntry, Storage};

use crate::bench_support as support;
use tokio::io::AsyncBufReadExt;
use tokio_tungstenite::tungstenite::Message;

fn wall_us() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

async fn tenant(store: &dyn Storage, agents: u32) -> anyhow::Result<()> {
    let params = TenantParams {
        auto_answer: true,
        ..TenantParams::default()
    };
    let (t, agents) = support::tenant(store, params, agents, 50, false).await?;
    let queue = support::queue(store, t, "bench chat", Channel::Chat, &agents).await?;
    let entry = ChatEntry {
        id: ChatEntryId::new(),
        name: EntryName::parse("bench")?,
        title: "bench".into(),
        queue: queue.id,
        prechat_form: false,
        identity_secret: None,
    };
    store
        .create_chat_entry(t, &entry, switchboard_server::auth::now_ms())
        .await?;
    Ok(())
}

/// The server side: builds the tenant, serves it, runs the clients in a child process.
pub async fn chat(customers: u32, agents: u32, rate: u32, seconds: u32) -> anyhow::Result<String> {
    anyhow::ensure!(
        customers <= agents * 50,
        "{agents} agents hold at most {} chats",
        agents * 50
    );
    let dir = tempfile::tempdir()?;
    let store = switchboard_server::open_storage(dir.path(), None).await?;
    tenant(store.as_ref(), agents).await?;
    let state = switchboard_server::AppState::new(store);
    state.engines.start_all().await?;
    let base = format!("http://{}", support::serve(state).await?);
    let mut child = tokio::process::Command::new(std::env::current_exe()?)
        .args(["bench", "chat-clients", "--base", &base])
        .args([
            "--customers",
            &customers.to_string(),
            "--agents",
            &agents.to_string(),
        ])
        .args([
            "--rate",
            &rate.to_string(),
            "--seconds",
            &seconds.to_string(),
        ])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| anyhow::anyhow!("no child stdout"))?;
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let report = lines
        .next_line()
        .await?
        .ok_or_else(|| anyhow::anyhow!("the client process printed nothing"))?;
    child.wait().await?;
    let mut report: Value = serde_json::from_str(&report)?;
    report["server_max_rss_kb"] = json!(crate::bench::max_rss_kb());
    Ok(report.to_string())
}

type Times = Arc<Mutex<HashMap<String, u64>>>;

fn record(times: &Times, key: &str) {
    times
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(key.to_owned(), wall_us());
}

/// The client side: agents with sockets, customers with sockets, then timed traffic.
pub async fn clients(
    base: String,
    customers: u32,
    agents: u32,
    rate: u32,
    seconds: u32,
) -> anyhow::Result<String> {
    let ws_base = base.replace("http://", "ws://");
    let http = reqwest::Client::new();
    let delivered: Times = Arc::default();
    for n in 0..agents {
        let token = support::login(&http, &base, &format!("agent{n}")).await?;
        http.post(format!("{base}/api/v1/agent/sign-in"))
            .bearer_auth(&token)
            .send()
            .await?
            .error_for_status()?;
        let (mut socket, _) =
            tokio_tungstenite::connect_async(format!("{ws_base}/api/v1/ws?token={token}")).await?;
        let delivered = delivered.clone();
        tokio::spawn(async move {
            while let Some(Ok(Message::Text(text))) = socket.next().await {
                if text.contains("chat.message") {
                    if let Ok(v) = serde_json::from_str::<Value>(&text) {
                        if let Some(id) = v["message"]["client_id"].as_str() {
                            record(&delivered, id);
                        }
                    }
                }
            }
        });
    }
    let acked: Times = Arc::default();
    let mut senders = Vec::with_capacity(customers as usize);
    let connect_started = Instant::now();
    for n in 0..customers {
        let url = format!("{ws_base}/api/v1/chat/bench/bench/ws?visitor=bench-visitor-{n:010}");
        let (socket, _) = tokio_tungstenite::connect_async(url).await?;
        let (mut tx, mut rx) = socket.split();
        tx.send(Message::Text(json!({ "type": "start" }).to_string().into()))
            .await?;
        let acked = acked.clone();
        tokio::spawn(async move {
            while let Some(Ok(Message::Text(text))) = rx.next().await {
                if text.contains("\"ack\"") {
                    if let Ok(v) = serde_json::from_str::<Value>(&text) {
                        if let Some(id) = v["client_id"].as_str() {
                            record(&acked, id);
                        }
                    }
                }
            }
        });
        senders.push(Arc::new(tokio::sync::Mutex::new(tx)));
    }
    let connect_s = connect_started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(1)).await; // let every conversation connect to an agent
    let total = rate * seconds;
    let sent: Times = Arc::default();
    let mut tick = tokio::time::interval(Duration::from_secs(1) / rate);
    let started = Instant::now();
    for i in 0..total {
        tick.tick().await;
        let sender = senders[(i % customers) as usize].clone();
        let sent = sent.clone();
        tokio::spawn(async move {
            let id = format!("m{i}");
            let frame = json!({ "type": "message", "client_id": id, "text": "你好，这是一条压测消息 load test" }).to_string();
            record(&sent, &id);
            let _ = sender.lock().await.send(Message::Text(frame.into())).await;
        });
    }
    let send_s = started.elapsed().as_secs_f64();
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline
        && delivered.lock().unwrap_or_else(|p| p.into_inner()).len() < total as usize
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (sent, acked, delivered) = (lock(&sent), lock(&acked), lock(&delivered));
    let latency = |to: &HashMap<String, u64>| {
        let mut ms: Vec<f64> = sent
            .iter()
            .filter_map(|(k, t0)| to.get(k).map(|t1| t1.saturating_sub(*t0) as f64 / 1000.0))
            .collect();
        ms.sort_by(f64::total_cmp);
        let pct = |p: f64| support::percentile(&ms, p);
        (ms.len(), pct(0.5), pct(0.99))
    };
    let (acks, ack_p50, ack_p99) = latency(&acked);
    let (deliveries, p50, p99) = latency(&delivered);
    Ok(format!(
        "{{\"bench\":\"chat\",\"customers\":{customers},\"agents\":{agents},\"target_rate\":{rate},\"messages\":{total},\
         \"achieved_rate\":{:.0},\"connect_s\":{connect_s:.1},\"acked\":{acks},\"ack_p50_ms\":{ack_p50:.2},\"ack_p99_ms\":{ack_p99:.2},\
         \"delivered\":{deliveries},\"customer_to_agent_p50_ms\":{p50:.2},\"customer_to_agent_p99_ms\":{p99:.2},\"client_max_rss_kb\":{}}}",
        total as f64 / send_s,
        crate::bench::max_rss_kb()
    ))
}

fn lock(times: &Times) -> HashMap<String, u64> {
    times.lock().unwrap_or_else(|p| p.into_inner()).clone()
}
