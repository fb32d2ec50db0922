//! Shared by the benchmarks: run each measurement in a fresh child process (so its peak memory is its own),
//! keep the best of N runs, read VmHWM.
#![allow(dead_code)]

use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// Environment variable telling a bench binary it is a child measuring one mode.
pub const CHILD_ENV: &str = "ACR_AUDIT_BENCH_CHILD";
/// The input file for a child.
pub const FILE_ENV: &str = "ACR_AUDIT_BENCH_FILE";

/// A numeric environment setting.
pub fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Run this executable as a child in `mode` on `file`; it prints one JSON object.
pub fn run_child(mode: &str, file: &Path) -> Value {
    let exe = std::env::current_exe().expect("current exe");
    let out = Command::new(exe).env(CHILD_ENV, mode).env(FILE_ENV, file).output().expect("child runs");
    assert!(out.status.success(), "child failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("child prints JSON")
}

/// The best (lowest `total_ms`) of `runs` child runs.
pub fn best_of(runs: usize, mode: &str, file: &Path) -> Value {
    (0..runs)
        .map(|_| run_child(mode, file))
        .min_by(|a, b| a["total_ms"].as_f64().partial_cmp(&b["total_ms"].as_f64()).expect("numbers"))
        .expect("at least one run")
}

/// Peak resident set size of this process in MB, from /proc (Linux).
pub fn peak_rss_mb() -> f64 {
    status_mb("VmHWM:")
}

/// Current resident set size of this process in MB, from /proc (Linux).
#[allow(dead_code)] // used by some benchmarks only
pub fn rss_mb() -> f64 {
    status_mb("VmRSS:")
}

fn status_mb(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// Milliseconds since `start`, two decimals.
pub fn ms(start: Instant) -> f64 {
    (start.elapsed().as_secs_f64() * 1e5).round() / 100.0
}

/// Write a JSON result next to the build output and print it.
pub fn publish(name: &str, result: &Value) {
    let target = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target");
    let path = target.join(format!("bench-{name}.json"));
    std::fs::write(&path, serde_json::to_vec_pretty(result).expect("json")).expect("write result");
    println!("{}", serde_json::to_string_pretty(result).expect("json"));
    println!("written to {}", path.display());
}
