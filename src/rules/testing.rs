//! `acr-audit rules test`: run every `test_*` rule of the test files, as `opa test` does.

use super::catalog::Catalog;
use super::engine::RuleEngine;
use super::error::RuleLoadError;
use super::metadata::package_of;
use regorus::Value;
use std::time::{Duration, Instant};

/// The result of one Rego test.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TestOutcome {
    /// Test file.
    pub file: String,
    /// `data.<package>.<test>`.
    pub name: String,
    /// Passed: the test rule evaluated to `true`.
    pub passed: bool,
    /// Why it failed: `false`/undefined, or the evaluation error.
    pub detail: Option<String>,
    /// How long it took.
    #[serde(skip_serializing, default)]
    pub duration: Duration,
}

/// Test rules are top-level rules whose name starts with `test_` (OPA's convention); they start at column 0.
fn test_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("test_") else { continue };
        let tail: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        let name = format!("test_{tail}");
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Run all tests of the catalogue.
pub fn run_tests(catalog: &Catalog) -> Result<Vec<TestOutcome>, RuleLoadError> {
    let mut engine = RuleEngine::new(catalog, true)?;
    run_loaded_tests(&mut engine, catalog, |_, _| {})
}

/// Run the tests of `catalog` on an engine that already holds them; `starting(path, file)` is called before
/// each test (the rule sandbox announces it, so a test that kills the process is named).
pub(crate) fn run_loaded_tests(
    engine: &mut RuleEngine,
    catalog: &Catalog,
    mut starting: impl FnMut(&str, &str),
) -> Result<Vec<TestOutcome>, RuleLoadError> {
    let mut outcomes = Vec::new();
    for file in &catalog.tests {
        let package =
            package_of(&file.text).ok_or_else(|| RuleLoadError::MissingPackage { file: file.name.clone() })?;
        for test in test_names(&file.text) {
            let path = format!("data.{package}.{test}");
            starting(&path, &file.name);
            engine.clear_input();
            let start = Instant::now();
            let result = engine.eval_path(&path);
            let duration = start.elapsed();
            let (passed, detail) = match result {
                Ok(Value::Bool(true)) => (true, None),
                Ok(Value::Undefined) => (false, Some("undefined (a condition in the test body was false)".into())),
                Ok(other) => (false, Some(format!("evaluated to {other}, not true"))),
                Err(e) => (false, Some(format!("error: {e}"))),
            };
            outcomes.push(TestOutcome { file: file.name.clone(), name: path, passed, detail, duration });
        }
    }
    Ok(outcomes)
}

#[cfg(test)]
mod tests {
    use super::test_names;

    #[test]
    fn finds_top_level_test_rules_once() {
        let text = "package x_test\n\ntest_a if {\n  true\n}\n\ntest_b if true\ntest_a if false\n  test_nested := 1\n";
        assert_eq!(test_names(text), vec!["test_a".to_string(), "test_b".to_string()]);
    }
}
