# METADATA
# title: Client subscription has not registered Microsoft.ContainerRegistry
# description: |
#   ## What it does
#   For a client whose VNet lives in another subscription than the registry, flags that subscription when its
#   `Microsoft.ContainerRegistry` resource provider is not `Registered`.
#
#   ## Why is this bad?
#   Network rules and private endpoints that reference a VNet in another subscription need the provider
#   registered there; otherwise creating them fails and the client keeps being refused.
#
#   ## Fix
#   Register the provider in the client's subscription.
# related_resources:
#   - https://learn.microsoft.com/azure/azure-resource-manager/management/resource-providers-and-types
#   - https://learn.microsoft.com/azure/container-registry/container-registry-private-link
# custom:
#   id: ACR-REG-010
#   severity: medium
#   symptoms:
#     - "The subscription is not registered to use namespace 'Microsoft.ContainerRegistry'"
#   remediation:
#     - az provider register --namespace Microsoft.ContainerRegistry --subscription {subscription_id}
package acr_audit.registry.acr_reg_010

import data.acr_audit.lib.helpers as h
import rego.v1

deny contains finding if {
	some pair in input.pairs
	reg := h.registry_by_id(pair.registry)
	client := h.client_by_id(pair.client)
	some state in client.acr_provider_registrations
	lower(state.subscription_id) != lower(reg.subscription_id)
	state.registration_state != "Registered"
	finding := {
		"msg": sprintf(
			"Client %s's VNet is in subscription %s, where Microsoft.ContainerRegistry is %s; registry %s is in %s",
			[client.name, state.subscription_id, state.registration_state, reg.name, reg.subscription_id],
		),
		"resource": sprintf("/subscriptions/%s/providers/Microsoft.ContainerRegistry", [state.subscription_id]),
		"registry": pair.registry,
		"client": pair.client,
		"params": {"subscription_id": state.subscription_id},
		"evidence": state,
	}
}
