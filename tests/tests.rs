//! The integration tests, compiled and linked as one binary: each `tests/*.rs` file would be its own crate,
//! linking the library and its dependencies again, and link time dominated the edit-test loop. Each module of
//! `it` (files under `tests/it/`) is what used to be one test file; `common` and `fake_arm` are the helpers
//! they share. Run one area with a filter: `cargo test --test tests scan_live`. Proptest finds
//! `it/analysis_props.proptest-regressions` beside its source file, as it did before the merge.

mod it {
    mod common;
    mod fake_arm;

    mod analysis_hops;
    mod analysis_props;
    mod azure_firewall;
    mod bad_input;
    mod ci_outputs;
    mod consumers;
    mod corpus;
    mod dns_chain;
    mod dns_zones;
    mod egress_nodes;
    mod endpoint_routes_families;
    mod eval_demo;
    mod explain_cmd;
    mod fifo_input;
    mod fuzz;
    mod golden;
    mod hostile_endpoints;
    mod hostile_text;
    mod identity_modes;
    mod landing_zone;
    mod normalisation;
    mod null_members;
    mod output_files;
    mod report_subscriptions;
    mod rule_fixtures;
    mod rules_cmd;
    mod scan_consumers;
    mod scan_hub;
    mod scan_live;
    mod scan_management_group;
    mod scan_resource_graph;
    mod snapshot_schema;
    mod trace_cmd;
}
