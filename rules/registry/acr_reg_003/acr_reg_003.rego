# METADATA
# title: Network-restricted registry blocks trusted Azure services
# description: |
#   ## What it does
#   Flags a registry that restricts network access (selected networks, public access disabled, or private
#   endpoints) while `networkRuleBypassOptions` is not `AzureServices`.
#
#   ## Why is this bad?
#   Without the trusted-services bypass, the services Microsoft lists as trusted cannot reach the registry:
#   Container Instances pulling with a managed identity, Microsoft Defender for Cloud scanning images, Azure
#   Machine Learning, and image import from another registry. App Service is not a trusted service ("enabling
#   the allow trusted services setting doesn't apply to App Service"), and since June 2025 neither are ACR Tasks,
#   which need `networkRuleBypassAllowedForTasks` instead (ACR-USE-003).
#
#   ## Fix
#   Allow trusted services, unless a policy forbids it.
# related_resources:
#   - https://learn.microsoft.com/azure/container-registry/allow-access-trusted-services
#   - https://learn.microsoft.com/azure/container-registry/manage-network-bypass-policy-for-tasks
# custom:
#   id: ACR-REG-003
#   severity: medium
#   symptoms:
#     - "Defender for Cloud cannot scan images in the registry"
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
			"Registry %s restricts network access without the trusted-services bypass: Container Instances pulling with a managed identity and Defender for Cloud cannot reach it",
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
