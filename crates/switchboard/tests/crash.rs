//! Crash durability under load: tickets and chat messages written concurrently while the
//! server is killed with SIGKILL at random moments and restarted on the same database; every
//! acknowledged write must be back intact, and so must the agent's state and the queued
//! contact; the interval aggregates must equal a recount of the stored events by a fresh
//! tally (nothing counted twice or lost across the restarts' replays). `SWITCHBOARD_SOAK_KILLS` cycles (default 3; `make soak`: 100), on SQLite and on
//! PostgreSQL; `SWITCHBOARD_SOAK_SEED` replays the random pauses of a printed run.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod support;

use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use reqwest::Method;
use serde_json::{json, Value};
use support::{call, health, serve_demo_on, task_queue, token_of, Server};
use tokio_tungstenite::tungstenite::Message;

/// Writers of each kind running at once.
const WRITERS: usize = 2;
/// At most this many writes per writer and cycle (the kill normally ends them much sooner).
const MAX_WRITES: usize = 5_000;
/// Customer messages per cycle: under the flood limit, since every restart resets it.
const CUSTOMER_WRITES: usize = 5;

/// A small linear congruential generator: the pauses before each kill, replayable by seed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// A ticket answered 201: (id, number, title).
type Ticket = (String, String, String);
/// A message answered 201: (id, seq, client_id, text).
type Sent = (String, i64, String, String);

/// The demo tenant's aggregates, bucket by bucket, against a fresh tally fed every stored
/// event of the tenant and counted to where the server counted agents' time.
async fn figures_match_a_recount(store: &dyn switchboard_storage::Storage, context: &str) {
    use switchboard_engine::stats::{Figures, QueueMeasure, Tallied, Tally};
    use switchboard_storage::{Grain, Span};
    let name = switchboard_engine::TenantName::parse("demo").unwrap();
    let tenant = store.tenant_by_name(&name).await.unwrap().unwrap().id;
    let targets = store.queue_targets(tenant).await.unwrap();
    let mut tally = Tally::new();
    for t in &targets {
        tally.set_targets(
            t.queue,
            switchboard_server::engines::stats::tally_targets(t),
        );
    }
    let events = store.events_for_replay(tenant, 0, i64::MAX).await.unwrap();
    let mut queues: HashMap<(i64, String), Figures<QueueMeasure>> = HashMap::new();
    let mut states: HashMap<(i64, String, String, String), i64> = HashMap::new();
    let mut fold = |tally: &mut Tally| {
        for inc in tally.drain() {
            let bucket = inc.bucket();
            match inc.what {
                Tallied::Queue { queue, figures } => queues
                    .entry((bucket, queue.to_string()))
                    .or_default()
                    .merge(&figures),
                Tallied::State {
                    agent,
                    state,
                    reason,
                    ms,
                } => {
                    let reason = reason.map(|r| r.as_str().to_owned()).unwrap_or_default();
                    *states
                        .entry((bucket, agent.to_string(), state.code().into(), reason))
                        .or_default() += ms;
                }
                Tallied::Agent { .. } => {}
            }
        }
    };
    for e in &events {
        if let Some(event) = switchboard_server::engines::recall::event_of(&e.record) {
            tally.handle(&event);
            fold(&mut tally);
        }
    }
    if let Some(to) = store.stat_flushed_to(tenant).await.unwrap() {
        tally.handle_timeout(to);
        fold(&mut tally);
    }
    let stored: HashMap<(i64, String), _> = store
        .queue_figures(tenant, Grain::Bucket, Span::EachPeriod, 0, i64::MAX, &[])
        .await
        .unwrap()
        .into_iter()
        .map(|r| ((r.at, r.queue.to_string()), r.figures))
        .collect();
    queues.retain(|_, f| !f.is_zero());
    assert_eq!(
        stored, queues,
        "{context}: queue figures = a recount of the events"
    );
    let stored: HashMap<(i64, String, String, String), i64> = store
        .state_times(tenant, Grain::Bucket, Span::EachPeriod, 0, i64::MAX, &[])
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            let reason = r.reason.map(|x| x.as_str().to_owned()).unwrap_or_default();
            (
                (r.at, r.agent.to_string(), r.state.code().into(), reason),
                r.ms,
            )
        })
        .collect();
    states.retain(|_, ms| *ms != 0);
    assert_eq!(
        stored, states,
        "{context}: agents' time = a recount of the events"
    );
}

/// Starts a demo server and waits until it is the active one (on PostgreSQL the killed
/// server's lease may take a moment to go).
async fn up(db: &[&OsStr]) -> Server {
    let server = serve_demo_on(db);
    let deadline = Instant::now() + Duration::from_secs(20);
    while health(&server.base).await.0 != 200 {
        assert!(
            Instant::now() < deadline,
            "the restarted server became active within 20 s:\n{}",
            server.log.lock().unwrap()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

/// POSTs `body(n)` for n = 0, 1, … until stopped or the server is gone; returns each
/// acknowledged (201) body sent with its answer.
async fn post_until_killed(
    url: String,
    token: String,
    stop: Arc<AtomicBool>,
    body: impl Fn(usize) -> Value,
) -> Vec<(Value, Value)> {
    let client = client();
    let mut acked = Vec::new();
    for n in 0..MAX_WRITES {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let sent = body(n);
        let Ok(res) = client
            .post(&url)
            .bearer_auth(&token)
            .json(&sent)
            .send()
            .await
        else {
            break;
        };
        let status = res.status();
        // A body cut short by the kill is no acknowledgement.
        let Ok(answer) = res.json::<Value>().await else {
            break;
        };
        assert_eq!(status, 201, "{url}: {answer}");
        acked.push((sent, answer));
    }
    acked
}

/// Creates tickets titled after `tag` until the kill; returns the acknowledged ones.
async fn write_tickets(
    base: String,
    token: String,
    type_id: Value,
    tag: String,
    stop: Arc<AtomicBool>,
) -> Vec<Ticket> {
    let url = format!("{base}/api/v1/tickets");
    let body = |n| json!({ "type_id": type_id, "fields": { "title": format!("崩溃 {tag}-{n}") } });
    let acked = post_until_killed(url, token, stop, body).await;
    acked
        .into_iter()
        .map(|(sent, answer)| {
            let text = |v: &Value| v.as_str().unwrap().to_owned();
            (
                text(&answer["id"]),
                text(&answer["number"]),
                text(&sent["fields"]["title"]),
            )
        })
        .collect()
}

/// Sends agent messages with client_ids after `tag` until the kill; returns the acknowledged.
async fn write_messages(
    base: String,
    token: String,
    conversation: String,
    tag: String,
    stop: Arc<AtomicBool>,
) -> Vec<Sent> {
    let url = format!("{base}/api/v1/contacts/{conversation}/messages");
    let body = |n| json!({ "client_id": format!("{tag}-{n}"), "text": format!("消息 {tag}-{n}") });
    let acked = post_until_killed(url, token, stop, body).await;
    acked
        .into_iter()
        .map(|(sent, answer)| sent_message(&sent, &answer))
        .collect()
}

/// What was sent (`client_id`, `text`) and acknowledged (`id`, `seq`).
fn sent_message(sent: &Value, answer: &Value) -> Sent {
    let text = |v: &Value| v.as_str().unwrap().to_owned();
    (
        text(&answer["id"]),
        answer["seq"].as_i64().unwrap(),
        text(&sent["client_id"]),
        text(&sent["text"]),
    )
}

/// Every ticket agent1 created, by id: (number, title).
async fn created_tickets(base: &str, token: &str) -> HashMap<String, (String, String)> {
    let mut found = HashMap::new();
    let mut cursor: Option<String> = None;
    for _ in 0..10_000 {
        let mut path = "/api/v1/tickets?tab=created&limit=200".to_owned();
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page = call(base, token, Method::GET, &path, None).await;
        for row in page["items"].as_array().unwrap() {
            let number = row["number"].as_str().unwrap().to_owned();
            let title = row["title"].as_str().unwrap().to_owned();
            let id = row["id"].as_str().unwrap().to_owned();
            assert!(
                found.insert(id.clone(), (number, title)).is_none(),
                "ticket {id} listed twice"
            );
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return found,
        }
    }
    panic!("the ticket list never ended");
}

/// Every message of the conversation, oldest first, read page by page (a page holds at most
/// 1000).
async fn all_messages(base: &str, agent: &str, conversation: &str) -> Vec<Value> {
    let mut all: Vec<Value> = Vec::new();
    for _ in 0..10_000 {
        let after = all.last().map_or(0, |m| m["seq"].as_i64().unwrap());
        let path = format!("/api/v1/contacts/{conversation}/messages?after={after}");
        let page = call(base, agent, Method::GET, &path, None).await;
        let page = page.as_array().unwrap();
        if page.is_empty() {
            return all;
        }
        all.extend(page.iter().cloned());
    }
    panic!("the message list never ended");
}

/// How many of what `--demo` seeds: (users, queues, ticket types).
async fn demo_counts(base: &str, admin: &str) -> (usize, usize, usize) {
    let count = |v: Value| v.as_array().unwrap().len();
    (
        count(call(base, admin, Method::GET, "/api/v1/users", None).await),
        count(call(base, admin, Method::GET, "/api/v1/queues", None).await),
        count(call(base, admin, Method::GET, "/api/v1/ticket-types", None).await),
    )
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The customer's socket; `query` adds to the visitor (`&conversation=…&after=…`).
async fn customer(base: &str, query: &str) -> Option<Socket> {
    let url = format!(
        "{}/api/v1/chat/demo/web/ws?visitor=crash-visitor-0123456789{query}",
        base.replace("http", "ws")
    );
    Some(tokio_tungstenite::connect_async(url).await.ok()?.0)
}

/// The next frame of this type, skipping others; `None` once the socket is gone.
async fn next_of(socket: &mut Socket, kind: &str) -> Option<Value> {
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(5), socket.next())
            .await
            .ok()??
            .ok()?;
        if let Message::Text(t) = frame {
            let v: Value = serde_json::from_str(&t).unwrap();
            assert_ne!(v["type"], "error", "{v}");
            if v["type"] == kind {
                return Some(v);
            }
        }
    }
}

/// Sends a customer message (`{client_id, text}`); its `ack`, or `None` when the server went
/// away first.
async fn say(socket: &mut Socket, message: &Value) -> Option<Value> {
    let mut frame = message.clone();
    frame["type"] = json!("message");
    socket
        .send(Message::Text(frame.to_string().into()))
        .await
        .ok()?;
    let ack = next_of(socket, "ack").await?;
    assert_eq!(ack["client_id"], message["client_id"]);
    Some(ack)
}

/// Resumes the conversation as its customer, skipping the history.
async fn resume(base: &str, conversation: &str) -> Option<Socket> {
    let mut socket = customer(base, &format!("&conversation={conversation}&after=1000000")).await?;
    next_of(&mut socket, "welcome").await?;
    Some(socket)
}

/// Sends customer messages (a few: 10 per 10 s is the flood limit) until stopped or the
/// server is gone; returns the acknowledged ones.
async fn write_customer(
    base: String,
    conversation: String,
    tag: String,
    stop: Arc<AtomicBool>,
) -> Vec<Sent> {
    let mut acked = Vec::new();
    let Some(mut socket) = resume(&base, &conversation).await else {
        return acked;
    };
    for n in 0..CUSTOMER_WRITES {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let sent = json!({ "client_id": format!("c{tag}-{n}"), "text": format!("顾客 {tag}-{n}") });
        let Some(ack) = say(&mut socket, &sent).await else {
            break;
        };
        acked.push(sent_message(&sent, &ack));
    }
    acked
}

/// Starts a chat as a customer and has agent1 answer it; returns the conversation's id.
async fn answered_chat(base: &str, agent: &str) -> String {
    let mut socket = customer(base, "").await.unwrap();
    let start = json!({ "type": "start", "question": "在吗" });
    socket
        .send(Message::Text(start.to_string().into()))
        .await
        .unwrap();
    let conversation = next_of(&mut socket, "conversation").await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The offer follows the start; answer once it is there.
    let url = format!("{base}/api/v1/contacts/{conversation}/answer");
    let deadline = Instant::now() + Duration::from_secs(5);
    while !client()
        .post(&url)
        .bearer_auth(agent)
        .send()
        .await
        .unwrap()
        .status()
        .is_success()
    {
        assert!(Instant::now() < deadline, "agent1 was offered the chat");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    conversation
}

async fn soak(db: &[&OsStr], name: &str, store: &dyn switchboard_storage::Storage) {
    let kills: usize = std::env::var("SWITCHBOARD_SOAK_KILLS").ok().map_or(3, |k| {
        k.parse().expect("SWITCHBOARD_SOAK_KILLS is a number")
    });
    let seed: u64 = std::env::var("SWITCHBOARD_SOAK_SEED").map_or_else(
        |_| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        },
        |s| s.parse().expect("SWITCHBOARD_SOAK_SEED is a number"),
    );
    println!("crash soak on {name}: {kills} kills, SWITCHBOARD_SOAK_SEED={seed}");
    let mut rng = Lcg(seed);
    let began = Instant::now();

    let mut server = up(db).await;
    let base = server.base.clone();
    // Sessions are stored, so these tokens must keep working across every restart.
    let (admin, agent) = (
        token_of(&base, "admin").await,
        token_of(&base, "agent1").await,
    );
    let seeded = demo_counts(&base, &admin).await;
    let tasks = task_queue(&base, &admin).await;
    // Nobody is bound to the task queue, so the contact put there waits through every kill.
    call(
        &base,
        &admin,
        Method::PUT,
        &format!("/api/v1/queues/{tasks}/agents"),
        Some(json!([])),
    )
    .await;
    call(
        &base,
        &agent,
        Method::POST,
        "/api/v1/agent/sign-in",
        Some(json!({})),
    )
    .await;
    let idle = call(
        &base,
        &agent,
        Method::POST,
        "/api/v1/agent/state",
        Some(json!({ "state": "idle" })),
    )
    .await;
    assert_eq!(idle["state"], "idle", "{idle}");
    let conversation = answered_chat(&base, &agent).await;
    let waiting = call(
        &base,
        &admin,
        Method::POST,
        "/api/v1/contacts",
        Some(json!({ "queue_id": tasks, "title": "等待中 stays queued" })),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let type_id =
        call(&base, &admin, Method::GET, "/api/v1/ticket-types", None).await[0]["id"].clone();

    let mut tickets: Vec<Ticket> = Vec::new();
    let mut agent_sent: Vec<Sent> = Vec::new();
    let mut customer_sent: Vec<Sent> = Vec::new();
    for cycle in 0..kills {
        let stop = Arc::new(AtomicBool::new(false));
        let ticket_writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                tokio::spawn(write_tickets(
                    server.base.clone(),
                    agent.clone(),
                    type_id.clone(),
                    format!("{cycle}.{w}"),
                    stop.clone(),
                ))
            })
            .collect();
        let message_writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                tokio::spawn(write_messages(
                    server.base.clone(),
                    agent.clone(),
                    conversation.clone(),
                    format!("{cycle}.{w}"),
                    stop.clone(),
                ))
            })
            .collect();
        let customer_writer = tokio::spawn(write_customer(
            server.base.clone(),
            conversation.clone(),
            cycle.to_string(),
            stop.clone(),
        ));
        tokio::time::sleep(Duration::from_millis(100 + rng.below(601))).await;
        drop(server); // SIGKILL, mid-load.
        stop.store(true, Ordering::Relaxed);
        for w in ticket_writers {
            tickets.extend(w.await.unwrap());
        }
        for w in message_writers {
            agent_sent.extend(w.await.unwrap());
        }
        customer_sent.extend(customer_writer.await.unwrap());

        server = up(db).await;
        let base = server.base.clone();
        let context = format!("{name}, cycle {cycle}, SWITCHBOARD_SOAK_SEED={seed}");

        let stored = created_tickets(&base, &agent).await;
        let mut numbers = HashSet::new();
        for (number, _) in stored.values() {
            assert!(numbers.insert(number), "{context}: number {number} twice");
        }
        for (id, number, title) in &tickets {
            assert_eq!(
                stored.get(id),
                Some(&(number.clone(), title.clone())),
                "{context}: acknowledged ticket {id} intact"
            );
        }

        let history = all_messages(&base, &agent, &conversation).await;
        let history = &history;
        let seqs: Vec<i64> = history.iter().map(|m| m["seq"].as_i64().unwrap()).collect();
        assert!(
            seqs.windows(2).all(|w| w[0] < w[1]),
            "{context}: seqs strictly increasing: {seqs:?}"
        );
        // A client_id is the sender's: one stored message per sender and client_id.
        let mut by_client_id: HashMap<(&str, &str), &Value> = HashMap::new();
        for m in history {
            if let (Some(s), Some(c)) = (m["sender"].as_str(), m["client_id"].as_str()) {
                assert!(
                    by_client_id.insert((s, c), m).is_none(),
                    "{context}: {s} client_id {c} stored twice"
                );
            }
        }
        let sent = (agent_sent.iter().map(|m| ("agent", m)))
            .chain(customer_sent.iter().map(|m| ("customer", m)));
        for (sender, (id, seq, client_id, text)) in sent {
            let m = by_client_id
                .get(&(sender, client_id.as_str()))
                .unwrap_or_else(|| panic!("{context}: acknowledged message {client_id} lost"));
            assert_eq!(
                (m["id"].as_str(), m["seq"].as_i64(), m["body"].as_str()),
                (Some(id.as_str()), Some(*seq), Some(text.as_str())),
                "{context}: acknowledged message {client_id} intact"
            );
        }
        if let Some((id, seq, client_id, text)) = agent_sent.last() {
            let again = call(
                &base,
                &agent,
                Method::POST,
                &format!("/api/v1/contacts/{conversation}/messages"),
                Some(json!({ "client_id": client_id, "text": text })),
            )
            .await;
            assert_eq!(
                (again["id"].as_str(), again["seq"].as_i64()),
                (Some(id.as_str()), Some(*seq)),
                "{context}: a resent message returns the stored copy"
            );
        }

        if let Some((id, seq, client_id, text)) = customer_sent.last() {
            let mut socket = resume(&base, &conversation).await.unwrap();
            let resent = json!({ "client_id": client_id, "text": text });
            let ack = say(&mut socket, &resent).await.unwrap();
            assert_eq!(
                (ack["id"].as_str(), ack["seq"].as_i64()),
                (Some(id.as_str()), Some(*seq)),
                "{context}: the customer's resent message returns the stored copy"
            );
        }

        let me = call(&base, &agent, Method::GET, "/api/v1/agent", None).await;
        assert_eq!(me["state"], "talking", "{context}: {me}");
        assert!(
            me["contacts"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["id"] == conversation.as_str() && c["state"] == "connected"),
            "{context}: agent1 still holds the chat: {me}"
        );
        let contact = call(
            &base,
            &admin,
            Method::GET,
            &format!("/api/v1/contacts/{waiting}"),
            None,
        )
        .await;
        assert_eq!(contact["state"], "queued", "{context}: {contact}");
        let live = call(&base, &admin, Method::GET, "/api/v1/supervisor/live", None).await;
        let queue = live["queues"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["id"] == tasks.as_str())
            .unwrap()
            .clone();
        assert_eq!(queue["waiting"], 1, "{context}: {queue}");
        assert_eq!(
            demo_counts(&base, &admin).await,
            seeded,
            "{context}: --demo seeded nothing twice"
        );
        figures_match_a_recount(store, &context).await;
    }
    drop(server);
    println!(
        "crash soak on {name}: {kills} kills; {} acknowledged tickets and {} acknowledged \
         messages ({} from the customer) all present and intact after every \
         restart; {:.1} s",
        tickets.len(),
        agent_sent.len() + customer_sent.len(),
        customer_sent.len(),
        began.elapsed().as_secs_f64()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_random_kills_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store = switchboard_server::open_storage(dir.path(), None)
        .await
        .unwrap();
    let db = ["--data".as_ref(), dir.path().as_os_str()];
    soak(&db, "SQLite", store.as_ref()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_random_kills_on_postgres() {
    let Some(db) = switchboard_storage::testing::PgTestDb::create().await else {
        return;
    };
    let store = switchboard_server::open_storage(std::path::Path::new("."), Some(&db.url))
        .await
        .unwrap();
    let args = ["--database-url".as_ref(), db.url.as_ref()];
    soak(&args, "PostgreSQL", store.as_ref()).await;
}
