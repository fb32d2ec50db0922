package acr_audit.registry.acr_reg_003_test

import data.acr_audit.registry.acr_reg_003 as check
import rego.v1

reg(action, bypass) := {"id": "/r/contoso", "name": "contoso", "public_network_access": "Enabled", "default_action": action, "private_endpoint_connections": [], "trusted_services_bypass": bypass}

test_fires_on_restricted_without_bypass if {
	count(check.deny) == 1 with input as {"registries": [reg("Deny", false)]}
}

test_silent_with_bypass if {
	check.deny == set() with input as {"registries": [reg("Deny", true)]}
}

test_silent_when_open if {
	check.deny == set() with input as {"registries": [reg("Allow", false)]}
}
