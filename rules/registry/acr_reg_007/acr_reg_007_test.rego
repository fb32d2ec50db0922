package acr_audit.registry.acr_reg_007_test

import data.acr_audit.registry.acr_reg_007 as check
import rego.v1

test_fires_when_enabled if {
	count(check.deny) == 1 with input as {"registries": [{"id": "/r", "name": "r", "admin_user_enabled": true}]}
}

test_silent_when_disabled if {
	check.deny == set() with input as {"registries": [{"id": "/r", "name": "r", "admin_user_enabled": false}]}
}
