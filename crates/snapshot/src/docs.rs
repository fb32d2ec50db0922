//! Documentation generated from the resource-type table and the views: the snapshot's JSON Schema
//! (`docs/snapshot.schema.json`) and the "resource types read" tables of `docs/snapshot.md`.
//!
//! A test compares both files with what this module generates, so adding a row to the table without
//! regenerating the docs fails CI. Regenerate with
//! `ACR_AUDIT_UPDATE_DOCS=1 cargo test -p acr-audit-snapshot docs`.

use crate::envelope::Snapshot;
use crate::table::{CHILD_TYPES, RESOURCE_TYPES};
use serde_json::Value;

/// Where the schema says it lives (a stable identifier, not a fetched URL).
const SCHEMA_ID: &str = "https://acr-audit.dev/schemas/snapshot/v1.json";

/// Marks the generated part of `docs/snapshot.md`.
pub const TABLES_BEGIN: &str = "<!-- generated from the resource-type table: do not edit by hand -->";
/// Ends the generated part of `docs/snapshot.md`.
pub const TABLES_END: &str = "<!-- end of generated tables -->";

/// The JSON Schema (draft 2020-12) of a snapshot file, derived from the typed views the loader reads.
pub fn snapshot_schema() -> Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.into_root_schema_for::<Snapshot>().to_value();
    allow_null_for_optional_properties(&mut schema);
    if let Some(object) = schema.as_object_mut() {
        object.insert("$id".to_string(), Value::String(SCHEMA_ID.to_string()));
    }
    schema
}

/// Every property that is not `required` also accepts `null`, as the loader does ([`crate::nulls`]): a `null`
/// member reads as absent. Walks the whole schema (definitions included) without recursion.
fn allow_null_for_optional_properties(schema: &mut Value) {
    let mut pending: Vec<&mut Value> = vec![schema];
    while let Some(node) = pending.pop() {
        match node {
            Value::Object(object) => {
                let required: Vec<String> = object
                    .get("required")
                    .and_then(Value::as_array)
                    .map(|r| r.iter().filter_map(Value::as_str).map(str::to_string).collect())
                    .unwrap_or_default();
                if let Some(Value::Object(properties)) = object.get_mut("properties") {
                    for (name, property) in properties.iter_mut() {
                        if !required.contains(name) {
                            add_null(property);
                        }
                    }
                }
                pending.extend(object.values_mut());
            }
            Value::Array(items) => pending.extend(items.iter_mut()),
            _ => {}
        }
    }
}

/// Let one property schema accept `null` too (no change when it already does).
fn add_null(property: &mut Value) {
    let Some(object) = property.as_object_mut() else { return };
    let null_schema = serde_json::json!({"type": "null"});
    if let Some(Value::Array(values)) = object.get_mut("enum") {
        if !values.contains(&Value::Null) {
            values.push(Value::Null);
        }
    }
    match object.get_mut("type") {
        Some(Value::String(t)) if t != "null" => {
            let t = t.clone();
            object.insert("type".to_string(), serde_json::json!([t, "null"]));
        }
        Some(Value::Array(types)) if !types.iter().any(|t| t == "null") => types.push(Value::String("null".into())),
        Some(_) => {}
        None => {
            if let Some(Value::Array(any)) = object.get_mut("anyOf") {
                if !any.contains(&null_schema) {
                    any.push(null_schema);
                }
            } else if let Some(reference) = object.remove("$ref") {
                object.insert(
                    "anyOf".to_string(),
                    Value::Array(vec![serde_json::json!({"$ref": reference}), null_schema]),
                );
            }
        }
    }
}

/// `docs/snapshot.schema.json` as written: pretty JSON with a final newline.
pub fn snapshot_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&snapshot_schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// The Markdown tables of every resource and child type, between [`TABLES_BEGIN`] and [`TABLES_END`].
pub fn types_tables() -> String {
    let mut out = String::new();
    out.push_str(TABLES_BEGIN);
    out.push_str("\n\n### Resources\n\n| key in `resources` | view | ARM request | api-version | read for |\n|---|---|---|---|---|\n");
    for t in RESOURCE_TYPES {
        out.push_str(&format!(
            "| `{}` | `{}` | `{}` | {} | {} |\n",
            t.key,
            t.view,
            t.listing.request(),
            t.api_version,
            t.doc
        ));
    }
    out.push_str("\n### Child collections\n\n| key in `children` | view | parent | ARM request | api-version | read for |\n|---|---|---|---|---|---|\n");
    for c in CHILD_TYPES {
        out.push_str(&format!(
            "| `{}` | `{}` | `{}` | `GET {{parent}}/{}` | {} | {} |\n",
            c.key, c.view, c.parent, c.path, c.api_version, c.doc
        ));
    }
    out.push('\n');
    out.push_str(TABLES_END);
    out
}

/// `text` (a whole `docs/snapshot.md`) with its generated part replaced by [`types_tables`]; `None` when the
/// markers are missing.
pub fn with_types_tables(text: &str) -> Option<String> {
    let begin = text.find(TABLES_BEGIN)?;
    let end = text[begin..].find(TABLES_END)? + begin + TABLES_END.len();
    Some(format!("{}{}{}", &text[..begin], types_tables(), &text[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn docs_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs")
    }

    /// The committed docs match the table; with `ACR_AUDIT_UPDATE_DOCS=1` they are rewritten instead.
    #[test]
    fn docs_match_the_resource_type_table() {
        let update = std::env::var_os("ACR_AUDIT_UPDATE_DOCS").is_some();
        let schema_path = docs_dir().join("snapshot.schema.json");
        let doc_path = docs_dir().join("snapshot.md");
        let doc = std::fs::read_to_string(&doc_path).expect("docs/snapshot.md is readable");
        let generated_doc = with_types_tables(&doc).expect("docs/snapshot.md keeps the generated-table markers");
        if update {
            std::fs::write(&schema_path, snapshot_schema_text()).expect("writes the schema");
            std::fs::write(&doc_path, &generated_doc).expect("writes the doc");
            return;
        }
        let schema = std::fs::read_to_string(&schema_path).expect("docs/snapshot.schema.json is readable");
        assert!(
            schema == snapshot_schema_text(),
            "docs/snapshot.schema.json is stale: run ACR_AUDIT_UPDATE_DOCS=1 cargo test -p acr-audit-snapshot docs"
        );
        assert!(
            doc == generated_doc,
            "the tables in docs/snapshot.md are stale: run ACR_AUDIT_UPDATE_DOCS=1 cargo test -p acr-audit-snapshot docs"
        );
    }

    #[test]
    fn every_table_type_is_in_the_schema() {
        let schema = snapshot_schema();
        let text = schema.to_string();
        for t in RESOURCE_TYPES {
            assert!(text.contains(&format!("\"{}\"", t.key)), "{} missing from the schema", t.key);
        }
        for c in CHILD_TYPES {
            assert!(text.contains(&format!("\"{}\"", c.key)), "{} missing from the schema", c.key);
        }
    }
}
