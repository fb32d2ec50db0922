package acr_audit.firewall.acr_fw_002_test

import data.acr_audit.firewall.acr_fw_002 as check
import rego.v1

path(verdict, tls) := {
	"client": "/c/aks", "client_name": "aks", "registry": "/r/contoso",
	"azure_firewall": {
		"firewall": "/s/fw/afw-hub", "name": "afw-hub", "policy": "/s/p/afwp-hub", "verdict": verdict,
		"tls_inspection": tls, "fqdn": "contoso.azurecr.io", "deciding_rule": {"rule": "acr-inspected"},
	},
}

test_fires_on_an_inspected_allow if {
	res := check.deny with input as {"paths": [path("allow", true)]}
	count(res) == 1
	some f in res
	contains(f.msg, "acr-inspected")
}

test_silent_without_inspection_or_when_denied if {
	check.deny == set() with input as {"paths": [path("allow", false), path("deny", true)]}
}
