# METADATA
# title: Registry firewall does not allow the client's egress IP
# description: |
#   ## What it does
#   For each client that reaches the registry over its public endpoint, checks the client's egress public IPs
#   and ranges (NAT gateway IPs and public IP prefixes, node public IP prefixes, instance public IPs, load
#   balancer outbound IPs) against the registry firewall's `ipRules` when the default action is `Deny`. A range
#   counts as allowed only when every address in it is inside the rules. IPv6 egress toward the registry's IPv4
#   endpoint is not judged.
#
#   ## Why is this bad?
#   The registry answers requests from other addresses with `client with IP ... is not allowed access`, so
#   every login and pull from that client fails with 403.
#
#   ## Fix
#   Add the egress IPs (or their prefix) to the registry firewall, or reach the registry through a private
#   endpoint. Egress IPs change when a cluster's outbound configuration changes: prefer a public IP prefix.
# related_resources:
#   - https://learn.microsoft.com/azure/container-registry/container-registry-access-selected-networks
# custom:
#   id: ACR-REG-002
#   severity: high
#   symptoms:
#     - "client with IP '<public-ip>' is not allowed access"
#     - "denied: {\"errors\":[{\"code\":\"DENIED\",\"message\":\"client with IP '<ip>' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.\"}]}"
#     - "failed to authorize: failed to fetch anonymous token: unexpected status: 403 Forbidden"
#   remediation:
#     - az acr network-rule add --name {registry_name} --ip-address {egress_ip}
#     - az acr network-rule list --name {registry_name} --output table
package acr_audit.registry.acr_reg_002

import data.acr_audit.lib.helpers as h
import rego.v1

deny contains finding if {
	some path in input.paths
	path.endpoint.kind == "login"
	path.firewall.verdict == "blocked"
	uncovered := array.concat(path.firewall.uncovered_ips, object.get(path.firewall, "uncovered_prefixes", []))
	count(uncovered) > 0
	reg := h.registry_by_id(path.registry)
	finding := {
		"msg": sprintf(
			"Registry %s allows selected networks only, and %s egresses from %s, which no IP rule covers%s: pulls fail with 403",
			[path.registry_name, path.client_name, concat(", ", uncovered), wholly(path.firewall)],
		),
		"resource": path.registry,
		"registry": path.registry,
		"client": path.client,
		"params": {"egress_ip": uncovered[0]},
		"evidence": {
			"default_action": reg.default_action,
			"ip_rules": reg.ip_rules,
			"egress_ips": path.firewall.egress_ips,
			"uncovered_ips": path.firewall.uncovered_ips,
			"egress_prefixes": object.get(path.firewall, "egress_prefixes", []),
			"uncovered_prefixes": object.get(path.firewall, "uncovered_prefixes", []),
			"reason": object.get(path.firewall, "reason", ""),
		},
	}
}

# Ranges are judged whole: say so when one is among the uncovered egress.
wholly(fw) := " wholly (every address of an egress range must be allowed)" if {
	count(object.get(fw, "uncovered_prefixes", [])) > 0
} else := ""
