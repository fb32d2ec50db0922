//! `--format table`: a comfy-table for people, severity coloured when the output is a colour terminal.

use super::{short_id, Report, Reporter};
use crate::rules::Severity;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, Color, ColumnConstraint, ContentArrangement, Table, Width};
use std::io::Write;

/// Table output. `color` is decided by the CLI (TTY, `NO_COLOR`).
pub struct TableReporter {
    /// Colour severities.
    pub color: bool,
}

fn severity_color(s: Severity) -> Color {
    match s {
        Severity::Critical => Color::Magenta,
        Severity::High => Color::Red,
        Severity::Medium => Color::Yellow,
        Severity::Low => Color::Cyan,
        Severity::Info => Color::Grey,
    }
}

impl Reporter for TableReporter {
    fn render(&self, report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
        let s = &report.snapshot;
        writeln!(
            out,
            "acr-audit {} · {} · {} resources · {} rules",
            report.tool.version, s.path, s.resources, report.tool.rules_evaluated
        )?;
        if !s.errors.is_empty() {
            writeln!(
                out,
                "warning: the snapshot could not read {} scope(s); findings there may be missing:",
                s.errors.len()
            )?;
            for e in &s.errors {
                let status = e.status.map(|c| format!("{c} ")).unwrap_or_default();
                let code = e.code.clone().unwrap_or_default();
                writeln!(out, "  - {} at {}: {status}{code} {}", e.resource_type, e.scope, e.message)?;
            }
        }
        if report.findings.is_empty() {
            return writeln!(out, "No findings.");
        }
        let mut table = Table::new();
        table.load_style(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
        if !self.color {
            table.force_no_tty();
        } else {
            table.enforce_styling();
        }
        table.set_width(140);
        table.set_header(vec!["#", "Severity", "Rule", "Resource", "Finding"]);
        if let Some(col) = table.column_mut(3) {
            col.set_constraint(ColumnConstraint::UpperBoundary(Width::Fixed(36)));
        }
        for (i, f) in report.findings.iter().enumerate() {
            let mut sev = Cell::new(f.severity.as_str().to_uppercase());
            if self.color {
                sev = sev.fg(severity_color(f.severity));
            }
            let mut what = format!("{}\n{}", f.title, f.message);
            if let (Some(c), Some(r)) = (&f.client, &f.registry) {
                what.push_str(&format!("\n({} → {})", short_id(c), short_id(r)));
            }
            table.add_row(vec![
                Cell::new(i + 1),
                sev,
                Cell::new(&f.rule),
                Cell::new(short_id(&f.resource)),
                Cell::new(what),
            ]);
        }
        writeln!(out, "{table}")?;
        // Commands are printed unwrapped, below the table, so they can be copied as they are.
        writeln!(out, "\nHow to fix:")?;
        for (i, f) in report.findings.iter().enumerate() {
            writeln!(out, "[{}] {} · {}", i + 1, f.rule, short_id(&f.resource))?;
            for cmd in &f.remediation {
                writeln!(out, "    {cmd}")?;
            }
        }
        let sum = &report.summary;
        writeln!(
            out,
            "{} finding(s): {} critical, {} high, {} medium, {} low, {} info",
            sum.total, sum.critical, sum.high, sum.medium, sum.low, sum.info
        )
    }
}
