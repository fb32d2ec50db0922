//! The `# METADATA` block of a rule file: OPA's annotation format, parsed here because regorus does not
//! expose `rego.metadata.*`. It is the only source of a rule's title, severity, symptoms and remediation.

use super::error::RuleLoadError;
use super::severity::Severity;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a rule is in its life. Ids are never reused, so removed rules keep their id reserved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lifecycle {
    /// New; may change.
    Preview,
    /// Stable (the default).
    #[default]
    Stable,
    /// Will be removed; still evaluated.
    Deprecated,
}

/// Validated metadata of one rule.
#[derive(Debug, Clone, Serialize)]
pub struct RuleMetadata {
    /// `ACR-<AREA>-NNN`.
    pub id: String,
    /// States the problem.
    pub title: String,
    /// Why it matters and how to fix it (Markdown).
    pub description: String,
    /// Default severity.
    pub severity: Severity,
    /// Exact error texts users see.
    pub symptoms: Vec<String>,
    /// az CLI commands with `{placeholders}` filled from each finding.
    pub remediation: Vec<String>,
    /// Commands for one client kind (`webapp`, `containerapp`, …), used instead of `remediation` for a finding
    /// whose `client_kind` names that kind: the fix for an App Service is not the fix for a cluster.
    pub remediation_by_kind: BTreeMap<String, Vec<String>>,
    /// Documentation links.
    pub references: Vec<String>,
    /// Lifecycle.
    pub status: Lifecycle,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAnnotation {
    #[serde(default)]
    scope: Option<String>,
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    related_resources: Vec<RelatedResource>,
    #[serde(default)]
    authors: Option<yaml_serde::Value>,
    #[serde(default)]
    organizations: Option<yaml_serde::Value>,
    #[serde(default)]
    schemas: Option<yaml_serde::Value>,
    #[serde(default)]
    entrypoint: Option<bool>,
    custom: Option<RawCustom>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RelatedResource {
    Url(String),
    Object {
        #[serde(rename = "ref")]
        reference: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCustom {
    id: Option<String>,
    severity: Option<String>,
    #[serde(default)]
    symptoms: Vec<String>,
    #[serde(default)]
    remediation: Vec<String>,
    #[serde(default)]
    remediation_by_kind: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    status: Option<Lifecycle>,
}

/// Find the `# METADATA` block in `text` and return its YAML and the 1-based line of the marker.
fn metadata_block(text: &str) -> Option<(String, usize)> {
    let mut lines = text.lines().enumerate();
    let (marker, _) = lines.find(|(_, l)| l.trim() == "# METADATA")?;
    let mut yaml = String::new();
    for (_, line) in lines {
        let Some(rest) = line.trim_start().strip_prefix('#') else { break };
        yaml.push_str(rest.strip_prefix(' ').unwrap_or(rest));
        yaml.push('\n');
    }
    Some((yaml, marker + 1))
}

/// Whether an id has the catalogue's shape `ACR-<AREA>-NNN` (or a user's own `<PREFIX>-<AREA>-NNN`).
fn valid_id(id: &str) -> bool {
    let parts: Vec<&str> = id.split('-').collect();
    parts.len() == 3
        && parts[..2].iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_uppercase()))
        && parts[2].len() == 3
        && parts[2].chars().all(|c| c.is_ascii_digit())
}

/// Parse and validate the metadata of a rule file.
pub(crate) fn parse_metadata(file: &str, text: &str) -> Result<RuleMetadata, RuleLoadError> {
    let (yaml, line) = metadata_block(text).ok_or_else(|| RuleLoadError::MissingMetadata { file: file.to_string() })?;
    let bad = |message: String| RuleLoadError::BadMetadata { file: file.to_string(), line, message };
    if let Some(at) = crate::yaml::too_deep(&yaml, crate::yaml::MAX_YAML_DEPTH) {
        return Err(RuleLoadError::BadMetadata {
            file: file.to_string(),
            line: line + at,
            message: format!("the METADATA nests deeper than {} levels", crate::yaml::MAX_YAML_DEPTH),
        });
    }
    let raw: RawAnnotation = yaml_serde::from_str(&yaml).map_err(|e| {
        // Point at the offending line of the .rego file: the YAML starts on the line after the marker.
        let at = e.location().map(|l| line + l.line()).unwrap_or(line);
        let message = match e.to_string().rfind(" at line ") {
            Some(pos) => e.to_string()[..pos].to_string(),
            None => e.to_string(),
        };
        RuleLoadError::BadMetadata { file: file.to_string(), line: at, message }
    })?;
    let _ = (&raw.scope, &raw.authors, &raw.organizations, &raw.schemas, &raw.entrypoint);
    let title = raw.title.filter(|t| !t.trim().is_empty()).ok_or_else(|| bad("`title` is required".into()))?;
    let custom = raw.custom.ok_or_else(|| bad("`custom` with `id` and `severity` is required".into()))?;
    let id = custom.id.ok_or_else(|| bad("`custom.id` is required".into()))?;
    if !valid_id(&id) {
        return Err(bad(format!("`custom.id` `{id}` is not of the form ACR-<AREA>-NNN (e.g. ACR-NET-001)")));
    }
    let severity =
        custom.severity.ok_or_else(|| bad("`custom.severity` is required".into()))?.parse::<Severity>().map_err(bad)?;
    let mut references = custom.references;
    for r in raw.related_resources {
        let url = match r {
            RelatedResource::Url(u) => u,
            RelatedResource::Object { reference } => reference,
        };
        if !references.contains(&url) {
            references.push(url);
        }
    }
    Ok(RuleMetadata {
        id,
        title: title.trim().to_string(),
        description: raw.description.unwrap_or_default().trim_end().to_string(),
        severity,
        symptoms: custom.symptoms,
        remediation: custom.remediation,
        remediation_by_kind: custom.remediation_by_kind,
        references,
        status: custom.status.unwrap_or_default(),
    })
}

/// The `package` path declared by a Rego file.
pub(crate) fn package_of(text: &str) -> Option<String> {
    text.lines().find_map(|l| l.trim().strip_prefix("package ").map(|p| p.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "# METADATA\n# title: Something is wrong\n# description: |\n#   ## Why\n#   because\n# related_resources:\n#   - https://example.org/a\n# custom:\n#   id: ACR-REG-001\n#   severity: high\n#   symptoms:\n#     - \"403 Forbidden\"\n#   remediation:\n#     - az acr update --name {registry_name}\npackage acr_audit.registry.acr_reg_001\n";

    #[test]
    fn parses_the_opa_annotation_block() {
        let m = parse_metadata("r.rego", GOOD).expect("valid");
        assert_eq!(m.id, "ACR-REG-001");
        assert_eq!(m.severity, Severity::High);
        assert_eq!(m.symptoms, vec!["403 Forbidden".to_string()]);
        assert_eq!(m.references, vec!["https://example.org/a".to_string()]);
        assert!(m.description.contains("because"));
        assert_eq!(package_of(GOOD).as_deref(), Some("acr_audit.registry.acr_reg_001"));
    }

    #[test]
    fn rejects_a_bad_severity_with_file_and_line() {
        let text = GOOD.replace("severity: high", "severity: severe");
        let err = parse_metadata("r.rego", &text).unwrap_err().to_string();
        assert!(err.starts_with("r.rego:1: bad rule metadata"), "{err}");
        assert!(err.contains("severe"), "{err}");
        let err = parse_metadata("r.rego", &GOOD.replace("title: Something is wrong", "title: Broken: colon"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("r.rego:2: bad rule metadata"), "{err}");
    }

    #[test]
    fn rejects_malformed_ids_and_unknown_keys() {
        let err = parse_metadata("r.rego", &GOOD.replace("ACR-REG-001", "acr-reg-1")).unwrap_err().to_string();
        assert!(err.contains("ACR-<AREA>-NNN"), "{err}");
        let err = parse_metadata("r.rego", &GOOD.replace("  symptoms:", "  symptom:")).unwrap_err().to_string();
        assert!(err.contains("symptom"), "{err}");
    }

    #[test]
    fn missing_block_is_an_error() {
        assert!(matches!(parse_metadata("r.rego", "package x\n"), Err(RuleLoadError::MissingMetadata { .. })));
    }
}
