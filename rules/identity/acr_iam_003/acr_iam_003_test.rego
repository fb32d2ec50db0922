package acr_audit.identity.acr_iam_003_test

import data.acr_audit.identity.acr_iam_003 as check
import rego.v1

inp(on) := {
	"clients": [{"id": "/c/aks", "kubelet_identity": {"resource_id": "/mi/agentpool"}}],
	"pairs": [{"client": "/c/aks", "client_name": "aks", "registry": "/r", "rbac": {"identity_on_node_vmss": on, "node_vmss": ["/vmss/pool1"]}}],
}

test_fires_when_missing if {
	count(check.deny) == 1 with input as inp("no")
}

test_silent_when_present if {
	check.deny == set() with input as inp("yes")
}

test_silent_when_unknown if {
	check.deny == set() with input as inp("unknown")
}

test_vm_nodes_get_the_vm_fix if {
	vm := {
		"clients": [{"id": "/c/aks", "kubelet_identity": {"resource_id": "/mi/agentpool"}}],
		"pairs": [{"client": "/c/aks", "client_name": "aks", "registry": "/r", "rbac": {"identity_on_node_vmss": "no", "node_vmss": ["/subscriptions/s/resourceGroups/MC_rg/providers/Microsoft.Compute/virtualMachines/aks-pool1-12345-vm0"]}}],
	}
	some f in check.deny with input as vm
	f.client_kind == "aks:vm"
}

test_scale_set_nodes_keep_the_vmss_fix if {
	some f in check.deny with input as inp("no")
	f.client_kind == "aks"
}
