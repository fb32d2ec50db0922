# METADATA
# title: Registry storage nearly or fully used
# description: |
#   ## What it does
#   Compares the registry's storage use (`listUsages`, `Size`) with its limit: medium at 90 % or more, high at
#   100 %.
#
#   ## Why is this bad?
#   A registry at its storage limit refuses pushes: `The operation is disallowed on this registry, repository
#   or image.` Pulls keep working, so the failure shows up first in build pipelines.
#
#   ## Fix
#   Delete unused images and untagged manifests (or enable a retention policy); the limit is per SKU.
# related_resources:
#   - https://learn.microsoft.com/azure/container-registry/container-registry-skus
#   - https://learn.microsoft.com/azure/container-registry/container-registry-retention-policy
# custom:
#   id: ACR-REG-005
#   severity: medium
#   symptoms:
#     - "The operation is disallowed on this registry, repository or image."
#   remediation:
#     - az acr show-usage --name {registry_name} --output table
#     - az acr run --registry {registry_name} --cmd "acr purge --filter '.*:.*' --ago 90d --untagged" /dev/null
#     - az acr config retention update --registry {registry_name} --status enabled --days 30 --type UntaggedManifests
package acr_audit.registry.acr_reg_005

import rego.v1

deny contains finding if {
	some reg in input.registries
	usage := reg.storage_usage
	usage.ratio >= 0.9
	finding := {
		"msg": sprintf(
			"Registry %s uses %.1f%% of its storage (%.0f of %.0f GiB): pushes fail at 100%%",
			[reg.name, usage.ratio * 100, usage.current / 1073741824, usage.limit / 1073741824],
		),
		"resource": reg.id,
		"registry": reg.id,
		"severity": severity(usage.ratio),
		"evidence": usage,
	}
}

severity(ratio) := "high" if ratio >= 1

severity(ratio) := "medium" if ratio < 1
