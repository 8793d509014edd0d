//! genauth-rs against openapi-generator's Rust client for the same specs (the upstream documents in
//! `spec/`: the Management API and the Authentication API), measured in one run on the same
//! machine:
//!
//! - generated lines of Rust, counting neither comments nor blank lines;
//! - regeneration: `cargo xtask codegen` as a maintainer runs it (warm: nothing to rebuild; both
//!   documents in one run) against `openapi-generator-cli generate -g rust` once per document (its
//!   two runs added), and ours by stage with its peak memory (from its `--timings` line);
//! - build time of the generated crate as users pay it, as a dependency of a consumer crate
//!   outside this workspace (dependencies warm; incremental compilation off so a rebuild does the
//!   work again): ours with every API group, with the Management API's groups and with only
//!   `users`, and theirs (its Management API crate).
//!
//! The peer comes from PyPI (`openapi-generator-cli`, which bundles the generator's jar and needs
//! `java`), installed by this bench into `target/bench-tools/`. Its crate is built with its
//! `rustls` feature, the TLS stack ours uses. Prints tables; never fails on time.
//!
//! Run with `cargo bench -p genauth-tests --bench versus_openapi_generator`;
//! `GENAUTH_BENCH_SKIP_BUILD=1` skips the build part, `GENAUTH_BENCH_BUILD_REPS` (default 2) sets
//! how many crate-only builds are timed.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Instant, SystemTime};

use genauth_tests::sdk_copy::{self, write_sdk_copy};

#[path = "../../codegen/benches/common/mod.rs"]
mod common;
use common::{Table, fmt_count, fmt_secs, median, publish, target_dir, workspace_root};

/// The peer's version, pinned so runs compare like with like.
const PEER_VERSION: &str = "7.26.0";
const SKIP_VAR: &str = "GENAUTH_BENCH_SKIP_BUILD";
const REPS_VAR: &str = "GENAUTH_BENCH_BUILD_REPS";
/// Regeneration runs timed per side.
const REGEN_REPS: usize = 5;

fn main() {
    let smoke = !std::env::args().any(|a| a == "--bench");
    let root = workspace_root();
    let ours_dir = root.join("sdk/src/generated");
    let mut tables = Vec::new();
    if smoke {
        let mut lines = Table::new("Generated Rust, lines of code", &["generator", "lines"]);
        lines.row(vec!["genauth-rs".into(), fmt_count(code_lines(&ours_dir))]);
        lines.note("Smoke run without `--bench`: the peer is not installed or run.");
        publish(35, "versus_openapi_generator", "Against openapi-generator", &[lines]);
        return;
    }
    let peer = install_peer().unwrap_or_else(|e| panic!("cannot install openapi-generator-cli: {e}"));
    let client = target_dir().join("bench-openapi-generator").join("client");
    let auth_client = target_dir().join("bench-openapi-generator").join("authentication-client");

    // Regeneration, each side warmed once first (our xtask built, the JVM's files cached).
    let specs = [
        (root.join("spec/management-openapi.json"), &client),
        (root.join("spec/authentication-openapi.json"), &auth_client),
    ];
    // Ours with `--timings`, which adds one line to its report: its stages and its peak memory.
    let ours_regen = || {
        let mut cmd = Command::new(cargo_bin());
        cmd.current_dir(&root).args(["xtask", "codegen", "--timings"]);
        let (secs, stdout) = run_timed(&mut cmd);
        (secs, XtaskTimings::parse(&stdout).unwrap_or_else(|| panic!("no timings line in:\n{stdout}")))
    };
    // One run per document, as a user of theirs regenerates both clients.
    let theirs_regen = || {
        specs
            .iter()
            .map(|(spec, out)| {
                let _ = fs::remove_dir_all(out);
                let mut cmd = Command::new(&peer);
                cmd.args(["generate", "-g", "rust", "--skip-validate-spec", "-i"]).arg(spec).arg("-o").arg(out);
                run_timed(&mut cmd).0
            })
            .sum::<f64>()
    };
    ours_regen();
    theirs_regen();
    let (ours, ours_timings): (Vec<f64>, Vec<XtaskTimings>) = (0..REGEN_REPS).map(|_| ours_regen()).unzip();
    let theirs: Vec<f64> = (0..REGEN_REPS).map(|_| theirs_regen()).collect();
    let mut regen = Table::new(
        "Regeneration of both upstream documents (414 + 86 operations), warm",
        &["command", "median", "runs", "ratio"],
    );
    let (ours_median, theirs_median) = (median(&ours), median(&theirs));
    regen.row(vec![
        "cargo xtask codegen".into(),
        fmt_secs(ours_median),
        REGEN_REPS.to_string(),
        ratio(ours_median, theirs_median),
    ]);
    regen.row(vec![
        format!("openapi-generator-cli {PEER_VERSION} generate -g rust, once per document"),
        fmt_secs(theirs_median),
        REGEN_REPS.to_string(),
        "1.00x".into(),
    ]);
    regen.note("Ours also writes the Markdown docs (en + zh-CN) and checks the curated layers; theirs writes Rust and its Markdown docs.");
    tables.push(regen);
    tables.push(XtaskTimings::table(&ours_timings));

    let (ours_lines, theirs_lines) =
        (code_lines(&ours_dir), code_lines(&client.join("src")) + code_lines(&auth_client.join("src")));
    let mut lines = Table::new(
        "Generated Rust for both upstream documents, lines of code (no comments, no blank lines)",
        &["generator", "lines", "ratio"],
    );
    lines.row(vec!["genauth-rs".into(), fmt_count(ours_lines), ratio(ours_lines as f64, theirs_lines as f64)]);
    lines.row(vec![format!("openapi-generator {PEER_VERSION}"), fmt_count(theirs_lines), "1.00x".into()]);
    tables.push(lines);

    if std::env::var_os(SKIP_VAR).is_some_and(|v| !v.is_empty() && v != "0") {
        let mut skipped = Table::new("Build time of the generated crate", &["command", "result"]);
        skipped.row(vec!["cargo check / cargo build".into(), format!("skipped ({SKIP_VAR} is set)")]);
        tables.push(skipped);
    } else {
        tables.push(build_table(&root, &client));
    }
    publish(35, "versus_openapi_generator", "Against openapi-generator", &tables);
}

/// `ours / theirs` as `0.69x`.
fn ratio(ours: f64, theirs: f64) -> String {
    format!("{:.2}x", ours / theirs)
}

fn cargo_bin() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Runs `cmd` to success and returns its wall time and its standard output; panics with its
/// output otherwise.
fn run_timed(cmd: &mut Command) -> (f64, String) {
    let start = Instant::now();
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let secs = start.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{cmd:?} failed:\n{stdout}{}", String::from_utf8_lossy(&out.stderr));
    (secs, stdout)
}

/// The `timings:` line of `cargo xtask codegen --timings`: each stage's milliseconds, in the
/// order printed (read, layers, parse, model, emit, write, total), and the peak memory in MiB.
struct XtaskTimings {
    stages: Vec<(String, f64)>,
    peak_mib: Option<f64>,
}

impl XtaskTimings {
    /// Reads `timings: read 1.0 ms, layers 2.0 ms, ...; total 9.0 ms; peak memory 87.5 MiB`.
    fn parse(stdout: &str) -> Option<XtaskTimings> {
        let line = stdout.lines().find_map(|line| line.strip_prefix("timings:"))?;
        let mut stages = Vec::new();
        let mut peak_mib = None;
        for part in line.split([',', ';']).map(str::trim) {
            if let Some(mib) = part.strip_prefix("peak memory ").and_then(|rest| rest.strip_suffix(" MiB")) {
                peak_mib = mib.parse().ok();
            } else if let Some((name, ms)) = part.strip_suffix(" ms").and_then(|rest| rest.rsplit_once(' ')) {
                stages.push((name.to_owned(), ms.parse().ok()?));
            }
        }
        (!stages.is_empty()).then_some(XtaskTimings { stages, peak_mib })
    }

    /// The median of each stage over `runs`, and of the peak memory.
    fn table(runs: &[XtaskTimings]) -> Table {
        let mut table = Table::new(
            "`cargo xtask codegen` by stage (its own `--timings`), median",
            &["stage", "time", "share of the xtask's total"],
        );
        let total = median(&runs.iter().filter_map(|r| r.stage("total")).collect::<Vec<_>>());
        for (name, _) in runs.first().map_or(&[][..], |r| r.stages.as_slice()) {
            let ms = median(&runs.iter().filter_map(|r| r.stage(name)).collect::<Vec<_>>());
            let share = if name == "total" { String::new() } else { format!("{:.0}%", 100.0 * ms / total) };
            table.row(vec![name.clone(), fmt_secs(ms / 1e3), share]);
        }
        let peaks: Vec<f64> = runs.iter().filter_map(|r| r.peak_mib).collect();
        let peak = if peaks.is_empty() { "unknown".to_owned() } else { format!("{:.1} MiB", median(&peaks)) };
        table.row(vec!["peak memory (resident)".into(), peak, String::new()]);
        table.note("Emit runs the Rust files (on every core), the docs and the manifest side by side. The rest of the wall time is cargo checking that the xtask is up to date, and process start.");
        table
    }

    fn stage(&self, name: &str) -> Option<f64> {
        self.stages.iter().find(|(n, _)| n == name).map(|(_, ms)| *ms)
    }
}

/// `openapi-generator-cli` from PyPI in a virtual environment under `target/bench-tools/`,
/// installed on the first run.
fn install_peer() -> Result<PathBuf, String> {
    let java = Command::new("java").arg("-version").output().map_err(|e| format!("no java: {e}"))?;
    if !java.status.success() {
        return Err("`java -version` failed".into());
    }
    let venv = target_dir().join("bench-tools").join(format!("openapi-generator-{PEER_VERSION}"));
    let cli = venv.join("bin").join("openapi-generator-cli");
    if cli.exists() {
        return Ok(cli);
    }
    let status = Command::new("python3").args(["-m", "venv"]).arg(&venv).status().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("python3 -m venv failed".into());
    }
    let status = Command::new(venv.join("bin").join("pip"))
        .args(["install", "--quiet", &format!("openapi-generator-cli=={PEER_VERSION}")])
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() || !cli.exists() {
        return Err("pip install openapi-generator-cli failed".into());
    }
    Ok(cli)
}

/// Lines of the `.rs` files below `dir` that are neither blank nor `//` comments.
fn code_lines(dir: &Path) -> usize {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())) {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = fs::read_to_string(&path).expect("read a generated file");
                total += text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("//")).count();
            }
        }
    }
    total
}

/// How users pay for a generated crate: a consumer crate outside this workspace (so none of its
/// `[profile.dev.package]` settings apply) depends on the crate by path; after a first build
/// that compiles everything, the crate's `src/lib.rs` is touched and the consumer built again,
/// which compiles the crate alone (and the consumer's one-line `main`, the same on both sides).
/// Ours with every group, with the Management API's groups (the document the peer's crate is
/// generated from) and with one group; theirs, its Management API crate (its Authentication API
/// crate does not compile: it declares `default_api` twice).
fn build_table(root: &Path, client: &Path) -> Table {
    let reps: usize = std::env::var(REPS_VAR).ok().and_then(|v| v.parse().ok()).unwrap_or(2).max(1);
    let ours = tempfile::tempdir().expect("temp dir");
    write_sdk_copy(root, ours.path(), None).expect("copy the sdk");
    let consumers = tempfile::tempdir().expect("temp dir");
    let ours_dep =
        |features: &str| format!("genauth = {{ path = {:?}, {features} }}", ours.path().display().to_string());
    let rows: [(&str, String, &Path, &str); 4] = [
        ("genauth-rs, every group (default features)", ours_dep("default-features = true"), ours.path(), "genauth"),
        (
            "genauth-rs, the Management API's groups (`management`)",
            ours_dep("default-features = false, features = [\"management\"]"),
            ours.path(),
            "genauth",
        ),
        (
            "genauth-rs, one group (`users`)",
            ours_dep("default-features = false, features = [\"users\"]"),
            ours.path(),
            "genauth",
        ),
        (
            "openapi-generator, its Management API crate (feature `rustls`)",
            format!(
                "openapi = {{ path = {:?}, default-features = false, features = [\"rustls\"] }}",
                client.display().to_string()
            ),
            client,
            "openapi",
        ),
    ];
    let mut table = Table::new(
        "Build time of the generated crate as a dependency (dev profile, dependencies warm, incremental off)",
        &["crate", "cargo check", "ratio", "cargo build", "ratio", "target"],
    );
    let mut measured = Vec::new();
    for (i, (label, dependency, crate_dir, crate_name)) in rows.iter().enumerate() {
        let consumer = consumers.path().join(format!("consumer-{i}"));
        fs::create_dir_all(consumer.join("src")).expect("consumer dir");
        fs::write(
            consumer.join("Cargo.toml"),
            format!(
                "[package]\nname = \"consumer-{i}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{dependency}\n\n[workspace]\n"
            ),
        )
        .expect("consumer manifest");
        fs::write(consumer.join("src/main.rs"), format!("use {crate_name} as _;\n\nfn main() {{}}\n"))
            .expect("consumer main");
        // One target folder for every consumer: the dependencies they share are compiled once,
        // and each feature set of a crate keeps artifacts of its own there.
        let target = target_dir().join("bench-consumers");
        let mut times = Vec::new();
        for subcommand in ["check", "build"] {
            let args = [subcommand, "--quiet"];
            eprintln!("versus_openapi_generator: cargo {subcommand} of a consumer of {label} (dependencies first)...");
            build(&consumer, &target, &args);
            let mut again = Vec::new();
            for _ in 0..reps {
                touch(&crate_dir.join("src/lib.rs"));
                again.push(build(&consumer, &target, &args));
            }
            times.push(median(&again));
        }
        measured.push((*label, times));
    }
    let theirs = measured.last().map(|(_, times)| (times[0], times[1])).unwrap_or((f64::NAN, f64::NAN));
    for (label, times) in measured {
        let target = match label {
            l if l.contains("every group") => "0.50x",
            l if l.contains("one group") => "0.10x",
            _ => "",
        };
        table.row(vec![
            label.into(),
            fmt_secs(times[0]),
            ratio(times[0], theirs.0),
            fmt_secs(times[1]),
            ratio(times[1], theirs.1),
            target.into(),
        ]);
    }
    table.note(format!(
        "Median of {reps} runs each: a consumer crate outside the workspace depends on the crate by path; after touching the crate's src/lib.rs the consumer is built again, which compiles the crate alone."
    ));
    table
}

/// One `cargo` run in `dir` with incremental compilation off; its wall time.
fn build(dir: &Path, target: &Path, args: &[&str]) -> f64 {
    let start = Instant::now();
    let outcome = sdk_copy::cargo_with_env(dir, target, args, &[("CARGO_INCREMENTAL", "0")]).expect("run cargo");
    let secs = start.elapsed().as_secs_f64();
    assert!(outcome.success, "cargo {args:?} in {} failed:\n{}", dir.display(), outcome.output);
    secs
}

/// Marks `path` as changed, so the next build recompiles its crate (and only it).
fn touch(path: &Path) {
    let file = File::options().write(true).open(path).unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    file.set_modified(SystemTime::now()).expect("touch");
}
