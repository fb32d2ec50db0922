# METADATA
# title: NSG denies outbound 443 to the registry login server
# description: |
#   ## What it does
#   For each client path to a registry's login server (its private endpoint IP, or the
#   `AzureContainerRegistry.<region>` tag), flags the NSG whose rule denies outbound TCP 443 to it (or, at a
#   private endpoint subnet that enforces network policies, inbound).
#
#   ## Why is this bad?
#   Every `docker login`, `az acr login` and image pull starts at the login server: the client waits and gives
#   up with `Client.Timeout exceeded while awaiting headers`.
#
#   ## Fix
#   Allow TCP 443 to `AzureContainerRegistry.<region>` or to the private endpoint IP, at a priority below the
#   deny rule.
# related_resources:
#   - https://learn.microsoft.com/azure/container-registry/container-registry-firewall-access-rules
#   - https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview
# custom:
#   id: ACR-NET-002
#   severity: high
#   symptoms:
#     - "Get \"https://<registry>.azurecr.io/v2/\": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)"
#     - "Could not connect to the registry login server"
#   remediation:
#     - az network nsg rule create --resource-group {resource_resource_group} --nsg-name {resource_name} --name AllowRegistryLogin443 --priority {priority} --direction {direction} --access Allow --protocol Tcp --destination-port-ranges 443 --destination-address-prefixes {destination}
package acr_audit.network.acr_net_002

import data.acr_audit.lib.helpers as h
import rego.v1

deny contains finding if {
	some path in input.paths
	path.endpoint.kind == "login"
	path.nsg.verdict == "deny"
	not path.nsg.uncertain
	some evaluation in path.nsg.evaluations
	evaluation.verdict == "deny"
	rule := [r | some r in evaluation.deciding_rules; r.access == "Deny"][0]
	finding := {
		"msg": sprintf(
			"NSG %s denies %s TCP 443 from %s to login server %s by rule %s (priority %d)",
			[evaluation.name, lower(evaluation.direction), path.client_name, path.endpoint.fqdn, rule.name, rule.priority],
		),
		"resource": evaluation.nsg,
		"registry": path.registry,
		"client": path.client,
		"params": {"priority": max([rule.priority - 10, 100]), "direction": evaluation.direction, "destination": destination(path)},
		"evidence": {"rule": rule.id, "level": evaluation.level, "denied_examples": evaluation.denied_examples},
	}
}

destination(path) := path.destination.service_tag if path.destination.kind == "service_tag"

destination(path) := concat(",", path.destination.examples) if path.destination.kind != "service_tag"
