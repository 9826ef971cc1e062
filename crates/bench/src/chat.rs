//! `switchboard-bench chat`: the real server with thousands of customer WebSockets. The
//! server runs in this process; the customers and agents run in a child process (each side
//! needs a file descriptor per socket), this same binary started as the hidden
//! `chat-clients` subcommand. A customer's message is timed until it is acknowledged
//! (durably stored) and until it arrives on the agent's WebSocket.

use std::collections::HashMap;
use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use switchboard_engine::chat::EntryName;
use switchboard_engine::{Channel, ChatEntryId, TenantParams};
use switchboard_storage::{ChatEntry, Storage};
use tokio::io::AsyncBufReadExt;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::support::{self, max_rss_kb, now_ms, percentile, wall_us};

// The flags of `chat` (its description is on the subcommand in main).
#[derive(clap::Args)]
pub struct Args {
    #[arg(long, default_value_t = 10_000)]
    customers: u32,
    #[arg(long, default_value_t = 200)]
    agents: u32,
    /// Customer messages per second
    #[arg(long, default_value_t = 2000)]
    rate: u32,
    #[arg(long, default_value_t = 5)]
    seconds: u32,
}

// The flags of `chat-clients`, which `chat` passes to its child process.
#[derive(clap::Args)]
pub struct ClientArgs {
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
}

/// When each message (by client id) was sent, acknowledged or delivered: wall-clock
/// microseconds.
type Times = Arc<Mutex<HashMap<String, u64>>>;

/// A client's WebSocket to the server.
type Socket = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

/// A customer's half of its chat WebSocket, for sending.
type Sender = Arc<tokio::sync::Mutex<SplitSink<Socket, Message>>>;

/// The server side: builds the tenant, serves it, runs the clients in a child process; the
/// clients' figures as one JSON line, plus this process's peak memory.
pub async fn run(args: Args) -> anyhow::Result<String> {
    let (customers, agents) = (args.customers.max(1), args.agents.max(1));
    let (rate, seconds) = (args.rate.max(1), args.seconds.max(1));
    anyhow::ensure!(
        customers <= agents * 50,
        "{agents} agents hold at most {} chats",
        agents * 50
    );
    let dir = tempfile::tempdir()?;
    let base = format!("http://{}", start(dir.path(), agents, customers).await?);
    let report = run_clients(&base, customers, agents, rate, seconds).await?;
    let mut report: Value = serde_json::from_str(&report)?;
    report["server_max_rss_kb"] = json!(max_rss_kb());
    Ok(report.to_string())
}

/// Serves a fresh embedded database in `dir` with the benchmark's tenant; the address.
async fn start(dir: &Path, agents: u32, customers: u32) -> anyhow::Result<String> {
    let store = switchboard_server::open_storage(dir, None).await?;
    tenant(store.as_ref(), agents).await?;
    let state = switchboard_server::AppState::with_options(store, lifted_limits(customers));
    state.engines.start_all().await?;
    support::serve(state).await
}

/// Every customer connects from this one machine, so the per-source and per-entry limits of
/// customer sockets are lifted to the run's size.
fn lifted_limits(customers: u32) -> switchboard_server::state::Options {
    use switchboard_server::chat::limits::{ChatLimits, Rate};
    let every = Rate {
        burst: customers,
        every_ms: 1,
    };
    let chat_limits = ChatLimits {
        sockets_per_source: customers,
        sockets_total: customers.max(ChatLimits::default().sockets_total),
        starts_per_source: every,
        starts_per_entry: every,
    };
    switchboard_server::state::Options {
        chat_limits,
        ..Default::default()
    }
}

/// Agents on one chat queue that answer automatically, and chat entry point `bench`.
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
    store.create_chat_entry(t, &entry, now_ms()).await?;
    Ok(())
}

/// Runs `chat-clients` in a child process of this binary; the line it prints.
async fn run_clients(
    base: &str,
    customers: u32,
    agents: u32,
    rate: u32,
    seconds: u32,
) -> anyhow::Result<String> {
    let mut child = tokio::process::Command::new(std::env::current_exe()?)
        .args(["chat-clients", "--base", base])
        .args(["--customers", &customers.to_string()])
        .args(["--agents", &agents.to_string()])
        .args(["--rate", &rate.to_string()])
        .args(["--seconds", &seconds.to_string()])
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
    Ok(report)
}

/// The client side: agents with sockets, customers with sockets, then timed traffic; the
/// figures as one JSON line.
pub async fn clients(args: ClientArgs) -> anyhow::Result<String> {
    let ClientArgs {
        base,
        customers,
        agents,
        rate,
        seconds,
    } = args;
    let ws_base = base.replace("http://", "ws://");
    let http = reqwest::Client::new();
    let delivered: Times = Arc::default();
    for n in 0..agents {
        agent(&http, &base, &ws_base, n, delivered.clone()).await?;
    }
    let acked: Times = Arc::default();
    let mut senders = Vec::with_capacity(customers as usize);
    let connect_started = Instant::now();
    for n in 0..customers {
        senders.push(customer(&ws_base, n, acked.clone()).await?);
    }
    let connect_s = connect_started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(1)).await; // let every conversation connect to an agent
    let total = rate * seconds;
    let sent: Times = Arc::default();
    let send_s = send(&senders, rate, total, &sent).await;
    wait_for(&delivered, total as usize).await;
    let (sent, acked, delivered) = (lock(&sent), lock(&acked), lock(&delivered));
    let (acks, ack_p50, ack_p99) = latency(&sent, &acked);
    let (deliveries, p50, p99) = latency(&sent, &delivered);
    Ok(format!(
        "{{\"bench\":\"chat\",\"customers\":{customers},\"agents\":{agents},\"target_rate\":{rate},\"messages\":{total},\
         \"achieved_rate\":{:.0},\"connect_s\":{connect_s:.1},\"acked\":{acks},\"ack_p50_ms\":{ack_p50:.2},\"ack_p99_ms\":{ack_p99:.2},\
         \"delivered\":{deliveries},\"customer_to_agent_p50_ms\":{p50:.2},\"customer_to_agent_p99_ms\":{p99:.2},\"client_max_rss_kb\":{}}}",
        total as f64 / send_s,
        max_rss_kb()
    ))
}

/// Signs agent `n` in and records when each customer message reaches its WebSocket.
async fn agent(
    http: &reqwest::Client,
    base: &str,
    ws_base: &str,
    n: u32,
    delivered: Times,
) -> anyhow::Result<()> {
    let token = support::login(http, base, &format!("agent{n}")).await?;
    http.post(format!("{base}/api/v1/agent/sign-in"))
        .bearer_auth(&token)
        .send()
        .await?
        .error_for_status()?;
    let (mut socket, _) =
        tokio_tungstenite::connect_async(format!("{ws_base}/api/v1/ws?token={token}")).await?;
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
    Ok(())
}

/// Opens customer `n`'s chat and records when each of its messages is acknowledged; the
/// socket's sending half.
async fn customer(ws_base: &str, n: u32, acked: Times) -> anyhow::Result<Sender> {
    let url = format!("{ws_base}/api/v1/chat/bench/bench/ws?visitor=bench-visitor-{n:010}");
    let (socket, _) = tokio_tungstenite::connect_async(url).await?;
    let (mut tx, mut rx) = socket.split();
    tx.send(Message::Text(json!({ "type": "start" }).to_string().into()))
        .await?;
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
    Ok(Arc::new(tokio::sync::Mutex::new(tx)))
}

/// Sends `total` messages at `rate` per second, round-robin over the customers, recording
/// when each was sent; the seconds it took.
async fn send(senders: &[Sender], rate: u32, total: u32, sent: &Times) -> f64 {
    let mut tick = tokio::time::interval(Duration::from_secs(1) / rate);
    let started = Instant::now();
    for i in 0..total {
        tick.tick().await;
        let sender = senders[i as usize % senders.len()].clone();
        let sent = sent.clone();
        tokio::spawn(async move {
            let id = format!("m{i}");
            let frame = json!({ "type": "message", "client_id": id, "text": "你好，这是一条压测消息 load test" }).to_string();
            record(&sent, &id);
            let _ = sender.lock().await.send(Message::Text(frame.into())).await;
        });
    }
    started.elapsed().as_secs_f64()
}

/// Waits up to fifteen seconds for `count` deliveries.
async fn wait_for(delivered: &Times, count: usize) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline && lock_mut(delivered).len() < count {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// How many sent messages reached `to`, and the p50 and p99 of how long they took (ms).
fn latency(sent: &HashMap<String, u64>, to: &HashMap<String, u64>) -> (usize, f64, f64) {
    let mut ms: Vec<f64> = sent
        .iter()
        .filter_map(|(k, t0)| to.get(k).map(|t1| t1.saturating_sub(*t0) as f64 / 1000.0))
        .collect();
    ms.sort_by(f64::total_cmp);
    (ms.len(), percentile(&ms, 0.5), percentile(&ms, 0.99))
}

fn record(times: &Times, key: &str) {
    lock_mut(times).insert(key.to_owned(), wall_us());
}

fn lock_mut(times: &Times) -> std::sync::MutexGuard<'_, HashMap<String, u64>> {
    times.lock().unwrap_or_else(|p| p.into_inner())
}

fn lock(times: &Times) -> HashMap<String, u64> {
    lock_mut(times).clone()
}
