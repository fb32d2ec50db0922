//! Every rule fires on its `fires.json` and stays silent on its `clean.json` (the same estate minus the cause),
//! and the catalogue and the fixtures stay in step: no rule without both fixtures, no fixture without a rule.

use super::common;
use acr_audit::analysis::Selection;
use acr_audit::pipeline::evaluate_file;
use acr_audit::rules::Catalog;
use common::*;

fn catalog() -> Catalog {
    Catalog::load(true, &[]).expect("built-in rules load")
}

#[test]
fn every_rule_fires_on_its_fixture_and_not_on_its_twin() {
    let catalog = catalog();
    assert!(!catalog.rules.is_empty());
    for rule in &catalog.rules {
        let id = rule.meta.id.clone();
        let dir = path(&format!("fixtures/rules/{id}"));
        let only = [id.clone()];
        let fires = evaluate_file(&dir.join("fires.json"), &catalog, &only, &[], &Selection::default())
            .unwrap_or_else(|e| panic!("{id} fires.json: {e:#}"));
        let findings = &fires.report.findings;
        assert!(!findings.is_empty(), "{id} does not fire on fires.json");
        assert!(findings.iter().all(|f| f.rule == id && !f.message.is_empty() && !f.resource.is_empty()));
        let clean = evaluate_file(&dir.join("clean.json"), &catalog, &only, &[], &Selection::default())
            .unwrap_or_else(|e| panic!("{id} clean.json: {e:#}"));
        assert!(clean.report.findings.is_empty(), "{id} fires on clean.json: {:?}", clean.report.findings);
    }
}

#[test]
fn fixture_directories_match_the_catalogue() {
    let catalog = catalog();
    let mut dirs: Vec<String> = std::fs::read_dir(path("fixtures/rules"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    let ids: Vec<String> = catalog.rules.iter().map(|r| r.meta.id.clone()).collect();
    assert_eq!(dirs, ids, "fixtures/rules/<ID> must exist for every rule, and only for rules");
    for id in &ids {
        let fires = std::fs::read(path(&format!("fixtures/rules/{id}/fires.json"))).unwrap();
        let clean = std::fs::read(path(&format!("fixtures/rules/{id}/clean.json"))).unwrap();
        assert_ne!(fires, clean, "{id}: fires.json and clean.json are identical");
    }
}

#[test]
fn every_rule_has_a_rego_unit_test_file() {
    let catalog = catalog();
    for rule in &catalog.rules {
        let test_name = rule.source.name.replace(".rego", "_test.rego");
        assert!(catalog.tests.iter().any(|t| t.name == test_name), "{} has no {test_name}", rule.meta.id);
    }
}

#[test]
fn every_demo_finding_names_a_catalogued_rule() {
    let catalog = catalog();
    let eval = evaluate_file(&path("fixtures/demo/snapshot.json"), &catalog, &[], &[], &Selection::default()).unwrap();
    for f in &eval.report.findings {
        let rule = catalog.get(&f.rule).unwrap_or_else(|| panic!("finding of unknown rule {}", f.rule));
        assert_eq!(f.title, rule.meta.title);
    }
}
