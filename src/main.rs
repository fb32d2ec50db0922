//! The `acr-audit` binary: parse, run, exit code. The command line (clap, terminal and colour decisions, the
//! collection progress bar) lives here, in `cli`; everything else is in the `acr_audit` library.

mod cli;

fn main() -> std::process::ExitCode {
    // The rule sandbox is this same binary, started by the library for custom rules (`rules::sandbox`).
    if std::env::args_os().nth(1).as_deref() == Some(std::ffi::OsStr::new(acr_audit::rules::sandbox::SANDBOX_ARG)) {
        return std::process::ExitCode::from(acr_audit::rules::sandbox::child_main() as u8);
    }
    cli::main_entry()
}
