package acr_audit.identity.acr_iam_004_test

import data.acr_audit.identity.acr_iam_004 as check
import rego.v1

group := "0a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9"

kubelet := "6d2f1a3b-9c8e-4b7d-a5f0-1e2d3c4b5a69"

inp(grants_pull, group_id) := {"pairs": [{"client": "/c/aks", "client_name": "aks", "registry": "/r/contoso", "registry_name": "contoso",
	"rbac": {"principal_kind": "kubelet_identity", "principal_id": kubelet, "grants_pull": grants_pull, "grants": [],
		"group_grants": [{"group": group_id, "principal_type": "Group", "assignment": "/a", "role_definition": "/d", "role_name": "AcrPull", "grants_pull": true}]}}]}

test_names_the_group_and_the_membership_check if {
	# Bound before the `with`: values are compared outside the mocked input.
	g := group
	k := kubelet
	some f in check.deny with input as inp("unknown", g)
	contains(f.msg, g)
	contains(f.msg, sprintf("`az ad group member check --group %s --member-id %s`", [g, k]))
	f.params == {"group_id": g, "principal_id": k}
}

test_silent_when_the_identity_can_pull_itself if {
	check.deny == set() with input as inp("yes", group)
}

test_a_group_id_that_is_not_a_guid_stays_out_of_the_inline_command if {
	some f in check.deny with input as inp("unknown", "g$(id)")
	contains(f.msg, "`az ad group member check` (remediation)")
	not contains(f.msg, "--group g$(id)")
}
