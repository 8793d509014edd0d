//! Regenerates (or checks) everything the generator owns, in the manner of rust-analyzer's
//! `ensure_file_contents`: compare first, write only what differs, and report.

use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use genauth_codegen::layers::{LayerReport, Layers};
use genauth_codegen::{Generated, GeneratedFile, Options, Severity};

use crate::timings::Timings;
use genauth_codegen::manifest::Comparison;

/// Folders whose every file the generator owns: a file there that the spec no longer produces is
/// stale and is removed (or, with `--check`, reported).
pub const OWNED_DIRS: &[&str] = &["sdk/src/generated", "tests/src/generated", "docs/en", "docs/zh-CN"];

/// Spec file endings the generator reads (the upstream document and the curated layers).
const SPEC_EXTENSIONS: &[&str] = &["json", "yaml", "yml"];

/// The curated overlays (OpenAPI Overlay 1.0), applied in file-name order.
pub const OVERLAY_DIR: &str = "spec/overlays";

/// The English catalog.
pub const TRANSLATION_DIR: &str = "spec/translations/en";

/// Whether to write or only compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write what differs.
    Write,
    /// Write nothing; fail when anything differs.
    Check,
}

/// The workspace root (this crate sits one level below it).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives inside the workspace").to_path_buf()
}

/// What one run did.
#[derive(Debug)]
pub struct Report {
    mode: Mode,
    spec_path: String,
    warnings: Vec<String>,
    operations: usize,
    types: usize,
    written: Vec<String>,
    /// For `--check`: the start of each stale file's diff, so CI logs show what differs.
    diffs: Vec<String>,
    unchanged: usize,
    removed: Vec<String>,
    /// The API surface's changes since the checked-in manifest.
    changes: Comparison,
    /// Where the full report of those changes and the changelog entry went.
    written_down: crate::changelog::Written,
    /// What applying the curated layers found.
    layers: LayerReport,
    /// Which operations got a paginator, and which look paged but did not.
    paginators: crate::paginators::PaginatorReport,
    /// How long each stage took (printed with `--timings`).
    pub timings: Timings,
}

impl Report {
    /// True for `--check` when anything is stale, or a curated layer no longer fits upstream
    /// (an orphaned overlay action, a stale or orphaned translation).
    pub fn is_failure(&self) -> bool {
        self.mode == Mode::Check && !(self.written.is_empty() && self.removed.is_empty() && !self.layers.has_problems())
    }
}

/// Finds the one spec file in `spec/`.
pub fn find_spec(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join("spec");
    let entries = fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut specs: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().and_then(|ext| ext.to_str()).is_some_and(|ext| SPEC_EXTENSIONS.contains(&ext)))
        .collect();
    specs.sort();
    match specs.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(format!("no spec in {} (expected one .json, .yaml or .yml file)", dir.display())),
        many => Err(format!(
            "more than one spec in {}: {}; keep exactly one",
            dir.display(),
            many.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// The upstream document, its path relative to `root`, and the curated layers beside it.
pub struct Inputs {
    /// `spec/management-openapi.json`.
    pub spec_path: String,
    /// Its tree, as read.
    pub upstream: serde_json::Value,
    /// The overlays and the translation catalog.
    pub layers: Layers,
}

/// Reads the spec and its layers from `root/spec`; the layers are parsed while the spec is.
pub fn read_inputs(root: &Path) -> Result<Inputs, String> {
    let spec = find_spec(root)?;
    let spec_path = relative(root, &spec);
    let bytes = fs::read(&spec).map_err(|e| format!("cannot read {spec_path}: {e}"))?;
    let overlays = read_layer_files(root, OVERLAY_DIR)?;
    let translations = read_layer_files(root, TRANSLATION_DIR)?;
    let (layers, upstream) = std::thread::scope(|scope| {
        let layers = scope.spawn(|| {
            Layers::read(
                overlays.iter().map(|(name, bytes)| (name.as_str(), bytes.as_slice())),
                translations.iter().map(|(name, bytes)| (name.as_str(), bytes.as_slice())),
            )
        });
        let upstream = genauth_codegen::parse::read_document(&bytes, &spec_path);
        (joined(layers), upstream)
    });
    let layers = layers.map_err(|diagnostics| format!("the curated layers cannot be read:\n{diagnostics}"))?;
    let upstream = upstream.map_err(|diagnostics| format!("{spec_path} cannot be read:\n{diagnostics}"))?;
    Ok(Inputs { spec_path, upstream, layers })
}

/// `(path relative to root, bytes)` of every layer file in `dir`, sorted by name (none when the
/// folder does not exist).
fn read_layer_files(root: &Path, dir: &str) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut files = Vec::new();
    for path in files_below(&root.join(dir)) {
        if path.extension().and_then(|e| e.to_str()).is_some_and(|e| SPEC_EXTENSIONS.contains(&e)) {
            let name = relative(root, &path);
            let bytes = fs::read(&path).map_err(|e| format!("cannot read {name}: {e}"))?;
            files.push((name, bytes));
        }
    }
    Ok(files)
}

/// The translator's work list: missing and stale English, as catalog entries to fill in.
pub fn translation_work_list(root: &Path) -> Result<String, String> {
    Ok(effective_spec(root)?.1.translations.work_list())
}

/// The effective document of `root/spec` (upstream with every layer applied) and what applying
/// the layers found.
fn effective_spec(root: &Path) -> Result<(serde_json::Value, LayerReport), String> {
    let Inputs { spec_path, upstream, layers } = read_inputs(root)?;
    genauth_codegen::layers::apply(upstream, &layers)
        .map_err(|diagnostics| format!("{spec_path} cannot be read:\n{diagnostics}"))
}

/// Writes the effective document (upstream with every layer applied) to `out`, as JSON.
pub fn write_effective_spec(root: &Path, out: &Path) -> Result<LayerReport, String> {
    let (doc, report) = effective_spec(root)?;
    let mut text = serde_json::to_string_pretty(&doc).map_err(|e| format!("cannot serialise: {e}"))?;
    text.push('\n');
    fs::write(out, text).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    Ok(report)
}

/// Generates from the spec in `root/spec` and writes (or compares) the owned files.
pub fn run(root: &Path, mode: Mode) -> Result<Report, String> {
    let start = Instant::now();
    let mut timings = Timings::default();
    let Inputs { spec_path, upstream, layers } = read_inputs(root)?;
    timings.read = start.elapsed();
    let options = Options { spec_path: spec_path.clone(), docs: true };
    let (Generated { api, mut files }, layer_report) =
        genauth_codegen::generate_from_document(upstream, &layers, &options, &mut timings.generate)
            .map_err(|diagnostics| format!("{spec_path} cannot be generated from:\n{diagnostics}"))?;
    let writing = Instant::now();
    files.push(cargo_features(root, &api)?);

    // What changed in the API surface is worked out beside the comparison of the files.
    let manifest_path = genauth_codegen::manifest::PATH;
    let old_manifest = read_text(&root.join(manifest_path)).ok();
    let new_manifest = files.iter().find(|f| f.path == manifest_path).map_or("", |f| f.contents.as_str());
    let (changes, compared) = std::thread::scope(|scope| {
        let changes = scope.spawn(|| genauth_codegen::manifest::compare(old_manifest.as_deref(), new_manifest));
        let compared = compare_files(root, &files, mode);
        (joined(changes), compared)
    });
    let Compared { written, diffs, unchanged, removed } = compared?;
    let written_down = crate::changelog::write_down(root, &changes, &spec_path, mode == Mode::Write)?;
    timings.write = writing.elapsed();
    timings.total = start.elapsed();
    Ok(Report {
        mode,
        spec_path,
        warnings: api.warnings.iter().filter(|d| d.severity == Severity::Warning).map(ToString::to_string).collect(),
        operations: api.operations.len(),
        types: api.types.len(),
        written,
        diffs,
        unchanged,
        removed,
        changes,
        written_down,
        layers: layer_report,
        paginators: crate::paginators::PaginatorReport::of(&api),
        timings,
    })
}

/// The result of a scoped thread, its panic passed on.
fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// What comparing the generated files with the checked-in ones found (and, in write mode, did).
struct Compared {
    written: Vec<String>,
    diffs: Vec<String>,
    unchanged: usize,
    removed: Vec<String>,
}

/// Compares every generated file with the one on disk, writing what differs in write mode, and
/// finds (and in write mode removes) owned files the spec no longer produces.
fn compare_files(root: &Path, files: &[GeneratedFile], mode: Mode) -> Result<Compared, String> {
    let mut written = Vec::new();
    let mut diffs = Vec::new();
    let mut unchanged = 0;
    let produced: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for file in files {
        let path = root.join(&file.path);
        let current = fs::read(&path).ok();
        if current.as_deref().is_some_and(|bytes| same_text(bytes, &file.contents)) {
            unchanged += 1;
            continue;
        }
        if mode == Mode::Check {
            let old = current.map(|bytes| String::from_utf8_lossy(&bytes).into_owned()).unwrap_or_default();
            diffs.push(diff_excerpt(&file.path, &old, &file.contents));
        }
        written.push(file.path.clone());
        if mode == Mode::Write {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
            fs::write(&path, &file.contents).map_err(|e| format!("cannot write {}: {e}", file.path))?;
        }
    }
    let mut removed = Vec::new();
    for dir in OWNED_DIRS {
        for path in files_below(&root.join(dir)) {
            let rel = relative(root, &path);
            if !produced.contains(rel.as_str()) {
                if mode == Mode::Write {
                    fs::remove_file(&path).map_err(|e| format!("cannot remove {rel}: {e}"))?;
                }
                removed.push(rel);
            }
        }
    }
    Ok(Compared { written, diffs, unchanged, removed })
}

/// Whether a checked-in file holds `generated`, whatever its line endings: a Windows checkout
/// (`core.autocrlf`) has CRLF where the generator writes LF, and that is not staleness.
fn same_text(checked_in: &[u8], generated: &str) -> bool {
    checked_in == generated.as_bytes() || lf_only(checked_in).as_deref() == Some(generated.as_bytes())
}

/// `bytes` with every CRLF made LF, when it has any.
fn lf_only(bytes: &[u8]) -> Option<Vec<u8>> {
    bytes.windows(2).any(|w| w == b"\r\n").then(|| {
        let mut out = Vec::with_capacity(bytes.len());
        for (i, &b) in bytes.iter().enumerate() {
            if !(b == b'\r' && bytes.get(i + 1) == Some(&b'\n')) {
                out.push(b);
            }
        }
        out
    })
}

/// A checked-in text file as the generator compares it: with LF line endings.
pub fn read_text(path: &Path) -> std::io::Result<String> {
    let bytes = fs::read(path)?;
    let bytes = lf_only(&bytes).unwrap_or(bytes);
    String::from_utf8(bytes).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// `sdk/Cargo.toml` with its generated `[features]` lines (one feature per API group) as the
/// model gives them; the rest of the file is hand-written and kept as it is.
fn cargo_features(root: &Path, api: &genauth_codegen::model::Api) -> Result<GeneratedFile, String> {
    use genauth_codegen::emit::features;
    let path = "sdk/Cargo.toml";
    let manifest = read_text(&root.join(path)).map_err(|e| format!("cannot read {path}: {e}"))?;
    let contents = features::splice(&manifest, &features::table(api))?;
    Ok(GeneratedFile { path: path.to_owned(), contents })
}

/// The first lines of a unified diff from `old` (checked in) to `new` (generated).
fn diff_excerpt(path: &str, old: &str, new: &str) -> String {
    const MAX_LINES: usize = 24;
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(1)
        .header(&format!("{path} (checked in)"), &format!("{path} (generated)"))
        .to_string();
    let mut lines: Vec<&str> = text.lines().take(MAX_LINES + 1).collect();
    if lines.len() > MAX_LINES {
        lines.truncate(MAX_LINES);
        lines.push("...");
    }
    lines.join("\n")
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Every file below `dir`, sorted; none when it does not exist.
fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

impl Report {
    fn say_where_the_changes_went(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = self.written_down.full_report {
            writeln!(f, "the full report (every line): {path}")?;
        }
        if self.written_down.changelog_entry {
            writeln!(
                f,
                "changelog: an entry listing these changes was added under `## [Unreleased]` in {}; edit its wording",
                crate::changelog::CHANGELOG
            )?;
        }
        Ok(())
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for warning in &self.warnings {
            writeln!(f, "{warning}")?;
        }
        writeln!(
            f,
            "{}: {} operations, {} types ({} warnings)",
            self.spec_path,
            self.operations,
            self.types,
            self.warnings.len()
        )?;
        write!(f, "{}", self.layers)?;
        match self.mode {
            Mode::Write => {
                write!(f, "{}", self.paginators)?;
                writeln!(
                    f,
                    "files: {} written, {} unchanged, {} removed",
                    self.written.len(),
                    self.unchanged,
                    self.removed.len()
                )?;
                for path in &self.written {
                    writeln!(f, "  wrote   {path}")?;
                }
                for path in &self.removed {
                    writeln!(f, "  removed {path}")?;
                }
                write!(f, "{}", self.changes)?;
                self.say_where_the_changes_went(f)?;
            }
            Mode::Check if self.is_failure() => {
                if self.layers.has_problems() {
                    writeln!(
                        f,
                        "curated layers no longer fit the spec: fix the entries above in spec/overlays or spec/translations"
                    )?;
                }
                if !(self.written.is_empty() && self.removed.is_empty()) {
                    writeln!(f, "stale: the checked-in generated files differ from what {} gives:", self.spec_path)?;
                    for path in &self.written {
                        writeln!(f, "  out of date: {path}")?;
                    }
                    for path in &self.removed {
                        writeln!(f, "  not generated any more: {path}")?;
                    }
                    write!(f, "{}", self.changes)?;
                    self.say_where_the_changes_went(f)?;
                    for diff in &self.diffs {
                        writeln!(f, "{diff}")?;
                    }
                    writeln!(f, "run `cargo xtask codegen` and commit the result")?;
                }
            }
            Mode::Check => writeln!(f, "fresh: all {} generated files match {}", self.unchanged, self.spec_path)?,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checked-in generated code and docs are what the spec gives: `cargo test` catches a
    /// forgotten `cargo xtask codegen`.
    #[test]
    fn generated_files_are_fresh() {
        let report = run(&workspace_root(), Mode::Check).unwrap_or_else(|e| panic!("{e}"));
        assert!(!report.is_failure(), "{report}");
    }

    #[test]
    fn check_mode_reports_a_stale_file_without_writing() {
        let root = tempfile::tempdir().expect("temp dir");
        let real = workspace_root();
        let spec = find_spec(&real).expect("spec");
        for dir in ["spec", OVERLAY_DIR, TRANSLATION_DIR] {
            fs::create_dir_all(root.path().join(dir)).expect("mkdir");
        }
        fs::copy(&spec, root.path().join("spec").join(spec.file_name().expect("name"))).expect("copy");
        copy_sdk_manifest(&real, root.path());
        for dir in [OVERLAY_DIR, TRANSLATION_DIR] {
            for file in files_below(&real.join(dir)) {
                fs::copy(&file, root.path().join(dir).join(file.file_name().expect("name"))).expect("copy layer");
            }
        }
        // Nothing generated yet: everything is stale, and check mode must not write it.
        let report = run(root.path(), Mode::Check).expect("run");
        assert!(report.is_failure());
        assert!(!root.path().join("sdk/src/generated").exists());
        // Write, then check again: fresh.
        assert!(!run(root.path(), Mode::Write).expect("write").is_failure());
        assert!(!run(root.path(), Mode::Check).expect("check").is_failure());
        // A Windows checkout has CRLF line endings: still fresh (a generated file, the manifest
        // the upgrade report reads, and the Cargo manifest the features are spliced into).
        for file in ["sdk/src/generated/types/users.rs", genauth_codegen::manifest::PATH, "sdk/Cargo.toml"] {
            let path = root.path().join(file);
            let text = fs::read_to_string(&path).expect("read");
            assert!(!text.contains('\r'));
            fs::write(&path, text.replace('\n', "\r\n")).expect("crlf");
        }
        let crlf = run(root.path(), Mode::Check).expect("check");
        assert!(!crlf.is_failure(), "{crlf}");
        assert!(crlf.changes.is_unchanged(), "no API change from line endings: {}", crlf.changes);
        // Edits by hand (a generated file, a generated Cargo feature) and a leftover file are
        // all caught, and writing repairs them.
        let types = root.path().join("sdk/src/generated/types/users.rs");
        fs::write(&types, "// edited by hand\n").expect("edit");
        let cargo = root.path().join("sdk/Cargo.toml");
        let manifest = fs::read_to_string(&cargo).expect("manifest");
        fs::write(&cargo, manifest.replace("\nusers = []", "\nusers = [\"roles\"]")).expect("edit features");
        fs::write(root.path().join("docs/en/leftover.md"), "old page\n").expect("leftover");
        let stale = run(root.path(), Mode::Check).expect("check");
        assert!(stale.is_failure());
        let text = stale.to_string();
        assert!(text.contains("out of date: sdk/src/generated/types/users.rs"), "{text}");
        assert!(text.contains("out of date: sdk/Cargo.toml"), "{text}");
        assert!(text.contains("not generated any more: docs/en/leftover.md"), "{text}");
        run(root.path(), Mode::Write).expect("write");
        assert!(!root.path().join("docs/en/leftover.md").exists());
        assert!(!run(root.path(), Mode::Check).expect("check").is_failure());
    }

    /// The sdk's manifest, whose `[features]` table the generator fills in, into a scratch root.
    fn copy_sdk_manifest(real: &Path, root: &Path) {
        fs::create_dir_all(root.join("sdk")).expect("mkdir sdk");
        fs::copy(real.join("sdk/Cargo.toml"), root.join("sdk/Cargo.toml")).expect("copy sdk/Cargo.toml");
    }

    /// A layer that no longer fits the spec fails `--check` even when every file is fresh, and
    /// the report names it: an overlay action whose target selects nothing, a translation whose
    /// source text changed (old and new shown), one whose text is gone.
    #[test]
    fn check_mode_fails_on_orphaned_and_stale_layers() {
        let root = tempfile::tempdir().expect("temp dir");
        let real = workspace_root();
        for dir in ["spec", OVERLAY_DIR, TRANSLATION_DIR] {
            fs::create_dir_all(root.path().join(dir)).expect("mkdir");
        }
        let spec = find_spec(&real).expect("spec");
        fs::copy(&spec, root.path().join("spec").join(spec.file_name().expect("name"))).expect("copy");
        copy_sdk_manifest(&real, root.path());
        fs::write(
            root.path().join(OVERLAY_DIR).join("90-test.yaml"),
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n\
             - target: \"$.components.schemas['NoSuchDto']\"\n  description: fixed upstream\n  update: {description: x}\n",
        )
        .expect("overlay");
        fs::write(
            root.path().join(TRANSLATION_DIR).join("t.yaml"),
            "texts:\n  '#/paths/~1api~1v3~1kick-users/post/summary': {zh: 旧的摘要, en: Old summary}\n  \
             '#/paths/~1api~1v3~1gone/post/summary': {zh: 无, en: None}\n",
        )
        .expect("catalog");
        assert!(!run(root.path(), Mode::Write).expect("write").is_failure(), "writing never fails on layers");
        let report = run(root.path(), Mode::Check).expect("check");
        assert!(report.is_failure());
        let text = report.to_string();
        for expected in [
            "overlays: 0 actions applied to 0 nodes, 1 orphaned",
            "orphaned: spec/overlays/90-test.yaml action 0: `$.components.schemas['NoSuchDto']` selects nothing (fixed upstream)",
            "stale: #/paths/~1api~1v3~1kick-users/post/summary",
            "was: 旧的摘要",
            "now: 强制下线用户",
            "orphaned: #/paths/~1api~1v3~1gone/post/summary (in spec/translations/en/t.yaml)",
            "curated layers no longer fit the spec",
        ] {
            assert!(text.contains(expected), "no `{expected}` in:\n{text}");
        }
        assert!(!text.contains("out of date"), "the generated files are fresh:\n{text}");
    }

    #[test]
    fn more_than_one_spec_is_an_error() {
        let root = tempfile::tempdir().expect("temp dir");
        fs::create_dir_all(root.path().join("spec")).expect("mkdir");
        fs::write(root.path().join("spec/a.json"), "{}").expect("write");
        fs::write(root.path().join("spec/b.yaml"), "{}").expect("write");
        let err = find_spec(root.path()).unwrap_err();
        assert!(err.contains("more than one spec"), "{err}");
    }

    #[test]
    fn the_checked_in_manifest_reads_back() {
        let root = workspace_root();
        let text =
            std::fs::read_to_string(root.join(genauth_codegen::manifest::PATH)).expect("the manifest is checked in");
        let manifest = genauth_codegen::manifest::Manifest::parse(&text).expect("the checked-in manifest parses");
        let inputs = read_inputs(&root).expect("spec and layers");
        let options = Options { spec_path: inputs.spec_path.clone(), docs: false };
        let (generated, _) =
            genauth_codegen::generate_from_document(inputs.upstream, &inputs.layers, &options, &mut Default::default())
                .expect("generates");
        let names: Vec<&String> = manifest.operations.keys().collect();
        let expected: Vec<&String> = generated.api.operations.iter().map(|o| &o.name).collect();
        assert_eq!(names, expected);
        assert_eq!(manifest.types.len(), generated.api.types.len());
    }
}
