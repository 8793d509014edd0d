//! Regenerates (or checks) everything the generator owns, in the manner of rust-analyzer's
//! `ensure_file_contents`: compare first, write only what differs, and report.

use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use genauth_codegen::layers::{LayerReport, Layers};
use genauth_codegen::{GeneratedDocuments, GeneratedFile, Severity};

use crate::layers;
use crate::timings::Timings;
use genauth_codegen::manifest::Comparison;

/// Folders whose every file the generator owns: a file there that the spec no longer produces is
/// stale and is removed (or, with `--check`, reported).
pub const OWNED_DIRS: &[&str] = &["sdk/src/generated", "tests/src/generated", "docs/en", "docs/zh-CN"];

/// Spec file endings the generator reads (the upstream documents and the curated layers).
const SPEC_EXTENSIONS: &[&str] = &["json", "yaml", "yml"];

/// The document that comes first: its files keep the plain names (`api-manifest.txt`, the docs'
/// language folders), as they had before a second document was added.
const FIRST_DOCUMENT: &str = "management";

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

/// What one run found about one document.
#[derive(Debug)]
pub struct DocumentReport {
    spec_path: String,
    warnings: Vec<String>,
    operations: usize,
    types: usize,
    /// What applying its curated layers found.
    layers: LayerReport,
    /// Its API surface's changes since its checked-in manifest.
    changes: Comparison,
    /// Which of its operations got a paginator, and which look paged but did not.
    paginators: crate::paginators::PaginatorReport,
}

/// What one run did.
#[derive(Debug)]
pub struct Report {
    mode: Mode,
    /// One per document, the first document first.
    documents: Vec<DocumentReport>,
    written: Vec<String>,
    /// For `--check`: the start of each stale file's diff, so CI logs show what differs.
    diffs: Vec<String>,
    unchanged: usize,
    removed: Vec<String>,
    /// Where the full report of the API's changes and the changelog entry went.
    written_down: crate::changelog::Written,
    /// How long each stage took (printed with `--timings`).
    pub timings: Timings,
}

impl Report {
    /// True for `--check` when anything is stale, or a curated layer no longer fits upstream
    /// (an orphaned overlay action, a stale or orphaned translation).
    pub fn is_failure(&self) -> bool {
        self.mode == Mode::Check && !(self.written.is_empty() && self.removed.is_empty() && !self.layer_problems())
    }

    fn layer_problems(&self) -> bool {
        self.documents.iter().any(|d| d.layers.has_problems())
    }

    /// The API's changes, document by document.
    pub fn changes(&self) -> impl Iterator<Item = (&str, &Comparison)> {
        self.documents.iter().map(|d| (d.spec_path.as_str(), &d.changes))
    }
}

/// The upstream documents in `spec/` (`spec/<name>-openapi.json`, or `.yaml`), each with its
/// name (`management`): the management document first, then the others by name.
pub fn find_specs(root: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let dir = root.join("spec");
    let entries = fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut specs: Vec<(String, PathBuf)> = Vec::new();
    for path in entries.filter_map(|entry| entry.ok().map(|e| e.path())) {
        if !path.is_file()
            || !path.extension().and_then(|ext| ext.to_str()).is_some_and(|ext| SPEC_EXTENSIONS.contains(&ext))
        {
            continue;
        }
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let name = stem.strip_suffix("-openapi").unwrap_or(stem).to_owned();
        let legal = !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !legal {
            return Err(format!(
                "{}: a document's name (its file name before `-openapi`) must be lowercase ASCII letters, digits and `-`",
                relative(root, &path)
            ));
        }
        if name == "shared" {
            return Err(format!(
                "{}: `shared` names the layers every document shares (spec/shared), not a document",
                relative(root, &path)
            ));
        }
        if let Some((_, other)) = specs.iter().find(|(n, _)| *n == name) {
            return Err(format!(
                "{} and {} are both the `{name}` document; keep one",
                relative(root, other),
                relative(root, &path)
            ));
        }
        specs.push((name, path));
    }
    specs.sort_by(|(a, _), (b, _)| (a != FIRST_DOCUMENT).cmp(&(b != FIRST_DOCUMENT)).then_with(|| a.cmp(b)));
    if specs.is_empty() {
        return Err(format!("no spec in {} (expected <name>-openapi.json, .yaml or .yml files)", dir.display()));
    }
    Ok(specs)
}

/// One upstream document, its path relative to `root`, and the curated layers beside it.
pub struct Input {
    /// `management`.
    pub name: String,
    /// `spec/management-openapi.json`.
    pub spec_path: String,
    /// Its tree, as read.
    pub upstream: serde_json::Value,
    /// Its overlays and translation catalog.
    pub layers: Layers,
}

/// Reads every document in `root/spec` and its layers; the layers are parsed while the
/// documents are.
pub fn read_inputs(root: &Path) -> Result<Vec<Input>, String> {
    let specs = find_specs(root)?;
    let mut read = Vec::new();
    for (name, spec) in specs {
        let spec_path = relative(root, &spec);
        let bytes = fs::read(&spec).map_err(|e| format!("cannot read {spec_path}: {e}"))?;
        let overlays = layers::files_of(root, &name, layers::overlay_dir)?;
        let translations = layers::files_of(root, &name, layers::translation_dir)?;
        read.push((name, spec_path, bytes, overlays, translations));
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = read
            .iter()
            .map(|(name, spec_path, bytes, overlays, translations)| {
                let layers = scope.spawn(move || {
                    Layers::read(
                        overlays.iter().map(|(name, bytes)| (name.as_str(), bytes.as_slice())),
                        translations.iter().map(|(name, bytes)| (name.as_str(), bytes.as_slice())),
                    )
                });
                let upstream = scope.spawn(move || genauth_codegen::read::read_document(bytes, spec_path));
                (name, spec_path, layers, upstream)
            })
            .collect();
        handles
            .into_iter()
            .map(|(name, spec_path, layers, upstream)| {
                let layers = joined(layers).map_err(|diagnostics| {
                    format!("the curated layers of {spec_path} cannot be read:\n{diagnostics}")
                })?;
                let upstream =
                    joined(upstream).map_err(|diagnostics| format!("{spec_path} cannot be read:\n{diagnostics}"))?;
                Ok(Input { name: name.clone(), spec_path: spec_path.clone(), upstream, layers })
            })
            .collect()
    })
}

/// The translator's work list: missing and stale English, as catalog entries to fill in, under
/// a heading per document naming its catalog.
pub fn translation_work_list(root: &Path) -> Result<String, String> {
    let mut out = String::new();
    for input in read_inputs(root)? {
        let dir = layers::translation_dir(&input.name);
        let (_, report) = effective(input)?;
        out.push_str(&format!("# for {dir}\n{}", report.translations.work_list()));
    }
    Ok(out)
}

/// A document's effective tree (upstream with every layer applied) and what applying found.
fn effective(input: Input) -> Result<(serde_json::Value, LayerReport), String> {
    let Input { spec_path, upstream, layers, .. } = input;
    genauth_codegen::layers::apply(upstream, &layers)
        .map_err(|diagnostics| format!("{spec_path} cannot be read:\n{diagnostics}"))
}

/// Writes the effective document `name` (upstream with every layer applied) to `out`, as JSON.
pub fn write_effective_spec(root: &Path, name: &str, out: &Path) -> Result<LayerReport, String> {
    let inputs = read_inputs(root)?;
    let names: Vec<String> = inputs.iter().map(|i| i.name.clone()).collect();
    let input = inputs
        .into_iter()
        .find(|i| i.name == name)
        .ok_or_else(|| format!("no document `{name}` in spec/ (there are: {})", names.join(", ")))?;
    let (doc, report) = effective(input)?;
    let mut text = serde_json::to_string_pretty(&doc).map_err(|e| format!("cannot serialise: {e}"))?;
    text.push('\n');
    fs::write(out, text).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    Ok(report)
}

/// Generates from the documents in `root/spec` and writes (or compares) the owned files.
pub fn run(root: &Path, mode: Mode) -> Result<Report, String> {
    let start = Instant::now();
    let mut timings = Timings::default();
    let inputs = read_inputs(root)?;
    timings.read = start.elapsed();
    let names: Vec<String> = inputs.iter().map(|i| i.spec_path.clone()).collect();
    // The trees move into the generator (the management one is 2 MB: no copy); the layers stay
    // here, borrowed.
    let (heads, trees): (Vec<(String, String, Layers)>, Vec<serde_json::Value>) = inputs
        .into_iter()
        .map(|Input { name, spec_path, upstream, layers }| ((name, spec_path, layers), upstream))
        .unzip();
    let documents: Vec<genauth_codegen::Document<'_>> = heads
        .iter()
        .zip(trees)
        .map(|((name, spec_path, layers), upstream)| genauth_codegen::Document {
            name: name.clone(),
            spec_path: spec_path.clone(),
            upstream,
            layers,
        })
        .collect();
    let GeneratedDocuments { api, mut documents, mut files } =
        genauth_codegen::generate_documents(documents, true, &mut timings.generate)
            .map_err(|diagnostics| format!("{} cannot be generated from:\n{diagnostics}", names.join(" and ")))?;
    layers::fold_shared_orphans(&mut documents.iter_mut().map(|d| &mut d.layers).collect::<Vec<_>>());
    let writing = Instant::now();
    files.push(cargo_features(root, &api)?);

    // What changed in each document's API surface is worked out beside the comparison of the
    // files.
    let (changes, compared) = std::thread::scope(|scope| {
        let changes = scope.spawn(|| {
            documents
                .iter()
                .enumerate()
                .map(|(i, document)| {
                    let path = genauth_codegen::document_file(genauth_codegen::manifest::PATH, &document.name, i == 0);
                    let old = read_text(&root.join(&path)).ok();
                    let new = files.iter().find(|f| f.path == path).map_or("", |f| f.contents.as_str());
                    genauth_codegen::manifest::compare(old.as_deref(), new)
                })
                .collect::<Vec<_>>()
        });
        let compared = compare_files(root, &files, mode);
        (joined(changes), compared)
    });
    let Compared { written, diffs, unchanged, removed } = compared?;
    let documents: Vec<DocumentReport> = documents
        .into_iter()
        .zip(changes)
        .map(|(document, changes)| DocumentReport {
            warnings: document
                .api
                .warnings
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .map(ToString::to_string)
                .collect(),
            operations: document.api.operations.len(),
            types: document.api.types.len(),
            paginators: crate::paginators::PaginatorReport::of(&document.api),
            layers: document.layers,
            changes,
            spec_path: document.spec_path,
        })
        .collect();
    let changed: Vec<(&str, &Comparison)> = documents.iter().map(|d| (d.spec_path.as_str(), &d.changes)).collect();
    let written_down = crate::changelog::write_down(root, &changed, mode == Mode::Write)?;
    timings.write = writing.elapsed();
    timings.total = start.elapsed();
    Ok(Report { mode, documents, written, diffs, unchanged, removed, written_down, timings })
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

/// `path` relative to `root`, `/`-separated.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Every file below `dir`, sorted; none when it does not exist.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
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

impl fmt::Display for DocumentReport {
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
        write!(f, "{}", self.layers)
    }
}

impl Report {
    /// Each document's changes, under its path when there are several documents.
    fn write_changes(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (spec_path, changes) in self.changes() {
            if self.documents.len() > 1 {
                writeln!(f, "changes in {spec_path}:")?;
            }
            write!(f, "{changes}")?;
        }
        self.say_where_the_changes_went(f)
    }

    fn spec_paths(&self) -> String {
        self.documents.iter().map(|d| d.spec_path.as_str()).collect::<Vec<_>>().join(" and ")
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for document in &self.documents {
            write!(f, "{document}")?;
        }
        match self.mode {
            Mode::Write => {
                for document in &self.documents {
                    write!(f, "{}", document.paginators)?;
                }
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
                self.write_changes(f)?;
            }
            Mode::Check if self.is_failure() => {
                if self.layer_problems() {
                    writeln!(
                        f,
                        "curated layers no longer fit the spec: fix the entries above in spec/<document>/overlays or \
                         spec/<document>/translations"
                    )?;
                }
                if !(self.written.is_empty() && self.removed.is_empty()) {
                    writeln!(f, "stale: the checked-in generated files differ from what {} gives:", self.spec_paths())?;
                    for path in &self.written {
                        writeln!(f, "  out of date: {path}")?;
                    }
                    for path in &self.removed {
                        writeln!(f, "  not generated any more: {path}")?;
                    }
                    self.write_changes(f)?;
                    for diff in &self.diffs {
                        writeln!(f, "{diff}")?;
                    }
                    writeln!(f, "run `cargo xtask codegen` and commit the result")?;
                }
            }
            Mode::Check => writeln!(f, "fresh: all {} generated files match {}", self.unchanged, self.spec_paths())?,
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

    /// The real `spec/` tree (documents and every layer folder) and the sdk's manifest, into a
    /// scratch root.
    fn scratch_root() -> tempfile::TempDir {
        let root = tempfile::tempdir().expect("temp dir");
        let real = workspace_root();
        for file in files_below(&real.join("spec")) {
            let to = root.path().join(relative(&real, &file));
            fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
            fs::copy(&file, &to).expect("copy spec file");
        }
        fs::create_dir_all(root.path().join("sdk")).expect("mkdir sdk");
        fs::copy(real.join("sdk/Cargo.toml"), root.path().join("sdk/Cargo.toml")).expect("copy sdk/Cargo.toml");
        root
    }

    #[test]
    fn check_mode_reports_a_stale_file_without_writing() {
        let root = scratch_root();
        // Nothing generated yet: everything is stale, and check mode must not write it.
        let report = run(root.path(), Mode::Check).expect("run");
        assert!(report.is_failure());
        assert!(!root.path().join("sdk/src/generated").exists());
        // Write, then check again: fresh.
        assert!(!run(root.path(), Mode::Write).expect("write").is_failure());
        assert!(!run(root.path(), Mode::Check).expect("check").is_failure());
        // A Windows checkout has CRLF line endings: still fresh (a generated file, the manifests
        // the upgrade report reads, and the Cargo manifest the features are spliced into).
        for file in [
            "sdk/src/generated/types/users.rs",
            genauth_codegen::manifest::PATH,
            "sdk/src/generated/api-manifest-authentication.txt",
            "sdk/Cargo.toml",
        ] {
            let path = root.path().join(file);
            let text = fs::read_to_string(&path).expect("read");
            assert!(!text.contains('\r'));
            fs::write(&path, text.replace('\n', "\r\n")).expect("crlf");
        }
        let crlf = run(root.path(), Mode::Check).expect("check");
        assert!(!crlf.is_failure(), "{crlf}");
        assert_eq!(crlf.changes().count(), 2, "one comparison per document");
        for (spec, changes) in crlf.changes() {
            assert!(changes.is_unchanged(), "no API change in {spec} from line endings: {changes}");
        }
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

    /// A layer that no longer fits the spec fails `--check` even when every file is fresh, and
    /// the report names it: an overlay action whose target selects nothing, a translation whose
    /// source text changed (old and new shown), one whose text is gone. A shared action that
    /// fits one document is not an orphan; one that fits none is, reported once.
    #[test]
    fn check_mode_fails_on_orphaned_and_stale_layers() {
        let root = scratch_root();
        let overlay = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n\
             - target: \"$.components.schemas['NoSuchDto']\"\n  description: fixed upstream\n  update: {description: x}\n";
        fs::write(root.path().join(layers::overlay_dir("management")).join("90-test.yaml"), overlay).expect("overlay");
        let shared = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n\
             - target: \"$.paths['/api/v3/signin']\"\n  update: {x-test: 1}\n\
             - target: \"$.components.schemas['NoSuchSharedDto']\"\n  update: {x-test: 1}\n";
        fs::write(root.path().join(layers::overlay_dir("shared")).join("90-test.yaml"), shared).expect("shared");
        // The showcase's summary entry, as if written from an older source; and an entry whose
        // text is gone.
        let seed = root.path().join(layers::translation_dir("management")).join("seed-operations.yaml");
        let catalog = fs::read_to_string(&seed).expect("seed catalog");
        let old = "kick-users/post/summary':\n    zh: 强制下线用户\n";
        assert!(catalog.contains(old), "the seed catalog has the showcase's summary");
        fs::write(&seed, catalog.replace(old, "kick-users/post/summary':\n    zh: 旧的摘要\n")).expect("stale");
        fs::write(
            root.path().join(layers::translation_dir("management")).join("t.yaml"),
            "texts:\n  '#/paths/~1api~1v3~1gone/post/summary': {zh: 无, en: None}\n",
        )
        .expect("catalog");
        assert!(!run(root.path(), Mode::Write).expect("write").is_failure(), "writing never fails on layers");
        let report = run(root.path(), Mode::Check).expect("check");
        assert!(report.is_failure());
        let text = report.to_string();
        for expected in [
            "orphaned: spec/management/overlays/90-test.yaml action 0: `$.components.schemas['NoSuchDto']` selects nothing (fixed upstream)",
            "orphaned: spec/shared/overlays/90-test.yaml action 1",
            "stale: #/paths/~1api~1v3~1kick-users/post/summary",
            "was: 旧的摘要",
            "now: 强制下线用户",
            "orphaned: #/paths/~1api~1v3~1gone/post/summary (in spec/management/translations/en/t.yaml)",
            "curated layers no longer fit the spec",
        ] {
            assert!(text.contains(expected), "no `{expected}` in:\n{text}");
        }
        assert!(
            !text.contains("spec/shared/overlays/90-test.yaml action 0"),
            "it fits the authentication document:\n{text}"
        );
        assert_eq!(text.matches("spec/shared/overlays/90-test.yaml action 1").count(), 1, "{text}");
        assert!(!text.contains("out of date"), "the generated files are fresh:\n{text}");
    }

    #[test]
    fn documents_are_named_by_their_files() {
        let root = tempfile::tempdir().expect("temp dir");
        fs::create_dir_all(root.path().join("spec")).expect("mkdir");
        fs::write(root.path().join("spec/zeta-openapi.json"), "{}").expect("write");
        fs::write(root.path().join("spec/management-openapi.json"), "{}").expect("write");
        fs::write(root.path().join("spec/SHA256SUMS"), "").expect("write");
        let names: Vec<String> = find_specs(root.path()).expect("specs").into_iter().map(|(name, _)| name).collect();
        assert_eq!(names, ["management", "zeta"], "the management document first");
        fs::write(root.path().join("spec/zeta.yaml"), "{}").expect("write");
        let err = find_specs(root.path()).unwrap_err();
        assert!(err.contains("are both the `zeta` document"), "{err}");
        fs::remove_file(root.path().join("spec/zeta.yaml")).expect("rm");
        fs::write(root.path().join("spec/Bad Name.json"), "{}").expect("write");
        assert!(find_specs(root.path()).unwrap_err().contains("lowercase ASCII"));
        fs::remove_file(root.path().join("spec/Bad Name.json")).expect("rm");
        fs::write(root.path().join("spec/shared-openapi.json"), "{}").expect("write");
        assert!(find_specs(root.path()).unwrap_err().contains("not a document"));
    }

    #[test]
    fn the_checked_in_manifests_read_back() {
        let root = workspace_root();
        let inputs = read_inputs(&root).expect("spec and layers");
        let documents = inputs
            .iter()
            .map(|i| genauth_codegen::Document {
                name: i.name.clone(),
                spec_path: i.spec_path.clone(),
                upstream: i.upstream.clone(),
                layers: &i.layers,
            })
            .collect();
        let generated =
            genauth_codegen::generate_documents(documents, false, &mut Default::default()).expect("generates");
        assert_eq!(generated.documents.len(), 2);
        for (i, document) in generated.documents.iter().enumerate() {
            let path = genauth_codegen::document_file(genauth_codegen::manifest::PATH, &document.name, i == 0);
            let text = std::fs::read_to_string(root.join(&path)).expect("the manifest is checked in");
            let manifest = genauth_codegen::manifest::Manifest::parse(&text).expect("the checked-in manifest parses");
            let names: Vec<&String> = manifest.operations.keys().collect();
            let expected: Vec<&String> = document.api.operations.iter().map(|o| &o.name).collect();
            assert_eq!(names, expected, "{path}");
            assert_eq!(manifest.types.len(), document.api.types.len(), "{path}");
        }
    }
}
