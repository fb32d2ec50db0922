package acr_audit.registry.acr_reg_001_test

import data.acr_audit.registry.acr_reg_001 as check
import rego.v1

registry(access, states) := {
	"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/contoso",
	"name": "contoso",
	"public_network_access": access,
	"private_endpoint_connections": [{"id": sprintf("c%d", [i]), "status": s} | some i, s in states],
}

test_fires_when_disabled_without_connections if {
	res := check.deny with input as {"registries": [registry("Disabled", [])]}
	count(res) == 1
}

test_fires_when_only_pending_or_rejected if {
	res := check.deny with input as {"registries": [registry("Disabled", ["Pending", "Rejected"])]}
	count(res) == 1
}

test_silent_with_an_approved_connection if {
	res := check.deny with input as {"registries": [registry("Disabled", ["Rejected", "Approved"])]}
	res == set()
}

test_silent_when_public_access_enabled if {
	res := check.deny with input as {"registries": [registry("Enabled", [])]}
	res == set()
}
