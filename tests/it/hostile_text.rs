//! Resource names are attacker-controlled: whoever can name a resource in an audited subscription writes into
//! every report. Each test builds a hostile snapshot from the demo estate (renaming resources consistently, so the
//! usual findings fire and carry the payload) and checks, against the real binary, that no output kind lets the
//! payload act: no terminal control sequence or bidi override reaches a terminal, no Markdown structure or raw
//! HTML comes from data, JUnit stays well-formed XML, and remediation commands keep data inert.

use super::common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Everything a name can hold that an output could act on, except `/` (it would split the ARM id), `.` (it would
/// split host names) and NUL (argv cannot carry it; see [`XML_ILLEGAL`]): ESC sequences (clear screen, an OSC 8
/// hyperlink), bare CR, a line break with a Markdown heading, bidi overrides and isolates, shell syntax, table and
/// HTML syntax, mermaid syntax, a code fence.
const PAYLOAD: &str = "X\u{1b}[2J\u{1b}]8;;https:evil\u{7}click\u{1b}]8;;\u{7}\rEVIL\u{202e}rtl\u{2066}iso\u{2069}\
                       $(touch pwned)`id`;echo 'q'\"dq\n# Injected heading | cell |<script>alert(1)<img src=x \
                       onerror=alert(1)>[link](javascript:alert(1)) *b* _i_ &amp; ```fence\u{9b}31m";

/// Characters XML 1.0 forbids, which only a snapshot (not argv) can carry.
const XML_ILLEGAL: &str = "\u{0}\u{1}\u{8}\u{b}\u{c}\u{e}\u{1f}\u{fffe}\u{ffff}";

/// The client the trace and Markdown tests follow: the demo's cluster renamed.
fn hostile_client() -> String {
    format!("aks{PAYLOAD}")
}

/// Replace `from` by `to` in every string (values and keys) of `v`.
fn rename(v: &mut Value, from: &str, to: &str) {
    match v {
        Value::String(s) if s.contains(from) => *s = s.replace(from, to),
        Value::Array(items) => items.iter_mut().for_each(|i| rename(i, from, to)),
        Value::Object(map) => {
            let old = std::mem::take(map);
            for (k, mut item) in old {
                rename(&mut item, from, to);
                map.insert(k.replace(from, to), item);
            }
        }
        _ => {}
    }
}

/// The demo snapshot with each `(from, to)` renamed everywhere, then `tweak`ed, written to `dir/name`.
fn hostile_snapshot(dir: &Path, name: &str, renames: &[(&str, &str)], tweak: impl FnOnce(&mut Value)) -> PathBuf {
    let mut snapshot = read_json(&path("fixtures/demo/snapshot.json"));
    for (from, to) in renames {
        rename(&mut snapshot, from, to);
    }
    tweak(&mut snapshot);
    let out = dir.join(name);
    std::fs::write(&out, serde_json::to_vec_pretty(&snapshot).expect("serialises")).expect("written");
    out
}

/// The demo with the cluster renamed to [`hostile_client`], the container app (whose sign-in is broken) to a
/// hostile name too, the build registry to a name that also holds [`XML_ILLEGAL`], a hostile collection time and
/// a hostile unreadable scope.
fn hostile(dir: &Path) -> PathBuf {
    let client = hostile_client();
    let container_app = format!("ca{PAYLOAD}");
    let registry = format!("build{PAYLOAD}{XML_ILLEGAL}");
    let renames = [("aks-prod-eastus", client.as_str()), ("ca-orders", &container_app), ("contosobuildacr", &registry)];
    hostile_snapshot(dir, "hostile.json", &renames, |s| {
        s["metadata"]["collectedAt"] = Value::String(format!("2026-11-20T06:00:00Z{PAYLOAD}"));
        s["errors"] = serde_json::json!([{
            "scope": format!("/subscriptions/{PAYLOAD}"),
            "resourceType": format!("Microsoft.Network/{PAYLOAD}"),
            "status": 403,
            "code": format!("Denied{PAYLOAD}"),
            "message": format!("denied{PAYLOAD}"),
        }]);
    })
}

/// Run the binary; (exit code, stdout, stderr) as text.
fn run(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    let out = acr_audit().args(args).output().expect("runs");
    let text = |b: Vec<u8>| String::from_utf8(b).expect("UTF-8 output");
    (out.status.code().expect("exit code"), text(out.stdout), text(out.stderr))
}

fn os<S: AsRef<std::ffi::OsStr> + ?Sized>(s: &S) -> &std::ffi::OsStr {
    s.as_ref()
}

/// Characters that must never reach a reader raw: every control except the line feed, and the bidi and
/// invisible formatting characters.
fn assert_no_raw_controls(what: &str, text: &str) {
    let bad: Vec<(usize, char)> = text
        .char_indices()
        .filter(|(_, c)| {
            (c.is_control() && *c != '\n')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}'..='\u{200f}' | '\u{fffe}' | '\u{ffff}')
        })
        .collect();
    assert!(bad.is_empty(), "{what}: raw control or bidi characters {bad:?}");
}

/// The payload's line break was escaped: no line of output starts with the injected heading.
fn assert_no_injected_line(what: &str, text: &str) {
    assert!(!text.lines().any(|l| l.starts_with("# Injected")), "{what}: the payload's line break got through");
}

#[test]
fn table_trace_explain_and_errors_escape_controls_and_bidi_visibly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let snap = hostile(dir.path());
    let (code, table, err) = run(&[os("eval"), snap.as_os_str(), os("--format"), os("table")]);
    assert_eq!(code, 1, "{err}");
    assert_no_raw_controls("table", &table);
    assert_no_injected_line("table", &table);
    for visible in ["\\u{1b}[2J", "\\u{1b}]8;;https:evil\\u{7}", "\\r", "\\u{202e}", "\\u{2066}", "\\u{9b}", "\\n"] {
        assert!(table.contains(visible), "table lacks the visible escape {visible}");
    }
    assert!(table.contains("ACR-REG-001") && table.contains("ACR-DNS-002"), "the findings still fire");

    let file = dir.path().join("table.txt");
    let (_, _, err) = run(&[os("eval"), snap.as_os_str(), os("-o"), file.as_os_str()]);
    let written = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}: {err}"));
    assert_eq!(written, table, "a file gets the same escaped table as a pipe");

    let client = hostile_client();
    let (code, trace, err) =
        run(&[os("trace"), snap.as_os_str(), os("--client"), os(&client), os("--registry"), os("contosoprodacr")]);
    assert_eq!(code, 1, "{err}");
    assert!(trace.contains("\\u{1b}[2J") && trace.contains("\\u{202e}"), "{trace}");
    assert_no_raw_controls("trace text", &trace);
    assert_no_injected_line("trace text", &trace);

    let (code, explained, err) = run(&[os("explain"), os("host is not reachable"), os("--snapshot"), snap.as_os_str()]);
    assert_eq!(code, 0, "{err}");
    assert!(explained.contains("FIRES on build"), "{explained}");
    assert_no_raw_controls("explain", &explained);
    assert_no_injected_line("explain", &explained);

    let (code, _, err) =
        run(&[os("trace"), snap.as_os_str(), os("--client"), os("nope"), os("--registry"), os("contosoprodacr")]);
    assert_eq!(code, 2);
    assert!(err.contains("clients here: aksX\\u{1b}[2J"), "{err}");
    assert_no_raw_controls("stderr", &err);
    assert_no_injected_line("stderr", &err);
}

#[test]
fn diff_text_and_markdown_escape_changed_names() {
    let dir = tempfile::tempdir().expect("temp dir");
    let snap = hostile(dir.path());
    let demo = path("fixtures/demo/snapshot.json");
    let (code, text, err) = run(&[os("diff"), demo.as_os_str(), snap.as_os_str()]);
    assert_eq!(code, 1, "{err}");
    assert!(text.contains("\\u{1b}[2J"), "{text}");
    assert_no_raw_controls("diff text", &text);
    assert_no_injected_line("diff text", &text);
    let (_, md, err) = run(&[os("diff"), demo.as_os_str(), snap.as_os_str(), os("--format"), os("markdown")]);
    assert!(md.contains("### Configuration changes"), "{err}");
    assert_markdown_is_inert("diff markdown", &md);
}

/// The Markdown text outside fenced code blocks and code spans: where a renderer interprets markup (inside
/// code, `<script>` is shown as text), without backslash-escaped characters (shown as text too). A
/// backslash-escaped backtick opens no code span.
fn outside_code(md: &str) -> String {
    let mut prose = String::new();
    let mut in_fence = false;
    for line in md.lines() {
        if line.starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if chars[i] == '\\' {
                // An escaped character is shown literally: leave it out, it starts no markup.
                i += 2;
                continue;
            }
            if chars[i] != '`' {
                prose.push(chars[i]);
                i += 1;
                continue;
            }
            let run = chars[i..].iter().take_while(|c| **c == '`').count();
            let mut j = i + run;
            let mut close = None;
            while j < chars.len() {
                let r = chars[j..].iter().take_while(|c| **c == '`').count();
                if r == run {
                    close = Some(j + r);
                    break;
                }
                j += r.max(1);
            }
            match close {
                Some(end) => i = end,
                None => {
                    prose.extend(&chars[i..i + run]);
                    i += run;
                }
            }
        }
        prose.push('\n');
    }
    prose
}

/// No raw HTML or link from data where Markdown is interpreted, no line that data started, no control
/// characters, balanced fences.
fn assert_markdown_is_inert(what: &str, md: &str) {
    assert_no_raw_controls(what, md);
    assert_no_injected_line(what, md);
    let prose = outside_code(md);
    for raw in ["<script", "<img", "](javascript", "[link]"] {
        assert!(!prose.contains(raw), "{what}: raw `{raw}` from data");
    }
    let fences = md.lines().filter(|l| l.starts_with("```")).count();
    assert_eq!(fences % 2, 0, "{what}: unbalanced code fences");
}

#[test]
fn markdown_escapes_cells_code_spans_summaries_fences_and_mermaid() {
    let dir = tempfile::tempdir().expect("temp dir");
    let snap = hostile(dir.path());
    let (code, md, err) = run(&[os("eval"), snap.as_os_str(), os("--format"), os("markdown")]);
    assert_eq!(code, 1, "{err}");
    assert_markdown_is_inert("markdown", &md);
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with('#')).collect();
    // The hostile unreadable scope adds ACR-META-001 to the demo's eight findings.
    assert_eq!(headings, ["## acr-audit: 9 finding(s)", "### How to fix", "### Broken paths"], "only our headings");
    // Every finding row keeps its five cells: data pipes are escaped.
    for row in md.lines().filter(|l| l.starts_with("| ") && l.contains("ACR-")) {
        let separators = row.replace("\\|", "").matches('|').count();
        assert_eq!(separators, 6, "a data `|` split a table row: {row}");
    }
    assert!(md.contains("collected 2026-11-20T06:00:00ZX"), "collectedAt is shown, escaped");
    assert!(md.contains("&lt;script&gt;") && md.contains("\\[link\\]"), "escaped, not dropped");
    // Every remediation block opens and closes with the same fence, and no data line starts a fence.
    let mut open: Option<&str> = None;
    for line in md.lines() {
        let ticks = line.len() - line.trim_start_matches('`').len();
        if ticks >= 3 {
            match open {
                None => open = Some(&line[..ticks]),
                Some(fence) if line == fence => open = None,
                Some(fence) => panic!("line `{line}` inside a {fence} block"),
            }
        }
    }
    assert!(open.is_none(), "an unclosed fence");
    // Mermaid: each statement is one line, each label one `["…"]` with entity codes, no quote from data.
    let mermaid: Vec<&str> =
        md.split("```mermaid\n").skip(1).flat_map(|b| b.split("\n```").next().unwrap_or("").lines()).collect();
    assert!(!mermaid.is_empty());
    for line in &mermaid {
        let ok = line.starts_with("flowchart ")
            || line.starts_with("  classDef ")
            || line.starts_with("  class ")
            || (line.ends_with("\"]") && line.matches('"').count() == 2);
        assert!(ok, "mermaid line not of our shape: {line}");
    }
    let client_label = mermaid.iter().find(|l| l.starts_with("  client[")).expect("client node");
    assert!(client_label.contains("#quot;dq") && client_label.contains("#35; Injected"), "{client_label}");
    assert!(client_label.contains("#lt;script#gt;") && client_label.contains("#96;id#96;"), "{client_label}");
}

#[test]
fn junit_stays_well_formed_xml_with_xml_illegal_characters_in_names() {
    let dir = tempfile::tempdir().expect("temp dir");
    let snap = hostile(dir.path());
    let (code, xml, err) = run(&[os("eval"), snap.as_os_str(), os("--format"), os("junit")]);
    assert_eq!(code, 1, "{err}");
    let report = quick_junit::Report::deserialize_from_str(&xml).expect("well-formed JUnit XML");
    let failures: Vec<_> = report
        .test_suites
        .iter()
        .flat_map(|s| s.test_cases.iter())
        .filter(|c| !matches!(c.status, quick_junit::TestCaseStatus::Success { .. }))
        .collect();
    assert_eq!(failures.len(), 9, "every finding (the demo's eight and ACR-META-001) is still a failed case");
    for illegal in ['\u{0}', '\u{1}', '\u{8}', '\u{b}', '\u{c}', '\u{e}', '\u{1f}', '\u{fffe}', '\u{ffff}', '\u{1b}'] {
        assert!(!xml.contains(illegal), "raw {illegal:?} in the XML");
    }
    assert!(xml.contains("\\u{0}\\u{1}\\u{8}\\u{b}\\u{c}\\u{e}\\u{1f}\\u{fffe}\\u{ffff}"), "replaced visibly");
}

#[test]
fn remediation_commands_quote_values_from_the_snapshot() {
    let dir = tempfile::tempdir().expect("temp dir");
    let snap = hostile_snapshot(dir.path(), "shell.json", &[("contosobuildacr", "b$(touch pwned)`id`;x'q")], |_| {});
    let (code, report) = eval_json(&snap, &[]);
    assert_eq!(code, 1);
    let commands: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .flat_map(|f| f["remediation"].as_array().expect("remediation").iter().filter_map(Value::as_str))
        .filter(|c| c.contains("touch pwned"))
        .collect();
    assert!(!commands.is_empty());
    for c in commands {
        assert!(c.contains("'b$(touch pwned)`id`;x'\\''q'"), "unquoted: {c}");
    }
    // The demo's plain names stay unquoted (the goldens pin that byte for byte).
    let (_, demo) = eval_json(&path("fixtures/demo/snapshot.json"), &[]);
    let all = demo["findings"].to_string();
    assert!(all.contains("az acr update --name contosobuildacr "), "plain values stay bare");
}

#[test]
fn a_megabyte_message_renders_as_a_bounded_table_cell() {
    let dir = tempfile::tempdir().expect("temp dir");
    let long = format!("build{}", "x".repeat(1 << 20));
    let snap = hostile_snapshot(dir.path(), "long.json", &[("contosobuildacr", &long)], |_| {});
    let (code, table, err) = run(&[os("eval"), snap.as_os_str(), os("--format"), os("table")]);
    assert_eq!(code, 1, "{err}");
    assert!(table.contains("more characters)"), "the long cell is cut with a marker");
    let rows: Vec<&str> = table.lines().filter(|l| l.starts_with('│')).collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r.chars().count() <= 140), "rows stay within the table width");
    let table_part = table.split("\nHow to fix:").next().expect("table");
    assert!(table_part.len() < 200_000, "the table holds bounded cells, not the megabyte: {}", table_part.len());
    // The fix commands below the table stay whole, so they can still be copied.
    assert!(table.contains(&format!("--name {long} ")));
}
