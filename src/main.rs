//! The `acr-audit` binary: parse, run, exit code. Everything else is in the library.

fn main() -> std::process::ExitCode {
    acr_audit::cli::main_entry()
}
