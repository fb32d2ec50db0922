//! The offline pipeline in one call: snapshot file -> model -> facts -> findings -> report, then triage.
//! The CLI, the benchmarks and the end-to-end tests all go through here, so they measure and test one path.
//!
//! It takes resolved [`Settings`]; it does not parse flags, decide colour, or write reports (the binary owns
//! standard output and files).

use crate::analysis::{analyse, Facts};
use crate::model::Model;
use crate::report::subscriptions::{by_subscription, filter, in_subscriptions, subscription_of_id, wanted_set};
use crate::report::{Report, ReportContext, SnapshotSummary, Summary, ToolSummary, REPORT_SCHEMA};
use crate::rules::sandbox::evaluate_rules;
use crate::rules::{Catalog, Finding};
use crate::settings::{ReportSettings, Settings};
use crate::snapshot::{max_snapshot_bytes, parse_snapshot, read_snapshot_bytes, Snapshot};
use crate::triage::{self, Baseline, Suppressions};
use anyhow::Context;
use std::path::Path;

/// The result of evaluating one snapshot.
pub struct Evaluation {
    /// The analysed facts (what rules saw).
    pub facts: Facts,
    /// The report.
    pub report: Report,
    /// The model the facts came from (for `diff`).
    pub model: Model,
}

/// Build the model from a parsed snapshot, analyse the pairs `settings.selection` names and evaluate the rules
/// `settings.rules` selects from `catalog` (loaded once by the caller, so `diff` can share it between snapshots).
pub fn evaluate(
    snapshot: Snapshot,
    input_name: &str,
    catalog: &Catalog,
    settings: &Settings,
) -> anyhow::Result<Evaluation> {
    run(snapshot, input_name, catalog, settings)
}

/// Load a snapshot file and [`evaluate`] it; errors name the file.
pub fn evaluate_path(path: &Path, catalog: &Catalog, settings: &Settings) -> anyhow::Result<Evaluation> {
    let bytes = read_snapshot_bytes(path, max_snapshot_bytes())?;
    evaluate_bytes(&bytes, path, catalog, settings)
}

/// Parse the bytes of the snapshot file `path` and [`evaluate`] them; errors name the file.
///
/// For callers that need the bytes again (SARIF line numbers): a snapshot may come from a FIFO or a pipe, which
/// can be read only once, so the caller reads it ([`read_snapshot_bytes`]) and uses the same bytes for both.
pub fn evaluate_bytes(bytes: &[u8], path: &Path, catalog: &Catalog, settings: &Settings) -> anyhow::Result<Evaluation> {
    let snapshot = parse_snapshot(bytes, path)?;
    let name = path.display().to_string();
    evaluate(snapshot, &name, catalog, settings).with_context(|| format!("evaluating {name}"))
}

/// Hide the findings the baseline and suppressions of `settings` accept, as of today (UTC), and record what was
/// hidden in `report.triage`. Findings whose suppression expired stay, listed in `report.triage.expired`.
pub fn apply_triage(report: &mut Report, settings: &ReportSettings) -> anyhow::Result<()> {
    let baseline = settings.baseline.as_deref().map(Baseline::load).transpose()?;
    let suppressions = settings.suppressions.as_deref().map(Suppressions::load).transpose()?;
    if baseline.is_none() && suppressions.is_none() {
        return Ok(());
    }
    let today = time::OffsetDateTime::now_utc().date();
    let findings = std::mem::take(&mut report.findings);
    let (kept, summary) = triage::apply(
        findings,
        baseline.as_ref().zip(settings.baseline.as_ref().map(|p| p.display().to_string())),
        suppressions.as_ref().zip(settings.suppressions.as_ref().map(|p| p.display().to_string())),
        today,
    );
    report.set_findings(kept, summary);
    Ok(())
}

/// The one evaluation path behind every public entry point.
fn run(snapshot: Snapshot, input_name: &str, catalog: &Catalog, settings: &Settings) -> anyhow::Result<Evaluation> {
    let (selection, isolation) = (&settings.selection, settings.rules.isolation.as_ref());
    let rules = catalog.select(&settings.rules.only, &settings.rules.skip)?;
    let schema = snapshot.schema.clone();
    let model = Model::from_snapshot(snapshot);
    let facts = analyse(&model, selection);
    if let Some(unknown) = selection.unknown_name(&facts) {
        return Err(unknown.into());
    }
    let mut findings: Vec<Finding> = evaluate_rules(catalog, &rules, &facts, input_name, isolation)?;
    let (mut pairs, mut paths) = (facts.pairs.clone(), facts.paths.clone());
    if !settings.subscriptions.is_empty() {
        // `eval --subscription`: findings (and the pairs and paths Markdown draws) touching those subscriptions.
        let mut known = model.subscription_ids();
        known.extend(model.metadata.subscriptions.iter().map(|s| s.subscription_id.to_ascii_lowercase()));
        known.extend(model.errors.iter().filter_map(|e| subscription_of_id(&e.scope)));
        let wanted = wanted_set(&settings.subscriptions, &known)?;
        let inside = |id: &str| in_subscriptions(id, &wanted);
        findings = filter(findings, &wanted);
        pairs.retain(|p| inside(&p.client) || inside(&p.registry));
        paths.retain(|p| inside(&p.client) || inside(&p.registry));
    }
    let report = Report {
        schema: REPORT_SCHEMA,
        tool: ToolSummary { name: "acr-audit", version: env!("CARGO_PKG_VERSION"), rules_evaluated: rules.len() },
        snapshot: SnapshotSummary {
            path: input_name.to_string(),
            schema,
            collected_at: model.metadata.collected_at.clone(),
            cloud: model.metadata.cloud.name.clone(),
            subscriptions: model.metadata.subscriptions.iter().map(|s| s.subscription_id.clone()).collect(),
            resources: model.resource_count(),
            errors: model.errors.clone(),
        },
        summary: Summary::of(&findings),
        by_subscription: by_subscription(&findings),
        findings,
        triage: Default::default(),
        context: ReportContext {
            rules: rules.iter().map(|r| r.meta.clone()).collect(),
            resource_lines: Default::default(),
            pairs,
            paths,
        },
    };
    Ok(Evaluation { facts, report, model })
}
