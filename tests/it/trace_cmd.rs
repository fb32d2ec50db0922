//! `acr-audit trace`: the demo's planted problems, hop by hop, in text, JSON and mermaid.

use super::common;
use common::*;

/// Trace the demo's cluster to its production registry in one format.
fn trace_demo(format: &str) -> (i32, String) {
    trace(&[
        "fixtures/demo/snapshot.json",
        "--client",
        "aks-prod-eastus",
        "--registry",
        "contosoprodacr",
        "--format",
        format,
    ])
}

fn trace(args: &[&str]) -> (i32, String) {
    let out = acr_audit().arg("trace").args(args).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap())
}

#[test]
fn text_trace_shows_the_blocking_hops_of_the_demo() {
    let (code, text) =
        trace(&["fixtures/demo/snapshot.json", "--client", "aks-prod-eastus", "--registry", "contosoprodacr"]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("login contosoprodacr.azurecr.io [eastus] from subnet snet-aks-nodes: BLOCKED at azure_firewall"),
        "{text}"
    );
    assert!(text.contains("public address (no privatelink zone linked to the client VNet)"), "{text}");
    assert!(text.contains("VirtualAppliance 10.0.0.4 via default-via-firewall"), "{text}");
    assert!(
        text.contains("nsg-aks-nodes Outbound at client_subnet: allow by Allow AllowAcrOutbound (priority 100)"),
        "{text}"
    );
    // The hub firewall's hop, between the NSG and the registry firewall, names its verdict and why.
    assert!(
        text.contains("5 Azure FW     afw-hub-eastus 10.0.0.4 (policy afwp-hub-eastus): deny TCP 443 to contosoprodacr.azurecr.io: no rule matched (deny by default); leaves from 20.85.20.10"),
        "{text}"
    );
    assert!(text.contains("public network access is disabled"), "{text}");
    assert!(text.contains("may pull: yes (roles: AcrPull)"), "{text}");
}

#[test]
fn clean_estate_traces_reachable_private_paths() {
    let (code, text) =
        trace(&["fixtures/demo/snapshot-clean.json", "--client", "aks-prod-eastus", "--registry", "contosoprodacr"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("10.0.1.5 (A record contosoprodacr in linked zone privatelink.azurecr.io)"), "{text}");
    // The private endpoint's /32 host route carries the traffic (it beats the peering's /16).
    assert!(text.contains("InterfaceEndpoint via private-endpoint:pe-contosoprodacr 10.0.1.5/32 (System)"), "{text}");
    assert!(!text.contains("BLOCKED"), "{text}");
}

#[test]
fn json_trace_carries_pair_and_path_facts() {
    let (code, text) = trace_demo("json");
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["pair"]["registry_name"], "contosoprodacr");
    assert_eq!(v["pair"]["rbac"]["grants_pull"], "yes");
    let paths = v["paths"].as_array().unwrap();
    assert_eq!(paths.len(), 2, "login and the eastus data endpoint");
    for p in paths {
        assert_eq!(p["dns"]["status"], "public");
        assert_eq!(p["destination"]["service_tag"], "AzureContainerRegistry.EastUS");
        assert_eq!(p["route"]["hops"][0]["next_hop_type"], "VirtualAppliance");
        assert_eq!(p["nsg"]["verdict"], "allow");
        assert_eq!(p["azure_firewall"]["verdict"], "deny");
        assert_eq!(p["azure_firewall"]["deciding_rule"], serde_json::Value::Null, "no rule matched");
        assert_eq!(p["azure_firewall"]["policy_chain"].as_array().unwrap().len(), 2, "base policy first");
        assert_eq!(p["firewall"]["verdict"], "blocked");
        assert_eq!(p["blocked_at"], "azure_firewall");
    }
    assert_eq!(paths[1]["endpoint"]["fqdn"], "contosoprodacr.eastus.data.azurecr.io");
}

#[test]
fn mermaid_marks_the_blocking_hop_red() {
    let (_, text) = trace_demo("mermaid");
    assert!(text.starts_with("flowchart LR"), "{text}");
    assert!(text.contains("classDef blocked fill:#f66"), "{text}");
    assert!(
        text.contains("p0_nsg --> p0_azure_firewall[\"Azure Firewall afw-hub-eastus: deny (no rule matched)\"]"),
        "{text}"
    );
    assert!(text.contains("class p0_azure_firewall blocked"), "{text}");
}

#[test]
fn unknown_client_lists_what_is_there() {
    let (code, text) = trace(&["fixtures/demo/snapshot.json", "--client", "nope", "--registry", "contosoprodacr"]);
    assert_eq!(code, 2);
    assert!(text.contains("clients here: aks-prod-eastus"), "{text}");
    assert!(text.contains("contosoprodacr, contosobuildacr"), "{text}");
}

/// The step numbers of a text trace, per path (lines that start with two spaces and a number).
fn step_numbers(text: &str) -> Vec<Vec<u32>> {
    let mut paths: Vec<Vec<u32>> = Vec::new();
    for line in text.lines() {
        if !line.starts_with(' ') && !line.is_empty() && !line.starts_with("RBAC") && line.contains(" from subnet ") {
            paths.push(Vec::new());
        } else if let Some(n) = line.strip_prefix("  ").and_then(|l| l.split(' ').next()).and_then(|n| n.parse().ok()) {
            paths.last_mut().expect("a step before any path").push(n);
        }
    }
    paths
}

#[test]
fn steps_are_numbered_without_gaps_when_a_hop_is_absent() {
    // The demo's public paths have no private endpoint (no peering step): the numbers must still run 1, 2, 3 ...
    for snapshot in ["fixtures/demo/snapshot.json", "fixtures/demo/snapshot-clean.json"] {
        let (_, text) = trace(&[snapshot, "--client", "aks-prod-eastus", "--registry", "contosoprodacr"]);
        let paths = step_numbers(&text);
        assert!(!paths.is_empty(), "{text}");
        for steps in paths {
            let want: Vec<u32> = (1..=steps.len() as u32).collect();
            assert_eq!(steps, want, "{text}");
        }
    }
}

/// A web app pulling from a registry with public access disabled: the trace names the kind,
/// the sign-in and the public-pull verdict, and fails; a misspelt consumer name is refused with the closest one.
#[test]
fn consumers_trace_with_their_kind_sign_in_and_public_pull() {
    let rg = "/subscriptions/34adfa4f-cedf-4dc0-ba29-b6d1a69ab345/resourceGroups/rg";
    let site = format!("{rg}/providers/Microsoft.Web/sites/web1");
    let snapshot = serde_json::json!({
        "schema": "acr-audit/snapshot/v1",
        "resources": {
            "Microsoft.ContainerRegistry/registries": [{"id": format!("{rg}/providers/Microsoft.ContainerRegistry/registries/contosoacr"),
                "name": "contosoacr", "location": "eastus", "sku": {"name": "Premium"},
                "properties": {"loginServer": "contosoacr.azurecr.io", "publicNetworkAccess": "Disabled"}}],
            "Microsoft.Web/sites": [{"id": site, "name": "web1", "kind": "app,linux,container", "location": "East US",
                "identity": {"type": "SystemAssigned", "principalId": "11111111-1111-1111-1111-111111111111"},
                "properties": {"outboundIpAddresses": "70.37.102.201,20.225.43.144"}}]
        },
        "children": {"Microsoft.Web/sites/config": [{"parentId": site, "value": [{"id": format!("{site}/config/web"),
            "name": "web", "properties": {"linuxFxVersion": "DOCKER|contosoacr.azurecr.io/web:1",
                "acrUseManagedIdentityCreds": true, "acrUserManagedIdentityID": ""}}]}]}
    });
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("consumers.json");
    std::fs::write(&file, serde_json::to_vec(&snapshot).unwrap()).unwrap();
    let file = file.to_str().unwrap();
    let (code, text) = trace(&[file, "--client", "web1", "--registry", "contosoacr"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("web1 → contosoacr (pair: selected)"), "{text}");
    assert!(text.contains("client kind webapp; pulls from the public network"), "{text}");
    assert!(
        text.contains("sign-in to contosoacr.azurecr.io: managed_identity identity system → 11111111-1111-1111-1111-111111111111 (resolved)"),
        "{text}"
    );
    assert!(text.contains("public pull: blocked: the registry's public network access is disabled"), "{text}");
    assert!(!text.contains("node VMSS"), "{text}");
    let (code, text) = trace(&[file, "--client", "web2", "--registry", "contosoacr"]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("web1"), "the closest name is offered: {text}");
    // A `--pairs` file names consumers as it names clusters.
    for (client, code) in [("web1", [0, 1]), ("web2", [2, 2])] {
        let pairs = dir.path().join(format!("{client}.yaml"));
        std::fs::write(&pairs, format!("pairs:\n  - client: {client}\n    registry: contosoacr\n")).unwrap();
        let out = acr_audit().args(["eval", file, "--pairs", pairs.to_str().unwrap()]).output().unwrap();
        let got = out.status.code().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(code.contains(&got), "{client}: exit {got}: {stderr}");
        assert_eq!(stderr.contains("client `web2` is not in the snapshot"), client == "web2", "{stderr}");
    }
}
