//! `acr-audit eval SNAPSHOT`.

use super::super::args::EvalArgs;
use super::super::output::{use_color, with_output};
use super::super::Outcome;
use super::{format_of, load_catalog, threshold_of};
use crate::analysis::Selection;
use crate::pipeline::evaluate_file;
use crate::report::reporter;

pub(super) fn run(args: EvalArgs, no_color: bool) -> anyhow::Result<Outcome> {
    let catalog = load_catalog(&args.rules)?;
    let selection = Selection { registries: args.pairs.registry.clone(), clients: args.pairs.client.clone() };
    let evaluation = evaluate_file(&args.snapshot, &catalog, &args.rules.only, &args.rules.skip, &selection)?;
    let report = &evaluation.report;
    let color = use_color(no_color, args.report.output.is_some());
    let r = reporter(format_of(args.report.format), color);
    with_output(args.report.output.as_deref(), |w| r.render(report, w))?;
    let failed =
        threshold_of(args.report.fail_on).map(|t| report.findings.iter().any(|f| f.severity >= t)).unwrap_or(false);
    Ok(if failed { Outcome::Failed } else { Outcome::Clean })
}
