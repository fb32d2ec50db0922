//! The offline pipeline in one call: snapshot file -> model -> facts -> findings -> report.
//! The CLI, the benchmarks and the end-to-end tests all go through here, so they measure and test one path.

use crate::analysis::{analyse, Facts, Selection};
use crate::model::Model;
use crate::report::{Report, ReportContext, SnapshotSummary, Summary, ToolSummary, REPORT_SCHEMA};
use crate::rules::{Catalog, Finding, RuleEngine};
use crate::snapshot::{load_snapshot, Snapshot};
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

/// Build the model from a parsed snapshot, analyse it and evaluate the selected rules.
pub fn evaluate_snapshot(
    snapshot: Snapshot,
    input_name: &str,
    catalog: &Catalog,
    only: &[String],
    skip: &[String],
    selection: &Selection,
) -> anyhow::Result<Evaluation> {
    let rules = catalog.select(only, skip)?;
    let schema = snapshot.schema.clone();
    let model = Model::from_snapshot(snapshot);
    let facts = analyse(&model, selection);
    let mut engine = RuleEngine::new(catalog, false)?;
    let findings: Vec<Finding> = engine.evaluate(&rules, &facts, input_name)?;
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
        findings,
        triage: Default::default(),
        context: ReportContext {
            rules: rules.iter().map(|r| r.meta.clone()).collect(),
            resource_lines: Default::default(),
            pairs: facts.pairs.clone(),
            paths: facts.paths.clone(),
        },
    };
    Ok(Evaluation { facts, report, model })
}

/// Load a snapshot file and evaluate it.
pub fn evaluate_file(
    path: &Path,
    catalog: &Catalog,
    only: &[String],
    skip: &[String],
    selection: &Selection,
) -> anyhow::Result<Evaluation> {
    let snapshot = load_snapshot(path)?;
    let name = path.display().to_string();
    evaluate_snapshot(snapshot, &name, catalog, only, skip, selection).with_context(|| format!("evaluating {name}"))
}
