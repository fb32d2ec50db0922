//! The documented JSON Schema (docs/snapshot.schema.json) accepts every bundled snapshot and rejects what the
//! loader rejects, so the documentation and the loader cannot drift apart silently. Rule fixtures are patches
//! (fixtures/README.md): they are validated as the snapshots they resolve to.

use super::common;
use acr_audit::rules::fixture::{Estates, Fixture};
use common::*;
use serde_json::Value;
use std::path::Path;

/// Every rule fixture file (`rules/<area>/<name>/{fires,clean}.json`).
fn fixture_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            fixture_files(&p, out);
        } else if p.extension().and_then(|e| e.to_str()) == Some("json") {
            out.push(p);
        }
    }
}

/// The demo snapshots, every base estate and every rule fixture, resolved to the snapshots they describe.
fn all_snapshots() -> Vec<(String, Value)> {
    let estates = Estates::in_repository(&root());
    let mut out: Vec<(String, Value)> =
        estates.names().into_iter().map(|n| (format!("estate {n}"), estates.estate(&n).unwrap())).collect();
    let mut files = Vec::new();
    fixture_files(&path("rules"), &mut files);
    assert!(files.len() >= 52, "rule fixtures not found");
    for file in files {
        let name = file.display().to_string();
        let fixture = Fixture::load(&file).unwrap();
        out.push((name.clone(), estates.apply(&fixture, &name).unwrap()));
    }
    out
}

#[test]
fn every_bundled_snapshot_validates() {
    for (name, snapshot) in all_snapshots() {
        eprintln!("{name}");
        assert_valid(&path("docs/snapshot.schema.json"), &snapshot);
    }
}

#[test]
fn schema_and_loader_agree_on_a_missing_required_field() {
    let mut snap = read_json(&path("fixtures/demo/snapshot.json"));
    let rule = &mut snap["resources"]["Microsoft.Network/networkSecurityGroups"][0]["properties"]["securityRules"][0]
        ["properties"];
    rule.as_object_mut().unwrap().remove("priority");
    let schema = read_json(&path("docs/snapshot.schema.json"));
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(!validator.is_valid(&snap), "the schema must reject a security rule without priority");
    let bytes = serde_json::to_vec(&snap).unwrap();
    let err = acr_audit::snapshot::parse_snapshot(&bytes, std::path::Path::new("x.json")).unwrap_err();
    assert!(err.to_string().contains("priority"), "{err}");
}
