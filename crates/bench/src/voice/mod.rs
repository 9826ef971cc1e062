//! `switchboard-bench voice-…`: the voice benchmarks against the release server started as a
//! child process, with real SIP peers on loopback (sipp, sippy's B2BUA, rtpengine, and the
//! bench's own SIP user agent and RTP generator). One module per benchmark; what they share
//! (where the programs are, and figures of samples) is here.

pub mod concurrent;
pub mod conference;
pub mod direct;
pub mod media;
mod ng;
mod peers;
pub mod queue;
mod rtp;
mod sipua;

use std::path::PathBuf;

use crate::support::percentile;

/// Where the programs under test are; every benchmark takes these.
#[derive(clap::Args, Clone)]
pub struct Programs {
    /// The Switchboard binary [default: `switchboard` beside this binary]
    #[arg(long, value_name = "PATH")]
    pub server: Option<PathBuf>,
}

impl Programs {
    pub fn server(&self) -> anyhow::Result<PathBuf> {
        if let Some(p) = &self.server {
            return Ok(p.clone());
        }
        let me = std::env::current_exe()?;
        let beside = me.with_file_name("switchboard");
        anyhow::ensure!(
            beside.exists(),
            "no {} (build it: cargo build --release -p switchboard), or pass --server",
            beside.display()
        );
        Ok(beside)
    }
}

/// `{"p50":…,"p99":…,"max":…}` of sorted samples, or nulls when there are none.
pub fn spread(sorted: &[f64]) -> String {
    if sorted.is_empty() {
        return "{\"p50\":null,\"p99\":null,\"max\":null}".into();
    }
    format!(
        "{{\"p50\":{:.2},\"p99\":{:.2},\"max\":{:.2}}}",
        percentile(sorted, 0.5),
        percentile(sorted, 0.99),
        sorted.last().copied().unwrap_or(f64::NAN)
    )
}

/// The machine's 1-minute load average when the figures were taken (they mean little on a
/// busy machine).
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "null".into())
}
