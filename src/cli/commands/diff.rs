//! `acr-audit diff OLD NEW`.

use super::super::args::{DiffArgs, DiffFormatArg};
use super::super::output::with_output;
use super::super::Outcome;
use acr_audit::diff::{describe, drift, Drift, SnapshotRef};
use acr_audit::pipeline::evaluate_path;
use acr_audit::report::escape;
use acr_audit::settings::Settings;
use std::io::Write;

/// Compare `args.old` and `args.new` (evaluated with the rules of `settings`); `settings.report.fail_on` judges
/// the findings that appeared. The positional paths and the diff format are this command's own.
pub(super) fn run(args: &DiffArgs, settings: &Settings) -> anyhow::Result<Outcome> {
    let catalog = settings.rules.load_catalog()?;
    let evaluate = |path: &std::path::Path| evaluate_path(path, &catalog, settings);
    let (old, new) = (evaluate(&args.old)?, evaluate(&args.new)?);
    let reference = |path: &std::path::Path, e: &acr_audit::pipeline::Evaluation| SnapshotRef {
        path: path.display().to_string(),
        collected_at: e.report.snapshot.collected_at.clone(),
    };
    let d = drift(
        (&old.model, &old.report.findings, reference(&args.old, &old)),
        (&new.model, &new.report.findings, reference(&args.new, &new)),
    );
    with_output(args.output.as_deref(), |w| match args.format {
        DiffFormatArg::Json => {
            serde_json::to_writer_pretty(&mut *w, &d)?;
            writeln!(w)
        }
        DiffFormatArg::Table => render_text(&d, w, false),
        DiffFormatArg::Markdown => render_text(&d, w, true),
    })?;
    let failed = settings.report.fails(d.appeared.iter().map(|a| &a.finding));
    Ok(if failed { Outcome::Failed } else { Outcome::Clean })
}

/// The drift as text for people (`table`) or as Markdown: every value from the snapshots (paths, times, names,
/// messages, changed values) goes through the escaper of that output kind, so neither a terminal nor a
/// Markdown renderer acts on it.
fn render_text(d: &Drift, w: &mut dyn Write, markdown: bool) -> std::io::Result<()> {
    let (h, bullet) = if markdown { ("### ", "- ") } else { ("", "  ") };
    let text = |s: &str| -> String {
        if markdown {
            escape::markdown_inline(s).into_owned()
        } else {
            escape::terminal(s).into_owned()
        }
    };
    let change = |s: &str| -> String {
        if markdown {
            escape::markdown_code_span(s)
        } else {
            escape::terminal(s).into_owned()
        }
    };
    let when = |s: &SnapshotRef| s.collected_at.as_deref().map(text).unwrap_or_else(|| "unknown time".into());
    let name = |id: &str| text(id.rsplit('/').next().unwrap_or(id));
    writeln!(
        w,
        "{h}acr-audit diff: {} ({}) → {} ({})\n",
        text(&d.old.path),
        when(&d.old),
        text(&d.new.path),
        when(&d.new)
    )?;
    writeln!(w, "{h}Configuration changes ({})", d.changes.len())?;
    for (i, c) in d.changes.iter().enumerate() {
        writeln!(w, "{bullet}[{}] {}", i + 1, change(&describe(c)))?;
    }
    writeln!(w, "\n{h}Findings that appeared ({})", d.appeared.len())?;
    for a in &d.appeared {
        let f = &a.finding;
        writeln!(
            w,
            "{bullet}{} {} on {}: {}",
            f.severity.as_str().to_uppercase(),
            text(&f.rule),
            name(&f.resource),
            text(&f.message)
        )?;
        for i in &a.caused_by {
            writeln!(w, "{bullet}    caused by [{}] {}", i + 1, change(&describe(&d.changes[*i])))?;
        }
    }
    writeln!(w, "\n{h}Findings resolved ({})", d.resolved.len())?;
    for f in &d.resolved {
        writeln!(w, "{bullet}{} {} on {}", f.severity.as_str().to_uppercase(), text(&f.rule), name(&f.resource))?;
    }
    Ok(())
}
