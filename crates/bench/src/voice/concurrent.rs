//! `switchboard-bench voice-concurrent`: hundreds of calls up at once, each bridged and
//! recorded: sipp calls a number routed straight to sipp's called party, plays sipp's
//! g711a.pcap into the call, and the called party echoes it back. Afterwards every leg's
//! media quality is read back from the call records API.

use std::time::Duration;

use serde_json::Value;

use super::peers::{run_calls, Callee, Calls, Scenarios, Server, RELAY_PORTS};
use super::{load_average, peers, spread, Programs};
use crate::support::json_line;

// The flags of `voice-concurrent` (its description is on the subcommand in main).
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    programs: Programs,
    #[arg(long, default_value_t = 500)]
    calls: u32,
    /// New calls per second
    #[arg(long, default_value_t = 100)]
    rate: u32,
    /// How long each call stays up after its ACK, ms (the pcap plays the first 7 s)
    #[arg(long, default_value_t = 12_000)]
    hold_ms: u32,
    /// Record the calls (`--recordings` of the server)
    #[arg(long, default_value = "on")]
    recordings: String,
}

const NUMBER: &str = "5101";

pub async fn run(args: Args) -> anyhow::Result<String> {
    let scenarios = Scenarios::write()?;
    let callee = Callee::start(&scenarios, true)?;
    let rtp = peers::free_ports(8_000, RELAY_PORTS)?;
    let record = args.recordings != "off";
    let server = Server::start(&args.programs.server()?, (rtp, rtp + 7_999), record).await?;
    server
        .direct_number(NUMBER, &format!("sip:callee@127.0.0.1:{}", callee.port))
        .await?;
    let calls = args.calls.max(1);
    let c = Calls {
        scenario: "uac_audio.xml",
        target: server.sip,
        number: NUMBER,
        rate: args.rate.max(1),
        calls,
        hold_ms: args.hold_ms,
        limit: Duration::from_secs(
            u64::from(calls / args.rate.max(1)) + u64::from(args.hold_ms / 1_000) + 60,
        ),
    };
    let load = load_average();
    let r = run_calls(&scenarios, &c).await?;
    let records = server.call_records(NUMBER, r.successful as usize).await?;
    let q = Quality::of(&records);
    Ok(json_line(&[
        ("bench", "\"voice-concurrent\"".into()),
        ("calls", calls.to_string()),
        ("rate", args.rate.to_string()),
        ("hold_ms", args.hold_ms.to_string()),
        (
            "recordings",
            format!("\"{}\"", if record { "on" } else { "off" }),
        ),
        ("successful", r.successful.to_string()),
        ("failed", r.failed.to_string()),
        (
            "failed_percent",
            format!("{:.3}", r.failure_ratio() * 100.0),
        ),
        ("peak_concurrent_calls", r.peak_calls.to_string()),
        ("setup_ms", spread(&r.setup_ms)),
        ("call_records", records.len().to_string()),
        ("recorded", q.recorded.to_string()),
        ("legs_with_quality", q.legs.to_string()),
        ("leg_packets", spread(&q.packets)),
        ("leg_loss_percent", spread(&q.loss)),
        ("leg_jitter_ms", spread(&q.jitter)),
        (
            "leg_mos_min",
            q.mos.first().map_or("null".into(), |m| format!("{m:.2}")),
        ),
        (
            "leg_mos_p50",
            q.mos
                .get(q.mos.len() / 2)
                .map_or("null".into(), |m| format!("{m:.2}")),
        ),
        ("first_sipp_error", serde_json::to_string(&r.first_error)?),
        ("load_avg_at_start", load),
    ]))
}

/// Every leg's quality figures, each sorted.
#[derive(Default)]
struct Quality {
    legs: usize,
    recorded: usize,
    packets: Vec<f64>,
    loss: Vec<f64>,
    jitter: Vec<f64>,
    mos: Vec<f64>,
}

impl Quality {
    fn of(calls: &[Value]) -> Quality {
        let mut q = Quality::default();
        for call in calls {
            q.recorded += usize::from(call["recording"] == true);
            for leg in call["legs"].as_array().into_iter().flatten() {
                let quality = &leg["quality"];
                if quality.is_null() {
                    continue;
                }
                q.legs += 1;
                let f = |k: &str| quality[k].as_f64().unwrap_or(f64::NAN);
                q.packets.push(f("packets"));
                q.loss.push(f("loss_percent"));
                q.jitter.push(f("jitter_ms"));
                if let Some(m) = quality["mos"].as_f64() {
                    q.mos.push(m);
                }
            }
        }
        for v in [&mut q.packets, &mut q.loss, &mut q.jitter, &mut q.mos] {
            v.sort_by(f64::total_cmp);
        }
        q
    }
}
