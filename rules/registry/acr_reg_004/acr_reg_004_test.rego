package acr_audit.registry.acr_reg_004_test

import data.acr_audit.registry.acr_reg_004 as check
import rego.v1

registry(states) := {
	"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/contoso",
	"name": "contoso",
	"private_endpoint_connections": [{
		"id": sprintf("/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/contoso/privateEndpointConnections/pe%d", [i]),
		"status": s,
		"private_endpoint_id": sprintf("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe%d", [i]),
	} |
		some i, s in states
	],
}

test_fires_once_per_unapproved_connection if {
	res := check.deny with input as {"registries": [registry(["Approved", "Pending", "Disconnected"])]}
	count(res) == 2
	some f in res
	endswith(f.resource, "/privateEndpointConnections/pe1")
}

test_silent_when_all_approved if {
	res := check.deny with input as {"registries": [registry(["Approved", "Approved"])]}
	res == set()
}
