package acr_audit.dns.acr_dns_001_test

import data.acr_audit.dns.acr_dns_001 as check
import rego.v1

reg(records) := {"id": "/r", "name": "r", "private_endpoint_connections": [{"status": "Approved", "private_endpoint_id": "/pe"}], "private_dns_records": records}

test_fires_without_records if {
	count(check.deny) == 1 with input as {"registries": [reg([])], "unread_types": []}
}

test_silent_with_a_record if {
	check.deny == set() with input as {"registries": [reg([{"zone": "/z", "record": "/z/A/r", "addresses": ["10.0.1.5"]}])], "unread_types": []}
}

test_silent_when_zones_were_unreadable if {
	check.deny == set() with input as {"registries": [reg([])], "unread_types": ["microsoft.network/privatednszones"]}
}
