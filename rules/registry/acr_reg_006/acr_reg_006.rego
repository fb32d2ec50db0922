# METADATA
# title: Network rules or private endpoints on a registry below Premium
# description: |
#   ## What it does
#   Flags a Basic or Standard registry that carries private endpoint connections, IP rules or a `Deny` default
#   action.
#
#   ## Why is this bad?
#   Private endpoints and network rules are Premium features. A downgraded or mis-provisioned registry keeps the
#   settings on paper while they do not apply, and saving them fails with
#   `Failed to save firewall and virtual network settings for container registry`.
#
#   ## Fix
#   Upgrade to Premium, or remove the settings so the configuration says what is enforced.
# related_resources:
#   - https://learn.microsoft.com/azure/container-registry/container-registry-skus
# custom:
#   id: ACR-REG-006
#   severity: low
#   symptoms:
#     - "Failed to save firewall and virtual network settings for container registry"
#   remediation:
#     - az acr update --name {registry_name} --sku Premium
package acr_audit.registry.acr_reg_006

import rego.v1

deny contains finding if {
	some reg in input.registries
	reg.sku != "Premium"
	uses_premium_network_features(reg)
	finding := {
		"msg": sprintf(
			"Registry %s is %s but has network rules or private endpoints, which need Premium",
			[reg.name, reg.sku],
		),
		"resource": reg.id,
		"registry": reg.id,
		"evidence": {
			"sku": reg.sku,
			"default_action": reg.default_action,
			"ip_rules": reg.ip_rules,
			"private_endpoint_connections": count(reg.private_endpoint_connections),
		},
	}
}

uses_premium_network_features(reg) if count(reg.private_endpoint_connections) > 0

uses_premium_network_features(reg) if count(reg.ip_rules) > 0

uses_premium_network_features(reg) if reg.default_action == "Deny"
