package acr_audit.registry.acr_reg_010_test

import data.acr_audit.registry.acr_reg_010 as check
import rego.v1

inp(sub, state) := {
	"registries": [{"id": "/r/contoso", "name": "contoso", "subscription_id": "s-reg"}],
	"clients": [{"id": "/c/aks", "name": "aks", "acr_provider_registrations": [{"subscription_id": sub, "registration_state": state}]}],
	"pairs": [{"client": "/c/aks", "registry": "/r/contoso"}],
}

test_fires_cross_subscription_not_registered if {
	count(check.deny) == 1 with input as inp("s-client", "NotRegistered")
}

test_silent_when_registered if {
	check.deny == set() with input as inp("s-client", "Registered")
}

test_silent_in_the_same_subscription if {
	check.deny == set() with input as inp("s-reg", "NotRegistered")
}
