//! Finding rule files: the built-in catalogue embedded in the binary, plus user directories (`--rules DIR`).
//!
//! A `.rego` file is a rule when it does not end in `_test.rego`; it must carry `# METADATA` and a `package`.
//! `_test.rego` files hold Rego unit tests for `acr-audit rules test`.
//!
//! Built-in rules live one folder per rule, `rules/<area>/<name>/`, beside their `fires.json` and `clean.json`
//! fixtures (see `fixture`). Directories are walked recursively and only `.rego` files are read, so the
//! fixtures (and anything else a rule folder holds) never reach the engine.

use super::error::RuleLoadError;
use super::metadata::{package_of, parse_metadata, RuleMetadata};
use include_dir::{include_dir, Dir};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

static BUILTIN_RULES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/rules");

/// One Rego file's text and where it came from.
#[derive(Debug, Clone)]
pub struct RuleSource {
    /// Display name: `rules/…` for built-ins (as in the repository), the real path for user files.
    pub name: String,
    /// The Rego text.
    pub text: String,
    /// Embedded in the binary.
    pub builtin: bool,
}

impl RuleSource {
    /// A test file (`*_test.rego`).
    pub fn is_test(&self) -> bool {
        self.name.ends_with("_test.rego")
    }
}

/// A rule: its metadata, package and source.
#[derive(Debug, Clone)]
pub struct RuleFile {
    /// Validated metadata.
    pub meta: RuleMetadata,
    /// The Rego package, e.g. `acr_audit.registry.acr_reg_001`.
    pub package: String,
    /// The file.
    pub source: RuleSource,
}

/// All rules and tests available to one run.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// Rules, sorted by id.
    pub rules: Vec<RuleFile>,
    /// Test files.
    pub tests: Vec<RuleSource>,
    /// Helper libraries (packages under `acr_audit.lib` or `lib`): loaded with the rules, no metadata.
    pub libraries: Vec<RuleSource>,
}

impl Catalog {
    /// Load the built-in rules (when `builtin`) and every `.rego` file under each of `dirs`.
    pub fn load(builtin: bool, dirs: &[PathBuf]) -> Result<Catalog, RuleLoadError> {
        let mut sources = Vec::new();
        if builtin {
            sources.extend(builtin_sources());
        }
        let mut visited = HashSet::new();
        for dir in dirs {
            collect_dir(dir, &mut sources, &mut visited)?;
        }
        Catalog::from_sources(sources)
    }

    /// Build a catalogue from sources, validating metadata, packages and id uniqueness.
    pub fn from_sources(sources: Vec<RuleSource>) -> Result<Catalog, RuleLoadError> {
        let mut catalog = Catalog::default();
        for source in sources {
            if let Some(package) = package_of(&source.text).filter(|p| !source.builtin && is_reserved(p)) {
                return Err(RuleLoadError::ReservedPackage { file: source.name, package });
            }
            if source.is_test() {
                catalog.tests.push(source);
                continue;
            }
            if is_library(&source.text) {
                catalog.libraries.push(source);
                continue;
            }
            let meta = parse_metadata(&source.name, &source.text)?;
            let package =
                package_of(&source.text).ok_or_else(|| RuleLoadError::MissingPackage { file: source.name.clone() })?;
            if let Some(existing) = catalog.rules.iter().find(|r| r.meta.id == meta.id) {
                return Err(RuleLoadError::DuplicateId {
                    id: meta.id,
                    first: existing.source.name.clone(),
                    second: source.name,
                });
            }
            catalog.rules.push(RuleFile { meta, package, source });
        }
        catalog.rules.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
        catalog.tests.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(catalog)
    }

    /// Whether any rule, helper library or test came from `--rules` rather than the binary: those are untrusted
    /// and load only in the rule sandbox.
    pub fn has_custom_files(&self) -> bool {
        self.rules.iter().map(|r| &r.source).chain(&self.libraries).chain(&self.tests).any(|s| !s.builtin)
    }

    /// A rule by id (case-insensitive).
    pub fn get(&self, id: &str) -> Option<&RuleFile> {
        self.rules.iter().find(|r| r.meta.id.eq_ignore_ascii_case(id))
    }

    /// The rules to run: all, or `only`, minus `skip`. Unknown ids are an error, not silently ignored.
    pub fn select(&self, only: &[String], skip: &[String]) -> Result<Vec<&RuleFile>, RuleLoadError> {
        for (flag, ids) in [("--only", only), ("--skip", skip)] {
            if let Some(id) = ids.iter().find(|id| self.get(id).is_none()) {
                let known: Vec<&str> = self.rules.iter().take(5).map(|r| r.meta.id.as_str()).collect();
                return Err(RuleLoadError::UnknownRule { id: id.clone(), flag, known: known.join(", ") });
            }
        }
        Ok(self
            .rules
            .iter()
            .filter(|r| only.is_empty() || only.iter().any(|id| id.eq_ignore_ascii_case(&r.meta.id)))
            .filter(|r| !skip.iter().any(|id| id.eq_ignore_ascii_case(&r.meta.id)))
            .collect())
    }
}

/// Libraries hold helpers for rules: their package is `acr_audit.lib.*` or `lib.*`, and they have no metadata.
fn is_library(text: &str) -> bool {
    package_of(text).map(|p| p.starts_with("acr_audit.lib.") || p.starts_with("lib.")).unwrap_or(false)
}

/// The `acr_audit` namespace belongs to the built-in rules and their helpers: a user file declaring a package
/// there would add rules to a built-in package (findings under a built-in id) or replace a helper.
fn is_reserved(package: &str) -> bool {
    package == "acr_audit" || package.starts_with("acr_audit.")
}

/// Only `.rego` files are Rego: rule folders also hold JSON fixtures, which the catalogue must skip.
fn is_rego(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()) == Some("rego")
}

/// Every `.rego` file embedded from `rules/`, at any depth, named as in the repository.
fn builtin_sources() -> Vec<RuleSource> {
    fn walk(dir: &Dir<'static>, out: &mut Vec<RuleSource>) {
        for file in dir.files() {
            if is_rego(file.path()) {
                if let Some(text) = file.contents_utf8() {
                    out.push(RuleSource {
                        name: format!("rules/{}", file.path().display()),
                        text: text.to_string(),
                        builtin: true,
                    });
                }
            }
        }
        for sub in dir.dirs() {
            walk(sub, out);
        }
    }
    let mut out = Vec::new();
    walk(&BUILTIN_RULES, &mut out);
    out
}

/// Every `.rego` file under a user path (a file is taken as given), in sorted order so loading is deterministic.
/// Directories are entered once each, by their canonical path, so a symlink loop ends instead of recursing
/// until the stack or the path length gives out.
fn collect_dir(path: &Path, out: &mut Vec<RuleSource>, visited: &mut HashSet<PathBuf>) -> Result<(), RuleLoadError> {
    let read_err = |source| RuleLoadError::Read { path: path.display().to_string(), source };
    let meta = std::fs::metadata(path).map_err(read_err)?;
    if meta.is_file() {
        let text = std::fs::read_to_string(path).map_err(read_err)?;
        out.push(RuleSource { name: path.display().to_string(), text, builtin: false });
        return Ok(());
    }
    if !visited.insert(std::fs::canonicalize(path).map_err(read_err)?) {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(path).map_err(read_err)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() || is_rego(&entry) {
            collect_dir(&entry, out, visited)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_are_found_in_their_folders_and_fixtures_are_not_loaded() {
        let sources = builtin_sources();
        assert!(sources.iter().all(|s| s.name.ends_with(".rego")), "only .rego files are sources");
        assert!(sources.iter().any(|s| s.name == "rules/registry/acr_reg_001/acr_reg_001.rego"));
        assert!(sources.iter().any(|s| s.name == "rules/registry/acr_reg_001/acr_reg_001_test.rego"));
        let catalog = Catalog::from_sources(sources).expect("built-in catalogue loads");
        assert_eq!(catalog.rules.len(), catalog.tests.len(), "one test file per rule");
    }

    fn write_rule(dir: &Path, package: &str, id: &str) {
        let rule = format!("# METADATA\n# title: T\n# custom:\n#   id: {id}\n#   severity: low\npackage {package}\n");
        std::fs::write(dir.join("rule.rego"), rule).expect("write");
    }

    #[test]
    fn a_symlink_loop_is_walked_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        write_rule(dir.path(), "org.loop", "ORG-LOOP-001");
        std::os::unix::fs::symlink(dir.path(), dir.path().join("again")).expect("symlink");
        let catalog = Catalog::load(false, &[dir.path().to_path_buf()]).expect("loads once");
        assert_eq!(catalog.rules.len(), 1);
    }

    #[test]
    fn user_files_may_not_declare_built_in_packages() {
        for package in ["acr_audit.registry.acr_reg_001", "acr_audit.lib.helpers", "acr_audit"] {
            let dir = tempfile::tempdir().expect("temp dir");
            write_rule(dir.path(), package, "ORG-REG-001");
            let err = Catalog::load(true, &[dir.path().to_path_buf()]).expect_err("refused");
            assert!(matches!(err, RuleLoadError::ReservedPackage { .. }), "{package}: {err}");
            assert!(err.to_string().contains("org."), "the fix names a namespace to use: {err}");
        }
    }

    #[test]
    fn user_dirs_are_walked_recursively_and_skip_json() {
        let dir = tempfile::tempdir().expect("temp dir");
        let folder = dir.path().join("registry").join("org_reg_001");
        std::fs::create_dir_all(&folder).expect("mkdir");
        let rule = "# METADATA\n# title: Admin user\n# custom:\n#   id: ORG-REG-001\n#   severity: low\npackage org.registry.org_reg_001\n";
        std::fs::write(folder.join("org_reg_001.rego"), rule).expect("write");
        std::fs::write(folder.join("org_reg_001_test.rego"), "package org.registry.org_reg_001_test\n").expect("write");
        std::fs::write(folder.join("fires.json"), "{\"base\": \"clean\", \"patch\": {}}").expect("write");
        let catalog = Catalog::load(false, &[dir.path().to_path_buf()]).expect("user rules load");
        assert_eq!(catalog.rules.len(), 1);
        assert_eq!(catalog.rules[0].meta.id, "ORG-REG-001");
        assert_eq!(catalog.tests.len(), 1);
    }
}
