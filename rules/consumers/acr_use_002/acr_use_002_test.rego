package acr_audit.consumers.acr_use_002_test

import data.acr_audit.consumers.acr_use_002 as check
import rego.v1

uami := "/subscriptions/s/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/pull"

inp(kind, identity, status) := {
	"clients": [{"id": "/c/app", "name": "app", "kind": kind}],
	"pairs": [{
		"client": "/c/app", "client_name": "app", "registry": "/r/contoso", "registry_name": "contoso",
		"login": {"server": "contoso.azurecr.io", "method": "managed_identity", "identity": identity, "principal_id": null, "identity_status": status, "username": null, "source": "properties.configuration.registries[0]"},
	}],
}

test_fires_when_the_system_identity_is_not_enabled if {
	some f in check.deny with input as inp("containerapp", "system", "not_enabled")
	f.client_kind == "containerapp:system"
	contains(f.msg, "its system-assigned identity, which is not enabled on it")
}

test_fires_when_a_user_assigned_identity_is_not_assigned if {
	# Bind the package constant before `with`: regorus reads it as undefined after a `with input` expression.
	want := uami
	some f in check.deny with input as inp("containergroup", want, "not_assigned")
	f.client_kind == "containergroup:user_assigned"
	f.params.identity == want
	contains(f.msg, "is not assigned to it")
}

test_silent_when_resolved_or_unknown if {
	check.deny == set() with input as inp("webapp", "system", "resolved")
	check.deny == set() with input as inp("webapp", "system", "unknown")
}

test_silent_for_credential_logins if {
	check.deny == set() with input as {
		"clients": [{"id": "/c/app", "name": "app", "kind": "containerapp"}],
		"pairs": [{"client": "/c/app", "client_name": "app", "registry": "/r/contoso", "registry_name": "contoso", "login": {"server": "contoso.azurecr.io", "method": "credentials", "identity": null, "identity_status": "not_applicable", "username": "contoso", "source": "x"}}],
	}
}
