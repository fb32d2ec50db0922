//! Where output goes (stdout or `-o FILE`), and the decisions that depend on the terminal: whether standard
//! output may be coloured and whether a progress bar may draw on standard error. The library never looks at the
//! terminal; it receives these answers in its settings.

use anyhow::Context;
use std::io::{IsTerminal, Write};
use std::path::Path;

/// Colour only for a terminal on stdout, unless `--no-color` or `NO_COLOR` (https://no-color.org) says no.
pub(crate) fn stdout_color(no_color_flag: bool) -> bool {
    let no_color_env = std::env::var_os("NO_COLOR").map(|v| !v.is_empty()).unwrap_or(false);
    !no_color_flag && !no_color_env && std::io::stdout().is_terminal()
}

/// A progress bar only on a terminal, never under CI (`CI` set) and never with `--verbose`, whose request log
/// it would garble.
pub(crate) fn progress_on_stderr(verbose: bool) -> bool {
    let in_ci = std::env::var_os("CI").is_some();
    !verbose && !in_ci && std::io::stderr().is_terminal()
}

/// Run `write` against the file or stdout, flushing at the end.
pub(crate) fn with_output(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    match path {
        Some(p) => {
            let file =
                std::fs::File::create(p).with_context(|| format!("{}: cannot create the output file", p.display()))?;
            let mut w = std::io::BufWriter::new(file);
            write(&mut w).with_context(|| format!("{}: cannot write the report", p.display()))?;
            w.flush().with_context(|| format!("{}: cannot write the report", p.display()))?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            write(&mut w)?;
            w.flush()?;
        }
    }
    Ok(())
}
