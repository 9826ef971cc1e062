//! Prometheus metrics: what the server counts as it runs (requests, engine turns, sockets,
//! calls, SIP messages) and what it reads at scrape time (contacts by channel and state, SIP devices, the
//! database pools), served in the text format on a listener of its own (`--metrics-addr`),
//! never on the public port.
//!
//! The counters are one set per process (a scrape describes the process, like every
//! Prometheus client's default registry); the scrape-time figures come from the `AppState`
//! the metrics listener serves.

use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use switchboard_engine::acd::ContactStatus;
use switchboard_engine::Channel;

use crate::state::AppState;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    /// The route's template (`/api/v1/users/{id}`), or `other` for the UI and unknown paths,
    /// so a stranger's paths cannot grow the label set.
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ContactLabels {
    channel: &'static str,
    state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SocketLabels {
    kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SipLabels {
    /// `in` or `out`.
    direction: &'static str,
    /// A request's method, a response's status class (`2xx`), or `other`.
    message: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    pool: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

type Timings<L> = Family<L, Histogram, fn() -> Histogram>;

fn seconds() -> Histogram {
    // 1 ms to about 33 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 16))
}

/// Every metric the server exports.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    request_seconds: Timings<RouteLabels>,
    engine_turn_seconds: Histogram,
    engine_store_seconds: Histogram,
    contacts: Family<ContactLabels, Gauge>,
    sockets: Family<SocketLabels, Gauge>,
    sip_devices: Gauge,
    sip_calls: Gauge,
    sip_trunks_up: Gauge,
    sip_messages: Family<SipLabels, Counter>,
    sip_dropped: Counter,
    rtp_ports_free: Gauge,
    pool_connections: Family<PoolLabels, Gauge>,
    pool_idle: Family<PoolLabels, Gauge>,
    webhook_deliveries: Family<OutcomeLabels, Counter>,
}

/// What a SIP message is, as a label: its method (of those a switch meets) or its status
/// class; whatever else a stranger sends is `other`, so the label set stays bounded.
fn sip_kind(bytes: &[u8]) -> &'static str {
    const METHODS: [&str; 14] = [
        "INVITE",
        "ACK",
        "BYE",
        "CANCEL",
        "REGISTER",
        "OPTIONS",
        "INFO",
        "NOTIFY",
        "SUBSCRIBE",
        "REFER",
        "MESSAGE",
        "UPDATE",
        "PRACK",
        "PUBLISH",
    ];
    const CLASSES: [&str; 6] = ["1xx", "2xx", "3xx", "4xx", "5xx", "6xx"];
    if let Some(status) = bytes.strip_prefix(b"SIP/2.0 ") {
        return match status.first() {
            Some(d @ b'1'..=b'6') => CLASSES[usize::from(d - b'1')],
            _ => "other",
        };
    }
    let method = bytes.split(|b| *b == b' ').next().unwrap_or_default();
    METHODS
        .iter()
        .find(|m| m.as_bytes() == method)
        .copied()
        .unwrap_or("other")
}

/// The process's metrics.
pub fn global() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(Metrics::new)
}

impl Metrics {
    fn new() -> Self {
        let mut m = Self {
            registry: Registry::with_prefix("switchboard"),
            requests: Family::default(),
            request_seconds: Family::new_with_constructor(seconds),
            engine_turn_seconds: seconds(),
            engine_store_seconds: seconds(),
            contacts: Family::default(),
            sockets: Family::default(),
            sip_devices: Gauge::default(),
            sip_calls: Gauge::default(),
            sip_trunks_up: Gauge::default(),
            sip_messages: Family::default(),
            sip_dropped: Counter::default(),
            rtp_ports_free: Gauge::default(),
            pool_connections: Family::default(),
            pool_idle: Family::default(),
            webhook_deliveries: Family::default(),
        };
        m.register();
        // A family is exported only once it has a series: start the bounded ones at 0, so
        // dashboards and alerts see them before the first event.
        for kind in ["agent", "customer"] {
            let _ = m.sockets.get_or_create(&SocketLabels { kind });
        }
        for (direction, message) in [("in", "INVITE"), ("in", "REGISTER"), ("out", "5xx")] {
            let _ = m
                .sip_messages
                .get_or_create(&SipLabels { direction, message });
        }
        for outcome in ["delivered", "retry", "failed", "refused"] {
            let _ = m
                .webhook_deliveries
                .get_or_create(&OutcomeLabels { outcome });
        }
        m
    }

    fn register(&mut self) {
        let r = &mut self.registry;
        r.register(
            "http_requests",
            "HTTP requests answered, by method, route template and status",
            self.requests.clone(),
        );
        r.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route template",
            self.request_seconds.clone(),
        );
        r.register(
            "engine_turn_duration_seconds",
            "Time of one routing engine turn: commands applied, stored, answered",
            self.engine_turn_seconds.clone(),
        );
        r.register(
            "engine_store_duration_seconds",
            "Time to store one routing engine turn in the database",
            self.engine_store_seconds.clone(),
        );
        r.register(
            "contacts",
            "Contacts not closed, by channel and state (all tenants)",
            self.contacts.clone(),
        );
        r.register(
            "websocket_sessions",
            "Open WebSockets: agent (the event stream) and customer (web chat)",
            self.sockets.clone(),
        );
        r.register(
            "sip_registered_devices",
            "Agents' SIP devices registered",
            self.sip_devices.clone(),
        );
        r.register("sip_calls", "SIP calls up", self.sip_calls.clone());
        r.register(
            "sip_trunks_registered",
            "Trunks registered with their provider",
            self.sip_trunks_up.clone(),
        );
        r.register(
            "sip_messages",
            "SIP messages received (in) and sent (out), by method or response class",
            self.sip_messages.clone(),
        );
        r.register(
            "sip_datagrams_dropped",
            "SIP datagrams dropped unread because the switch was behind (overload)",
            self.sip_dropped.clone(),
        );
        r.register(
            "rtp_ports_free",
            "RTP ports the switch may hand out (an ended call's once its media closed them)",
            self.rtp_ports_free.clone(),
        );
        r.register(
            "db_pool_connections",
            "Database connections open, by pool",
            self.pool_connections.clone(),
        );
        r.register(
            "db_pool_idle_connections",
            "Database connections idle, by pool",
            self.pool_idle.clone(),
        );
        r.register(
            "webhook_deliveries",
            "Webhook delivery attempts, by outcome (delivered, retry, failed, refused)",
            self.webhook_deliveries.clone(),
        );
    }

    /// One routing engine turn took `turn`, of which storing it took `store`.
    pub fn engine_turn(&self, turn: Duration, store: Duration) {
        self.engine_turn_seconds.observe(turn.as_secs_f64());
        self.engine_store_seconds.observe(store.as_secs_f64());
    }

    pub fn set_rtp_ports_free(&self, ports: usize) {
        self.rtp_ports_free
            .set(i64::try_from(ports).unwrap_or(i64::MAX));
    }

    pub fn set_sip_calls(&self, calls: usize) {
        self.sip_calls.set(i64::try_from(calls).unwrap_or(i64::MAX));
    }

    /// A SIP message went `in` or `out` (its first bytes say what it is).
    pub fn sip_message(&self, direction: &'static str, bytes: &[u8]) {
        let message = sip_kind(bytes);
        self.sip_messages
            .get_or_create(&SipLabels { direction, message })
            .inc();
    }

    /// A SIP datagram was dropped: the switch's queue was full.
    pub fn sip_dropped(&self) {
        self.sip_dropped.inc();
    }

    /// A webhook delivery attempt ended so (`delivered`, `retry`, `failed`, `refused`).
    pub fn webhook_attempt(&self, outcome: &'static str) {
        self.webhook_deliveries
            .get_or_create(&OutcomeLabels { outcome })
            .inc();
    }

    /// Counts an open WebSocket until the guard is dropped.
    pub fn socket(&self, kind: &'static str) -> SocketGuard {
        let gauge = self.sockets.get_or_create_owned(&SocketLabels { kind });
        gauge.inc();
        SocketGuard(gauge)
    }
}

/// An open WebSocket, counted while it lives.
pub struct SocketGuard(Gauge);

impl Drop for SocketGuard {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// Middleware on the public router: counts and times every request by its route template.
pub async fn track(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("other", MatchedPath::as_str)
        .to_owned();
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let m = global();
    m.request_seconds
        .get_or_create(&RouteLabels {
            method: method.clone(),
            route: route.clone(),
        })
        .observe(started.elapsed().as_secs_f64());
    m.requests
        .get_or_create(&RequestLabels {
            method,
            route,
            status: response.status().as_u16(),
        })
        .inc();
    response
}

/// Reads the figures that are states rather than events.
async fn refresh(state: &AppState) {
    let m = global();
    let mut counts = std::collections::HashMap::<(Channel, ContactStatus), i64>::new();
    for engine in state.engines.running_all() {
        let tenant_counts = engine
            .read(|e| {
                e.contact_ids()
                    .into_iter()
                    .filter_map(|id| e.contact_view(id))
                    .map(|v| (v.channel, v.phase.status()))
                    .collect::<Vec<_>>()
            })
            .await
            .unwrap_or_default();
        for key in tenant_counts {
            *counts.entry(key).or_default() += 1;
        }
    }
    // Every pair is set, so a state that emptied reads 0 rather than its last count.
    for channel in Channel::ALL {
        for status in ContactStatus::ALL {
            if *status == ContactStatus::Closed {
                continue;
            }
            let labels = ContactLabels {
                channel: channel.code(),
                state: status.code(),
            };
            let count = counts.get(&(*channel, *status)).copied().unwrap_or(0);
            m.contacts.get_or_create(&labels).set(count);
        }
    }
    let (devices, trunks) = state.voice.live_counts();
    m.sip_devices
        .set(i64::try_from(devices).unwrap_or(i64::MAX));
    m.sip_trunks_up
        .set(i64::try_from(trunks).unwrap_or(i64::MAX));
    for pool in state.store.pool_stats().await {
        let labels = PoolLabels { pool: pool.pool };
        m.pool_connections
            .get_or_create(&labels)
            .set(i64::from(pool.size));
        m.pool_idle.get_or_create(&labels).set(i64::from(pool.idle));
    }
}

/// The whole scrape in the OpenMetrics text format.
pub async fn render(state: &AppState) -> Result<String, std::fmt::Error> {
    refresh(state).await;
    let mut text = String::new();
    prometheus_client::encoding::text::encode(&mut text, &global().registry)?;
    Ok(text)
}

async fn scrape(State(state): State<AppState>) -> Response {
    match render(&state).await {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The metrics listener's app: `GET /metrics` and nothing else.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(scrape))
        .with_state(state)
}

/// Serves `/metrics` on `listener` until `shutdown`.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let local: SocketAddr = listener.local_addr()?;
    tracing::info!(%local, "metrics on /metrics");
    crate::listen::serve(
        listener,
        app(state),
        crate::listen::Limits::default(),
        shutdown,
    )
    .await
}
