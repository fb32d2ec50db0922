//! ARM and exported snapshots do not agree on case (`Deny`/`deny`, `Approved`/`approved`). Facts normalise
//! every ARM spelling once, in Rust, so the same estate written in any case gives the same facts and the same
//! findings, and no rule needs to compare raw ARM text.

use super::common;
use acr_audit::analysis::{analyse, Selection};
use acr_audit::model::Model;
use acr_audit::pipeline::evaluate;
use acr_audit::rules::Catalog;
use acr_audit::snapshot::parse_snapshot;
use common::*;
use serde_json::Value;

/// ARM properties whose values are enumerations Azure spells in PascalCase or camelCase.
const SPELLED_BY_ARM: &[&str] = &[
    "publicNetworkAccess",
    "defaultAction",
    "status",
    "peeringState",
    "peeringSyncLevel",
    "access",
    "direction",
    "nextHopType",
    "registrationState",
    "outboundType",
    "networkRuleBypassOptions",
    "privateEndpointNetworkPolicies",
];

/// Lower-case every value of the properties above, and the SKU name, anywhere in the document.
fn lower_arm_spellings(v: &mut Value) -> usize {
    match v {
        Value::Object(map) => {
            let mut changed = 0;
            for (key, value) in map.iter_mut() {
                let spelled = SPELLED_BY_ARM.contains(&key.as_str());
                match value {
                    Value::String(s) if spelled && s.to_lowercase() != *s => {
                        *s = s.to_lowercase();
                        changed += 1;
                    }
                    Value::Object(sku) if key == "sku" => {
                        if let Some(Value::String(name)) = sku.get_mut("name") {
                            *name = name.to_lowercase();
                            changed += 1;
                        }
                    }
                    _ => changed += lower_arm_spellings(value),
                }
            }
            changed
        }
        Value::Array(items) => items.iter_mut().map(lower_arm_spellings).sum(),
        _ => 0,
    }
}

fn facts_and_findings(doc: &Value) -> (Value, Vec<(String, String)>) {
    let bytes = serde_json::to_vec(doc).unwrap();
    let model = Model::from_snapshot(parse_snapshot(&bytes, std::path::Path::new("demo.json")).unwrap());
    let facts = serde_json::to_value(analyse(&model, &Selection::default())).unwrap();
    let catalog = Catalog::load(true, &[]).unwrap();
    let snapshot = parse_snapshot(&bytes, std::path::Path::new("demo.json")).unwrap();
    let report = evaluate(snapshot, "demo.json", &catalog, &rule_run(&[], Selection::default())).unwrap().report;
    let mut findings: Vec<(String, String)> =
        report.findings.iter().map(|f| (f.rule.clone(), f.resource.clone())).collect();
    findings.sort();
    (facts, findings)
}

#[test]
fn any_case_of_arm_spellings_gives_the_same_facts_and_findings() {
    for estate in ["fixtures/demo/snapshot.json", "fixtures/demo/snapshot-clean.json"] {
        let original = read_json(&path(estate));
        let mut lowered = original.clone();
        let changed = lower_arm_spellings(&mut lowered);
        assert!(changed > 20, "{estate}: only {changed} values lower-cased; the test would prove little");
        let (facts, findings) = facts_and_findings(&original);
        let (lowered_facts, lowered_findings) = facts_and_findings(&lowered);
        assert_eq!(findings, lowered_findings, "{estate}: findings depend on ARM's spelling");
        assert!(facts == lowered_facts, "{estate}: facts depend on ARM's spelling");
    }
}
