//! Rebuild when a built-in rule changes: `include_dir!` embeds `rules/`, and cargo does not track it alone.
fn main() {
    println!("cargo:rerun-if-changed=rules");
}
