//! Reports: one [`Format`] enum, one [`Reporter`] per format, all rendering the same [`Report`].
//!
//! The report carries the findings and what the snapshot could not read, so no format can present a partial
//! scan as a clean one.

mod json;
mod table;
pub mod trace;

use crate::rules::{Finding, Severity};
use crate::snapshot::ArmError;
use serde::Serialize;
use std::io::Write;

pub use json::JsonReporter;
pub use table::TableReporter;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// Human-readable table (comfy-table).
    Table,
    /// `acr-audit/report/v1` JSON.
    Json,
}

/// The JSON report schema id.
pub const REPORT_SCHEMA: &str = "acr-audit/report/v1";

/// Everything a report shows.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// `acr-audit/report/v1`.
    pub schema: &'static str,
    /// The tool.
    pub tool: ToolSummary,
    /// The snapshot evaluated.
    pub snapshot: SnapshotSummary,
    /// Counts by severity.
    pub summary: Summary,
    /// Findings, most severe first.
    pub findings: Vec<Finding>,
}

/// `tool`.
#[derive(Debug, Clone, Serialize)]
pub struct ToolSummary {
    /// `acr-audit`.
    pub name: &'static str,
    /// Version.
    pub version: &'static str,
    /// Rules evaluated.
    pub rules_evaluated: usize,
}

/// `snapshot`.
#[derive(Debug, Clone, Serialize)]
pub struct SnapshotSummary {
    /// Path as given.
    pub path: String,
    /// Its schema.
    pub schema: String,
    /// Collection time.
    pub collected_at: Option<String>,
    /// Cloud.
    pub cloud: String,
    /// Subscriptions.
    pub subscriptions: Vec<String>,
    /// Resources read.
    pub resources: usize,
    /// What could not be read: findings there may be missing.
    pub errors: Vec<ArmError>,
}

/// `summary`.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    /// All findings.
    pub total: usize,
    /// Critical.
    pub critical: usize,
    /// High.
    pub high: usize,
    /// Medium.
    pub medium: usize,
    /// Low.
    pub low: usize,
    /// Info.
    pub info: usize,
}

impl Summary {
    /// Count findings by severity.
    pub fn of(findings: &[Finding]) -> Summary {
        let mut s = Summary { total: findings.len(), ..Summary::default() };
        for f in findings {
            *match f.severity {
                Severity::Critical => &mut s.critical,
                Severity::High => &mut s.high,
                Severity::Medium => &mut s.medium,
                Severity::Low => &mut s.low,
                Severity::Info => &mut s.info,
            } += 1;
        }
        s
    }
}

/// Renders a report in one format.
pub trait Reporter {
    /// Write the report.
    fn render(&self, report: &Report, out: &mut dyn Write) -> std::io::Result<()>;
}

/// The reporter of a format. `color` applies to formats that have colour (the table).
pub fn reporter(format: Format, color: bool) -> Box<dyn Reporter> {
    match format {
        Format::Table => Box::new(TableReporter { color }),
        Format::Json => Box::new(JsonReporter),
    }
}
