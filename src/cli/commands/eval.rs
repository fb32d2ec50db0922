//! `acr-audit eval SNAPSHOT`.

use super::super::args::{EvalArgs, ReportArgs};
use super::super::output::{use_color, with_output};
use super::super::Outcome;
use super::{format_of, load_catalog, threshold_of};
use acr_audit::pipeline::evaluate_file;
use acr_audit::report::{reporter, resource_lines, Format, Report};
use acr_audit::triage::{self, Baseline, Suppressions};
use std::path::PathBuf;

pub(super) fn run(args: EvalArgs, no_color: bool) -> anyhow::Result<Outcome> {
    let outputs = output_plan(&args.report)?;
    let catalog = load_catalog(&args.rules)?;
    let selection = super::selection_of(&args.pairs)?;
    let mut report = evaluate_file(&args.snapshot, &catalog, &args.rules.only, &args.rules.skip, &selection)?.report;
    if outputs.iter().any(|(f, _)| *f == Format::Sarif) {
        // SARIF points at the line of each resource in the audited file.
        let text = std::fs::read_to_string(&args.snapshot).unwrap_or_default();
        report.context.resource_lines = resource_lines(&text);
    }
    finish(report, &args.report, outputs, no_color)
}

/// Pair each `--format` with its `-o` (in order); formats without one go to standard output, at most one.
pub(super) fn output_plan(args: &ReportArgs) -> anyhow::Result<Vec<(Format, Option<PathBuf>)>> {
    let formats: Vec<Format> =
        if args.format.is_empty() { vec![Format::Table] } else { args.format.iter().map(|f| format_of(*f)).collect() };
    if args.output.len() > formats.len() {
        anyhow::bail!(
            "{} --output given for {} --format\n  fix: give each --format its own --output, in the same order",
            args.output.len(),
            formats.len()
        );
    }
    let plan: Vec<(Format, Option<PathBuf>)> =
        formats.into_iter().enumerate().map(|(i, f)| (f, args.output.get(i).cloned())).collect();
    if plan.iter().filter(|(_, o)| o.is_none()).count() > 1 {
        anyhow::bail!("several formats would all go to standard output\n  fix: follow each --format with its own --output FILE (one may go to standard output)");
    }
    Ok(plan)
}

/// Apply baseline and suppressions, write every output, and decide the exit code.
pub(super) fn finish(
    mut report: Report,
    args: &ReportArgs,
    outputs: Vec<(Format, Option<PathBuf>)>,
    no_color: bool,
) -> anyhow::Result<Outcome> {
    let baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
    let suppressions = args.suppressions.as_deref().map(Suppressions::load).transpose()?;
    if baseline.is_some() || suppressions.is_some() {
        let today = time::OffsetDateTime::now_utc().date();
        let findings = std::mem::take(&mut report.findings);
        let (kept, summary) = triage::apply(
            findings,
            baseline.as_ref().zip(args.baseline.as_ref().map(|p| p.display().to_string())),
            suppressions.as_ref().zip(args.suppressions.as_ref().map(|p| p.display().to_string())),
            today,
        );
        report.set_findings(kept, summary);
        for e in &report.triage.expired {
            eprintln!(
                "note: the suppression of {} on {} expired on {}: it is reported again",
                e.rule, e.resource, e.expires
            );
        }
    }
    for (format, path) in &outputs {
        let color = *format == Format::Table && use_color(no_color, path.is_some());
        let r = reporter(*format, color);
        with_output(path.as_deref(), |w| r.render(&report, w))?;
    }
    let failed = threshold_of(args.fail_on).map(|t| report.findings.iter().any(|f| f.severity >= t)).unwrap_or(false);
    Ok(if failed { Outcome::Failed } else { Outcome::Clean })
}
