//! What `cargo publish` would upload for `genauth`: the crate (runtime and generated code), its
//! examples, README, changelog and licenses, and nothing of the generator, the spec, the docs
//! pages or the tests (`include` in `sdk/Cargo.toml`). `.ci/run` also runs `cargo publish
//! --dry-run -p genauth`, which builds the crate from the package alone.

use std::process::Command;

use genauth_tests::sdk_copy::workspace_root;

#[test]
fn the_package_holds_the_crate_and_nothing_else() {
    let out = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .current_dir(workspace_root())
        .args(["package", "--list", "--allow-dirty", "-p", "genauth"])
        .output()
        .expect("cargo package --list runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    let files: Vec<&str> = stdout.lines().collect();
    for required in [
        "Cargo.toml",
        "README.md",
        "CHANGELOG.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "src/lib.rs",
        "src/generated/mod.rs",
        "src/generated/operations/users.rs",
        "src/runtime/auth/signature-vectors.json",
        "examples/kick_users.rs",
    ] {
        assert!(files.contains(&required), "{required} is not in the package:\n{stdout}");
    }
    // Cargo adds these itself.
    let cargo_own = ["Cargo.toml.orig", "Cargo.lock", ".cargo_vcs_info.json"];
    let stray: Vec<&&str> = files
        .iter()
        .filter(|f| !cargo_own.contains(f) && !f.starts_with("src/") && !f.starts_with("examples/"))
        .filter(|f| !["Cargo.toml", "README.md", "CHANGELOG.md", "LICENSE-MIT", "LICENSE-APACHE"].contains(f))
        .collect();
    assert!(stray.is_empty(), "not part of the crate: {stray:?}");
    // The generated API manifest is the xtask's, not the users'.
    assert!(
        !files
            .iter()
            .any(|f| (f.contains("api-manifest") && f.ends_with(".txt")) || f.starts_with("proptest-regressions")),
        "{stdout}"
    );
}
