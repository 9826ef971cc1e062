//! Command-line interface.

use std::io::BufRead;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use switchboard_engine::{AgentParams, ChatLimit, LoginName, Password, PersonName, TenantName};
use switchboard_server::ServeConfig;
use switchboard_storage::NewUser;

use crate::config::{
    demo_history, parse_addr, parse_http, parse_sip, pick, FileConfig, LogFormat, OnOff,
    DEFAULT_DATA, DEFAULT_HTTP, DEFAULT_RTP_PORTS, DEFAULT_SIP,
};
use switchboard_server::demo::history::MAX_DAYS;

#[derive(Parser)]
#[command(
    name = "switchboard",
    version,
    about = "Switchboard: an open-source contact center in one binary.",
    long_about = "Switchboard: an open-source contact center in one binary.\n\n\
    Start with `switchboard serve --demo` and open http://127.0.0.1:8080/."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the contact center: API, WebSocket events and the web UI.
    Serve(ServeArgs),
    /// Create or upgrade the database schema, then exit.
    Migrate(DbArgs),
    /// Manage tenants.
    #[command(subcommand)]
    Tenant(TenantCommand),
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
}

/// Where the data lives.
#[derive(Args)]
struct DbArgs {
    /// Directory for the embedded SQLite database [default: ./switchboard-data]
    #[arg(long, env = "SWITCHBOARD_DATA", value_name = "DIR")]
    data: Option<PathBuf>,
    /// Use PostgreSQL instead of the embedded database, e.g. postgres://user@host/db
    #[arg(
        long,
        env = "SWITCHBOARD_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    database_url: Option<String>,
    /// A TOML file with any of: data, http, database_url, demo, demo_history,
    /// trusted_proxies, sip, rtp_ports, media_address, recordings, log_format, metrics_addr,
    /// webhook_allow_private. Flags and environment win.
    #[arg(long, env = "SWITCHBOARD_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    db: DbArgs,
    /// Address to listen on for HTTP [default: 127.0.0.1:8080]; port 0 picks a free port
    #[arg(long, env = "SWITCHBOARD_HTTP", value_name = "ADDR")]
    http: Option<String>,
    /// Create (or top up) the demo tenant `demo` with its accounts, queues and parameters
    #[arg(long, env = "SWITCHBOARD_DEMO")]
    demo: bool,
    /// With --demo: play this many days (0-90) of past traffic through the routing engine
    /// into a new demo tenant, so reports and timelines have something to show [default: 0]
    #[arg(long, env = "SWITCHBOARD_DEMO_HISTORY", value_name = "DAYS",
          value_parser = clap::value_parser!(u32).range(0..=i64::from(MAX_DAYS)))]
    demo_history: Option<u32>,
    /// A reverse proxy whose X-Forwarded-For header names the client (repeat or separate
    /// with commas); from anyone else the header is ignored
    #[arg(
        long = "trusted-proxy",
        env = "SWITCHBOARD_TRUSTED_PROXIES",
        value_name = "IP",
        value_delimiter = ','
    )]
    trusted_proxies: Vec<std::net::IpAddr>,
    /// SIP address, UDP and TCP [default: 127.0.0.1:5060]; port 0 picks a free port, `off`
    /// takes no calls
    #[arg(long, env = "SWITCHBOARD_SIP", value_name = "ADDR")]
    sip: Option<String>,
    /// The UDP ports calls' audio uses, LOW-HIGH [default: 20000-29999]
    #[arg(long, env = "SWITCHBOARD_RTP_PORTS", value_name = "LOW-HIGH")]
    rtp_ports: Option<String>,
    /// The address written into SDP for audio [default: the SIP address]
    #[arg(long, env = "SWITCHBOARD_MEDIA_ADDRESS", value_name = "IP")]
    media_address: Option<std::net::IpAddr>,
    /// Whether connected calls are recorded [default: on]
    #[arg(long, env = "SWITCHBOARD_RECORDINGS", value_name = "on|off")]
    recordings: Option<OnOff>,
    /// How the log is written to standard error: `text` for people, `json` (one object a
    /// line) for log collectors [default: text]
    #[arg(long, env = "SWITCHBOARD_LOG_FORMAT", value_name = "text|json")]
    log_format: Option<LogFormat>,
    /// Serve Prometheus metrics at http://ADDR/metrics, a listener of its own apart from
    /// --http so the public port never shows them [default: off]; port 0 picks a free port
    #[arg(long, env = "SWITCHBOARD_METRICS_ADDR", value_name = "ADDR")]
    metrics_addr: Option<String>,
    /// Let webhooks reach loopback, private and link-local addresses (refused by default, so
    /// a tenant cannot make the server call into its own network)
    #[arg(long, env = "SWITCHBOARD_WEBHOOK_ALLOW_PRIVATE")]
    webhook_allow_private: bool,
}

#[derive(Subcommand)]
enum TenantCommand {
    /// Create a tenant with default parameters and the built-in roles.
    Add {
        /// Short name used at login: a lowercase letter, then letters, digits or '-'
        name: String,
        /// Name shown in the UI [default: NAME]
        #[arg(long)]
        display_name: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user. The password is read from SWITCHBOARD_PASSWORD or the first line of
    /// standard input (never from a flag, which other users could see); it must be changed
    /// at first login.
    Add {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        login: String,
        #[arg(long)]
        real_name: String,
        /// Name customers see [default: REAL_NAME]
        #[arg(long)]
        display_name: Option<String>,
        /// A role name; repeat for several (admin, supervisor, agent or a custom role)
        #[arg(long = "role", default_value = "agent")]
        roles: Vec<String>,
        /// How many chats at once
        #[arg(long, default_value_t = 3)]
        chat_limit: i64,
        #[command(flatten)]
        db: DbArgs,
    },
}

impl DbArgs {
    fn resolve(&self) -> anyhow::Result<(PathBuf, Option<String>, FileConfig)> {
        let file = FileConfig::load(self.config.as_deref())?;
        let data = pick(self.data.clone(), file.data.clone(), || {
            PathBuf::from(DEFAULT_DATA)
        });
        let url = self.database_url.clone().or(file.database_url.clone());
        Ok((data, url, file))
    }

    async fn open(&self) -> anyhow::Result<std::sync::Arc<dyn switchboard_storage::Storage>> {
        let (data, url, _) = self.resolve()?;
        switchboard_server::open_storage(&data, url.as_deref()).await
    }
}

impl Cli {
    /// How to log: `serve`'s flag or environment, then its config file; text otherwise
    /// (and for the one-shot commands). Read before anything logs, so a config file that
    /// does not load is reported later by the command itself.
    pub fn log_format(&self) -> LogFormat {
        let Command::Serve(args) = &self.command else {
            return LogFormat::Text;
        };
        let file = FileConfig::load(args.db.config.as_deref()).unwrap_or_default();
        pick(args.log_format, file.log_format, || LogFormat::Text)
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => serve(args).await,
        Command::Migrate(db) => {
            db.open().await?;
            println!("database is up to date");
            Ok(())
        }
        Command::Tenant(TenantCommand::Add {
            name,
            display_name,
            db,
        }) => {
            let store = db.open().await?;
            let name = TenantName::parse(&name)?;
            let display = display_name.unwrap_or_else(|| name.to_string());
            let t = store
                .create_tenant(
                    &name,
                    &display,
                    switchboard_server::clock::Clock::system().now_ms(),
                )
                .await?;
            println!("created tenant {} ({})", t.name, t.id);
            Ok(())
        }
        Command::User(UserCommand::Add {
            tenant,
            login,
            real_name,
            display_name,
            roles,
            chat_limit,
            db,
        }) => {
            add_user(
                db,
                &tenant,
                &login,
                &real_name,
                display_name.as_deref(),
                &roles,
                chat_limit,
            )
            .await
        }
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let (data_dir, database_url, file) = args.db.resolve()?;
    let http = pick(args.http, file.http, || DEFAULT_HTTP.to_owned());
    let sip = pick(args.sip, file.sip.clone(), || DEFAULT_SIP.to_owned());
    let rtp_ports = pick(args.rtp_ports, file.rtp_ports.clone(), || {
        DEFAULT_RTP_PORTS.to_owned()
    });
    let sip = parse_sip(
        &sip,
        &rtp_ports,
        args.media_address.or(file.media_address),
        &data_dir,
        pick(args.recordings, file.recordings, || OnOff::On),
    )?;
    let demo = args.demo || file.demo.unwrap_or(false);
    let config = ServeConfig {
        http: parse_http(&http)?,
        sip,
        data_dir,
        database_url,
        demo,
        demo_history: demo_history(args.demo_history, file.demo_history, demo)?,
        webhook_allow_private: args.webhook_allow_private
            || file.webhook_allow_private.unwrap_or(false),
        metrics: args
            .metrics_addr
            .or(file.metrics_addr)
            .map(|addr| parse_addr("--metrics-addr", &addr))
            .transpose()?,
        trusted_proxies: if args.trusted_proxies.is_empty() {
            file.trusted_proxies.unwrap_or_default()
        } else {
            args.trusted_proxies
        },
    };
    switchboard_server::serve(config, shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    tracing::info!("shutting down");
}

fn read_password() -> anyhow::Result<Password> {
    let raw = match std::env::var("SWITCHBOARD_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            eprintln!("password (8-128 characters), then Enter:");
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .context("reading the password from standard input")?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    Ok(Password::parse(&raw)?)
}

async fn add_user(
    db: DbArgs,
    tenant: &str,
    login: &str,
    real_name: &str,
    display_name: Option<&str>,
    roles: &[String],
    chat_limit: i64,
) -> anyhow::Result<()> {
    let store = db.open().await?;
    let tenant = store
        .tenant_by_name(&TenantName::parse(tenant)?)
        .await?
        .with_context(|| {
            format!("no tenant '{tenant}'; create it with `switchboard tenant add`")
        })?;
    let all_roles = store.roles(tenant.id).await?;
    let role_ids = roles
        .iter()
        .map(|name| {
            all_roles
                .iter()
                .find(|r| r.name.as_str() == name)
                .map(|r| r.id)
                .with_context(|| format!("no role '{name}'"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let password = read_password()?;
    let user = NewUser {
        login: LoginName::parse(login)?,
        real_name: PersonName::parse(real_name)?,
        display_name: PersonName::parse(display_name.unwrap_or(real_name))?,
        chat_limit: ChatLimit::new(chat_limit)?,
        role_ids,
        password_hash: switchboard_server::passwords::hash_password(&password)?,
        must_change_password: true,
        agent_params: AgentParams::default(),
    };
    let created = store
        .create_users(
            tenant.id,
            &[user],
            switchboard_server::clock::Clock::system().now_ms(),
        )
        .await?;
    println!(
        "created user {} in tenant {}; they must change the password at first login",
        created[0].login, tenant.name
    );
    Ok(())
}
