//! Raw command-line flags (clap derive). Nothing outside `cli` sees these types.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Explains why a client cannot push to or pull from an Azure Container Registry.
#[derive(Debug, Parser)]
#[command(name = "acr-audit", version, about, long_about = None, propagate_version = true)]
pub(crate) struct Cli {
    /// Never colour output (the NO_COLOR environment variable does the same).
    #[arg(long, global = true)]
    pub(crate) no_color: bool,
    /// The command.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Evaluate the rules against a snapshot file (offline; no Azure access).
    Eval(EvalArgs),
    /// Collect a snapshot from Azure, then evaluate it.
    Scan(ScanArgs),
    /// Collect a snapshot from Azure Resource Manager and write it to a file.
    Collect(CollectArgs),
    /// Show the path from a client to a registry, hop by hop.
    Trace(TraceArgs),
    /// List, show and test rules.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Find the rules that explain an error message.
    Explain(ExplainArgs),
    /// Accept the current findings: write a baseline that later runs hide.
    #[command(subcommand)]
    Baseline(BaselineCommand),
    /// Compare two snapshots: configuration changes that matter, findings that appeared or were resolved.
    Diff(DiffArgs),
}

/// `baseline ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum BaselineCommand {
    /// Write a baseline from a snapshot (evaluated now) or from a JSON report.
    Create {
        /// Evaluate this snapshot.
        #[arg(long, value_name = "FILE", conflicts_with = "report", required_unless_present = "report")]
        snapshot: Option<PathBuf>,
        /// Take the findings of this `--format json` report.
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        /// Where to write the baseline.
        #[arg(short, long, value_name = "FILE", default_value = ".acr-audit-baseline.json")]
        output: PathBuf,
        #[command(flatten)]
        rules: RuleSelectionArgs,
    },
}

/// `diff`.
#[derive(Debug, Args)]
pub(crate) struct DiffArgs {
    /// The earlier snapshot.
    pub(crate) old: PathBuf,
    /// The later snapshot.
    pub(crate) new: PathBuf,
    #[command(flatten)]
    pub(crate) rules: RuleSelectionArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormatArg::Table)]
    pub(crate) format: DiffFormatArg,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Exit 1 when a finding that appeared is at or above this severity.
    #[arg(long, value_enum, default_value_t = FailOnArg::High)]
    pub(crate) fail_on: FailOnArg,
}

/// Flags that select rules.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct RuleSelectionArgs {
    /// Add the rules (and tests) in this directory; repeatable.
    #[arg(long = "rules", value_name = "DIR")]
    pub(crate) rules: Vec<PathBuf>,
    /// Do not load the built-in rules.
    #[arg(long)]
    pub(crate) no_builtin_rules: bool,
    /// Evaluate only this rule id; repeatable.
    #[arg(long, value_name = "RULE_ID")]
    pub(crate) only: Vec<String>,
    /// Skip this rule id; repeatable.
    #[arg(long, value_name = "RULE_ID")]
    pub(crate) skip: Vec<String>,
}

/// Flags that shape a report.
#[derive(Debug, Args, Clone)]
pub(crate) struct ReportArgs {
    /// Output format (default table). Repeat it, each followed by its own `-o`, to write several at once:
    /// `--format json -o report.json --format sarif -o report.sarif`.
    #[arg(long, value_enum)]
    pub(crate) format: Vec<FormatArg>,
    /// Write the report of the matching `--format` to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: Vec<PathBuf>,
    /// Exit 1 when a finding is at or above this severity (`none`: never).
    #[arg(long, value_enum, default_value_t = FailOnArg::High)]
    pub(crate) fail_on: FailOnArg,
    /// Hide findings whose fingerprint this baseline holds (`acr-audit baseline create`).
    #[arg(long, value_name = "FILE")]
    pub(crate) baseline: Option<PathBuf>,
    /// Hide findings matched by this suppressions file (rule/resource patterns with reason and expiry).
    #[arg(long, value_name = "FILE")]
    pub(crate) suppressions: Option<PathBuf>,
    /// Where each `--format` and `--output` stood on the command line. Clap's derive keeps the two lists apart,
    /// so the positions are recorded from its matches ([`record_positions`]) for `-o` to pair with the
    /// `--format` it follows.
    #[arg(skip)]
    pub(crate) positions: FlagPositions,
}

/// Command-line indices of the occurrences of `--format` and `--output`, in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FlagPositions {
    /// One index per `--format`.
    pub(crate) formats: Vec<usize>,
    /// One index per `--output`.
    pub(crate) outputs: Vec<usize>,
}

/// Fill [`ReportArgs::positions`] of `eval` and `scan` from the matches `cli` was built from.
pub(crate) fn record_positions(cli: &mut Cli, matches: &clap::ArgMatches) {
    let report = match &mut cli.command {
        Command::Eval(args) => &mut args.report,
        Command::Scan(args) => &mut args.report,
        _ => return,
    };
    let Some((_, sub)) = matches.subcommand() else { return };
    let indices = |id: &str| sub.indices_of(id).map(|i| i.collect()).unwrap_or_default();
    report.positions = FlagPositions { formats: indices("format"), outputs: indices("output") };
}

/// Narrow the client × registry pairs analysed.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct PairArgs {
    /// Analyse only this registry (name or resource id); repeatable.
    #[arg(long, value_name = "NAME")]
    pub(crate) registry: Vec<String>,
    /// Analyse only this client (cluster, NIC, VM or subnet: name or resource id); repeatable.
    #[arg(long, value_name = "NAME")]
    pub(crate) client: Vec<String>,
    /// Analyse the client × registry pairs listed in this YAML file (`pairs: [{client, registry}]`).
    #[arg(long, value_name = "FILE")]
    pub(crate) pairs: Option<PathBuf>,
}

/// `eval`.
#[derive(Debug, Args)]
pub(crate) struct EvalArgs {
    /// Snapshot file written by `acr-audit collect` (or assembled from ARM/az output).
    pub(crate) snapshot: PathBuf,
    #[command(flatten)]
    pub(crate) rules: RuleSelectionArgs,
    #[command(flatten)]
    pub(crate) report: ReportArgs,
    #[command(flatten)]
    pub(crate) pairs: PairArgs,
    /// Report only findings whose resource, client or registry lies in this subscription; repeatable.
    #[arg(long, value_name = "ID")]
    pub(crate) subscription: Vec<String>,
}

/// What to read from Azure.
#[derive(Debug, Args, Clone)]
pub(crate) struct CollectScopeArgs {
    /// Subscription id to read; repeatable.
    #[arg(long, value_name = "ID")]
    pub(crate) subscription: Vec<String>,
    /// Read every enabled subscription the identity can see.
    #[arg(long)]
    pub(crate) all_subscriptions: bool,
    /// Read every enabled subscription under this management group (nested groups included); repeatable. In
    /// union with --subscription and --all-subscriptions.
    #[arg(long, value_name = "ID")]
    pub(crate) management_group: Vec<String>,
    /// Azure cloud.
    #[arg(long, default_value = "AzureCloud", value_name = "CLOUD")]
    pub(crate) cloud: String,
    /// Override the ARM endpoint (the token audience stays the cloud's).
    #[arg(long, env = "ACR_AUDIT_ARM_ENDPOINT", value_name = "URL")]
    pub(crate) arm_endpoint: Option<String>,
    /// Force one credential: env, managed-identity or cli.
    #[arg(long, value_name = "METHOD")]
    pub(crate) auth: Option<String>,
    /// Concurrent ARM requests.
    #[arg(long, default_value_t = 8)]
    pub(crate) concurrency: usize,
    /// Log every ARM request (method, path, status, x-ms-request-id, duration) to stderr. Never a token.
    #[arg(short, long)]
    pub(crate) verbose: bool,
    /// The most pages one list may have; a list whose nextLinks go on longer is recorded as an error.
    #[arg(long, default_value_t = acr_audit_collect::DEFAULT_MAX_PAGES, value_name = "N",
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub(crate) max_pages: usize,
    /// Who reads the subscription-scope lists: `arm` (one ARM list per type per subscription),
    /// `resource-graph` (Azure Resource Graph queries, 300 subscriptions each) or `auto` (Resource Graph above
    /// 3 subscriptions). Children, role assignments and the rest are read through ARM either way.
    #[arg(long, value_enum, default_value_t = SourceArg::Auto, value_name = "SOURCE")]
    pub(crate) source: SourceArg,
    /// Largest token response accepted, in bytes. Hidden: for tests of the bound, not a setting to tune.
    #[arg(long, hide = true, env = "ACR_AUDIT_MAX_TOKEN_BYTES", default_value_t = acr_audit_collect::DEFAULT_MAX_TOKEN_BYTES)]
    pub(crate) max_token_bytes: u64,
    /// Largest ARM response accepted, in bytes. Hidden: for tests of the bound, not a setting to tune.
    #[arg(long, hide = true, env = "ACR_AUDIT_MAX_PAGE_BYTES", default_value_t = acr_audit_collect::DEFAULT_MAX_PAGE_BYTES)]
    pub(crate) max_page_bytes: u64,
}

/// `scan`.
#[derive(Debug, Args)]
pub(crate) struct ScanArgs {
    #[command(flatten)]
    pub(crate) scope: CollectScopeArgs,
    #[command(flatten)]
    pub(crate) rules: RuleSelectionArgs,
    #[command(flatten)]
    pub(crate) report: ReportArgs,
    #[command(flatten)]
    pub(crate) pairs: PairArgs,
    /// Also write the collected snapshot here.
    #[arg(long, value_name = "FILE")]
    pub(crate) save_snapshot: Option<PathBuf>,
}

/// `collect`.
#[derive(Debug, Args)]
pub(crate) struct CollectArgs {
    #[command(flatten)]
    pub(crate) scope: CollectScopeArgs,
    /// Registry name to narrow collection; repeatable.
    #[arg(long, value_name = "NAME")]
    pub(crate) registry: Vec<String>,
    /// Where to write the snapshot.
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: PathBuf,
}

/// `trace`.
#[derive(Debug, Args)]
pub(crate) struct TraceArgs {
    /// Snapshot file.
    pub(crate) snapshot: PathBuf,
    /// Client (cluster name or resource id).
    #[arg(long)]
    pub(crate) client: String,
    /// Registry (name or resource id).
    #[arg(long)]
    pub(crate) registry: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TraceFormatArg::Text)]
    pub(crate) format: TraceFormatArg,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

/// `trace --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TraceFormatArg {
    /// Hop by hop, for people.
    Text,
    /// The pair and path facts as JSON.
    Json,
    /// A mermaid flowchart (renders in GitHub Markdown).
    Mermaid,
}

/// `rules ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum RulesCommand {
    /// List the rules: id, severity, title.
    List {
        #[command(flatten)]
        rules: RuleSelectionArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormatArg::Table)]
        format: ListFormatArg,
    },
    /// Show everything about one rule.
    Show {
        /// Rule id, e.g. ACR-NET-006.
        id: String,
        #[command(flatten)]
        rules: RuleSelectionArgs,
    },
    /// Print the rule reference (Markdown) generated from the metadata: `rules doc > docs/rules.md`.
    Doc {
        #[command(flatten)]
        rules: RuleSelectionArgs,
    },
    /// Run the Rego unit tests (`test_*` rules) of the built-in rules and of DIR.
    Test {
        /// Extra rule directories whose tests to run.
        dirs: Vec<PathBuf>,
        /// Do not load the built-in rules and tests.
        #[arg(long)]
        no_builtin_rules: bool,
    },
}

/// `explain`.
#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// The error text, as pasted from the client.
    pub(crate) text: String,
    /// Also say which of the matching rules fire on this snapshot.
    #[arg(long, value_name = "FILE")]
    pub(crate) snapshot: Option<PathBuf>,
    /// Add the rules in this directory; repeatable.
    #[arg(long = "rules", value_name = "DIR")]
    pub(crate) rules: Vec<PathBuf>,
    /// How many rules to show at most.
    #[arg(long, default_value_t = 5)]
    pub(crate) top: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormatArg::Table)]
    pub(crate) format: ListFormatArg,
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FormatArg {
    /// Table for people.
    Table,
    /// JSON (acr-audit/report/v1).
    Json,
    /// SARIF 2.1.0 for GitHub code scanning.
    Sarif,
    /// JUnit XML for Azure Pipelines and GitLab.
    Junit,
    /// Markdown for step summaries and PR comments.
    Markdown,
}

/// Formats of listings (`rules list`, `explain`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ListFormatArg {
    /// For people.
    Table,
    /// JSON.
    Json,
}

/// Formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiffFormatArg {
    /// For people.
    Table,
    /// JSON.
    Json,
    /// Markdown (step summaries, PR comments).
    Markdown,
}

/// `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOnArg {
    /// Fail on critical findings.
    Critical,
    /// Fail on high or critical.
    High,
    /// Fail on medium and above.
    Medium,
    /// Fail on low and above.
    Low,
    /// Fail on any finding.
    Info,
    /// Never fail on findings.
    None,
}

/// `--source`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SourceArg {
    Arm,
    ResourceGraph,
    Auto,
}
