//! The `switchboard-bench` binary as `make bench` uses it: its subcommands and one small
//! routing run printing its figures as one JSON line.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_switchboard-bench");

#[test]
fn help_lists_every_benchmark() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for bench in [
        "routing",
        "offers",
        "chat",
        "tickets",
        "voice-direct",
        "voice-queue",
        "voice-concurrent",
        "voice-media",
    ] {
        assert!(help.contains(bench), "{bench} missing from:\n{help}");
    }
    assert!(!help.contains("chat-clients"), "the client half is hidden");
}

#[test]
fn routing_prints_its_figures_as_one_json_line() {
    let out = Command::new(BIN)
        .args([
            "routing",
            "--agents",
            "50",
            "--queues",
            "5",
            "--contacts",
            "500",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let figures: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(figures["bench"], "routing");
    assert_eq!(figures["agents"], 50);
    assert_eq!(figures["contacts"], 500);
    assert!(figures["decisions"].as_u64().unwrap() > 0, "{figures}");
    for key in [
        "decisions_per_s",
        "p50_ns",
        "p99_ns",
        "max_ns",
        "unserved",
        "max_rss_kb",
    ] {
        assert!(figures[key].is_number(), "{key} missing from {figures}");
    }
}

#[test]
fn an_unknown_database_is_refused() {
    let out = Command::new(BIN)
        .args(["tickets", "--tickets", "1", "--database", "oracle"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("sqlite or postgres"), "{stderr}");
}
