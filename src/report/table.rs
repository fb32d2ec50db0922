//! `--format table`: a comfy-table for people, severity coloured when the output is a colour terminal.
//!
//! Every value from the snapshot goes through [`escape::terminal`] (cells through [`escape::table_cell`], which
//! also bounds their length), whether or not the output is a terminal: a report file is read with `cat` too.

use super::escape::{self, table_cell, terminal};
use super::subscriptions::grouped;
use super::{short_id, Report, Reporter, Summary};
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
            report.tool.version,
            terminal(&s.path),
            s.resources,
            report.tool.rules_evaluated
        )?;
        if !s.errors.is_empty() {
            writeln!(
                out,
                "warning: the snapshot could not read {} scope(s); findings there may be missing:",
                s.errors.len()
            )?;
            for e in &s.errors {
                let status = e.status.map(|c| format!("{c} ")).unwrap_or_default();
                let code = e.code.as_deref().map(terminal).unwrap_or_default();
                writeln!(
                    out,
                    "  - {} at {}: {status}{code} {}",
                    terminal(&e.resource_type),
                    terminal(&e.scope),
                    terminal(&e.message)
                )?;
            }
        }
        if report.findings.is_empty() {
            return writeln!(out, "No findings.");
        }
        // Findings over several subscriptions: one table per subscription under its heading, numbered in that
        // order; one subscription: one table, as always.
        let groups = grouped(&report.findings);
        let order: Vec<usize> = groups.iter().flat_map(|(_, list)| list.iter().copied()).collect();
        let mut n = 0;
        if groups.len() > 1 {
            for (subscription, list) in &groups {
                let name = subscription.as_deref().map(|s| format!("subscription {}", terminal(s)));
                let counts = Summary::of(&list.iter().map(|&i| report.findings[i].clone()).collect::<Vec<_>>());
                writeln!(
                    out,
                    "\n{} · {} finding(s): {} critical, {} high, {} medium, {} low, {} info",
                    name.unwrap_or_else(|| "no subscription".into()),
                    counts.total,
                    counts.critical,
                    counts.high,
                    counts.medium,
                    counts.low,
                    counts.info
                )?;
                writeln!(out, "{}", self.table(report, list, n))?;
                n += list.len();
            }
        } else {
            writeln!(out, "{}", self.table(report, &order, 0))?;
        }
        // Commands are printed unwrapped, below the table, so they can be copied as they are.
        writeln!(out, "\nHow to fix:")?;
        for (i, f) in order.iter().map(|&i| &report.findings[i]).enumerate() {
            writeln!(out, "[{}] {} · {}", i + 1, terminal(&f.rule), terminal(&short_id(&f.resource)))?;
            for cmd in &f.remediation {
                writeln!(out, "    {}", escape::terminal(cmd))?;
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

impl TableReporter {
    /// The findings at `indices` of the report as one table, numbered from `first + 1`.
    fn table(&self, report: &Report, indices: &[usize], first: usize) -> Table {
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
        for (i, f) in indices.iter().map(|&i| &report.findings[i]).enumerate() {
            let mut sev = Cell::new(f.severity.as_str().to_uppercase());
            if self.color {
                sev = sev.fg(severity_color(f.severity));
            }
            // Each value is escaped (no line breaks of its own) and bounded before the table's own line breaks join
            // them, so the cell keeps its shape whatever the snapshot holds.
            let mut what = format!("{}\n{}", table_cell(&f.title), table_cell(&f.message));
            if let (Some(c), Some(r)) = (&f.client, &f.registry) {
                what.push_str(&format!("\n({} → {})", table_cell(&short_id(c)), table_cell(&short_id(r))));
            }
            table.add_row(vec![
                Cell::new(first + i + 1),
                sev,
                Cell::new(table_cell(&f.rule)),
                Cell::new(table_cell(&short_id(&f.resource))),
                Cell::new(what),
            ]);
        }
        table
    }
}
