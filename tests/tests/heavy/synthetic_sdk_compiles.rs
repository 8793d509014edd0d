//! The generator's output compiles cleanly at upstream scale and with upstream's quirks.
//!
//! A synthetic spec of 500 operations (more than upstream's 425, with every quirk the
//! `genauth_synthetic` module lists) is generated into a standalone copy of the sdk
//! crate, which must pass `cargo clippy --all-targets -- -D warnings`, exactly as the real sdk
//! must. The copy builds in `<workspace>/target/synthetic-sdk` (or
//! `$GENAUTH_SYNTHETIC_SDK_TARGET_DIR`), so the dependencies compile once and later runs only
//! recompile the generated crate.

use genauth_codegen::{Options, generate};
use genauth_synthetic::synthetic_spec_bytes;
use genauth_tests::sdk_copy::{self, clippy, copy_target_dir, workspace_root, write_sdk_copy};

/// Lints the copy in `dir`, failing the test with clippy's output if it does not pass.
fn assert_clippy_clean(dir: &std::path::Path, what: &str) {
    let outcome = clippy(dir, &copy_target_dir()).expect("run cargo clippy");
    assert!(
        outcome.success,
        "{what}: `cargo clippy --all-targets -- -D warnings` failed (offline: {}):\n{}",
        outcome.offline, outcome.output
    );
}

#[test]
fn synthetic_500_operation_sdk_passes_clippy() {
    let spec = synthetic_spec_bytes(500);
    let options = Options { spec_path: "synthetic-500.json".into(), docs: false };
    let generated =
        generate(&spec, &options).unwrap_or_else(|errors| panic!("generate() rejected the synthetic spec:\n{errors}"));
    assert_eq!(generated.api.operations.len(), 500, "hidden operations excluded, none lost");
    assert!(
        generated.files.iter().any(|f| f.path.starts_with("sdk/src/generated/")),
        "the generator wrote no sdk files"
    );

    let dir = tempfile::tempdir().expect("temp dir");
    write_sdk_copy(&workspace_root(), dir.path(), Some((&generated.files, &generated.api))).expect("write sdk copy");
    assert_clippy_clean(dir.path(), "sdk generated from synthetic_spec(500)");
}

/// The copying itself, on the workspace's own generated code: if this fails, the standalone
/// manifest or the copy is wrong, not the generator. Ignored by default because the workspace's
/// own clippy run already covers that code; run it after changing `sdk_copy` or the manifests.
#[test]
#[ignore = "checks sdk_copy itself; the workspace clippy run covers the same code"]
fn copy_of_the_workspace_sdk_passes_clippy() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_sdk_copy(&workspace_root(), dir.path(), None).expect("write sdk copy");
    let manifest = std::fs::read_to_string(dir.path().join("Cargo.toml")).unwrap();
    assert_eq!(manifest, sdk_copy::standalone_manifest(&workspace_root(), None).unwrap());
    assert_clippy_clean(dir.path(), "copy of the workspace sdk");
}

/// A one-operation spec whose body has one field per constraint kind in `kinds` (none at all for
/// an empty list): the runtime's checks for the kinds the spec does not use must not turn into
/// dead code that `-D warnings` refuses.
fn constraint_spec(kinds: &[&str]) -> Vec<u8> {
    let mut properties = serde_json::Map::new();
    properties.insert("plain".into(), serde_json::json!({"type": "string"}));
    for kind in kinds {
        let (name, schema) = match *kind {
            "minItems" => ("few", serde_json::json!({"type": "array", "items": {"type": "string"}, "minItems": 1})),
            "maxItems" => ("many", serde_json::json!({"type": "array", "items": {"type": "string"}, "maxItems": 50})),
            "minLength" => ("short", serde_json::json!({"type": "string", "minLength": 1})),
            "maxLength" => ("long", serde_json::json!({"type": "string", "maxLength": 64})),
            "minimum" => ("low", serde_json::json!({"type": "integer", "minimum": 1})),
            "maximum" => ("high", serde_json::json!({"type": "number", "maximum": 9.5})),
            "pattern" => ("shaped", serde_json::json!({"type": "string", "pattern": "^[a-z]+$"})),
            "enum" => ("chosen", serde_json::json!({"type": "integer", "enum": [1, 2, 3]})),
            other => panic!("unknown constraint kind {other}"),
        };
        properties.insert(name.into(), schema);
    }
    let doc = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "constraints", "version": "1"},
        "paths": {"/api/v3/do-thing": {"post": {
            "operationId": "ThingsController_doThing",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {
                "type": "object", "properties": properties
            }}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"statusCode": {"type": "integer"}}
            }}}}}
        }}}
    });
    serde_json::to_vec(&doc).unwrap()
}

/// Specs that use no constraint kind, and each kind alone, give sdks that pass clippy.
#[test]
fn specs_using_no_or_one_constraint_kind_pass_clippy() {
    const KINDS: [&str; 8] =
        ["minItems", "maxItems", "minLength", "maxLength", "minimum", "maximum", "pattern", "enum"];
    let variants = std::iter::once(Vec::new()).chain(KINDS.iter().map(|k| vec![*k]));
    for kinds in variants {
        let options = Options { spec_path: "constraints.json".into(), docs: false };
        let generated = generate(&constraint_spec(&kinds), &options).unwrap_or_else(|e| panic!("{kinds:?}: {e}"));
        let dir = tempfile::tempdir().expect("temp dir");
        write_sdk_copy(&workspace_root(), dir.path(), Some((&generated.files, &generated.api)))
            .expect("write sdk copy");
        assert_clippy_clean(dir.path(), &format!("sdk from a spec with constraints {kinds:?}"));
    }
}

/// The emitter's kitchen-sink model (list, map and enum bodies, inputs named like the builder's
/// own methods, more arguments than clippy's `too_many_arguments` allows), compiled and linted.
#[test]
fn the_kitchen_sink_model_passes_clippy() {
    let api = fixtures::kitchen_sink();
    let files = genauth_codegen::emit::rust::emit(&api, &Options::default());
    let dir = tempfile::tempdir().expect("temp dir");
    write_sdk_copy(&workspace_root(), dir.path(), Some((&files, &api))).expect("write sdk copy");
    assert_clippy_clean(dir.path(), "sdk from the kitchen-sink model");
}

#[path = "../../../codegen/tests/all/emit_rust_fixtures/mod.rs"]
mod fixtures;
