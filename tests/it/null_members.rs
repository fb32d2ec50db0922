//! `null` is absent (issue #10, item 8): for every property the snapshot schema knows, at every place the demo
//! estates have an object of that shape, a snapshot with the property set to `null` loads, validates against
//! `docs/snapshot.schema.json`, and gives exactly the facts of the snapshot without it; a required property set
//! to `null` is refused like a missing one. The cases come from walking the generated schema alongside the
//! demo snapshots, so a field added to a view is covered without touching this test.

use super::common;
use acr_audit::analysis::{analyse, Selection};
use acr_audit::model::Model;
use common::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// The schema node `schema` stands for: `$ref`s followed, and of an `anyOf` the branch that is not `null`.
fn resolve<'a>(root: &'a Value, mut schema: &'a Value) -> &'a Value {
    for _ in 0..64 {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let name = reference.trim_start_matches("#/$defs/");
            schema = &root["$defs"][name];
        } else if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
            match any.iter().find(|s| s.get("type").and_then(Value::as_str) != Some("null")) {
                Some(s) => schema = s,
                None => return schema,
            }
        } else {
            return schema;
        }
    }
    schema
}

/// One property of one object in the demo: the JSON pointer of the object, the property, and whether the
/// schema requires it.
struct Case {
    parent: String,
    property: String,
    required: bool,
}

/// Walk `instance` with its schema; one case per (shape, property), the first place it occurs.
fn cases(root: &Value, instance: &Value) -> Vec<Case> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    let mut pending: Vec<(String, String, &Value, &Value)> = vec![(String::new(), String::new(), instance, root)];
    while let Some((pointer, shape, node, schema)) = pending.pop() {
        let schema = resolve(root, schema);
        match node {
            Value::Object(members) => {
                let required: Vec<&str> = schema
                    .get("required")
                    .and_then(Value::as_array)
                    .map(|r| r.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                    for (name, property_schema) in properties {
                        if seen.insert(format!("{shape}/{name}")) {
                            out.push(Case {
                                parent: pointer.clone(),
                                property: name.clone(),
                                required: required.contains(&name.as_str()),
                            });
                        }
                        if let Some(child) = members.get(name) {
                            let escaped = name.replace('~', "~0").replace('/', "~1");
                            pending.push((
                                format!("{pointer}/{escaped}"),
                                format!("{shape}/{name}"),
                                child,
                                property_schema,
                            ));
                        }
                    }
                } else if let Some(values) = schema.get("additionalProperties").filter(|v| v.is_object()) {
                    for (name, child) in members {
                        let escaped = name.replace('~', "~0").replace('/', "~1");
                        pending.push((format!("{pointer}/{escaped}"), format!("{shape}/{{}}"), child, values));
                    }
                }
            }
            Value::Array(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        pending.push((format!("{pointer}/{i}"), format!("{shape}[]"), item, item_schema));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn facts_of(snapshot: &Value) -> Result<Value, String> {
    let bytes = serde_json::to_vec(snapshot).unwrap();
    let loaded =
        acr_audit::snapshot::parse_snapshot(&bytes, Path::new("null-members.json")).map_err(|e| e.to_string())?;
    let facts = analyse(&Model::from_snapshot(loaded), &Selection::default());
    Ok(serde_json::to_value(&facts).unwrap())
}

#[test]
fn every_optional_property_set_to_null_reads_as_absent_and_required_ones_are_refused() {
    let schema = read_json(&path("docs/snapshot.schema.json"));
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let mut optional = 0;
    for demo in ["fixtures/demo/snapshot.json", "fixtures/demo/snapshot-clean.json"] {
        let snapshot = read_json(&path(demo));
        for case in cases(&schema, &snapshot) {
            let mut absent = snapshot.clone();
            let mut null = snapshot.clone();
            absent.pointer_mut(&case.parent).unwrap().as_object_mut().unwrap().remove(&case.property);
            null.pointer_mut(&case.parent).unwrap()[&case.property] = Value::Null;
            let place = format!("{demo}: {}/{}", case.parent, case.property);
            if case.required {
                assert!(facts_of(&null).is_err(), "{place}: a required property set to null must be refused");
                assert!(!validator.is_valid(&null), "{place}: the schema must refuse null for a required property");
                continue;
            }
            optional += 1;
            let errors: Vec<String> =
                validator.iter_errors(&null).map(|e| format!("{e} at {}", e.instance_path())).collect();
            assert!(errors.is_empty(), "{place}: the schema refuses null: {errors:?}");
            let with_null = facts_of(&null).unwrap_or_else(|e| panic!("{place}: null refused: {e}"));
            let without = facts_of(&absent).unwrap_or_else(|e| panic!("{place}: absent refused: {e}"));
            assert!(with_null == without, "{place}: null does not read as absent");
        }
    }
    // The walk reaches the views' optional fields (registries, NSGs, routes, zones, clusters, assignments ...).
    assert!(optional > 150, "only {optional} optional properties were exercised");
}

#[test]
fn the_reported_case_null_ip_rules_is_an_empty_firewall_list() {
    let mut snapshot = read_json(&path("fixtures/demo/snapshot.json"));
    let registry = &mut snapshot["resources"]["Microsoft.ContainerRegistry/registries"][0]["properties"];
    registry["networkRuleSet"] = serde_json::json!({"defaultAction": "Deny", "ipRules": null});
    registry["privateEndpointConnections"] = Value::Null;
    registry["dataEndpointHostNames"] = Value::Null;
    let facts = facts_of(&snapshot).expect("null collections load");
    let reg = &facts["registries"][0];
    assert_eq!(reg["ip_rules"], serde_json::json!([]), "{reg}");
    assert_eq!(reg["default_action"], "Deny", "{reg}");
}
