//! Suppressions: rule and resource patterns accepted for a reason until a date.
//!
//! ```yaml
//! suppressions:
//!   - rule: ACR-REG-008                      # an id or a glob (ACR-NET-*)
//!     resource: "*/registries/contosobuildacr" # a glob on the ARM id, case-insensitive (default: every resource)
//!     reason: Build registry, reached only by pipeline agents
//!     expires: 2027-03-31                    # stops suppressing after this day
//! ```

use super::TriageError;
use crate::rules::Finding;
use globset::GlobSet;
use serde::Deserialize;
use std::path::Path;

/// One suppression.
#[derive(Debug, Clone)]
pub struct Suppression {
    /// Pattern on the rule id.
    pub rule: String,
    /// Pattern on the resource id.
    pub resource: String,
    /// Why.
    pub reason: String,
    /// Last day it applies.
    pub expires: time::Date,
    rule_glob: GlobSet,
    resource_glob: GlobSet,
}

/// A suppressions file.
#[derive(Debug, Clone, Default)]
pub struct Suppressions {
    /// Entries, in file order (the first match applies).
    pub entries: Vec<Suppression>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    suppressions: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    rule: String,
    #[serde(default)]
    resource: Option<String>,
    reason: Option<String>,
    expires: Option<String>,
}

/// One pattern as a one-member `GlobSet`: its `build` reports a pattern whose regex exceeds the engine's limits
/// (deeply nested `{a,{b,...}}`) as an error, where `Glob::compile_matcher` panics on it.
fn glob(pattern: &str) -> Result<GlobSet, globset::Error> {
    let glob = globset::GlobBuilder::new(pattern).case_insensitive(true).literal_separator(false).build()?;
    globset::GlobSetBuilder::new().add(glob).build()
}

impl Suppressions {
    /// Read a YAML (or JSON) suppressions file.
    pub fn load(path: &Path) -> Result<Suppressions, TriageError> {
        let text = std::fs::read_to_string(path).map_err(|source| TriageError::Read { path: path.into(), source })?;
        Suppressions::parse(&text, path)
    }

    /// Parse suppressions; `path` is for messages.
    pub fn parse(text: &str, path: &Path) -> Result<Suppressions, TriageError> {
        let invalid = |message: String| TriageError::Invalid {
            path: path.into(),
            message,
            fix: "each entry needs `rule`, `reason` and `expires: YYYY-MM-DD` (optional `resource` glob)",
        };
        if let Some(line) = crate::yaml::too_deep(text, crate::yaml::MAX_YAML_DEPTH) {
            return Err(invalid(format!(
                "line {line}: the YAML nests deeper than {} levels",
                crate::yaml::MAX_YAML_DEPTH
            )));
        }
        let raw: RawFile = yaml_serde::from_str(text).map_err(|e| invalid(e.to_string()))?;
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let mut entries = Vec::new();
        for (i, e) in raw.suppressions.into_iter().enumerate() {
            let at = format!("suppressions[{i}] (rule {})", e.rule);
            let reason = e
                .reason
                .filter(|r| !r.trim().is_empty())
                .ok_or_else(|| invalid(format!("{at}: `reason` is required")))?;
            let expires_text = e.expires.ok_or_else(|| invalid(format!("{at}: `expires` is required")))?;
            let expires = time::Date::parse(expires_text.trim(), &format)
                .map_err(|err| invalid(format!("{at}: `expires: {expires_text}` is not a YYYY-MM-DD date ({err})")))?;
            let resource = e.resource.unwrap_or_else(|| "*".into());
            entries.push(Suppression {
                rule_glob: glob(&e.rule).map_err(|err| invalid(format!("{at}: bad rule pattern: {err}")))?,
                resource_glob: glob(&resource).map_err(|err| invalid(format!("{at}: bad resource pattern: {err}")))?,
                rule: e.rule,
                resource,
                reason,
                expires,
            });
        }
        Ok(Suppressions { entries })
    }

    /// The first suppression matching a finding.
    pub fn matching(&self, f: &Finding) -> Option<&Suppression> {
        self.entries.iter().find(|s| s.rule_glob.is_match(&f.rule) && s.resource_glob.is_match(&f.resource))
    }
}
