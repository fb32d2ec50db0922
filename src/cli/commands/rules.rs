//! `acr-audit rules list | show ID | test [DIR]`.

use super::super::args::{ListFormatArg, RulesCommand};
use super::super::output::with_output;
use super::super::resolve::{catalogue_settings, rule_settings};
use super::super::Outcome;
use acr_audit::rules::{run_tests, Catalog};
use acr_audit::settings::RuleSettings;
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use std::io::Write;

pub(super) fn run(cmd: RulesCommand) -> anyhow::Result<Outcome> {
    match cmd {
        RulesCommand::List { rules, format } => list(&rule_settings(&rules), format),
        RulesCommand::Show { id, rules } => show(&id, &rule_settings(&rules)),
        RulesCommand::Test { dirs, no_builtin_rules } => test(&catalogue_settings(&dirs, no_builtin_rules)),
        RulesCommand::Doc { rules } => {
            let catalog = load_checked(&rule_settings(&rules))?;
            with_output(None, |w| w.write_all(acr_audit::rules::doc::rules_markdown(&catalog).as_bytes()))?;
            Ok(Outcome::Clean)
        }
    }
}

/// `list` and `show` also compile the Rego, so a listed rule is one that will load.
fn load_checked(rules: &RuleSettings) -> anyhow::Result<Catalog> {
    let catalog = rules.load_catalog()?;
    acr_audit::rules::sandbox::check_rules(&catalog, rules.isolation.as_ref())?;
    Ok(catalog)
}

fn list(settings: &RuleSettings, format: ListFormatArg) -> anyhow::Result<Outcome> {
    let catalog = load_checked(settings)?;
    let rules = catalog.select(&settings.only, &settings.skip)?;
    with_output(None, |w| match format {
        ListFormatArg::Json => {
            let metas: Vec<_> = rules.iter().map(|r| &r.meta).collect();
            serde_json::to_writer_pretty(&mut *w, &metas)?;
            writeln!(w)
        }
        ListFormatArg::Table => {
            let mut table = Table::new();
            table.load_style(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
            table.set_header(vec!["Id", "Severity", "Title"]);
            for r in &rules {
                table.add_row(vec![r.meta.id.as_str(), r.meta.severity.as_str(), r.meta.title.as_str()]);
            }
            writeln!(w, "{table}")
        }
    })?;
    Ok(Outcome::Clean)
}

fn show(id: &str, rules: &RuleSettings) -> anyhow::Result<Outcome> {
    let catalog = load_checked(rules)?;
    let Some(rule) = catalog.get(id) else {
        let _ = catalog.select(&[id.to_string()], &[])?;
        anyhow::bail!("unknown rule id `{id}`");
    };
    let m = &rule.meta;
    with_output(None, |w| {
        writeln!(w, "{} · {} · {:?}\n{}\n", m.id, m.severity, m.status, m.title)?;
        if !m.description.is_empty() {
            writeln!(w, "{}\n", m.description)?;
        }
        let section = |w: &mut dyn Write, name: &str, items: &[String]| -> std::io::Result<()> {
            if !items.is_empty() {
                writeln!(w, "{name}:")?;
                for i in items {
                    writeln!(w, "  {i}")?;
                }
                writeln!(w)?;
            }
            Ok(())
        };
        section(w, "Symptoms", &m.symptoms)?;
        section(w, "Remediation", &m.remediation)?;
        section(w, "References", &m.references)?;
        writeln!(w, "Source: {} (package {})", rule.source.name, rule.package)
    })?;
    Ok(Outcome::Clean)
}

fn test(rules: &RuleSettings) -> anyhow::Result<Outcome> {
    let catalog = rules.load_catalog()?;
    let outcomes = match rules.isolation.as_ref().filter(|_| catalog.has_custom_files()) {
        Some(isolation) => acr_audit::rules::sandbox::run_tests_isolated(&catalog, isolation)?,
        None => run_tests(&catalog)?,
    };
    let failed = outcomes.iter().filter(|o| !o.passed).count();
    with_output(None, |w| {
        for o in &outcomes {
            let verdict = if o.passed { "PASS" } else { "FAIL" };
            writeln!(w, "{verdict} {} ({}, {:.1?})", o.name, o.file, o.duration)?;
            if let Some(d) = &o.detail {
                writeln!(w, "     {d}")?;
            }
        }
        writeln!(w, "{} passed, {} failed", outcomes.len() - failed, failed)
    })?;
    if outcomes.is_empty() {
        anyhow::bail!("no Rego tests found: test files end in `_test.rego` and hold `test_*` rules");
    }
    Ok(if failed > 0 { Outcome::Failed } else { Outcome::Clean })
}
