//! The sandboxed regorus engine: loads rule files, evaluates each rule's `deny` set against the facts and
//! turns the results into [`Finding`]s.
//!
//! Sandbox: regorus is built without its `http`, `opa-runtime` (environment), `net`, `time` and `uuid`
//! builtins (see Cargo.toml), and it has no file-system builtins, so a rule can read only `input`. A rule that
//! calls a missing builtin fails to load with its file and line; `rand.intn`, which regorus always registers,
//! is refused by a walk of the syntax tree at load time. Each evaluation also runs under a time limit,
//! so a runaway rule ends with an error instead of hanging a CI job.

use super::catalog::{Catalog, RuleFile};
use super::error::{EvalError, RuleLoadError};
use super::finding::Finding;
use super::severity::Severity;
use crate::analysis::Facts;
use crate::model::parse_resource_id;
use regorus::Value;
use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::time::Duration;

/// How long one rule may run against one input.
const RULE_TIME_LIMIT: Duration = Duration::from_secs(60);

/// A regorus engine holding every rule (and optionally test) file of a catalogue.
pub struct RuleEngine {
    engine: regorus::Engine,
}

impl RuleEngine {
    /// Load the catalogue's rule files (and test files when `with_tests`). Syntax errors and unknown builtins are
    /// reported here, with file and line.
    pub fn new(catalog: &Catalog, with_tests: bool) -> Result<RuleEngine, RuleLoadError> {
        let mut engine = RuleEngine::load(catalog, with_tests)?;
        for rule in &catalog.rules {
            engine.check(rule)?;
        }
        Ok(engine)
    }

    /// Add the catalogue's files to a fresh interpreter and refuse impure builtins, without evaluating any rule
    /// (the rule sandbox evaluates them one by one, so it can tell which one fails).
    pub(crate) fn load(catalog: &Catalog, with_tests: bool) -> Result<RuleEngine, RuleLoadError> {
        let mut engine = regorus::Engine::new();
        engine.set_rego_v0(false);
        engine.set_gather_prints(true);
        engine.set_strict_builtin_errors(true);
        engine.set_execution_timer_config(regorus::utils::limits::ExecutionTimerConfig {
            limit: RULE_TIME_LIMIT,
            check_interval: NonZeroU32::new(1000).unwrap_or(NonZeroU32::MIN),
        });
        let tests = catalog.tests.iter().filter(|_| with_tests);
        for source in catalog.libraries.iter().chain(catalog.rules.iter().map(|r| &r.source)).chain(tests) {
            engine
                .add_policy(source.name.clone(), source.text.clone())
                .map_err(|e| RuleLoadError::Syntax { file: source.name.clone(), message: e.to_string() })?;
        }
        refuse_impure_builtins(&engine)?;
        // Resolve modules (imports, builtins) against an empty input: every well-formed rule yields an empty set.
        engine.set_input(Value::new_object());
        Ok(RuleEngine { engine })
    }

    /// Resolve one rule now, so a call to a builtin that is not in the sandbox fails at load time rather than
    /// on the first input that reaches it. Expects the empty input [`RuleEngine::load`] sets.
    pub(crate) fn check(&mut self, rule: &RuleFile) -> Result<(), RuleLoadError> {
        match self.engine.eval_rule(format!("data.{}.deny", rule.package)) {
            Ok(_) => Ok(()),
            Err(e) => Err(RuleLoadError::Syntax { file: rule.source.name.clone(), message: format!("{e:#}") }),
        }
    }

    /// Set the facts rules read as `input`.
    pub(crate) fn set_input(&mut self, input: Value) {
        self.engine.set_input(input);
    }

    /// One rule's `deny` set, as regorus returns it.
    pub(crate) fn eval_deny(&mut self, rule: &RuleFile) -> anyhow::Result<Value> {
        self.engine.eval_rule(format!("data.{}.deny", rule.package))
    }

    /// Evaluate `rules` against `facts`. `input_name` (the snapshot path) is used in error messages.
    pub fn evaluate(
        &mut self,
        rules: &[&RuleFile],
        facts: &Facts,
        input_name: &str,
    ) -> Result<Vec<Finding>, EvalError> {
        let json = serde_json::to_string(facts)
            .map_err(|e| EvalError::Input { input: input_name.to_string(), message: e.to_string() })?;
        let input = Value::from_json_str(&json)
            .map_err(|e| EvalError::Input { input: input_name.to_string(), message: e.to_string() })?;
        self.engine.set_input(input);
        let mut findings = Vec::new();
        for rule in rules {
            let value = self.eval_deny(rule).map_err(|e| EvalError::Rule {
                id: rule.meta.id.clone(),
                file: rule.source.name.clone(),
                input: input_name.to_string(),
                source: e.into(),
            })?;
            findings.extend(to_findings(rule, value, input_name)?);
        }
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        Ok(findings)
    }

    /// Evaluate any rule path (used by `rules test`).
    pub(crate) fn eval_path(&mut self, path: &str) -> anyhow::Result<Value> {
        self.engine.eval_rule(path.to_string())
    }

    /// Reset `input` to an empty object (tests supply theirs with `with input as`).
    pub(crate) fn clear_input(&mut self) {
        self.engine.set_input(Value::new_object());
    }
}

/// Builtins a rule may not call, by name or name prefix. Most are simply not compiled into regorus (see
/// Cargo.toml), but `rand.intn` is registered whenever its `std` feature is on, and a rule must be a pure
/// function of its input: the same snapshot must always give the same findings, and a rule must not reach the
/// network, the environment or the clock.
const IMPURE_BUILTINS: &[&str] = &["rand.", "time.", "uuid.", "http.", "opa.runtime", "net.lookup"];

/// Refuse, at load time and with file and line, any call of an impure builtin, found by walking each module's
/// syntax tree (a text search would be fooled by comments and strings).
fn refuse_impure_builtins(engine: &regorus::Engine) -> Result<(), RuleLoadError> {
    let ast = engine
        .get_ast_as_json()
        .map_err(|e| RuleLoadError::Syntax { file: "(rules)".into(), message: e.to_string() })?;
    let modules: serde_json::Value = serde_json::from_str(&ast)
        .map_err(|e| RuleLoadError::Syntax { file: "(rules)".into(), message: e.to_string() })?;
    for module in modules.as_array().into_iter().flatten() {
        let file = module.pointer("/source/file").and_then(serde_json::Value::as_str).unwrap_or("(rules)");
        let mut calls = Vec::new();
        called_functions(&module["ast"], &mut calls);
        if let Some((name, line)) = calls.into_iter().find(|(name, _)| {
            IMPURE_BUILTINS.iter().any(|p| if p.ends_with('.') { name.starts_with(p) } else { name == p })
        }) {
            return Err(RuleLoadError::ImpureBuiltin { file: file.to_string(), line, builtin: name });
        }
    }
    Ok(())
}

/// Every `Call` in a regorus syntax tree (as JSON), with the dotted name of the function and its line. The
/// walk keeps its own stack: a syntax tree is as deep as the rule file makes it.
fn called_functions(root: &serde_json::Value, out: &mut Vec<(String, u64)>) {
    let mut stack = vec![root];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::Object(map) => {
                if let Some(call) = map.get("Call") {
                    let line = call.pointer("/span/line").and_then(serde_json::Value::as_u64).unwrap_or(0);
                    if let Some(name) = call.get("fcn").and_then(dotted_name) {
                        out.push((name, line));
                    }
                }
                stack.extend(map.values());
            }
            serde_json::Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
}

/// `rand.intn` from `{"RefDot": {"refr": {"Var": {"value": "rand"}}, "field": [span, "intn"]}}`; `None` for a
/// function reference that is not a plain dotted name.
fn dotted_name(fcn: &serde_json::Value) -> Option<String> {
    let mut fields = Vec::new();
    let mut node = fcn;
    loop {
        if let Some(var) = node.get("Var") {
            fields.push(var.get("value")?.as_str()?.to_string());
            fields.reverse();
            return Some(fields.join("."));
        }
        let dot = node.get("RefDot")?;
        fields.push(dot.get("field")?.as_array()?.last()?.as_str()?.to_string());
        node = dot.get("refr")?;
    }
}

/// Evaluate a catalogue selection against facts in one call.
pub fn evaluate(
    catalog: &Catalog,
    rules: &[&RuleFile],
    facts: &Facts,
    input_name: &str,
) -> anyhow::Result<Vec<Finding>> {
    let mut engine = RuleEngine::new(catalog, false)?;
    Ok(engine.evaluate(rules, facts, input_name)?)
}

pub(crate) fn to_findings(rule: &RuleFile, value: Value, input_name: &str) -> Result<Vec<Finding>, EvalError> {
    let bad = |message: String| EvalError::BadFinding {
        id: rule.meta.id.clone(),
        file: rule.source.name.clone(),
        input: input_name.to_string(),
        message,
    };
    let items: Vec<serde_json::Value> = match value {
        Value::Undefined => return Ok(Vec::new()),
        other => match serde_json::to_value(&other).map_err(|e| bad(e.to_string()))? {
            serde_json::Value::Array(items) => items,
            other => return Err(bad(format!("`deny` must be a set of objects, got {other}"))),
        },
    };
    items.into_iter().map(|item| to_finding(rule, item).map_err(bad)).collect()
}

fn to_finding(rule: &RuleFile, item: serde_json::Value) -> Result<Finding, String> {
    let serde_json::Value::Object(mut obj) = item else {
        return Err(format!("expected an object, got {item}"));
    };
    let text = |obj: &serde_json::Map<String, serde_json::Value>, key: &str| -> Result<Option<String>, String> {
        match obj.get(key) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(format!("`{key}` must be a string, got {other}")),
        }
    };
    let message = text(&obj, "msg")?.ok_or("missing `msg`")?;
    let resource = text(&obj, "resource")?.ok_or("missing `resource`")?;
    let registry = text(&obj, "registry")?;
    let client = text(&obj, "client")?;
    let severity = match text(&obj, "severity")? {
        Some(s) => s.parse::<Severity>()?,
        None => rule.meta.severity,
    };
    let mut vars = BTreeMap::new();
    add_id_vars(&mut vars, "resource", &resource);
    if let Some(r) = &registry {
        add_id_vars(&mut vars, "registry", r);
    }
    if let Some(c) = &client {
        add_id_vars(&mut vars, "client", c);
    }
    if let Some(serde_json::Value::Object(params)) = obj.get("params") {
        for (k, v) in params {
            let v = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            vars.insert(k.clone(), v);
        }
    }
    // `client_kind` picks the commands for that kind of client; a rule may refine it after a colon
    // (`containerapp:system`), falling back to the kind itself, then to the default commands.
    let by_kind = &rule.meta.remediation_by_kind;
    let templates = match text(&obj, "client_kind")? {
        Some(kind) => by_kind
            .get(&kind)
            .or_else(|| kind.split_once(':').and_then(|(base, _)| by_kind.get(base)))
            .unwrap_or(&rule.meta.remediation),
        None => &rule.meta.remediation,
    };
    let remediation = templates.iter().map(|t| fill(t, &vars)).collect();
    Ok(Finding {
        fingerprint: super::finding::fingerprint(&rule.meta.id, &resource, registry.as_deref(), client.as_deref()),
        note: None,
        rule: rule.meta.id.clone(),
        severity,
        title: rule.meta.title.clone(),
        resource,
        registry,
        client,
        message,
        remediation,
        evidence: obj.remove("evidence").unwrap_or(serde_json::Value::Null),
    })
}

/// `{prefix}_id`, `{prefix}_name`, `{prefix}_resource_group`, `{prefix}_subscription` from an ARM id.
fn add_id_vars(vars: &mut BTreeMap<String, String>, prefix: &str, id: &str) {
    let parts = parse_resource_id(id);
    vars.insert(format!("{prefix}_id"), id.to_string());
    if let Some(n) = parts.name {
        vars.insert(format!("{prefix}_name"), n);
    }
    if let Some(g) = parts.resource_group {
        vars.insert(format!("{prefix}_resource_group"), g);
    }
    if let Some(s) = parts.subscription {
        vars.insert(format!("{prefix}_subscription"), s);
    }
}

/// Replace `{name}` with its value; unknown placeholders stay visible so a reader sees what to fill.
fn fill(template: &str, vars: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) if vars.contains_key(&after[..end]) => {
                // Values come from the snapshot and the command is copied into a shell: quote each one.
                out.push_str(&super::shell::shell_word(&vars[&after[..end]]));
                rest = &after[end + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::catalog::RuleSource;

    fn load(text: &str) -> Result<RuleEngine, RuleLoadError> {
        let source = RuleSource { name: "custom.rego".into(), text: text.into(), builtin: false };
        RuleEngine::new(&Catalog::from_sources(vec![source])?, false)
    }

    #[test]
    fn impure_builtins_are_refused_at_load_with_file_and_line() {
        let meta =
            "# METADATA\n# title: T\n# custom:\n#   id: ORG-X-001\n#   severity: low\npackage org.x\nimport rego.v1\n";
        let rand = format!(
            "{meta}deny contains {{\"msg\": \"m\", \"resource\": \"r\"}} if {{\n  rand.intn(\"seed\", 2) == 1\n}}\n"
        );
        let err = load(&rand).err().expect("rand.intn is refused");
        assert!(
            matches!(&err, RuleLoadError::ImpureBuiltin { builtin, line: 9, .. } if builtin == "rand.intn"),
            "{err}"
        );
        // The name in a comment or a string is not a call.
        let quoted = format!("{meta}# rand.intn(\"x\", 1)\ndeny contains {{\"msg\": \"rand.intn(1)\", \"resource\": \"r\"}} if {{ false }}\n");
        assert!(load(&quoted).is_ok());
    }

    #[test]
    fn fill_replaces_known_and_keeps_unknown_placeholders() {
        let mut vars = BTreeMap::new();
        add_id_vars(
            &mut vars,
            "registry",
            "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/contoso",
        );
        assert_eq!(
            fill("az acr update -n {registry_name} -g {registry_resource_group} --x {other}", &vars),
            "az acr update -n contoso -g rg --x {other}"
        );
    }

    #[test]
    fn client_kind_picks_the_kind_commands_with_fallback_to_the_kind_then_the_default() {
        let text = "# METADATA\n# title: T\n# custom:\n#   id: ORG-X-001\n#   severity: low\n#   remediation:\n#     - default {resource_name}\n#   remediation_by_kind:\n#     webapp:\n#       - az webapp fix {resource_name}\n#     webapp:system:\n#       - az webapp identity assign\npackage org.x\nimport rego.v1\n";
        let source = RuleSource { name: "custom.rego".into(), text: text.into(), builtin: false };
        let catalog = Catalog::from_sources(vec![source]).expect("loads");
        let rule = &catalog.rules[0];
        let finding = |kind: Option<&str>| {
            let mut item = serde_json::json!({"msg": "m", "resource": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/shop"});
            if let Some(k) = kind {
                item["client_kind"] = k.into();
            }
            to_finding(rule, item).expect("a finding").remediation
        };
        assert_eq!(finding(Some("webapp")), vec!["az webapp fix shop"]);
        assert_eq!(finding(Some("webapp:system")), vec!["az webapp identity assign"]);
        assert_eq!(finding(Some("webapp:user_assigned")), vec!["az webapp fix shop"]);
        assert_eq!(finding(Some("aks")), vec!["default shop"]);
        assert_eq!(finding(None), vec!["default shop"]);
    }
}
