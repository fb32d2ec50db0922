//! Helpers shared by the end-to-end tests: run the real binary, find fixtures, validate JSON schemas.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The repository root (fixtures, docs and rules are relative to it).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path under the repository root.
pub fn path(rel: &str) -> PathBuf {
    root().join(rel)
}

/// The built `acr-audit` binary, run from the repository root with colour off.
pub fn acr_audit() -> Command {
    let mut cmd = Command::cargo_bin("acr-audit").expect("binary built");
    cmd.current_dir(root()).env("NO_COLOR", "1");
    cmd
}

/// Parse a JSON file.
pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Validate `instance` against the JSON Schema file at `schema`; panic listing every violation.
pub fn assert_valid(schema: &Path, instance: &Value) {
    let schema = read_json(schema);
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> =
        validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "schema violations:\n{}", errors.join("\n"));
}

/// Like [`assert_valid`], for the official SARIF 2.1.0 schema. The published file is not itself valid against
/// the draft-07 meta-schema: its `run.language` pattern `^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$` has a stray
/// `]` (a known erratum, fixed in later drafts as `^[a-zA-Z]{2}(-[a-zA-Z]{2})?$`). The vendored file stays as
/// published; the test corrects that pattern (wherever it appears) in memory before compiling.
pub fn assert_valid_sarif(schema: &Path, instance: &Value) {
    fn fix(v: &mut Value) -> usize {
        match v {
            Value::String(s) if s == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" => {
                *s = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".into();
                1
            }
            Value::Object(m) => m.values_mut().map(fix).sum(),
            Value::Array(a) => a.iter_mut().map(fix).sum(),
            _ => 0,
        }
    }
    let mut schema = read_json(schema);
    assert!(fix(&mut schema) > 0, "the vendored schema changed: review this workaround");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> =
        validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "SARIF schema violations:\n{}", errors.join("\n"));
}

/// Run `eval --format json` on a snapshot and return (exit code, parsed report).
pub fn eval_json(snapshot: &Path, extra: &[&str]) -> (i32, Value) {
    let out = acr_audit().arg("eval").arg(snapshot).args(["--format", "json"]).args(extra).output().expect("runs");
    let code = out.status.code().expect("exit code");
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}); stderr: {}", String::from_utf8_lossy(&out.stderr)));
    (code, report)
}

/// `(rule, resource)` of every finding in a report.
pub fn finding_keys(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_string(), f["resource"].as_str().unwrap().to_string()))
        .collect()
}

/// Settings that evaluate the rules `only` names (all when empty) on the pairs `selection` names, in-process.
pub fn rule_run(only: &[&str], selection: acr_audit::analysis::Selection) -> acr_audit::settings::Settings {
    let mut settings = acr_audit::settings::Settings { selection, ..Default::default() };
    settings.rules.only = only.iter().map(|s| s.to_string()).collect();
    settings
}

/// The demo estate's subscription, which the fake ARM serves.
pub const DEMO_SUBSCRIPTION: &str = "3f2b8c1e-7d4a-4e59-9b6f-0c1d2e3f4a5b";

/// What one `scan` of the fake ARM gave: exit code, outputs, the snapshot it saved, how long it took.
pub struct ScanRun {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub snapshot: Option<Value>,
    pub snapshot_text: String,
    pub elapsed: std::time::Duration,
}

/// The binary pointed at `fake`: its ARM endpoint and token endpoint, and no other credential source visible
/// (a workload identity file or a managed identity endpoint of the machine would be tried first).
pub fn acr_audit_on(fake: &super::fake_arm::FakeArm) -> Command {
    let mut cmd = acr_audit();
    for (k, v) in fake.env() {
        cmd.env(k, v);
    }
    cmd.env_remove("AZURE_FEDERATED_TOKEN_FILE").env_remove("IDENTITY_ENDPOINT").env_remove("MSI_ENDPOINT");
    cmd
}

/// `scan --subscription <demo> --format json --save-snapshot` against `fake`, signed in through the fake's
/// token endpoint (no other credential source is visible), with `env` and `extra` arguments added.
pub fn scan_fake_arm(fake: &super::fake_arm::FakeArm, env: &[(&str, &str)], extra: &[&str]) -> ScanRun {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("collected.json");
    let mut cmd = acr_audit_on(fake);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let start = std::time::Instant::now();
    let out = cmd
        .args(["scan", "--subscription", DEMO_SUBSCRIPTION, "--format", "json", "--save-snapshot"])
        .arg(&saved)
        .args(extra)
        .output()
        .unwrap();
    let snapshot_text = std::fs::read_to_string(&saved).unwrap_or_default();
    ScanRun {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
        snapshot: serde_json::from_str(&snapshot_text).ok(),
        snapshot_text,
        elapsed: start.elapsed(),
    }
}

/// The resource `id` (ignoring case) of type `kind` in a snapshot, to change it in place.
pub fn resource_mut<'a>(s: &'a mut Value, kind: &str, id: &str) -> &'a mut Value {
    s["resources"][kind]
        .as_array_mut()
        .and_then(|l| l.iter_mut().find(|v| v["id"].as_str().map(|x| x.eq_ignore_ascii_case(id)).unwrap_or(false)))
        .unwrap_or_else(|| panic!("no {kind} {id}"))
}

/// The child `id` (ignoring case) of type `kind`, under whichever parent holds it, to change it in place.
pub fn child_mut<'a>(s: &'a mut Value, kind: &str, id: &str) -> &'a mut Value {
    s["children"][kind]
        .as_array_mut()
        .into_iter()
        .flatten()
        .flat_map(|c| c["value"].as_array_mut().unwrap().iter_mut())
        .find(|v| v["id"].as_str().map(|x| x.eq_ignore_ascii_case(id)).unwrap_or(false))
        .unwrap_or_else(|| panic!("no {kind} {id}"))
}

/// How many items the child collection of type `kind` under `parent` (ignoring case) holds; 0 when it has none.
pub fn child_len(s: &Value, kind: &str, parent: &str) -> usize {
    s["children"][kind]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["parentId"].as_str().map(|p| p.eq_ignore_ascii_case(parent)).unwrap_or(false))
        .map(|c| c["value"].as_array().map(Vec::len).unwrap_or(0))
        .unwrap_or(0)
}
