//! Settings for `serve` and `migrate`: command-line flags and `SWITCHBOARD_*` variables win
//! over the `--config` TOML file, which wins over the defaults.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;
use switchboard_server::voice::runtime::SipConfig;

pub const DEFAULT_DATA: &str = "./switchboard-data";
pub const DEFAULT_HTTP: &str = "127.0.0.1:8080";
pub const DEFAULT_SIP: &str = "127.0.0.1:5060";
pub const DEFAULT_RTP_PORTS: &str = "20000-29999";

/// The TOML file's shape; every key optional.
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub data: Option<PathBuf>,
    pub http: Option<String>,
    pub database_url: Option<String>,
    pub demo: Option<bool>,
    pub demo_history: Option<u32>,
    pub trusted_proxies: Option<Vec<std::net::IpAddr>>,
    pub sip: Option<String>,
    pub rtp_ports: Option<String>,
    pub media_address: Option<std::net::IpAddr>,
    pub recordings: Option<OnOff>,
    pub log_format: Option<LogFormat>,
    pub metrics_addr: Option<String>,
    pub webhook_allow_private: Option<bool>,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// A switch written `on` or `off`, on the command line and in the file alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum OnOff {
    On,
    Off,
}

impl FileConfig {
    pub fn load(path: Option<&Path>) -> anyhow::Result<Self> {
        let Some(path) = path else {
            return Ok(Self::default());
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading config file {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("parsing config file {}", path.display()))
    }
}

/// Merges one setting: flag or environment first, then file, then default.
pub fn pick<T>(flag: Option<T>, file: Option<T>, default: impl FnOnce() -> T) -> T {
    flag.or(file).unwrap_or_else(default)
}

/// Days of demo history: the flag (range-checked by clap) or the file's, 0 to 90, and only
/// with the demo.
pub fn demo_history(flag: Option<u32>, file: Option<u32>, demo: bool) -> anyhow::Result<u32> {
    let max = switchboard_server::demo::history::MAX_DAYS;
    let days = pick(flag, file, || 0);
    anyhow::ensure!(
        days <= max,
        "--demo-history (demo_history) {days} is out of range: 0 to {max} days"
    );
    anyhow::ensure!(
        days == 0 || demo,
        "--demo-history (demo_history) needs --demo: it plays history into the demo tenant"
    );
    Ok(days)
}

pub fn parse_http(text: &str) -> anyhow::Result<SocketAddr> {
    parse_addr("--http", text)
}

/// An address flag's value, or an error naming the flag.
pub fn parse_addr(flag: &str, text: &str) -> anyhow::Result<SocketAddr> {
    text.parse()
        .with_context(|| format!("{flag} '{text}' is not an address like 127.0.0.1:8080"))
}

/// The SIP settings, or `None` for `--sip off`.
pub fn parse_sip(
    sip: &str,
    rtp_ports: &str,
    media_address: Option<std::net::IpAddr>,
    data_dir: &Path,
    recordings: OnOff,
) -> anyhow::Result<Option<SipConfig>> {
    if sip == "off" {
        return Ok(None);
    }
    let listen = sip
        .parse()
        .with_context(|| format!("--sip '{sip}' is not an address like 127.0.0.1:5060 (or off)"))?;
    let bad = || {
        format!("--rtp-ports '{rtp_ports}' is not LOW-HIGH, with LOW < HIGH and at least 4 ports")
    };
    let (low, high) = rtp_ports.split_once('-').with_context(bad)?;
    let (low, high): (u16, u16) = (
        low.trim().parse().with_context(bad)?,
        high.trim().parse().with_context(bad)?,
    );
    if high < low.saturating_add(3) || low < 1024 {
        anyhow::bail!(bad());
    }
    Ok(Some(SipConfig {
        listen,
        rtp_ports: (low, high),
        media_address,
        recordings: data_dir.join("recordings"),
        record_calls: recordings == OnOff::On,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_file_beats_default() {
        assert_eq!(pick(Some(1), Some(2), || 3), 1);
        assert_eq!(pick(None, Some(2), || 3), 2);
        assert_eq!(pick(None::<i32>, None, || 3), 3);
    }

    #[test]
    fn config_files_parse_and_refuse_unknown_keys() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.toml");
        std::fs::write(
            &good,
            "http = \"127.0.0.1:9000\"\ndemo = true\nrecordings = \"off\"\nlog_format = \"json\"\n",
        )
        .unwrap();
        let cfg = FileConfig::load(Some(&good)).unwrap();
        assert_eq!(cfg.recordings, Some(OnOff::Off));
        assert_eq!(cfg.log_format, Some(LogFormat::Json));
        assert_eq!(cfg.http.as_deref(), Some("127.0.0.1:9000"));
        assert_eq!(cfg.demo, Some(true));
        std::fs::write(&good, "demo = true\ndemo_history = 14\n").unwrap();
        let cfg = FileConfig::load(Some(&good)).unwrap();
        assert_eq!(demo_history(None, cfg.demo_history, true).unwrap(), 14);
        assert_eq!(demo_history(Some(3), cfg.demo_history, true).unwrap(), 3);
        assert_eq!(demo_history(None, None, false).unwrap(), 0);
        assert!(demo_history(None, Some(91), true).is_err());
        assert!(demo_history(Some(2), None, false).is_err());
        std::fs::write(&good, "demo_history = -1\n").unwrap();
        assert!(FileConfig::load(Some(&good)).is_err());
        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, "htp = 1\n").unwrap();
        assert!(FileConfig::load(Some(&bad)).is_err());
        assert!(parse_http("nonsense").is_err());
        assert!(parse_addr("--metrics-addr", "127.0.0.1:9100").is_ok());
        let data = Path::new("/data");
        assert!(parse_sip("off", "20000-20010", None, data, OnOff::On)
            .unwrap()
            .is_none());
        let sip = parse_sip("127.0.0.1:0", "20000-20010", None, data, OnOff::On)
            .unwrap()
            .unwrap();
        assert_eq!(
            (sip.rtp_ports, sip.recordings, sip.record_calls),
            ((20000, 20010), data.join("recordings"), true)
        );
        let quiet = parse_sip("127.0.0.1:0", "20000-20010", None, data, OnOff::Off);
        assert!(!quiet.unwrap().unwrap().record_calls);
        for (addr, ports) in [
            ("x", "20000-20010"),
            ("127.0.0.1:0", "20010-20000"),
            ("127.0.0.1:0", "80-90"),
            ("127.0.0.1:0", "a-b"),
        ] {
            assert!(
                parse_sip(addr, ports, None, data, OnOff::On).is_err(),
                "{addr} {ports}"
            );
        }
    }
}
