package acr_audit.consumers.acr_use_001_test

import data.acr_audit.consumers.acr_use_001 as check
import rego.v1

client(kind) := {"id": "/c/app", "name": "app", "kind": kind, "pull_network": "public", "pull_network_reason": "no virtualNetworkSubnetId"}

pair(verdict, uncovered) := {
	"client": "/c/app", "client_name": "app", "registry": "/r/contoso", "registry_name": "contoso",
	"public_pull": {"verdict": verdict, "reason": "public network access is disabled", "egress_ips": ["20.1.2.3"], "uncovered_ips": uncovered, "egress_unknown": null, "bypass": null},
}

inp(kind, verdict, uncovered) := {"clients": [client(kind)], "pairs": [pair(verdict, uncovered)]}

test_fires_for_a_web_app_blocked_on_the_public_network if {
	some f in check.deny with input as inp("webapp", "blocked", [])
	f.resource == "/c/app"
	f.client_kind == "webapp"
	contains(f.msg, "App Service app app pulls its image over the public network")
	contains(f.msg, "public network access is disabled")
}

test_names_the_uncovered_address if {
	some f in check.deny with input as inp("containerapp", "blocked", ["20.1.2.3"])
	f.params.egress_ip == "20.1.2.3"
	contains(f.msg, "Container app app")
}

test_silent_when_allowed_or_unknown if {
	check.deny == set() with input as inp("webapp", "allowed", [])
	check.deny == set() with input as inp("webapp", "unknown", [])
}

test_silent_for_tasks_which_have_their_own_rule if {
	check.deny == set() with input as inp("task", "blocked", [])
}

test_silent_for_vnet_pulls_without_a_public_pull if {
	check.deny == set() with input as {"clients": [client("webapp")], "pairs": [{"client": "/c/app", "client_name": "app", "registry": "/r/contoso", "registry_name": "contoso", "public_pull": null}]}
}
