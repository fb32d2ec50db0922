# METADATA
# title: NSG denies outbound 443 to the registry's data endpoint or storage
# description: |
#   ## What it does
#   For each client path to a registry data endpoint (`<registry>.<region>.data.azurecr.io`) or, without
#   dedicated data endpoints, to the registry's storage (`Storage.<region>`), flags the NSG whose rule denies
#   outbound TCP 443 to all of it.
#
#   ## Why is this bad?
#   Login and manifest requests succeed, then layer downloads hang: `dial tcp <storage-ip>:443: i/o timeout`.
#   The failure looks like a registry or storage outage.
#
#   ## Fix
#   Allow outbound TCP 443 to the service tag `Storage.<region>` (every range, not some) or to the data
#   endpoint's private IP, at a priority below the deny rule.
# related_resources:
#   - https://learn.microsoft.com/azure/container-registry/container-registry-firewall-access-rules
#   - https://learn.microsoft.com/troubleshoot/azure/azure-container-registry/troubleshoot-image-pull-io-timeout
# custom:
#   id: ACR-NET-001
#   severity: high
#   symptoms:
#     - "dial tcp <storage-endpoint-ip>:443: i/o timeout"
#     - "ImagePullBackOff"
#   remediation:
#     - az network nsg rule create --resource-group {resource_resource_group} --nsg-name {resource_name} --name AllowRegistryData443 --priority {priority} --direction Outbound --access Allow --protocol Tcp --destination-port-ranges 443 --destination-address-prefixes {destination}
package acr_audit.network.acr_net_001

import data.acr_audit.lib.helpers as h
import rego.v1

deny contains finding if {
	some path in input.paths
	path.endpoint.kind in {"data", "storage"}
	path.nsg.verdict == "deny"
	not path.nsg.uncertain
	some evaluation in path.nsg.evaluations
	evaluation.verdict == "deny"
	rule := deciding_deny(evaluation)
	finding := {
		"msg": sprintf(
			"NSG %s denies outbound TCP 443 from %s to %s %s (%s) by rule %s (priority %d): layer downloads time out",
			[evaluation.name, path.client_name, path.endpoint.kind, path.endpoint.fqdn, destination(path), rule.name, rule.priority],
		),
		"resource": evaluation.nsg,
		"registry": path.registry,
		"client": path.client,
		"params": {"priority": max([rule.priority - 10, 100]), "destination": destination(path)},
		"evidence": {"endpoint": path.endpoint.fqdn, "rule": rule.id, "denied_examples": evaluation.denied_examples, "level": evaluation.level},
	}
}

deciding_deny(evaluation) := [r | some r in evaluation.deciding_rules; r.access == "Deny"][0]

destination(path) := path.destination.service_tag if path.destination.kind == "service_tag"

destination(path) := concat(",", path.destination.examples) if path.destination.kind != "service_tag"
