//! Live scans of the registry's consumers beyond AKS (issue #12), end to end: the fake ARM serves the corpus
//! estate `21-consumers.json` (published example bodies, ids joined up) and the real binary scans it. A container
//! web app, a container app, a container group and an ACR task pull from one network-restricted Premium registry;
//! each pulls in the base estate, then each is broken the way it typically breaks, and the scan must name it with
//! the fix for its kind:
//!
//! - every pulling identity without AcrPull (ACR-IAM-001), the pairs still found through the images;
//! - the web app without VNet image pull: a public pull the private registry refuses (ACR-USE-001);
//! - the container app's registry entry naming an identity the app does not have (ACR-USE-002);
//! - the container group in a subnet whose NSG denies HTTPS out (ACR-NET-001/002);
//! - the task off its agent pool, on the shared agents the registry no longer lets in (ACR-USE-003).
//!
//! Where the snapshot cannot say (image pull routing of a site left to an app setting, a site configuration that
//! could not be read, a registry that does not say whether tasks may bypass its rules) the verdict is unknown:
//! nothing fires above info, and the report lists the unknown (ACR-USE-005, or ACR-META-001 for a read error).

use super::common::*;
use super::corpus::{assemble, load_estate};
use super::fake_arm::{FakeArm, Fault, Options};
use acr_audit::analysis::{analyse, Facts, Selection};
use acr_audit::model::Model;
use acr_audit::snapshot::parse_snapshot;
use serde_json::{json, Value};

const ESTATE: &str = "21-consumers.json";
const SUB: &str = DEMO_SUBSCRIPTION;

fn id(group: &str, rest: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/{group}/providers/{rest}")
}
fn registry() -> String {
    id("rg-acr", "Microsoft.ContainerRegistry/registries/acrconsumers")
}
fn web_app() -> String {
    id("rg-apps", "Microsoft.Web/sites/app-orders")
}
fn code_site() -> String {
    id("rg-apps", "Microsoft.Web/sites/app-docs")
}
fn container_app() -> String {
    id("rg-apps", "Microsoft.App/containerApps/ca-orders")
}
fn container_group() -> String {
    id("rg-apps", "Microsoft.ContainerInstance/containerGroups/ci-orders-batch")
}
fn task() -> String {
    format!("{}/tasks/build-orders", registry())
}
fn vnet() -> String {
    id("rg-network", "Microsoft.Network/virtualNetworks/vnet-apps")
}

/// The consumers estate as the fake ARM serves it, in the scanned subscription.
fn estate() -> Value {
    let mut s = assemble(ESTATE, &load_estate(ESTATE));
    s["metadata"]["subscriptions"] = json!([{"subscriptionId": SUB, "displayName": "consumers", "state": "Enabled"}]);
    s
}

/// No role assignment at the registry at all (the list is read, and empty).
fn without_role_assignments(s: &mut Value) {
    for c in s["children"]["Microsoft.Authorization/roleAssignments"].as_array_mut().unwrap() {
        c["value"] = json!([]);
    }
}

/// One scan: exit code, the JSON report, the snapshot it saved.
struct Scan {
    code: i32,
    report: Value,
    snapshot: Value,
}

impl Scan {
    /// (rule, severity, resource, message) of every finding.
    fn findings(&self) -> Vec<(String, String, String, String)> {
        self.report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
                (s("rule"), s("severity"), s("resource"), s("message"))
            })
            .collect()
    }
    /// The findings of `rule` on `resource`: (message, remediation).
    fn on(&self, rule: &str, resource: &str) -> Vec<(String, Vec<String>)> {
        self.report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == rule && f["resource"].as_str().unwrap_or("").eq_ignore_ascii_case(resource))
            .map(|f| {
                let fix =
                    f["remediation"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
                (f["message"].as_str().unwrap().to_string(), fix)
            })
            .collect()
    }
    /// Findings at high or above.
    fn highs(&self) -> Vec<String> {
        self.findings()
            .into_iter()
            .filter(|(_, s, _, _)| s == "high" || s == "critical")
            .map(|(r, _, res, m)| format!("{r} {res}: {m}"))
            .collect()
    }
    /// The facts of the saved snapshot, as `eval` would compute them.
    fn facts(&self) -> Facts {
        let bytes = serde_json::to_vec(&self.snapshot).unwrap();
        let model = Model::from_snapshot(parse_snapshot(&bytes, std::path::Path::new("collected.json")).unwrap());
        analyse(&model, &Selection::default())
    }
}

fn scan(estate: &Value, faults: Vec<Fault>) -> Scan {
    let fake = FakeArm::start(estate, Options { page_size: 2, faults, ..Options::default() });
    let run = scan_fake_arm(&fake, &[], &["--fail-on", "high"]);
    let report = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    Scan { code: run.code, report, snapshot: run.snapshot.expect("the scan saved its snapshot") }
}

/// The pair of `client` with the registry.
fn pair<'f>(facts: &'f Facts, client: &str) -> &'f acr_audit::analysis::PairFacts {
    facts
        .pairs
        .iter()
        .find(|p| p.client.eq_ignore_ascii_case(client) && p.registry.eq_ignore_ascii_case(&registry()))
        .unwrap_or_else(|| panic!("{client} is not paired with the registry: {:?}", facts.pairs))
}

#[test]
fn every_consumer_pulls_in_the_base_estate_each_paired_by_what_it_runs() {
    let scan = scan(&estate(), vec![]);
    assert_eq!(scan.highs(), Vec::<String>::new());
    assert_eq!(scan.code, 0, "{:?}", scan.findings());
    let facts = scan.facts();
    let kinds: Vec<(String, &str, &str)> = facts
        .clients
        .iter()
        .map(|c| (c.name.clone(), c.kind.as_str(), c.pull_network.as_str()))
        .filter(|(_, k, _)| *k != "aks")
        .collect();
    assert_eq!(
        kinds,
        [
            ("app-orders".to_string(), "webapp", "vnet"),
            ("ca-orders".to_string(), "containerapp", "vnet"),
            ("ci-orders-batch".to_string(), "containergroup", "vnet"),
            ("build-orders".to_string(), "task", "vnet"),
        ]
    );
    for consumer in [web_app(), container_app(), container_group()] {
        let p = pair(&facts, &consumer);
        assert_eq!(p.reason.as_str(), "image_reference", "{consumer}");
        let login = p.login.as_ref().expect("a sign-in entry for the registry");
        assert_eq!((login.method.as_str(), login.identity_status.as_str()), ("managed_identity", "resolved"));
        assert_eq!(p.rbac.grants_pull.as_str(), "yes", "{consumer}");
        assert!(p.public_pull.is_none(), "a VNet pull has paths, not a public pull verdict");
    }
    assert_eq!(pair(&facts, &task()).reason.as_str(), "own_registry");
    // The code site runs no image: it is no client at all.
    assert!(!facts.clients.iter().any(|c| c.id.eq_ignore_ascii_case(&code_site())));
    // Every consumer's paths reach the private endpoint.
    for consumer in [web_app(), container_app(), container_group(), task()] {
        let paths: Vec<_> = facts.paths.iter().filter(|p| p.client.eq_ignore_ascii_case(&consumer)).collect();
        assert!(!paths.is_empty(), "{consumer} has paths");
        assert!(paths.iter().all(|p| p.reachable.as_str() == "yes"), "{consumer}: {paths:?}");
    }
}

#[test]
fn identities_without_acrpull_fail_with_the_fix_of_their_kind_and_stay_paired_by_image() {
    let mut s = estate();
    without_role_assignments(&mut s);
    let scan = scan(&s, vec![]);
    assert_eq!(scan.code, 1);
    let facts = scan.facts();
    for consumer in [web_app(), container_app(), container_group()] {
        let p = pair(&facts, &consumer);
        assert_eq!((p.reason.as_str(), p.rbac.grants_pull.as_str()), ("image_reference", "no"), "{consumer}");
        let found = scan.on("ACR-IAM-001", &registry());
        assert!(
            found.iter().any(|(m, _)| m.starts_with("Managed identity 74adfa4f-dedf-8dc0-ca29-b6d1a69ab312 of ")),
            "{found:?}"
        );
    }
    let iam: Vec<String> = scan
        .findings()
        .into_iter()
        .filter(|(r, _, _, _)| r == "ACR-IAM-001")
        .map(|(_, sev, _, m)| format!("{sev} {m}"))
        .collect();
    assert_eq!(iam.len(), 3, "one per consumer that signs in with an identity: {iam:?}");
    for name in ["app-orders", "ca-orders", "ci-orders-batch"] {
        assert!(iam.iter().any(|m| m.starts_with("high ") && m.contains(&format!(" of {name} "))), "{name}: {iam:?}");
    }
    // A task signs in to its own registry with the run's token: no role is needed, no finding.
    assert!(!iam.iter().any(|m| m.contains("build-orders")), "{iam:?}");
    // The fix is the role assignment, not `az aks update --attach-acr`.
    let fixes: Vec<String> = scan.on("ACR-IAM-001", &registry()).into_iter().flat_map(|(_, f)| f).collect();
    assert!(fixes.iter().all(|f| f.starts_with("az role assignment create")), "{fixes:?}");
}

#[test]
fn a_web_app_without_vnet_integration_pulls_publicly_and_the_private_registry_refuses_it() {
    let mut s = estate();
    resource_mut(&mut s, "Microsoft.Web/sites", &web_app())["properties"]
        .as_object_mut()
        .unwrap()
        .remove("virtualNetworkSubnetId");
    let scan = scan(&s, vec![]);
    let found = scan.on("ACR-USE-001", &web_app());
    assert_eq!(found.len(), 1, "{:?}", scan.findings());
    let (message, fix) = &found[0];
    assert!(message.starts_with("App Service app app-orders pulls its image over the public network"), "{message}");
    assert!(message.contains("public network access"), "{message}");
    assert!(fix.iter().any(|c| c.contains("outboundVnetRouting.imagePullTraffic=true")), "{fix:?}");
    assert!(fix.iter().any(|c| c.starts_with("az webapp vnet-integration add --name app-orders")), "{fix:?}");
    let p = scan.facts();
    let public = pair(&p, &web_app()).public_pull.clone().expect("a public pull verdict");
    assert_eq!(public.verdict.as_str(), "blocked");
    assert_eq!(public.egress_ips, ["70.37.102.201", "20.225.43.144"]);
}

#[test]
fn a_web_app_whose_image_pull_route_is_left_to_an_app_setting_is_unknown_not_refused() {
    // VNet-integrated, but no image pull flag on the site: the legacy WEBSITE_PULL_IMAGE_OVER_VNET app setting may
    // still send the pull through the VNet, and Reader cannot list app settings.
    let mut s = estate();
    resource_mut(&mut s, "Microsoft.Web/sites", &web_app())["properties"]["outboundVnetRouting"]["imagePullTraffic"] =
        json!(false);
    let scan = scan(&s, vec![]);
    assert!(scan.on("ACR-USE-001", &web_app()).is_empty(), "{:?}", scan.findings());
    assert_eq!(scan.highs(), Vec::<String>::new());
    // The report says where the audit stops, at info: a clean report is not read as "this app pulls".
    let listed = scan.on("ACR-USE-005", &web_app());
    assert_eq!(listed.len(), 1, "{:?}", scan.findings());
    assert!(listed[0].0.contains("WEBSITE_PULL_IMAGE_OVER_VNET"), "{listed:?}");
    assert!(listed[0].1[0].contains("outboundVnetRouting.imagePullTraffic=true"), "{listed:?}");
    assert_eq!(scan.code, 0, "an info finding does not fail --fail-on high");
    let facts = scan.facts();
    let app = facts.clients.iter().find(|c| c.id.eq_ignore_ascii_case(&web_app())).unwrap();
    assert_eq!(app.pull_network.as_str(), "unknown");
    assert!(app.pull_network_reason.as_deref().unwrap().contains("WEBSITE_PULL_IMAGE_OVER_VNET"), "{app:?}");
}

#[test]
fn an_unreadable_site_configuration_is_an_error_not_a_failed_pull() {
    let scan = scan(&estate(), vec![Fault::status("/sites/app-orders/config/web", 403, "AuthorizationFailed", 99)]);
    let meta = scan.findings().into_iter().filter(|(r, _, _, _)| r == "ACR-META-001").count();
    assert_eq!(meta, 1, "{:?}", scan.findings());
    let about_the_site: Vec<_> = scan
        .findings()
        .into_iter()
        .filter(|(r, _, res, _)| r != "ACR-META-001" && res.contains("app-orders"))
        .collect();
    assert!(about_the_site.is_empty(), "{about_the_site:?}");
}

#[test]
fn a_container_app_naming_an_identity_it_does_not_have_cannot_sign_in() {
    let mut s = estate();
    resource_mut(&mut s, "Microsoft.App/containerApps", &container_app())["identity"] = json!({"type": "SystemAssigned", "principalId": "24adfa4f-dedf-8dc0-ca29-b6d1a69ab319", "tenantId": "23adfa4f-eedf-1dc0-ba29-a6d1a69ab3d0"});
    let scan = scan(&s, vec![]);
    let found = scan.on("ACR-USE-002", &container_app());
    assert_eq!(found.len(), 1, "{:?}", scan.findings());
    let (message, fix) = &found[0];
    assert!(message.contains("is not assigned to it"), "{message}");
    assert!(
        fix[0].starts_with(
            "az containerapp identity assign --name ca-orders --resource-group rg-apps --user-assigned /subscriptions/"
        ),
        "{fix:?}"
    );
    assert!(fix[1].starts_with("az containerapp registry set --name ca-orders"), "{fix:?}");
    // The identity cannot be used, so its roles are not judged (no ACR-IAM-001 on top).
    assert!(scan.findings().iter().all(|(r, _, _, m)| r != "ACR-IAM-001" || !m.contains("ca-orders")));
}

#[test]
fn a_container_group_in_a_subnet_that_cannot_reach_the_registry_is_blocked_on_its_path() {
    let mut s = estate();
    let nsg = id("rg-network", "Microsoft.Network/networkSecurityGroups/nsg-aci");
    // NetworkSecurityGroupGet (network 2024-05-01), with a rule denying HTTPS to the VNet ahead of the defaults.
    let mut body = read_json(&path("tests/corpus/bodies/network/2024-05-01/NetworkSecurityGroupGet.json"));
    let text = serde_json::to_string(&body).unwrap().replace(
        "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/networkSecurityGroups/testnsg",
        &nsg,
    );
    body = serde_json::from_str(&text).unwrap();
    body["name"] = json!("nsg-aci");
    body["properties"]["securityRules"] = json!([{
        "name": "DenyHttpsOut", "id": format!("{nsg}/securityRules/DenyHttpsOut"),
        "properties": {"provisioningState": "Succeeded", "protocol": "Tcp", "sourcePortRange": "*",
            "destinationPortRange": "443", "sourceAddressPrefix": "*", "destinationAddressPrefix": "VirtualNetwork",
            "access": "Deny", "priority": 100, "direction": "Outbound"}
    }]);
    s["resources"]["Microsoft.Network/networkSecurityGroups"] = json!([body]);
    let aci_subnet = format!("{}/subnets/snet-aci", vnet());
    let vnet_id = vnet();
    let vnet_item = resource_mut(&mut s, "Microsoft.Network/virtualNetworks", &vnet_id);
    let subnet = vnet_item["properties"]["subnets"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|x| x["id"].as_str().unwrap().eq_ignore_ascii_case(&aci_subnet))
        .unwrap();
    subnet["properties"]["networkSecurityGroup"] = json!({"id": nsg});
    let scan = scan(&s, vec![]);
    let nsg_findings: Vec<_> = scan
        .findings()
        .into_iter()
        .filter(|(r, _, _, m)| r.starts_with("ACR-NET-00") && m.contains("ci-orders-batch"))
        .collect();
    assert!(!nsg_findings.is_empty(), "{:?}", scan.findings());
    assert!(
        nsg_findings.iter().all(|(_, sev, res, _)| sev == "high" && res.eq_ignore_ascii_case(&nsg)),
        "{nsg_findings:?}"
    );
    // Only the group's subnet has the NSG: the other consumers still pull.
    for other in ["app-orders", "ca-orders", "build-orders"] {
        assert!(!scan.highs().iter().any(|h| h.contains(other)), "{other}: {:?}", scan.highs());
    }
}

#[test]
fn a_task_off_its_agent_pool_is_refused_by_its_restricted_registry_unless_tasks_may_bypass() {
    let mut s = estate();
    child_mut(&mut s, "Microsoft.ContainerRegistry/registries/tasks", &task())["properties"]
        .as_object_mut()
        .unwrap()
        .remove("agentPoolName");
    let refused = scan(&s, vec![]);
    let found = refused.on("ACR-USE-003", &task());
    assert_eq!(found.len(), 1, "{:?}", refused.findings());
    let (message, fix) = &found[0];
    assert!(message.contains("networkRuleBypassAllowedForTasks"), "{message}");
    assert!(fix[0].contains("--set properties.networkRuleBypassAllowedForTasks=true"), "{fix:?}");
    assert!(fix[0].contains("--name acrconsumers --resource-group rg-acr"), "{fix:?}");

    // With the bypass allowed, the shared agents get in.
    resource_mut(&mut s, "Microsoft.ContainerRegistry/registries", &registry())["properties"]
        ["networkRuleBypassAllowedForTasks"] = json!(true);
    let allowed = scan(&s, vec![]);
    assert!(allowed.on("ACR-USE-003", &task()).is_empty(), "{:?}", allowed.findings());
    assert_eq!(pair(&allowed.facts(), &task()).public_pull.as_ref().unwrap().verdict.as_str(), "allowed");

    // A registry read before api-version 2025-11-01 does not say: unknown, no finding.
    resource_mut(&mut s, "Microsoft.ContainerRegistry/registries", &registry())["properties"]
        .as_object_mut()
        .unwrap()
        .remove("networkRuleBypassAllowedForTasks");
    let unknown = scan(&s, vec![]);
    assert!(unknown.on("ACR-USE-003", &task()).is_empty(), "{:?}", unknown.findings());
    assert_eq!(unknown.on("ACR-USE-005", &task()).len(), 1, "the unknown is listed: {:?}", unknown.findings());
    assert_eq!(pair(&unknown.facts(), &task()).public_pull.as_ref().unwrap().verdict.as_str(), "unknown");
}
