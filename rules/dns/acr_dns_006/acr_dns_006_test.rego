package acr_audit.dns.acr_dns_006_test

import data.acr_audit.dns.acr_dns_006 as check
import rego.v1

inp(status) := {"paths": [{
	"client": "/c/aks", "client_name": "aks", "registry": "/r/contoso", "subnet": "/v/spoke/subnets/nodes",
	"endpoint": {"kind": "login", "fqdn": "contoso.azurecr.io"},
	"dns": {
		"status": status, "custom_dns_servers": ["10.1.0.4"], "cause": "via 10.1.0.4: DNS proxy off",
		"chains": [{"server": "10.1.0.4", "status": "no_answer", "hops": [{
			"server": "10.1.0.4", "responder": "nothing", "resource": "/x/azureFirewalls/fw",
			"configured_by": "/x/firewallPolicies/pol",
		}]}],
	},
}]}

test_fires_when_nothing_answers if {
	findings := check.deny with input as inp("no_answer")
	count(findings) == 1
	some f in findings
	f.resource == "/v/spoke"
	f.params.policy_id == "/x/firewallPolicies/pol"
}

test_silent_when_the_answer_is_unknown if {
	check.deny == set() with input as inp("unknown")
}

test_silent_when_names_resolve if {
	check.deny == set() with input as inp("public")
}
