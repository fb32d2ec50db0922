# METADATA
# title: Kubelet identity is not assigned to the node pool VMSS
# description: |
#   ## What it does
#   Flags an AKS cluster whose kubelet identity (a user-assigned managed identity) is missing from the
#   `identity.userAssignedIdentities` of a node VMSS in the node resource group, or of a node VM there
#   (`VirtualMachines` node pools and node auto-provisioning run on VMs, not scale sets).
#
#   ## Why is this bad?
#   Nodes get their registry token from the identity attached to the VMSS. If it was removed (by a policy, a
#   script or a manual change), the AcrPull assignment is useless: pulls fail with 401 even though RBAC looks
#   right.
#
#   ## Fix
#   Reconcile the cluster so AKS reattaches the identity, or assign it to the VMSS.
# related_resources:
#   - https://learn.microsoft.com/troubleshoot/azure/azure-kubernetes/connectivity/cannot-pull-image-from-acr-to-aks-cluster
# custom:
#   id: ACR-IAM-003
#   severity: high
#   symptoms:
#     - "failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized"
#     - "ManagedIdentityCredential authentication failed"
#   remediation:
#     - az aks update --name {client_name} --resource-group {client_resource_group}
#     - az vmss identity assign --ids {vmss_id} --identities {identity_id}
#   remediation_by_kind:
#     aks:vm:
#       - az aks update --name {client_name} --resource-group {client_resource_group}
#       - az vm identity assign --ids {vmss_id} --identities {identity_id}
package acr_audit.identity.acr_iam_003

import data.acr_audit.lib.helpers as h
import rego.v1

deny contains finding if {
	some pair in input.pairs
	pair.rbac.identity_on_node_vmss == "no"
	client := h.client_by_id(pair.client)
	finding := {
		"msg": sprintf(
			"Kubelet identity of %s is not assigned to its node VMSS %s: nodes cannot get a registry token",
			[pair.client_name, concat(", ", [h.last(v) | some v in pair.rbac.node_vmss])],
		),
		"resource": pair.client,
		"registry": pair.registry,
		"client": pair.client,
		"client_kind": node_kind(pair.rbac.node_vmss[0]),
		"params": {"vmss_id": pair.rbac.node_vmss[0], "identity_id": client.kubelet_identity.resource_id},
		"evidence": {"node_vmss": pair.rbac.node_vmss, "kubelet_identity": client.kubelet_identity.resource_id},
	}
}

# Nodes of `VirtualMachines` pools and node auto-provisioning are VMs: their identity is assigned with `az vm`.
node_kind(id) := "aks:vm" if contains(lower(id), "/providers/microsoft.compute/virtualmachines/")

node_kind(id) := "aks" if not contains(lower(id), "/providers/microsoft.compute/virtualmachines/")
