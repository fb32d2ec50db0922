//! `acr-audit trace SNAPSHOT --client NAME --registry NAME`.

use super::super::args::{TraceArgs, TraceFormatArg};
use super::super::output::with_output;
use super::super::Outcome;
use acr_audit::analysis::{analyse, PublicPullVerdict, PullGrant, Reachable, Selection};
use acr_audit::model::Model;
use acr_audit::report::escape::terminal;
use acr_audit::report::trace::{render_mermaid, render_text};
use acr_audit::snapshot::load_snapshot;

/// Follow the one pair `selection` names (resolved from `--client` and `--registry`) through `args.snapshot`.
pub(super) fn run(args: &TraceArgs, selection: &Selection) -> anyhow::Result<Outcome> {
    let model = Model::from_snapshot(load_snapshot(&args.snapshot)?);
    let facts = analyse(&model, selection);
    let Some(pair) = facts.pairs.first() else {
        // Names from the snapshot, quoted in an error: escaped, line breaks included.
        let clients: Vec<_> = facts.clients.iter().map(|c| terminal(&c.name)).collect();
        let registries: Vec<_> = facts.registries.iter().map(|r| terminal(&r.name)).collect();
        anyhow::bail!(
            "{}: no client `{}` with registry `{}` in the snapshot\n  fix: clients here: {}; registries here: {}",
            args.snapshot.display(),
            terminal(&args.client),
            terminal(&args.registry),
            if clients.is_empty() { "none".into() } else { clients.join(", ") },
            if registries.is_empty() { "none".into() } else { registries.join(", ") },
        );
    };
    let paths: Vec<_> =
        facts.paths.iter().filter(|p| p.client == pair.client && p.registry == pair.registry).cloned().collect();
    with_output(args.output.as_deref(), |w| match args.format {
        TraceFormatArg::Text => render_text(pair, facts.clients.iter().find(|c| c.id == pair.client), &paths, w),
        TraceFormatArg::Mermaid => render_mermaid(pair, &paths, w),
        TraceFormatArg::Json => {
            serde_json::to_writer_pretty(&mut *w, &serde_json::json!({"pair": pair, "paths": paths}))?;
            writeln!(w)
        }
    })?;
    let blocked = paths.iter().any(|p| p.reachable != Reachable::Yes)
        || pair.rbac.grants_pull == PullGrant::No
        || pair.public_pull.as_ref().map(|p| p.verdict != PublicPullVerdict::Allowed).unwrap_or(false);
    Ok(if blocked { Outcome::Failed } else { Outcome::Clean })
}
