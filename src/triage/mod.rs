//! Triage between rules and reports: hide findings a team has accepted (a baseline of fingerprints) or
//! suppressed for a reason until a date. Expired suppressions stop suppressing and say so on the finding.

mod baseline;
mod suppressions;

pub use baseline::{Baseline, BaselineEntry, BASELINE_SCHEMA};
pub use suppressions::{Suppression, Suppressions};

use crate::rules::Finding;
use serde::Serialize;
use std::path::PathBuf;

/// A problem with a baseline or suppressions file. Each names the file, the place and the fix.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TriageError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// File.
        path: PathBuf,
        /// OS error.
        source: std::io::Error,
    },
    /// The file is not what it should be.
    #[error("{path}: {message}\n  fix: {fix}")]
    Invalid {
        /// File.
        path: PathBuf,
        /// What is wrong, with its location.
        message: String,
        /// What to do.
        fix: &'static str,
    },
}

/// What triage did, for the report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TriageSummary {
    /// The baseline applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    /// Findings hidden because the baseline holds their fingerprint.
    pub hidden_by_baseline: usize,
    /// The suppressions file applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressions: Option<String>,
    /// Findings hidden by a live suppression.
    pub suppressed: Vec<Suppressed>,
    /// Suppressions past their expiry date that matched a finding (which is reported again).
    pub expired: Vec<Suppressed>,
}

/// A finding a suppression matched.
#[derive(Debug, Clone, Serialize)]
pub struct Suppressed {
    /// Rule id.
    pub rule: String,
    /// Resource.
    pub resource: String,
    /// Why it was accepted.
    pub reason: String,
    /// Until when.
    pub expires: String,
}

/// Apply a baseline and suppressions to findings; `today` decides expiry.
pub fn apply(
    findings: Vec<Finding>,
    baseline: Option<(&Baseline, String)>,
    suppressions: Option<(&Suppressions, String)>,
    today: time::Date,
) -> (Vec<Finding>, TriageSummary) {
    let mut summary = TriageSummary {
        baseline: baseline.as_ref().map(|(_, p)| p.clone()),
        suppressions: suppressions.as_ref().map(|(_, p)| p.clone()),
        ..TriageSummary::default()
    };
    let mut kept = Vec::new();
    for mut f in findings {
        if baseline.as_ref().map(|(b, _)| b.contains(&f.fingerprint)).unwrap_or(false) {
            summary.hidden_by_baseline += 1;
            continue;
        }
        if let Some(s) = suppressions.as_ref().and_then(|(s, _)| s.matching(&f)) {
            let record = Suppressed {
                rule: f.rule.clone(),
                resource: f.resource.clone(),
                reason: s.reason.clone(),
                expires: s.expires.to_string(),
            };
            if s.expires >= today {
                summary.suppressed.push(record);
                continue;
            }
            f.note = Some(format!("suppression expired on {}: {}", s.expires, s.reason));
            summary.expired.push(record);
        }
        kept.push(f);
    }
    (kept, summary)
}
