//! `--metrics-addr`: Prometheus metrics on a listener of their own, never on the public port,
//! SIP messages counted by method and response class, and every metric the sample Grafana
//! dashboard (`docs/grafana/switchboard.json`) queries
//! present in a live scrape.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod support;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};
use support::{call, start, switchboard, task_queue, token_of};

/// Starts the demo with metrics on a free port; returns the server and the metrics URL.
async fn serve_with_metrics(data: &std::path::Path) -> (support::Server, String) {
    let mut cmd = switchboard();
    cmd.args([
        "serve",
        "--http",
        "127.0.0.1:0",
        "--sip",
        "127.0.0.1:0",
        "--demo",
    ])
    .args(["--metrics-addr", "127.0.0.1:0", "--data"])
    .arg(data);
    let server = start(cmd);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let out = server.out.lock().unwrap().clone();
        if let Some(url) = out.lines().find_map(|l| l.strip_prefix("metrics on ")) {
            return (server, url.to_owned());
        }
        assert!(Instant::now() < deadline, "no metrics address in:\n{out}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Sends an OPTIONS over UDP to `sip`; the first line of the answer.
fn options_ping(sip: &str) -> String {
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let me = socket.local_addr().unwrap();
    let ping = format!(
        "OPTIONS sip:{sip} SIP/2.0\r\nVia: SIP/2.0/UDP {me};branch=z9hG4bK-metrics-1\r\n\
         Max-Forwards: 70\r\nFrom: <sip:probe@{me}>;tag=m1\r\nTo: <sip:{sip}>\r\n\
         Call-ID: metrics-1@{me}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
    );
    socket.send_to(ping.as_bytes(), sip).unwrap();
    let mut buf = [0u8; 4_096];
    let (n, _) = socket
        .recv_from(&mut buf)
        .expect("the switch answers OPTIONS");
    let text = String::from_utf8_lossy(&buf[..n]).into_owned();
    text.lines().next().unwrap_or_default().to_owned()
}

async fn scrape(url: &str) -> String {
    let res = reqwest::get(url).await.unwrap();
    assert_eq!(res.status(), 200);
    let kind = res.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(kind.starts_with("application/openmetrics-text"), "{kind}");
    res.text().await.unwrap()
}

/// The value of the sample written exactly `series` (name and labels as exported).
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .map(|v| v.trim().parse().unwrap())
}

/// The metric names a scrape can answer: every sample's name, and for a family declared
/// but without samples yet (a counter nothing has counted) the names its samples will have.
fn exported_names(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for line in text.lines() {
        if let Some(declared) = line.strip_prefix("# TYPE ") {
            let mut parts = declared.split(' ');
            let (name, kind) = (parts.next().unwrap(), parts.next().unwrap());
            let suffixes: &[&str] = match kind {
                "counter" => &["_total"],
                "histogram" => &["_bucket", "_sum", "_count"],
                _ => &[""],
            };
            names.extend(suffixes.iter().map(|s| format!("{name}{s}")));
        } else if !line.starts_with('#') && !line.is_empty() {
            let end = line.find(['{', ' ']).unwrap_or(line.len());
            names.insert(line[..end].to_owned());
        }
    }
    names
}

/// Every `switchboard_…` metric name in the dashboard's queries.
fn dashboard_metrics() -> BTreeSet<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/grafana/switchboard.json"
    );
    let dashboard: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut names = BTreeSet::new();
    for panel in dashboard["panels"].as_array().unwrap() {
        for target in panel["targets"].as_array().unwrap() {
            let expr = target["expr"].as_str().unwrap();
            let mut rest = expr;
            while let Some(at) = rest.find("switchboard_") {
                let tail = &rest[at..];
                let end = tail
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(tail.len());
                names.insert(tail[..end].to_owned());
                rest = &tail[end..];
            }
        }
    }
    names
}

#[tokio::test]
async fn metrics_are_served_apart_and_the_dashboard_queries_only_what_exists() {
    let dir = tempfile::tempdir().unwrap();
    let (server, url) = serve_with_metrics(dir.path()).await;
    let base = server.base.clone();
    let admin = token_of(&base, "admin").await;
    let tasks = task_queue(&base, &admin).await;
    let contact = call(
        &base,
        &admin,
        Method::POST,
        "/api/v1/contacts",
        Some(json!({ "queue_id": tasks, "title": "计量" })),
    )
    .await;
    let id = contact["id"].as_str().unwrap();
    call(
        &base,
        &admin,
        Method::GET,
        &format!("/api/v1/contacts/{id}"),
        None,
    )
    .await;

    // A SIP OPTIONS ping, answered: counted in by method and out by response class.
    let sip = server
        .out
        .lock()
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("sip on udp and tcp "))
        .expect("the SIP address is printed")
        .to_owned();
    let answer = options_ping(&sip);
    assert!(answer.starts_with("SIP/2.0 "), "{answer}");
    let class = format!("{}xx", &answer[8..9]);

    let text = scrape(&url).await;
    let in_options = r#"switchboard_sip_messages_total{direction="in",message="OPTIONS"}"#;
    assert_eq!(sample(&text, in_options), Some(1.0), "{text}");
    let out = format!(r#"switchboard_sip_messages_total{{direction="out",message="{class}"}}"#);
    assert!(sample(&text, &out).unwrap_or(0.0) >= 1.0, "{text}");
    let exported = exported_names(&text);
    let wanted = dashboard_metrics();
    assert!(wanted.len() >= 10, "the dashboard queries {wanted:?}");
    let missing: Vec<_> = wanted.difference(&exported).collect();
    assert!(missing.is_empty(), "the scrape lacks {missing:?}:\n{text}");

    // Requests by route template, never the raw path (a contact's id would grow the set).
    let route = r#"switchboard_http_requests_total{method="GET",route="/api/v1/contacts/{id}",status="200"}"#;
    assert_eq!(sample(&text, route), Some(1.0), "{text}");
    assert!(!text.contains(id), "no raw path in the labels");
    let queued = r#"switchboard_contacts{channel="task",state="queued"}"#;
    assert_eq!(sample(&text, queued), Some(1.0), "{text}");
    let turns = sample(&text, "switchboard_engine_turn_duration_seconds_count").unwrap();
    assert!(turns >= 1.0, "the contact's creation was an engine turn");
    let pools = r#"switchboard_db_pool_connections{pool="writer"}"#;
    assert!(sample(&text, pools).unwrap() >= 1.0, "{text}");

    // The public port has no /metrics: it is the web UI's page there.
    let public = reqwest::get(format!("{base}/metrics")).await.unwrap();
    let body = public.text().await.unwrap();
    assert!(!body.contains("switchboard_http_requests"), "{body}");
}

#[test]
fn a_bad_metrics_address_is_refused() {
    let out = switchboard()
        .args(["serve", "--metrics-addr", "everywhere"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--metrics-addr 'everywhere'"), "{err}");
}
