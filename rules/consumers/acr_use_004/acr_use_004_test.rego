package acr_audit.consumers.acr_use_004_test

import data.acr_audit.consumers.acr_use_004 as check
import rego.v1

inp(admin_credentials, admin_enabled) := {
	"registries": [{"id": "/r/contoso", "name": "contoso", "admin_user_enabled": admin_enabled}],
	"clients": [{"id": "/c/app", "name": "app", "kind": "containerapp"}],
	"pairs": [{
		"client": "/c/app", "client_name": "app", "registry": "/r/contoso", "registry_name": "contoso",
		"admin_credentials": admin_credentials,
		"login": {"server": "contoso.azurecr.io", "method": "credentials", "identity": null, "identity_status": "not_applicable", "username": "contoso", "source": "properties.configuration.registries[0]"},
	}],
}

test_fires_when_the_admin_user_is_disabled if {
	some f in check.deny with input as inp(true, false)
	f.client_kind == "containerapp"
	f.params.server == "contoso.azurecr.io"
	contains(f.msg, "as its admin user contoso")
}

test_silent_when_the_admin_user_is_enabled if {
	check.deny == set() with input as inp(true, true)
}

test_silent_for_other_credentials if {
	check.deny == set() with input as inp(false, false)
}
