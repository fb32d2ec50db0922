# METADATA
# title: "Registry unreachable: public network access disabled and no approved private endpoint"
# description: |
#   ## What it does
#   Flags a registry whose `publicNetworkAccess` is `Disabled` while none of its private endpoint
#   connections is `Approved`.
#
#   ## Why is this bad?
#   With public access disabled the registry answers only over Private Link. Without an approved private
#   endpoint connection no network has a path to it: every login, push and pull fails, from everywhere.
#
#   ## Fix
#   Approve (or create) a private endpoint for the registry in the clients' network, or re-enable public
#   access restricted by firewall rules.
# related_resources:
#   - https://learn.microsoft.com/azure/container-registry/container-registry-private-link
#   - https://learn.microsoft.com/troubleshoot/azure/azure-container-registry/troubleshoot-network-access-issues
# custom:
#   id: USR-FUZ-001
#   severity: high
#   symptoms:
#     - "Could not connect to the registry login server"
#     - "failed to authorize: failed to fetch anonymous token: unexpected status: 403 Forbidden"
#     - "host is not reachable"
#   remediation:
#     - az acr private-endpoint-connection list --registry-name {registry_name} --output table
#     - az acr private-endpoint-connection approve --registry-name {registry_name} --name <connection-name>
#     - az acr update --name {registry_name} --public-network-enabled true --default-action Deny
# authors:
#   - &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
#   - &a1 [*a0,*a0,*a0,*a0,*a0,*a0,*a0,*a0,*a0]
#   - &a2 [*a1,*a1,*a1,*a1,*a1,*a1,*a1,*a1,*a1]
#   - &a3 [*a2,*a2,*a2,*a2,*a2,*a2,*a2,*a2,*a2]
#   - &a4 [*a3,*a3,*a3,*a3,*a3,*a3,*a3,*a3,*a3]
#   - &a5 [*a4,*a4,*a4,*a4,*a4,*a4,*a4,*a4,*a4]
#   - &a6 [*a5,*a5,*a5,*a5,*a5,*a5,*a5,*a5,*a5]
#   - &a7 [*a6,*a6,*a6,*a6,*a6,*a6,*a6,*a6,*a6]
#   - &a8 [*a7,*a7,*a7,*a7,*a7,*a7,*a7,*a7,*a7]
#   - &a9 [*a8,*a8,*a8,*a8,*a8,*a8,*a8,*a8,*a8]
package user.fuzz.usr_fuz_001

import data.acr_audit.lib.helpers as h
import rego.v1

deny contains finding if {
	some reg in input.registries
	reg.public_network_access == "Disabled"
	not h.has_approved_private_endpoint(reg)
	states := [sprintf("%s: %s", [c.id, c.status]) | some c in reg.private_endpoint_connections]
	finding := {
		"msg": sprintf(
			"Registry %s has public network access disabled and none of its %d private endpoint connection(s) is Approved: no client can reach it",
			[reg.name, count(reg.private_endpoint_connections)],
		),
		"resource": reg.id,
		"registry": reg.id,
		"evidence": {
			"public_network_access": reg.public_network_access,
			"private_endpoint_connections": states,
		},
	}
}
