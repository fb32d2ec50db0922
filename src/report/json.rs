//! `--format json`: the `acr-audit/report/v1` document (schema: docs/report.schema.json).

use super::{Report, Reporter};
use std::io::Write;

/// Pretty-printed JSON.
pub struct JsonReporter;

impl Reporter for JsonReporter {
    fn render(&self, report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, report)?;
        writeln!(out)
    }
}
