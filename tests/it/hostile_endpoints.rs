//! Live collection against a hostile or misconfigured server: the token and the client secret must never go
//! where they should not, and a server must not be able to make the collector loop, hoard memory, or write a
//! credential into its output. The real binary runs against the fake ARM + token server on loopback
//! (`fake_arm`); endpoints off loopback are refused before any connection, so nothing here leaves the machine.

use super::common;
use super::fake_arm;

use common::*;
use fake_arm::{Action, FakeArm, Fault, Options, FAKE_FEDERATED_TOKEN, FAKE_SECRET, FAKE_TOKEN};
use serde_json::Value;
use std::time::Duration;

const NSG_LIST: &str = "microsoft.network/networksecuritygroups";
const NSG_TYPE: &str = "Microsoft.Network/networkSecurityGroups";

/// A scan signed in with `--auth env`, so only the fake's token endpoint is tried.
fn scan(fake: &FakeArm, env: &[(&str, &str)], extra: &[&str]) -> ScanRun {
    let args: Vec<&str> = ["--auth", "env"].into_iter().chain(extra.iter().copied()).collect();
    scan_fake_arm(fake, env, &args)
}

fn demo() -> Value {
    read_json(&path("fixtures/demo/snapshot.json"))
}

/// The snapshot's errors for one resource type.
fn errors_for(run: &ScanRun, resource_type: &str) -> Vec<Value> {
    let snap = run.snapshot.as_ref().unwrap_or_else(|| panic!("no snapshot; stderr: {}", run.stderr));
    snap["errors"].as_array().unwrap().iter().filter(|e| e["resourceType"] == resource_type).cloned().collect()
}

/// The report's copy of the snapshot errors (what a reader of the JSON report sees).
fn report_error_codes(run: &ScanRun) -> Vec<String> {
    let report: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", run.stderr));
    report["snapshot"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap_or("").to_string())
        .collect()
}

fn requests_to(fake: &FakeArm, needle: &str) -> usize {
    fake.requests().iter().filter(|(_, p)| p.to_ascii_lowercase().contains(needle)).count()
}

#[test]
fn credential_endpoints_that_are_not_https_or_loopback_http_fail_fast_with_exit_2() {
    let fake = FakeArm::start(&demo(), Options::default());
    let ftp = format!("ftp://{}", fake.url.trim_start_matches("http://"));
    // (environment, flags, the variable or flag the message must name)
    type Case<'a> = (Vec<(&'a str, &'a str)>, Vec<&'a str>, &'a str);
    let cases: Vec<Case> = vec![
        (vec![("ACR_AUDIT_ARM_ENDPOINT", "http://management.example.invalid")], vec![], "ACR_AUDIT_ARM_ENDPOINT"),
        (vec![("ACR_AUDIT_ARM_ENDPOINT", ftp.as_str())], vec![], "ACR_AUDIT_ARM_ENDPOINT"),
        (vec![], vec!["--arm-endpoint", "http://10.255.255.1:8080"], "--arm-endpoint"),
        (vec![("AZURE_AUTHORITY_HOST", "http://login.example.invalid")], vec![], "AZURE_AUTHORITY_HOST"),
        (vec![("AZURE_AUTHORITY_HOST", ftp.as_str())], vec![], "AZURE_AUTHORITY_HOST"),
    ];
    for (env, flags, named) in cases {
        let run = scan(&fake, &env, &flags);
        assert_eq!(run.code, 2, "{env:?} {flags:?}: {}", run.stderr);
        assert!(run.stderr.contains(named) && run.stderr.contains("fix:"), "{env:?} {flags:?}: {}", run.stderr);
        assert!(run.stderr.contains("https"), "the message says what is accepted: {}", run.stderr);
        assert!(run.elapsed < Duration::from_secs(10), "no retries: {:?}", run.elapsed);
    }
    assert_eq!(fake.all_requests(), 0, "nothing was sent, not even a token request");
}

#[test]
fn a_next_link_to_another_origin_gets_no_request_and_is_an_error_for_that_list() {
    let other = FakeArm::start(&demo(), Options::default());
    let faults = vec![Fault::hostile(NSG_LIST, Action::NextLinkTo(other.url.clone()), 1_000)];
    let fake = FakeArm::start(&demo(), Options { faults, ..Options::default() });
    let run = scan(&fake, &[], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(other.all_requests(), 0, "the other origin receives nothing, so no token");
    assert_eq!(requests_to(&fake, NSG_LIST), 1, "the first page only");
    let errors = errors_for(&run, NSG_TYPE);
    assert_eq!(errors.len(), 1, "{:#?}", run.snapshot);
    assert_eq!(errors[0]["code"], "ForeignNextLink");
    assert!(errors[0]["message"].as_str().unwrap().contains(other.url.as_str()), "{}", errors[0]);
    assert!(report_error_codes(&run).contains(&"ForeignNextLink".to_string()));
    let nsgs = &run.snapshot.as_ref().unwrap()["resources"][NSG_TYPE];
    assert!(nsgs.as_array().is_none_or(Vec::is_empty), "no silent partial list: {nsgs}");
}

/// A redirect is not followed: reqwest would keep the Authorization header on a redirect that only changes the
/// scheme, and here the redirect goes to another origin altogether.
#[test]
fn a_redirect_is_not_followed_and_is_an_error_for_that_list() {
    let other = FakeArm::start(&demo(), Options::default());
    let faults = vec![Fault::hostile(NSG_LIST, Action::RedirectTo(other.url.clone()), 1_000)];
    let fake = FakeArm::start(&demo(), Options { faults, ..Options::default() });
    let run = scan(&fake, &[], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(other.all_requests(), 0, "the redirect target receives nothing, so no token");
    let errors = errors_for(&run, NSG_TYPE);
    assert_eq!(errors.len(), 1, "{:#?}", run.snapshot);
    assert_eq!(errors[0]["status"], 307, "{}", errors[0]);
}

#[test]
fn a_repeating_next_link_stops_at_the_repeat_and_is_an_error() {
    let faults = vec![Fault::hostile(NSG_LIST, Action::RepeatNextLink, 1_000)];
    let fake = FakeArm::start(&demo(), Options { faults, ..Options::default() });
    let run = scan(&fake, &[], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(requests_to(&fake, NSG_LIST), 2, "the first page, then the page that links to itself");
    let errors = errors_for(&run, NSG_TYPE);
    assert_eq!(errors.len(), 1, "{:#?}", run.snapshot);
    assert_eq!(errors[0]["code"], "NextLinkLoop");
    assert!(report_error_codes(&run).contains(&"NextLinkLoop".to_string()));
}

#[test]
fn an_endless_chain_of_distinct_links_stops_at_max_pages_and_is_an_error() {
    let faults = vec![Fault::hostile(NSG_LIST, Action::EndlessNextLink, 100_000)];
    let fake = FakeArm::start(&demo(), Options { faults, ..Options::default() });
    let run = scan(&fake, &[], &["--max-pages", "5"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(requests_to(&fake, NSG_LIST), 5, "exactly --max-pages pages");
    let errors = errors_for(&run, NSG_TYPE);
    assert_eq!(errors.len(), 1, "{:#?}", run.snapshot);
    assert_eq!(errors[0]["code"], "TooManyPages");
    assert!(errors[0]["message"].as_str().unwrap().contains("5 pages"), "{}", errors[0]);
    assert_eq!(run.snapshot.as_ref().unwrap()["errors"].as_array().unwrap().len(), 1, "other lists are whole");
}

#[test]
fn an_oversize_page_is_cut_off_while_reading_and_is_an_error_for_that_list() {
    // The bound is lowered (hidden ACR_AUDIT_MAX_PAGE_BYTES) so the test serves 2 MiB, not 64.
    let faults = vec![Fault::hostile(NSG_LIST, Action::OversizeBody(2 << 20), 1_000)];
    let fake = FakeArm::start(&demo(), Options { faults, ..Options::default() });
    let run = scan(&fake, &[("ACR_AUDIT_MAX_PAGE_BYTES", "1048576")], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(requests_to(&fake, NSG_LIST), 1, "not retried");
    let errors = errors_for(&run, NSG_TYPE);
    assert_eq!(errors.len(), 1, "{:#?}", run.snapshot);
    assert_eq!(errors[0]["code"], "ResponseTooLarge");
    assert!(errors[0]["message"].as_str().unwrap().contains("1048576 bytes"), "{}", errors[0]);
    assert_eq!(run.snapshot.as_ref().unwrap()["errors"].as_array().unwrap().len(), 1, "other lists are whole");
}

#[test]
fn an_oversize_token_is_a_sign_in_error() {
    // The default bound (64 KiB) against a 100 KiB token.
    let faults = vec![Fault::hostile("/oauth2/v2.0/token", Action::OversizeToken(100 * 1024), 100)];
    let fake = FakeArm::start(&demo(), Options { faults, ..Options::default() });
    let run = scan(&fake, &[], &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("could not sign in to Azure"), "{}", run.stderr);
    assert!(run.stderr.contains("token response is larger than 65536 bytes"), "{}", run.stderr);
    assert!(fake.requests().is_empty(), "no ARM request without an acceptable token");
}

#[test]
fn an_error_message_reflecting_the_authorization_header_is_redacted_everywhere() {
    let reflect = Fault {
        action: Some(Action::ReflectAuthorization),
        ..Fault::status("/providers/microsoft.authorization/roleassignments", 403, "AuthorizationFailed", 1_000)
    };
    let fake = FakeArm::start(&demo(), Options { faults: vec![reflect], ..Options::default() });
    // The JSON report to a file, the table to stdout, request logs (-v) and diagnostics to stderr.
    let dir = tempfile::tempdir().unwrap();
    let report_file = dir.path().join("report.json");
    let report_path = report_file.to_str().unwrap();
    let run = scan(&fake, &[], &["-v", "--output", report_path, "--format", "table"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = std::fs::read_to_string(&report_file).unwrap();
    let errors = errors_for(&run, "Microsoft.Authorization/roleAssignments");
    assert!(!errors.is_empty(), "{:#?}", run.snapshot);
    let message = errors[0]["message"].as_str().unwrap();
    assert!(message.contains("Authorization: Bearer [REDACTED]"), "the message is kept, cleaned: {message}");
    for text in [&run.stdout, &run.stderr, &run.snapshot_text, &report] {
        for secret in [FAKE_TOKEN, FAKE_SECRET, FAKE_FEDERATED_TOKEN] {
            assert!(!text.contains(secret), "{secret} leaked into:\n{text}");
        }
    }
    assert!(report.contains("Bearer [REDACTED]"), "the JSON report shows the cleaned error");
    assert!(run.stderr.contains("x-ms-request-id"), "-v logged requests: {}", run.stderr);
}
