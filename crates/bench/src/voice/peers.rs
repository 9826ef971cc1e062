//! The voice benchmarks' peers as child processes on loopback: the Switchboard server (the
//! release binary beside this one), sipp runs and sipp's called party, sippy's B2BUA and
//! rtpengine. Each is killed when dropped; ports are picked free at run time.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::Context;
use serde_json::{json, Value};
use tokio::process::{Child, Command};

/// The demo tenant's admin (`switchboard serve --demo`).
pub const DEMO_TENANT: &str = "demo";
pub const DEMO_PASSWORD: &str = "switchboard";

/// The scenarios, written out for sipp at run time (so any working directory will do).
const UAC: &str = include_str!("../../sipp/uac.xml");
const UAC_AUDIO: &str = include_str!("../../sipp/uac_audio.xml");
const UAC_IVR: &str = include_str!("../../sipp/uac_ivr.xml");
const UAS: &str = include_str!("../../sipp/uas.xml");

/// A free UDP port on loopback whose TCP twin is free too (the server's SIP takes both).
pub fn free_port() -> anyhow::Result<u16> {
    for _ in 0..100 {
        let udp = std::net::UdpSocket::bind("127.0.0.1:0")?;
        let port = udp.local_addr()?.port();
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return Ok(port);
        }
    }
    anyhow::bail!("no free port on 127.0.0.1")
}

/// Where relays take their RTP ports: below Linux's ephemeral range (32768-60999), where
/// the bench's own sockets bound to port 0 land.
pub const RELAY_PORTS: (u16, u16) = (10_000, 32_000);
/// Where sipp's media ports go: above the ephemeral range and the relays' ports.
const SIPP_MEDIA_PORTS: (u16, u16) = (61_000, 65_000);

/// Media ports for one sipp (it takes the port and the next three), a fresh block each time:
/// a sipp just started may not have bound its own yet.
fn sipp_media_port() -> anyhow::Result<u16> {
    static NEXT: std::sync::atomic::AtomicU16 = std::sync::atomic::AtomicU16::new(0);
    let span = SIPP_MEDIA_PORTS.1 - SIPP_MEDIA_PORTS.0;
    for _ in 0..span / 4 {
        let n = NEXT.fetch_add(4, std::sync::atomic::Ordering::Relaxed) % span;
        let first = SIPP_MEDIA_PORTS.0 + n - n % 4;
        if (first..first + 4).all(|p| std::net::UdpSocket::bind(("127.0.0.1", p)).is_ok()) {
            return Ok(first);
        }
    }
    anyhow::bail!("no free media ports for sipp in {SIPP_MEDIA_PORTS:?}")
}

/// The first of `n` consecutive free UDP ports (even, for RTP) in `region`.
pub fn free_ports(n: u16, region: (u16, u16)) -> anyhow::Result<u16> {
    let span = region.1.saturating_sub(region.0).saturating_sub(n).max(1);
    let mut first = region.0 + ((std::process::id() as u16 % 64) * 2) % span;
    while first.saturating_add(n) < region.1 {
        let free = (first..first + n).all(|p| std::net::UdpSocket::bind(("127.0.0.1", p)).is_ok());
        if free {
            return Ok(first);
        }
        first += n + (n % 2);
    }
    anyhow::bail!("no {n} consecutive free UDP ports on 127.0.0.1 in {region:?}")
}

/// Process CPU time (user + system) of `pid` so far, from /proc.
pub fn cpu_time(pid: u32) -> anyhow::Result<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name (which may hold spaces) start at its closing ')'.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| -> anyhow::Result<u64> {
        Ok(fields.get(i).context("short /proc stat")?.parse()?)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let total = ticks(11)? + ticks(12)?;
    Ok(Duration::from_micros(total * 1_000_000 / clock_ticks()))
}

/// Clock ticks per second of /proc's times (`getconf CLK_TCK`; 100 on Linux in practice).
fn clock_ticks() -> u64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .filter(|t| *t > 0)
        .unwrap_or(100)
}

fn pid_of(child: &Child) -> anyhow::Result<u32> {
    child.id().context("the child process has already exited")
}

/// The Switchboard server with the demo tenant, SIP on a free port, a fresh data folder.
pub struct Server {
    pub base: String,
    pub sip: SocketAddr,
    pub pid: u32,
    pub client: reqwest::Client,
    /// The demo admin's session.
    pub admin: String,
    _child: Child,
    _data: tempfile::TempDir,
}

impl Server {
    /// Starts `bin serve --demo` with `rtp` ports and recordings on or off; waits until it
    /// answers and logs the admin in.
    pub async fn start(bin: &Path, rtp: (u16, u16), record: bool) -> anyhow::Result<Server> {
        let data = tempfile::tempdir()?;
        let (http, sip) = (free_port()?, free_port()?);
        let child = Command::new(bin)
            .args(["serve", "--demo", "--data"])
            .arg(data.path())
            .args(["--http", &format!("127.0.0.1:{http}")])
            .args(["--sip", &format!("127.0.0.1:{sip}")])
            .args(["--rtp-ports", &format!("{}-{}", rtp.0, rtp.1)])
            .args(["--recordings", if record { "on" } else { "off" }])
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let pid = pid_of(&child)?;
        let base = format!("http://127.0.0.1:{http}");
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let up = client.get(format!("{base}/healthz")).send().await;
            if up.is_ok_and(|r| r.status().is_success()) {
                break;
            }
            anyhow::ensure!(Instant::now() < deadline, "the server did not come up");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let admin = login(&client, &base, "admin", DEMO_PASSWORD).await?;
        Ok(Server {
            base,
            sip: SocketAddr::from(([127, 0, 0, 1], sip)),
            pid,
            client,
            admin,
            _child: child,
            _data: data,
        })
    }

    /// A request as the admin; the JSON answer, or the error with its body.
    pub async fn api(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        self.api_as(&self.admin, method, path, body).await
    }

    pub async fn api_as(
        &self,
        token: &str,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        let mut req = self
            .client
            .request(method.clone(), format!("{}{path}", self.base))
            .bearer_auth(token)
            .timeout(Duration::from_secs(30));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await?;
        let status = res.status();
        let text = res.text().await?;
        anyhow::ensure!(status.is_success(), "{method} {path}: {status} {text}");
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// A hotline number of the demo tenant routed straight to `uri`.
    pub async fn direct_number(&self, number: &str, uri: &str) -> anyhow::Result<()> {
        let body = json!({ "number": number, "route": { "kind": "direct", "uri": uri } });
        self.api(reqwest::Method::POST, "/api/v1/voice/numbers", Some(body))
            .await?;
        // The SIP runtime reloads its directory on its own task; give it a moment.
        tokio::time::sleep(Duration::from_millis(500)).await;
        Ok(())
    }

    pub fn cpu(&self) -> anyhow::Result<Duration> {
        cpu_time(self.pid)
    }

    /// The records of the calls to `number` with their legs, once every leg's quality is in (or
    /// after 60 s, as they are).
    pub async fn call_records(&self, number: &str, expected: usize) -> anyhow::Result<Vec<Value>> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let ids = self.call_ids(number).await?;
            let mut calls = Vec::with_capacity(ids.len());
            for id in &ids {
                calls.push(
                    self.api(reqwest::Method::GET, &format!("/api/v1/calls/{id}"), None)
                        .await?,
                );
            }
            let complete = calls.iter().all(|c| {
                !c["ended_at"].is_null()
                    && c["legs"]
                        .as_array()
                        .is_some_and(|legs| legs.iter().all(|l| !l["quality"].is_null()))
            });
            if (complete && calls.len() >= expected) || Instant::now() > deadline {
                return Ok(calls);
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    }

    /// The ids of every call to `number`, paging through the list.
    async fn call_ids(&self, number: &str) -> anyhow::Result<Vec<String>> {
        let mut ids = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..1_000 {
            let mut path = format!("/api/v1/calls?number={number}&limit=200");
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={c}"));
            }
            let page = self.api(reqwest::Method::GET, &path, None).await?;
            for item in page["items"].as_array().into_iter().flatten() {
                if let Some(id) = item["id"].as_str() {
                    ids.push(id.to_owned());
                }
            }
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => break,
            }
        }
        Ok(ids)
    }
}

/// Logs `login` in to the demo tenant; the session token.
pub async fn login(
    client: &reqwest::Client,
    base: &str,
    login: &str,
    password: &str,
) -> anyhow::Result<String> {
    crate::support::login_to(client, base, (DEMO_TENANT, login, password)).await
}

/// A folder with the scenarios written out, where sipp also leaves its statistics.
pub struct Scenarios {
    pub dir: tempfile::TempDir,
}

impl Scenarios {
    pub fn write() -> anyhow::Result<Scenarios> {
        let dir = tempfile::tempdir()?;
        std::fs::write(dir.path().join("uac.xml"), UAC)?;
        std::fs::write(dir.path().join("uac_ivr.xml"), UAC_IVR)?;
        std::fs::write(dir.path().join("uas.xml"), UAS)?;
        let pcap = "/usr/share/sip-tester/g711a.pcap";
        std::fs::write(
            dir.path().join("uac_audio.xml"),
            UAC_AUDIO.replace("PCAP_FILE", pcap),
        )?;
        Ok(Scenarios { dir })
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// sipp's called party on a free port, answering every call (and echoing RTP with `echo`)
/// until dropped.
pub struct Callee {
    pub port: u16,
    _child: Child,
}

impl Callee {
    pub fn start(scenarios: &Scenarios, echo: bool) -> anyhow::Result<Callee> {
        let (port, media) = (free_port()?, sipp_media_port()?);
        let mut cmd = Command::new("sipp");
        cmd.arg("-sf")
            .arg(scenarios.path("uas.xml"))
            .args(["-i", "127.0.0.1", "-p", &port.to_string()])
            .args([
                "-mp",
                &media.to_string(),
                "-nostdin",
                "-max_socket",
                "60000",
            ]);
        if echo {
            cmd.arg("-rtp_echo");
        }
        let child = cmd
            .current_dir(scenarios.dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .context("starting sipp (Debian's sip-tester; `make bench` installs it)")?;
        Ok(Callee {
            port,
            _child: child,
        })
    }
}

/// What one sipp caller run did.
#[derive(Debug, Clone, Default)]
pub struct SippRun {
    pub successful: u64,
    pub failed: u64,
    /// The most calls up at once in any one-second statistics dump.
    pub peak_calls: u64,
    pub wall_s: f64,
    /// INVITE → 200 of each call, in ms, sorted.
    pub setup_ms: Vec<f64>,
    /// What sipp said of its first failed call, if one failed (its error file, cut short).
    pub first_error: Option<String>,
}

impl SippRun {
    pub fn failure_ratio(&self) -> f64 {
        let total = self.successful + self.failed;
        if total == 0 {
            1.0
        } else {
            self.failed as f64 / total as f64
        }
    }
}

/// What a sipp caller run is asked to do.
pub struct Calls<'a> {
    pub scenario: &'a str,
    pub target: SocketAddr,
    pub number: &'a str,
    pub rate: u32,
    pub calls: u32,
    pub hold_ms: u32,
    /// The whole run is cut here (sipp's -timeout), failing what did not finish.
    pub limit: Duration,
}

/// Runs sipp's caller to the end; its statistics.
pub async fn run_calls(scenarios: &Scenarios, c: &Calls<'_>) -> anyhow::Result<SippRun> {
    let run = tempfile::tempdir_in(scenarios.dir.path())?;
    let (port, media) = (free_port()?, sipp_media_port()?);
    let started = Instant::now();
    let out = Command::new("sipp")
        .arg(c.target.to_string())
        .arg("-sf")
        .arg(scenarios.path(c.scenario))
        .args([
            "-i",
            "127.0.0.1",
            "-p",
            &port.to_string(),
            "-mp",
            &media.to_string(),
        ])
        .args([
            "-s",
            c.number,
            "-r",
            &c.rate.to_string(),
            "-m",
            &c.calls.to_string(),
        ])
        .args([
            "-l",
            "100000",
            "-d",
            &c.hold_ms.to_string(),
            "-max_socket",
            "60000",
        ])
        .args(["-nostdin", "-recv_timeout", "10000"])
        .args([
            "-timeout",
            &format!("{}s", c.limit.as_secs().max(1)),
            "-timeout_error",
        ])
        .args(["-trace_stat", "-stf", "stat.csv", "-fd", "1"])
        .args(["-trace_rtt", "-rtt_freq", "1"])
        .args(["-trace_err", "-error_file", "errors.log"])
        .current_dir(run.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .output()
        .await
        .context("running sipp (Debian's sip-tester; `make bench` installs it)")?;
    let wall_s = started.elapsed().as_secs_f64();
    let stat = std::fs::read_to_string(run.path().join("stat.csv"))
        .with_context(|| format!("sipp left no statistics (exit {:?})", out.status.code()))?;
    let mut result = parse_stat(&stat)?;
    result.wall_s = wall_s;
    result.setup_ms = read_rtt(run.path())?;
    result.first_error = std::fs::read_to_string(run.path().join("errors.log"))
        .ok()
        .and_then(|log| first_error(&log));
    Ok(result)
}

/// Successful and failed calls (the last line) and the peak of current calls (any line)
/// of sipp's `-trace_stat` file.
fn parse_stat(csv: &str) -> anyhow::Result<SippRun> {
    let mut lines = csv.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<&str> = lines
        .next()
        .context("empty sipp statistics")?
        .split(';')
        .collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .context(name.to_owned())
    };
    let (ok, failed, current) = (
        col("SuccessfulCall(C)")?,
        col("FailedCall(C)")?,
        col("CurrentCall")?,
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(';').collect()).collect();
    let num = |row: &Vec<&str>, i: usize| {
        row.get(i)
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or(0)
    };
    let last = rows.last().context("sipp statistics without a row")?;
    Ok(SippRun {
        successful: num(last, ok),
        failed: num(last, failed),
        peak_calls: rows.iter().map(|r| num(r, current)).max().unwrap_or(0),
        ..SippRun::default()
    })
}

/// The first entry of sipp's error file, on one line and at most 300 characters.
fn first_error(log: &str) -> Option<String> {
    // sipp's warning that -l exceeds the open-file limit is about media sockets we do not
    // open per call; it is not a failed call.
    let entry = log
        .split("\n\n")
        .find(|e| !e.trim().is_empty() && !e.contains("Maximum number of open sockets"))?;
    let line: String = entry.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(line.chars().take(300).collect())
}

/// Every call's INVITE → 200 time from sipp's `-trace_rtt` file(s), sorted.
fn read_rtt(dir: &Path) -> anyhow::Result<Vec<f64>> {
    let mut ms = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if !path.to_string_lossy().ends_with("_rtt.csv") {
            continue;
        }
        for line in std::fs::read_to_string(&path)?.lines().skip(1) {
            if let Some(v) = line
                .split(';')
                .nth(1)
                .and_then(|v| v.trim().parse::<f64>().ok())
            {
                ms.push(v);
            }
        }
    }
    ms.sort_by(f64::total_cmp);
    Ok(ms)
}

/// sippy's B2BUA (`b2bua_simple`) on a free port, forwarding every call to `next_hop`.
pub struct Sippy {
    pub addr: SocketAddr,
    _child: Child,
}

impl Sippy {
    pub async fn start(script: &Path, next_hop: u16) -> anyhow::Result<Sippy> {
        let port = free_port()?;
        let child = Command::new(script)
            .args(["-f", "-l", "127.0.0.1", "-p", &port.to_string()])
            .args(["-n", &format!("127.0.0.1:{next_hop}")])
            // Errors only: its per-message log would be what we measure otherwise.
            .env("SIPLOG_LVL", "ERR")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| {
                format!(
                    "starting sippy's {} (`make bench` installs it)",
                    script.display()
                )
            })?;
        // It answers nothing we could poll without placing a call: give Python its start.
        tokio::time::sleep(Duration::from_secs(2)).await;
        Ok(Sippy {
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            _child: child,
        })
    }
}

/// rtpengine in userspace (no kernel table), its ng control port and a port range of its own.
pub struct Rtpengine {
    pub ng: SocketAddr,
    pub pid: u32,
    _child: Child,
}

impl Rtpengine {
    pub async fn start(bin: &Path, ports: (u16, u16)) -> anyhow::Result<Rtpengine> {
        let ng = free_port()?;
        let child = Command::new(bin)
            .args([
                "--config-file=none",
                "--foreground",
                "--log-stderr",
                "--log-level=3",
            ])
            .args(["--table=-1", "--interface=127.0.0.1"])
            .arg(format!("--listen-ng=127.0.0.1:{ng}"))
            .arg(format!("--port-min={}", ports.0))
            .arg(format!("--port-max={}", ports.1))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| {
                format!(
                    "starting {} (`make bench` installs rtpengine-daemon)",
                    bin.display()
                )
            })?;
        let pid = pid_of(&child)?;
        let engine = Rtpengine {
            ng: SocketAddr::from(([127, 0, 0, 1], ng)),
            pid,
            _child: child,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while super::ng::ping(engine.ng).await.is_err() {
            anyhow::ensure!(
                Instant::now() < deadline,
                "rtpengine did not answer its ng ping"
            );
        }
        Ok(engine)
    }

    pub fn cpu(&self) -> anyhow::Result<Duration> {
        cpu_time(self.pid)
    }
}
