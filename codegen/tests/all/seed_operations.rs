//! The three showcase operations keep what they had before the whole API came in: the upstream
//! document is the pristine one, and upstream + curated layers give these operations English for
//! every text the sdk and docs show (no Chinese left on their English pages outside code).

use crate::real_spec;

use genauth_codegen::model::{Api, Field, TypeKind, TypeRef};

const SEEDS: [&str; 3] = ["kick_users", "resign_user", "delete_users_batch"];

use crate::script;
use script::has_chinese as has_cjk;

/// The committed upstream documents are byte for byte the ones GenAuth publishes: each hash in
/// `spec/SHA256SUMS` (recorded when the document was taken from upstream, in `sha256sum`'s format)
/// is the SHA-256 of the file it names, and every document at the top of `spec/` is listed there.
/// An edit of an upstream file (instead of a curated layer) fails here.
#[test]
fn the_upstream_documents_are_pristine() {
    use sha2::Digest as _;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let sums = std::fs::read_to_string(root.join("spec/SHA256SUMS")).expect("spec/SHA256SUMS");
    let mut listed = Vec::new();
    for line in sums.lines().filter(|l| !l.trim().is_empty()) {
        let (want, path) = line.split_once("  ").unwrap_or_else(|| panic!("not `HASH  PATH`: {line:?}"));
        let bytes = std::fs::read(root.join(path)).unwrap_or_else(|e| panic!("{path}, listed in spec/SHA256SUMS: {e}"));
        let got: String = sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(got, want, "{path} is not the upstream document recorded in spec/SHA256SUMS");
        listed.push(path.to_owned());
    }
    let mut documents: Vec<String> = std::fs::read_dir(root.join("spec"))
        .expect("spec/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json") || name.ends_with(".yaml") || name.ends_with(".yml"))
        .map(|name| format!("spec/{name}"))
        .collect();
    documents.sort();
    listed.sort();
    assert_eq!(listed, documents, "spec/SHA256SUMS must list every upstream document in spec/, and only those");
    assert!(listed.contains(&real_spec::SPEC_PATH.to_owned()));
}

/// Where this checkout has the shared reference material beside it, the committed document is
/// also compared with the published copy there (nothing depends on it: the recorded hash above
/// is the check that always runs).
#[test]
fn the_upstream_document_matches_the_reference_copy_where_present() {
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/reference/upstream/management-openapi.json");
    let Ok(published) = std::fs::read(&shared) else {
        eprintln!("no {} beside this checkout: compared with spec/SHA256SUMS only", shared.display());
        return;
    };
    assert!(real_spec::spec_bytes() == published, "spec/management-openapi.json differs from {}", shared.display());
}

fn check_english(what: &str, text: &genauth_codegen::model::Text, problems: &mut Vec<String>) {
    match &text.en {
        Some(en) if has_cjk(en) => problems.push(format!("{what}: Chinese in the English text: {en}")),
        Some(_) => {}
        None if text.zh.is_some() => problems.push(format!("{what}: no English")),
        None => {}
    }
}

fn check_fields(api: &Api, owner: &str, fields: &[Field], seen: &mut Vec<String>, problems: &mut Vec<String>) {
    for f in fields {
        check_english(&format!("{owner}.{}", f.wire_name), &f.description, problems);
        check_type(api, &f.ty, seen, problems);
    }
}

fn check_type(api: &Api, ty: &TypeRef, seen: &mut Vec<String>, problems: &mut Vec<String>) {
    match ty {
        TypeRef::Array(inner) | TypeRef::Map(inner) => check_type(api, inner, seen, problems),
        TypeRef::Named(name) if !seen.contains(name) => {
            seen.push(name.clone());
            let def = api.type_named(name).expect("named types exist");
            check_english(name, &def.description, problems);
            match &def.kind {
                TypeKind::Struct(s) => check_fields(api, name, &s.fields, seen, problems),
                TypeKind::Enum(e) => {
                    for v in &e.values {
                        check_english(&format!("{name}::{}", v.variant), &v.description, problems);
                    }
                }
                TypeKind::OneOf(o) => o.variants.iter().for_each(|v| check_type(api, &v.ty, seen, problems)),
            }
        }
        _ => {}
    }
}

#[test]
fn every_text_of_the_seed_operations_has_english() {
    let (generated, _) = real_spec::generate(true);
    let api = &generated.api;
    let mut problems = Vec::new();
    let mut seen = Vec::new();
    for name in SEEDS {
        let op = api.operations.iter().find(|o| o.name == name).unwrap_or_else(|| panic!("no {name}"));
        assert_eq!(op.group.slug, "users", "{name}");
        check_english(&format!("{name} summary"), &op.summary, &mut problems);
        check_english(&format!("{name} description"), &op.description, &mut problems);
        check_english(&format!("{name} response"), &op.response.description, &mut problems);
        let params: Vec<Field> = op.params.iter().map(|p| p.field.clone()).collect();
        check_fields(api, name, &params, &mut seen, &mut problems);
        if let Some(body) = &op.body {
            check_type(api, &body.ty, &mut seen, &mut problems);
        }
        if let Some(ty) = &op.response.ty {
            check_type(api, ty, &mut seen, &mut problems);
        }
        // The English page: no Chinese outside code blocks and code spans.
        let page = &generated.files.iter().find(|f| f.path == format!("docs/en/users/{}.md", name.replace('_', "-")));
        let page = &page.unwrap_or_else(|| panic!("no English page for {name}")).contents;
        let mut in_code = false;
        for line in page.lines() {
            if line.starts_with("```") {
                in_code = !in_code;
            }
            let prose: String = line.split('`').step_by(2).collect();
            if !in_code && has_cjk(&prose) {
                problems.push(format!("docs/en page of {name}: {line}"));
            }
        }
    }
    assert!(seen.len() >= 8, "the seed operations reach {} types", seen.len());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
