//! Setting up the demo tenant's voice side and running SIP peers against it.

use std::net::SocketAddr;
use std::process::Stdio;
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::Duration;

use switchboard_engine::{Channel, TenantId, UserId};
use switchboard_server::voice::runtime::{self, SipConfig};
use switchboard_storage::{HotlineNumber, NumberRoute};

use crate::support::TestApp;

pub const SIP_PASSWORD: &str = "switchboard";

/// Ports for peers and media, distinct per test so tests run side by side; a block is
/// handed out only when every port in it is free (other test runs may be using some).
static NEXT_PORT: AtomicU16 = AtomicU16::new(0);

pub fn ports(n: u16) -> u16 {
    // Start where another process (a parallel test run) is unlikely to be.
    let _ = NEXT_PORT.compare_exchange(
        0,
        // Below Linux's ephemeral range (32768 up), so the server's own outgoing sockets
        // (database connections, port-0 binds) never take a port between the check and
        // the peer's bind.
        12_000 + (std::process::id() % 100) as u16 * 200,
        Ordering::Relaxed,
        Ordering::Relaxed,
    );
    loop {
        let first = NEXT_PORT.fetch_add(n, Ordering::Relaxed);
        let free = (first..first + n).all(|p| {
            std::net::UdpSocket::bind(("127.0.0.1", p)).is_ok()
                && std::net::TcpListener::bind(("127.0.0.1", p)).is_ok()
        });
        if free {
            return first;
        }
    }
}

pub struct Voice {
    pub sip: SocketAddr,
    pub tenant: TenantId,
    pub agents: Vec<UserId>,
    pub recordings: tempfile::TempDir,
}

/// The demo's voice side (extensions 1001-1003 for agent1-3 with password
/// `switchboard`, a trunk at 127.0.0.1, 4000 the IVR menu, 4001 after-sales) plus hotline
/// 4002 straight to the pre-sales queue (4003 the same with the survey); then the SIP side
/// on port 0.
pub async fn start(app: &TestApp) -> Voice {
    start_recording(app, true).await
}

/// [`start`], with connected calls recorded or not (`--recordings on|off`).
pub async fn start_recording(app: &TestApp, record_calls: bool) -> Voice {
    let s = app.store.as_ref();
    let tenant = s
        .tenant_by_name(&switchboard_engine::TenantName::parse("demo").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let users = s.users(tenant).await.unwrap();
    let agents: Vec<UserId> = ["agent1", "agent2", "agent3"]
        .iter()
        .map(|login| {
            users
                .iter()
                .find(|u| u.login.as_str() == *login)
                .unwrap()
                .id
        })
        .collect();
    let queues = s.skill_queues(tenant).await.unwrap();
    let presales = queues
        .iter()
        .find(|q| q.spec.channel == Channel::Voice)
        .unwrap();
    let number = HotlineNumber {
        id: switchboard_engine::HotlineNumberId::new(),
        number: "4002".into(),
        inbound: true,
        survey: false,
        route: NumberRoute::Queue(presales.id),
        outbound: false,
        outbound_trunk: None,
    };
    s.save_hotline_number(tenant, &number, 0).await.unwrap();
    // 4003: the same queue, with the satisfaction survey after the agent releases.
    let surveyed = HotlineNumber {
        id: switchboard_engine::HotlineNumberId::new(),
        number: "4003".into(),
        survey: true,
        ..number
    };
    s.save_hotline_number(tenant, &surveyed, 0).await.unwrap();
    let low = ports(100);
    let recordings = tempfile::tempdir().unwrap();
    let cfg = SipConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        rtp_ports: (low, low + 99),
        media_address: None,
        recordings: recordings.path().to_owned(),
        record_calls,
    };
    let sip = runtime::start(app.state.clone(), cfg).await.unwrap().local;
    Voice {
        sip,
        tenant,
        agents,
        recordings,
    }
}

/// Runs sipp with a scenario written to a file; true when every call of it succeeded.
pub async fn sipp(server: SocketAddr, scenario: &str, args: &[&str]) -> bool {
    sipp_on(ports(1), server, scenario, args).await
}

/// `sipp` listening on `port` (a peer the server reaches, e.g. a provider's registrar).
pub async fn sipp_on(port: u16, server: SocketAddr, scenario: &str, args: &[&str]) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scenario.xml");
    std::fs::write(&file, scenario).unwrap();
    let port = port.to_string();
    let media_port = ports(4).to_string();
    let mut cmd = tokio::process::Command::new("sipp");
    cmd.arg(server.to_string())
        .args([
            "-sf",
            file.to_str().unwrap(),
            "-i",
            "127.0.0.1",
            "-p",
            &port,
            "-mp",
            &media_port,
        ])
        .args([
            "-m",
            "1",
            "-l",
            "1",
            "-nostdin",
            "-timeout",
            "20s",
            "-timeout_error",
            "-trace_msg",
            "-trace_err",
        ])
        .args([
            "-error_file",
            dir.path().join("errors.log").to_str().unwrap(),
        ])
        .args(args)
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let out = cmd
        .output()
        .await
        .expect("sipp is installed (make test installs sip-tester)");
    if !out.status.success() {
        let errors = std::fs::read_to_string(dir.path().join("errors.log")).unwrap_or_default();
        eprintln!(
            "sipp failed: {}\n{errors}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    out.status.success()
}

/// Waits until each of `users` has one phone registered (up to 30 s: baresip starts
/// slowly on a loaded 2-core machine); whether they did.
pub async fn registered(
    state: &switchboard_server::AppState,
    tenant: TenantId,
    users: &[UserId],
) -> bool {
    eventually(Duration::from_secs(30), || {
        users.iter().all(|u| state.voice.devices(tenant, *u) == 1)
    })
    .await
}

/// Waits up to `limit` for `check` to hold (the SIP side works on its own tasks).
pub async fn eventually(limit: Duration, mut check: impl FnMut() -> bool) -> bool {
    let start = std::time::Instant::now();
    while start.elapsed() < limit {
        if check() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    check()
}

/// A baresip phone registered as an extension: it answers by itself, plays a tone and
/// keeps what it heard (sndfile's `dump-…-dec.wav`).
pub struct Phone {
    pub dir: tempfile::TempDir,
    /// Where it takes SIP (a customer called through a trunk is reached here).
    pub sip: u16,
    /// baresip's ctrl_tcp port, to dial, send keys and hang up.
    pub ctrl: u16,
    _child: tokio::process::Child,
}

impl Phone {
    /// An agent's phone: registers `extension`, answers by itself.
    pub async fn start(server: SocketAddr, extension: &str, tone_hz: f64) -> Phone {
        let account = format!(
            "<sip:{extension}@demo>;auth_user={extension};auth_pass={SIP_PASSWORD};outbound=\"sip:{server}\";regint=600;answermode=auto\n"
        );
        Phone::with_account(&account, tone_hz).await
    }

    /// An agent's phone that rings but is never picked up.
    pub async fn unanswered(server: SocketAddr, extension: &str) -> Phone {
        let account = format!(
            "<sip:{extension}@demo>;auth_user={extension};auth_pass={SIP_PASSWORD};outbound=\"sip:{server}\";regint=600;answermode=manual\n"
        );
        Phone::with_account(&account, 1_000.0).await
    }

    /// A customer's phone: no registration; it calls through the trunk (from 127.0.0.1).
    pub async fn customer(number: &str, tone_hz: f64) -> Phone {
        Phone::with_account(&format!("<sip:{number}@127.0.0.1>;regint=0\n"), tone_hz).await
    }

    /// A customer's phone reached through the trunk: `number` (as the trunk dials it, e.g.
    /// `+8613800138000`) answers by itself.
    pub async fn callee(number: &str, tone_hz: f64) -> Phone {
        let account = format!("<sip:{number}@127.0.0.1>;regint=0;answermode=auto\n");
        Phone::with_account(&account, tone_hz).await
    }

    async fn with_account(account: &str, tone_hz: f64) -> Phone {
        let dir = tempfile::tempdir().unwrap();
        let (sip, rtp, ctrl) = (ports(1), ports(20), ports(1));
        let tone = dir.path().join("tone.wav");
        std::fs::write(&tone, crate::audio::tone_wav(tone_hz, 30)).unwrap();
        let config = format!(
            "poll_method epoll\nsip_listen 127.0.0.1:{sip}\naudio_player aubridge,nowhere\naudio_alert aubridge,nowhere\naudio_source aufile,{}\nmodule_path /usr/lib/baresip/modules\nmodule g711.so\nmodule aufile.so\nmodule aubridge.so\nmodule sndfile.so\nmodule_app account.so\nmodule_app menu.so\nmodule_app ctrl_tcp.so\nctrl_tcp_listen 127.0.0.1:{ctrl}\nsnd_path {}\nrtp_ports {rtp}-{}\n",
            tone.display(),
            dir.path().display(),
            rtp + 19
        );
        std::fs::write(dir.path().join("config"), config).unwrap();
        std::fs::write(dir.path().join("accounts"), account).unwrap();
        let child = tokio::process::Command::new("baresip")
            .args(["-f", dir.path().to_str().unwrap(), "-t", "60"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("baresip is installed (make test installs it)");
        Phone {
            dir,
            sip,
            ctrl,
            _child: child,
        }
    }

    /// Runs a baresip command over ctrl_tcp (a netstring of JSON), retrying while baresip
    /// starts.
    pub async fn command(&self, command: &str, params: &str) {
        use tokio::io::AsyncWriteExt;
        let json =
            serde_json::json!({ "command": command, "params": params, "token": "t" }).to_string();
        let frame = format!("{}:{json},", json.len());
        for _ in 0..100 {
            if let Ok(mut s) = tokio::net::TcpStream::connect(("127.0.0.1", self.ctrl)).await {
                s.write_all(frame.as_bytes()).await.unwrap();
                tokio::time::sleep(Duration::from_millis(100)).await;
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("baresip's ctrl_tcp did not come up");
    }

    /// What the phone heard, once its call ended (sndfile writes the file as it goes).
    pub fn heard(&self) -> Option<Vec<i16>> {
        let dump = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.to_string_lossy().ends_with("-dec.wav"))?;
        let wav = switchboard_media::wav::read(&std::fs::read(dump).ok()?).ok()?;
        wav.channels.into_iter().next()
    }
}

/// Waits (up to 5 s) until the contact, as `token` sees it, is in `state`; whether it got there.
pub async fn contact_reaches(
    app: &crate::support::TestApp,
    token: &str,
    id: &str,
    state: &str,
) -> bool {
    for _ in 0..100 {
        let (_, c) = app.get(token, &format!("/api/v1/contacts/{id}")).await;
        if c["state"] == state {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// Waits until the agent's (token's) first contact is connected; its id.
pub async fn connected_contact(app: &crate::support::TestApp, agent: &str) -> String {
    for _ in 0..200 {
        let (_, me) = app.get(agent, "/api/v1/agent").await;
        if me["contacts"][0]["state"] == "connected" {
            return me["contacts"][0]["id"].as_str().unwrap().to_owned();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no call was connected to the agent");
}
