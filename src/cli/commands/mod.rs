//! One function per subcommand; each resolves its flags into library types and calls the library.

mod baseline;
mod collect;
mod diff;
mod eval;
mod explain;
mod rules;
mod trace;

use super::args::{Cli, Command, FailOnArg, FormatArg, RuleSelectionArgs};
use super::Outcome;
use acr_audit::report::Format;
use acr_audit::rules::{Catalog, Severity};

pub(crate) fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let no_color = cli.no_color;
    match cli.command {
        Command::Eval(args) => eval::run(args, no_color),
        Command::Rules(cmd) => rules::run(cmd, no_color),
        Command::Scan(args) => collect::scan(args, no_color),
        Command::Collect(args) => collect::collect(args),
        Command::Trace(args) => trace::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Baseline(cmd) => baseline::run(cmd),
        Command::Diff(args) => diff::run(args, no_color),
    }
}

pub(super) fn format_of(f: FormatArg) -> Format {
    match f {
        FormatArg::Table => Format::Table,
        FormatArg::Json => Format::Json,
        FormatArg::Sarif => Format::Sarif,
        FormatArg::Junit => Format::Junit,
        FormatArg::Markdown => Format::Markdown,
    }
}

pub(super) fn threshold_of(f: FailOnArg) -> Option<Severity> {
    match f {
        FailOnArg::Critical => Some(Severity::Critical),
        FailOnArg::High => Some(Severity::High),
        FailOnArg::Medium => Some(Severity::Medium),
        FailOnArg::Low => Some(Severity::Low),
        FailOnArg::Info => Some(Severity::Info),
        FailOnArg::None => None,
    }
}

pub(super) fn load_catalog(args: &RuleSelectionArgs) -> anyhow::Result<Catalog> {
    Ok(Catalog::load(!args.no_builtin_rules, &args.rules)?)
}

/// The pair selection of `--registry`, `--client` and `--pairs FILE`.
pub(super) fn selection_of(args: &super::args::PairArgs) -> anyhow::Result<acr_audit::analysis::Selection> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct PairsFile {
        pairs: Vec<PairEntry>,
    }
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct PairEntry {
        client: String,
        registry: String,
    }
    let pairs = match &args.pairs {
        None => Vec::new(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("{}: cannot read the pairs file: {e}", path.display()))?;
            let file: PairsFile = yaml_serde::from_str(&text).map_err(|e| {
                anyhow::anyhow!(
                    "{}: {e}\n  fix: the file is `pairs:` followed by entries with `client:` and `registry:` (names or resource ids)",
                    path.display()
                )
            })?;
            file.pairs.into_iter().map(|p| (p.client, p.registry)).collect()
        }
    };
    Ok(acr_audit::analysis::Selection { registries: args.registry.clone(), clients: args.client.clone(), pairs })
}
