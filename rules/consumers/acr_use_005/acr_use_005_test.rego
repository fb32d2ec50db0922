package acr_audit.consumers.acr_use_005_test

import data.acr_audit.consumers.acr_use_005 as check
import rego.v1

inp(network, verdict) := {
	"clients": [{"id": "/c/app", "name": "app", "kind": "webapp", "pull_network": network, "pull_network_reason": "no image pull flag"}],
	"pairs": [{
		"client": "/c/app", "client_name": "app", "registry": "/r/contoso", "registry_name": "contoso",
		"public_pull": {"verdict": verdict, "reason": "outbound addresses unknown"},
	}],
}

test_lists_an_unknown_pull_network if {
	some f in check.deny with input as inp("unknown", null)
	endswith(f.msg, "cannot be judged from ARM: no image pull flag")
	f.client_kind == "webapp"
}

test_lists_an_unknown_public_pull if {
	some f in check.deny with input as inp("public", "unknown")
	endswith(f.msg, "outbound addresses unknown")
}

test_silent_when_judged if {
	check.deny == set() with input as inp("public", "blocked")
	check.deny == set() with input as inp("vnet", null)
}

test_silent_for_clusters if {
	check.deny == set() with input as {
		"clients": [{"id": "/c/aks", "name": "aks", "kind": "aks", "pull_network": "unknown"}],
		"pairs": [{"client": "/c/aks", "client_name": "aks", "registry": "/r", "registry_name": "r"}],
	}
}
