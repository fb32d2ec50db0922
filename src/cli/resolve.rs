//! Flags -> settings: the one place that turns clap values into library values (ripgrep's `LowArgs` ->
//! `HiArgs`). Commands receive what this module returns and never look at a raw flag type again.
//!
//! It owns flag-level validation (each `--format` paired with its `--output`) and the decisions that need the
//! process environment (colour, the progress bar), delegated to `output`. It does not load rules or snapshots:
//! the only files read here are the ones a flag names as settings (`--pairs`).

use super::args::{
    CollectScopeArgs, FailOnArg, FormatArg, PairArgs, ReportArgs, RuleSelectionArgs, SourceArg, TraceArgs,
};
use super::output::{refuse_shared_outputs, stdout_color};
use acr_audit::analysis::Selection;
use acr_audit::report::Format;
use acr_audit::rules::sandbox::{RuleIsolation, DEFAULT_RULE_MEMORY_BYTES, DEFAULT_RULE_TIMEOUT};
use acr_audit::rules::Severity;
use acr_audit::settings::{pairs::read_pairs, Output, ReportSettings, RuleSettings, Settings};
use acr_audit_collect::{AuthMethod, Cloud, CollectConfig, Source};
use std::time::Duration;

/// The settings of `eval` and `scan`: rules, pairs, outputs, triage, threshold and colour.
pub(crate) fn eval_settings(
    rules: &RuleSelectionArgs,
    report: &ReportArgs,
    pairs: &PairArgs,
    no_color: bool,
) -> anyhow::Result<Settings> {
    let report = report_settings(report, no_color)?;
    Ok(Settings { rules: rule_settings(rules), selection: selection(pairs)?, report, subscriptions: Vec::new() })
}

/// The rule selection flags shared by every command that loads rules.
pub(crate) fn rule_settings(args: &RuleSelectionArgs) -> RuleSettings {
    RuleSettings {
        builtin: !args.no_builtin_rules,
        dirs: args.rules.clone(),
        only: args.only.clone(),
        skip: args.skip.clone(),
        isolation: rule_isolation(),
    }
}

/// Custom rules run in a child copy of this binary, bounded by `ACR_AUDIT_RULE_TIMEOUT` (seconds, default 30)
/// and `ACR_AUDIT_RULE_MEMORY_MB` (default 4096); see docs/security.md. `None` only when the binary cannot
/// name itself, and then custom rules run in-process as before.
fn rule_isolation() -> Option<RuleIsolation> {
    let number = |var: &str| std::env::var(var).ok().and_then(|v| v.trim().parse::<u64>().ok()).filter(|n| *n > 0);
    Some(RuleIsolation {
        program: std::env::current_exe().ok()?,
        timeout: number("ACR_AUDIT_RULE_TIMEOUT").map(Duration::from_secs).unwrap_or(DEFAULT_RULE_TIMEOUT),
        memory_bytes: number("ACR_AUDIT_RULE_MEMORY_MB").map(|mb| mb << 20).unwrap_or(DEFAULT_RULE_MEMORY_BYTES),
    })
}

/// Rules from the built-in catalogue (unless `no_builtin_rules`) and `dirs`, all of them: `rules test`, `explain`.
pub(crate) fn catalogue_settings(dirs: &[std::path::PathBuf], no_builtin_rules: bool) -> RuleSettings {
    RuleSettings {
        builtin: !no_builtin_rules,
        dirs: dirs.to_vec(),
        isolation: rule_isolation(),
        ..RuleSettings::default()
    }
}

/// `--fail-on` as a severity threshold (`none`: no threshold).
pub(crate) fn fail_on(f: FailOnArg) -> Option<Severity> {
    match f {
        FailOnArg::Critical => Some(Severity::Critical),
        FailOnArg::High => Some(Severity::High),
        FailOnArg::Medium => Some(Severity::Medium),
        FailOnArg::Low => Some(Severity::Low),
        FailOnArg::Info => Some(Severity::Info),
        FailOnArg::None => None,
    }
}

/// The one pair `trace` follows.
pub(crate) fn trace_selection(args: &TraceArgs) -> Selection {
    Selection { pairs: vec![(args.client.clone(), args.registry.clone())], ..Selection::default() }
}

/// What `collect` and `scan` read from Azure; `registries` narrows collection.
pub(crate) fn collect_config(scope: &CollectScopeArgs, registries: &[String]) -> anyhow::Result<CollectConfig> {
    let cloud = Cloud::parse(&scope.cloud).ok_or_else(|| {
        anyhow::anyhow!(
            "unknown cloud `{}`\n  fix: --cloud AzureCloud, AzureChinaCloud or AzureUSGovernment",
            scope.cloud
        )
    })?;
    let auth = match scope.auth.as_deref() {
        None => None,
        Some(a) => Some(
            AuthMethod::parse(a)
                .ok_or_else(|| anyhow::anyhow!("unknown --auth `{a}`\n  fix: --auth env, managed-identity or cli"))?,
        ),
    };
    Ok(CollectConfig {
        subscriptions: scope.subscription.clone(),
        all_subscriptions: scope.all_subscriptions,
        management_groups: scope.management_group.clone(),
        registries: registries.to_vec(),
        cloud,
        arm_endpoint: scope.arm_endpoint.clone(),
        auth,
        concurrency: scope.concurrency.max(1),
        verbose: scope.verbose,
        max_pages: scope.max_pages,
        max_token_bytes: scope.max_token_bytes,
        max_page_bytes: scope.max_page_bytes,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        source: match scope.source {
            SourceArg::Arm => Source::Arm,
            SourceArg::ResourceGraph => Source::ResourceGraph,
            SourceArg::Auto => Source::Auto,
        },
        ..CollectConfig::default()
    })
}

/// Outputs, triage files, threshold and colour of a report.
fn report_settings(args: &ReportArgs, no_color: bool) -> anyhow::Result<ReportSettings> {
    Ok(ReportSettings {
        outputs: outputs(args)?,
        fail_on: fail_on(args.fail_on),
        baseline: args.baseline.clone(),
        suppressions: args.suppressions.clone(),
        color: stdout_color(no_color),
    })
}

/// Pair each `--format` with the `-o` that follows it on the command line (`docs/ci.md`): `--format table
/// --format json -o A --format sarif -o B` writes JSON to A, SARIF to B and the table to standard output. An `-o`
/// before every `--format` belongs to the first one (`-o r.json --format json`); without `--format` it is the
/// table's. A format with two outputs, several formats on standard output, or two formats to the same file are
/// usage errors.
fn outputs(args: &ReportArgs) -> anyhow::Result<Vec<Output>> {
    let formats: Vec<Format> =
        if args.format.is_empty() { vec![Format::Table] } else { args.format.iter().map(|f| format(*f)).collect() };
    let owners = output_owners(args, formats.len())?;
    let mut plan: Vec<Output> = formats.into_iter().map(|format| Output { format, path: None }).collect();
    for (path, owner) in args.output.iter().zip(owners) {
        let slot = &mut plan[owner].path;
        if let Some(first) = slot {
            anyhow::bail!(
                "two --output ({} and {}) follow one --format\n  fix: give each --format its own --output, right \
                 after it",
                first.display(),
                path.display()
            );
        }
        *slot = Some(path.clone());
    }
    if plan.iter().filter(|o| o.path.is_none()).count() > 1 {
        anyhow::bail!("several formats would all go to standard output\n  fix: follow each --format with its own --output FILE (one may go to standard output)");
    }
    let files: Vec<&std::path::Path> = plan.iter().filter_map(|o| o.path.as_deref()).collect();
    refuse_shared_outputs(&files)?;
    Ok(plan)
}

/// For each `--output`, in order, the index of the `--format` it belongs to: the last one before it on the
/// command line (the first format when none precedes it). Without recorded positions (settings built in a
/// test), the n-th output pairs with the n-th format.
fn output_owners(args: &ReportArgs, format_count: usize) -> anyhow::Result<Vec<usize>> {
    let p = &args.positions;
    let recorded = p.formats.len() == args.format.len() && p.outputs.len() == args.output.len();
    if args.format.is_empty() || !recorded {
        if args.output.len() > format_count {
            anyhow::bail!(
                "{} --output given for {} --format\n  fix: give each --format its own --output, right after it",
                args.output.len(),
                format_count
            );
        }
        return Ok((0..args.output.len()).collect());
    }
    Ok(p.outputs.iter().map(|&at| p.formats.iter().rposition(|&f| f < at).unwrap_or(0)).collect())
}

fn format(f: FormatArg) -> Format {
    match f {
        FormatArg::Table => Format::Table,
        FormatArg::Json => Format::Json,
        FormatArg::Sarif => Format::Sarif,
        FormatArg::Junit => Format::Junit,
        FormatArg::Markdown => Format::Markdown,
    }
}

/// `--registry`, `--client` and `--pairs FILE` as one selection.
fn selection(args: &PairArgs) -> anyhow::Result<Selection> {
    let pairs = match &args.pairs {
        None => Vec::new(),
        Some(path) => read_pairs(path)?,
    };
    Ok(Selection {
        registries: args.registry.clone(),
        clients: args.client.clone(),
        pairs,
        pairs_file: args.pairs.clone(),
    })
}
