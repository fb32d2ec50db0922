//! Golden reports: the rendered table, Markdown and JSON report of both demo estates, and the facts the rules
//! receive, pinned with `insta` so any change to output is a reviewed diff (`cargo insta review`, or
//! `INSTA_UPDATE=always cargo test --test golden` then `git diff tests/snapshots`).
//!
//! The binary runs from the repository root on relative paths, so the reports carry no machine-specific path.

use super::common;
use acr_audit::analysis::{analyse, Selection};
use acr_audit::model::Model;
use acr_audit::snapshot::load_snapshot;
use common::*;

const ESTATES: [(&str, &str); 2] =
    [("demo", "fixtures/demo/snapshot.json"), ("demo_clean", "fixtures/demo/snapshot-clean.json")];

/// `eval` of a demo estate in one format, as a user sees it on stdout.
fn render(snapshot: &str, format: &str) -> String {
    let out = acr_audit().args(["eval", snapshot, "--format", format]).output().expect("runs");
    let code = out.status.code().expect("exit code");
    assert!(
        code == 0 || code == 1,
        "eval {snapshot} --format {format} exited {code}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

#[test]
fn rendered_reports_of_the_demo_estates() {
    for (name, snapshot) in ESTATES {
        for (format, ext) in [("table", "txt"), ("markdown", "md"), ("json", "json")] {
            insta::assert_snapshot!(format!("{name}.report.{ext}"), render(snapshot, format));
        }
    }
}

#[test]
fn facts_the_rules_receive_for_the_demo_estates() {
    for (name, snapshot) in ESTATES {
        let model = Model::from_snapshot(load_snapshot(&path(snapshot)).expect("demo loads"));
        let facts = analyse(&model, &Selection::default());
        let text = serde_json::to_string_pretty(&facts).expect("facts serialise");
        insta::assert_snapshot!(format!("{name}.facts.json"), text);
    }
}
