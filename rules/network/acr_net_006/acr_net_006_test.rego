package acr_audit.network.acr_net_006_test

import data.acr_audit.network.acr_net_006 as check
import rego.v1

pair(peering) := {
	"client": "/subscriptions/s/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks",
	"client_name": "aks",
	"registry": "/subscriptions/s/resourceGroups/rg-hub/providers/Microsoft.ContainerRegistry/registries/contoso",
	"registry_name": "contoso",
	"private_endpoints": [{
		"private_endpoint": "/subscriptions/s/resourceGroups/rg-hub/providers/Microsoft.Network/privateEndpoints/pe",
		"client_vnet": "/subscriptions/s/resourceGroups/rg-aks/providers/Microsoft.Network/virtualNetworks/spoke",
		"endpoint_vnet": "/subscriptions/s/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/hub",
		"peering": peering,
	}],
}

side(name, state) := {"id": sprintf("/subscriptions/s/x/virtualNetworkPeerings/%s", [name]), "state": state}

test_fires_on_disconnected_local_side if {
	p := {"status": "peered", "local": side("spoke-to-hub", "Disconnected"), "remote": null, "remote_visible": true}
	res := check.deny with input as {"pairs": [pair(p)]}
	count(res) == 1
}

test_fires_on_each_side_not_connected if {
	p := {"status": "peered", "local": side("a", "Initiated"), "remote": side("b", "Disconnected"), "remote_visible": true}
	res := check.deny with input as {"pairs": [pair(p)]}
	count(res) == 2
}

test_silent_when_both_connected if {
	p := {"status": "peered", "local": side("a", "Connected"), "remote": side("b", "Connected"), "remote_visible": true}
	res := check.deny with input as {"pairs": [pair(p)]}
	res == set()
}

test_silent_in_the_same_vnet if {
	p := {"status": "same_vnet", "local": null, "remote": null, "remote_visible": true}
	res := check.deny with input as {"pairs": [pair(p)]}
	res == set()
}
