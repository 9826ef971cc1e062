//! `switchboard-bench voice-media`: the CPU a relay spends per bridged call-minute. The
//! bench's own SIP user agent sets up N calls through Switchboard (a number routed straight
//! back to the bench), its RTP generator sends 20 ms PCMU both ways on every call, and the
//! server process's CPU time (utime + stime) is read over the steady middle of the run —
//! with recording off, then on. rtpengine (userspace, driven over its ng protocol) relays
//! the same streams at the same call count.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::UdpSocket;

use super::peers::{Rtpengine, Server, RELAY_PORTS};
use super::rtp::{self, End, Received};
use super::{load_average, ng, peers, sipua, spread, Programs};
use crate::support::json_line;

// The flags of `voice-media` (its description is on the subcommand in main).
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    programs: Programs,
    /// Bridged calls carrying RTP at once
    #[arg(long, default_value_t = 200)]
    calls: u32,
    /// Seconds of streaming per relay (CPU is read over all but the first and last 2 s)
    #[arg(long, default_value_t = 20)]
    seconds: u32,
    /// rtpengine's daemon (Debian's rtpengine-daemon); `none` skips the comparison
    #[arg(long, default_value = "/usr/bin/rtpengine")]
    rtpengine: String,
}

const NUMBER: &str = "5102";
/// Streaming before and after the CPU window, so set-up and tear-down stay out of it.
const MARGIN: Duration = Duration::from_secs(2);

pub async fn run(args: Args) -> anyhow::Result<String> {
    let calls = args.calls.max(1);
    let seconds = args.seconds.max(5);
    let bin = args.programs.server()?;
    let off = switchboard(&bin, calls, seconds, false).await?;
    let on = switchboard(&bin, calls, seconds, true).await?;
    let rtpengine = if args.rtpengine == "none" {
        None
    } else {
        Some(rtpengine(&args.rtpengine, calls, seconds).await?)
    };
    let ratio = match &rtpengine {
        Some(r) if r.cpu_ms_per_call_minute > 0.0 => {
            format!(
                "{:.2}",
                off.cpu_ms_per_call_minute / r.cpu_ms_per_call_minute
            )
        }
        _ => "null".into(),
    };
    Ok(json_line(&[
        ("bench", "\"voice-media\"".into()),
        ("calls", calls.to_string()),
        ("seconds", seconds.to_string()),
        ("switchboard_recordings_off", off.json()),
        ("switchboard_recordings_on", on.json()),
        (
            "recording_extra_cpu_ms_per_call_minute",
            format!(
                "{:.1}",
                on.cpu_ms_per_call_minute - off.cpu_ms_per_call_minute
            ),
        ),
        ("rtpengine", rtpengine.map_or("null".into(), |r| r.json())),
        ("ratio_switchboard_off_to_rtpengine", ratio),
    ]))
}

/// One relay's CPU per call-minute and what the streams received through it.
struct Relayed {
    cpu_ms_per_call_minute: f64,
    received: Vec<Received>,
    load: String,
}

impl Relayed {
    fn json(&self) -> String {
        let sorted = |f: fn(&Received) -> f64| {
            let mut v: Vec<f64> = self.received.iter().map(f).collect();
            v.sort_by(f64::total_cmp);
            v
        };
        let (sent, got) = self
            .received
            .iter()
            .fold((0, 0), |(s, g), r| (s + r.sent, g + r.packets));
        format!(
            "{{\"cpu_ms_per_call_minute\":{:.1},\"streams\":{},\"packets_sent\":{sent},\"packets_received\":{got},\"loss_percent\":{},\"jitter_ms\":{},\"load_avg\":{}}}",
            self.cpu_ms_per_call_minute,
            self.received.len(),
            spread(&sorted(Received::loss_percent)),
            spread(&sorted(|r| r.jitter_ms)),
            self.load
        )
    }
}

/// Streams on `ends` for `seconds`, reading `cpu` over the middle; the relay's figures.
async fn measure(
    ends: Vec<End>,
    calls: u32,
    seconds: u32,
    cpu: impl Fn() -> anyhow::Result<Duration>,
) -> anyhow::Result<Relayed> {
    let duration = Duration::from_secs(u64::from(seconds));
    let streams = tokio::spawn(rtp::stream(ends, duration, Duration::from_secs(1)));
    tokio::time::sleep(MARGIN).await;
    let (cpu0, t0) = (cpu()?, Instant::now());
    tokio::time::sleep(duration - 2 * MARGIN).await;
    let (cpu1, t1) = (cpu()?, Instant::now());
    let load = load_average();
    let received = streams.await?;
    let call_minutes = f64::from(calls) * (t1 - t0).as_secs_f64() / 60.0;
    Ok(Relayed {
        cpu_ms_per_call_minute: (cpu1 - cpu0).as_secs_f64() * 1_000.0 / call_minutes,
        received,
        load,
    })
}

async fn socket() -> anyhow::Result<Arc<UdpSocket>> {
    Ok(Arc::new(UdpSocket::bind("127.0.0.1:0").await?))
}

/// `calls` calls through the Switchboard server, recording `record`.
async fn switchboard(
    bin: &std::path::Path,
    calls: u32,
    seconds: u32,
    record: bool,
) -> anyhow::Result<Relayed> {
    let ports = u16::try_from(calls * 4 + 100)
        .unwrap_or(u16::MAX)
        .min(20_000);
    let rtp = peers::free_ports(ports, RELAY_PORTS)?;
    let server = Server::start(bin, (rtp, rtp + ports - 1), record).await?;
    let mut answering = Vec::with_capacity(calls as usize);
    for _ in 0..calls {
        answering.push(socket().await?);
    }
    let callee = sipua::Callee::start(answering).await?;
    server
        .direct_number(NUMBER, &format!("sip:callee@{}", callee.addr))
        .await?;
    let caller = sipua::Caller::new(server.sip).await?;
    let mut placed = Vec::with_capacity(calls as usize);
    for n in 0..calls {
        placed.push(caller.call(NUMBER, n, socket().await?).await?);
    }
    let mut ends = callee.take_answered();
    anyhow::ensure!(
        ends.len() == calls as usize,
        "{} of {calls} calls reached the callee",
        ends.len()
    );
    let callers: Vec<End> = placed
        .iter()
        .map(|p| End {
            socket: p.end.socket.clone(),
            relay: p.end.relay,
        })
        .collect();
    ends.extend(callers);
    let relayed = measure(ends, calls, seconds, || server.cpu()).await?;
    for p in &placed {
        caller.hang_up(p).await?;
    }
    Ok(relayed)
}

/// The same calls through rtpengine: offer with the caller's SDP, answer with the callee's.
async fn rtpengine(bin: &str, calls: u32, seconds: u32) -> anyhow::Result<Relayed> {
    let ports = u16::try_from(calls * 4 + 100)
        .unwrap_or(u16::MAX)
        .min(20_000);
    let first = peers::free_ports(ports, RELAY_PORTS)?;
    let engine = Rtpengine::start(std::path::Path::new(bin), (first, first + ports - 1)).await?;
    let mut ends = Vec::with_capacity(calls as usize * 2);
    let mut ids = Vec::with_capacity(calls as usize);
    for n in 0..calls {
        let (a, b) = (socket().await?, socket().await?);
        let (call_id, from_tag) = (format!("bench-{n}"), format!("caller{n}"));
        let offer_sdp = sipua::sdp(a.local_addr()?.port());
        let to_callee = ng::offer(engine.ng, &call_id, &from_tag, &offer_sdp).await?;
        let answer_sdp = sipua::sdp(b.local_addr()?.port());
        let to_caller = ng::answer(
            engine.ng,
            &call_id,
            &from_tag,
            &format!("callee{n}"),
            &answer_sdp,
        )
        .await?;
        let audio = |sdp: &str| {
            sipua::sdp_audio(sdp)
                .ok_or_else(|| anyhow::anyhow!("rtpengine's SDP has no audio: {sdp}"))
        };
        ends.push(End {
            socket: a,
            relay: audio(&to_caller)?,
        });
        ends.push(End {
            socket: b,
            relay: audio(&to_callee)?,
        });
        ids.push((call_id, from_tag));
    }
    let relayed = measure(ends, calls, seconds, || engine.cpu()).await?;
    for (call_id, from_tag) in &ids {
        ng::delete(engine.ng, call_id, from_tag).await?;
    }
    Ok(relayed)
}
