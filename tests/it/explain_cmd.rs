//! `acr-audit explain`: real error texts from the ACR troubleshooting guides rank the right rules first.

use super::common;
use common::*;

fn ranked(text: &str) -> Vec<String> {
    let out = acr_audit().args(["explain", text, "--format", "json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v.as_array().unwrap().iter().map(|m| m["rule"].as_str().unwrap().to_string()).collect()
}

fn top(text: &str, n: usize) -> Vec<String> {
    let mut r = ranked(text);
    r.truncate(n);
    r.sort();
    r
}

#[test]
fn anonymous_token_403_ranks_dns_link_firewall_and_public_access_first() {
    assert_eq!(
        top("failed to fetch anonymous token: unexpected status: 403 Forbidden", 3),
        vec!["ACR-DNS-002", "ACR-REG-001", "ACR-REG-002"]
    );
}

#[test]
fn firewall_denial_with_a_real_ip_ranks_the_firewall_rule_first() {
    let r = ranked(
        r#"denied: {"errors":[{"code":"DENIED","message":"client with IP '203.0.113.7' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."}]}"#,
    );
    assert_eq!(r[0], "ACR-REG-002", "{r:?}");
}

#[test]
fn the_bare_firewall_denial_ranks_the_firewall_first_and_public_dns_second() {
    // The message as `docker pull` prints it, without the JSON envelope (issue #10): the registry firewall is
    // the direct cause; a name that resolved publicly (no private DNS record) is the next suspect.
    let r = ranked("client with IP '203.0.113.7' is not allowed access");
    assert_eq!(r[..2], ["ACR-REG-002", "ACR-DNS-001"], "{r:?}");
    // A private address is what a service endpoint shows the registry: then the subnet rule comes first.
    let r = ranked("client with IP '10.1.2.4' is not allowed access");
    assert_eq!(r[0], "ACR-REG-009", "{r:?}");
}

#[test]
fn timeout_to_a_public_storage_ip_points_at_nsg_and_routes_not_private_link() {
    let r = top("dial tcp 20.60.134.100:443: i/o timeout", 2);
    assert_eq!(r, vec!["ACR-NET-001", "ACR-NET-003"]);
    let private = ranked("dial tcp 10.0.1.5:443: i/o timeout");
    assert!(
        private[..3]
            .iter()
            .all(|id| ["ACR-NET-005", "ACR-NET-006", "ACR-REG-004", "ACR-NET-008"].contains(&id.as_str())),
        "{private:?}"
    );
}

#[test]
fn oauth_401_ranks_the_identity_rules_first() {
    let r = top("failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized", 2);
    assert_eq!(r, vec!["ACR-IAM-001", "ACR-IAM-003"]);
}

#[test]
fn dns_lookup_failures_rank_the_dns_rules_first() {
    let r = top("dial tcp: lookup contosoacr.azurecr.io on 10.0.0.10:53: no such host", 2);
    assert_eq!(r, vec!["ACR-DNS-003", "ACR-DNS-004"]);
}

#[test]
fn with_a_snapshot_it_says_which_matching_rules_fire_and_where() {
    let out = acr_audit()
        .args([
            "explain",
            "failed to fetch anonymous token: unexpected status: 403 Forbidden",
            "--snapshot",
            "fixtures/demo/snapshot.json",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("1. ACR-DNS-002"), "{text}");
    assert!(text.contains("FIRES on privatelink.azurecr.io"), "{text}");
    assert!(text.contains("FIRES on contosobuildacr"), "{text}");
    assert!(text.contains("does not fire on this snapshot"), "{text}");
}

#[test]
fn unrelated_text_matches_nothing() {
    assert!(ranked("the quick brown fox jumps over the lazy dog").is_empty());
}
