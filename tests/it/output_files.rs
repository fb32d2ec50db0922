//! Where reports go: an output that is one of the inputs is refused (the same file, however it is spelled),
//! files are replaced atomically, and each `-o` belongs to the `--format` it follows.

use super::common::*;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A copy of the demo snapshot in `dir`, to be (not) overwritten.
fn demo_copy(dir: &Path) -> PathBuf {
    let copy = dir.join("snapshot.json");
    std::fs::copy(path("fixtures/demo/snapshot.json"), &copy).expect("copied");
    copy
}

/// Run the binary; (exit code, stdout, stderr).
fn run<I, S>(args: I) -> (i32, String, String)
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let out = acr_audit().args(args).timeout(Duration::from_secs(120)).output().expect("runs");
    let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
    (out.status.code().expect("exited, not killed"), text(out.stdout), text(out.stderr))
}

/// `eval`, `trace`, `diff` and `baseline create` each refuse an output that is their input, and leave it whole.
#[test]
fn an_output_that_is_an_input_is_refused_and_the_input_left_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let snap = demo_copy(dir.path());
    let original = std::fs::read(&snap).expect("read");
    let other_spelling = dir.path().join(".").join("snapshot.json");
    let link = dir.path().join("link.json");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&snap, &link).expect("symlink");
    #[cfg(not(unix))]
    std::fs::copy(&snap, &link).expect("copy");
    let s = snap.as_os_str();
    let clean = path("fixtures/demo/snapshot-clean.json");
    let cases: Vec<Vec<&OsStr>> = vec![
        vec!["eval".as_ref(), s, "-o".as_ref(), s],
        vec!["eval".as_ref(), s, "--format".as_ref(), "sarif".as_ref(), "-o".as_ref(), other_spelling.as_os_str()],
        vec![
            "trace".as_ref(),
            s,
            "--client".as_ref(),
            "aks-prod-eastus".as_ref(),
            "--registry".as_ref(),
            "contosoprodacr".as_ref(),
            "-o".as_ref(),
            s,
        ],
        vec!["diff".as_ref(), clean.as_os_str(), s, "-o".as_ref(), s],
        vec!["baseline".as_ref(), "create".as_ref(), "--snapshot".as_ref(), s, "-o".as_ref(), s],
    ];
    #[cfg(unix)]
    let cases = {
        let mut cases = cases;
        cases.push(vec!["eval".as_ref(), s, "--format".as_ref(), "json".as_ref(), "-o".as_ref(), link.as_os_str()]);
        cases
    };
    for args in cases {
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{args:?} must be refused: {err}");
        assert!(err.contains("is the input") && err.contains("snapshot.json"), "{args:?}: {err}");
        assert_eq!(std::fs::read(&snap).expect("read"), original, "{args:?} changed the snapshot");
    }
    // The triage inputs are inputs too.
    let baseline = dir.path().join("baseline.json");
    let (code, _, err) =
        run([OsStr::new("baseline"), "create".as_ref(), "--snapshot".as_ref(), s, "-o".as_ref(), baseline.as_os_str()]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run([
        OsStr::new("eval"),
        s,
        "--baseline".as_ref(),
        baseline.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "-o".as_ref(),
        baseline.as_os_str(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("baseline.json"), "{err}");
}

/// Outputs are replaced whole, through a temporary file that does not stay behind, and special files (a FIFO,
/// `/dev/stdout`) are written in place rather than replaced by a regular file.
#[test]
fn outputs_are_written_atomically_and_special_files_in_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    let report = dir.path().join("report.json");
    std::fs::write(&report, "stale content that is much longer than nothing at all").expect("write");
    let demo = path("fixtures/demo/snapshot.json");
    let (code, _, err) = run([
        OsStr::new("eval"),
        demo.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "-o".as_ref(),
        report.as_os_str(),
    ]);
    assert_eq!(code, 1, "{err}");
    let written = read_json(&report);
    assert_eq!(written["schema"], "acr-audit/report/v1");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["report.json"], "no temporary file is left behind");
    #[cfg(unix)]
    {
        // A FIFO stands for every special output (a pipe, a device, /dev/stdout): the report must go through it,
        // and it must still be a FIFO afterwards, not replaced by a regular file.
        use std::os::unix::fs::FileTypeExt;
        let fifo = dir.path().join("out.fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
        assert!(made.success(), "mkfifo failed");
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(&fifo).expect("read the FIFO"))
        };
        let (code, _, err) = run([
            OsStr::new("eval"),
            demo.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
            "-o".as_ref(),
            fifo.as_os_str(),
        ]);
        assert_eq!(code, 1, "{err}");
        let through = reader.join().expect("reader");
        assert!(through.contains("acr-audit/report/v1"), "written through the FIFO: {through}");
        assert!(std::fs::metadata(&fifo).expect("still there").file_type().is_fifo(), "the FIFO was replaced");
    }
}

/// The command line of `docs/ci.md`: each `-o` belongs to the `--format` it follows.
#[test]
fn each_output_belongs_to_the_format_it_follows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (a, b) = (dir.path().join("A"), dir.path().join("B"));
    let demo = path("fixtures/demo/snapshot.json");
    let (code, stdout, err) = run([
        OsStr::new("eval"),
        demo.as_os_str(),
        "--format".as_ref(),
        "table".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "-o".as_ref(),
        a.as_os_str(),
        "--format".as_ref(),
        "sarif".as_ref(),
        "-o".as_ref(),
        b.as_os_str(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(read_json(&a)["schema"], "acr-audit/report/v1", "JSON in A");
    assert_eq!(read_json(&b)["version"], "2.1.0", "SARIF in B");
    assert!(stdout.contains("How to fix:") && stdout.contains("ACR-NET-006"), "the table on stdout: {stdout}");

    // An `-o` before every `--format` is the first format's; without `--format`, the table's.
    let c = dir.path().join("C");
    let (code, stdout, err) =
        run([OsStr::new("eval"), demo.as_os_str(), "-o".as_ref(), c.as_os_str(), "--format".as_ref(), "json".as_ref()]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(read_json(&c)["schema"], "acr-audit/report/v1");
    assert!(stdout.is_empty());
    let t = dir.path().join("T");
    let (code, _, err) = run([OsStr::new("eval"), demo.as_os_str(), "-o".as_ref(), t.as_os_str()]);
    assert_eq!(code, 1, "{err}");
    assert!(std::fs::read_to_string(&t).expect("table").contains("How to fix:"));
}

/// Two formats to one file (however spelled), two `-o` after one `--format`, two formats on stdout: usage errors.
#[test]
fn ambiguous_output_plans_are_usage_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = dir.path().join("A");
    let a2 = dir.path().join(".").join("A");
    let demo = path("fixtures/demo/snapshot.json");
    let d = demo.as_os_str();
    let f = |s: &'static str| OsStr::new(s);
    let cases: Vec<Vec<&OsStr>> = vec![
        vec![
            f("eval"),
            d,
            f("--format"),
            f("json"),
            f("-o"),
            a.as_os_str(),
            f("--format"),
            f("sarif"),
            f("-o"),
            a.as_os_str(),
        ],
        vec![
            f("eval"),
            d,
            f("--format"),
            f("json"),
            f("-o"),
            a.as_os_str(),
            f("--format"),
            f("sarif"),
            f("-o"),
            a2.as_os_str(),
        ],
        vec![
            f("eval"),
            d,
            f("--format"),
            f("json"),
            f("-o"),
            a.as_os_str(),
            f("-o"),
            a2.as_os_str(),
            f("--format"),
            f("sarif"),
        ],
        vec![f("eval"), d, f("--format"), f("json"), f("--format"), f("sarif")],
        vec![f("eval"), d, f("-o"), a.as_os_str(), f("-o"), a2.as_os_str()],
    ];
    for args in cases {
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.starts_with("error: ") && err.contains("fix:"), "{args:?}: {err}");
        assert!(!a.exists(), "{args:?} wrote a report before refusing");
    }
}
