//! Rule fixtures as small deltas over named base estates.
//!
//! A fixture (`rules/<area>/<name>/fires.json`, `clean.json`) or a base estate (`fixtures/estates/<name>.json`)
//! is `{"base": "<estate>", "expect": {"resource": "<ARM id>"}, "patch": {...}}`: the snapshot is the base estate
//! with `patch` applied. A full snapshot per fixture would repeat the whole estate 52 times, so a reviewer could
//! not see what a fixture plants; a delta shows exactly the cause.
//!
//! `patch` is an RFC 7396 JSON merge patch applied to the *keyed projection* of the snapshot, because ARM
//! documents are mostly arrays of resources and RFC 7396 can only replace arrays whole:
//!
//! - an array whose elements are all objects carrying a string `id` is treated as an object keyed by that id
//!   (ids compare case-insensitively, as ARM ids do: a patch key hits the element whose id matches it ignoring
//!   case; the element keeps its id as written in the base);
//! - a `children[<type>]` array (elements `{parentId, value}`) is keyed by `parentId`;
//! - an empty array counts as keyed (every element of it carries an id), so a patch can add the first element;
//! - when the array is rebuilt, existing elements keep the base order, new elements follow in key order, and
//!   elements patched to `null` are removed;
//! - arrays of any other shape are replaced wholesale, as RFC 7396 says.
//!
//! Everything here is pure except [`Estates`], which reads the files.

use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The two estates that are full snapshots rather than deltas (they double as the demo).
const SNAPSHOT_ESTATES: [(&str, &str); 2] =
    [("demo", "fixtures/demo/snapshot.json"), ("clean", "fixtures/demo/snapshot-clean.json")];

/// Where the delta estates live, relative to the repository root.
const ESTATES_DIR: &str = "fixtures/estates";

/// A fixture or estate file that cannot be used. Each names the file (and JSON path) and the fix.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FixtureError {
    /// The file could not be read.
    #[error("{file}: cannot read the fixture: {source}")]
    Read {
        /// File.
        file: String,
        /// OS error.
        source: std::io::Error,
    },
    /// The file is not JSON, or not the fixture shape.
    #[error("{file}: {path}: not a fixture: {message}\n  fix: a fixture is {{\"base\": \"<estate>\", \"expect\": {{\"resource\": \"<ARM id>\"}}, \"patch\": {{...}}}} (see fixtures/README.md)")]
    Shape {
        /// File.
        file: String,
        /// JSON path of the offending value (`$` for the document).
        path: String,
        /// What is wrong.
        message: String,
    },
    /// `base` names no estate.
    #[error("{file}: unknown base estate `{base}`\n  fix: use one of {known}, or add {ESTATES_DIR}/{base}.json")]
    UnknownBase {
        /// File naming the base.
        file: String,
        /// The base name.
        base: String,
        /// The estates that exist.
        known: String,
    },
    /// Estates that are each other's base.
    #[error(
        "{file}: base estates form a cycle: {chain}\n  fix: one estate in the chain must rest on `clean` or `demo`"
    )]
    Cycle {
        /// The file that closes the cycle.
        file: String,
        /// The chain of base names, ending where it started.
        chain: String,
    },
    /// The patch does not fit the base it is applied to.
    #[error("{file}: {source}")]
    Patch {
        /// The fixture or estate file.
        file: String,
        /// Where and why.
        source: PatchError,
    },
}

/// A merge patch that does not apply to its target: names the JSON path and the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {problem}")]
pub struct PatchError {
    /// JSON path in the patch, e.g. `$.resources["Microsoft.Network/virtualNetworks"]["/subscriptions/…"]`.
    pub path: String,
    /// What is wrong and what to do.
    pub problem: String,
}

/// What a firing fixture must produce.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The ARM id the rule's finding must name (compared case-insensitively).
    pub resource: String,
}

/// One fixture or delta estate: a base estate, an optional expectation, and the patch over the base.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// Name of the estate the patch applies to (`clean`, `demo`, or a file in `fixtures/estates/`).
    pub base: String,
    /// Only in `fires.json`: the finding the rule must report.
    #[serde(default)]
    pub expect: Option<Expect>,
    /// Keyed RFC 7396 merge patch over the base estate.
    pub patch: Value,
}

impl Fixture {
    /// Parse a fixture document; `file` names it in errors. Unknown keys are refused, so a typo such as
    /// `"expects"` fails instead of silently testing nothing.
    pub fn parse(bytes: &[u8], file: &str) -> Result<Fixture, FixtureError> {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        serde_path_to_error::deserialize(&mut de).map_err(|e| FixtureError::Shape {
            file: file.to_string(),
            path: json_path_of(e.path()),
            message: e.inner().to_string(),
        })
    }

    /// Read and parse a fixture file.
    pub fn load(path: &Path) -> Result<Fixture, FixtureError> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| FixtureError::Read { file: file.clone(), source })?;
        Fixture::parse(&bytes, &file)
    }
}

/// `serde_path_to_error`'s path (`a.b[0]`) in this module's notation, so both kinds of error read alike.
fn json_path_of(path: &serde_path_to_error::Path) -> String {
    let text = path.to_string();
    if text == "." {
        "$".to_string()
    } else {
        format!("$.{text}")
    }
}

/// The named base estates of a repository: two full snapshots and the delta files of `fixtures/estates/`.
#[derive(Debug, Clone)]
pub struct Estates {
    /// Directory of the delta estates (`<name>.json`).
    dir: PathBuf,
    /// Estates that are whole snapshot files.
    snapshots: BTreeMap<String, PathBuf>,
}

impl Estates {
    /// The estates of the repository at `root`: `demo` and `clean` are the demo snapshots, every other name is
    /// `fixtures/estates/<name>.json`.
    pub fn in_repository(root: &Path) -> Estates {
        let snapshots = SNAPSHOT_ESTATES.iter().map(|(name, rel)| (name.to_string(), root.join(rel))).collect();
        Estates { dir: root.join(ESTATES_DIR), snapshots }
    }

    /// The snapshot a fixture describes: its base estate (resolved down the chain) with its patch applied.
    /// `file` names the fixture in errors.
    pub fn apply(&self, fixture: &Fixture, file: &str) -> Result<Value, FixtureError> {
        let mut chain = Vec::new();
        let base = self.resolve(&fixture.base, file, &mut chain)?;
        merge_patch(base, &fixture.patch).map_err(|source| FixtureError::Patch { file: file.to_string(), source })
    }

    /// An estate by name, as a snapshot value.
    pub fn estate(&self, name: &str) -> Result<Value, FixtureError> {
        self.resolve(name, name, &mut Vec::new())
    }

    /// The names of every estate: the snapshot ones and each `*.json` in the estates directory.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.snapshots.keys().cloned().collect();
        if let Ok(entries) = std::fs::read_dir(&self.dir) {
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().and_then(|e| e.to_str()) == Some("json") {
                    if let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
                        names.push(stem.to_string());
                    }
                }
            }
        }
        names.sort();
        names.dedup();
        names
    }

    /// Resolve `name` (asked for by `file`), remembering the chain of bases so a cycle is an error, not a stack
    /// overflow.
    fn resolve(&self, name: &str, file: &str, chain: &mut Vec<String>) -> Result<Value, FixtureError> {
        if chain.iter().any(|n| n == name) {
            chain.push(name.to_string());
            return Err(FixtureError::Cycle { file: file.to_string(), chain: chain.join(" -> ") });
        }
        chain.push(name.to_string());
        if let Some(path) = self.snapshots.get(name) {
            return read_json(path);
        }
        let path = self.dir.join(format!("{name}.json"));
        if !is_plain_name(name) || !path.is_file() {
            return Err(FixtureError::UnknownBase {
                file: file.to_string(),
                base: name.to_string(),
                known: self.names().join(", "),
            });
        }
        let estate_file = path.display().to_string();
        let estate = Fixture::load(&path)?;
        if estate.expect.is_some() {
            return Err(FixtureError::Shape {
                file: estate_file,
                path: "$.expect".to_string(),
                message: "a base estate expects nothing; `expect` belongs in a rule's fires.json".to_string(),
            });
        }
        let base = self.resolve(&estate.base, &estate_file, chain)?;
        merge_patch(base, &estate.patch).map_err(|source| FixtureError::Patch { file: estate_file, source })
    }
}

/// Estate names are file stems: no separators or dots, so `base` cannot point outside the estates directory.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Read a whole snapshot file as JSON.
fn read_json(path: &Path) -> Result<Value, FixtureError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| FixtureError::Read { file: file.clone(), source })?;
    serde_json::from_slice(&bytes).map_err(|e| FixtureError::Shape {
        file,
        path: "$".to_string(),
        message: e.to_string(),
    })
}

/// Apply a keyed RFC 7396 merge patch (see the module docs) to `target`.
pub fn merge_patch(target: Value, patch: &Value) -> Result<Value, PatchError> {
    merge(target, patch, &mut Vec::new())
}

/// RFC 7396 `MergePatch(Target, Patch)`, with keyed arrays. `path` is where `target` sits in the document.
fn merge(target: Value, patch: &Value, path: &mut Vec<String>) -> Result<Value, PatchError> {
    let Value::Object(changes) = patch else {
        return Ok(patch.clone());
    };
    match target {
        Value::Object(members) => merge_members(members, changes, path),
        Value::Array(items) => {
            let field = key_field(path);
            if is_keyed(&items, field) {
                merge_keyed(items, field, changes, path).map(Value::Array)
            } else {
                merge_members(Map::new(), changes, path)
            }
        }
        _ => merge_members(Map::new(), changes, path),
    }
}

/// The object case of RFC 7396: `null` removes a member, anything else merges into it.
fn merge_members(
    mut members: Map<String, Value>,
    changes: &Map<String, Value>,
    path: &mut Vec<String>,
) -> Result<Value, PatchError> {
    for (key, change) in changes {
        if change.is_null() {
            members.remove(key);
            continue;
        }
        let current = members.remove(key).unwrap_or(Value::Null);
        path.push(key.clone());
        let merged = merge(current, change, path);
        path.pop();
        members.insert(key.clone(), merged?);
    }
    Ok(Value::Object(members))
}

/// The member that keys an array's elements: `parentId` for the arrays of `children[<type>]` (one entry per
/// parent resource), `id` everywhere else (ARM resources and sub-resources).
fn key_field(path: &[String]) -> &'static str {
    match path {
        [top, _] if top == "children" => "parentId",
        _ => "id",
    }
}

/// An array is keyed when every element is an object with a string key member (vacuously so when empty).
fn is_keyed(items: &[Value], field: &str) -> bool {
    items.iter().all(|item| item.get(field).is_some_and(Value::is_string))
}

/// The key of an element of a keyed array.
fn key_of<'a>(item: &'a Value, field: &str) -> Option<&'a str> {
    item.get(field).and_then(Value::as_str)
}

/// Merge an object patch into a keyed array: patch keys pick elements by key (ignoring case), `null` removes,
/// unknown keys add new elements after the existing ones, in key order.
fn merge_keyed(
    items: Vec<Value>,
    field: &str,
    changes: &Map<String, Value>,
    path: &mut Vec<String>,
) -> Result<Vec<Value>, PatchError> {
    let index = index_by_key(&items, field, path)?;
    let mut slots: Vec<Option<Value>> = items.into_iter().map(Some).collect();
    let mut added: Vec<(&String, Value)> = Vec::new();
    let mut hit: HashMap<String, &String> = HashMap::new();
    for (key, change) in changes {
        path.push(key.clone());
        if let Some(earlier) = hit.insert(key.to_lowercase(), key) {
            let problem = format!(
                "the patch names this element twice (also as `{earlier}`); ids compare ignoring case, keep one key"
            );
            return Err(error_at(path, problem));
        }
        let outcome = match index.get(&key.to_lowercase()) {
            Some(&at) => patch_element(&mut slots[at], change, field, path),
            None => new_element(key, change, field, path).map(|element| {
                if let Some(element) = element {
                    added.push((key, element));
                }
            }),
        };
        path.pop();
        outcome?;
    }
    added.sort_by(|a, b| a.0.cmp(b.0));
    Ok(slots.into_iter().flatten().chain(added.into_iter().map(|(_, element)| element)).collect())
}

/// Position of each element by lower-cased key; two elements with the same key make the array ambiguous.
fn index_by_key(items: &[Value], field: &str, path: &[String]) -> Result<HashMap<String, usize>, PatchError> {
    let mut index = HashMap::new();
    for (at, item) in items.iter().enumerate() {
        let key = key_of(item, field).unwrap_or_default();
        if index.insert(key.to_lowercase(), at).is_some() {
            let problem = format!("the base holds two elements with {field} `{key}` (ignoring case), so a patch cannot pick one; replace the array whole");
            return Err(error_at(path, problem));
        }
    }
    Ok(index)
}

/// Patch an existing element in place (`null` removes it). It must stay an object, or the array would no
/// longer be keyed.
fn patch_element(
    slot: &mut Option<Value>,
    change: &Value,
    field: &str,
    path: &mut Vec<String>,
) -> Result<(), PatchError> {
    let Some(current) = slot.take() else {
        return Ok(());
    };
    if change.is_null() {
        return Ok(());
    }
    let merged = merge(current, change, path)?;
    if key_of(&merged, field).is_none() {
        let problem = format!("the patched element must stay an object with a string `{field}`");
        return Err(error_at(path, problem));
    }
    *slot = Some(merged);
    Ok(())
}

/// A patch key no element has: a new element (an object, written in snapshot form). Its key member is filled in
/// from the patch key when absent, and must agree with it when present. `null` for an absent key is a no-op,
/// as removing an absent member is in RFC 7396.
fn new_element(key: &str, change: &Value, field: &str, path: &mut Vec<String>) -> Result<Option<Value>, PatchError> {
    if change.is_null() {
        return Ok(None);
    }
    if !change.is_object() {
        let problem = format!("no element has {field} `{key}`, and a new element must be an object");
        return Err(error_at(path, problem));
    }
    let mut element = merge(Value::Null, change, path)?;
    let Value::Object(members) = &mut element else {
        return Err(error_at(path, "a new element must be an object".to_string()));
    };
    match members.get(field) {
        None => {
            members.insert(field.to_string(), Value::String(key.to_string()));
        }
        Some(Value::String(own)) if own.eq_ignore_ascii_case(key) => {}
        Some(own) => {
            let problem = format!("the new element's `{field}` is {own}, not its key `{key}`; make them agree");
            return Err(error_at(path, problem));
        }
    }
    Ok(Some(element))
}

/// A [`PatchError`] at `path`.
fn error_at(path: &[String], problem: String) -> PatchError {
    PatchError { path: render_path(path), problem }
}

/// `$.a.b["Microsoft.Network/x"]`: plain segments dotted, others quoted, so ARM ids stay readable (a JSON
/// Pointer would escape every `/`).
pub(crate) fn render_path(path: &[String]) -> String {
    let mut out = String::from("$");
    for segment in path {
        let plain = !segment.is_empty()
            && segment.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !segment.starts_with(|c: char| c.is_ascii_digit());
        if plain {
            out.push('.');
            out.push_str(segment);
        } else {
            out.push('[');
            out.push_str(&Value::String(segment.clone()).to_string());
            out.push(']');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn apply(target: Value, patch: Value) -> Value {
        merge_patch(target, &patch).expect("patch applies")
    }

    /// RFC 7396 appendix A, every example: with no keyed arrays involved the keyed patch is plain RFC 7396.
    #[test]
    fn rfc_7396_appendix_a() {
        let cases = [
            (json!({"a":"b"}), json!({"a":"c"}), json!({"a":"c"})),
            (json!({"a":"b"}), json!({"b":"c"}), json!({"a":"b","b":"c"})),
            (json!({"a":"b"}), json!({"a":null}), json!({})),
            (json!({"a":"b","b":"c"}), json!({"a":null}), json!({"b":"c"})),
            (json!({"a":["b"]}), json!({"a":"c"}), json!({"a":"c"})),
            (json!({"a":"c"}), json!({"a":["b"]}), json!({"a":["b"]})),
            (json!({"a":{"b":"c"}}), json!({"a":{"b":"d","c":null}}), json!({"a":{"b":"d"}})),
            (json!({"a":[{"b":"c"}]}), json!({"a":[1]}), json!({"a":[1]})),
            (json!(["a", "b"]), json!(["c", "d"]), json!(["c", "d"])),
            (json!({"a":"b"}), json!(["c"]), json!(["c"])),
            (json!({"a":"foo"}), json!(null), json!(null)),
            (json!({"a":"foo"}), json!("bar"), json!("bar")),
            (json!({"e":null}), json!({"a":1}), json!({"e":null,"a":1})),
            (json!([1, 2]), json!({"a":"b","c":null}), json!({"a":"b"})),
            (json!({}), json!({"a":{"bb":{"ccc":null}}}), json!({"a":{"bb":{}}})),
        ];
        for (target, patch, expected) in cases {
            assert_eq!(apply(target.clone(), patch.clone()), expected, "{target} + {patch}");
        }
    }

    /// RFC 7396 section 3's worked example.
    #[test]
    fn rfc_7396_section_3_example() {
        let target = json!({"title":"Goodbye!","author":{"givenName":"John","familyName":"Doe"},"tags":["example","sample"],"content":"This will be unchanged"});
        let patch =
            json!({"title":"Hello!","phoneNumber":"+01-123-456-7890","author":{"familyName":null},"tags":["example"]});
        let expected = json!({"title":"Hello!","author":{"givenName":"John"},"tags":["example"],"content":"This will be unchanged","phoneNumber":"+01-123-456-7890"});
        assert_eq!(apply(target, patch), expected);
    }

    fn regs() -> Value {
        json!({"resources": {"registries": [
            {"id": "/r/One", "name": "one", "sku": "Premium"},
            {"id": "/r/two", "name": "two", "sku": "Premium"},
            {"id": "/r/three", "name": "three", "sku": "Premium"},
        ]}})
    }

    #[test]
    fn a_keyed_element_is_patched_in_place_matching_its_id_ignoring_case() {
        let out = apply(regs(), json!({"resources": {"registries": {"/R/TWO": {"sku": "Basic"}}}}));
        assert_eq!(
            out["resources"]["registries"],
            json!([
                {"id": "/r/One", "name": "one", "sku": "Premium"},
                {"id": "/r/two", "name": "two", "sku": "Basic"},
                {"id": "/r/three", "name": "three", "sku": "Premium"},
            ])
        );
    }

    #[test]
    fn a_keyed_element_patched_to_null_is_removed_and_the_rest_keep_their_order() {
        let out = apply(regs(), json!({"resources": {"registries": {"/r/one": null}}}));
        let names: Vec<&str> = out["resources"]["registries"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["name"].as_str())
            .collect();
        assert_eq!(names, ["two", "three"]);
    }

    #[test]
    fn new_elements_follow_the_existing_ones_in_key_order_with_their_id_filled_in() {
        let patch = json!({"resources": {"registries": {"/r/zeta": {"name": "zeta"}, "/r/alpha": {"id": "/r/alpha", "name": "alpha", "x": null}}}});
        let out = apply(regs(), patch);
        let regs = &out["resources"]["registries"];
        let names: Vec<&str> = regs.as_array().into_iter().flatten().filter_map(|r| r["name"].as_str()).collect();
        assert_eq!(names, ["one", "two", "three", "alpha", "zeta"]);
        assert_eq!(
            regs[3],
            json!({"id": "/r/alpha", "name": "alpha"}),
            "nulls in a new element are dropped (RFC 7396)"
        );
        assert_eq!(regs[4]["id"], "/r/zeta");
    }

    #[test]
    fn an_empty_array_takes_keyed_elements() {
        let out = apply(json!({"rules": []}), json!({"rules": {"/n/r1": {"priority": 100}}}));
        assert_eq!(out, json!({"rules": [{"id": "/n/r1", "priority": 100}]}));
    }

    #[test]
    fn arrays_of_other_shapes_are_replaced_whole() {
        let target = json!({"ipRules": [{"action": "Allow", "value": "1.2.3.4"}], "dns": ["10.0.0.4"]});
        let out = apply(target, json!({"ipRules": [{"action": "Allow", "value": "5.6.7.8"}], "dns": []}));
        assert_eq!(out, json!({"ipRules": [{"action": "Allow", "value": "5.6.7.8"}], "dns": []}));
    }

    #[test]
    fn nested_keyed_arrays_patch_an_nsg_rule_inside_its_nsg() {
        let nsg = "/n/nsg-aks";
        let target = json!({"resources": {"Microsoft.Network/networkSecurityGroups": [
            {"id": "/n/other", "properties": {"securityRules": []}},
            {"id": nsg, "properties": {"securityRules": [
                {"id": format!("{nsg}/securityRules/AllowAcr"), "properties": {"priority": 100, "access": "Allow"}},
                {"id": format!("{nsg}/securityRules/DenyInternet"), "properties": {"priority": 4000, "access": "Deny"}},
            ]}},
        ]}});
        let patch = json!({"resources": {"Microsoft.Network/networkSecurityGroups": {nsg: {"properties": {"securityRules": {
            format!("{nsg}/securityRules/AllowAcr"): {"properties": {"access": "Deny"}},
            format!("{nsg}/securityRules/DenyInternet"): null,
            format!("{nsg}/securityRules/DenyStorage"): {"properties": {"priority": 200, "access": "Deny"}},
        }}}}}});
        let out = apply(target, patch);
        let nsgs = &out["resources"]["Microsoft.Network/networkSecurityGroups"];
        assert_eq!(nsgs[0], json!({"id": "/n/other", "properties": {"securityRules": []}}));
        assert_eq!(
            nsgs[1]["properties"]["securityRules"],
            json!([
                {"id": format!("{nsg}/securityRules/AllowAcr"), "properties": {"priority": 100, "access": "Deny"}},
                {"id": format!("{nsg}/securityRules/DenyStorage"), "properties": {"priority": 200, "access": "Deny"}},
            ])
        );
    }

    #[test]
    fn children_arrays_are_keyed_by_parent_id() {
        let target = json!({"children": {"Microsoft.Network/privateDnsZones/A": [
            {"parentId": "/z/zone", "value": [{"id": "/z/zone/A/one", "ttl": 10}, {"id": "/z/zone/A/two", "ttl": 10}]},
        ]}});
        let patch = json!({"children": {"Microsoft.Network/privateDnsZones/A": {"/Z/ZONE": {"value": {"/z/zone/A/one": null}}}}});
        let out = apply(target, patch);
        assert_eq!(
            out,
            json!({"children": {"Microsoft.Network/privateDnsZones/A": [{"parentId": "/z/zone", "value": [{"id": "/z/zone/A/two", "ttl": 10}]}]}})
        );
    }

    #[test]
    fn bad_patches_name_the_json_path() {
        let err = merge_patch(regs(), &json!({"resources": {"registries": {"/r/new": "x"}}})).unwrap_err();
        assert_eq!(err.path, r#"$.resources.registries["/r/new"]"#);
        assert!(err.problem.contains("must be an object"), "{err}");

        let err = merge_patch(regs(), &json!({"resources": {"registries": {"/r/one": {"x": 1}, "/R/ONE": {"y": 2}}}}))
            .unwrap_err();
        assert!(err.problem.contains("twice"), "{err}");

        let err =
            merge_patch(regs(), &json!({"resources": {"registries": {"/r/new": {"id": "/r/other"}}}})).unwrap_err();
        assert!(err.problem.contains("make them agree"), "{err}");

        let dup = json!({"a": [{"id": "/x"}, {"id": "/X"}]});
        let err = merge_patch(dup, &json!({"a": {"/x": {"n": 1}}})).unwrap_err();
        assert_eq!(err.path, "$.a");
        assert!(err.problem.contains("two elements"), "{err}");
    }

    #[test]
    fn fixture_documents_refuse_unknown_keys_with_the_path() {
        let err =
            Fixture::parse(br#"{"base": "clean", "expect": {"resources": "x"}, "patch": {}}"#, "f.json").unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("f.json: $.expect"), "{text}");
        let err = Fixture::parse(br#"{"base": "clean"}"#, "f.json").unwrap_err().to_string();
        assert!(err.contains("patch"), "{err}");
        let ok = Fixture::parse(br#"{"base": "clean", "expect": {"resource": "/r"}, "patch": {}}"#, "f.json");
        assert_eq!(ok.ok().and_then(|f| f.expect).map(|e| e.resource).as_deref(), Some("/r"));
    }

    #[test]
    fn estates_chain_and_cycles_are_reported() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        let estates = root.join(ESTATES_DIR);
        std::fs::create_dir_all(root.join("fixtures/demo")).expect("mkdir");
        std::fs::create_dir_all(&estates).expect("mkdir");
        std::fs::write(root.join("fixtures/demo/snapshot-clean.json"), r#"{"a": 1, "list": [{"id": "/x"}]}"#)
            .expect("write");
        std::fs::write(estates.join("one.json"), r#"{"base": "clean", "patch": {"b": 2}}"#).expect("write");
        std::fs::write(estates.join("two.json"), r#"{"base": "one", "patch": {"list": {"/y": {}}}}"#).expect("write");
        std::fs::write(estates.join("loop-a.json"), r#"{"base": "loop-b", "patch": {}}"#).expect("write");
        std::fs::write(estates.join("loop-b.json"), r#"{"base": "loop-a", "patch": {}}"#).expect("write");
        let all = Estates::in_repository(root);
        let fixture = Fixture { base: "two".into(), expect: None, patch: json!({"a": null}) };
        assert_eq!(all.apply(&fixture, "f.json").ok(), Some(json!({"b": 2, "list": [{"id": "/x"}, {"id": "/y"}]})));

        let err = all.estate("loop-a").unwrap_err().to_string();
        assert!(err.contains("loop-a -> loop-b -> loop-a"), "{err}");
        let missing = Fixture { base: "nope".into(), expect: None, patch: json!({}) };
        let err = all.apply(&missing, "f.json").unwrap_err().to_string();
        assert!(err.starts_with("f.json: unknown base estate `nope`") && err.contains("clean, demo, loop-a"), "{err}");
        let escape = Fixture { base: "../demo/x".into(), expect: None, patch: json!({}) };
        assert!(matches!(all.apply(&escape, "f.json"), Err(FixtureError::UnknownBase { .. })));
    }

    #[test]
    fn paths_quote_arm_ids() {
        let path = ["resources".to_string(), "Microsoft.Network/x".to_string(), "0".to_string()];
        assert_eq!(render_path(&path), r#"$.resources["Microsoft.Network/x"]["0"]"#);
    }
}
