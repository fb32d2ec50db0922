//! `--format markdown`: a summary for `$GITHUB_STEP_SUMMARY` and PR comments: counts, the findings table, the
//! fix commands, and a mermaid diagram of each broken client → registry path (GitHub renders mermaid).

use super::trace::render_mermaid;
use super::{short_id, Report, Reporter};
use std::io::Write;

/// Markdown output.
pub struct MarkdownReporter;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', "<br>")
}

impl Reporter for MarkdownReporter {
    fn render(&self, report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
        let s = &report.summary;
        writeln!(out, "## acr-audit: {} finding(s)\n", s.total)?;
        writeln!(
            out,
            "| critical | high | medium | low | info |\n|---|---|---|---|---|\n| {} | {} | {} | {} | {} |\n",
            s.critical, s.high, s.medium, s.low, s.info
        )?;
        let snap = &report.snapshot;
        writeln!(
            out,
            "Snapshot `{}` · collected {} · {} resources · {} rules · acr-audit {}\n",
            snap.path,
            snap.collected_at.as_deref().unwrap_or("at an unknown time"),
            snap.resources,
            report.tool.rules_evaluated,
            report.tool.version
        )?;
        if !snap.errors.is_empty() {
            writeln!(
                out,
                "> [!WARNING]\n> The snapshot could not read {} scope(s); findings there may be missing.",
                snap.errors.len()
            )?;
            for e in &snap.errors {
                writeln!(out, "> - `{}` at `{}`: {}", e.resource_type, e.scope, cell(&e.message))?;
            }
            writeln!(out)?;
        }
        let t = &report.triage;
        if t.hidden_by_baseline > 0 || !t.suppressed.is_empty() || !t.expired.is_empty() {
            writeln!(
                out,
                "Hidden: {} by the baseline, {} by suppressions; {} suppression(s) expired.\n",
                t.hidden_by_baseline,
                t.suppressed.len(),
                t.expired.len()
            )?;
        }
        if report.findings.is_empty() {
            return writeln!(out, "No findings.");
        }
        writeln!(out, "| # | Severity | Rule | Resource | Finding |\n|---|---|---|---|---|")?;
        for (i, f) in report.findings.iter().enumerate() {
            let note = f.note.as_ref().map(|n| format!("<br>_{}_", cell(n))).unwrap_or_default();
            writeln!(
                out,
                "| {} | {} | {} | `{}` | **{}**<br>{}{note} |",
                i + 1,
                f.severity,
                f.rule,
                cell(&short_id(&f.resource)),
                cell(&f.title),
                cell(&f.message)
            )?;
        }
        writeln!(out, "\n### How to fix\n")?;
        for (i, f) in report.findings.iter().enumerate() {
            writeln!(out, "<details><summary>{}. {} · {}</summary>\n\n```sh", i + 1, f.rule, short_id(&f.resource))?;
            for c in &f.remediation {
                writeln!(out, "{c}")?;
            }
            writeln!(out, "```\n</details>\n")?;
        }
        let broken: Vec<_> = report
            .context
            .pairs
            .iter()
            .filter(|p| {
                report.context.paths.iter().any(|x| {
                    x.client == p.client && x.registry == p.registry && x.reachable != crate::analysis::Reachable::Yes
                })
            })
            .collect();
        if !broken.is_empty() {
            writeln!(out, "### Broken paths\n")?;
        }
        for pair in broken {
            let paths: Vec<_> = report
                .context
                .paths
                .iter()
                .filter(|x| x.client == pair.client && x.registry == pair.registry)
                .cloned()
                .collect();
            writeln!(out, "**{} → {}**\n\n```mermaid", pair.client_name, pair.registry_name)?;
            render_mermaid(pair, &paths, out)?;
            writeln!(out, "```\n")?;
        }
        Ok(())
    }
}
