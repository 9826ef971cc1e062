//! The `switchboard-bench` command: benchmarks of the real code on synthetic traffic, one
//! subcommand per benchmark, each printing its figures as one JSON line. Only this file
//! imports the benchmark modules; they share nothing but `support`.

mod chat;
mod offers;
mod reports;
mod routing;
mod support;
mod tickets;
mod voice;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "switchboard-bench",
    version,
    about = "Run a Switchboard benchmark and print its figures as one JSON line."
)]
struct Cli {
    #[command(subcommand)]
    bench: Bench,
}

#[derive(Subcommand)]
enum Bench {
    /// The routing engine in-process: agents in several queues each, mixed channels. Prints
    /// one JSON line: decisions_per_s, p50_ns, p99_ns, max_ns, max_rss_kb, ...
    Routing(routing::Args),
    /// The real server on loopback: a task created through the API until its offer arrives
    /// on the agent's WebSocket, at a fixed arrival rate. Prints one JSON line with p50/p99.
    Offers(offers::Args),
    /// The real server with customer chat WebSockets (clients in a child process): a
    /// customer's message until acknowledged and until it reaches the agent's WebSocket.
    Chat(chat::Args),
    /// The ticket center with `--tickets` generated tickets on SQLite or a fresh PostgreSQL
    /// database: API creates, tab lists, searches and an import through the real server.
    /// Prints one JSON line.
    Tickets(tickets::Args),
    /// Historical reports over 90 days of a tenant taking a million contacts a month, on
    /// SQLite or a fresh PostgreSQL database: the interval aggregates written as the engine's
    /// turns write them, then reports measured over HTTP. Prints one JSON line with p50/p99.
    Reports(reports::Args),
    /// A hotline number routed straight to a SIP destination: sipp calls through the release
    /// server (started as a child) at rising rates until > 0.1 % fail, then through sippy's
    /// B2BUA at the same rates. Prints the highest rate each sustained and their ratio.
    VoiceDirect(voice::direct::Args),
    /// Callers dial the demo's IVR hotline (4000) and press 2 for the after-sales voice queue; agents made through
    /// the API, signed in, with auto-answering registered phones pick up. Calls set up per
    /// second, INVITE → 200 and queue wait until an agent answered.
    VoiceQueue(voice::queue::Args),
    /// Hundreds of bridged, recorded calls at once with RTP (sipp plays g711a.pcap, the
    /// called sipp echoes it); every leg's loss, jitter and MOS from the call records API.
    VoiceConcurrent(voice::concurrent::Args),
    /// Call control under load: calls transferred agent to agent at a fixed rate (request →
    /// the new phone's INVITE), then made three-party conferences streaming RTP from every
    /// party (server CPU per conference-minute, loss).
    VoiceConference(voice::conference::Args),
    /// Relay CPU per bridged call-minute: the bench's own SIP calls and RTP generator
    /// through Switchboard (recordings off, then on) and through rtpengine (userspace).
    VoiceMedia(voice::media::Args),
    /// The client half of `chat` (started by it).
    #[command(hide = true)]
    ChatClients(chat::ClientArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.bench)) {
        Ok(report) => {
            println!("{report}");
            std::process::ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Runs one benchmark; its figures as one JSON line.
async fn run(bench: Bench) -> anyhow::Result<String> {
    match bench {
        Bench::Routing(args) => routing::run(args),
        Bench::Offers(args) => offers::run(args).await,
        Bench::Chat(args) => chat::run(args).await,
        Bench::Tickets(args) => tickets::run(args).await,
        Bench::Reports(args) => reports::run(args).await,
        Bench::VoiceDirect(args) => voice::direct::run(args).await,
        Bench::VoiceQueue(args) => voice::queue::run(args).await,
        Bench::VoiceConcurrent(args) => voice::concurrent::run(args).await,
        Bench::VoiceMedia(args) => voice::media::run(args).await,
        Bench::VoiceConference(args) => voice::conference::run(args).await,
        Bench::ChatClients(args) => chat::clients(args).await,
    }
}

/// Logs to stderr (stdout carries the figures), `info` unless RUST_LOG says otherwise.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
