//! `--format markdown`: a summary for `$GITHUB_STEP_SUMMARY` and PR comments: counts, the findings table, the
//! fix commands, and a mermaid diagram of each broken client → registry path (GitHub renders mermaid).
//!
//! Every value from the snapshot is escaped for the Markdown construct it lands in (see [`escape`]): inline text
//! and table cells, code spans, the raw HTML of `<summary>`, fenced commands and mermaid labels. No raw HTML and
//! no Markdown structure (headings, links, images, table cells, fences) can come from data.

use super::escape::{self, markdown_code_span as code, markdown_html as html, markdown_inline as md};
use super::subscriptions::grouped;
use super::trace::render_mermaid;
use super::{short_id, Report, Reporter, Summary};
use std::io::Write;

/// Markdown output.
pub struct MarkdownReporter;

impl Reporter for MarkdownReporter {
    fn render(&self, report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
        let s = &report.summary;
        writeln!(out, "## acr-audit: {} finding(s)\n", s.total)?;
        writeln!(
            out,
            "| critical | high | medium | low | info |\n|---|---|---|---|---|\n| {} | {} | {} | {} | {} |\n",
            s.critical, s.high, s.medium, s.low, s.info
        )?;
        // Findings over several subscriptions: their counts per subscription (one subscription: none, as always).
        let groups = grouped(&report.findings);
        if groups.len() > 1 {
            writeln!(
                out,
                "| subscription | total | critical | high | medium | low | info |\n|---|---|---|---|---|---|---|"
            )?;
            for (subscription, list) in &groups {
                let c = Summary::of(&list.iter().map(|&i| report.findings[i].clone()).collect::<Vec<_>>());
                let name = subscription.as_deref().map(code).unwrap_or_else(|| "(none)".into());
                writeln!(
                    out,
                    "| {name} | {} | {} | {} | {} | {} | {} |",
                    c.total, c.critical, c.high, c.medium, c.low, c.info
                )?;
            }
            writeln!(out)?;
        }
        let snap = &report.snapshot;
        writeln!(
            out,
            "Snapshot {} · collected {} · {} resources · {} rules · acr-audit {}\n",
            code(&snap.path),
            snap.collected_at.as_deref().map(md).unwrap_or("at an unknown time".into()),
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
                writeln!(out, "> - {} at {}: {}", code(&e.resource_type), code(&e.scope), md(&e.message))?;
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
            let note = f.note.as_ref().map(|n| format!("<br>_{}_", md(n))).unwrap_or_default();
            writeln!(
                out,
                "| {} | {} | {} | {} | **{}**<br>{}{note} |",
                i + 1,
                f.severity,
                md(&f.rule),
                code(&short_id(&f.resource)),
                md(&f.title),
                md(&f.message)
            )?;
        }
        writeln!(out, "\n### How to fix\n")?;
        for (i, f) in report.findings.iter().enumerate() {
            let commands: Vec<_> = f.remediation.iter().map(|c| escape::fence_line(c)).collect();
            let fence = escape::markdown_fence(commands.iter().map(|c| c.as_ref()));
            writeln!(
                out,
                "<details><summary>{}. {} · {}</summary>\n\n{fence}sh",
                i + 1,
                html(&f.rule),
                html(&short_id(&f.resource))
            )?;
            for c in &commands {
                writeln!(out, "{c}")?;
            }
            writeln!(out, "{fence}\n</details>\n")?;
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
            // Mermaid labels escape backticks as entity codes, so three backticks always close this fence.
            writeln!(out, "**{} → {}**\n\n```mermaid", md(&pair.client_name), md(&pair.registry_name))?;
            render_mermaid(pair, &paths, out)?;
            writeln!(out, "```\n")?;
        }
        Ok(())
    }
}
