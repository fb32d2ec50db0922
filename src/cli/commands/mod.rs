//! One function per subcommand. The dispatcher resolves each command's flags into library values (through
//! `resolve`) and hands the command its [`Settings`](acr_audit::settings::Settings) and the few values only that
//! command has (its input paths and its own output format).

mod baseline;
mod collect;
mod diff;
mod eval;
mod explain;
mod rules;
mod trace;

use super::args::{BaselineCommand, Cli, Command};
use super::resolve;
use super::Outcome;
use acr_audit::settings::{ReportSettings, Settings};

pub(crate) fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let no_color = cli.no_color;
    match cli.command {
        Command::Eval(args) => {
            let settings = resolve::eval_settings(&args.rules, &args.report, &args.pairs, no_color)?;
            eval::run(&args.snapshot, &settings)
        }
        Command::Scan(args) => {
            let settings = resolve::eval_settings(&args.rules, &args.report, &args.pairs, no_color)?;
            let config = resolve::collect_config(&args.scope, &args.pairs.registry)?;
            collect::scan(&config, args.save_snapshot.as_deref(), &settings)
        }
        Command::Collect(args) => {
            let config = resolve::collect_config(&args.scope, &args.registry)?;
            collect::collect(&config, &args.output)
        }
        Command::Trace(args) => trace::run(&args, &resolve::trace_selection(&args)),
        Command::Rules(cmd) => rules::run(cmd),
        Command::Explain(args) => {
            let rules = resolve::catalogue_settings(&args.rules, false);
            explain::run(&args, rules)
        }
        Command::Baseline(BaselineCommand::Create { snapshot, report, output, rules }) => {
            let settings = Settings::for_rules(resolve::rule_settings(&rules));
            baseline::create(snapshot.as_deref(), report.as_deref(), &output, &settings)
        }
        Command::Diff(args) => {
            let settings = Settings {
                report: ReportSettings { fail_on: resolve::fail_on(args.fail_on), ..ReportSettings::default() },
                ..Settings::for_rules(resolve::rule_settings(&args.rules))
            };
            diff::run(&args, &settings)
        }
    }
}
