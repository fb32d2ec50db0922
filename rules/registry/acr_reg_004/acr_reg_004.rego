# METADATA
# title: Private endpoint connection not approved
# description: |
#   ## What it does
#   Flags every private endpoint connection of a registry whose state is not `Approved` (`Pending`,
#   `Rejected` or `Disconnected`).
#
#   ## Why is this bad?
#   A private endpoint carries traffic only once the registry owner approves its connection. Clients that
#   resolve the registry to that endpoint's private IP get timeouts; a `Disconnected` connection means the
#   endpoint was removed or the link broken and must be recreated.
#
#   ## Fix
#   Approve a `Pending` connection; delete and recreate a `Rejected` or `Disconnected` one.
# related_resources:
#   - https://learn.microsoft.com/azure/container-registry/container-registry-private-link#manage-private-link-connection
#   - https://learn.microsoft.com/azure/private-link/manage-private-endpoint
# custom:
#   id: ACR-REG-004
#   severity: high
#   symptoms:
#     - "dial tcp <acr-private-ip>:443: i/o timeout"
#     - "host is not reachable"
#   remediation:
#     - az acr private-endpoint-connection approve --registry-name {registry_name} --name {resource_name}
#     - az acr private-endpoint-connection show --registry-name {registry_name} --name {resource_name}
package acr_audit.registry.acr_reg_004

import data.acr_audit.lib.helpers as h
import rego.v1

deny contains finding if {
	some reg in input.registries
	some conn in reg.private_endpoint_connections
	conn.status != "Approved"
	finding := {
		"msg": sprintf(
			"Private endpoint connection %s of registry %s is %s, not Approved: traffic through endpoint %s is not carried",
			[h.last(conn.id), reg.name, conn.status, h.last(object.get(conn, "private_endpoint_id", "(unknown)"))],
		),
		"resource": conn.id,
		"registry": reg.id,
		"evidence": {
			"status": conn.status,
			"description": object.get(conn, "description", null),
			"private_endpoint": object.get(conn, "private_endpoint_id", null),
		},
	}
}

