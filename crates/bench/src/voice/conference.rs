//! `switchboard-bench voice-conference`: call control under load. K customers (the bench's
//! SIP caller) call the after-sales queue and are answered by K first-line agents. Each
//! call is then transferred to one of K other agents at `--rate` a second: the time from
//! the transfer request leaving the bench until the new agent's phone has the INVITE. Then
//! each new agent consults the first-line agent back and joins all three: K three-party
//! conferences with 20 ms PCMU from every party for `--seconds`, the server's CPU per
//! conference-minute over the middle of the run (recordings on), and what each party got.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};

use super::peers::{Server, DEMO_PASSWORD, RELAY_PORTS};
use super::queue::{agent, queue_of, quick_wrap_up, sign_in};
use super::rtp::{self, End};
use super::sipua::{Caller, Phone};
use super::{load_average, peers, spread, Programs};
use crate::support::json_line;

// The flags of `voice-conference` (its description is on the subcommand in main).
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    programs: Programs,
    /// Calls transferred, then made three-party conferences
    #[arg(long, default_value_t = 50)]
    conferences: u32,
    /// Transfers requested per second
    #[arg(long, default_value_t = 50)]
    rate: u32,
    /// Seconds the conferences stream (CPU is read over all but the first and last 2 s)
    #[arg(long, default_value_t = 20)]
    seconds: u32,
}

const QUEUE_HOTLINE: &str = "4001";
const MARGIN: Duration = Duration::from_secs(2);

/// One side of the run: an agent, their token and their phone.
struct Agent {
    id: String,
    token: String,
    phone: Phone,
}

pub async fn run(args: Args) -> anyhow::Result<String> {
    let k = args.conferences.max(1);
    let seconds = args.seconds.max(5);
    let rtp_ports = peers::free_ports(16_000, RELAY_PORTS)?;
    let server = Server::start(
        &args.programs.server()?,
        (rtp_ports, rtp_ports + 15_999),
        true,
    )
    .await?;
    quick_wrap_up(&server).await?;
    let first_queue = queue_of(&server, QUEUE_HOTLINE).await?;
    let second_queue = other_voice_queue(&server, &first_queue).await?;
    let first = agents(&server, "first", 3_000, k, &first_queue).await?;
    let second = agents(&server, "second", 6_000, k, &second_queue).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;

    let caller = Caller::new(server.sip).await?;
    let mut customers = Vec::new();
    for n in 0..k {
        let socket = std::sync::Arc::new(tokio::net::UdpSocket::bind("127.0.0.1:0").await?);
        customers.push(caller.call(QUEUE_HOTLINE, n, socket).await?);
    }
    let mut contacts = Vec::new();
    for a in &first {
        contacts.push(connected_contact(&server, &a.token).await?);
    }
    for a in &first {
        a.phone.take_rang();
    }

    let load = load_average();
    let (latencies, transfer_failures, mut second_ends) =
        transfers(&server, &first, &second, &contacts, args.rate).await?;
    for a in &second {
        connected_contact(&server, &a.token).await?;
    }
    let (mut ends, setup_failures) =
        conferences(&server, &first, &second, &contacts, &mut second_ends).await?;
    for c in &customers {
        ends.push(End {
            socket: c.end.socket.clone(),
            relay: c.end.relay,
        });
    }
    // The phones' sockets still hold packets of their earlier calls (their first customer):
    // they would read as another stream.
    let mut stale = [0u8; 2_048];
    for end in &ends {
        while end.socket.try_recv(&mut stale).is_ok() {}
    }
    let before = Instant::now();
    let streaming = tokio::spawn(rtp::stream(
        ends,
        Duration::from_secs(u64::from(seconds)),
        Duration::from_millis(500),
    ));
    tokio::time::sleep(MARGIN).await;
    let cpu_start = server.cpu()?;
    let window = Duration::from_secs(u64::from(seconds)) - 2 * MARGIN;
    tokio::time::sleep(window).await;
    let cpu = server.cpu()?.saturating_sub(cpu_start);
    let received = streaming.await?;
    let streamed = before.elapsed();
    for c in &customers {
        let _ = caller.hang_up(c).await;
    }

    let mut loss: Vec<f64> = received.iter().map(|r| r.loss_percent()).collect();
    loss.sort_by(f64::total_cmp);
    let broken = received.iter().filter(|r| r.loss_percent() > 5.0).count();
    let minutes = window.as_secs_f64() / 60.0;
    let cpu_per_minute = cpu.as_secs_f64() * 1_000.0 / (f64::from(k) * minutes);
    Ok(json_line(&[
        ("bench", "\"voice-conference\"".into()),
        ("conferences", k.to_string()),
        ("transfer_rate", args.rate.to_string()),
        ("transfers_failed", transfer_failures.to_string()),
        ("transfer_to_ring_ms", spread(&latencies)),
        ("conferences_not_set_up", setup_failures.to_string()),
        ("parties_over_5pct_loss", broken.to_string()),
        ("party_loss_percent", spread(&loss)),
        (
            "cpu_ms_per_conference_minute",
            format!("{cpu_per_minute:.1}"),
        ),
        ("streamed_s", format!("{:.1}", streamed.as_secs_f64())),
        ("load_avg_at_start", load),
    ]))
}

/// The demo's voice queue other than `not`.
async fn other_voice_queue(server: &Server, not: &str) -> anyhow::Result<String> {
    let queues = server.api(Method::GET, "/api/v1/queues", None).await?;
    queues
        .as_array()
        .into_iter()
        .flatten()
        .find(|q| q["channel"] == "voice" && q["id"] != not)
        .and_then(|q| q["id"].as_str())
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("no second voice queue: {queues}"))
}

/// `k` agents `<prefix><n>` with extensions from `base`, members of `queue`, signed in,
/// their phones registered.
async fn agents(
    server: &Server,
    prefix: &str,
    base: u32,
    k: u32,
    queue: &str,
) -> anyhow::Result<Vec<Agent>> {
    let mut made = Vec::new();
    for n in 0..k {
        made.push(agent(server, &format!("{prefix}{n}"), base + n).await?);
    }
    let members: Vec<Value> = made
        .iter()
        .map(|(id, _)| json!({ "user_id": id, "skill_level": 5 }))
        .collect();
    server
        .api(
            Method::PUT,
            &format!("/api/v1/queues/{queue}/agents"),
            Some(Value::Array(members)),
        )
        .await?;
    let mut out = Vec::new();
    for (n, (id, extension)) in made.into_iter().enumerate() {
        let token = sign_in(server, &format!("{prefix}{n}")).await?;
        let phone =
            Phone::register(server.sip, peers::DEMO_TENANT, &extension, DEMO_PASSWORD).await?;
        out.push(Agent { id, token, phone });
    }
    Ok(out)
}

/// Waits (up to 30 s) until the agent's first contact is connected; its id.
async fn connected_contact(server: &Server, token: &str) -> anyhow::Result<String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        let me = server
            .api_as(token, Method::GET, "/api/v1/agent", None)
            .await?;
        let c = &me["contacts"][0];
        if c["state"] == "connected" {
            return c["id"]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| anyhow::anyhow!("a contact without an id"));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    anyhow::bail!("no call was connected to the agent in 30 s")
}

/// Transfers call `i` from `first[i]` to `second[i]` at `rate` a second; the times from each
/// request to the new phone's INVITE, sorted, how many failed, and the new phones' RTP ends.
async fn transfers(
    server: &Server,
    first: &[Agent],
    second: &[Agent],
    contacts: &[String],
    rate: u32,
) -> anyhow::Result<(Vec<f64>, usize, Vec<Option<End>>)> {
    let gap = Duration::from_secs_f64(1.0 / f64::from(rate.max(1)));
    let start = tokio::time::Instant::now();
    let mut requests = Vec::new();
    for (i, contact) in contacts.iter().enumerate() {
        tokio::time::sleep_until(start + gap * i as u32).await;
        let (client, base) = (server.client.clone(), server.base.clone());
        let token = first[i].token.clone();
        let body = json!({ "agent_id": second[i].id, "note": "bench" });
        let url = format!("{base}/api/v1/contacts/{contact}/transfer");
        requests.push(tokio::spawn(async move {
            let sent = Instant::now();
            let ok = client
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            (sent, ok)
        }));
    }
    let mut sent = Vec::new();
    for r in requests {
        sent.push(r.await?);
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut latencies = Vec::new();
    let mut failed = 0;
    let mut ends = Vec::new();
    for (i, (at, ok)) in sent.into_iter().enumerate() {
        let rang = second[i].phone.take_rang().into_iter().next();
        match (ok, rang) {
            (true, Some(r)) => {
                latencies.push(r.at.saturating_duration_since(at).as_secs_f64() * 1_000.0);
                ends.push(r.end);
            }
            _ => {
                failed += 1;
                ends.push(None);
            }
        }
    }
    latencies.sort_by(f64::total_cmp);
    Ok((latencies, failed, ends))
}

/// Each new agent consults the first-line agent back and joins all three; the agents'
/// RTP ends of the conferences made, and how many could not be.
async fn conferences(
    server: &Server,
    first: &[Agent],
    second: &[Agent],
    contacts: &[String],
    second_ends: &mut [Option<End>],
) -> anyhow::Result<(Vec<End>, usize)> {
    let mut ends = Vec::new();
    let mut failed = 0;
    for (i, contact) in contacts.iter().enumerate() {
        let token = &second[i].token;
        let consult = json!({ "agent_id": first[i].id });
        let path = format!("/api/v1/contacts/{contact}/consult");
        if server
            .api_as(token, Method::POST, &path, Some(consult))
            .await
            .is_err()
        {
            failed += 1;
            continue;
        }
        let joined = join_when_answered(server, token, contact).await;
        let agent_end = second_ends[i].take();
        let first_end = first[i].phone.take_rang().pop().and_then(|r| r.end);
        match (joined, agent_end, first_end) {
            (true, Some(a), Some(b)) => ends.extend([a, b]),
            (joined, a, b) => {
                eprintln!(
                    "a conference was not set up: joined {joined}, agent end {}, first end {}",
                    a.is_some(),
                    b.is_some()
                );
                failed += 1;
            }
        }
    }
    Ok((ends, failed))
}

/// Asks to join every 20 ms until the consulted agent has answered (up to 5 s).
async fn join_when_answered(server: &Server, token: &str, contact: &str) -> bool {
    let path = format!("/api/v1/contacts/{contact}/consult/join");
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if server
            .api_as(token, Method::POST, &path, Some(json!({})))
            .await
            .is_ok()
        {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}
