package acr_audit.registry.acr_reg_008_test

import data.acr_audit.registry.acr_reg_008 as check
import rego.v1

reg(access, connections, public_layers) := {
	"id": "/r", "name": "r", "public_network_access": access, "default_action": "Deny",
	"private_endpoint_connections": connections, "data_endpoint_enabled": public_layers != "storage", "regions": ["eastus"],
	"layer_endpoints": {"private_endpoint": null, "public": public_layers},
}

test_fires_when_public_clients_pull_layers_from_storage if {
	count(check.deny) == 1 with input as {"registries": [reg("Enabled", [], "storage")]}
}

test_silent_with_data_endpoints if {
	check.deny == set() with input as {"registries": [reg("Enabled", [], "data")]}
}

# Public access disabled: every client comes through a private endpoint and fetches layers from the data
# endpoint it serves, so nobody needs *.blob.core.windows.net.
test_silent_when_only_private_endpoint_clients_pull if {
	check.deny == set() with input as {"registries": [reg("Disabled", [{"status": "Approved"}], null)]}
}
