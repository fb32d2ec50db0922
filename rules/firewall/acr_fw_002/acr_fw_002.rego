# METADATA
# title: Azure Firewall inspects TLS to the registry
# description: |
#   ## What it does
#   For each client path an Azure Firewall allows by an application rule with TLS inspection
#   (`terminateTLS`, Azure Firewall Premium), notes that the firewall re-signs the registry's certificate.
#
#   ## Why is this bad?
#   The client sees a certificate issued by the firewall's intermediate CA, not by the registry's public
#   CA. Unless every client (nodes, containerd, build agents) trusts that CA, pulls fail with
#   `x509: certificate signed by unknown authority`.
#
#   ## Fix
#   Distribute the firewall policy's CA certificate to the clients' trust stores, or turn TLS inspection off
#   for the registry's FQDNs.
# related_resources:
#   - https://learn.microsoft.com/azure/firewall/premium-certificates
#   - https://learn.microsoft.com/azure/firewall/premium-features
# custom:
#   id: ACR-FW-002
#   severity: info
#   symptoms:
#     - "x509: certificate signed by unknown authority"
#     - "tls: failed to verify certificate: x509: certificate signed by unknown authority"
#   remediation:
#     - az network firewall policy show --ids {resource_id} --query transportSecurity
package acr_audit.firewall.acr_fw_002

import rego.v1

deny contains finding if {
	some path in input.paths
	fw := path.azure_firewall
	fw.verdict == "allow"
	fw.tls_inspection
	finding := {
		"msg": sprintf(
			"Azure Firewall %s inspects TLS from %s to %s (rule %s): clients must trust the firewall policy's CA, or pulls fail with x509 errors",
			[fw.name, path.client_name, fw.fqdn, fw.deciding_rule.rule],
		),
		"resource": resource(fw),
		"registry": path.registry,
		"client": path.client,
		"evidence": {"firewall": fw.firewall, "fqdn": fw.fqdn, "deciding_rule": fw.deciding_rule},
	}
}

resource(fw) := fw.policy if fw.policy != null

resource(fw) := fw.firewall if fw.policy == null
