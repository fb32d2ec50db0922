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
}

impl Finding {
    /// Report order: most severe first, then rule id, then resource.
    pub fn sort_key(&self) -> (std::cmp::Reverse<Severity>, &str, &str, Option<&str>) {
        (std::cmp::Reverse(self.severity), &self.rule, &self.resource, self.client.as_deref())
    }
}
