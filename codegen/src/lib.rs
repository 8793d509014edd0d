//! The genauth code generator: OpenAPI spec in, Rust SDK code and Markdown API docs out.
//!
//! The pipeline has three stages, one module each, and nothing skips a stage:
//!
//! 1. [`parse`]: bytes (JSON or YAML) -> [`parse::Spec`] (the typed `openapiv3` document plus the
//!    raw JSON tree, kept for the spec-invalid-but-meaningful keys the typed parser drops).
//! 2. [`model::from_spec`]: spec -> [`model::Api`], validated: references resolved, names made legal
//!    and unique, every problem reported with its JSON pointer.
//! 3. [`emit`]: model -> files ([`emit::rust`] for the sdk crate, [`emit::docs`] for the Markdown
//!    pages, [`manifest`] for the API surface the xtask diffs to report what a new spec
//!    changes).
//!
//! Between 1 and 2, [`layers`] applies the curated layers (overlays, translations) to the
//! pristine upstream document; [`generate_layered`] does all of it.
//!
//! [`generate`] runs all three. It is pure (no I/O), so the xtask, the tests and the benchmarks
//! all call the same thing, and the same input always gives byte-identical output.

pub mod diagnostics;
pub mod emit;
pub mod layers;
pub mod manifest;
pub mod model;
pub mod parse;
pub mod synthetic;

pub use diagnostics::{Diagnostic, Diagnostics, Severity};

use std::time::{Duration, Instant};

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct GeneratedFile {
    /// Path relative to the workspace root, `/`-separated (`sdk/src/generated/types.rs`).
    pub path: String,
    /// Full contents.
    pub contents: String,
}

/// Everything one run produces.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    /// The validated model (for reports: operation and type counts, names).
    pub api: model::Api,
    /// All files, sorted by path.
    pub files: Vec<GeneratedFile>,
}

/// Options that are not in the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The spec's path as shown in the "generated from ..., do not edit" header
    /// (`spec/management-openapi.json`).
    pub spec_path: String,
    /// Write the Markdown docs too (the xtask does; benchmarks of the Rust side may not).
    pub docs: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { spec_path: "spec/management-openapi.json".into(), docs: true }
    }
}

/// Runs the whole pipeline on a spec's bytes, with no curated layers. `Err` holds every error
/// found (with the warnings found before them); warnings of a successful run are in
/// `api.warnings`.
pub fn generate(spec: &[u8], options: &Options) -> Result<Generated, Diagnostics> {
    generate_layered(spec, &layers::Layers::default(), options).map(|(generated, _)| generated)
}

/// The effective document: the spec's tree with every curated layer applied, and what applying
/// found. This is what the model is built from.
pub fn effective_spec(
    spec: &[u8],
    layers: &layers::Layers,
    options: &Options,
) -> Result<(serde_json::Value, layers::LayerReport), Diagnostics> {
    let upstream = parse::read_document(spec, &options.spec_path)?;
    layers::apply(upstream, layers)
}

/// The result of a scoped thread, its panic passed on.
pub(crate) fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Runs the whole pipeline on a spec's bytes with the curated layers applied first.
pub fn generate_layered(
    spec: &[u8],
    layers: &layers::Layers,
    options: &Options,
) -> Result<(Generated, layers::LayerReport), Diagnostics> {
    let upstream = parse::read_document(spec, &options.spec_path)?;
    generate_from_document(upstream, layers, options, &mut Stages::default())
}

/// How long each stage of a run took (wall time), for `cargo xtask codegen --timings` and the
/// benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stages {
    /// Applying the curated layers to the spec's tree.
    pub layers: Duration,
    /// Repairs and the typed parse ([`parse::from_tree`]).
    pub parse: Duration,
    /// Building the model.
    pub model: Duration,
    /// The emitters (Rust, docs, manifest and conformance calls, side by side).
    pub emit: Duration,
}

/// [`generate_layered`] from the spec's tree as [`parse::read_document`] gives it (a caller
/// that reads the layers meanwhile parses the spec itself), recording in `stages` how long each
/// stage took.
pub fn generate_from_document(
    upstream: serde_json::Value,
    layers: &layers::Layers,
    options: &Options,
    stages: &mut Stages,
) -> Result<(Generated, layers::LayerReport), Diagnostics> {
    let mut clock = Instant::now();
    let mut lap = |stage: &mut Duration| {
        let now = Instant::now();
        *stage = now - clock;
        clock = now;
    };
    let (effective, report) = layers::apply(upstream, layers)?;
    lap(&mut stages.layers);
    let parsed = parse::from_tree(effective, &options.spec_path)?;
    lap(&mut stages.parse);
    let api = model::from_spec::build(&parsed)?;
    lap(&mut stages.model);
    // Everything after the model only reads it, so the emitters run side by side: the Rust files
    // (themselves formatted on every core), the docs, and the manifest with the conformance calls.
    // The parsed document is freed meanwhile too. None of this changes the output, only the wall
    // time. Each operation's sample is laid out once and shared by its rustdoc and docs pages.
    let samples = emit::sample::Samples::new(&api);
    let header = emit::header_text(&options.spec_path);
    let mut files = std::thread::scope(|scope| {
        scope.spawn(move || drop(parsed));
        let docs = options.docs.then(|| scope.spawn(|| emit::docs::emit_with(&api, options, &samples)));
        let others = scope.spawn(|| {
            let manifest = GeneratedFile { path: manifest::PATH.to_owned(), contents: manifest::emit(&api, &header) };
            [manifest, emit::conformance::emit(&api, &header)]
        });
        let mut files = emit::rust::emit_with(&api, options, &samples);
        files.extend(joined(others));
        files.extend(docs.map(joined).unwrap_or_default());
        files
    });
    files.sort();
    lap(&mut stages.emit);
    Ok((Generated { api, files }, report))
}
