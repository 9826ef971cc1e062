//! Switchboard's server: the HTTP/WebSocket API, authentication, the embedded web UI, and
//! the wiring that starts it all. JSON wire types live here and nowhere else.

pub mod api;
pub mod auth;
pub mod chat;
pub mod client;
pub mod clock;
pub mod customer_jobs;
pub mod demo;
pub mod engines;
pub mod error;
pub mod events;
pub mod extract;
pub mod geo;
pub mod lease;
pub mod listen;
pub mod metrics;
pub mod passwords;
pub mod rate_limit;
pub mod sheets;
pub mod state;
pub mod ticket_jobs;
pub mod ui;
pub mod voice;
pub mod webhooks;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use switchboard_storage::{Lease, Location, Storage};

pub use state::AppState;

/// The inputs the fuzzer once crashed a target on (`fuzz/regressions/<target>/`, its README
/// aside), for the tests that replay them. The directory must exist.
#[cfg(test)]
pub(crate) fn fuzz_regressions(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(target);
    assert!(dir.is_dir(), "{} is missing", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("a regressions directory")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).expect("a kept input");
            (p.display().to_string(), bytes)
        })
        .collect()
}

/// What `switchboard serve` needs, after flags, environment and config file are merged.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub http: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    pub demo: bool,
    /// Days of past traffic played into a new demo tenant (`--demo-history`, with `demo`).
    pub demo_history: u32,
    /// Proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The SIP side (`--sip`, `--rtp-ports`, `--media-address`); `None` with `--sip off`.
    pub sip: Option<voice::runtime::SipConfig>,
    /// Where `/metrics` is served (`--metrics-addr`); `None`: nowhere.
    pub metrics: Option<SocketAddr>,
    /// Webhooks may go to loopback and private addresses (`--webhook-allow-private`).
    pub webhook_allow_private: bool,
}

/// Opens the configured database (migrating it).
pub async fn open_storage(
    data_dir: &std::path::Path,
    database_url: Option<&str>,
) -> anyhow::Result<Arc<dyn Storage>> {
    let location = match database_url {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => Location::Postgres(url),
        Some(other) => anyhow::bail!("unsupported --database-url '{}': only postgres:// URLs are supported (SQLite is the default, under --data)", redact(other)),
        None => Location::DataDir(data_dir),
    };
    Ok(switchboard_storage::open(location).await?)
}

/// A URL with its password hidden, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..])
        }
        _ => url.to_owned(),
    }
}

/// Runs the server until `shutdown` resolves, or until it loses the database's lease (an
/// error: a supervisor restarts it as a standby). Prints `listening on http://ADDR` once
/// bound; a standby listens too, answering `/healthz` and refusing the rest.
pub async fn serve(
    config: ServeConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let store = open_storage(&config.data_dir, config.database_url.as_deref()).await?;
    let options = state::Options {
        trusted_proxies: config.trusted_proxies.clone(),
        webhook_allow_private: config.webhook_allow_private,
        ..state::Options::default()
    };
    let state = AppState::with_options(store, options);
    state
        .voice
        .set_recordings(config.data_dir.join("recordings"));
    state
        .voice
        .prompts
        .set_root(config.data_dir.join("prompts"));
    // Taken before listening, so an active server answers nothing before its engines run.
    let lease = lease::try_take(&state).await?;
    let demo = config.demo.then_some(config.demo_history);
    let mut sip = None;
    if lease.is_some() {
        sip = activate(&state, demo, config.sip.as_ref()).await?;
    }
    let listener = tokio::net::TcpListener::bind(config.http).await?;
    announce(listener.local_addr()?, config.demo, sip);
    let app = api::app(state.clone());
    let limits = listen::Limits {
        trusted_proxies: config.trusted_proxies,
        ..listen::Limits::default()
    };
    let serving = listen::serve(listener, app, limits, shutdown);
    let metrics = serve_metrics(config.metrics, state.clone()).await?;
    tokio::select! {
        served = serving => served,
        lost = hold_lease(&state, lease, demo, config.sip.as_ref()) => Err(lost),
        failed = metrics => failed,
    }
}

/// Binds the metrics listener (before anything is announced, so a taken port fails the
/// start) and returns what serves it, which runs as long as the server; never ends without
/// `--metrics-addr`.
async fn serve_metrics(
    addr: Option<SocketAddr>,
    state: AppState,
) -> anyhow::Result<impl std::future::Future<Output = anyhow::Result<()>>> {
    let listener = match addr {
        Some(addr) => Some(tokio::net::TcpListener::bind(addr).await?),
        None => None,
    };
    if let Some(listener) = &listener {
        println!("metrics on http://{}/metrics", listener.local_addr()?);
    }
    Ok(async move {
        match listener {
            Some(listener) => metrics::serve(listener, state, std::future::pending()).await,
            None => std::future::pending().await,
        }
    })
}

/// Holds the lease for the server's life, on a standby waiting for it and taking over
/// first. Returns why the lease was lost, or why taking over failed.
async fn hold_lease(
    state: &AppState,
    lease: Option<Box<dyn Lease>>,
    demo: Option<u32>,
    sip: Option<&voice::runtime::SipConfig>,
) -> anyhow::Error {
    let lease = match lease {
        Some(lease) => lease,
        None => {
            let lease = lease::wait(state).await;
            match activate(state, demo, sip).await {
                Ok(Some(local)) => println!("sip on udp and tcp {local}"),
                Ok(None) => {}
                Err(err) => return err.context("taking over as the active server"),
            }
            state.standing.set_standby(false);
            tracing::info!("lease acquired: now active");
            lease
        }
    };
    lease::keep(state, lease).await
}

/// What only the lease's holder does: seed the demo (`demo`: with so many days of history),
/// start every tenant's engine (so waiting contacts' timers fire), the ticket jobs and the
/// SIP side (a standby answers no calls); says where SIP listens.
async fn activate(
    state: &AppState,
    demo: Option<u32>,
    sip: Option<&voice::runtime::SipConfig>,
) -> anyhow::Result<Option<SocketAddr>> {
    if let Some(days) = demo {
        seed_demo(state, days).await?;
    }
    state.engines.start_all().await?;
    ticket_jobs::start(state.clone());
    webhooks::start(state.clone());
    customer_jobs::start(state.clone());
    let prompts = state.voice.prompts.load(state.store.as_ref()).await?;
    tracing::info!(prompts, "uploaded prompts loaded");
    match sip {
        Some(sip) => Ok(Some(
            voice::runtime::start(state.clone(), sip.clone())
                .await?
                .local,
        )),
        None => Ok(None),
    }
}

/// The demo tenant, and its history before its engine starts (the history is played into
/// storage as the engine's own turns, so the engine must not run yet).
async fn seed_demo(state: &AppState, days: u32) -> anyhow::Result<()> {
    let store = state.store.as_ref();
    demo::seed(store, state.clock.now_ms()).await?;
    let began = std::time::Instant::now();
    if let Some(played) = demo::history::seed(state, days, state.clock.now_ms()).await? {
        tracing::info!(
            days = played.days,
            contacts = played.contacts,
            events = played.events,
            ms = began.elapsed().as_millis() as u64,
            "demo history played"
        );
    }
    Ok(())
}

/// Tells the operator where to go (and, with `--demo`, how to log in).
fn announce(addr: SocketAddr, demo: bool, sip: Option<SocketAddr>) {
    println!("listening on http://{addr}");
    if let Some(sip) = sip {
        println!("sip on udp and tcp {sip}");
    }
    if demo {
        println!(
            "demo tenant '{}': log in at http://{addr}/ with one of",
            demo::TENANT
        );
        for (login, _, _, role) in demo::ACCOUNTS {
            println!(
                "  {login:<11} password {}  ({})",
                demo::PASSWORD,
                role.name()
            );
        }
        for line in demo::voice_lines() {
            println!("{line}");
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_urls_are_redacted() {
        assert_eq!(
            super::redact("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(super::redact("postgres://h/db"), "postgres://h/db");
    }
}
