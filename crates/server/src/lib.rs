//! Switchboard's server: the HTTP/WebSocket API, authentication, the embedded web UI, and
//! the wiring that starts it all. JSON wire types live here and nowhere else.

pub mod api;
pub mod auth;
pub mod chat;
pub mod client;
pub mod clock;
pub mod demo;
pub mod engines;
pub mod error;
pub mod events;
pub mod extract;
pub mod passwords;
pub mod rate_limit;
pub mod sheets;
pub mod state;
pub mod ticket_jobs;
pub mod ui;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use switchboard_storage::{Location, Storage};

pub use state::AppState;

/// What `switchboard serve` needs, after flags, environment and config file are merged.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub http: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    pub demo: bool,
    /// Proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`).
    pub trusted_proxies: Vec<std::net::IpAddr>,
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

/// Runs the server until `shutdown` resolves. Prints `listening on http://ADDR` once bound.
pub async fn serve(
    config: ServeConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let store = open_storage(&config.data_dir, config.database_url.as_deref()).await?;
    let clock = clock::Clock::system();
    if config.demo {
        demo::seed(store.as_ref(), clock.now_ms()).await?;
    }
    let listener = tokio::net::TcpListener::bind(config.http).await?;
    let addr = listener.local_addr()?;
    println!("listening on http://{addr}");
    if config.demo {
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
    }
    let state = AppState::with_options(
        store,
        state::Options {
            clock,
            trusted_proxies: config.trusted_proxies.clone(),
            ..state::Options::default()
        },
    );
    // Every tenant's engine runs from the start, so waiting contacts' timers fire.
    state.engines.start_all().await?;
    ticket_jobs::start(state.clone());
    let app = api::app(state);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    Ok(())
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
