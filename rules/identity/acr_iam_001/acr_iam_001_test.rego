package acr_audit.identity.acr_iam_001_test

import data.acr_audit.identity.acr_iam_001 as check
import rego.v1

inp(grants_pull) := {"pairs": [{"client": "/c/aks", "client_name": "aks", "registry": "/r/contoso", "registry_name": "contoso",
	"rbac": {"principal_kind": "kubelet_identity", "principal_id": "oid", "grants_pull": grants_pull, "grants": []}}]}

test_fires_without_a_pull_grant if {
	count(check.deny) == 1 with input as inp("no")
}

test_silent_with_a_pull_grant if {
	check.deny == set() with input as inp("yes")
}

test_silent_when_assignments_were_unreadable if {
	check.deny == set() with input as inp("unknown")
}
