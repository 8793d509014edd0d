//! The real spec as `cargo xtask codegen` reads it: the pristine upstream document in `spec/` and
//! the curated layers beside it (`spec/shared/` and `spec/management/`: overlays and English
//! catalog), for the tests that run the whole pipeline on the Management API's document.
#![allow(dead_code)] // Each test crate uses its own part of this module.

use std::path::{Path, PathBuf};

use genauth_codegen::layers::{LayerReport, Layers};
use genauth_codegen::{Generated, Options};

/// The upstream document's path, relative to the workspace root.
pub const SPEC_PATH: &str = "spec/management-openapi.json";

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The files of one layer folder, sorted by name: `(name, bytes)`.
fn layer_files(dir: &str) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|entry| entry.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .map(|p| {
            (format!("{dir}/{}", p.file_name().expect("name").to_string_lossy()), std::fs::read(&p).expect("read"))
        })
        .collect();
    files.sort();
    files
}

/// The upstream document's bytes.
pub fn spec_bytes() -> Vec<u8> {
    std::fs::read(root().join(SPEC_PATH)).unwrap_or_else(|e| panic!("{SPEC_PATH}: {e}"))
}

/// The curated layers of the Management API's document.
pub fn layers() -> Layers {
    layers_of("management")
}

/// The curated layers of the document `name` (`management`, `authentication`), as the xtask
/// reads them: the layers both documents share first, then the document's own.
pub fn layers_of(name: &str) -> Layers {
    let mut overlays = layer_files("spec/shared/overlays");
    overlays.extend(layer_files(&format!("spec/{name}/overlays")));
    let mut translations = layer_files("spec/shared/translations/en");
    translations.extend(layer_files(&format!("spec/{name}/translations/en")));
    Layers::read(
        overlays.iter().map(|(n, b)| (n.as_str(), b.as_slice())),
        translations.iter().map(|(n, b)| (n.as_str(), b.as_slice())),
    )
    .unwrap_or_else(|e| panic!("the layers do not read: {e}"))
}

/// The options the xtask uses.
pub fn options(docs: bool) -> Options {
    Options { spec_path: SPEC_PATH.into(), docs }
}

/// The whole pipeline on the real spec and layers.
pub fn generate(docs: bool) -> (Generated, LayerReport) {
    genauth_codegen::generate_layered(&spec_bytes(), &layers(), &options(docs))
        .unwrap_or_else(|e| panic!("the real spec does not generate: {e}"))
}

/// The effective document (upstream with the layers applied).
pub fn effective() -> serde_json::Value {
    genauth_codegen::effective_spec(&spec_bytes(), &layers(), &options(false))
        .unwrap_or_else(|e| panic!("the layers do not apply: {e}"))
        .0
}

/// The effective document `name` (`authentication`): its upstream file with its layers applied.
pub fn effective_of(name: &str) -> serde_json::Value {
    let path = format!("spec/{name}-openapi.json");
    let bytes = std::fs::read(root().join(&path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    let options = Options { spec_path: path, docs: false };
    genauth_codegen::effective_spec(&bytes, &layers_of(name), &options)
        .unwrap_or_else(|e| panic!("the layers do not apply: {e}"))
        .0
}

/// How many operations of an (effective) document get a method: those not marked
/// `x-authing-hidden-from-sdk`. Counted from the document itself, not from the generated code.
pub fn visible_operations(doc: &serde_json::Value) -> usize {
    const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    let paths = doc["paths"].as_object().expect("paths");
    paths
        .values()
        .flat_map(|item| METHODS.iter().filter_map(move |m| item.get(*m)))
        .filter(|op| op.get("x-authing-hidden-from-sdk").and_then(serde_json::Value::as_bool) != Some(true))
        .count()
}

/// The paths of the three seed operations, the showcase every test can afford to run often.
pub const SEED_PATHS: [&str; 3] = ["/api/v3/kick-users", "/api/v3/resign-user", "/api/v3/delete-users-batch"];

/// The effective document cut down to `paths` and the component schemas they reach: a real,
/// small spec for tests that run the pipeline many times.
pub fn subset(paths: &[&str]) -> serde_json::Value {
    use serde_json::Value;
    let full = effective();
    let mut doc = full.clone();
    let kept: serde_json::Map<String, Value> =
        paths.iter().map(|p| (p.to_string(), full["paths"][*p].clone())).collect();
    doc["paths"] = Value::Object(kept);
    // Follow `$ref`s from the kept paths until no new schema turns up.
    let mut wanted = std::collections::BTreeSet::new();
    let mut queue = vec![doc["paths"].clone()];
    while let Some(node) = queue.pop() {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref")
                    && let Some(name) = r.strip_prefix("#/components/schemas/")
                    && wanted.insert(name.to_owned())
                {
                    queue.push(full["components"]["schemas"][name].clone());
                }
                queue.extend(map.into_iter().map(|(_, v)| v));
            }
            Value::Array(items) => queue.extend(items),
            _ => {}
        }
    }
    let schemas: serde_json::Map<String, Value> =
        wanted.iter().map(|n| (n.clone(), full["components"]["schemas"][n].clone())).collect();
    doc["components"]["schemas"] = Value::Object(schemas);
    doc
}
