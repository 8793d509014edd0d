//! Generation is deterministic: the same spec gives byte-identical files, run after run, and a
//! freshly written copy of the effective spec (compact JSON, layers already applied) gives the same
//! files too, so nothing depends on map order, addresses or the input's formatting.

mod real_spec;

use genauth_codegen::{Options, generate};

#[test]
fn generating_twice_and_from_a_reparsed_copy_gives_identical_files() {
    let (first, _) = real_spec::generate(true);
    let (second, _) = real_spec::generate(true);
    assert!(first.files == second.files, "two runs over the real spec differ");

    // The effective document, written as compact JSON and generated with no layers: other
    // bytes, same meaning, same files.
    let json = serde_json::to_vec(&real_spec::effective()).expect("serialises");
    assert_ne!(json, real_spec::spec_bytes());
    let from_json = generate(&json, &real_spec::options(true)).expect("generates from JSON");
    assert_eq!(first.files.len(), from_json.files.len());
    for (a, b) in first.files.iter().zip(&from_json.files) {
        assert_eq!(a.path, b.path);
        assert!(a.contents == b.contents, "{} differs when generated from the JSON copy", a.path);
    }
}

#[test]
fn synthetic_specs_generate_identically_twice() {
    let bytes = genauth_codegen::synthetic::synthetic_spec_bytes(120);
    let options = Options { spec_path: "synthetic.json".into(), docs: true };
    let a = generate(&bytes, &options).expect("generates");
    let b = generate(&bytes, &options).expect("generates");
    assert!(a.files == b.files, "two runs over the same synthetic spec differ");
}
