package acr_audit.network.acr_net_004_test

import data.acr_audit.network.acr_net_004 as check
import rego.v1

inp(routes) := {"pairs": [{
	"client": "/c/aks", "client_name": "aks", "registry": "/r/contoso", "registry_name": "contoso",
	"appliance_routes": routes,
}]}

test_one_finding_per_pair_and_route if {
	route := {"route": "/rt/routes/default", "route_name": "default", "next_hop_ip": "10.0.0.4", "fqdns": ["contoso.azurecr.io", "contoso.eastus.data.azurecr.io"]}
	res := check.deny with input as inp([route])
	count(res) == 1
	some f in res
	contains(f.msg, "contoso.eastus.data.azurecr.io")
}

test_silent_without_an_appliance if {
	check.deny == set() with input as inp([])
}

test_silent_when_an_azure_firewall_evaluated_the_route if {
	route := {"route": "/rt/routes/default", "route_name": "default", "next_hop_ip": "10.0.0.4", "fqdns": ["contoso.azurecr.io"], "evaluated_by_firewall": "/fw/afw-hub"}
	check.deny == set() with input as inp([route])
}
