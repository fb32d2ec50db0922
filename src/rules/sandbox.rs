//! Custom rules run in a child process under a time and memory bound, so a hostile or broken `--rules` file
//! ends in a clear error naming the rule instead of taking the whole run down.
//!
//! Why a process: a rule that recurses overflows the interpreter's stack, and a builtin asked for a huge
//! allocation fails it; Rust aborts the process in both cases, and no `catch_unwind` can stop that. A child
//! process can die without harm: the parent reads how it died and reports it. Built-in rules are part of the
//! program and keep running in-process, so a run without `--rules` spawns nothing.
//!
//! Protocol: the parent runs `<program> __rule-sandbox`, writes one JSON [`Request`] on the child's standard
//! input, and reads one JSON [`Reply`] from its standard output. Before evaluating each rule the child writes
//! `rule <ID>` on standard error, so when it dies the parent knows which rule was running. The child bounds
//! itself with `setrlimit` (address space and CPU seconds); the parent also kills it at a wall-clock deadline.

use super::catalog::{Catalog, RuleFile, RuleSource};
use super::engine::RuleEngine;
use super::error::EvalError;
use super::finding::Finding;
use super::testing::{run_loaded_tests, TestOutcome};
use crate::analysis::Facts;
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The argument that makes the binary act as a rule sandbox.
pub const SANDBOX_ARG: &str = "__rule-sandbox";

/// Default wall-clock bound for all custom rules of one evaluation.
pub const DEFAULT_RULE_TIMEOUT: Duration = Duration::from_secs(30);
/// Default address-space bound of the sandbox process (the facts of a 100,000-resource estate and the
/// interpreter fit in well under half of it).
pub const DEFAULT_RULE_MEMORY_BYTES: u64 = 4 << 30;

/// How custom rules are isolated: the program to run as the sandbox and its bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleIsolation {
    /// The acr-audit binary (it answers [`SANDBOX_ARG`]).
    pub program: PathBuf,
    /// Wall-clock bound for the custom rules of one evaluation.
    pub timeout: Duration,
    /// Address-space bound of the sandbox, in bytes.
    pub memory_bytes: u64,
}

/// What the parent sends: the sources to load, the rules to evaluate, the facts.
#[derive(Debug, Serialize, Deserialize)]
struct Request {
    /// Run the test files (`rules test`) instead of evaluating `rules` on `facts`.
    tests: bool,
    sources: Vec<SourceText>,
    rules: Vec<String>,
    facts: serde_json::Value,
    timeout_secs: u64,
    memory_bytes: u64,
}

#[derive(Debug, Serialize, Deserialize)]
struct SourceText {
    name: String,
    text: String,
    builtin: bool,
}

/// What the child answers: each rule's `deny` value, or an error it could report itself.
#[derive(Debug, Serialize, Deserialize)]
enum Reply {
    Denies(Vec<(String, serde_json::Value)>),
    /// Test outcomes, with each test's duration in nanoseconds.
    Tests(Vec<(TestOutcome, u64)>),
    Error(String),
}

/// Evaluate the selected `rules`: built-in ones in this process, custom ones (from `--rules`) in the sandbox
/// when `isolation` is given. Without isolation (the library's default, e.g. in tests) everything runs here.
pub fn evaluate_rules(
    catalog: &Catalog,
    rules: &[&RuleFile],
    facts: &Facts,
    input_name: &str,
    isolation: Option<&RuleIsolation>,
) -> anyhow::Result<Vec<Finding>> {
    let Some(isolation) = isolation.filter(|_| catalog.has_custom_files()) else {
        let mut engine = RuleEngine::new(catalog, false)?;
        return Ok(engine.evaluate(rules, facts, input_name)?);
    };
    // Custom files are never loaded into this process: a hostile one could abort it while loading.
    let builtin = Catalog {
        rules: catalog.rules.iter().filter(|r| r.source.builtin).cloned().collect(),
        libraries: catalog.libraries.iter().filter(|s| s.builtin).cloned().collect(),
        tests: Vec::new(),
    };
    let (trusted, custom): (Vec<&RuleFile>, Vec<&RuleFile>) = rules.iter().partition(|r| r.source.builtin);
    let mut findings = RuleEngine::new(&builtin, false)?.evaluate(&trusted, facts, input_name)?;
    if !custom.is_empty() {
        findings.extend(evaluate_isolated(catalog, &custom, facts, input_name, isolation)?);
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    Ok(findings)
}

/// Load every rule of `catalog` once, as [`RuleEngine::new`] does to prove they compile, with custom files
/// loaded only in the sandbox when `isolation` is given (`rules list`, `show`, `doc`).
pub fn check_rules(catalog: &Catalog, isolation: Option<&RuleIsolation>) -> anyhow::Result<()> {
    match isolation.filter(|_| catalog.has_custom_files()) {
        None => RuleEngine::new(catalog, false).map(|_| ()).map_err(Into::into),
        Some(isolation) => {
            let facts = serde_json::Value::Object(Default::default());
            run_request(catalog, &[], facts, "(rule check)", isolation).map(|_| ()).map_err(Into::into)
        }
    }
}

/// Evaluate `rules` (custom ones) in a sandbox process; findings as [`RuleEngine::evaluate`] would give them.
pub fn evaluate_isolated(
    catalog: &Catalog,
    rules: &[&RuleFile],
    facts: &Facts,
    input_name: &str,
    isolation: &RuleIsolation,
) -> Result<Vec<Finding>, EvalError> {
    let facts = serde_json::to_value(facts)
        .map_err(|e| EvalError::Input { input: input_name.into(), message: e.to_string() })?;
    run_request(catalog, rules, facts, input_name, isolation)
}

/// Send one request to a sandbox and turn its answer (or its death) into findings or an error.
fn run_request(
    catalog: &Catalog,
    rules: &[&RuleFile],
    facts: serde_json::Value,
    input_name: &str,
    isolation: &RuleIsolation,
) -> Result<Vec<Finding>, EvalError> {
    let failed = |id: &str, file: &str, reason: String| EvalError::Sandbox {
        id: id.to_string(),
        file: file.to_string(),
        input: input_name.to_string(),
        reason,
    };
    let request = Request {
        tests: false,
        sources: sources_of(catalog),
        rules: rules.iter().map(|r| r.meta.id.clone()).collect(),
        facts,
        timeout_secs: isolation.timeout.as_secs().max(1),
        memory_bytes: isolation.memory_bytes,
    };
    let first = rules.first().map(|r| (r.meta.id.clone(), r.source.name.clone()));
    let Reply::Denies(denies) = exchange(catalog, &request, first, input_name, isolation)? else {
        return Ok(Vec::new());
    };
    let mut findings = Vec::new();
    for (id, value) in denies {
        let Some(rule) = rules.iter().find(|r| r.meta.id == id) else { continue };
        let value = regorus::Value::from_json_str(&value.to_string())
            .map_err(|e| failed(&rule.meta.id, &rule.source.name, e.to_string()))?;
        findings.extend(super::engine::to_findings(rule, value, input_name)?);
    }
    Ok(findings)
}

/// The sources a sandbox loads: helper libraries and rules (built-in ones too, since custom rules may import
/// them), without tests unless asked.
fn sources_of(catalog: &Catalog) -> Vec<SourceText> {
    catalog
        .libraries
        .iter()
        .chain(catalog.rules.iter().map(|r| &r.source))
        .map(|s| SourceText { name: s.name.clone(), text: s.text.clone(), builtin: s.builtin })
        .collect()
}

/// Run the Rego tests of a catalogue with custom files in the sandbox (`rules test DIR`).
pub fn run_tests_isolated(catalog: &Catalog, isolation: &RuleIsolation) -> Result<Vec<TestOutcome>, EvalError> {
    let mut sources = sources_of(catalog);
    sources.extend(catalog.tests.iter().map(|s| SourceText {
        name: s.name.clone(),
        text: s.text.clone(),
        builtin: s.builtin,
    }));
    let request = Request {
        tests: true,
        sources,
        rules: Vec::new(),
        facts: serde_json::Value::Object(Default::default()),
        timeout_secs: isolation.timeout.as_secs().max(1),
        memory_bytes: isolation.memory_bytes,
    };
    let Reply::Tests(outcomes) = exchange(catalog, &request, None, "(rule tests)", isolation)? else {
        return Ok(Vec::new());
    };
    Ok(outcomes
        .into_iter()
        .map(|(mut o, nanos)| {
            o.duration = Duration::from_nanos(nanos);
            o
        })
        .collect())
}

/// Send `request` to a sandbox and read its reply. When the child dies or errs, the error names what it was
/// running: the last `rule <id>` or `test <path> <file>` it announced, else `first`.
fn exchange(
    catalog: &Catalog,
    request: &Request,
    first: Option<(String, String)>,
    input_name: &str,
    isolation: &RuleIsolation,
) -> Result<Reply, EvalError> {
    let failed = |(id, file): (String, String), reason: String| EvalError::Sandbox {
        id,
        file,
        input: input_name.to_string(),
        reason,
    };
    let first = first.unwrap_or_else(|| ("(loading)".to_string(), "(rules)".to_string()));
    let body = serde_json::to_vec(request).map_err(|e| failed(first.clone(), e.to_string()))?;
    let outcome = run_child(isolation, body).map_err(|e| failed(first.clone(), e))?;
    let running = outcome
        .stderr
        .lines()
        .rev()
        .find_map(|line| {
            if let Some(id) = line.strip_prefix("rule ") {
                let rule = catalog.rules.iter().find(|r| r.meta.id == id)?;
                return Some((rule.meta.id.clone(), rule.source.name.clone()));
            }
            let (path, file) = line.strip_prefix("test ")?.split_once(' ')?;
            Some((path.to_string(), file.to_string()))
        })
        .unwrap_or(first);
    if outcome.timed_out {
        let reason = format!("it ran longer than the {} s bound (ACR_AUDIT_RULE_TIMEOUT)", isolation.timeout.as_secs());
        return Err(failed(running, reason));
    }
    match serde_json::from_slice::<Reply>(&outcome.stdout) {
        Ok(Reply::Error(message)) => Err(failed(running, message)),
        Ok(reply) => Ok(reply),
        Err(_) => Err(failed(running, death_reason(&outcome.stderr, outcome.code, isolation))),
    }
}

/// Why the child died, from what it left on standard error and its exit status.
fn death_reason(stderr: &str, code: Option<i32>, isolation: &RuleIsolation) -> String {
    if stderr.contains("has overflowed its stack") {
        "it recursed until the interpreter's stack overflowed (Rego rules may not recurse)".to_string()
    } else if stderr.contains("memory allocation of") || stderr.contains("capacity overflow") {
        format!(
            "it asked for more memory than the {} MiB bound (ACR_AUDIT_RULE_MEMORY_MB)",
            isolation.memory_bytes >> 20
        )
    } else {
        format!("the rule sandbox ended without an answer (exit status {code:?})")
    }
}

struct ChildOutcome {
    stdout: Vec<u8>,
    stderr: String,
    code: Option<i32>,
    timed_out: bool,
}

/// Run the sandbox with `body` on its standard input, killing it at the deadline.
fn run_child(isolation: &RuleIsolation, body: Vec<u8>) -> Result<ChildOutcome, String> {
    let mut child = Command::new(&isolation.program)
        .arg(SANDBOX_ARG)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the rule sandbox {}: {e}", isolation.program.display()))?;
    let mut stdin = child.stdin.take().ok_or("the sandbox has no standard input")?;
    let writer = std::thread::spawn(move || {
        // A child that dies early closes the pipe: its death is reported, not this write.
        let _ = stdin.write_all(&body);
    });
    let mut stdout = child.stdout.take().ok_or("the sandbox has no standard output")?;
    let mut stderr = child.stderr.take().ok_or("the sandbox has no standard error")?;
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        // Bounded: the child writes a line per rule plus, when it dies, a panic message.
        let _ = (&mut stderr).take(1 << 20).read_to_end(&mut buf);
        String::from_utf8_lossy(&buf).into_owned()
    });
    let deadline = Instant::now() + isolation.timeout;
    let mut timed_out = false;
    let status = loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(status) => break status,
            None if Instant::now() >= deadline => {
                timed_out = true;
                let _ = child.kill();
                break child.wait().map_err(|e| e.to_string())?;
            }
            None => std::thread::sleep(Duration::from_millis(10)),
        }
    };
    let _ = writer.join();
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    // A CPU-limit signal (SIGXCPU) is the kernel enforcing the same time bound.
    #[cfg(unix)]
    let timed_out = timed_out || std::os::unix::process::ExitStatusExt::signal(&status) == Some(libc::SIGXCPU);
    Ok(ChildOutcome { stdout, stderr, code: status.code(), timed_out })
}

/// The sandbox's side: bound itself, read the request, evaluate each rule, answer. Returns the exit code.
pub fn child_main() -> i32 {
    let mut input = Vec::new();
    if std::io::stdin().read_to_end(&mut input).is_err() {
        return 3;
    }
    let reply = match serde_json::from_slice::<Request>(&input) {
        Ok(request) => {
            apply_limits(request.timeout_secs, request.memory_bytes);
            evaluate_request(request)
        }
        Err(e) => Reply::Error(format!("bad sandbox request: {e}")),
    };
    let mut stdout = std::io::stdout().lock();
    match serde_json::to_writer(&mut stdout, &reply) {
        Ok(()) => 0,
        Err(_) => 3,
    }
}

fn evaluate_request(mut request: Request) -> Reply {
    let sources =
        request.sources.into_iter().map(|s| RuleSource { name: s.name, text: s.text, builtin: s.builtin }).collect();
    let catalog = match Catalog::from_sources(sources) {
        Ok(c) => c,
        Err(e) => return Reply::Error(e.to_string()),
    };
    let mut engine = match RuleEngine::load(&catalog, request.tests) {
        Ok(e) => e,
        Err(e) => return Reply::Error(e.to_string()),
    };
    // Resolve each rule on the empty input first, announcing it: a rule that dies here is named too.
    for rule in &catalog.rules {
        eprintln!("rule {}", rule.meta.id);
        if let Err(e) = engine.check(rule) {
            return Reply::Error(e.to_string());
        }
    }
    let input = match regorus::Value::from_json_str(&request.facts.to_string()) {
        Ok(v) => v,
        Err(e) => return Reply::Error(e.to_string()),
    };
    if request.tests {
        return match run_loaded_tests(&mut engine, &catalog, |path, file| eprintln!("test {path} {file}")) {
            Ok(outcomes) => Reply::Tests(
                outcomes.into_iter().map(|o| (o.duration.as_nanos() as u64, o)).map(|(n, o)| (o, n)).collect(),
            ),
            Err(e) => Reply::Error(e.to_string()),
        };
    }
    engine.set_input(input);
    let mut denies = Vec::new();
    for id in std::mem::take(&mut request.rules) {
        let Some(rule) = catalog.get(&id) else { continue };
        eprintln!("rule {id}");
        match engine.eval_deny(rule) {
            Ok(value) => match serde_json::to_value(&value) {
                Ok(json) => denies.push((id, json)),
                Err(e) => return Reply::Error(e.to_string()),
            },
            Err(e) => return Reply::Error(format!("{e:#}")),
        }
    }
    Reply::Denies(denies)
}

/// Bound this process: address space (a huge allocation fails instead of exhausting the machine) and CPU time
/// (a loop is stopped by the kernel even if the parent is gone).
fn apply_limits(timeout_secs: u64, memory_bytes: u64) {
    #[cfg(unix)]
    {
        let set = |resource, value: u64| {
            let limit = libc::rlimit { rlim_cur: value as libc::rlim_t, rlim_max: value as libc::rlim_t };
            // SAFETY: setrlimit reads a valid, fully initialised rlimit struct and only affects this process.
            unsafe { libc::setrlimit(resource, &limit) };
        };
        set(libc::RLIMIT_AS, memory_bytes);
        set(libc::RLIMIT_CPU, timeout_secs + 1);
    }
}
