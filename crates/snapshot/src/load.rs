//! Reading a snapshot file: bytes -> typed [`Snapshot`], with errors that name file, line, column and JSON path.

use crate::envelope::{Snapshot, SCHEMA_MAJOR, SCHEMA_PREFIX};
use crate::error::SnapshotError;
use std::path::Path;

/// The largest snapshot [`load_snapshot`] reads: 1 GiB, eight times a 100,000-resource estate (about 120 MB).
/// Anything larger is refused before it is parsed, so `/dev/zero` or a runaway pipe cannot exhaust memory.
pub const DEFAULT_MAX_SNAPSHOT_BYTES: u64 = 1 << 30;

/// The snapshot size bound in force: `ACR_AUDIT_MAX_SNAPSHOT_BYTES` when set to a number, else
/// [`DEFAULT_MAX_SNAPSHOT_BYTES`]. An environment variable rather than a flag so that every command that reads a
/// snapshot (`eval`, `trace`, `diff`, `baseline`, ...) honours the same bound.
pub fn max_snapshot_bytes() -> u64 {
    std::env::var("ACR_AUDIT_MAX_SNAPSHOT_BYTES")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(DEFAULT_MAX_SNAPSHOT_BYTES)
}

/// Read and validate a snapshot file of at most [`max_snapshot_bytes`].
pub fn load_snapshot(path: &Path) -> Result<Snapshot, SnapshotError> {
    let bytes = read_snapshot_bytes(path, max_snapshot_bytes())?;
    parse_snapshot(&bytes, path)
}

/// Read a snapshot's bytes, once (a FIFO or pipe cannot be read twice), refusing more than `max_bytes`. The
/// bound is checked while reading, not only against the file's size, because devices and pipes have none.
pub fn read_snapshot_bytes(path: &Path, max_bytes: u64) -> Result<Vec<u8>, SnapshotError> {
    use std::io::Read;
    let read_error = |source| SnapshotError::Read { path: path.to_path_buf(), source };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let too_large = || SnapshotError::TooLarge { path: path.to_path_buf(), limit: max_bytes };
    if file.metadata().map(|m| m.is_file() && m.len() > max_bytes).unwrap_or(false) {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    file.take(max_bytes.saturating_add(1)).read_to_end(&mut bytes).map_err(read_error)?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Parse snapshot bytes; `path` is only used in error messages.
///
/// A member whose value is `null` reads as absent ([`crate::nulls`]): ARM and its CLI and SDK serializers write
/// `"ipRules": null` for an unset optional property.
pub fn parse_snapshot(bytes: &[u8], path: &Path) -> Result<Snapshot, SnapshotError> {
    let bytes = crate::nulls::blank_null_members(bytes);
    let bytes: &[u8] = &bytes;
    check_version(bytes, path)?;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let snapshot: Snapshot = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let json_path = e.path().to_string();
        let inner = e.into_inner();
        classify(inner, json_path, path)
    })?;
    de.end().map_err(|e| classify(e, String::from("."), path))?;
    Ok(snapshot)
}

fn classify(e: serde_json::Error, json_path: String, path: &Path) -> SnapshotError {
    let (line, column) = (e.line(), e.column());
    let message = strip_position(&e.to_string());
    match e.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof | serde_json::error::Category::Io => {
            SnapshotError::Syntax { path: path.to_path_buf(), line, column, message }
        }
        serde_json::error::Category::Data => {
            SnapshotError::Shape { path: path.to_path_buf(), json_path, line, column, message }
        }
    }
}

/// serde_json appends " at line L column C"; we print the position ourselves, in `file:line:col` form.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(pos) => message[..pos].to_string(),
        None => message.to_string(),
    }
}

/// Refuse an unknown major version before the typed parse, so the user sees the version problem and not
/// whichever field changed shape first. Only the top-level `schema` key is read here.
fn check_version(bytes: &[u8], path: &Path) -> Result<(), SnapshotError> {
    #[derive(serde::Deserialize)]
    struct Envelope {
        schema: Option<serde_json::Value>,
    }
    let Ok(envelope) = serde_json::from_slice::<Envelope>(bytes) else {
        // Syntax and shape errors are reported, with positions, by the full parse.
        return Ok(());
    };
    let expected = format!("{SCHEMA_PREFIX}{SCHEMA_MAJOR}");
    let found = match envelope.schema {
        Some(serde_json::Value::String(s)) => s,
        Some(other) => other.to_string(),
        None => "(no `schema` field)".to_string(),
    };
    let major_ok = found
        .strip_prefix(SCHEMA_PREFIX)
        .map(|rest| rest.split('.').next() == Some(SCHEMA_MAJOR.to_string().as_str()))
        .unwrap_or(false);
    if major_ok {
        Ok(())
    } else {
        Err(SnapshotError::UnsupportedVersion { path: path.to_path_buf(), found, expected })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Snapshot, SnapshotError> {
        parse_snapshot(text.as_bytes(), Path::new("s.json"))
    }

    #[test]
    fn minor_versions_are_accepted_and_types_are_case_insensitive() {
        let s = parse(
            r#"{"schema":"acr-audit/snapshot/v1.3","resources":{"microsoft.containerregistry/REGISTRIES":[{"id":"/x"}],"Microsoft.Foo/bars":[1]}}"#,
        )
        .expect("parses");
        assert_eq!(s.resources.registries.len(), 1);
        assert_eq!(s.resources.unknown_types, vec!["Microsoft.Foo/bars".to_string()]);
    }

    #[test]
    fn unknown_major_is_refused_naming_the_supported_one() {
        let err = parse(r#"{"schema":"acr-audit/snapshot/v2","resources":{}}"#).unwrap_err().to_string();
        assert!(err.contains("acr-audit/snapshot/v2"), "{err}");
        assert!(err.contains("reads `acr-audit/snapshot/v1`"), "{err}");
    }

    #[test]
    fn shape_errors_name_the_json_path() {
        let text = "{\"schema\":\"acr-audit/snapshot/v1\",\"resources\":{\"Microsoft.Network/networkSecurityGroups\":[\n{\"id\":\"/n\",\"properties\":{\"securityRules\":[{\"properties\":{\"protocol\":\"Tcp\",\"access\":\"Deny\",\"direction\":\"Outbound\"}}]}}]}}";
        let err = parse(text).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, SnapshotError::Shape { .. }), "{msg}");
        assert!(msg.contains("securityRules[0].properties"), "{msg}");
        assert!(msg.contains("priority"), "{msg}");
        assert!(msg.starts_with("s.json:2:"), "{msg}");
    }

    #[test]
    fn larger_than_the_cap_is_refused_while_reading() {
        let dir = std::env::temp_dir().join(format!("acr-audit-cap-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("big.json");
        std::fs::write(&file, vec![b' '; 2048]).unwrap();
        let err = read_snapshot_bytes(&file, 1024).unwrap_err();
        assert!(matches!(err, SnapshotError::TooLarge { limit: 1024, .. }), "{err}");
        assert_eq!(read_snapshot_bytes(&file, 4096).unwrap().len(), 2048);
        // A device with no size: refused at the bound instead of read until memory runs out.
        if Path::new("/dev/zero").exists() {
            let err = read_snapshot_bytes(Path::new("/dev/zero"), 1 << 20).unwrap_err();
            assert!(err.to_string().contains("larger than"), "{err}");
        }
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn syntax_errors_give_line_and_column() {
        let err = parse("{\"schema\":\"acr-audit/snapshot/v1\",\n  \"resources\": {,}}").unwrap_err();
        assert!(matches!(err, SnapshotError::Syntax { line: 2, .. }), "{err}");
    }
}
