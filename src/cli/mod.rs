//! The command line, compiled into the binary only: parse flags (`args`), run the command against the
//! `acr_audit` library, map the outcome to an exit code. Clap, terminal detection and colour decisions live here
//! and nowhere in the library.
//!
//! Exit codes (documented in README.md): 0 = no finding at or above `--fail-on`; 1 = findings at or above it;
//! 2 = usage, input, rule or collection error.

mod args;
mod commands;
mod output;
mod resolve;

use args::Cli;

use std::process::ExitCode;

/// What a successful command concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Nothing at or above the failure threshold.
    Clean,
    /// Findings at or above `--fail-on`, or failed rule tests.
    Failed,
}

/// Parse the process arguments and run; never panics on bad input.
pub(crate) fn main_entry() -> ExitCode {
    let parsed = <Cli as clap::CommandFactory>::command()
        .try_get_matches()
        .and_then(|matches| Ok((<Cli as clap::FromArgMatches>::from_arg_matches(&matches)?, matches)));
    let cli = match parsed {
        Ok((mut cli, matches)) => {
            args::record_positions(&mut cli, &matches);
            cli
        }
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match commands::run(cli) {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Failed) => ExitCode::from(1),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // Errors quote file contents (names, JSON paths): escaped, so they cannot drive the terminal.
            eprintln!("error: {}", acr_audit::report::escape::terminal_lines(&format!("{e:#}")));
            ExitCode::from(2)
        }
    }
}

/// `acr-audit eval … | head` closes the pipe early; that is not an error (ripgrep does the same).
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().map(|io| io.kind() == std::io::ErrorKind::BrokenPipe).unwrap_or(false)
    })
}
