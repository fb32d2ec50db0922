# METADATA
# title: Network-restricted registry blocks trusted Azure services
# description: |
#   ## What it does
#   Flags a registry that restricts network access (selected networks, public access disabled, or private
#   endpoints) while `networkRuleBypassOptions` is not `AzureServices`.
#
#   ## Why is this bad?
#   Without the trusted-services bypass, Microsoft Defender for Cloud cannot scan images and ACR Tasks cannot
#   build or run against the registry. App Service and Container Instances cannot reach a network-restricted
#   registry either way.
#
#   ## Fix
#   Allow trusted services, unless a policy forbids it.
# related_resources:
#   - https://learn.microsoft.com/azure/container-registry/allow-access-trusted-services
# custom:
#   id: ACR-REG-003
#   severity: medium
#   symptoms:
#     - "Defender for Cloud cannot scan images in the registry"
#     - "ACR Tasks run fails: failed to authorize: denied"
#   remediation:
#     - az acr update --name {registry_name} --allow-trusted-services true
package acr_audit.registry.acr_reg_003

import data.acr_audit.lib.helpers as h
import rego.v1

deny contains finding if {
	some reg in input.registries
	h.network_restricted(reg)
	not reg.trusted_services_bypass
	finding := {
		"msg": sprintf(
			"Registry %s restricts network access without the trusted-services bypass: Defender for Cloud and ACR Tasks cannot reach it",
			[reg.name],
		),
		"resource": reg.id,
		"registry": reg.id,
		"evidence": {
			"public_network_access": reg.public_network_access,
			"default_action": reg.default_action,
			"private_endpoint_connections": count(reg.private_endpoint_connections),
			"trusted_services_bypass": false,
		},
	}
}
