# METADATA
# title: Route with next hop None drops registry traffic
# description: |
#   ## What it does
#   For each client path to a registry endpoint (login, data or storage), flags a user-defined route whose next
#   hop is `None` and that carries all or part of the destination by longest-prefix match.
#
#   ## Why is this bad?
#   `None` drops packets silently: connections to the covered addresses time out. A route on a service tag or a
#   broad prefix can catch registry or storage ranges nobody meant to block.
#
#   ## Fix
#   Remove the route, narrow its prefix, or add a more specific route for the registry ranges.
# related_resources:
#   - https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview
# custom:
#   id: ACR-NET-003
#   severity: high
#   symptoms:
#     - "dial tcp <storage-endpoint-ip>:443: i/o timeout"
#     - "Get \"https://<registry>.azurecr.io/v2/\": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)"
#   remediation:
#     - az network route-table route show --ids {resource_id}
#     - az network route-table route delete --ids {resource_id}
package acr_audit.network.acr_net_003

import rego.v1

deny contains finding if {
	some path in input.paths
	some hop in path.route.hops
	hop.next_hop_type == "None"
	hop.origin != "system"
	finding := {
		"msg": sprintf(
			"Route %s (%s, next hop None) drops %s of the traffic from %s to %s %s, e.g. %s",
			[hop.route_name, hop.address_prefix, hop.coverage, path.client_name, path.endpoint.kind, path.endpoint.fqdn, concat(", ", hop.examples)],
		),
		"resource": hop.route,
		"registry": path.registry,
		"client": path.client,
		"evidence": {"route": hop.route, "address_prefix": hop.address_prefix, "coverage": hop.coverage, "examples": hop.examples},
	}
}
