//! The documented JSON Schema (docs/snapshot.schema.json) accepts every bundled snapshot and rejects what the
//! loader rejects, so the documentation and the loader cannot drift apart silently.

use super::common;
use common::*;

fn all_snapshots() -> Vec<std::path::PathBuf> {
    let mut out = vec![path("fixtures/demo/snapshot.json"), path("fixtures/demo/snapshot-clean.json")];
    for entry in std::fs::read_dir(path("fixtures/rules")).unwrap() {
        for file in std::fs::read_dir(entry.unwrap().path()).unwrap() {
            out.push(file.unwrap().path());
        }
    }
    out
}

#[test]
fn every_bundled_snapshot_validates() {
    for p in all_snapshots() {
        assert_valid(&path("docs/snapshot.schema.json"), &read_json(&p));
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
