//! `acr-audit explain "<error text>" [--snapshot FILE]`.

use super::super::args::{ExplainArgs, ListFormatArg};
use super::super::output::with_output;
use super::super::Outcome;
use acr_audit::pipeline::evaluate_path;
use acr_audit::report::escape::terminal;
use acr_audit::rules::explain::explain;
use acr_audit::rules::Finding;
use acr_audit::settings::{RuleSettings, Settings};

/// Rank the rules of `rules` whose symptoms match `args.text`; with `--snapshot`, evaluate just those rules.
pub(super) fn run(args: &ExplainArgs, rules: RuleSettings) -> anyhow::Result<Outcome> {
    let catalog = rules.load_catalog()?;
    let mut matches = explain(&catalog, &args.text);
    matches.truncate(args.top.max(1));
    let findings: Vec<Finding> = match &args.snapshot {
        Some(path) => {
            let ids: Vec<String> = matches.iter().map(|m| m.id.clone()).collect();
            if ids.is_empty() {
                Vec::new()
            } else {
                let settings = Settings::for_rules(RuleSettings { only: ids, ..rules });
                evaluate_path(path, &catalog, &settings)?.report.findings
            }
        }
        None => Vec::new(),
    };
    with_output(None, |w| {
        if args.format == ListFormatArg::Json {
            let out: Vec<serde_json::Value> = matches
                .iter()
                .map(|m| {
                    serde_json::json!({
                        "rule": m.id, "score": m.score, "severity": m.rule.meta.severity, "title": m.rule.meta.title,
                        "symptom": m.symptom,
                        "fires": args.snapshot.as_ref().map(|_| findings.iter().filter(|f| f.rule == m.id).collect::<Vec<_>>()),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *w, &out)?;
            return writeln!(w);
        }
        if matches.is_empty() {
            return writeln!(w, "No rule's symptoms match this text. `acr-audit rules list` shows every rule.");
        }
        for (i, m) in matches.iter().enumerate() {
            writeln!(w, "{}. {} ({}) {}", i + 1, m.id, m.rule.meta.severity, m.rule.meta.title)?;
            writeln!(w, "   matches: {}", m.symptom)?;
            if args.snapshot.is_some() {
                let fired: Vec<&Finding> = findings.iter().filter(|f| f.rule == m.id).collect();
                if fired.is_empty() {
                    writeln!(w, "   does not fire on this snapshot")?;
                }
                for f in fired {
                    let name = f.resource.rsplit('/').next().unwrap_or(&f.resource);
                    writeln!(w, "   FIRES on {}: {}", terminal(name), terminal(&f.message))?;
                }
            }
        }
        writeln!(w, "\n`acr-audit rules show <ID>` explains a rule and how to fix it.")
    })?;
    Ok(Outcome::Clean)
}
