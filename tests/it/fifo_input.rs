//! A snapshot that can be read only once (a FIFO, a pipe, `<(az …)`) is read once, whatever the formats.
#![cfg(unix)]

use super::common::*;
use std::ffi::OsStr;
use std::time::Duration;

/// A snapshot read from a FIFO is read once: `--format sarif` used to open it a second time for line numbers,
/// which blocks forever (no writer left). A timeout turns such a regression into a failure, not a hang.
#[test]
fn a_snapshot_from_a_fifo_is_read_once_and_sarif_still_has_line_numbers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("snapshot.fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success());
    let demo = std::fs::read(path("fixtures/demo/snapshot.json")).expect("demo");
    let writer_path = fifo.clone();
    // Opening a FIFO for writing blocks until the binary opens it for reading; the thread ends once it is read.
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let mut w = std::fs::OpenOptions::new().write(true).open(&writer_path).expect("open the FIFO");
        w.write_all(&demo).expect("write the snapshot");
    });
    let sarif = dir.path().join("r.sarif");
    let out = acr_audit()
        .args([
            OsStr::new("eval"),
            fifo.as_os_str(),
            "--format".as_ref(),
            "sarif".as_ref(),
            "-o".as_ref(),
            sarif.as_os_str(),
        ])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "finished (not killed by the timeout): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    writer.join().expect("the writer finished");
    let report = read_json(&sarif);
    let results = report["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 8);
    for r in results {
        let line = r["locations"][0]["physicalLocation"]["region"]["startLine"].as_i64().expect("line");
        assert!(line > 1, "line numbers come from the same bytes: {line}");
    }
}
