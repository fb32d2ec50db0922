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
