//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning, built with the `serde-sarif` types.
//!
//! One `reportingDescriptor` per evaluated rule (title, description, help with remediation, GitHub's
//! `security-severity`), one result per finding with the ARM resource as a logical location, the snapshot file
//! line as the physical location GitHub requires, and the finding fingerprint as `partialFingerprints` so
//! code scanning tracks an alert across runs.

use super::{security_severity, Report, Reporter};
use crate::rules::{RuleMetadata, Severity};
use serde_sarif::sarif as s;
use std::collections::BTreeMap;
use std::io::Write;

/// SARIF output.
pub struct SarifReporter;

fn level(sev: Severity) -> s::ResultLevel {
    match sev {
        Severity::Critical | Severity::High => s::ResultLevel::Error,
        Severity::Medium => s::ResultLevel::Warning,
        Severity::Low | Severity::Info => s::ResultLevel::Note,
    }
}

fn level_text(sev: Severity) -> &'static str {
    match level(sev) {
        s::ResultLevel::Error => "error",
        s::ResultLevel::Warning => "warning",
        _ => "note",
    }
}

fn text(t: impl Into<String>) -> s::MultiformatMessageString {
    s::MultiformatMessageString::builder().text(t.into()).build()
}

fn help(m: &RuleMetadata) -> s::MultiformatMessageString {
    let mut markdown = format!("{}\n", m.description);
    if !m.symptoms.is_empty() {
        markdown.push_str("\n**Symptoms**\n\n");
        for x in &m.symptoms {
            markdown.push_str(&format!("- `{x}`\n"));
        }
    }
    if !m.remediation.is_empty() {
        markdown.push_str("\n**Remediation**\n\n```sh\n");
        for c in &m.remediation {
            markdown.push_str(&format!("{c}\n"));
        }
        markdown.push_str("```\n");
    }
    let plain = format!("{}\n\nRemediation:\n{}", m.title, m.remediation.join("\n"));
    s::MultiformatMessageString::builder().text(plain).markdown(markdown).build()
}

fn descriptor(m: &RuleMetadata) -> s::ReportingDescriptor {
    let mut props = BTreeMap::new();
    props.insert("security-severity".to_string(), serde_json::json!(security_severity(m.severity)));
    props.insert("precision".to_string(), serde_json::json!("high"));
    props.insert("problem.severity".to_string(), serde_json::json!(level_text(m.severity)));
    let area = m.id.split('-').nth(1).unwrap_or("").to_ascii_lowercase();
    let first_paragraph = m
        .description
        .split("\n\n")
        .map(|p| p.trim())
        .find(|p| !p.is_empty() && !p.starts_with('#'))
        .unwrap_or(&m.title)
        .replace('\n', " ");
    let builder = s::ReportingDescriptor::builder()
        .id(m.id.clone())
        .name(m.id.replace('-', ""))
        .short_description(text(m.title.clone()))
        .full_description(text(first_paragraph))
        .help(help(m))
        .default_configuration(
            s::ReportingConfiguration::builder().level(serde_json::json!(level_text(m.severity))).build(),
        )
        .properties(
            s::PropertyBag::builder()
                .tags(vec!["azure".to_string(), "container-registry".to_string(), area])
                .additional_properties(props)
                .build(),
        );
    match m.references.first() {
        Some(uri) => builder.help_uri(uri.clone()).build(),
        None => builder.build(),
    }
}

impl Reporter for SarifReporter {
    fn render(&self, report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
        let ctx = &report.context;
        let rules: Vec<s::ReportingDescriptor> = ctx.rules.iter().map(descriptor).collect();
        let results: Vec<s::Result> = report
            .findings
            .iter()
            .map(|f| {
                let line = ctx.resource_lines.get(&f.resource.to_ascii_lowercase()).copied().unwrap_or(1);
                let physical = s::PhysicalLocation::builder()
                    .artifact_location(s::ArtifactLocation::builder().uri(report.snapshot.path.clone()).build())
                    .region(s::Region::builder().start_line(line as i64).build())
                    .build();
                let logical = s::LogicalLocation::builder()
                    .fully_qualified_name(f.resource.clone())
                    .name(f.resource.rsplit('/').next().unwrap_or(&f.resource).to_string())
                    .kind("resource".to_string())
                    .build();
                let mut fingerprints = BTreeMap::new();
                fingerprints.insert("acrAuditFinding/v1".to_string(), f.fingerprint.clone());
                let mut props = BTreeMap::new();
                props.insert("severity".to_string(), serde_json::json!(f.severity));
                props.insert("remediation".to_string(), serde_json::json!(f.remediation));
                if let Some(r) = &f.registry {
                    props.insert("registry".to_string(), serde_json::json!(r));
                }
                if let Some(c) = &f.client {
                    props.insert("client".to_string(), serde_json::json!(c));
                }
                let message = match &f.note {
                    Some(n) => format!("{} ({n})", f.message),
                    None => f.message.clone(),
                };
                let builder = s::Result::builder()
                    .rule_id(f.rule.clone())
                    .level(level(f.severity))
                    .message(s::Message::builder().text(message).build())
                    .locations(vec![s::Location::builder()
                        .physical_location(physical)
                        .logical_locations(vec![logical])
                        .build()])
                    .partial_fingerprints(fingerprints)
                    .properties(s::PropertyBag::builder().additional_properties(props).build());
                match ctx.rules.iter().position(|r| r.id == f.rule) {
                    Some(i) => builder.rule_index(i as i64).build(),
                    None => builder.build(),
                }
            })
            .collect();
        let driver = s::ToolComponent::builder()
            .name("acr-audit".to_string())
            .version(report.tool.version.to_string())
            .semantic_version(report.tool.version.to_string())
            .rules(rules)
            .build();
        let run = s::Run::builder().tool(s::Tool::builder().driver(driver).build()).results(results).build();
        let log = s::Sarif::builder()
            .schema(s::SCHEMA_URL.to_string())
            .version(serde_json::json!("2.1.0"))
            .runs(vec![run])
            .build();
        serde_json::to_writer_pretty(&mut *out, &log)?;
        writeln!(out)
    }
}
