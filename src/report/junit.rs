//! `--format junit`: JUnit XML for Azure Pipelines' PublishTestResults and GitLab, via `quick-junit`.
//!
//! One test suite per rule. Each finding is a failed test case named after the resource (and pair), carrying
//! the message and the remediation; a rule without findings is one passing test case, so dashboards count
//! the checks that passed too.
//!
//! XML 1.0 cannot hold most C0 controls, U+FFFE or U+FFFF, even escaped: every text from the snapshot or the rules
//! goes through [`xml_text`](super::escape::xml_text) before it reaches the serializer, so the file stays well-formed.

use super::escape::xml_text as x;
use super::{short_id, Report, Reporter};
use quick_junit::{NonSuccessKind, Report as JunitReport, TestCase, TestCaseStatus, TestSuite};
use std::io::Write;

/// JUnit output.
pub struct JunitReporter;

impl Reporter for JunitReporter {
    fn render(&self, report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
        let mut junit = JunitReport::new("acr-audit");
        for rule in &report.context.rules {
            let mut suite = TestSuite::new(x(&format!("{} {}", rule.id, rule.title)).into_owned());
            let findings: Vec<_> = report.findings.iter().filter(|f| f.rule == rule.id).collect();
            if findings.is_empty() {
                let mut case =
                    TestCase::new(x(&format!("{}: no finding", rule.id)).into_owned(), TestCaseStatus::success());
                case.set_classname(x(&rule.id).into_owned());
                suite.add_test_case(case);
            }
            for f in findings {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                status.set_message(x(&f.message).into_owned());
                status.set_type(f.severity.as_str());
                let mut description = format!("{}\n\nResource: {}\n", f.message, f.resource);
                if let Some(c) = &f.client {
                    description.push_str(&format!("Client: {c}\n"));
                }
                if let Some(r) = &f.registry {
                    description.push_str(&format!("Registry: {r}\n"));
                }
                if let Some(n) = &f.note {
                    description.push_str(&format!("Note: {n}\n"));
                }
                description.push_str("\nRemediation:\n");
                for c in &f.remediation {
                    description.push_str(&format!("  {c}\n"));
                }
                status.set_description(x(&description).into_owned());
                let name = match &f.client {
                    Some(c) => format!("{} [{}]", short_id(&f.resource), short_id(c)),
                    None => short_id(&f.resource),
                };
                let mut case = TestCase::new(x(&name).into_owned(), status);
                case.set_classname(x(&rule.id).into_owned());
                suite.add_test_case(case);
            }
            junit.add_test_suite(suite);
        }
        junit.serialize(&mut *out).map_err(std::io::Error::other)?;
        writeln!(out)
    }
}
