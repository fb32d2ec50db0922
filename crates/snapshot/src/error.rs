//! Errors raised while reading a snapshot. Each names the file, the place in it and what to do.

use std::path::PathBuf;

/// A snapshot that cannot be used. Every variant carries the file, the location and a fix.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SnapshotError {
    /// The file could not be opened or read (missing, permissions, a directory).
    #[error("{path}: cannot read the snapshot: {source}\n  fix: check the path; a snapshot is written by `acr-audit collect -o FILE`")]
    Read {
        /// The file that was asked for.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The input is larger than the snapshot size bound (a device, a runaway pipe, or an estate far beyond any
    /// real one).
    #[error("{path}: the snapshot is larger than {limit} bytes; refused before parsing\n  fix: check that the path is a snapshot file written by `acr-audit collect`; a larger bound is `ACR_AUDIT_MAX_SNAPSHOT_BYTES=<bytes>` (docs/security.md)")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The bound in bytes.
        limit: u64,
    },
    /// The bytes are not JSON.
    #[error("{path}:{line}:{column}: the snapshot is not valid JSON: {message}\n  fix: the file is damaged or not a snapshot; re-export it with `acr-audit collect`, or check it with `jq . {path}`")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line of the first error.
        line: usize,
        /// 1-based column of the first error.
        column: usize,
        /// serde_json's description.
        message: String,
    },
    /// Valid JSON whose shape does not match snapshot v1 (a wrong type, a missing required field).
    #[error("{path}:{line}:{column}: at `{json_path}`: {message}\n  fix: the shape is described in docs/snapshot.md (JSON Schema: docs/snapshot.schema.json)")]
    Shape {
        /// The file.
        path: PathBuf,
        /// The JSON path of the offending value, e.g. `resources.Microsoft.Network/networkSecurityGroups[0].id`.
        json_path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What was wrong.
        message: String,
    },
    /// The `schema` field names a major version this build does not read.
    #[error("{path}: snapshot schema `{found}` is not supported; this build of acr-audit reads `{expected}`\n  fix: re-collect the snapshot with this version of acr-audit, or use the acr-audit release that wrote it")]
    UnsupportedVersion {
        /// The file.
        path: PathBuf,
        /// The `schema` value found.
        found: String,
        /// The schema this build reads.
        expected: String,
    },
    /// The snapshot could not be written.
    #[error("{path}: cannot write the snapshot: {source}")]
    Write {
        /// Destination.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
}
