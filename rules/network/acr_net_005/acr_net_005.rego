# METADATA
# title: Client VNet cannot reach the registry's private endpoint VNet
# description: |
#   ## What it does
#   Flags a client whose VNet differs from the VNet of the registry's private endpoint and is not peered with
#   it: either the client's DNS resolves the registry to that endpoint, or the registry accepts private traffic
#   only and none of its endpoints is in, or peered with, the client VNet.
#
#   Hub-and-spoke: when the client subnet's routes send the endpoint's address to a virtual appliance (a hub
#   firewall), the traffic reaches the endpoint from the appliance's VNet (`transit`), so that VNet's peering is
#   judged instead: peering is not transitive, but an appliance forwards between spokes.
#
#   ## Why is this bad?
#   The private IP is unreachable: the client's effective route for it is the `None` system route (or a route
#   to nowhere), and connections time out.
#
#   ## Fix
#   Peer the client VNet with the endpoint VNet (both directions), or create a private endpoint in the client
#   VNet (or one peered with it).
# related_resources:
#   - https://learn.microsoft.com/azure/virtual-network/virtual-network-peering-overview
#   - https://learn.microsoft.com/azure/container-registry/container-registry-private-link
#   - https://learn.microsoft.com/azure/architecture/networking/architecture/hub-spoke
# custom:
#   id: ACR-NET-005
#   severity: high
#   symptoms:
#     - "dial tcp <acr-private-ip>:443: i/o timeout"
#     - "host is not reachable"
#   remediation:
#     - az network vnet peering create --name {client_vnet_name}-to-{endpoint_vnet_name} --resource-group {resource_resource_group} --vnet-name {client_vnet_name} --remote-vnet {endpoint_vnet} --allow-vnet-access
#     - az network private-endpoint create --name pe-{registry_name}-{client_vnet_name} --resource-group {resource_resource_group} --vnet-name {client_vnet_name} --subnet <subnet> --private-connection-resource-id {registry_id} --group-id registry --connection-name {registry_name}
package acr_audit.network.acr_net_005

import data.acr_audit.lib.helpers as h
import rego.v1

# The client resolves the registry to an endpoint its VNet is not peered with.
deny contains finding if {
	some path in input.paths
	path.private_endpoint.peering.status == "not_peered"
	[vnet, endpoint_vnet] := unpeered(path)
	finding := finding_for(path.client, path.client_name, path.registry, vnet, endpoint_vnet, path.private_endpoint.id)
}

# Public access is off and no endpoint of the registry is in, or peered with, the client VNet.
deny contains finding if {
	some pair in input.pairs
	reg := h.registry_by_id(pair.registry)
	reg.public_network_access == "Disabled"
	count(pair.private_endpoints) > 0
	some vnet in {ep.client_vnet | some ep in pair.private_endpoints}
	reachable := [ep | some ep in pair.private_endpoints; ep.client_vnet == vnet; reaches(ep)]
	count(reachable) == 0
	not h.unread("Microsoft.Network/virtualNetworks")
	ep := [e | some e in pair.private_endpoints; e.client_vnet == vnet][0]
	finding := finding_for(pair.client, pair.client_name, pair.registry, vnet, ep.endpoint_vnet, ep.private_endpoint)
}

# Directly, or from the VNet of the appliance the client's routes send the endpoint's address to.
reaches(ep) if ep.peering.status != "not_peered"

reaches(ep) if {
	ep.transit != null
	ep.transit.peering.status != "not_peered"
}

# The two VNets the missing peering lies between: the client's and the endpoint's; through a hub appliance, the
# client's and the appliance's when the client cannot reach the appliance, else the appliance's and the endpoint's.
unpeered(path) := [client_vnet(path.subnet), path.private_endpoint.vnet] if {
	object.get(path.private_endpoint, "transit", null) == null
}

unpeered(path) := [client_vnet(path.subnet), t.vnet] if {
	t := object.get(path.private_endpoint, "transit", null)
	t != null
	t.client_to_appliance == "not_peered"
}

unpeered(path) := [t.vnet, path.private_endpoint.vnet] if {
	t := object.get(path.private_endpoint, "transit", null)
	t != null
	t.client_to_appliance != "not_peered"
}

client_vnet(subnet) := substring(subnet, 0, indexof(lower(subnet), "/subnets/"))

finding_for(client, client_name, registry, vnet, endpoint_vnet, endpoint) := {
	"msg": sprintf(
		"VNet %s (client %s) is not peered with VNet %s, where private endpoint %s of registry %s lives: the private IP is unreachable",
		[h.last(vnet), client_name, h.last(endpoint_vnet), h.last(endpoint), h.last(registry)],
	),
	"resource": vnet,
	"registry": registry,
	"client": client,
	"params": {"client_vnet_name": h.last(vnet), "endpoint_vnet_name": h.last(endpoint_vnet), "endpoint_vnet": endpoint_vnet},
	"evidence": {"client_vnet": vnet, "endpoint_vnet": endpoint_vnet, "private_endpoint": endpoint},
}
