//! Baselines: the fingerprints of findings a team has accepted, written by `acr-audit baseline create`.

use super::TriageError;
use crate::rules::Finding;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::Path;

/// Schema id of baseline files.
pub const BASELINE_SCHEMA: &str = "acr-audit/baseline/v1";

/// One accepted finding. Only `fingerprint` matters for matching; the rest tells a reviewer what it was.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BaselineEntry {
    /// Finding fingerprint.
    pub fingerprint: String,
    /// Rule id.
    pub rule: String,
    /// Resource.
    pub resource: String,
    /// Registry of the pair.
    #[serde(default)]
    pub registry: Option<String>,
    /// Client of the pair.
    #[serde(default)]
    pub client: Option<String>,
    /// The message when it was accepted.
    #[serde(default)]
    pub message: String,
}

/// A baseline file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Baseline {
    /// `acr-audit/baseline/v1`.
    pub schema: String,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// Accepted findings.
    pub findings: Vec<BaselineEntry>,
    #[serde(skip)]
    index: HashSet<String>,
}

impl Baseline {
    /// A baseline accepting `findings`.
    pub fn from_findings(findings: &[Finding], created_at: String) -> Baseline {
        let findings: Vec<BaselineEntry> = findings
            .iter()
            .map(|f| BaselineEntry {
                fingerprint: f.fingerprint.clone(),
                rule: f.rule.clone(),
                resource: f.resource.clone(),
                registry: f.registry.clone(),
                client: f.client.clone(),
                message: f.message.clone(),
            })
            .collect();
        let index = findings.iter().map(|e| e.fingerprint.clone()).collect();
        Baseline { schema: BASELINE_SCHEMA.into(), created_at, findings, index }
    }

    /// Read a baseline file.
    pub fn load(path: &Path) -> Result<Baseline, TriageError> {
        let text = std::fs::read_to_string(path).map_err(|source| TriageError::Read { path: path.into(), source })?;
        let mut b: Baseline = serde_json::from_str(&text).map_err(|e| TriageError::Invalid {
            path: path.into(),
            message: format!("line {} column {}: {e}", e.line(), e.column()),
            fix: "a baseline is written by `acr-audit baseline create`; recreate it",
        })?;
        if b.schema != BASELINE_SCHEMA {
            return Err(TriageError::Invalid {
                path: path.into(),
                message: format!("schema `{}` is not `{BASELINE_SCHEMA}`", b.schema),
                fix: "recreate the baseline with this version of acr-audit",
            });
        }
        b.index = b.findings.iter().map(|e| e.fingerprint.clone()).collect();
        Ok(b)
    }

    /// Whether a fingerprint is accepted.
    pub fn contains(&self, fingerprint: &str) -> bool {
        self.index.contains(fingerprint)
    }
}
