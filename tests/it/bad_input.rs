//! Every kind of bad input gets one clear message naming the place and the fix, and exit 2: never a panic,
//! never a silent empty report.

use super::common;
use common::*;
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, text).unwrap();
    p
}

/// Run and return stderr, asserting exit 2, empty stdout and no panic.
fn fails_with(args: &[&std::ffi::OsStr]) -> String {
    let out = acr_audit().args(args).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(out.stdout.is_empty(), "no partial report: {}", String::from_utf8_lossy(&out.stdout));
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

#[test]
fn malformed_json_names_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "broken.json", "{\n  \"schema\": \"acr-audit/snapshot/v1\",\n  \"resources\": {\n    \"Microsoft.Network/virtualNetworks\": [\n      {\"id\": \"/x\",}\n    ]\n  }\n}\n");
    let err = fails_with(&[os("eval"), f.as_os_str()]);
    assert!(err.contains("broken.json:5:"), "{err}");
    assert!(err.contains("not valid JSON"), "{err}");
    assert!(err.contains("fix:"), "{err}");
}

#[test]
fn wrong_schema_version_names_the_supported_one() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "v2.json", r#"{"schema":"acr-audit/snapshot/v2","resources":{}}"#);
    let err = fails_with(&[os("eval"), f.as_os_str()]);
    assert!(err.contains("acr-audit/snapshot/v2") && err.contains("reads `acr-audit/snapshot/v1`"), "{err}");
}

#[test]
fn a_field_of_the_wrong_shape_names_its_json_path() {
    let mut snap = read_json(&path("fixtures/demo/snapshot.json"));
    snap["resources"]["Microsoft.Network/networkSecurityGroups"][0]["properties"]["securityRules"][1]["properties"]
        ["priority"] = serde_json::json!("high");
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "shape.json", &serde_json::to_string_pretty(&snap).unwrap());
    let err = fails_with(&[os("eval"), f.as_os_str()]);
    assert!(err.contains("securityRules[1].properties.priority"), "{err}");
    assert!(err.contains("docs/snapshot.md"), "{err}");
}

#[test]
fn an_unreadable_file_is_named() {
    let err = fails_with(&[os("eval"), os("fixtures/does-not-exist.json")]);
    assert!(err.contains("fixtures/does-not-exist.json: cannot read the snapshot"), "{err}");
}

#[test]
fn a_rule_with_a_syntax_error_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "bad.rego",
        "# METADATA\n# title: Broken rule\n# custom:\n#   id: USR-BAD-001\n#   severity: low\npackage user.bad\n\nimport rego.v1\n\ndeny contains f if {\n\tsome r in input.registries\n\tf := {\"msg\": \"x\" \"resource\": r.id}\n}\n",
    );
    let err = fails_with(&[os("eval"), os("fixtures/demo/snapshot.json"), os("--rules"), dir.path().as_os_str()]);
    assert!(err.contains("bad.rego:12:"), "{err}");
    assert!(err.contains("does not compile"), "{err}");
}

#[test]
fn a_rule_calling_the_network_is_refused_at_load() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "net.rego",
        "# METADATA\n# title: Phones home\n# custom:\n#   id: USR-NET-001\n#   severity: low\npackage user.net\n\nimport rego.v1\n\ndeny contains f if {\n\tr := http.send({\"method\": \"GET\", \"url\": \"http://127.0.0.1:9\"})\n\tf := {\"msg\": \"x\", \"resource\": r.body}\n}\n",
    );
    let err = fails_with(&[os("eval"), os("fixtures/demo/snapshot.json"), os("--rules"), dir.path().as_os_str()]);
    assert!(err.contains("net.rego:11: the rule calls `http.send`"), "{err}");
}

#[test]
fn a_rule_failing_at_run_time_names_the_rule_and_the_input() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "runtime.rego",
        "# METADATA\n# title: Fails on real input\n# custom:\n#   id: USR-RUN-001\n#   severity: low\npackage user.runtime\n\nimport rego.v1\n\ndeny contains f if {\n\tsome r in input.registries\n\tn := to_number(r.name)\n\tf := {\"msg\": sprintf(\"%v\", [n]), \"resource\": r.id}\n}\n",
    );
    let err = fails_with(&[os("eval"), os("fixtures/demo/snapshot.json"), os("--rules"), dir.path().as_os_str()]);
    assert!(err.contains("rule USR-RUN-001"), "{err}");
    assert!(err.contains("fixtures/demo/snapshot.json"), "{err}");
    assert!(err.contains("--skip USR-RUN-001"), "{err}");
}

#[test]
fn a_finding_without_msg_is_rejected_with_the_rule_named() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "nomsg.rego",
        "# METADATA\n# title: No message\n# custom:\n#   id: USR-MSG-001\n#   severity: low\npackage user.nomsg\n\nimport rego.v1\n\ndeny contains f if {\n\tsome r in input.registries\n\tf := {\"resource\": r.id}\n}\n",
    );
    let err = fails_with(&[os("eval"), os("fixtures/demo/snapshot.json"), os("--rules"), dir.path().as_os_str()]);
    assert!(err.contains("USR-MSG-001") && err.contains("missing `msg`"), "{err}");
}

#[test]
fn unknown_rule_ids_in_only_and_skip_are_errors() {
    let err = fails_with(&[os("eval"), os("fixtures/demo/snapshot.json"), os("--only"), os("ACR-XYZ-999")]);
    assert!(err.contains("unknown rule id `ACR-XYZ-999` in --only"), "{err}");
    assert!(err.contains("acr-audit rules list"), "{err}");
    let err = fails_with(&[os("eval"), os("fixtures/demo/snapshot.json"), os("--skip"), os("NOPE-1")]);
    assert!(err.contains("in --skip"), "{err}");
}

#[test]
fn bad_metadata_and_duplicate_ids_are_load_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.rego",
        "# METADATA\n# title: Dup\n# custom:\n#   id: ACR-REG-001\n#   severity: low\npackage user.dup\n",
    );
    let err = fails_with(&[os("rules"), os("list"), os("--rules"), dir.path().as_os_str()]);
    assert!(err.contains("ACR-REG-001 is defined twice"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "b.rego",
        "# METADATA\n# title: Bad severity\n# custom:\n#   id: USR-SEV-001\n#   severity: urgent\npackage user.sev\n",
    );
    let err = fails_with(&[os("rules"), os("list"), os("--rules"), dir.path().as_os_str()]);
    assert!(err.contains("b.rego:1: bad rule metadata") && err.contains("urgent"), "{err}");
}

#[test]
fn unknown_flags_are_usage_errors_with_exit_2() {
    let out = acr_audit().args(["eval", "--no-such-flag"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn scan_without_any_credential_says_which_methods_were_tried() {
    let mut cmd = acr_audit();
    for v in [
        "AZURE_TENANT_ID",
        "AZURE_CLIENT_ID",
        "AZURE_CLIENT_SECRET",
        "AZURE_FEDERATED_TOKEN_FILE",
        "IDENTITY_ENDPOINT",
        "MSI_ENDPOINT",
    ] {
        cmd.env_remove(v);
    }
    let out =
        cmd.args(["scan", "--subscription", "3f2b8c1e-7d4a-4e59-9b6f-0c1d2e3f4a5b", "--auth", "env"]).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("could not sign in to Azure; tried:"), "{err}");
    assert!(err.contains("environment (AZURE_CLIENT_SECRET / AZURE_FEDERATED_TOKEN_FILE)"), "{err}");
    assert!(err.contains("`--auth` forces one method"), "{err}");
    assert!(err.contains("not set: AZURE_TENANT_ID"), "{err}");
}

/// Hostile-input issue, item 17: a typo in `--registry`, `--client` or a `--pairs` file used to give
/// `No findings.` and exit 0, a silent pass in CI.
#[test]
fn names_that_match_nothing_fail_with_the_closest_names() {
    let demo = os("fixtures/demo/snapshot.json");
    let err = fails_with(&[os("eval"), demo, os("--registry"), os("contosoprdacr")]);
    assert!(err.contains("registry `contosoprdacr` is not in the snapshot (given with --registry)"), "{err}");
    assert!(err.contains("did you mean `contosoprodacr`"), "{err}");
    let err = fails_with(&[os("eval"), demo, os("--client"), os("aks-prod-eastsu")]);
    assert!(err.contains("client `aks-prod-eastsu`") && err.contains("did you mean `aks-prod-eastus`"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let pairs = write(dir.path(), "pairs.yaml", "pairs:\n  - client: aks-prod-eastus\n    registry: nosuchacr\n");
    let err = fails_with(&[os("eval"), demo, os("--pairs"), pairs.as_os_str()]);
    let given = format!("registry `nosuchacr` is not in the snapshot (given with --pairs {})", pairs.display());
    assert!(err.contains(&given), "{err}");
    // Names that exist, in any case, still select.
    let out =
        acr_audit().args(["eval", "fixtures/demo/snapshot.json", "--registry", "ContosoProdAcr"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
}

const CUSTOM_META: &str = "# METADATA\n# title: Custom\n# custom:\n#   id: ORG-CUS-001\n#   severity: low\n";

/// Item 14: rules are deterministic; `rand.*` is refused at load like `time.now_ns`.
#[test]
fn a_rule_calling_rand_is_refused_at_load() {
    let dir = tempfile::tempdir().unwrap();
    let rule = format!(
        "{CUSTOM_META}package org.cus\nimport rego.v1\n\ndeny contains {{\"msg\": \"coin\", \"resource\": \"r\"}} if {{\n\trand.intn(\"x\", 2) == 0\n}}\n"
    );
    write(dir.path(), "coin.rego", &rule);
    let err = fails_with(&[os("eval"), os("fixtures/demo/snapshot.json"), os("--rules"), dir.path().as_os_str()]);
    assert!(err.contains("coin.rego:10: the rule calls `rand.intn`"), "{err}");
}

/// Item 15: a custom file may not declare a built-in package, to add findings under a built-in id or to
/// replace a helper.
#[test]
fn custom_rules_may_not_use_built_in_packages() {
    for package in ["acr_audit.registry.acr_reg_001", "acr_audit.lib.helpers"] {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "evil.rego", &format!("{CUSTOM_META}package {package}\n"));
        let err = fails_with(&[os("eval"), os("fixtures/demo/snapshot.json"), os("--rules"), dir.path().as_os_str()]);
        assert!(err.contains(&format!("package `{package}` is in the `acr_audit` namespace")), "{err}");
    }
}

/// Item 16: a `--rules` directory with a symlink loop is walked once, not forever.
#[test]
fn a_symlink_loop_in_a_rules_directory_ends() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "sub/ok.rego",
        &format!("{CUSTOM_META}package org.cus\nimport rego.v1\n\ndeny contains f if {{\n\tfalse\n\tf := {{}}\n}}\n"),
    );
    std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
    let out = acr_audit().args(["rules", "list", "--rules"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("ORG-CUS-001"));
}

/// Item 13: a hostile custom rule ends in exit 2 naming it, within the documented bounds, never an abort. The
/// recursion and the huge allocation used to abort the whole process (exit 134); the loop ran for 60 s.
#[test]
fn a_hostile_custom_rule_is_stopped_and_named() {
    let cases = [
        // The time bound is generous where the rule dies by itself, so a loaded machine does not turn a stack
        // overflow into a timeout; the loop gets a short one.
        ("f(x) := y if { y := f(x) }\ndeny contains {\"msg\": \"m\", \"resource\": \"r\"} if { f(1) == 2 }\n", "stack overflowed", "120"),
        ("deny contains {\"msg\": \"m\", \"resource\": \"r\"} if { count(numbers.range(1, 100000000000)) > 0 }\n", "more memory than", "120"),
        ("deny contains {\"msg\": \"m\", \"resource\": \"r\"} if {\n some i in numbers.range(1, 5000)\n some j in numbers.range(1, 5000)\n some k in numbers.range(1, 5000)\n i * j * k < 0\n}\n", "ran longer than the 2 s bound", "2"),
    ];
    for (body, reason, timeout) in cases {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "hostile.rego", &format!("{CUSTOM_META}package org.cus\nimport rego.v1\n\n{body}"));
        for command in [&["eval", "fixtures/demo/snapshot.json"][..], &["rules", "list"][..]] {
            let out = acr_audit()
                .args(command)
                .arg("--rules")
                .arg(dir.path())
                .env("ACR_AUDIT_RULE_TIMEOUT", timeout)
                .env("ACR_AUDIT_RULE_MEMORY_MB", "1024")
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{command:?}: {stderr}");
            assert!(stderr.contains("rule ORG-CUS-001") && stderr.contains(reason), "{command:?}: {stderr}");
        }
    }
}

/// Item 19 (YAML half): parsing time grew with the square of the nesting depth (20,000 levels of `--pairs`
/// took 14 s). Anything nested deeper than the bound is refused before parsing, naming the line.
#[test]
fn deeply_nested_yaml_is_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let deep =
        |key: &str| format!("{key}:\n{}", (1..20_000).map(|i| format!("{}- \n", " ".repeat(i))).collect::<String>());
    let pairs = write(dir.path(), "pairs.yaml", &deep("pairs"));
    let err = fails_with(&[os("eval"), os("fixtures/demo/snapshot.json"), os("--pairs"), pairs.as_os_str()]);
    assert!(err.contains("pairs.yaml:64: the YAML nests deeper than 64 levels"), "{err}");
    let suppressions = write(dir.path(), "suppressions.yaml", &deep("suppressions"));
    let err =
        fails_with(&[os("eval"), os("fixtures/demo/snapshot.json"), os("--suppressions"), suppressions.as_os_str()]);
    assert!(err.contains("line 64: the YAML nests deeper than 64 levels"), "{err}");
    let rules = tempfile::tempdir().unwrap();
    let nested: String = (1..200).map(|i| format!("#{}- \n", " ".repeat(i))).collect();
    write(rules.path(), "deep.rego", &format!("# METADATA\n# title: Deep\n# custom:\n#   id: ORG-DEEP-001\n#   severity: low\n#   x:\n{nested}package org.deep\n"));
    let err = fails_with(&[os("rules"), os("list"), os("--rules"), rules.path().as_os_str()]);
    assert!(err.contains("deep.rego:") && err.contains("the METADATA nests deeper than 64 levels"), "{err}");
}

/// Item 13 for `rules test DIR`: the tests of custom rules run in the sandbox too; a test that recurses is
/// named with its file, and ordinary tests still pass and fail as they did in-process.
#[test]
fn custom_rule_tests_run_in_the_sandbox() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ok.rego", &format!("{CUSTOM_META}package org.cus\nimport rego.v1\n\ndeny contains {{\"msg\": \"m\", \"resource\": r.id}} if {{\n\tsome r in input.registries\n}}\n"));
    write(dir.path(), "ok_test.rego", "package org.cus_test\nimport rego.v1\nimport data.org.cus as check\n\ntest_fires if {\n\tcount(check.deny) == 1 with input as {\"registries\": [{\"id\": \"/r\"}]}\n}\n\ntest_wrong if {\n\tcount(check.deny) == 5 with input as {\"registries\": []}\n}\n");
    let out = acr_audit().args(["rules", "test", "--no-builtin-rules"]).arg(dir.path()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "one test fails on purpose: {stdout}");
    assert!(
        stdout.contains("PASS data.org.cus_test.test_fires") && stdout.contains("FAIL data.org.cus_test.test_wrong")
    );
    write(
        dir.path(),
        "loop_test.rego",
        "package org.loop_test\nimport rego.v1\n\nf(x) := y if { y := f(x) }\n\ntest_recurses if {\n\tf(1) == 2\n}\n",
    );
    let err = fails_with(&[os("rules"), os("test"), os("--no-builtin-rules"), dir.path().as_os_str()]);
    assert!(err.contains("data.org.loop_test.test_recurses") && err.contains("loop_test.rego"), "{err}");
    assert!(err.contains("stack overflowed"), "{err}");
}

/// Item 18: a role definition with 200,000 stars used to overflow the stack of the recursive matcher (the
/// crash the snapshot fuzzer found); matching is linear now and the run completes.
#[test]
fn a_role_definition_full_of_stars_is_matched_in_linear_time() {
    let mut snapshot = read_json(&path("fixtures/demo/snapshot.json"));
    let definition = &mut snapshot["resources"]["Microsoft.Authorization/roleDefinitions"][0];
    definition["properties"]["permissions"][0]["actions"] =
        serde_json::json!([format!("{}b", "a*".repeat(200_000)), "*".repeat(200_000)]);
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "stars.json", &serde_json::to_string(&snapshot).unwrap());
    let out = acr_audit().args(["eval", "--format", "json"]).arg(&file).output().unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(serde_json::from_slice::<serde_json::Value>(&out.stdout).is_ok());
}

/// Item 20: an input without end (`/dev/zero`) is refused at the size bound instead of read until the OOM
/// killer stops the process.
#[test]
fn an_endless_snapshot_is_refused_at_the_size_bound() {
    let out = acr_audit().args(["eval", "/dev/zero"]).env("ACR_AUDIT_MAX_SNAPSHOT_BYTES", "1048576").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("/dev/zero: the snapshot is larger than 1048576 bytes"), "{stderr}");
}

/// The fuzzer found that regorus parses unclosed `[` in exponential time. In the binary a custom rule is only
/// parsed inside the rule sandbox, so the time bound ends it.
#[test]
fn a_rule_the_parser_cannot_finish_is_stopped_by_the_time_bound() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(path("tests/fuzz-corpus/rules/regorus-unclosed-brackets-24.rego")).unwrap();
    write(dir.path(), "brackets.rego", &text);
    let out = acr_audit()
        .args(["eval", "fixtures/demo/snapshot.json", "--rules"])
        .arg(dir.path())
        .env("ACR_AUDIT_RULE_TIMEOUT", "3")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("ran longer than the 3 s bound"), "{stderr}");
}
