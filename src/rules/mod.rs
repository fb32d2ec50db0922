//! Rules: Rego v1 files with OPA-style `# METADATA`, evaluated by regorus against the analysis facts.
//!
//! - `metadata`: parse and validate the `# METADATA` block (the only source of a rule's title, severity, ...).
//! - `catalog`: find rule and test files, built-in (embedded) and user (`--rules DIR`); select by id.
//! - `engine`: load the files into a sandboxed regorus engine, evaluate `deny`, turn results into findings.
//! - `shell`: POSIX quoting of snapshot values in remediation commands.
//! - `sandbox`: custom rules in a child process under time and memory bounds.
//! - `testing`: run the `test_*` rules, the way `opa test` does.
//! - `fixture`: rule fixtures (`fires.json`, `clean.json`) as keyed merge patches over named base estates.

mod catalog;
pub mod doc;
mod engine;
mod error;
pub mod explain;
mod finding;
pub mod fixture;
mod metadata;
pub mod sandbox;
mod severity;
pub mod shell;
mod testing;

pub use catalog::{Catalog, RuleFile, RuleSource};
pub use engine::{evaluate, RuleEngine};
pub use error::{EvalError, RuleLoadError};
pub use finding::{fingerprint, Finding};
pub use metadata::{Lifecycle, RuleMetadata};
pub use severity::Severity;
pub use testing::{run_tests, TestOutcome};
