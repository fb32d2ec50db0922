package acr_audit.identity.acr_iam_001_test

import data.acr_audit.identity.acr_iam_001 as check
import rego.v1

inp(grants_pull) := inp_mode(grants_pull, null)

inp_mode(grants_pull, mode) := {"pairs": [{"client": "/c/aks", "client_name": "aks", "registry": "/r/contoso", "registry_name": "contoso",
	"rbac": {"principal_kind": "kubelet_identity", "principal_id": "oid", "grants_pull": grants_pull, "grants": [{"role_definition": "/r/acrpull", "role_name": "AcrPull"}],
	"role_assignment_mode": mode, "pull_role": pull_role(mode)}}]}

pull_role("AbacRepositoryPermissions") := "Container Registry Repository Reader"

pull_role(mode) := "AcrPull" if mode != "AbacRepositoryPermissions"

test_fires_without_a_pull_grant if {
	count(check.deny) == 1 with input as inp("no")
}

test_silent_with_a_pull_grant if {
	check.deny == set() with input as inp("yes")
}

test_silent_when_assignments_were_unreadable if {
	check.deny == set() with input as inp("unknown")
}

test_silent_when_only_a_condition_grants if {
	check.deny == set() with input as inp("conditional")
}

test_abac_message_names_the_mode_and_the_role_to_assign if {
	some f in check.deny with input as inp_mode("no", "AbacRepositoryPermissions")
	contains(f.msg, "AbacRepositoryPermissions")
	contains(f.msg, "not AcrPull")
	endswith(f.msg, "assign Container Registry Repository Reader")
	f.params.pull_role == "Container Registry Repository Reader"
}

test_legacy_message_names_acrpull if {
	some f in check.deny with input as inp("no")
	contains(f.msg, "LegacyRegistryPermissions (ARM's default)")
	endswith(f.msg, "assign AcrPull")
}

test_a_web_app_identity_gets_the_web_app_wording_and_kind if {
	inp := {
		"clients": [{"id": "/c/web", "name": "web", "kind": "webapp"}],
		"pairs": [{"client": "/c/web", "client_name": "web", "registry": "/r/contoso", "registry_name": "contoso",
			"rbac": {"principal_kind": "managed_identity", "principal_id": "oid", "grants_pull": "no", "grants": [], "role_assignment_mode": null, "pull_role": "AcrPull"}}],
	}
	some f in check.deny with input as inp
	startswith(f.msg, "Managed identity oid of web holds no role")
	f.client_kind == "webapp"
}

test_a_cluster_keeps_the_kubelet_wording if {
	some f in check.deny with input as inp("no")
	startswith(f.msg, "Kubelet identity oid of aks")
	f.client_kind == "aks"
}

test_silent_for_registry_credentials if {
	inp := {"pairs": [{"client": "/c/ca", "client_name": "ca", "registry": "/r/contoso", "registry_name": "contoso",
		"rbac": {"principal_kind": "registry_credentials", "principal_id": null, "grants_pull": "unknown", "grants": [], "pull_role": "AcrPull"}}]}
	check.deny == set() with input as inp
}
