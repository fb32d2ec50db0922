//! `acr-audit baseline create`.

use super::super::output::write_bytes;
use super::super::Outcome;
use acr_audit::pipeline::evaluate_path;
use acr_audit::rules::{Finding, Severity};
use acr_audit::settings::Settings;
use acr_audit::triage::Baseline;
use anyhow::Context;
use std::path::Path;

/// Accept the findings of `snapshot` (evaluated with `settings`) or of the JSON `report`, into `output`.
pub(super) fn create(
    snapshot: Option<&Path>,
    report: Option<&Path>,
    output: &Path,
    settings: &Settings,
) -> anyhow::Result<Outcome> {
    let findings: Vec<Finding> = match (snapshot, report) {
        (Some(snapshot), _) => {
            let catalog = settings.rules.load_catalog()?;
            evaluate_path(snapshot, &catalog, settings)?.report.findings
        }
        (None, Some(report)) => findings_of_report(report)?,
        (None, None) => anyhow::bail!("give --snapshot FILE or --report FILE"),
    };
    let now =
        time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    let baseline = Baseline::from_findings(&findings, now);
    let text = serde_json::to_string_pretty(&baseline)?;
    write_bytes(output, "the baseline", (text + "\n").as_bytes())?;
    eprintln!("wrote {} with {} accepted finding(s)", output.display(), findings.len());
    Ok(Outcome::Clean)
}

/// The findings of an `acr-audit/report/v1` JSON report.
fn findings_of_report(path: &Path) -> anyhow::Result<Vec<Finding>> {
    #[derive(serde::Deserialize)]
    struct ReportFile {
        schema: String,
        findings: Vec<ReportFinding>,
    }
    #[derive(serde::Deserialize)]
    struct ReportFinding {
        rule: String,
        severity: Severity,
        #[serde(default)]
        title: String,
        resource: String,
        registry: Option<String>,
        client: Option<String>,
        #[serde(default)]
        message: String,
    }
    let text = std::fs::read_to_string(path).with_context(|| format!("{}: cannot read the report", path.display()))?;
    let report: ReportFile = serde_json::from_str(&text).with_context(|| {
        format!("{}: not an acr-audit JSON report (write one with `--format json -o FILE`)", path.display())
    })?;
    if report.schema != acr_audit::report::REPORT_SCHEMA {
        anyhow::bail!(
            "{}: report schema `{}` is not `{}`",
            path.display(),
            report.schema,
            acr_audit::report::REPORT_SCHEMA
        );
    }
    Ok(report
        .findings
        .into_iter()
        .map(|f| Finding {
            fingerprint: acr_audit::rules::fingerprint(
                &f.rule,
                &f.resource,
                f.registry.as_deref(),
                f.client.as_deref(),
            ),
            rule: f.rule,
            severity: f.severity,
            title: f.title,
            resource: f.resource,
            registry: f.registry,
            client: f.client,
            message: f.message,
            remediation: vec![],
            evidence: serde_json::Value::Null,
            note: None,
        })
        .collect())
}
