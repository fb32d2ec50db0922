//! `acr-audit collect` and `acr-audit scan`: read the estate from ARM, then write it or evaluate it.
//!
//! `scan` parses the collected snapshot from the very bytes `--save-snapshot` writes, through the same loader
//! `eval` uses, so `eval` on the saved file gives exactly the same findings.

use super::super::args::{CollectArgs, CollectScopeArgs, ScanArgs};
use super::super::Outcome;
use super::eval::{finish, output_plan};
use super::load_catalog;
use crate::pipeline::evaluate_snapshot;
use crate::report::{resource_lines, Format};
use crate::snapshot::parse_snapshot;
use acr_audit_collect::{AuthMethod, Cloud, CollectConfig};
use anyhow::Context;
use std::io::IsTerminal;
use std::path::Path;

fn config(scope: &CollectScopeArgs, registries: &[String]) -> anyhow::Result<CollectConfig> {
    let cloud = Cloud::parse(&scope.cloud).ok_or_else(|| {
        anyhow::anyhow!(
            "unknown cloud `{}`\n  fix: --cloud AzureCloud, AzureChinaCloud or AzureUSGovernment",
            scope.cloud
        )
    })?;
    let auth = match scope.auth.as_deref() {
        None => None,
        Some(a) => Some(
            AuthMethod::parse(a)
                .ok_or_else(|| anyhow::anyhow!("unknown --auth `{a}`\n  fix: --auth env, managed-identity or cli"))?,
        ),
    };
    Ok(CollectConfig {
        subscriptions: scope.subscription.clone(),
        all_subscriptions: scope.all_subscriptions,
        registries: registries.to_vec(),
        cloud,
        arm_endpoint: scope.arm_endpoint.clone(),
        auth,
        concurrency: scope.concurrency.max(1),
        verbose: scope.verbose,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        ..CollectConfig::default()
    })
}

/// Run the collection on a Tokio runtime and serialize the snapshot. A spinner shows on stderr meanwhile, unless
/// requests are logged (`-v`), in CI, or stderr is not a terminal.
fn collect_bytes(config: &CollectConfig) -> anyhow::Result<(Vec<u8>, u64)> {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the async runtime")?;
    let in_ci = std::env::var_os("CI").is_some();
    let spinner = (!config.verbose && !in_ci && std::io::stderr().is_terminal()).then(|| {
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

fn write(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("{}: cannot write the snapshot", path.display()))
}

pub(super) fn collect(args: CollectArgs) -> anyhow::Result<Outcome> {
    let cfg = config(&args.scope, &args.registry)?;
    let (bytes, requests) = collect_bytes(&cfg)?;
    write(&args.output, &bytes)?;
    let snapshot = parse_snapshot(&bytes, &args.output)?;
    eprintln!(
        "wrote {} ({} ARM requests; {} scope(s) could not be read)",
        args.output.display(),
        requests,
        snapshot.errors.len()
    );
    Ok(Outcome::Clean)
}

pub(super) fn scan(args: ScanArgs, no_color: bool) -> anyhow::Result<Outcome> {
    let outputs = output_plan(&args.report)?;
    let catalog = load_catalog(&args.rules)?;
    let cfg = config(&args.scope, &args.pairs.registry)?;
    let (bytes, _) = collect_bytes(&cfg)?;
    let name = match &args.save_snapshot {
        Some(path) => {
            write(path, &bytes)?;
            path.display().to_string()
        }
        None => "(live scan)".to_string(),
    };
    let snapshot = parse_snapshot(&bytes, Path::new(&name))?;
    let selection = super::selection_of(&args.pairs)?;
    let mut report =
        evaluate_snapshot(snapshot, &name, &catalog, &args.rules.only, &args.rules.skip, &selection)?.report;
    if outputs.iter().any(|(f, _)| *f == Format::Sarif) {
        report.context.resource_lines = resource_lines(&String::from_utf8_lossy(&bytes));
    }
    finish(report, &args.report, outputs, no_color)
}
