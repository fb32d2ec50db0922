//! `acr-audit collect` and `acr-audit scan`: read the estate from ARM, then write it or evaluate it.
//!
//! `scan` parses the collected snapshot from the very bytes `--save-snapshot` writes, through the same loader
//! `eval` uses, so `eval` on the saved file gives exactly the same findings.

use super::super::output::{progress_on_stderr, write_bytes};
use super::super::Outcome;
use super::eval::finish;
use acr_audit::pipeline::evaluate;
use acr_audit::report::{resource_lines, Format};
use acr_audit::settings::Settings;
use acr_audit::snapshot::parse_snapshot;
use acr_audit_collect::CollectConfig;
use anyhow::Context;
use std::path::Path;

/// Run the collection on a Tokio runtime and serialize the snapshot. A spinner shows on stderr meanwhile, unless
/// requests are logged (`-v`), in CI, or stderr is not a terminal.
fn collect_bytes(config: &CollectConfig) -> anyhow::Result<(Vec<u8>, u64)> {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the async runtime")?;
    let spinner = progress_on_stderr(config.verbose).then(|| {
        let p = indicatif::ProgressBar::new_spinner();
        p.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        p.enable_steady_tick(std::time::Duration::from_millis(120));
        p.set_message("reading Azure Resource Manager");
        p
    });
    let collected = runtime.block_on(acr_audit_collect::collect(config));
    if let Some(p) = &spinner {
        p.finish_and_clear();
    }
    let collected = collected?;
    let mut bytes = serde_json::to_vec_pretty(&collected.snapshot)?;
    bytes.push(b'\n');
    Ok((bytes, collected.arm_requests))
}

/// Write the snapshot atomically: an interrupted collection never leaves half a snapshot behind.
fn write(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    write_bytes(path, "the snapshot", bytes)
}

pub(super) fn collect(config: &CollectConfig, output: &Path) -> anyhow::Result<Outcome> {
    let (bytes, requests) = collect_bytes(config)?;
    write(output, &bytes)?;
    let snapshot = parse_snapshot(&bytes, output)?;
    let collector = snapshot.metadata.collector.as_deref().unwrap_or("arm");
    eprintln!(
        "wrote {} ({} ARM requests, lists read through {collector}; {} scope(s) could not be read)",
        output.display(),
        requests,
        snapshot.errors.len()
    );
    Ok(Outcome::Clean)
}

pub(super) fn scan(
    config: &CollectConfig,
    save_snapshot: Option<&Path>,
    settings: &Settings,
) -> anyhow::Result<Outcome> {
    let catalog = settings.rules.load_catalog()?;
    let (bytes, _) = collect_bytes(config)?;
    let name = match save_snapshot {
        Some(path) => {
            write(path, &bytes)?;
            path.display().to_string()
        }
        None => "(live scan)".to_string(),
    };
    let snapshot = parse_snapshot(&bytes, Path::new(&name))?;
    let mut report = evaluate(snapshot, &name, &catalog, settings)?.report;
    if settings.report.wants(Format::Sarif) {
        report.context.resource_lines = resource_lines(&String::from_utf8_lossy(&bytes));
    }
    finish(report, settings)
}
