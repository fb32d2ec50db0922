//! Reports: one [`Format`] enum, one [`Reporter`] per format, all rendering the same [`Report`].
//!
//! The report carries the findings and what the snapshot could not read, so no format can present a partial
//! scan as a clean one.

pub mod escape;
mod json;
mod junit;
mod markdown;
mod sarif;
pub mod subscriptions;
mod table;
pub mod trace;

use crate::analysis::PairFacts;
use crate::analysis::PathFacts;
use crate::rules::{Finding, RuleMetadata, Severity};
use crate::snapshot::ArmError;
use crate::triage::TriageSummary;
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;

pub use json::JsonReporter;
pub use junit::JunitReporter;
pub use markdown::MarkdownReporter;
pub use sarif::SarifReporter;
pub use table::TableReporter;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// Human-readable table (comfy-table).
    Table,
    /// `acr-audit/report/v1` JSON.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// JUnit XML (Azure Pipelines, GitLab).
    Junit,
    /// Markdown summary (`$GITHUB_STEP_SUMMARY`, PR comments).
    Markdown,
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
    /// Counts by severity per subscription (the subscription of a finding's resource, else of its client, else
    /// of its registry; see [`subscriptions`]), by subscription id.
    pub by_subscription: Vec<subscriptions::SubscriptionSummary>,
    /// Findings, most severe first.
    pub findings: Vec<Finding>,
    /// What baselines and suppressions hid.
    pub triage: TriageSummary,
    /// What the non-JSON formats need beyond the findings.
    #[serde(skip)]
    pub context: ReportContext,
}

/// Material for SARIF, JUnit and Markdown: rule metadata, where resources sit in the snapshot file, paths.
#[derive(Debug, Clone, Default)]
pub struct ReportContext {
    /// Metadata of every rule evaluated (SARIF rule descriptors, JUnit test cases).
    pub rules: Vec<RuleMetadata>,
    /// 1-based line of each resource id (lower-cased) in the snapshot file, for SARIF physical locations.
    pub resource_lines: HashMap<String, usize>,
    /// Pairs analysed.
    pub pairs: Vec<PairFacts>,
    /// Paths analysed (Markdown draws the broken ones).
    pub paths: Vec<PathFacts>,
}

impl Report {
    /// Replace the findings after triage and recount.
    pub fn set_findings(&mut self, findings: Vec<Finding>, triage: TriageSummary) {
        self.summary = Summary::of(&findings);
        self.by_subscription = subscriptions::by_subscription(&findings);
        self.findings = findings;
        self.triage = triage;
    }
}

/// The line of each `"id": "<arm id>"` in a snapshot's text (lower-cased ids), so SARIF results can point at
/// the resource in the file that was audited.
pub fn resource_lines(snapshot_text: &str) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for (i, line) in snapshot_text.lines().enumerate() {
        let Some(pos) = line.find("\"id\"") else { continue };
        let rest = &line[pos + 4..];
        let Some(start) = rest.find('"') else { continue };
        let value = &rest[start + 1..];
        if let Some(end) = value.find('"') {
            out.entry(value[..end].to_ascii_lowercase()).or_insert(i + 1);
        }
    }
    out
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
        Format::Sarif => Box::new(SarifReporter),
        Format::Junit => Box::new(JunitReporter),
        Format::Markdown => Box::new(MarkdownReporter),
    }
}

/// `type/name` of an ARM id (`registries/contoso`): what people recognise in a report; full ids stay in JSON.
pub(crate) fn short_id(id: &str) -> String {
    let parts: Vec<&str> = id.split('/').filter(|s| !s.is_empty()).collect();
    match parts.len() {
        n if n >= 2 => format!("{}/{}", parts[n - 2], parts[n - 1]),
        _ => id.to_string(),
    }
}

/// SARIF / GitHub `security-severity` score of a severity.
pub(crate) fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}
