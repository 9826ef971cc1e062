//! Inputs of the `rtp` fuzz target replayed with its own steps: the kept crashes
//! (`fuzz/regressions/rtp/`, a README while none) and the seeds taken from sipp's pcaps, so
//! the leg's receive path is proven on them by `cargo test` without the fuzzer.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use std::path::Path;

// The fuzz target's own steps.
#[path = "../../../fuzz/replay/rtp.rs"]
mod replay;

fn inputs(dir: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz")
        .join(dir);
    assert!(dir.is_dir(), "{} is missing", dir.display());
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
        .map(|p| std::fs::read(p).unwrap())
        .collect()
}

#[test]
fn kept_crashes_and_seeds_replay_cleanly() {
    for input in inputs("regressions/rtp") {
        replay::feed(&input);
    }
    let seeds = inputs("seeds/rtp");
    assert!(!seeds.is_empty());
    for input in seeds {
        assert!(replay::feed(&input) >= 10, "a seed holds real datagrams");
    }
}
