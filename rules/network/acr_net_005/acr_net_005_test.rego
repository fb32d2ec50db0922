package acr_audit.network.acr_net_005_test

import data.acr_audit.network.acr_net_005 as check
import rego.v1

ep(status) := {"private_endpoint": "/pe/hub", "client_vnet": "/v/spoke", "endpoint_vnet": "/v/hub", "peering": {"status": status}}

inp(status) := {
	"unread_types": [],
	"registries": [{"id": "/r/contoso", "public_network_access": "Disabled"}],
	"pairs": [{"client": "/c/aks", "client_name": "aks", "registry": "/r/contoso", "private_endpoints": [ep(status)]}],
	"paths": [],
}

test_fires_when_no_endpoint_is_reachable if {
	count(check.deny) == 1 with input as inp("not_peered")
}

test_silent_when_peered if {
	check.deny == set() with input as inp("peered")
}

test_fires_on_a_resolved_unpeered_endpoint if {
	path := {"client": "/c/aks", "client_name": "aks", "registry": "/r/contoso", "subnet": "/v/spoke/subnets/nodes",
		"private_endpoint": {"id": "/pe/hub", "vnet": "/v/hub", "peering": {"status": "not_peered"}}}
	count(check.deny) == 1 with input as {"unread_types": [], "registries": [], "pairs": [], "paths": [path]}
}

transit_ep(status) := object.union(ep("not_peered"), {"transit": {"next_hop_ip": "10.0.1.4", "vnet": "/v/hub", "peering": {"status": status}}})

test_silent_when_the_hub_appliance_reaches_the_endpoint if {
	i := object.union(inp("not_peered"), {"pairs": [{"client": "/c/aks", "client_name": "aks", "registry": "/r/contoso", "private_endpoints": [transit_ep("peered")]}]})
	check.deny == set() with input as i
}

test_fires_when_the_hub_appliance_vnet_is_not_peered_either if {
	i := object.union(inp("not_peered"), {"pairs": [{"client": "/c/aks", "client_name": "aks", "registry": "/r/contoso", "private_endpoints": [transit_ep("not_peered")]}]})
	count(check.deny) == 1 with input as i
}

test_names_the_appliance_vnet_on_a_transit_path if {
	path := {"client": "/c/aks", "client_name": "aks", "registry": "/r/contoso", "subnet": "/v/spoke/subnets/nodes",
		"private_endpoint": {"id": "/pe/shared", "vnet": "/v/shared", "peering": {"status": "not_peered"},
			"transit": {"next_hop_ip": "10.0.1.4", "vnet": "/v/hub", "client_to_appliance": "peered"}}}
	some f in check.deny with input as {"unread_types": [], "registries": [], "pairs": [], "paths": [path]}
	f.resource == "/v/hub"
}

test_names_the_spoke_when_it_cannot_reach_the_hub_appliance if {
	path := {"client": "/c/aks", "client_name": "aks", "registry": "/r/contoso", "subnet": "/v/spoke/subnets/nodes",
		"private_endpoint": {"id": "/pe/hub", "vnet": "/v/hub", "peering": {"status": "not_peered"},
			"transit": {"next_hop_ip": "10.0.0.4", "vnet": "/v/hub", "client_to_appliance": "not_peered"}}}
	fs := check.deny with input as {"unread_types": [], "registries": [], "pairs": [], "paths": [path]}
	count(fs) == 1
	some f in fs
	f.resource == "/v/spoke"
	f.evidence.endpoint_vnet == "/v/hub"
}
