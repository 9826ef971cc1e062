//! `switchboard-bench voice-direct`: a hotline number routed straight to a SIP destination
//! (Switchboard as a plain B2BUA, media anchored), sipp calling in through the demo trunk and
//! sipp answering, at rising call rates until 0.1 % of calls fail or the calls take longer
//! than the rate allows (under 90 % of it). sippy's B2BUA
//! (`b2bua_simple`, signalling only) runs the same scenario at the same rates.

use std::path::PathBuf;
use std::time::Duration;

use super::peers::{run_calls, Callee, Calls, Scenarios, Server, Sippy, RELAY_PORTS};
use super::{load_average, peers, spread, Programs};
use crate::support::json_line;

// The flags of `voice-direct` (its description is on the subcommand in main).
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    programs: Programs,
    /// Call rates to try, per second, in order; the first step that fails (≥ 0.1 % failed
    /// calls, or done at under 90 % of its rate) ends the ramp
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "100,200,300,400,500,600,800,1000,1250,1500,2000"
    )]
    rates: Vec<u32>,
    /// Seconds of calls per step (calls = rate × seconds)
    #[arg(long, default_value_t = 4)]
    seconds: u32,
    /// How long each call stays up after its ACK, ms
    #[arg(long, default_value_t = 0)]
    hold_ms: u32,
    /// sippy's `b2bua_simple` (`make bench` puts it in a venv); `none` skips the comparison
    #[arg(long, default_value = "target/bench-venv/bin/b2bua_simple")]
    sippy: String,
}

/// A failure share at or above this fails a step.
const MAX_FAILED: f64 = 0.001;
/// A step whose calls took longer than this share of the rate asked fails too.
const KEPT_UP: f64 = 0.9;
const NUMBER: &str = "5100";

pub async fn run(args: Args) -> anyhow::Result<String> {
    let scenarios = Scenarios::write()?;
    let callee = Callee::start(&scenarios, false)?;
    let rtp = peers::free_ports(20_000, RELAY_PORTS)?;
    let server = Server::start(&args.programs.server()?, (rtp, rtp + 19_999), true).await?;
    server
        .direct_number(NUMBER, &format!("sip:callee@127.0.0.1:{}", callee.port))
        .await?;
    let switchboard = ramp(&args, &scenarios, server.sip).await?;
    drop(server);
    let sippy = if args.sippy == "none" {
        None
    } else {
        let sippy = Sippy::start(&PathBuf::from(&args.sippy), callee.port).await?;
        Some(ramp(&args, &scenarios, sippy.addr).await?)
    };
    let ratio = match &sippy {
        Some(s) if s.best > 0 => format!("{:.2}", f64::from(switchboard.best) / f64::from(s.best)),
        _ => "null".into(),
    };
    Ok(json_line(&[
        ("bench", "\"voice-direct\"".into()),
        ("hold_ms", args.hold_ms.to_string()),
        ("seconds_per_step", args.seconds.to_string()),
        ("switchboard", switchboard.json()),
        ("sippy", sippy.map_or("null".into(), |s| s.json())),
        ("ratio_max_rate", ratio),
        ("load_avg", load_average()),
    ]))
}

/// The steps one B2BUA passed and failed, and the highest rate it passed.
struct Ramp {
    best: u32,
    steps: Vec<String>,
}

impl Ramp {
    fn json(&self) -> String {
        format!(
            "{{\"max_rate\":{},\"steps\":[{}]}}",
            self.best,
            self.steps.join(",")
        )
    }
}

/// Rising rates against `target` until a step fails.
async fn ramp(
    args: &Args,
    scenarios: &Scenarios,
    target: std::net::SocketAddr,
) -> anyhow::Result<Ramp> {
    let mut ramp = Ramp {
        best: 0,
        steps: Vec::new(),
    };
    for &rate in &args.rates {
        let calls = rate.max(1) * args.seconds.max(1);
        let c = Calls {
            scenario: "uac.xml",
            target,
            number: NUMBER,
            rate: rate.max(1),
            calls,
            hold_ms: args.hold_ms,
            limit: Duration::from_secs(u64::from(args.seconds) * 3 + 20),
        };
        let r = run_calls(scenarios, &c).await?;
        let achieved = r.successful as f64 / r.wall_s.max(0.001);
        // Sustained: almost no failures, and the calls done at (nearly) the rate asked, not
        // queued up and worked off later.
        let sustained = r.failure_ratio() < MAX_FAILED && achieved >= KEPT_UP * f64::from(rate);
        ramp.steps.push(format!(
            "{{\"rate\":{rate},\"calls\":{calls},\"successful\":{},\"failed\":{},\"achieved_cps\":{achieved:.0},\"sustained\":{sustained},\"setup_ms\":{},\"first_sipp_error\":{}}}",
            r.successful,
            r.failed,
            spread(&r.setup_ms),
            serde_json::to_string(&r.first_error)?
        ));
        if !sustained {
            break;
        }
        ramp.best = rate;
        // Let the last calls' transactions end before the next step.
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    Ok(ramp)
}
