# METADATA
# title: Restricted registry without dedicated data endpoints
# description: |
#   ## What it does
#   Flags a network-restricted registry (selected networks, or private endpoints) that serves layers to clients
#   on its public endpoint from its storage account: dedicated data endpoints are off and public network access
#   is not disabled. Clients that come through a private endpoint are not concerned: they fetch layers from
#   `<registry>.<region>.data.azurecr.io` through the endpoint whether or not dedicated data endpoints are on,
#   and with public access disabled no client uses the storage account.
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
#   - https://learn.microsoft.com/azure/container-registry/container-registry-endpoint-reference
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
	reg.layer_endpoints.public == "storage"
	finding := {
		"msg": sprintf(
			"Registry %s is network-restricted but serves layers to clients on its public endpoint from its storage account: their firewalls must allow *.blob.core.windows.net",
			[reg.name],
		),
		"resource": reg.id,
		"registry": reg.id,
		"evidence": {"data_endpoint_enabled": reg.data_endpoint_enabled, "layer_endpoints": reg.layer_endpoints, "regions": reg.regions},
	}
}
