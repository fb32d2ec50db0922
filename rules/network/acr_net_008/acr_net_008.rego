# METADATA
# title: Peering to the private endpoint VNet is out of sync
# description: |
#   ## What it does
#   For each client and private endpoint of a registry it pulls from, flags a peering side that is `Connected`
#   but whose `peeringSyncLevel` is not `FullyInSync`.
#
#   ## Why is this bad?
#   After an address space change the peering keeps routing the old prefixes until it is synced: addresses
#   added since (often the private endpoint subnet) are unreachable from the other side.
#
#   ## Fix
#   Sync the peering from the side that is not in sync.
# related_resources:
#   - https://learn.microsoft.com/azure/virtual-network/update-virtual-network-peering-address-space
# custom:
#   id: ACR-NET-008
#   severity: medium
#   symptoms:
#     - "dial tcp <acr-private-ip>:443: i/o timeout"
#   remediation:
#     - az network vnet peering sync --ids {resource_id}
package acr_audit.network.acr_net_008

import data.acr_audit.lib.helpers as h
import rego.v1

deny contains finding if {
	some pair in input.pairs
	some ep in pair.private_endpoints
	ep.peering.status == "peered"
	some side_name in ["local", "remote"]
	side := ep.peering[side_name]
	side != null
	side.state == "Connected"
	side.sync_level != null
	side.sync_level != "FullyInSync"
	finding := {
		"msg": sprintf(
			"Peering %s (between %s and %s) is Connected but %s: %s may not reach private endpoint %s of %s",
			[h.last(side.id), h.last(ep.client_vnet), h.last(ep.endpoint_vnet), side.sync_level, pair.client_name, h.last(ep.private_endpoint), pair.registry_name],
		),
		"resource": side.id,
		"registry": pair.registry,
		"client": pair.client,
		"evidence": {"sync_level": side.sync_level, "side": side_name},
	}
}
