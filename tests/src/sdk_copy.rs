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
//! The manifests are read with a small parser for the subset of TOML Cargo manifests use here
//! (`key = value` lines, strings, booleans, integers, arrays, inline tables, sections); anything
//! else is reported as an error, never guessed at.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use genauth_codegen::GeneratedFile;

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

/// Writes a complete, standalone copy of the workspace's sdk crate into `dest`:
/// `sdk/src/` (everything but `generated/`), the generated files, a [`standalone_manifest`]
/// as `Cargo.toml`, and the workspace's `Cargo.lock`.
///
/// With `generated` = `None` the workspace's own `sdk/src/generated/` is copied; otherwise the
/// files of `generated` whose path starts with `sdk/` are written (paths relative to the
/// workspace, as `genauth_codegen::generate` returns them) and the others (the Markdown docs) are
/// skipped.
pub fn write_sdk_copy(workspace: &Path, dest: &Path, generated: Option<&[GeneratedFile]>) -> io::Result<()> {
    let sdk = workspace.join("sdk");
    copy_dir(&sdk.join("src"), &dest.join("src"), &|rel| rel != Path::new("generated"))?;
    match generated {
        None => copy_dir(&sdk.join("src/generated"), &dest.join("src/generated"), &|_| true)?,
        Some(files) => {
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
    let manifest = standalone_manifest(workspace).map_err(io::Error::other)?;
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
/// `[workspace]` table so the copy is a workspace of its own wherever it lies.
pub fn standalone_manifest(workspace: &Path) -> Result<String, String> {
    let read = |p: PathBuf| fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()));
    let root = parse_toml(&read(workspace.join("Cargo.toml"))?).map_err(|e| format!("Cargo.toml: {e}"))?;
    let sdk = parse_toml(&read(workspace.join("sdk/Cargo.toml"))?).map_err(|e| format!("sdk/Cargo.toml: {e}"))?;
    let ws_package = section(&root, "workspace.package");
    let ws_deps = section(&root, "workspace.dependencies");

    let mut out = String::from("# Generated by genauth-tests (sdk_copy): a standalone copy of sdk/.\n");
    let mut done_lints = false;
    for (name, entries) in &sdk {
        match name.as_str() {
            "package" => {
                out.push_str("\n[package]\n");
                for (key, value) in entries {
                    let (key, value) = match key.strip_suffix(".workspace") {
                        Some(k) if *value == Toml::Bool(true) => {
                            let v = lookup(ws_package, k).ok_or(format!("[workspace.package] has no {k}"))?;
                            (k, v.clone())
                        }
                        _ => (key.as_str(), value.clone()),
                    };
                    writeln!(out, "{} = {}", key_text(key), value.to_text()).unwrap();
                }
                // The copy is never published; `publish = false` also silences metadata lints.
                if lookup(entries, "publish").is_none() {
                    out.push_str("publish = false\n");
                }
            }
            "dependencies" | "dev-dependencies" | "build-dependencies" => {
                writeln!(out, "\n[{name}]").unwrap();
                for (key, value) in entries {
                    let (dep, spec) = resolve_dependency(key, value, ws_deps, workspace)?;
                    writeln!(out, "{} = {}", key_text(&dep), spec.to_text()).unwrap();
                }
            }
            "lints" if lookup(entries, "workspace") == Some(&Toml::Bool(true)) => {
                for (ws_name, ws_entries) in &root {
                    if let Some(tool) = ws_name.strip_prefix("workspace.lints.") {
                        writeln!(out, "\n[lints.{tool}]").unwrap();
                        write_entries(&mut out, ws_entries);
                    }
                }
                done_lints = true;
            }
            "features" | "badges" | "package.metadata" => {
                writeln!(out, "\n[{name}]").unwrap();
                write_entries(&mut out, entries);
            }
            other if other.starts_with("lints.") && !done_lints => {
                writeln!(out, "\n[{other}]").unwrap();
                write_entries(&mut out, entries);
            }
            // Preamble entries before any section header: none in a Cargo manifest.
            "" if entries.is_empty() => {}
            other => {
                return Err(format!("sdk/Cargo.toml: section [{other}] is not supported by sdk_copy"));
            }
        }
    }
    out.push_str("\n# Not part of the genauth-rs workspace.\n[workspace]\n");
    Ok(out)
}

fn write_entries(out: &mut String, entries: &[(String, Toml)]) {
    for (key, value) in entries {
        writeln!(out, "{} = {}", key_text(key), value.to_text()).unwrap();
    }
}

/// One sdk dependency entry made standalone: `(name, spec)`.
fn resolve_dependency(
    key: &str,
    value: &Toml,
    ws_deps: &[(String, Toml)],
    workspace: &Path,
) -> Result<(String, Toml), String> {
    // `name.workspace = true` is `name = { workspace = true }`.
    let (name, value) = match key.strip_suffix(".workspace") {
        Some(name) => (name, Toml::Table(vec![("workspace".into(), value.clone())])),
        None => (key, value.clone()),
    };
    let inherited = matches!(&value, Toml::Table(e) if lookup(e, "workspace") == Some(&Toml::Bool(true)));
    let mut spec = match value {
        Toml::Table(entries) if inherited => {
            let inherited = lookup(ws_deps, name).ok_or(format!("[workspace.dependencies] has no {name}"))?;
            let mut spec = match inherited {
                Toml::Str(version) => vec![("version".to_owned(), Toml::Str(version.clone()))],
                Toml::Table(entries) => entries.clone(),
                other => return Err(format!("workspace dependency {name} = {other:?}")),
            };
            for (k, v) in entries.into_iter().filter(|(k, _)| k != "workspace") {
                match (k.as_str(), v) {
                    // Cargo adds a member's features to the workspace's; it does not replace them.
                    ("features", Toml::Array(extra)) => {
                        let features = spec.iter_mut().find(|(k, _)| k == "features");
                        match features {
                            Some((_, Toml::Array(list))) => {
                                for feature in extra {
                                    if !list.contains(&feature) {
                                        list.push(feature);
                                    }
                                }
                            }
                            _ => spec.push(("features".into(), Toml::Array(extra))),
                        }
                    }
                    (_, v) => {
                        spec.retain(|(key, _)| *key != k);
                        spec.push((k, v));
                    }
                }
            }
            spec
        }
        Toml::Table(entries) => entries,
        Toml::Str(version) => vec![("version".into(), Toml::Str(version))],
        other => return Err(format!("dependency {name} = {other:?}")),
    };
    // A path dependency, relative to the workspace root in [workspace.dependencies] (or to sdk/
    // in the sdk's own table), must still point at the same crate from the copy.
    if let Some((_, Toml::Str(path))) = spec.iter_mut().find(|(k, _)| k == "path") {
        if Path::new(path.as_str()).is_relative() {
            let base = if inherited { workspace.to_path_buf() } else { workspace.join("sdk") };
            *path = base.join(&*path).display().to_string();
        }
    }
    Ok((name.to_owned(), Toml::Table(spec)))
}

fn section<'a>(doc: &'a Manifest, name: &str) -> &'a [(String, Toml)] {
    doc.iter().find(|(n, _)| n == name).map(|(_, e)| e.as_slice()).unwrap_or(&[])
}

fn lookup<'a>(entries: &'a [(String, Toml)], key: &str) -> Option<&'a Toml> {
    entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// A key as TOML text: bare when it can be, quoted otherwise.
fn key_text(key: &str) -> String {
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        key.to_owned()
    } else {
        Toml::Str(key.to_owned()).to_text()
    }
}

/// A parsed manifest: its sections in order (`""` for the entries before the first header), each
/// with its `(key, value)` entries in order.
pub type Manifest = Vec<(String, Vec<(String, Toml)>)>;

/// The TOML values Cargo manifests here use.
#[derive(Debug, Clone, PartialEq)]
pub enum Toml {
    /// A basic or literal string.
    Str(String),
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// `[a, b]`.
    Array(Vec<Toml>),
    /// `{ k = v, ... }`, in order.
    Table(Vec<(String, Toml)>),
}

impl Toml {
    /// The value as TOML text (inline form).
    pub fn to_text(&self) -> String {
        match self {
            Toml::Str(s) => {
                let mut out = String::from("\"");
                for c in s.chars() {
                    match c {
                        '"' => out.push_str("\\\""),
                        '\\' => out.push_str("\\\\"),
                        '\n' => out.push_str("\\n"),
                        '\t' => out.push_str("\\t"),
                        c if c.is_control() => write!(out, "\\u{:04X}", c as u32).unwrap(),
                        c => out.push(c),
                    }
                }
                out.push('"');
                out
            }
            Toml::Bool(b) => b.to_string(),
            Toml::Int(i) => i.to_string(),
            Toml::Array(items) => {
                format!("[{}]", items.iter().map(Toml::to_text).collect::<Vec<_>>().join(", "))
            }
            Toml::Table(entries) => {
                let inner: Vec<String> =
                    entries.iter().map(|(k, v)| format!("{} = {}", key_text(k), v.to_text())).collect();
                format!("{{ {} }}", inner.join(", "))
            }
        }
    }
}

/// Parses a manifest; dotted keys stay joined (`edition.workspace`).
pub fn parse_toml(text: &str) -> Result<Manifest, String> {
    let mut sections = vec![(String::new(), Vec::new())];
    let mut pending = String::new();
    for (n, line) in text.lines().enumerate() {
        let line = strip_comment(line);
        if pending.is_empty() && line.trim().is_empty() {
            continue;
        }
        if pending.is_empty() && line.trim_start().starts_with('[') && !line.contains('=') {
            let header = line.trim();
            if header.starts_with("[[") {
                return Err(format!("line {}: arrays of tables are not supported", n + 1));
            }
            let name = header.trim_start_matches('[').trim_end_matches(']').trim();
            sections.push((name.split('.').map(str::trim).collect::<Vec<_>>().join("."), Vec::new()));
            continue;
        }
        // A value may continue over several lines (a multi-line array): gather until balanced.
        pending.push_str(line);
        pending.push('\n');
        if !balanced(&pending) {
            continue;
        }
        let entry = std::mem::take(&mut pending);
        let (key, value) = entry.split_once('=').ok_or(format!("line {}: expected key = value", n + 1))?;
        let key = key.split('.').map(|k| k.trim().trim_matches('"')).collect::<Vec<_>>().join(".");
        let mut parser = Parser { chars: value.trim().chars().collect(), at: 0 };
        let value = parser.value().map_err(|e| format!("line {}: {e}", n + 1))?;
        parser.skip_ws();
        if parser.at != parser.chars.len() {
            return Err(format!("line {}: trailing text after the value of {key}", n + 1));
        }
        sections.last_mut().expect("at least the preamble").1.push((key, value));
    }
    if !pending.is_empty() {
        return Err("unterminated value at end of file".into());
    }
    Ok(sections)
}

/// The line without a `#` comment (a `#` inside a string is kept).
fn strip_comment(line: &str) -> &str {
    let mut quote = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (Some('"'), '\\') if !escaped => {
                escaped = true;
                continue;
            }
            (Some(q), c) if c == q && !escaped => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') => return &line[..i],
            _ => {}
        }
        escaped = false;
    }
    line
}

/// Brackets and braces outside strings are balanced.
fn balanced(text: &str) -> bool {
    let mut depth = 0i32;
    let mut quote = None;
    let mut escaped = false;
    for c in text.chars() {
        match (quote, c) {
            (Some('"'), '\\') if !escaped => {
                escaped = true;
                continue;
            }
            (Some(q), c) if c == q && !escaped => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => depth -= 1,
            _ => {}
        }
        escaped = false;
    }
    depth <= 0
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.at += 1;
            Ok(())
        } else {
            Err(format!("expected {c:?} at column {}", self.at + 1))
        }
    }

    fn value(&mut self) -> Result<Toml, String> {
        self.skip_ws();
        match self.peek() {
            Some('"') => self.basic_string().map(Toml::Str),
            Some('\'') => self.literal_string().map(Toml::Str),
            Some('[') => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_ws();
                    if self.peek() == Some(']') {
                        self.at += 1;
                        return Ok(Toml::Array(items));
                    }
                    items.push(self.value()?);
                    self.skip_ws();
                    match self.peek() {
                        Some(',') => self.at += 1,
                        Some(']') => {}
                        _ => return Err(format!("expected , or ] at column {}", self.at + 1)),
                    }
                }
            }
            Some('{') => {
                self.at += 1;
                let mut entries = Vec::new();
                loop {
                    self.skip_ws();
                    if self.peek() == Some('}') {
                        self.at += 1;
                        return Ok(Toml::Table(entries));
                    }
                    let key = self.key()?;
                    self.expect('=')?;
                    entries.push((key, self.value()?));
                    self.skip_ws();
                    match self.peek() {
                        Some(',') => self.at += 1,
                        Some('}') => {}
                        _ => return Err(format!("expected , or }} at column {}", self.at + 1)),
                    }
                }
            }
            Some(_) => {
                let start = self.at;
                while self.peek().is_some_and(|c| !matches!(c, ',' | ']' | '}') && !c.is_whitespace()) {
                    self.at += 1;
                }
                let word: String = self.chars[start..self.at].iter().collect();
                match word.as_str() {
                    "true" => Ok(Toml::Bool(true)),
                    "false" => Ok(Toml::Bool(false)),
                    w => w.replace('_', "").parse().map(Toml::Int).map_err(|_| format!("unsupported value {w:?}")),
                }
            }
            None => Err("missing value".into()),
        }
    }

    fn key(&mut self) -> Result<String, String> {
        self.skip_ws();
        let mut parts = Vec::new();
        loop {
            self.skip_ws();
            let part = match self.peek() {
                Some('"') => self.basic_string()?,
                Some('\'') => self.literal_string()?,
                _ => {
                    let start = self.at;
                    while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                        self.at += 1;
                    }
                    if start == self.at {
                        return Err(format!("expected a key at column {}", self.at + 1));
                    }
                    self.chars[start..self.at].iter().collect()
                }
            };
            parts.push(part);
            self.skip_ws();
            if self.peek() != Some('.') {
                return Ok(parts.join("."));
            }
            self.at += 1;
        }
    }

    fn basic_string(&mut self) -> Result<String, String> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let c = self.peek().ok_or("unterminated string")?;
            self.at += 1;
            match c {
                '"' => return Ok(out),
                '\\' => {
                    let e = self.peek().ok_or("unterminated escape")?;
                    self.at += 1;
                    out.push(match e {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        '"' => '"',
                        '\\' => '\\',
                        other => return Err(format!("unsupported escape \\{other}")),
                    });
                }
                c => out.push(c),
            }
        }
    }

    fn literal_string(&mut self) -> Result<String, String> {
        self.at += 1;
        let start = self.at;
        while self.peek().is_some_and(|c| c != '\'') {
            self.at += 1;
        }
        if self.peek().is_none() {
            return Err("unterminated string".into());
        }
        self.at += 1;
        Ok(self.chars[start..self.at - 1].iter().collect())
    }
}

/// What [`clippy`] saw.
#[derive(Debug, Clone)]
pub struct ClippyOutcome {
    /// Clippy exited successfully (no warnings, as warnings are denied).
    pub success: bool,
    /// Whether the reported run was the `--offline` one (every dependency it needed was already
    /// in the registry cache).
    pub offline: bool,
    /// Its stdout and stderr.
    pub output: String,
}

/// Runs `cargo clippy --all-targets -- -D warnings` in the crate at `dir`, building in
/// `target_dir`: first `--offline`, and again online only if the offline run failed for want of
/// something not in the registry cache. (Asking `cargo fetch --offline` beforehand does not work:
/// it wants the dependencies of every platform, while a build needs only this one's.)
pub fn clippy(dir: &Path, target_dir: &Path) -> io::Result<ClippyOutcome> {
    let run = |offline: bool| -> io::Result<(bool, String)> {
        let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cmd.current_dir(dir).env("CARGO_TARGET_DIR", target_dir);
        // The test runs under the workspace's cargo, whose settings must not leak into the copy.
        cmd.env_remove("CARGO_BUILD_TARGET_DIR").env_remove("RUSTFLAGS").env_remove("CARGO_ENCODED_RUSTFLAGS");
        cmd.arg("clippy");
        if offline {
            cmd.arg("--offline");
        }
        let out = cmd.args(["--all-targets", "--quiet", "--", "-D", "warnings"]).output()?;
        let mut output = String::from_utf8_lossy(&out.stdout).into_owned();
        output.push_str(&String::from_utf8_lossy(&out.stderr));
        Ok((out.status.success(), output))
    };
    let (success, output) = run(true)?;
    if success || !needs_network(&output) {
        return Ok(ClippyOutcome { success, offline: true, output });
    }
    let (success, output) = run(false)?;
    Ok(ClippyOutcome { success, offline: false, output })
}

/// Cargo's own words when `--offline` kept it from getting a dependency (a failure of the code
/// itself says none of this).
fn needs_network(output: &str) -> bool {
    ["--offline was specified", "offline mode", "--offline flag"].iter().any(|m| output.contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_manifest_forms() {
        let doc = parse_toml(
            "[package]\nname = \"x\" # comment\nedition.workspace = true\n\n[dependencies]\n\
             a = \"1\"\nb = { workspace = true, features = [\"full\", \"x#y\"] }\nc = [\n  \"p\",\n  \"q\",\n]\n",
        )
        .unwrap();
        assert_eq!(section(&doc, "package")[1], ("edition.workspace".into(), Toml::Bool(true)));
        let deps = section(&doc, "dependencies");
        assert_eq!(
            deps[1].1,
            Toml::Table(vec![
                ("workspace".into(), Toml::Bool(true)),
                ("features".into(), Toml::Array(vec![Toml::Str("full".into()), Toml::Str("x#y".into())])),
            ])
        );
        assert_eq!(deps[2].1, Toml::Array(vec![Toml::Str("p".into()), Toml::Str("q".into())]));
        assert!(parse_toml("[dependencies]\na = nonsense\n").is_err());
    }

    #[test]
    fn member_features_add_to_the_workspace_ones() {
        let ws = vec![(
            "tokio".to_owned(),
            Toml::Table(vec![
                ("version".into(), Toml::Str("1".into())),
                ("features".into(), Toml::Array(vec![Toml::Str("rt".into())])),
            ]),
        )];
        let member = Toml::Table(vec![
            ("workspace".into(), Toml::Bool(true)),
            ("features".into(), Toml::Array(vec![Toml::Str("full".into()), Toml::Str("rt".into())])),
        ]);
        let (name, spec) = resolve_dependency("tokio", &member, &ws, Path::new("/w")).unwrap();
        assert_eq!(name, "tokio");
        assert_eq!(spec.to_text(), "{ version = \"1\", features = [\"rt\", \"full\"] }");
        let (_, spec) = resolve_dependency("tokio.workspace", &Toml::Bool(true), &ws, Path::new("/w")).unwrap();
        assert_eq!(spec.to_text(), "{ version = \"1\", features = [\"rt\"] }");
    }

    #[test]
    fn the_workspace_sdk_manifest_resolves_completely() {
        let manifest = standalone_manifest(&workspace_root()).unwrap();
        assert!(!manifest.contains("workspace = true"), "{manifest}");
        assert!(!manifest.contains(".workspace"), "{manifest}");
        assert!(manifest.trim_end().ends_with("[workspace]"), "{manifest}");
        // Every dependency the sdk names is in the copy, with the workspace's version.
        let sdk = parse_toml(&fs::read_to_string(workspace_root().join("sdk/Cargo.toml")).unwrap()).unwrap();
        let copy = parse_toml(&manifest).unwrap();
        for table in ["dependencies", "dev-dependencies"] {
            let names = |entries: &[(String, Toml)]| -> Vec<String> {
                entries.iter().map(|(k, _)| k.trim_end_matches(".workspace").to_owned()).collect()
            };
            assert_eq!(names(section(&sdk, table)), names(section(&copy, table)), "[{table}]");
        }
    }
}
