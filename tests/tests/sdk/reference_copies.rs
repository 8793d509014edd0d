//! Copies of reference files that a crate embeds (so its packaged tests need nothing outside it)
//! stay byte for byte the reference: each is checked against the SHA-256 recorded here when it
//! was copied in, and also against the reference itself where this checkout has the shared
//! reference material beside it.

use std::path::Path;

use sha2::Digest as _;

/// `sdk/src/runtime/auth/signature-vectors.json`: the signature cases checked against the
/// official Node SDK (`reference/signature-vectors.json` of the project's shared material),
/// embedded by the sdk's signature tests.
const SIGNATURE_VECTORS: &str = "sdk/src/runtime/auth/signature-vectors.json";
const SIGNATURE_VECTORS_SHA256: &str = "0f2ef7b4a1b88ee70caa87e213ccd26b55bd89ba1054ed8ac3d53a1f7ee673d3";

fn sha256_hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_embedded_signature_vectors_are_the_reference() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let copy = std::fs::read(root.join(SIGNATURE_VECTORS)).expect("the sdk's copy");
    assert_eq!(sha256_hex(&copy), SIGNATURE_VECTORS_SHA256, "{SIGNATURE_VECTORS} is not the recorded reference");
    let reference = root.join("../shared/reference/signature-vectors.json");
    let Ok(original) = std::fs::read(&reference) else {
        eprintln!("no {} beside this checkout: compared with the recorded SHA-256 only", reference.display());
        return;
    };
    assert!(copy == original, "{SIGNATURE_VECTORS} differs from {}: copy it again", reference.display());
}
