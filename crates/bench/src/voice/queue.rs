//! `switchboard-bench voice-queue`: callers dial the demo's IVR hotline (4000), whose menu
//! answers, and press 2 for the after-sales voice queue; the routing engine offers each call to an idle agent whose
//! phone (the bench's own user agent, registered with digest) picks up at once. Agents are
//! made through the API (user, extension, queue membership), log in and sign in; the tenant
//! gets a 1 s wrap-up (the shortest automatic one) and auto-answer.

use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};

use super::peers::{run_calls, Calls, Scenarios, Server, DEMO_PASSWORD, RELAY_PORTS};
use super::sipua::Phone;
use super::{load_average, peers, spread, Programs};
use crate::support::json_line;

// The flags of `voice-queue` (its description is on the subcommand in main).
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    programs: Programs,
    /// Agents made for the run, each with a registered, auto-answering phone
    #[arg(long, default_value_t = 200)]
    agents: u32,
    /// New calls per second
    #[arg(long, default_value_t = 100)]
    rate: u32,
    #[arg(long, default_value_t = 5)]
    seconds: u32,
    /// How long each caller stays after the queue answered, ms (the agent picks up meanwhile)
    #[arg(long, default_value_t = 800)]
    hold_ms: u32,
}

/// The IVR hotline the callers dial, and the number routed straight to the queue its 2 leads
/// to (to find that queue).
const HOTLINE: &str = "4000";
const QUEUE_HOTLINE: &str = "4001";
const AGENT_PASSWORD: &str = "bench-agent-pw1";
const AGENT_NEW_PASSWORD: &str = "bench-agent-pw2";

pub async fn run(args: Args) -> anyhow::Result<String> {
    let agents = args.agents.max(1);
    let rtp = peers::free_ports(16_000, RELAY_PORTS)?;
    let server = Server::start(&args.programs.server()?, (rtp, rtp + 15_999), true).await?;
    quick_wrap_up(&server).await?;
    let queue = queue_of(&server, QUEUE_HOTLINE).await?;
    let mut members = Vec::new();
    let mut phones = Vec::new();
    for n in 0..agents {
        let (id, extension) = agent(&server, &login_of(n), 2_000 + n).await?;
        members.push(json!({ "user_id": id, "skill_level": 5 }));
        phones.push(extension);
    }
    server
        .api(
            Method::PUT,
            &format!("/api/v1/queues/{queue}/agents"),
            Some(Value::Array(members)),
        )
        .await?;
    for n in 0..agents {
        sign_in(&server, &login_of(n)).await?;
    }
    let mut registered = Vec::with_capacity(phones.len());
    for extension in &phones {
        registered
            .push(Phone::register(server.sip, peers::DEMO_TENANT, extension, DEMO_PASSWORD).await?);
    }
    // The engine learns of the phones from the SIP runtime on its own task.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let scenarios = Scenarios::write()?;
    let calls = args.rate.max(1) * args.seconds.max(1);
    let c = Calls {
        scenario: "uac_ivr.xml",
        target: server.sip,
        number: HOTLINE,
        rate: args.rate.max(1),
        calls,
        hold_ms: args.hold_ms,
        limit: Duration::from_secs(u64::from(args.seconds) * 3 + 30),
    };
    let load = load_average();
    let r = run_calls(&scenarios, &c).await?;
    let records = server.call_records(HOTLINE, r.successful as usize).await?;
    let answered: Vec<&Value> = records
        .iter()
        .filter(|c| !c["agent_id"].is_null())
        .collect();
    let mut waits: Vec<f64> = answered
        .iter()
        .filter_map(|c| c["wait_ms"].as_f64())
        .collect();
    waits.sort_by(f64::total_cmp);
    let arrivals_s = f64::from(calls) / f64::from(args.rate.max(1));
    drop(registered);
    Ok(json_line(&[
        ("bench", "\"voice-queue\"".into()),
        ("agents", agents.to_string()),
        ("target_rate", args.rate.to_string()),
        ("calls", calls.to_string()),
        ("hold_ms", args.hold_ms.to_string()),
        ("successful", r.successful.to_string()),
        ("failed", r.failed.to_string()),
        (
            "failed_percent",
            format!("{:.3}", r.failure_ratio() * 100.0),
        ),
        ("answered_by_agents", answered.len().to_string()),
        (
            "agent_calls_per_s",
            format!("{:.1}", answered.len() as f64 / arrivals_s),
        ),
        ("invite_to_200_ms", spread(&r.setup_ms)),
        ("queue_wait_to_agent_answer_ms", spread(&waits)),
        ("first_sipp_error", serde_json::to_string(&r.first_error)?),
        ("load_avg_at_start", load),
    ]))
}

/// Wrap-up of 1 s (0 would mean no limit) and auto-answer for the demo tenant.
pub(super) async fn quick_wrap_up(server: &Server) -> anyhow::Result<()> {
    let mut params = server
        .api(Method::GET, "/api/v1/tenant/params", None)
        .await?;
    params["wrap_up_limit_s"] = json!(1);
    params["auto_answer"] = json!(true);
    params["summary_required"] = json!(false);
    params["no_answer_limit"] = json!(0);
    server
        .api(Method::PUT, "/api/v1/tenant/params", Some(params))
        .await?;
    Ok(())
}

/// The queue a hotline number routes to.
pub(super) async fn queue_of(server: &Server, number: &str) -> anyhow::Result<String> {
    let numbers = server
        .api(Method::GET, "/api/v1/voice/numbers", None)
        .await?;
    numbers
        .as_array()
        .into_iter()
        .flatten()
        .find(|n| n["number"] == number && n["route"]["kind"] == "queue")
        .and_then(|n| n["route"]["queue_id"].as_str())
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("hotline {number} routes to no queue: {numbers}"))
}

fn login_of(n: u32) -> String {
    format!("bench{n}")
}

/// Makes agent `login` with extension `extension`; its id and extension.
pub(super) async fn agent(
    server: &Server,
    login: &str,
    extension: u32,
) -> anyhow::Result<(String, String)> {
    let body = json!({
        "login": login, "real_name": login, "display_name": login, "chat_limit": 1,
        "roles": ["agent"], "password": AGENT_PASSWORD,
    });
    let user = server
        .api(Method::POST, "/api/v1/users", Some(body))
        .await?;
    let id = user["id"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("no user id: {user}"))?
        .to_owned();
    let extension = extension.to_string();
    let body = json!({ "number": extension, "password": DEMO_PASSWORD });
    server
        .api(
            Method::PUT,
            &format!("/api/v1/voice/extensions/{id}"),
            Some(body),
        )
        .await?;
    Ok((id, extension))
}

/// Logs agent `login` in, makes the forced first password change, and signs in; the
/// agent's token.
pub(super) async fn sign_in(server: &Server, login: &str) -> anyhow::Result<String> {
    let token = peers::login(&server.client, &server.base, login, AGENT_PASSWORD).await?;
    let change = json!({ "current_password": AGENT_PASSWORD, "new_password": AGENT_NEW_PASSWORD });
    server
        .api_as(&token, Method::POST, "/api/v1/auth/password", Some(change))
        .await?;
    let me = server
        .api_as(
            &token,
            Method::POST,
            "/api/v1/agent/sign-in",
            Some(json!({})),
        )
        .await?;
    anyhow::ensure!(
        me["state"] == "idle",
        "{login} signed in as {}",
        me["state"]
    );
    Ok(token)
}
