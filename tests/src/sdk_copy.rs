//! A standalone copy of the sdk crate, to compile generated code that is not the workspace's own.
//!
//! Tests that generate an SDK from some other spec (a synthetic one of 500 operations, say) must
//! compile it exactly as the real sdk would be compiled, without touching `sdk/src/generated/`
//! of the workspace. [`write_sdk_copy`] writes the sdk crate (its `src/`, with either the
//! workspace's generated files or the given ones) into a directory, with a standalone
//! `Cargo.toml` ([`standalone_manifest`]) whose dependencies are the sdk's own, resolved against
//! the workspace's `[workspace.dependencies]` at the time the test runs, so the copy can never
//! drift from the real crate, and the workspace's `Cargo.lock`, so it builds the same versions.
//! [`clippy`] then lints it with the workspace's strictness.
//!
//! The manifests are read and written with the `toml` crate; a section the copy does not know how
//! to make standalone is reported as an error, never guessed at.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use genauth_codegen::GeneratedFile;
use genauth_codegen::model::Api;
use toml::{Table, Value};

/// The workspace root (the directory holding the root `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// The target directory standalone sdk copies build in: `<workspace>/target/synthetic-sdk`, or
/// `$GENAUTH_SYNTHETIC_SDK_TARGET_DIR` when set. It outlives the temporary copies, so the sdk's
/// dependencies are compiled once and reused by every later run.
pub fn copy_target_dir() -> PathBuf {
    match std::env::var_os("GENAUTH_SYNTHETIC_SDK_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => workspace_root().join("target").join("synthetic-sdk"),
    }
}

/// The runtime's tests that name the real spec's types, relative to `sdk/src`.
const HOSTILE_TESTS: &str = "runtime/hostile_tests.rs";

/// Writes a complete, standalone copy of the workspace's sdk crate into `dest`:
/// `sdk/src/` (everything but `generated/`), `sdk/README.md`, the generated files, a [`standalone_manifest`]
/// as `Cargo.toml`, and the workspace's `Cargo.lock`.
///
/// With `generated` = `None` the workspace's own `sdk/src/generated/` is copied; otherwise the
/// files of `generated` whose path starts with `sdk/` are written (paths relative to the
/// workspace, as `genauth_codegen::generate` returns them), the others (the Markdown docs) are
/// skipped, and the manifest's generated features are those of the model they came from.
pub fn write_sdk_copy(workspace: &Path, dest: &Path, generated: Option<(&[GeneratedFile], &Api)>) -> io::Result<()> {
    let sdk = workspace.join("sdk");
    copy_dir(&sdk.join("src"), &dest.join("src"), &|rel| rel != Path::new("generated"))?;
    // The crate documentation is the README (`#![doc = include_str!("../README.md")]`).
    fs::copy(sdk.join("README.md"), dest.join("README.md"))?;
    // The runtime's hostile-input tests decode into the real spec's seed types, which other
    // generated code need not have; they run in the workspace, so the copy gets an empty module.
    fs::write(dest.join("src").join(HOSTILE_TESTS), "//! Not part of a copy: see `sdk_copy`.\n")?;
    let features = generated.map(|(_, api)| genauth_codegen::emit::features::table(api));
    match generated {
        None => copy_dir(&sdk.join("src/generated"), &dest.join("src/generated"), &|_| true)?,
        Some((files, _)) => {
            for file in files {
                let Some(rel) = file.path.strip_prefix("sdk/") else {
                    continue;
                };
                let rel = Path::new(rel);
                // Generated paths come from the generator; refuse any that would escape `dest`.
                if rel.components().any(|c| !matches!(c, std::path::Component::Normal(_))) {
                    return Err(io::Error::other(format!("unsafe generated path {}", file.path)));
                }
                let path = dest.join(rel);
                fs::create_dir_all(path.parent().expect("a file path has a parent"))?;
                fs::write(path, &file.contents)?;
            }
        }
    }
    let manifest = standalone_manifest(workspace, features.as_deref()).map_err(io::Error::other)?;
    fs::write(dest.join("Cargo.toml"), manifest)?;
    let lock = workspace.join("Cargo.lock");
    if lock.exists() {
        fs::copy(lock, dest.join("Cargo.lock"))?;
    }
    Ok(())
}

/// Copies the tree `from` into `to`; `keep` gets each top-level entry's path relative to `from`.
fn copy_dir(from: &Path, to: &Path, keep: &dyn Fn(&Path) -> bool) -> io::Result<()> {
    fs::create_dir_all(to)?;
    let mut entries = fs::read_dir(from)?.collect::<Result<Vec<_>, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        if !keep(Path::new(&name)) {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        if entry.file_type()?.is_dir() {
            copy_dir(&src, &dst, &|_| true)?;
        } else {
            fs::copy(&src, &dst)?;
        }
    }
    Ok(())
}

/// The sdk's `Cargo.toml` made standalone: every `workspace = true` resolved against the root
/// manifest (`[workspace.package]`, `[workspace.dependencies]`, `[workspace.lints]`), features
/// added on top of the workspace's as Cargo does, relative paths made absolute, and an empty
/// `[workspace]` table so the copy is a workspace of its own wherever it lies. With `features`,
/// the generated part of `[features]` is replaced by it (the groups of another spec).
pub fn standalone_manifest(workspace: &Path, features: Option<&str>) -> Result<String, String> {
    let root = read_manifest(&workspace.join("Cargo.toml"))?;
    let sdk_path = workspace.join("sdk/Cargo.toml");
    let mut sdk_text = fs::read_to_string(&sdk_path).map_err(|e| format!("{}: {e}", sdk_path.display()))?;
    if let Some(table) = features {
        sdk_text = genauth_codegen::emit::features::splice(&sdk_text, table)?;
    }
    let sdk = sdk_text.parse::<Table>().map_err(|e| format!("{}: {e}", sdk_path.display()))?;
    let ws = table_at(&root, "workspace");
    let ws_package = table_at(&ws, "package");
    let ws_deps = table_at(&ws, "dependencies");

    let mut out = Table::new();
    for (name, value) in sdk {
        if name == "example" {
            // `[[example]]`: `examples/` is not copied, so neither are the examples' settings.
            continue;
        }
        let section = value.as_table().cloned().ok_or(format!("sdk/Cargo.toml: `{name}` is not a table"))?;
        let section = match name.as_str() {
            "package" => {
                let mut package = Table::new();
                for (key, value) in section {
                    let value = if is_inherited(&value) {
                        ws_package.get(&key).cloned().ok_or(format!("[workspace.package] has no {key}"))?
                    } else {
                        value
                    };
                    package.insert(key, value);
                }
                // The copy is never published; `publish = false` also silences metadata lints.
                package.entry("publish").or_insert(Value::Boolean(false));
                package
            }
            "dependencies" | "dev-dependencies" | "build-dependencies" => {
                let mut deps = Table::new();
                for (dep, spec) in section {
                    let spec = resolve_dependency(&dep, spec, &ws_deps, workspace)?;
                    deps.insert(dep, Value::Table(spec));
                }
                deps
            }
            "lints" if section.get("workspace") == Some(&Value::Boolean(true)) => table_at(&ws, "lints"),
            "lints" | "features" | "badges" => section,
            other => return Err(format!("sdk/Cargo.toml: section [{other}] is not supported by sdk_copy")),
        };
        out.insert(name, Value::Table(section));
    }
    out.insert("workspace".to_owned(), Value::Table(Table::new()));
    let text = toml::to_string(&out).map_err(|e| format!("cannot write the standalone manifest: {e}"))?;
    Ok(format!("# Generated by genauth-tests (sdk_copy): a standalone copy of sdk/, not part of genauth-rs.\n{text}"))
}

fn read_manifest(path: &Path) -> Result<Table, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.parse::<Table>().map_err(|e| format!("{}: {e}", path.display()))
}

/// The table at `key`, or an empty one.
fn table_at(table: &Table, key: &str) -> Table {
    table.get(key).and_then(Value::as_table).cloned().unwrap_or_default()
}

/// `{ workspace = true }`, which is what `key.workspace = true` parses to.
fn is_inherited(value: &Value) -> bool {
    value.as_table().and_then(|t| t.get("workspace")) == Some(&Value::Boolean(true))
}

/// One sdk dependency made standalone, as a table (`version`, `features`, `path`, ...).
fn resolve_dependency(name: &str, spec: Value, ws_deps: &Table, workspace: &Path) -> Result<Table, String> {
    let as_table = |spec: Value| match spec {
        Value::String(version) => Ok(Table::from_iter([("version".to_owned(), Value::String(version))])),
        Value::Table(table) => Ok(table),
        other => Err(format!("dependency {name} = {other}")),
    };
    let inherited = is_inherited(&spec);
    let mut resolved = as_table(spec.clone())?;
    if inherited {
        let own = std::mem::take(&mut resolved);
        resolved = as_table(ws_deps.get(name).cloned().ok_or(format!("[workspace.dependencies] has no {name}"))?)?;
        for (key, value) in own.into_iter().filter(|(key, _)| key != "workspace") {
            match (key.as_str(), value, resolved.get_mut("features")) {
                // Cargo adds a member's features to the workspace's; it does not replace them.
                ("features", Value::Array(extra), Some(Value::Array(features))) => {
                    for feature in extra {
                        if !features.contains(&feature) {
                            features.push(feature);
                        }
                    }
                }
                (_, value, _) => {
                    resolved.insert(key, value);
                }
            }
        }
    }
    // A path dependency, relative to the workspace root in [workspace.dependencies] (or to sdk/
    // in the sdk's own table), must still point at the same crate from the copy.
    if let Some(Value::String(path)) = resolved.get_mut("path")
        && Path::new(path.as_str()).is_relative()
    {
        let base = if inherited { workspace.to_path_buf() } else { workspace.join("sdk") };
        *path = base.join(&*path).display().to_string();
    }
    Ok(resolved)
}

/// What a cargo command run by [`cargo`] (or [`clippy`]) did.
#[derive(Debug, Clone)]
pub struct CargoOutcome {
    /// Cargo exited successfully (for clippy: no warnings, as warnings are denied).
    pub success: bool,
    /// Whether the reported run was the `--offline` one (every dependency it needed was already
    /// in the registry cache).
    pub offline: bool,
    /// Its stdout and stderr.
    pub output: String,
}

/// Runs `cargo clippy --all-targets -- -D warnings` in the crate at `dir`, building in
/// `target_dir` (see [`cargo`]).
pub fn clippy(dir: &Path, target_dir: &Path) -> io::Result<CargoOutcome> {
    cargo(dir, target_dir, &["clippy", "--all-targets", "--quiet", "--", "-D", "warnings"])
}

/// Runs `cargo <args>` in the crate at `dir`, building in `target_dir`: first `--offline`, and
/// again online only if the offline run failed for want of something not in the registry cache.
/// (Asking `cargo fetch --offline` beforehand does not work: it wants the dependencies of every
/// platform, while a build needs only this one's.) `args[0]` is the subcommand; `--offline` goes
/// right after it.
pub fn cargo(dir: &Path, target_dir: &Path, args: &[&str]) -> io::Result<CargoOutcome> {
    cargo_with_env(dir, target_dir, args, &[])
}

/// [`cargo`] with extra environment variables for it (`CARGO_INCREMENTAL=0`, say).
pub fn cargo_with_env(dir: &Path, target_dir: &Path, args: &[&str], env: &[(&str, &str)]) -> io::Result<CargoOutcome> {
    let run = |offline: bool| -> io::Result<(bool, String)> {
        let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cmd.current_dir(dir).env("CARGO_TARGET_DIR", target_dir).envs(env.iter().copied());
        // The test runs under the workspace's cargo, whose settings must not leak into the copy.
        cmd.env_remove("CARGO_BUILD_TARGET_DIR").env_remove("RUSTFLAGS").env_remove("CARGO_ENCODED_RUSTFLAGS");
        let (subcommand, rest) = args.split_first().expect("a cargo subcommand");
        cmd.arg(subcommand);
        if offline {
            cmd.arg("--offline");
        }
        let out = cmd.args(rest).output()?;
        let mut output = String::from_utf8_lossy(&out.stdout).into_owned();
        output.push_str(&String::from_utf8_lossy(&out.stderr));
        Ok((out.status.success(), output))
    };
    let (success, output) = run(true)?;
    if success || !needs_network(&output) {
        return Ok(CargoOutcome { success, offline: true, output });
    }
    let (success, output) = run(false)?;
    Ok(CargoOutcome { success, offline: false, output })
}

/// Cargo's own words when `--offline` kept it from getting a dependency (a failure of the code
/// itself says none of this).
fn needs_network(output: &str) -> bool {
    ["--offline was specified", "offline mode", "--offline flag"].iter().any(|m| output.contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        text.parse().expect("valid TOML")
    }

    #[test]
    fn member_features_add_to_the_workspace_ones() {
        let ws = table("tokio = { version = \"1\", features = [\"rt\"] }");
        let member = table("tokio = { workspace = true, features = [\"full\", \"rt\"], optional = true }");
        let spec = resolve_dependency("tokio", member["tokio"].clone(), &ws, Path::new("/w")).unwrap();
        assert_eq!(spec, table("version = \"1\"\nfeatures = [\"rt\", \"full\"]\noptional = true"));
        // `tokio.workspace = true`, the dotted form, parses to the same inherited table.
        let dotted = table("tokio.workspace = true");
        let spec = resolve_dependency("tokio", dotted["tokio"].clone(), &ws, Path::new("/w")).unwrap();
        assert_eq!(spec, table("version = \"1\"\nfeatures = [\"rt\"]"));
        assert!(resolve_dependency("nope", dotted["tokio"].clone(), &ws, Path::new("/w")).is_err());
    }

    #[test]
    fn relative_paths_are_made_absolute_from_where_they_were_written() {
        let ws = table("genauth-codegen = { path = \"codegen\" }");
        let inherited = table("x = { workspace = true }")["x"].clone();
        let spec = resolve_dependency("genauth-codegen", inherited, &ws, Path::new("/w")).unwrap();
        assert_eq!(spec["path"].as_str(), Some("/w/codegen"));
        let own = table("x = { path = \"../helper\" }")["x"].clone();
        let spec = resolve_dependency("x", own, &ws, Path::new("/w")).unwrap();
        assert_eq!(spec["path"].as_str(), Some("/w/sdk/../helper"));
    }

    #[test]
    fn the_workspace_sdk_manifest_resolves_completely() {
        let manifest = standalone_manifest(&workspace_root(), None).unwrap();
        let copy = table(&manifest);
        assert!(!manifest.contains("workspace = true"), "{manifest}");
        assert_eq!(copy["workspace"].as_table().map(Table::len), Some(0), "{manifest}");
        assert_eq!(copy["package"]["name"].as_str(), Some("genauth"));
        assert_eq!(copy["package"]["edition"].as_str(), Some("2024"), "inherited from [workspace.package]");
        // Every dependency the sdk names is in the copy, with a version or a path.
        let sdk = read_manifest(&workspace_root().join("sdk/Cargo.toml")).unwrap();
        for section in ["dependencies", "dev-dependencies"] {
            let names = |t: &Table| table_at(t, section).keys().cloned().collect::<Vec<_>>();
            assert_eq!(names(&sdk), names(&copy), "[{section}]");
            for (name, spec) in table_at(&copy, section) {
                assert!(spec.get("version").or(spec.get("path")).is_some(), "{name}: {spec}");
            }
        }
    }
}
