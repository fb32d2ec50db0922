# METADATA
# title: VNet peering to the registry's private endpoint is not Connected
# description: |
#   ## What it does
#   For each client and each private endpoint of a registry it pulls from, when the client's VNet and the
#   endpoint's VNet are peered, flags every side of that peering whose `peeringState` is not `Connected`.
#
#   ## Why is this bad?
#   Traffic crosses a peering only when both sides are `Connected`. `Initiated` means the other side was never
#   created; `Disconnected` means it was deleted. The client resolves the registry to the private IP and then
#   times out.
#
#   ## Fix
#   Create the missing side. A `Disconnected` peering cannot be repaired: delete it and create both sides again.
# related_resources:
#   - https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering
#   - https://learn.microsoft.com/troubleshoot/azure/azure-container-registry/troubleshoot-network-access-issues
# custom:
#   id: ACR-NET-006
#   severity: high
#   symptoms:
#     - "dial tcp <acr-private-ip>:443: i/o timeout"
#     - "Get \"https://<registry>.azurecr.io/v2/\": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)"
#   remediation:
#     - az network vnet peering show --ids {resource_id} --query "{state:peeringState,sync:peeringSyncLevel}"
#     - az network vnet peering delete --ids {resource_id}
#     - az network vnet peering create --name {resource_name} --resource-group {resource_resource_group} --vnet-name {vnet_name} --remote-vnet {remote_vnet} --allow-vnet-access
package acr_audit.network.acr_net_006

import data.acr_audit.lib.helpers as h
import rego.v1

deny contains finding if {
	some pair in input.pairs
	some ep in pair.private_endpoints
	ep.peering.status == "peered"
	some side_name in ["local", "remote"]
	side := ep.peering[side_name]
	side != null
	side.state != "Connected"
	finding := {
		"msg": sprintf(
			"Peering %s (%s side, between %s and %s) is %s, not Connected: %s cannot reach registry %s through private endpoint %s",
			[h.last(side.id), side_name, h.last(ep.client_vnet), h.last(ep.endpoint_vnet), side.state, pair.client_name, pair.registry_name, h.last(ep.private_endpoint)],
		),
		"resource": side.id,
		"params": {"vnet_name": vnet_of_peering(side.id), "remote_vnet": remote_of(side_name, ep)},
		"registry": pair.registry,
		"client": pair.client,
		"evidence": {
			"client_vnet": ep.client_vnet,
			"endpoint_vnet": ep.endpoint_vnet,
			"private_endpoint": ep.private_endpoint,
			"local_state": object.get(ep.peering, ["local", "state"], null),
			"remote_state": object.get(ep.peering, ["remote", "state"], null),
		},
	}
}


# `.../virtualNetworks/<vnet>/virtualNetworkPeerings/<peering>` -> `<vnet>`
vnet_of_peering(id) := parts[count(parts) - 3] if parts := split(id, "/")

remote_of("local", ep) := ep.endpoint_vnet

remote_of("remote", ep) := ep.client_vnet
