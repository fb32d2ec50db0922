//! Errors of the rule stage: loading rule files, and evaluating them.

use std::error::Error as StdError;

/// A rule file or selection that cannot be used. Each names the file (and line) and the fix.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RuleLoadError {
    /// A rules directory or file could not be read.
    #[error("{path}: cannot read rules: {source}\n  fix: `--rules` takes a directory of .rego files")]
    Read {
        /// Path.
        path: String,
        /// OS error.
        source: std::io::Error,
    },
    /// A rule file without a `# METADATA` block.
    #[error("{file}: rule file has no `# METADATA` block\n  fix: start the file with a `# METADATA` comment block holding title and custom.id/severity (see docs/rules.md)")]
    MissingMetadata {
        /// File.
        file: String,
    },
    /// The metadata block is not valid YAML or lacks a required key.
    #[error("{file}:{line}: bad rule metadata: {message}\n  fix: see the METADATA format in docs/writing-rules.md")]
    BadMetadata {
        /// File.
        file: String,
        /// 1-based line of the `# METADATA` marker or the offending line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// Two rule files claim the same id.
    #[error("rule id {id} is defined twice: {first} and {second}\n  fix: rule ids are unique; rename one (ids are never reused)")]
    DuplicateId {
        /// The id.
        id: String,
        /// First file.
        first: String,
        /// Second file.
        second: String,
    },
    /// The file has no `package` line.
    /// A rule calls a builtin that is not pure (randomness, clock, network, environment).
    #[error("{file}:{line}: the rule calls `{builtin}`, which rules may not use: a rule must give the same findings for the same snapshot and cannot reach the network, the clock or the environment\n  fix: remove the call; derive what you need from `input` (docs/writing-rules.md)")]
    ImpureBuiltin {
        /// The file.
        file: String,
        /// Line of the call.
        line: u64,
        /// The builtin.
        builtin: String,
    },
    /// A `--rules` file declares a package in the namespace reserved for built-in rules.
    #[error("{file}: package `{package}` is in the `acr_audit` namespace, which belongs to the built-in rules: a custom rule there could replace or silence a built-in one\n  fix: use your own namespace, e.g. `package org.<area>.<name>` (docs/writing-rules.md)")]
    ReservedPackage {
        /// The file.
        file: String,
        /// Its package.
        package: String,
    },
    #[error("{file}: no `package` declaration\n  fix: add `package acr_audit.<area>.<id>` after the metadata")]
    MissingPackage {
        /// File.
        file: String,
    },
    /// regorus refused the file (syntax error, unknown builtin, ...); the message carries file:line:col.
    #[error("{file}: the rule does not compile:\n{message}\n  fix: correct the Rego in {file}; rules may call only pure builtins (no http.send, opa.runtime, time.now_ns or net.*; see docs/writing-rules.md)")]
    Syntax {
        /// File.
        file: String,
        /// regorus's message, which points at the line.
        message: String,
    },
    /// `--only` / `--skip` named a rule that does not exist.
    #[error(
        "unknown rule id `{id}` in {flag}\n  fix: `acr-audit rules list` shows the ids; known ids include {known}"
    )]
    UnknownRule {
        /// The id given.
        id: String,
        /// `--only` or `--skip`.
        flag: &'static str,
        /// A few known ids.
        known: String,
    },
}

/// A failure while evaluating rules against one input.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    /// The facts could not be handed to the engine.
    #[error("cannot hand the analysed facts of {input} to the rule engine: {message}")]
    Input {
        /// Input name (the snapshot path).
        input: String,
        /// What went wrong.
        message: String,
    },
    /// A rule failed at run time.
    #[error("rule {id} ({file}) failed while evaluating {input}: {source}\n  fix: run `acr-audit rules test` and check the rule against docs/facts.md; `--skip {id}` skips it")]
    Rule {
        /// Rule id.
        id: String,
        /// Rule file.
        file: String,
        /// Input name (the snapshot path).
        input: String,
        /// regorus's error.
        source: Box<dyn StdError + Send + Sync>,
    },
    /// A custom rule made the rule sandbox fail: it recursed, ran out of memory or time, or could not load.
    #[error("rule {id} ({file}) was stopped while evaluating {input}: {reason}\n  fix: correct the rule; `--skip {id}` skips it; the bounds are ACR_AUDIT_RULE_TIMEOUT (seconds) and ACR_AUDIT_RULE_MEMORY_MB (docs/security.md)")]
    Sandbox {
        /// Rule id (the one running when the sandbox failed).
        id: String,
        /// Rule file.
        file: String,
        /// Input name.
        input: String,
        /// How it failed.
        reason: String,
    },
    /// A rule produced something that is not a finding object.
    #[error("rule {id} ({file}) produced an invalid finding while evaluating {input}: {message}\n  fix: each `deny` element must be an object with string `msg` and `resource` (see docs/writing-rules.md)")]
    BadFinding {
        /// Rule id.
        id: String,
        /// Rule file.
        file: String,
        /// Input name.
        input: String,
        /// What is wrong.
        message: String,
    },
}
