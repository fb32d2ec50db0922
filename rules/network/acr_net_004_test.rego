package acr_audit.network.acr_net_004_test

import data.acr_audit.network.acr_net_004 as check
import rego.v1

inp(hop_type) := {
	"pairs": [{"client": "/c/aks", "client_name": "aks", "registry": "/r/contoso", "registry_name": "contoso"}],
	"paths": [
		{"client": "/c/aks", "registry": "/r/contoso", "endpoint": {"fqdn": "contoso.azurecr.io"}, "route": {"hops": [{"next_hop_type": hop_type, "next_hop_ip": "10.0.0.4", "route": "/rt/routes/default", "route_name": "default"}]}},
		{"client": "/c/aks", "registry": "/r/contoso", "endpoint": {"fqdn": "contoso.eastus.data.azurecr.io"}, "route": {"hops": [{"next_hop_type": hop_type, "next_hop_ip": "10.0.0.4", "route": "/rt/routes/default", "route_name": "default"}]}},
	],
}

test_one_finding_per_pair_and_route if {
	res := check.deny with input as inp("VirtualAppliance")
	count(res) == 1
	some f in res
	contains(f.msg, "contoso.eastus.data.azurecr.io")
}

test_silent_without_an_appliance if {
	check.deny == set() with input as inp("Internet")
}
