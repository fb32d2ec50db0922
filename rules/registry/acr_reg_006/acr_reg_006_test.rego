package acr_audit.registry.acr_reg_006_test

import data.acr_audit.registry.acr_reg_006 as check
import rego.v1

reg(sku) := {"id": "/r", "name": "r", "sku": sku, "default_action": "Allow", "ip_rules": ["20.1.1.1"], "private_endpoint_connections": []}

test_fires_on_standard_with_ip_rules if {
	count(check.deny) == 1 with input as {"registries": [reg("Standard")]}
}

test_silent_on_premium if {
	check.deny == set() with input as {"registries": [reg("Premium")]}
}
