//! A finding: one rule firing on one resource, with its remediation filled in.

use super::severity::Severity;
use serde::Serialize;

/// One problem found, as every report format renders it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Finding {
    /// Rule id, e.g. `ACR-NET-006`.
    pub rule: String,
    /// Severity (the rule's default unless the finding overrides it).
    pub severity: Severity,
    /// Rule title.
    pub title: String,
    /// ARM id of the resource to fix.
    pub resource: String,
    /// The registry of the pair, when there is one.
    pub registry: Option<String>,
    /// The client of the pair, when there is one.
    pub client: Option<String>,
    /// What is wrong, in this estate's names.
    pub message: String,
    /// Commands that fix it, placeholders filled.
    pub remediation: Vec<String>,
    /// The facts that made the rule fire.
    pub evidence: serde_json::Value,
    /// Stable identity of the finding across runs: rule + resource + pair (see [`fingerprint`]).
    pub fingerprint: String,
    /// A note attached after evaluation (e.g. an expired suppression); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The fingerprint of a finding: SHA-256 over rule id and the lower-cased resource, registry and client ids
/// (ARM ids are case-insensitive), truncated to 32 hex digits. Messages and evidence are left out on purpose:
/// rewording a message must not resurrect a baselined finding.
pub fn fingerprint(rule: &str, resource: &str, registry: Option<&str>, client: Option<&str>) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [rule, resource, registry.unwrap_or(""), client.unwrap_or("")] {
        h.update(part.to_ascii_lowercase().as_bytes());
        h.update([0u8]);
    }
    h.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect()
}

impl Finding {
    /// Report order: most severe first, then rule id, then resource.
    pub fn sort_key(&self) -> (std::cmp::Reverse<Severity>, &str, &str, Option<&str>) {
        (std::cmp::Reverse(self.severity), &self.rule, &self.resource, self.client.as_deref())
    }
}
