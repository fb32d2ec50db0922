//! The `acr-audit` binary: parse, run, exit code. The command line (clap, terminal and colour decisions, the
//! collection progress bar) lives here, in `cli`; everything else is in the `acr_audit` library.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main_entry()
}
