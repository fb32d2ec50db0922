package acr_audit.consumers.acr_use_003_test

import data.acr_audit.consumers.acr_use_003 as check
import rego.v1

task_id := "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/contoso/tasks/nightly"

inp(kind, verdict) := {
	"clients": [{"id": task_id, "name": "nightly", "kind": kind, "pull_network": "public", "pull_network_reason": "the task names no agent pool"}],
	"pairs": [{
		"client": task_id, "client_name": "nightly", "registry": "/r/contoso", "registry_name": "contoso",
		"public_pull": {"verdict": verdict, "reason": "networkRuleBypassAllowedForTasks is false", "egress_ips": [], "uncovered_ips": [], "egress_unknown": "shared agents", "bypass": null},
	}],
}

test_fires_for_a_blocked_task if {
	# Bind the package constant before `with`: regorus reads it as undefined after a `with input` expression.
	want := task_id
	some f in check.deny with input as inp("task", "blocked")
	f.resource == want
	contains(f.msg, "the task names no agent pool")
	contains(f.msg, "networkRuleBypassAllowedForTasks is false")
}

test_silent_when_allowed_or_unknown if {
	check.deny == set() with input as inp("task", "allowed")
	check.deny == set() with input as inp("task", "unknown")
}

test_silent_for_other_kinds if {
	check.deny == set() with input as inp("webapp", "blocked")
}
