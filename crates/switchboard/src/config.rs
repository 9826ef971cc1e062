//! Settings for `serve` and `migrate`: command-line flags and `SWITCHBOARD_*` variables win
//! over the `--config` TOML file, which wins over the defaults.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

pub const DEFAULT_DATA: &str = "./switchboard-data";
pub const DEFAULT_HTTP: &str = "127.0.0.1:8080";

/// The TOML file's shape; every key optional.
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub data: Option<PathBuf>,
    pub http: Option<String>,
    pub database_url: Option<String>,
    pub demo: Option<bool>,
    pub trusted_proxies: Option<Vec<std::net::IpAddr>>,
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

pub fn parse_http(text: &str) -> anyhow::Result<SocketAddr> {
    text.parse()
        .with_context(|| format!("--http '{text}' is not an address like 127.0.0.1:8080"))
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
        std::fs::write(&good, "http = \"127.0.0.1:9000\"\ndemo = true\n").unwrap();
        let cfg = FileConfig::load(Some(&good)).unwrap();
        assert_eq!(cfg.http.as_deref(), Some("127.0.0.1:9000"));
        assert_eq!(cfg.demo, Some(true));
        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, "htp = 1\n").unwrap();
        assert!(FileConfig::load(Some(&bad)).is_err());
        assert!(parse_http("nonsense").is_err());
    }
}
