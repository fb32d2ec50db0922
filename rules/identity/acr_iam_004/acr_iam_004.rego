# METADATA
# title: Pull is granted to a group the cluster's identity may belong to
# description: |
#   ## What it does
#   For each AKS cluster and registry it pulls from, when the kubelet identity holds no role that grants a pull
#   itself but a Microsoft Entra group holds one at the registry or above, names the group and the command that
#   tells whether the identity is a member. Group membership is not in ARM, so whether the cluster can pull is
#   `unknown`; ACR-IAM-001 stays silent rather than report a missing grant that may exist.
#
#   ## Why is this bad?
#   Nothing, if the identity is a member. If it is not (a new cluster, a re-created kubelet identity, a group
#   cleaned up), every image pull fails with `401 Unauthorized`.
#
#   ## Fix
#   Check the membership; add the kubelet identity to the group, or assign the pull role to the identity itself.
# related_resources:
#   - https://learn.microsoft.com/cli/azure/ad/group/member#az-ad-group-member-check
#   - https://learn.microsoft.com/azure/container-registry/container-registry-rbac-built-in-roles-overview
# custom:
#   id: ACR-IAM-004
#   severity: info
#   symptoms:
#     - "failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized"
#   remediation:
#     - az ad group member check --group {group_id} --member-id {principal_id}
#     - az ad group member add --group {group_id} --member-id {principal_id}
package acr_audit.identity.acr_iam_004

import rego.v1

deny contains finding if {
	some pair in input.pairs
	pair.rbac.principal_kind == "kubelet_identity"
	pair.rbac.grants_pull == "unknown"
	some grant in pair.rbac.group_grants
	finding := {
		"msg": sprintf(
			"Pull on registry %s is granted to group %s (%s), not to kubelet identity %s of %s itself; group membership is not in ARM: check it with %s",
			[pair.registry_name, grant.group, role(grant), pair.rbac.principal_id, pair.client_name, command(grant.group, pair.rbac.principal_id)],
		),
		"resource": pair.registry,
		"registry": pair.registry,
		"client": pair.client,
		"params": {"group_id": grant.group, "principal_id": pair.rbac.principal_id},
		"evidence": {"principal_id": pair.rbac.principal_id, "group_grant": grant},
	}
}

role(grant) := grant.role_name if is_string(grant.role_name)

role(grant) := grant.role_definition if not is_string(grant.role_name)

# Object ids are GUIDs, which a shell leaves alone: only then is the command spelled out in the message. Anything
# else is snapshot text, so the message points at the remediation, where every value is shell-quoted.
guid(s) if regex.match(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`, s)

command(group, member) := sprintf("`az ad group member check --group %s --member-id %s`", [group, member]) if {
	guid(group)
	guid(member)
}

command(group, member) := "`az ad group member check` (remediation)" if {
	not all_guids(group, member)
}

all_guids(group, member) if {
	guid(group)
	guid(member)
}
