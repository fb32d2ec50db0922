//! Resolved settings: what a command was asked to do, as library values, validated once.
//!
//! The binary turns its command-line flags into these types (in `src/cli/resolve.rs`, the only place that knows
//! both sides), then commands pass one [`Settings`] around instead of long argument lists, in the style of
//! ripgrep's `LowArgs` -> `HiArgs`. This module owns the types and the few decisions that follow from them
//! (which colour an output gets, whether findings fail the run). It does not parse flags, look at the terminal
//! or the environment, read snapshots, or render anything.

pub mod pairs;

use crate::analysis::Selection;
use crate::report::Format;
use crate::rules::sandbox::RuleIsolation;
use crate::rules::{Catalog, Finding, RuleLoadError, Severity};
use std::path::PathBuf;

/// Everything an evaluating command (`eval`, `scan`, `baseline create`, `diff`, `explain --snapshot`) needs,
/// so the pipeline takes one value whatever the command.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Which rules to load and evaluate.
    pub rules: RuleSettings,
    /// Which client × registry pairs to analyse (the default analyses every pair).
    pub selection: Selection,
    /// Keep only the findings whose resource, client or registry lies in one of these subscriptions
    /// (`eval --subscription`, any case); empty keeps every finding. Each must be a subscription of the snapshot.
    pub subscriptions: Vec<String>,
    /// What to do with the findings: outputs, triage, failure threshold.
    pub report: ReportSettings,
}

impl Settings {
    /// Settings that only choose rules: every pair, no output, never fail. For commands that evaluate to
    /// compare or record findings (`baseline create`, `diff`, `explain`) rather than to report them.
    pub fn for_rules(rules: RuleSettings) -> Settings {
        Settings { rules, ..Settings::default() }
    }
}

/// Which rules: the catalogue to load and the ids to keep from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSettings {
    /// Load the rules built into the binary.
    pub builtin: bool,
    /// Extra rule directories (rules and their Rego tests), in the order given.
    pub dirs: Vec<PathBuf>,
    /// Evaluate only these rule ids (empty: all).
    pub only: Vec<String>,
    /// Never evaluate these rule ids.
    pub skip: Vec<String>,
    /// Run custom rules in a bounded child process (the binary sets it; `None` evaluates in-process).
    pub isolation: Option<RuleIsolation>,
}

impl Default for RuleSettings {
    /// The built-in rules, all of them: what a run without rule flags evaluates.
    fn default() -> RuleSettings {
        RuleSettings { builtin: true, dirs: Vec::new(), only: Vec::new(), skip: Vec::new(), isolation: None }
    }
}

impl RuleSettings {
    /// Load the catalogue these settings name (built-in and/or extra directories); `only`/`skip` apply later,
    /// at evaluation, so one catalogue serves several selections.
    pub fn load_catalog(&self) -> Result<Catalog, RuleLoadError> {
        Catalog::load(self.builtin, &self.dirs)
    }
}

/// One report to write: a format and where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// The report format.
    pub format: Format,
    /// The file to write, or `None` for standard output (at most one output of a run goes there).
    pub path: Option<PathBuf>,
}

/// What happens to the findings once evaluated.
#[derive(Debug, Clone, Default)]
pub struct ReportSettings {
    /// The reports to write, in order. Empty writes nothing.
    pub outputs: Vec<Output>,
    /// Findings at or above this severity fail the run; `None` never fails.
    pub fail_on: Option<Severity>,
    /// Hide findings whose fingerprint this baseline file holds.
    pub baseline: Option<PathBuf>,
    /// Hide findings matched by this suppressions file.
    pub suppressions: Option<PathBuf>,
    /// Standard output may carry ANSI colour. Decided by the binary (terminal, `--no-color`, `NO_COLOR`); the
    /// library never looks at the terminal.
    pub color: bool,
}

impl ReportSettings {
    /// Whether any output is in `format` (SARIF needs the resource line numbers of the snapshot text).
    pub fn wants(&self, format: Format) -> bool {
        self.outputs.iter().any(|o| o.format == format)
    }

    /// Whether `output` is rendered in colour: only a table, only on standard output, only if allowed.
    pub fn color_of(&self, output: &Output) -> bool {
        self.color && output.format == Format::Table && output.path.is_none()
    }

    /// Whether these findings fail the run (any at or above `fail_on`).
    pub fn fails<'a>(&self, findings: impl IntoIterator<Item = &'a Finding>) -> bool {
        self.fail_on.map(|t| findings.into_iter().any(|f| f.severity >= t)).unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(severity: Severity) -> Finding {
        Finding {
            fingerprint: String::new(),
            rule: "ACR-TEST-001".into(),
            severity,
            title: String::new(),
            resource: "/r".into(),
            registry: None,
            client: None,
            message: String::new(),
            remediation: vec![],
            evidence: serde_json::Value::Null,
            note: None,
        }
    }

    #[test]
    fn fails_at_or_above_the_threshold_and_never_without_one() {
        let high = ReportSettings { fail_on: Some(Severity::High), ..ReportSettings::default() };
        assert!(high.fails(&[finding(Severity::High)]));
        assert!(high.fails(&[finding(Severity::Critical)]));
        assert!(!high.fails(&[finding(Severity::Medium)]));
        assert!(!ReportSettings::default().fails(&[finding(Severity::Critical)]));
    }

    #[test]
    fn only_a_table_on_standard_output_is_coloured() {
        let s = ReportSettings { color: true, ..ReportSettings::default() };
        assert!(s.color_of(&Output { format: Format::Table, path: None }));
        assert!(!s.color_of(&Output { format: Format::Table, path: Some("r.txt".into()) }));
        assert!(!s.color_of(&Output { format: Format::Json, path: None }));
        let off = ReportSettings::default();
        assert!(!off.color_of(&Output { format: Format::Table, path: None }));
    }
}
