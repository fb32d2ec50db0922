//! Where output goes (stdout or `-o FILE`), and the decisions that depend on the terminal: whether standard
//! output may be coloured and whether a progress bar may draw on standard error. The library never looks at the
//! terminal; it receives these answers in its settings.
//!
//! Files are written atomically (a temporary file in the same directory, renamed over the target once complete),
//! so a failed or interrupted run never leaves half a report or half a snapshot, and a command refuses an output
//! that is one of its inputs ([`refuse_overwriting_inputs`]) before it writes anything.

use anyhow::Context;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

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

/// Run `write` against the file (written atomically, see [`write_file`]) or stdout, flushing at the end.
pub(crate) fn with_output(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    match path {
        Some(p) => write_file(p, "the report", write)?,
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            write(&mut w)?;
            w.flush()?;
        }
    }
    Ok(())
}

/// Write `path` atomically: into a temporary file beside it, renamed over it only once `write` succeeded and the
/// data is flushed, so readers see the old file or the whole new one, never a truncated one. `what` names the
/// content in errors.
///
/// A path that exists and is not a regular file (`/dev/stdout`, a FIFO a CI step reads from) is written in place:
/// renaming over it would replace the device or pipe with a plain file. A symbolic link is followed, as
/// `File::create` would, so the file it points at is replaced and the link stays.
pub(crate) fn write_file(
    path: &Path,
    what: &str,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let cannot = |verb: &str| format!("{}: cannot {verb} {what}", path.display());
    let target = match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => {
            let file = std::fs::OpenOptions::new().write(true).open(path).with_context(|| cannot("open"))?;
            let mut w = std::io::BufWriter::new(file);
            write(&mut w).with_context(|| cannot("write"))?;
            return w.flush().with_context(|| cannot("write"));
        }
        Ok(_) => std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
        Err(_) => path.to_path_buf(),
    };
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".acr-audit-").suffix(".tmp");
    // Same permissions as `File::create` would give (0666 less the umask), not the temporary file's 0600.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let temp = builder.tempfile_in(&dir).with_context(|| cannot("create"))?;
    let mut w = std::io::BufWriter::new(temp);
    write(&mut w).with_context(|| cannot("write"))?;
    let temp = w.into_inner().map_err(|e| e.into_error()).with_context(|| cannot("write"))?;
    temp.as_file().sync_all().with_context(|| cannot("write"))?;
    temp.persist(&target).map_err(|e| e.error).with_context(|| cannot("replace"))?;
    Ok(())
}

/// Write `bytes` to `path` atomically ([`write_file`]).
pub(crate) fn write_bytes(path: &Path, what: &str, bytes: &[u8]) -> anyhow::Result<()> {
    write_file(path, what, |w| w.write_all(bytes))
}

/// What makes two paths the same file: device and inode when the file exists (so hard links, symbolic links and
/// `./a` versus `a` all match), else the canonical directory plus the file name (for outputs not written yet).
#[derive(Debug, PartialEq, Eq)]
enum FileIdentity {
    #[cfg(unix)]
    Inode(u64, u64),
    Path(PathBuf),
}

/// The [`FileIdentity`] of `path`.
fn identity(path: &Path) -> FileIdentity {
    #[cfg(unix)]
    if let Ok(meta) = std::fs::metadata(path) {
        use std::os::unix::fs::MetadataExt;
        return FileIdentity::Inode(meta.dev(), meta.ino());
    }
    if let Ok(canonical) = std::fs::canonicalize(path) {
        return FileIdentity::Path(canonical);
    }
    let name = path.file_name().map(PathBuf::from).unwrap_or_default();
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let dir =
        std::fs::canonicalize(parent).or_else(|_| std::path::absolute(parent)).unwrap_or_else(|_| parent.to_path_buf());
    FileIdentity::Path(dir.join(name))
}

/// Whether `a` and `b` name the same file (see [`FileIdentity`]).
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    a == b || identity(a) == identity(b)
}

/// Refuse to run when an output file is one of the input files: writing the report would replace the snapshot
/// (or baseline, suppressions, pairs file) it was computed from. Checked before anything is written.
pub(crate) fn refuse_overwriting_inputs<'a>(
    outputs: impl IntoIterator<Item = &'a Path>,
    inputs: &[&Path],
) -> anyhow::Result<()> {
    for output in outputs {
        if let Some(input) = inputs.iter().find(|input| same_file(output, input)) {
            anyhow::bail!(
                "the output {} is the input {}: writing it would replace what is being read\n  fix: write the \
                 output to another file",
                output.display(),
                input.display()
            );
        }
    }
    Ok(())
}

/// Refuse two outputs that are the same file (two reports, or a report and `--save-snapshot`): the second
/// would silently replace the first.
pub(crate) fn refuse_shared_outputs(outputs: &[&Path]) -> anyhow::Result<()> {
    for (i, a) in outputs.iter().enumerate() {
        if let Some(b) = outputs[i + 1..].iter().find(|b| same_file(a, b)) {
            anyhow::bail!(
                "{} and {} are the same file: two outputs would be written to it\n  fix: give each --format its \
                 own --output",
                a.display(),
                b.display()
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_file_sees_through_spellings_and_links() {
        let dir = tempfile::tempdir().expect("temp dir");
        let a = dir.path().join("a.json");
        std::fs::write(&a, "{}").expect("write");
        assert!(same_file(&a, &dir.path().join(".").join("a.json")));
        #[cfg(unix)]
        {
            let link = dir.path().join("link.json");
            std::os::unix::fs::symlink(&a, &link).expect("symlink");
            assert!(same_file(&a, &link));
            let hard = dir.path().join("hard.json");
            std::fs::hard_link(&a, &hard).expect("hard link");
            assert!(same_file(&a, &hard));
        }
        let new = dir.path().join("new.json");
        assert!(same_file(&new, &dir.path().join(".").join("new.json")));
        assert!(!same_file(&a, &new));
    }

    #[test]
    fn write_file_replaces_atomically_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("r.txt");
        std::fs::write(&out, "old").expect("write");
        write_bytes(&out, "the report", b"new").expect("written");
        assert_eq!(std::fs::read_to_string(&out).expect("read"), "new");
        let failed = write_file(&out, "the report", |_| Err(std::io::Error::other("boom")));
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&out).expect("read"), "new", "a failed write keeps the old file");
        assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 1, "no temporary file left");
    }
}
