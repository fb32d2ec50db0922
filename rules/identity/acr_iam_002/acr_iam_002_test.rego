package acr_audit.identity.acr_iam_002_test

import data.acr_audit.identity.acr_iam_002 as check
import rego.v1

inp(kind) := {
	"clients": [{"id": "/c/aks", "service_principal_client_id": "app-123"}],
	"pairs": [{"client": "/c/aks", "client_name": "aks", "registry": "/r/contoso", "registry_name": "contoso",
		"rbac": {"principal_kind": kind, "assignments_readable": true, "pull_principals": ["oid-old"]}}],
}

test_fires_for_service_principal_clusters if {
	count(check.deny) == 1 with input as inp("service_principal")
}

test_silent_for_managed_identity_clusters if {
	check.deny == set() with input as inp("kubelet_identity")
}
