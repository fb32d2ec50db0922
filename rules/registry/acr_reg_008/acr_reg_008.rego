# METADATA
# title: Restricted registry without dedicated data endpoints
# description: |
#   ## What it does
#   Flags a network-restricted registry (selected networks, public access disabled, or private endpoints) whose
#   dedicated data endpoints are off.
#
#   ## Why is this bad?
#   Layers are then served from the registry's storage account, `*.blob.core.windows.net`: client firewalls must
#   open a wildcard storage name (or the whole `Storage.<region>` tag), which lets traffic reach any storage
#   account. Dedicated data endpoints (`<registry>.<region>.data.azurecr.io`) narrow the rule to this registry.
#
#   ## Fix
#   Enable dedicated data endpoints and allow `<registry>.<region>.data.azurecr.io` in client firewalls.
# related_resources:
#   - https://learn.microsoft.com/azure/container-registry/container-registry-firewall-access-rules#enable-dedicated-data-endpoints
# custom:
#   id: ACR-REG-008
#   severity: info
#   symptoms:
#     - "dial tcp <storage-endpoint-ip>:443: i/o timeout"
#   remediation:
#     - az acr update --name {registry_name} --data-endpoint-enabled true
#     - az acr show-endpoints --name {registry_name}
package acr_audit.registry.acr_reg_008

import data.acr_audit.lib.helpers as h
import rego.v1

deny contains finding if {
	some reg in input.registries
	h.network_restricted(reg)
	not reg.data_endpoint_enabled
	finding := {
		"msg": sprintf(
			"Registry %s is network-restricted but serves layers from its storage account: client firewalls must allow *.blob.core.windows.net",
			[reg.name],
		),
		"resource": reg.id,
		"registry": reg.id,
		"evidence": {"data_endpoint_enabled": false, "regions": reg.regions},
	}
}
