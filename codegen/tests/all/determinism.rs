//! Generation is deterministic: the same spec gives byte-identical files in two processes, one
//! formatting on one thread and one on eight, and a freshly written copy of the effective spec
//! (compact JSON, layers already applied) gives the same files too, so nothing depends on thread
//! count, map order, addresses or the input's formatting.

use crate::real_spec;

use genauth_codegen::generate;

/// The generated files' count and SHA-256 over their paths and contents, as one line.
fn digest(files: &[genauth_codegen::GeneratedFile]) -> String {
    use sha2::Digest as _;
    let mut hash = sha2::Sha256::new();
    for file in files {
        hash.update(file.path.as_bytes());
        hash.update([0]);
        hash.update(file.contents.as_bytes());
        hash.update([0]);
    }
    let hex: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("{} files, sha256 {hex}", files.len())
}

/// Run only by the test below, in a process of its own: prints the digest of one generation.
#[test]
#[ignore = "run by one_thread_and_many_give_identical_files, in a process of its own"]
fn print_the_digest_of_one_generation() {
    println!("DIGEST {}", digest(&real_spec::generate(true).0.files));
}

/// The Rust files are formatted on several threads: the output must not depend on how many, or
/// on anything else a process chooses for itself (hash seeds, addresses). Two processes, one
/// thread and eight, give the same bytes.
#[test]
fn one_thread_and_many_give_identical_files() {
    let run = |threads: &str| {
        let output = std::process::Command::new(std::env::current_exe().expect("the test binary"))
            .args([
                "determinism::print_the_digest_of_one_generation",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("GENAUTH_CODEGEN_THREADS", threads)
            .output()
            .expect("run the test binary");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(output.status.success(), "{threads} thread(s): {stdout}{}", String::from_utf8_lossy(&output.stderr));
        stdout.lines().find_map(|l| l.split_once("DIGEST ").map(|(_, d)| d.to_owned())).expect("a digest line")
    };
    assert_eq!(run("1"), run("8"), "one thread and eight give different files");
}

#[test]
fn a_reparsed_copy_of_the_effective_spec_gives_identical_files() {
    let (first, _) = real_spec::generate(true);

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
