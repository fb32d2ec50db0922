//! `acr-audit eval SNAPSHOT`, and the report-writing end it shares with `scan`.

use super::super::output::with_output;
use super::super::Outcome;
use acr_audit::pipeline::{apply_triage, evaluate_bytes};
use acr_audit::report::escape::terminal;
use acr_audit::report::{reporter, resource_lines, Format, Report};
use acr_audit::settings::Settings;
use acr_audit::snapshot::{max_snapshot_bytes, read_snapshot_bytes};
use std::path::Path;

/// Evaluate `snapshot` and write the reports. The file is read exactly once (it may be a FIFO or a pipe such as
/// `<(az …)`): the same bytes are parsed and, for SARIF, searched for each resource's line.
pub(super) fn run(snapshot: &Path, settings: &Settings) -> anyhow::Result<Outcome> {
    let catalog = settings.rules.load_catalog()?;
    let bytes = read_snapshot_bytes(snapshot, max_snapshot_bytes())?;
    let mut report = evaluate_bytes(&bytes, snapshot, &catalog, settings)?.report;
    if settings.report.wants(Format::Sarif) {
        // SARIF points at the line of each resource in the audited file.
        report.context.resource_lines = resource_lines(&String::from_utf8_lossy(&bytes));
    }
    finish(report, settings)
}

/// Apply baseline and suppressions, write every output, and decide the exit code.
pub(super) fn finish(mut report: Report, settings: &Settings) -> anyhow::Result<Outcome> {
    let rs = &settings.report;
    apply_triage(&mut report, rs)?;
    for e in &report.triage.expired {
        eprintln!(
            "note: the suppression of {} on {} expired on {}: it is reported again",
            terminal(&e.rule),
            terminal(&e.resource),
            e.expires
        );
    }
    for output in &rs.outputs {
        let r = reporter(output.format, rs.color_of(output));
        with_output(output.path.as_deref(), |w| r.render(&report, w))?;
    }
    Ok(if rs.fails(&report.findings) { Outcome::Failed } else { Outcome::Clean })
}
