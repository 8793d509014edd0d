//! Copies of the shared reference files that a crate embeds (so its packaged tests need nothing
//! outside it) stay byte for byte the reference, where this checkout has `../shared` beside it.

use std::path::Path;

/// `sdk/src/runtime/auth/signature-vectors.json`, embedded by the sdk's signature tests.
#[test]
fn the_embedded_signature_vectors_are_the_reference() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let copy = std::fs::read(root.join("sdk/src/runtime/auth/signature-vectors.json")).expect("the sdk's copy");
    let reference = root.join("../shared/reference/signature-vectors.json");
    let Ok(original) = std::fs::read(&reference) else {
        eprintln!("skipped: no {} beside this checkout", reference.display());
        return;
    };
    assert!(
        copy == original,
        "sdk/src/runtime/auth/signature-vectors.json differs from {}: copy it again",
        reference.display()
    );
}
