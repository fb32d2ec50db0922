//! Findings by subscription: which subscription a finding belongs to, the per-subscription counts every report
//! format can show, and the `eval --subscription` filter.
//!
//! The subscription of a finding is the subscription of its resource id (the resource to fix); a finding whose
//! resource id names none (a tenant-level resource) falls back to its client's, then its registry's. A tenant
//! scanned through management groups gives findings over many subscriptions; grouping keeps such a report
//! readable, and a snapshot of one subscription reads exactly as before (no grouping, no per-subscription
//! table in text formats).

use super::Summary;
use crate::rules::Finding;
use crate::snapshot::ids::parse_resource_id;
use serde::Serialize;
use std::collections::BTreeSet;

/// The subscription id (lower-cased) an ARM id lies in.
pub fn subscription_of_id(id: &str) -> Option<String> {
    parse_resource_id(id).subscription.filter(|s| !s.is_empty()).map(|s| s.to_ascii_lowercase())
}

/// The subscription of a finding (lower-cased): its resource's, else its client's, else its registry's.
pub fn subscription_of(f: &Finding) -> Option<String> {
    subscription_of_id(&f.resource)
        .or_else(|| f.client.as_deref().and_then(subscription_of_id))
        .or_else(|| f.registry.as_deref().and_then(subscription_of_id))
}

/// Counts of the findings of one subscription (`null`: findings whose ids name no subscription).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SubscriptionSummary {
    /// The subscription id, lower-cased.
    pub subscription: Option<String>,
    /// Counts by severity.
    #[serde(flatten)]
    pub summary: Summary,
}

/// Per-subscription counts, by subscription id (findings with none last). Empty when there are no findings.
pub fn by_subscription(findings: &[Finding]) -> Vec<SubscriptionSummary> {
    grouped(findings)
        .into_iter()
        .map(|(subscription, indices)| {
            let of: Vec<Finding> = indices.iter().map(|&i| findings[i].clone()).collect();
            SubscriptionSummary { subscription, summary: Summary::of(&of) }
        })
        .collect()
}

/// The indices of `findings` grouped by subscription: groups by subscription id (none last), report order kept
/// within a group.
pub(crate) fn grouped(findings: &[Finding]) -> Vec<(Option<String>, Vec<usize>)> {
    let mut groups: Vec<(Option<String>, Vec<usize>)> = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        let s = subscription_of(f);
        match groups.iter_mut().find(|(g, _)| *g == s) {
            Some((_, list)) => list.push(i),
            None => groups.push((s, vec![i])),
        }
    }
    // `None` sorts first for `Option`; put it last.
    groups.sort_by(|a, b| (a.0.is_none(), &a.0).cmp(&(b.0.is_none(), &b.0)));
    groups
}

/// A subscription given with `--subscription` that no resource, error or metadata entry of the snapshot names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("subscription `{name}` is not in the snapshot (given with --subscription)\n  fix: {}", fix(.closest))]
pub struct UnknownSubscription {
    /// The id as given.
    pub name: String,
    /// The nearest known ids, best first (at most three).
    pub closest: Vec<String>,
}

fn fix(closest: &[String]) -> String {
    match closest {
        [] => "the snapshot names no such subscription; check the id and that it is the right snapshot".into(),
        ids => format!("did you mean {}?", ids.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")),
    }
}

/// Keep the findings whose resource, client or registry lies in one of `wanted` (lower-cased ids, as
/// [`wanted_set`] returns).
pub fn filter(findings: Vec<Finding>, wanted: &BTreeSet<String>) -> Vec<Finding> {
    let inside = |id: Option<&str>| id.is_some_and(|i| in_subscriptions(i, wanted));
    findings
        .into_iter()
        .filter(|f| inside(Some(&f.resource)) || inside(f.client.as_deref()) || inside(f.registry.as_deref()))
        .collect()
}

/// Whether an id lies in one of `wanted` (lower-cased ids, as [`wanted_set`] returns).
pub fn in_subscriptions(id: &str, wanted: &BTreeSet<String>) -> bool {
    subscription_of_id(id).is_some_and(|s| wanted.contains(&s))
}

/// `wanted` (ids as given: any case, bare or as `/subscriptions/{id}`), lower-cased, each checked against
/// `known` (the snapshot's subscriptions, lower-cased): a typo must not turn into "No findings." and exit 0.
pub fn wanted_set(wanted: &[String], known: &BTreeSet<String>) -> Result<BTreeSet<String>, UnknownSubscription> {
    let mut out = BTreeSet::new();
    for w in wanted {
        let id = w.trim().trim_start_matches("/subscriptions/").trim_end_matches('/').to_ascii_lowercase();
        if !known.contains(&id) {
            return Err(UnknownSubscription { name: w.clone(), closest: closest(&id, known) });
        }
        out.insert(id);
    }
    Ok(out)
}

/// Up to three known ids nearest to `id` by edit distance, among those close enough to be a typo.
fn closest(id: &str, known: &BTreeSet<String>) -> Vec<String> {
    let mut scored: Vec<(usize, &String)> = known
        .iter()
        .map(|k| (strsim::levenshtein(id, k), k))
        .filter(|(d, k)| *d <= (k.len().max(id.len()) / 3).max(2))
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, k)| k.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Severity;

    const A: &str = "7a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d";
    const B: &str = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";

    fn finding(resource: &str, client: Option<&str>, registry: Option<&str>, severity: Severity) -> Finding {
        Finding {
            rule: "ACR-TEST-001".into(),
            severity,
            title: "t".into(),
            resource: resource.into(),
            registry: registry.map(str::to_string),
            client: client.map(str::to_string),
            message: "m".into(),
            remediation: vec![],
            evidence: serde_json::Value::Null,
            fingerprint: String::new(),
            note: None,
        }
    }

    fn id(sub: &str, name: &str) -> String {
        format!("/subscriptions/{sub}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/{name}")
    }

    #[test]
    fn a_finding_belongs_to_its_resource_then_client_then_registry() {
        let f = finding(&id(&A.to_uppercase(), "r"), Some(&id(B, "c")), None, Severity::High);
        assert_eq!(subscription_of(&f).as_deref(), Some(A));
        let f = finding("/providers/Microsoft.Management/managementGroups/x", Some(&id(B, "c")), None, Severity::High);
        assert_eq!(subscription_of(&f).as_deref(), Some(B));
        let f = finding("tenant", None, Some(&id(A, "r")), Severity::High);
        assert_eq!(subscription_of(&f).as_deref(), Some(A));
        assert_eq!(subscription_of(&finding("tenant", None, None, Severity::High)), None);
    }

    #[test]
    fn counts_per_subscription_sum_to_the_total() {
        let findings = vec![
            finding(&id(B, "1"), None, None, Severity::High),
            finding("tenant", None, None, Severity::Low),
            finding(&id(A, "2"), None, None, Severity::High),
            finding(&id(B, "3"), None, None, Severity::Medium),
        ];
        let by = by_subscription(&findings);
        let keys: Vec<Option<&str>> = by.iter().map(|s| s.subscription.as_deref()).collect();
        assert_eq!(keys, vec![Some(A), Some(B), None]);
        assert_eq!((by[1].summary.total, by[1].summary.high, by[1].summary.medium), (2, 1, 1));
        assert_eq!(by.iter().map(|s| s.summary.total).sum::<usize>(), findings.len());
        assert_eq!(grouped(&findings)[1].1, vec![0, 3], "report order is kept within a group");
    }

    #[test]
    fn the_filter_keeps_findings_touching_a_wanted_subscription_and_refuses_unknown_ids() {
        let known: BTreeSet<String> = [A, B].iter().map(|s| s.to_string()).collect();
        let findings = vec![
            finding(&id(A, "1"), None, None, Severity::High),
            finding(&id(B, "2"), Some(&id(A, "c")), None, Severity::High),
            finding(&id(B, "3"), None, Some(&id(B, "r")), Severity::High),
        ];
        let kept = filter(findings, &wanted_set(&[A.to_uppercase()], &known).unwrap());
        assert_eq!(kept.len(), 2);
        assert!(kept.iter().all(|f| !f.resource.ends_with("/3")));
        let typo = A.replace("8e9f", "8e9e");
        let err = wanted_set(std::slice::from_ref(&typo), &known).unwrap_err();
        assert_eq!(err.closest, vec![A.to_string()]);
        assert!(err.to_string().contains(&typo) && err.to_string().contains(A));
    }
}
