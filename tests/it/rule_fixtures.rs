//! Every rule folder `rules/<area>/<name>/` holds the rule, its Rego tests, and two fixtures: `fires.json` and
//! `clean.json`, small patches over a named base estate (fixtures/README.md). Table-driven over the built-in
//! catalogue: the rule must report `expect.resource` on the firing estate and stay silent on the clean one, and
//! folder, file name, package and id must agree, so a rule cannot be renamed halfway or lose its fixtures.

use super::common;
use acr_audit::analysis::Selection;
use acr_audit::pipeline::{evaluate, evaluate_path};
use acr_audit::rules::fixture::{Estates, Fixture};
use acr_audit::rules::{Catalog, Finding, RuleFile};
use acr_audit::snapshot::parse_snapshot;
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The two fixtures every rule folder holds.
const FIXTURES: [&str; 2] = ["fires.json", "clean.json"];

fn catalog() -> Catalog {
    Catalog::load(true, &[]).expect("built-in rules load")
}

/// The rule's folder in the repository (built-in sources are named `rules/…` relative to the root).
fn folder_of(rule: &RuleFile) -> PathBuf {
    path(&rule.source.name).parent().map(Path::to_path_buf).unwrap_or_else(|| path("rules"))
}

/// `rules/registry/acr_reg_001/fires.json`, for messages.
fn shown(file: &Path) -> String {
    file.strip_prefix(root()).unwrap_or(file).display().to_string()
}

/// A fixture and the snapshot it describes (its base estate with its patch applied).
fn resolve(file: &Path) -> Result<(Fixture, Value), String> {
    let fixture = Fixture::load(file).map_err(|e| e.to_string())?;
    let snapshot = Estates::in_repository(&root()).apply(&fixture, &shown(file)).map_err(|e| e.to_string())?;
    Ok((fixture, snapshot))
}

/// Evaluate only `rule` on a resolved fixture, through the library's own pipeline.
fn findings_of(catalog: &Catalog, rule: &str, file: &Path, snapshot: &Value) -> Result<Vec<Finding>, String> {
    let bytes = serde_json::to_vec(snapshot).map_err(|e| e.to_string())?;
    let parsed = parse_snapshot(&bytes, file).map_err(|e| e.to_string())?;
    let evaluation = evaluate(parsed, &shown(file), catalog, &rule_run(&[rule], Selection::default()))
        .map_err(|e| format!("{e:#}"))?;
    Ok(evaluation.report.findings)
}

/// What is wrong with the firing fixture of `rule`, if anything.
fn check_fires(catalog: &Catalog, rule: &str, file: &Path) -> Result<(), String> {
    let (fixture, snapshot) = resolve(file)?;
    let expect =
        fixture.expect.ok_or("has no `expect`; add \"expect\": {\"resource\": \"<ARM id the finding names>\"}")?;
    let findings = findings_of(catalog, rule, file, &snapshot)?;
    if findings.iter().any(|f| f.rule == rule && f.resource.eq_ignore_ascii_case(&expect.resource)) {
        return Ok(());
    }
    let got: Vec<&str> = findings.iter().map(|f| f.resource.as_str()).collect();
    Err(format!(
        "{rule} reports no finding on {} (it reports on {got:?}); plant the cause in `patch` or fix `expect.resource`",
        expect.resource
    ))
}

/// What is wrong with the clean fixture of `rule`, if anything.
fn check_clean(catalog: &Catalog, rule: &str, file: &Path) -> Result<(), String> {
    let (fixture, snapshot) = resolve(file)?;
    if fixture.expect.is_some() {
        return Err("has an `expect`; only fires.json expects a finding, remove it".to_string());
    }
    let findings = findings_of(catalog, rule, file, &snapshot)?;
    match findings.iter().find(|f| f.rule == rule) {
        None => Ok(()),
        Some(f) => Err(format!(
            "{rule} fires on the clean estate ({}: {}); the clean fixture must be healthy for this rule",
            f.resource, f.message
        )),
    }
}

/// Fail once, listing every problem, so one run shows all the fixtures to fix.
fn assert_no_problems(what: &str, problems: &[String]) {
    assert!(problems.is_empty(), "{what}:\n  {}", problems.join("\n  "));
}

#[test]
fn every_rule_reports_its_expected_resource_on_fires_and_nothing_on_clean() {
    let catalog = catalog();
    assert!(!catalog.rules.is_empty());
    let mut problems = Vec::new();
    for rule in &catalog.rules {
        let folder = folder_of(rule);
        let id = rule.meta.id.as_str();
        let fires = folder.join("fires.json");
        let clean = folder.join("clean.json");
        if let Err(e) = check_fires(&catalog, id, &fires) {
            problems.push(format!("{}: {e}", shown(&fires)));
        }
        if let Err(e) = check_clean(&catalog, id, &clean) {
            problems.push(format!("{}: {e}", shown(&clean)));
        }
    }
    assert_no_problems("rule fixtures that do not behave", &problems);
}

#[test]
fn every_rule_folder_has_both_fixtures_and_they_differ() {
    let mut problems = Vec::new();
    for rule in &catalog().rules {
        let folder = folder_of(rule);
        let missing: Vec<&str> = FIXTURES.into_iter().filter(|f| !folder.join(f).is_file()).collect();
        if !missing.is_empty() {
            problems.push(format!(
                "{}: {} has no {} (see fixtures/README.md)",
                shown(&folder),
                rule.meta.id,
                missing.join(" or ")
            ));
            continue;
        }
        let fires = resolve(&folder.join("fires.json")).map(|(_, s)| s);
        let clean = resolve(&folder.join("clean.json")).map(|(_, s)| s);
        if let (Ok(fires), Ok(clean)) = (fires, clean) {
            if fires == clean {
                problems.push(format!(
                    "{}: fires.json and clean.json describe the same snapshot; plant the cause in fires.json's patch",
                    shown(&folder)
                ));
            }
        }
    }
    assert_no_problems("rule folders without a working fixture pair", &problems);
}

/// Every file under `dir`, recursively, sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).expect("readable dir").filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            out.extend(files_under(&entry));
        } else {
            out.push(entry);
        }
    }
    out
}

#[test]
fn no_fixture_without_a_rule_and_no_unused_estate() {
    let catalog = catalog();
    let rule_folders: Vec<PathBuf> = catalog.rules.iter().map(folder_of).collect();
    let mut bases = Vec::new();
    let mut problems = Vec::new();
    for file in files_under(&path("rules")) {
        if file.extension().and_then(|e| e.to_str()) == Some("rego") {
            continue;
        }
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let in_rule_folder = file.parent().is_some_and(|p| rule_folders.iter().any(|f| f == p));
        if !FIXTURES.contains(&name) || !in_rule_folder {
            problems.push(format!(
                "{}: not a rule's fires.json or clean.json; move it beside its rule's .rego or delete it",
                shown(&file)
            ));
            continue;
        }
        match Fixture::load(&file) {
            Ok(f) => bases.push(f.base),
            Err(e) => problems.push(e.to_string()),
        }
    }
    for file in files_under(&path("fixtures/estates")) {
        if let Ok(estate) = Fixture::load(&file) {
            bases.push(estate.base);
        }
    }
    for file in files_under(&path("fixtures/estates")) {
        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        if !bases.iter().any(|b| b == stem) {
            problems.push(format!("{}: no fixture or estate uses it as `base`; delete it", shown(&file)));
        }
    }
    assert_no_problems("stray fixtures", &problems);
}

/// Why a rule's file name, folder, package and METADATA id disagree, if they do.
/// `rules/registry/acr_reg_001/acr_reg_001.rego` ⇔ package `acr_audit.registry.acr_reg_001` ⇔ id `ACR-REG-001`.
fn naming_problems(file: &str, package: &str, id: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let parts: Vec<&str> = file.split('/').collect();
    let [_, area, folder, name] = parts.as_slice() else {
        return vec![format!("{file}: a built-in rule lives at rules/<area>/<name>/<name>.rego; move it there")];
    };
    let stem = name.trim_end_matches(".rego");
    if folder != &stem {
        problems.push(format!("{file}: the file is {stem}.rego but its folder is {folder}/; rename one to match"));
    }
    let expected_package = format!("acr_audit.{area}.{stem}");
    if package != expected_package {
        problems.push(format!(
            "{file}: package {package} does not match the path; declare `package {expected_package}` or move the file"
        ));
    }
    let expected_id = stem.to_uppercase().replace('_', "-");
    if id != expected_id {
        let expected_stem = id.to_lowercase().replace('-', "_");
        problems.push(format!(
            "{file}: METADATA id {id} does not match the file name; the file for {id} is {expected_stem}.rego in folder {expected_stem}/ (or set `id: {expected_id}`)"
        ));
    }
    problems
}

#[test]
fn rule_file_folder_package_and_id_agree() {
    let catalog = catalog();
    let mut problems = Vec::new();
    for rule in &catalog.rules {
        problems.extend(naming_problems(&rule.source.name, &rule.package, &rule.meta.id));
        let test_name = rule.source.name.replace(".rego", "_test.rego");
        if !catalog.tests.iter().any(|t| t.name == test_name) {
            problems.push(format!("{}: no Rego unit tests; add {test_name}", rule.source.name));
        }
    }
    assert_no_problems("rules whose names disagree", &problems);
}

#[test]
fn the_naming_check_catches_each_kind_of_mismatch() {
    let good = "rules/registry/acr_reg_001/acr_reg_001.rego";
    assert!(naming_problems(good, "acr_audit.registry.acr_reg_001", "ACR-REG-001").is_empty());
    let wrong_id = naming_problems(good, "acr_audit.registry.acr_reg_001", "ACR-REG-002");
    assert!(wrong_id[0].contains("acr_reg_002.rego in folder acr_reg_002/"), "{wrong_id:?}");
    let wrong_package = naming_problems(good, "acr_audit.network.acr_reg_001", "ACR-REG-001");
    assert!(wrong_package[0].contains("declare `package acr_audit.registry.acr_reg_001`"), "{wrong_package:?}");
    let wrong_folder =
        naming_problems("rules/registry/acr_reg_009/acr_reg_001.rego", "acr_audit.registry.acr_reg_001", "ACR-REG-001");
    assert!(wrong_folder[0].contains("its folder is acr_reg_009/"), "{wrong_folder:?}");
    let flat = naming_problems("rules/registry/acr_reg_001.rego", "acr_audit.registry.acr_reg_001", "ACR-REG-001");
    assert!(flat[0].contains("rules/<area>/<name>/<name>.rego"), "{flat:?}");
}

#[test]
fn every_demo_finding_names_a_catalogued_rule() {
    let catalog = catalog();
    let eval =
        evaluate_path(&path("fixtures/demo/snapshot.json"), &catalog, &rule_run(&[], Selection::default())).unwrap();
    for f in &eval.report.findings {
        let rule = catalog.get(&f.rule).unwrap_or_else(|| panic!("finding of unknown rule {}", f.rule));
        assert_eq!(f.title, rule.meta.title);
    }
}
