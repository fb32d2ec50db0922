package acr_audit.registry.acr_reg_008_test

import data.acr_audit.registry.acr_reg_008 as check
import rego.v1

reg(data) := {"id": "/r", "name": "r", "public_network_access": "Disabled", "default_action": "Deny", "private_endpoint_connections": [], "data_endpoint_enabled": data, "regions": ["eastus"]}

test_fires_without_data_endpoints if {
	count(check.deny) == 1 with input as {"registries": [reg(false)]}
}

test_silent_with_data_endpoints if {
	check.deny == set() with input as {"registries": [reg(true)]}
}
