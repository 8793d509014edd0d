//! The genauth code generator: OpenAPI documents in, Rust SDK code and Markdown API docs out.
//!
//! Each document goes through the same stages, one module each, and nothing skips a stage:
//!
//! 1. [`read`]: bytes (JSON or YAML) -> a JSON tree (OpenAPI 3.0.x only).
//! 2. [`layers`]: the curated layers (overlays, English translations) applied to the pristine
//!    upstream tree -> the effective tree.
//! 3. [`validate`]: the effective tree checked (shape, repairable scalars) -> [`validate::Spec`].
//! 4. [`model::from_spec`]: spec -> [`model::Api`], validated: references resolved, names made
//!    legal and unique, every problem reported with its JSON pointer; then [`model::merge`] makes
//!    one model of every document's.
//! 5. [`emit`]: model -> files ([`emit::rust`] for the sdk crate, [`emit::docs`] for the Markdown
//!    pages, [`emit::conformance`] for the conformance calls) and [`manifest`] (the API surface,
//!    which the upgrade report diffs).
//!
//! This file runs them ([`generate_documents`], and [`generate`] / [`generate_layered`] for one
//! document). It is pure (no I/O), so the xtask, the tests and the benchmarks all call the same
//! thing, and the same input always gives byte-identical output.

pub mod diagnostics;
pub mod emit;
pub mod layers;
pub mod manifest;
pub mod model;
pub mod read;
mod threads;
pub mod validate;

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
    let upstream = read::read_document(spec, &options.spec_path)?;
    layers::apply(upstream, layers)
}

/// Runs the whole pipeline on a spec's bytes with the curated layers applied first.
pub fn generate_layered(
    spec: &[u8],
    layers: &layers::Layers,
    options: &Options,
) -> Result<(Generated, layers::LayerReport), Diagnostics> {
    let upstream = read::read_document(spec, &options.spec_path)?;
    generate_from_document(upstream, layers, options, &mut Stages::default())
}

/// How long each stage of a run took (wall time), for `cargo xtask codegen --timings` and the
/// benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stages {
    /// Applying the curated layers to the spec's tree.
    pub layers: Duration,
    /// Checking the effective document ([`validate::validate`]).
    pub validate: Duration,
    /// Building the model.
    pub model: Duration,
    /// The emitters (Rust, docs, manifest and conformance calls, side by side).
    pub emit: Duration,
}

/// [`generate_layered`] from the spec's tree as [`read::read_document`] gives it (a caller
/// that reads the layers meanwhile parses the spec itself), recording in `stages` how long each
/// stage took.
pub fn generate_from_document(
    upstream: serde_json::Value,
    layers: &layers::Layers,
    options: &Options,
    stages: &mut Stages,
) -> Result<(Generated, layers::LayerReport), Diagnostics> {
    let document = Document { name: String::new(), spec_path: options.spec_path.clone(), upstream, layers };
    let all = generate_documents(vec![document], options.docs, stages)?;
    let report = all.documents.into_iter().next().map(|d| d.layers).unwrap_or_default();
    Ok((Generated { api: all.api, files: all.files }, report))
}

/// One upstream document and its curated layers, as [`generate_documents`] takes them.
pub struct Document<'a> {
    /// What the document is called in file names (`authentication`); the first document's
    /// files keep the plain names (`api-manifest.txt`, the language folders of the docs).
    pub name: String,
    /// Its path (`spec/authentication-openapi.json`), named in headers and diagnostics.
    pub spec_path: String,
    /// Its tree, as [`read::read_document`] gives it.
    pub upstream: serde_json::Value,
    /// Its layers.
    pub layers: &'a layers::Layers,
}

/// What one document gave, beside the files.
#[derive(Debug, Clone)]
pub struct DocumentModel {
    /// [`Document::name`].
    pub name: String,
    /// [`Document::spec_path`].
    pub spec_path: String,
    /// Its own model (before the merge): its operations, the types they reach, its warnings.
    pub api: model::Api,
    /// What applying its layers found.
    pub layers: layers::LayerReport,
}

/// Everything a run over several documents produces.
#[derive(Debug, Clone)]
pub struct GeneratedDocuments {
    /// The merged model the Rust code is written from ([`model::merge`]).
    pub api: model::Api,
    /// Each document's own model, in the order given.
    pub documents: Vec<DocumentModel>,
    /// All files, sorted by path.
    pub files: Vec<GeneratedFile>,
}

/// A document's file: `base` for the first document, `base` with `-{name}` (or `_{name}`, for
/// a Rust file) before the extension for the others.
pub fn document_file(base: &str, name: &str, first: bool) -> String {
    if first || name.is_empty() {
        return base.to_owned();
    }
    let (stem, ext) = base.rsplit_once('.').unwrap_or((base, ""));
    let joiner = if ext == "rs" { '_' } else { '-' };
    format!("{stem}{joiner}{name}.{ext}")
}

/// Runs the pipeline over several documents into one crate: each document is layered, parsed
/// and modelled on its own, the models are merged ([`model::merge`]) and the Rust code is
/// written from the merge; the docs, the manifest and the conformance calls stay per document
/// (the first document's at the plain paths). Stage times add up over the documents.
pub fn generate_documents(
    documents: Vec<Document<'_>>,
    docs: bool,
    stages: &mut Stages,
) -> Result<GeneratedDocuments, Diagnostics> {
    let several = documents.len() > 1;
    // With several documents, a diagnostic's pointer starts with the document's path.
    let named = |diagnostics: Diagnostics, spec_path: &str| {
        if several { diagnostics.in_document(spec_path) } else { diagnostics }
    };
    let mut models = Vec::new();
    for Document { name, spec_path, upstream, layers } in documents {
        let mut clock = Instant::now();
        let mut lap = |stage: &mut Duration| {
            let now = Instant::now();
            *stage += now - clock;
            clock = now;
        };
        let (effective, report) = layers::apply(upstream, layers).map_err(|d| named(d, &spec_path))?;
        lap(&mut stages.layers);
        let parsed = validate::validate(effective, &spec_path).map_err(|d| named(d, &spec_path))?;
        lap(&mut stages.validate);
        let api = model::from_spec::build(&parsed).map_err(|d| named(d, &spec_path))?;
        std::thread::spawn(move || drop(parsed));
        lap(&mut stages.model);
        models.push(DocumentModel { name, spec_path, api, layers: report });
    }
    let clock = Instant::now();
    let parts: Vec<model::merge::Part<'_>> =
        models.iter().map(|m| model::merge::Part { spec_path: &m.spec_path, api: &m.api }).collect();
    let api = if let [one] = models.as_slice() { one.api.clone() } else { model::merge::merge(&parts)? };
    stages.model += clock.elapsed();

    let clock = Instant::now();
    // Everything after the model only reads it, so the emitters run side by side: the Rust files
    // (themselves formatted on every core), the docs, and the manifests with the conformance
    // calls. None of this changes the output, only the wall time. Each operation's sample is laid
    // out once and shared by its rustdoc and docs pages.
    let samples = emit::sample::Samples::new(&api);
    let spec_paths: Vec<&str> = models.iter().map(|m| m.spec_path.as_str()).collect();
    let rust_options = Options { spec_path: spec_paths.join(" and "), docs };
    let doc_options: Vec<Options> = models.iter().map(|m| Options { spec_path: m.spec_path.clone(), docs }).collect();
    let mut files = std::thread::scope(|scope| {
        let docs = docs.then(|| {
            scope.spawn(|| {
                let parts: Vec<emit::docs::Part<'_>> = models
                    .iter()
                    .zip(&doc_options)
                    .enumerate()
                    .map(|(i, (m, options))| emit::docs::Part {
                        api: &m.api,
                        options,
                        dir: if i == 0 { "" } else { m.name.as_str() },
                    })
                    .collect();
                emit::docs::emit_documents(&parts, &samples)
            })
        });
        let others = scope.spawn(|| {
            let mut files = Vec::new();
            for (i, m) in models.iter().enumerate() {
                let header = emit::header_text(&m.spec_path);
                files.push(GeneratedFile {
                    path: document_file(manifest::PATH, &m.name, i == 0),
                    contents: manifest::emit(&m.api, &header),
                });
                let mut calls = emit::conformance::emit(&m.api, &header);
                calls.path = document_file(&calls.path, &m.name, i == 0);
                files.push(calls);
            }
            files
        });
        let mut files = emit::rust::emit_with(&api, &rust_options, &samples);
        files.extend(threads::joined(others));
        files.extend(docs.map(threads::joined).unwrap_or_default());
        files
    });
    files.sort();
    stages.emit += clock.elapsed();
    Ok(GeneratedDocuments { api, documents: models, files })
}
