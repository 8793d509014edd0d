//! Generated code size: lines of what the generator writes for the synthetic 800-operation spec,
//! and how long the sdk crate holding that code takes to compile, so a change that bloats the
//! output shows up in numbers. Prints tables; never fails on time.
//!
//! The compile part copies the sdk crate with the generated code into a temporary directory
//! (`genauth_tests::sdk_copy`, as the synthetic-spec compile test does) and times `cargo check`
//! and `cargo build` there, building in `<target>/bench-generated-size` so dependencies are
//! compiled once and reused by later runs. It takes minutes: set `GENAUTH_BENCH_SKIP_BUILD=1` to
//! skip it. `GENAUTH_BENCH_BUILD_REPS` (default 2) sets how many crate-only builds are timed.
//!
//! Run with `cargo bench -p genauth-tests --bench generated_size`.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Instant, SystemTime};

use genauth_codegen::{Generated, GeneratedFile, Options, generate};
use genauth_synthetic::synthetic_spec_bytes;
use genauth_tests::sdk_copy::write_sdk_copy;

#[path = "../../codegen/benches/common/mod.rs"]
mod common;
use common::{Table, fmt_bytes, fmt_count, fmt_secs, median, publish};

const OPERATIONS: usize = 800;
const SKIP_VAR: &str = "GENAUTH_BENCH_SKIP_BUILD";
const REPS_VAR: &str = "GENAUTH_BENCH_BUILD_REPS";

fn lines(file: &GeneratedFile) -> usize {
    file.contents.lines().count()
}

fn size_table(files: &[GeneratedFile], operations: usize) -> Table {
    let mut table = Table::new(
        format!("Generated code size: synthetic {OPERATIONS}-operation spec ({operations} operations emitted)"),
        &["output", "files", "lines", "size", "lines per operation"],
    );
    let per_op = |n: usize| format!("{:.0}", n as f64 / operations as f64);
    // The sdk's Rust (not the conformance calls, which only the workspace's tests compile) and
    // the Markdown pages; the API manifest is neither.
    let rust: Vec<&GeneratedFile> =
        files.iter().filter(|f| f.path.starts_with("sdk/") && f.path.ends_with(".rs")).collect();
    let docs: Vec<&GeneratedFile> = files.iter().filter(|f| f.path.ends_with(".md")).collect();
    for file in &rust {
        table.row(vec![
            file.path.clone(),
            "1".into(),
            fmt_count(lines(file)),
            fmt_bytes(file.contents.len() as f64),
            per_op(lines(file)),
        ]);
    }
    for (label, group) in [("Rust, all", &rust), ("docs pages (en + zh-CN)", &docs)] {
        let total: usize = group.iter().map(|f| lines(f)).sum();
        let bytes: usize = group.iter().map(|f| f.contents.len()).sum();
        table.row(vec![label.into(), fmt_count(group.len()), fmt_count(total), fmt_bytes(bytes as f64), per_op(total)]);
    }
    table
}

/// Where the copies build: kept between runs so dependencies compile only once.
fn build_target_dir() -> PathBuf {
    common::target_dir().join("bench-generated-size")
}

/// Runs `cargo <subcommand>` in the copy and returns its wall time; panics with Cargo's output
/// if it fails (then the generated code does not compile, and that is the news, not a time).
/// Tries `--offline` first and goes online only if Cargo says it needs to, as `sdk_copy::clippy`
/// does.
fn cargo(dir: &Path, subcommand: &str) -> f64 {
    let run = |offline: bool| {
        let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cmd.current_dir(dir).env("CARGO_TARGET_DIR", build_target_dir());
        // The bench runs under the workspace's cargo, whose settings must not leak into the copy.
        cmd.env_remove("CARGO_BUILD_TARGET_DIR").env_remove("RUSTFLAGS").env_remove("CARGO_ENCODED_RUSTFLAGS");
        cmd.args([subcommand, "--quiet"]);
        if offline {
            cmd.arg("--offline");
        }
        let start = Instant::now();
        let out = cmd.output().expect("run cargo");
        let secs = start.elapsed().as_secs_f64();
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        (out.status.success(), secs, text)
    };
    let (mut ok, mut secs, mut text) = run(true);
    if !ok && ["--offline was specified", "offline mode", "--offline flag"].iter().any(|m| text.contains(m)) {
        (ok, secs, text) = run(false);
    }
    assert!(ok, "`cargo {subcommand}` of the generated {OPERATIONS}-operation sdk failed:\n{text}");
    secs
}

/// Marks the crate as changed, so the next build recompiles it (and only it).
fn touch_generated(dir: &Path) {
    let file = File::options().write(true).open(dir.join("src/lib.rs")).expect("open src/lib.rs");
    file.set_modified(SystemTime::now()).expect("touch src/lib.rs");
}

fn build_table(generated: &Generated) -> Table {
    let reps: usize = std::env::var(REPS_VAR).ok().and_then(|v| v.parse().ok()).unwrap_or(2).max(1);
    let mut table = Table::new(
        format!("Build time of the sdk crate with the synthetic {OPERATIONS}-operation code (dev profile)"),
        &["command", "first run (includes dependencies)", "crate only (median)", "crate-only runs"],
    );
    let dir = tempfile::tempdir().expect("temp dir");
    write_sdk_copy(&common::workspace_root(), dir.path(), Some((&generated.files, &generated.api)))
        .expect("write the sdk copy");
    for subcommand in ["check", "build"] {
        eprintln!("generated_size: cargo {subcommand} of the {OPERATIONS}-operation sdk (first run)...");
        let first = cargo(dir.path(), subcommand);
        let mut again = Vec::new();
        for i in 0..reps {
            eprintln!("generated_size: cargo {subcommand}, crate only ({}/{reps})...", i + 1);
            touch_generated(dir.path());
            again.push(cargo(dir.path(), subcommand));
        }
        table.row(vec![format!("cargo {subcommand}"), fmt_secs(first), fmt_secs(median(&again)), reps.to_string()]);
    }
    table.note(format!(
        "First run: compiles the dependencies too unless {} already holds them from an earlier run.",
        build_target_dir().display()
    ));
    table.note("Crate only: rebuilt after touching the generated files; dependencies are up to date.");
    table
}

fn main() {
    let smoke = !std::env::args().any(|a| a == "--bench");
    let spec = synthetic_spec_bytes(OPERATIONS);
    let options = Options { spec_path: format!("synthetic-{OPERATIONS}.json"), docs: true };
    let generated = generate(&spec, &options).unwrap_or_else(|e| panic!("generate rejected the synthetic spec:\n{e}"));
    let mut tables = vec![size_table(&generated.files, generated.api.operations.len())];
    if std::env::var_os(SKIP_VAR).is_some_and(|v| !v.is_empty() && v != "0") {
        let mut skipped = Table::new("Build time of the generated sdk crate", &["command", "result"]);
        skipped.row(vec!["cargo check / cargo build".into(), format!("skipped ({SKIP_VAR} is set)")]);
        tables.push(skipped);
    } else if smoke {
        let mut skipped = Table::new("Build time of the generated sdk crate", &["command", "result"]);
        skipped.row(vec!["cargo check / cargo build".into(), "skipped (smoke run without `--bench`)".into()]);
        tables.push(skipped);
    } else {
        eprintln!("generated_size: timing builds (minutes; set {SKIP_VAR}=1 to skip)");
        tables.push(build_table(&generated));
    }
    publish(30, "generated_size", "Generated code size", &tables);
}
