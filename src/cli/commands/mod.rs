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

use super::args::{BaselineCommand, Cli, Command, PairArgs, ReportArgs};
use super::output::{refuse_overwriting_inputs, refuse_shared_outputs};
use super::resolve;
use super::Outcome;
use acr_audit::settings::{ReportSettings, Settings};
use std::path::Path;

pub(crate) fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let no_color = cli.no_color;
    match cli.command {
        Command::Eval(args) => {
            let mut settings = resolve::eval_settings(&args.rules, &args.report, &args.pairs, no_color)?;
            settings.subscriptions = args.subscription.clone();
            let mut inputs = report_inputs(&args.report, &args.pairs);
            inputs.push(&args.snapshot);
            refuse_overwriting_inputs(args.report.output.iter().map(|p| p.as_path()), &inputs)?;
            eval::run(&args.snapshot, &settings)
        }
        Command::Scan(args) => {
            let settings = resolve::eval_settings(&args.rules, &args.report, &args.pairs, no_color)?;
            let outputs: Vec<&Path> =
                args.report.output.iter().map(|p| p.as_path()).chain(args.save_snapshot.as_deref()).collect();
            refuse_shared_outputs(&outputs)?;
            refuse_overwriting_inputs(outputs, &report_inputs(&args.report, &args.pairs))?;
            let config = resolve::collect_config(&args.scope, &args.pairs.registry)?;
            collect::scan(&config, args.save_snapshot.as_deref(), &settings)
        }
        Command::Collect(args) => {
            let config = resolve::collect_config(&args.scope, &args.registry)?;
            collect::collect(&config, &args.output)
        }
        Command::Trace(args) => {
            refuse_overwriting_inputs(args.output.as_deref(), &[&args.snapshot])?;
            trace::run(&args, &resolve::trace_selection(&args))
        }
        Command::Rules(cmd) => rules::run(cmd),
        Command::Explain(args) => {
            let rules = resolve::catalogue_settings(&args.rules, false);
            explain::run(&args, rules)
        }
        Command::Baseline(BaselineCommand::Create { snapshot, report, output, rules }) => {
            let inputs: Vec<&Path> = snapshot.as_deref().into_iter().chain(report.as_deref()).collect();
            refuse_overwriting_inputs([output.as_path()], &inputs)?;
            let settings = Settings::for_rules(resolve::rule_settings(&rules));
            baseline::create(snapshot.as_deref(), report.as_deref(), &output, &settings)
        }
        Command::Diff(args) => {
            refuse_overwriting_inputs(args.output.as_deref(), &[&args.old, &args.new])?;
            let settings = Settings {
                report: ReportSettings { fail_on: resolve::fail_on(args.fail_on), ..ReportSettings::default() },
                ..Settings::for_rules(resolve::rule_settings(&args.rules))
            };
            diff::run(&args, &settings)
        }
    }
}

/// The files a report run reads besides its snapshot: baseline, suppressions and pairs file. No report may be
/// written over them.
fn report_inputs<'a>(report: &'a ReportArgs, pairs: &'a PairArgs) -> Vec<&'a Path> {
    [report.baseline.as_deref(), report.suppressions.as_deref(), pairs.pairs.as_deref()].into_iter().flatten().collect()
}
