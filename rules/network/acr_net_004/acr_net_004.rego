# METADATA
# title: Registry traffic is routed through a network virtual appliance
# description: |
#   ## What it does
#   For each client path to a registry endpoint, notes the user-defined route that sends it to a
#   `VirtualAppliance` whose rules acr-audit cannot evaluate: a network virtual appliance, or an Azure
#   Firewall that is not in the snapshot or whose policy could not be read. Azure Firewalls in the snapshot
#   are evaluated instead (ACR-FW-001).
#
#   ## Why is this bad?
#   It is not wrong in itself, but the appliance becomes part of the pull path: its rules must allow TCP 443 to
#   the login server and every data endpoint (or `*.blob.core.windows.net` without dedicated data endpoints),
#   and ARM cannot show them. A missing application rule looks like a registry timeout.
#
#   ## Fix
#   Check the appliance allows the listed FQDNs, or route the private endpoint prefixes directly.
# related_resources:
#   - https://learn.microsoft.com/azure/aks/outbound-rules-control-egress
#   - https://learn.microsoft.com/azure/container-registry/container-registry-firewall-access-rules
# custom:
#   id: ACR-NET-004
#   severity: info
#   symptoms:
#     - "Get \"https://<registry>.azurecr.io/v2/\": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)"
#   remediation:
#     - az network route-table route show --ids {resource_id}
#     - az network firewall application-rule list --collection-name <collection> --firewall-name <firewall> --resource-group <group>
package acr_audit.network.acr_net_004

import rego.v1

deny contains finding if {
	some pair in input.pairs
	some route in pair.appliance_routes
	object.get(route, "evaluated_by_firewall", null) == null
	finding := {
		"msg": sprintf(
			"Traffic from %s to registry %s goes through appliance %s (route %s): it must allow TCP 443 to %s",
			[pair.client_name, pair.registry_name, route.next_hop_ip, route.route_name, concat(", ", route.fqdns)],
		),
		"resource": route.route,
		"registry": pair.registry,
		"client": pair.client,
		"evidence": {"appliance": route.next_hop_ip, "fqdns": route.fqdns},
	}
}
