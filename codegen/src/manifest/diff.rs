//! What a regeneration changes in the sdk's API, and whether users' code still compiles after it.
//!
//! The generator writes the API surface as a line-oriented manifest
//! (`sdk/src/generated/api-manifest.txt`, format in the [parent module](super)). This
//! module reads two of them (the checked-in one and the one just generated) and lists every
//! operation and type added, removed or changed, each change classified **breaking** (code that
//! compiled against the old sdk may not compile against the new one) or **compatible**.
//!
//! The rules follow the shape of the generated API: an operation's required inputs are positional
//! method arguments and its optional ones builder setters; a struct is built with `new` (its
//! required fields, in order) and `with_*` setters, and read through its `pub` fields (`Option`
//! when optional or nullable); structs and enums are `#[non_exhaustive]`. A type's direction says
//! how users touch it: `in` types are built, `out` types are read, `inout` both.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fmt::Write as _;

use super::PATH;
use super::read::{Kind, Manifest, Member, Operation, Type};

/// How many lines of one kind (breaking, compatible) the report prints before "... and N more"
/// (the alternate form, `{:#}`, prints them all).
pub const MAX_LINES: usize = 40;

/// Added, removed and changed entries of one kind.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Only in the new manifest.
    pub added: usize,
    /// Only in the old manifest.
    pub removed: usize,
    /// In both, with at least one change.
    pub changed: usize,
}

/// Everything that differs between two manifests, as report lines (`+` added, `-` removed,
/// `~` changed), in name order, operations first.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Operation counts.
    pub operations: Counts,
    /// Type counts.
    pub types: Counts,
    /// Cargo feature counts (`changed` stays 0: a feature is only added or removed).
    pub features: Counts,
    /// Changes that can stop users' code from compiling.
    pub breaking: Vec<String>,
    /// Changes users' code does not notice (or only as a new possibility or a warning).
    pub compatible: Vec<String>,
}

impl Changes {
    /// True when the two manifests describe the same API.
    pub fn is_empty(&self) -> bool {
        self.breaking.is_empty() && self.compatible.is_empty()
    }

    /// A changelog entry (Markdown) listing every change, breaking first, for the maintainer to
    /// edit into `CHANGELOG.md`; `None` when nothing changed.
    pub fn changelog_entry(&self, spec_path: &str) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        let mut out = format!(
            "### API changes (regenerated from `{spec_path}`)\n\n\
             Written by `cargo xtask codegen`: `+` added, `-` removed, `~` changed.\n"
        );
        for (heading, lines) in [("Breaking", &self.breaking), ("Compatible", &self.compatible)] {
            if !lines.is_empty() {
                let _ = write!(out, "\n#### {heading}\n\n");
                for line in lines {
                    let _ = writeln!(out, "- {line}");
                }
            }
        }
        Some(out)
    }
}

/// The lines of one operation or type.
struct Entry<'a> {
    label: String,
    changes: &'a mut Changes,
    changed: bool,
}

impl Entry<'_> {
    fn breaking(&mut self, what: impl fmt::Display) {
        self.changes.breaking.push(format!("~ {}: {what}", self.label));
        self.changed = true;
    }

    fn compatible(&mut self, what: impl fmt::Display) {
        self.changes.compatible.push(format!("~ {}: {what}", self.label));
        self.changed = true;
    }

    fn either(&mut self, breaking: bool, what: impl fmt::Display) {
        if breaking { self.breaking(what) } else { self.compatible(what) }
    }

    fn deprecation(&mut self, what: &str, old: bool, new: bool) {
        if old != new {
            self.compatible(format!("{what}{}", if new { "deprecated" } else { "no longer deprecated" }));
        }
    }
}

/// Lists what changed from `old` to `new`.
pub fn diff(old: &Manifest, new: &Manifest) -> Changes {
    let mut changes = Changes::default();
    changes.operations = diff_entries(
        &mut changes,
        "operation",
        (&old.operations, &new.operations),
        |name, _| format!("+ operation {name}"),
        diff_operation,
    );
    diff_features(&mut changes, old, new);
    changes.types = diff_entries(
        &mut changes,
        "type",
        (&old.types, &new.types),
        |name, t| format!("+ type {name} ({} {})", t.kind.as_str(), t.direction.as_str()),
        diff_type,
    );
    changes
}

/// The entries of one kind (`operation`, `type`) in name order: a removed one is breaking, an
/// added one compatible (worded by `added`), one in both is compared by `compare`.
fn diff_entries<T>(
    changes: &mut Changes,
    kind: &str,
    (old, new): (&BTreeMap<String, T>, &BTreeMap<String, T>),
    added: impl Fn(&str, &T) -> String,
    compare: impl Fn(&mut Entry<'_>, &T, &T),
) -> Counts {
    let mut counts = Counts::default();
    for name in union(old.keys(), new.keys()) {
        match (old.get(name), new.get(name)) {
            (Some(_), None) => {
                counts.removed += 1;
                changes.breaking.push(format!("- {kind} {name} removed"));
            }
            (None, Some(entry)) => {
                counts.added += 1;
                changes.compatible.push(added(name, entry));
            }
            (Some(a), Some(b)) => {
                let mut entry = Entry { label: format!("{kind} {name}"), changes, changed: false };
                compare(&mut entry, a, b);
                counts.changed += usize::from(entry.changed);
            }
            (None, None) => {}
        }
    }
    counts
}

/// Features removed (every crate that enables one stops building) and added. A manifest written
/// before features were names none: nothing is compared then.
fn diff_features(changes: &mut Changes, old: &Manifest, new: &Manifest) {
    let (old, new) = (old.features(), new.features());
    if old.is_empty() {
        return;
    }
    for removed in old.difference(&new) {
        changes.features.removed += 1;
        changes.breaking.push(format!("- feature `{removed}` removed (a crate that enables it no longer builds)"));
    }
    for added in new.difference(&old) {
        changes.features.added += 1;
        changes.compatible.push(format!("+ feature `{added}`"));
    }
}

fn union<'a>(a: impl Iterator<Item = &'a String>, b: impl Iterator<Item = &'a String>) -> BTreeSet<&'a String> {
    a.chain(b).collect()
}

fn diff_operation(e: &mut Entry<'_>, old: &Operation, new: &Operation) {
    // The method name stays; only what goes on the wire moves.
    if old.method != new.method {
        e.compatible(format!("method {} -> {}", old.method, new.method));
    }
    if old.path != new.path {
        e.compatible(format!("path {} -> {}", old.path, new.path));
    }
    if old.response != new.response {
        e.breaking(format!("response {} -> {}", old.response, new.response));
    }
    e.deprecation("", old.deprecated, new.deprecated);
    match (&old.paginator, &new.paginator) {
        (None, Some(item)) => e.compatible(format!("paginator added (items: {item})")),
        (Some(item), None) => e.breaking(format!("paginator removed (items: {item})")),
        (Some(a), Some(b)) if a != b => e.breaking(format!("paginator items retyped {a} -> {b}")),
        _ => {}
    }
    if let (Some(a), Some(b)) = (&old.feature, &new.feature)
        && a != b
    {
        e.breaking(format!("moved from feature `{a}` to `{b}` (a crate that enables `{a}` but not `{b}` loses it)"));
    }

    let old_inputs: BTreeMap<&str, &Member> = old.inputs.iter().map(|m| (m.name.as_str(), m)).collect();
    let new_inputs: BTreeMap<&str, &Member> = new.inputs.iter().map(|m| (m.name.as_str(), m)).collect();
    for m in &old.inputs {
        if !new_inputs.contains_key(m.name.as_str()) {
            e.breaking(format!("input `{}` removed", m.name));
        }
    }
    for m in &new.inputs {
        let Some(was) = old_inputs.get(m.name.as_str()) else {
            // A required input is a new method argument; an optional one a new setter.
            let kind = if m.required { "required" } else { "optional" };
            e.either(m.required, format!("{kind} input `{}: {}` added", m.name, m.ty));
            continue;
        };
        let name = &m.name;
        if was.ty != m.ty {
            e.breaking(format!("input `{name}` retyped {} -> {}", was.ty, m.ty));
        }
        match (was.required, m.required) {
            (false, true) => e.breaking(format!("input `{name}` optional -> required (now a method argument)")),
            (true, false) => e.breaking(format!("input `{name}` required -> optional (now a setter, not an argument)")),
            // A required nullable input's argument is an `Option`.
            (true, true) if was.nullable != m.nullable => {
                let now = if m.nullable { "takes an Option (nullable)" } else { "no longer takes an Option" };
                e.breaking(format!("required input `{name}` {now}"));
            }
            _ => {}
        }
        e.deprecation(&format!("input `{name}` "), was.deprecated, m.deprecated);
    }
    if let Some((a, b)) = reordered(&old.inputs, &new.inputs) {
        e.breaking(format!("method arguments reordered ({a}) -> ({b})"));
    }
}

/// The required members both lists share, in each list's order, when the orders differ (the
/// arguments of a method or `new()` then move).
fn reordered(old: &[Member], new: &[Member]) -> Option<(String, String)> {
    let required =
        |list: &[Member]| -> BTreeSet<String> { list.iter().filter(|m| m.required).map(|m| m.name.clone()).collect() };
    let both: BTreeSet<String> = required(old).intersection(&required(new)).cloned().collect();
    let order = |list: &[Member]| -> String {
        list.iter().filter(|m| both.contains(&m.name)).map(|m| m.name.as_str()).collect::<Vec<_>>().join(", ")
    };
    let (a, b) = (order(old), order(new));
    (a != b).then_some((a, b))
}

fn diff_type(e: &mut Entry<'_>, old: &Type, new: &Type) {
    if old.kind != new.kind {
        let what = format!("kind {} -> {}", old.kind.as_str(), new.kind.as_str());
        match (old.kind, new.kind) {
            // Its fields are read the same way either way (and compared below); what changes is
            // whether it is a type of its own.
            (Kind::Struct, Kind::Envelope) => e.breaking(format!(
                "{what}: now an alias of `genauth::Envelope<T>`, the same type as every response with the same \
                 `data` (an impl of your own trait for two of them conflicts)"
            )),
            (Kind::Envelope, Kind::Struct) => e.breaking(format!(
                "{what}: a struct of its own, no longer `genauth::Envelope<T>` (code written for `Envelope<T>` \
                 no longer takes it)"
            )),
            _ => {
                e.breaking(what);
                return;
            }
        }
    }
    if old.direction != new.direction {
        let what = format!("direction {} -> {}", old.direction.as_str(), new.direction.as_str());
        // A type users built and now only receive loses `new()` and its setters.
        if old.direction.input && !new.direction.input {
            e.breaking(format!("{what}: users no longer build it (`new()` and the setters are gone)"));
        } else {
            e.compatible(what);
        }
    }
    if let (Some(a), Some(b)) = (&old.features, &new.features) {
        let list = |set: &BTreeSet<String>| set.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ");
        let lost: BTreeSet<String> = a.difference(b).cloned().collect();
        let gained: BTreeSet<String> = b.difference(a).cloned().collect();
        if !lost.is_empty() {
            e.breaking(format!("no longer compiled with feature {} (only with {})", list(&lost), list(b)));
        }
        if !gained.is_empty() {
            e.compatible(format!("also compiled with feature {}", list(&gained)));
        }
    }
    let (old_serde, new_serde) = (old.serde_traits(), new.serde_traits());
    for lost in old_serde.difference(&new_serde) {
        e.breaking(format!("no longer implements `serde::{lost}` (the `full-serde` feature adds it back)"));
    }
    for gained in new_serde.difference(&old_serde) {
        e.compatible(format!("implements `serde::{gained}`"));
    }
    e.deprecation("", old.deprecated, new.deprecated);
    // Judged by every way users may have used the type, before or after.
    let built = old.direction.input || new.direction.input;
    let read = old.direction.output || new.direction.output;
    match new.kind {
        Kind::Struct | Kind::Envelope => diff_fields(e, old, new, built, read),
        Kind::Enum => {
            let new_values: BTreeMap<&str, &str> = new.values.iter().map(|(w, v)| (w.as_str(), v.as_str())).collect();
            let old_values: BTreeMap<&str, &str> = old.values.iter().map(|(w, v)| (w.as_str(), v.as_str())).collect();
            for (wire, variant) in &old.values {
                match new_values.get(wire.as_str()) {
                    None => e.breaking(format!("value `{wire}` removed (variant `{variant}` gone)")),
                    Some(now) if now != variant => {
                        e.breaking(format!("value `{wire}` variant `{variant}` -> `{now}`"));
                    }
                    Some(_) => {}
                }
            }
            for (wire, variant) in &new.values {
                if !old_values.contains_key(wire.as_str()) {
                    e.compatible(format!("value `{wire}` added (variant `{variant}`)"));
                }
            }
        }
        Kind::OneOf => {
            let find = |list: &'_ [(String, String, bool)], name: &str| list.iter().find(|v| v.0 == name).cloned();
            for (name, ty, boxed) in &old.variants {
                match find(&new.variants, name) {
                    None => e.breaking(format!("variant `{name}` removed")),
                    Some((_, now, now_boxed)) => {
                        if *ty != now {
                            e.breaking(format!("variant `{name}` retyped {ty} -> {now}"));
                        } else if *boxed != now_boxed {
                            let what = if now_boxed { "now boxed" } else { "no longer boxed" };
                            e.breaking(format!("variant `{name}` {what}"));
                        }
                    }
                }
            }
            for (name, ty, _) in &new.variants {
                if find(&old.variants, name).is_none() {
                    e.compatible(format!("variant `{name}: {ty}` added"));
                }
            }
        }
    }
    if old.other != new.other {
        let show = |o: &Option<String>| o.clone().unwrap_or_else(|| "none".to_owned());
        e.breaking(format!("catch-all variant `{}` -> `{}`", show(&old.other), show(&new.other)));
    }
}

/// A struct's fields: `built` when users call its `new()` and setters, `read` when they read its
/// `pub` fields (whose type is `Option<T>` when the field is optional or nullable).
fn diff_fields(e: &mut Entry<'_>, old: &Type, new: &Type, built: bool, read: bool) {
    let old_fields: BTreeMap<&str, &Member> = old.fields.iter().map(|m| (m.name.as_str(), m)).collect();
    let new_fields: BTreeMap<&str, &Member> = new.fields.iter().map(|m| (m.name.as_str(), m)).collect();
    for m in &old.fields {
        if !new_fields.contains_key(m.name.as_str()) {
            e.breaking(format!("field `{}` removed", m.name));
        }
    }
    for m in &new.fields {
        let name = &m.name;
        let Some(was) = old_fields.get(name.as_str()) else {
            if m.required {
                // `new()` takes a required field; readers only gain one.
                let why = if built { " (`new()` takes it)" } else { "" };
                e.either(built, format!("required field `{name}: {}` added{why}", m.ty));
            } else {
                e.compatible(format!("optional field `{name}: {}` added", m.ty));
            }
            continue;
        };
        if was.ty != m.ty {
            e.breaking(format!("field `{name}` retyped {} -> {}", was.ty, m.ty));
        }
        // Either way `new()` changes its arguments and the field's type gains or loses `Option`.
        match (was.required, m.required) {
            (true, false) => e.breaking(format!("field `{name}` required -> optional")),
            (false, true) => e.breaking(format!("field `{name}` optional -> required")),
            _ => {}
        }
        if was.nullable != m.nullable {
            // A required field's type (and `new()` argument) is an `Option` exactly when nullable;
            // an optional one is an `Option` anyway.
            let what = if m.nullable { "nullable" } else { "no longer nullable" };
            e.either(was.required && m.required, format!("field `{name}` {what}"));
        }
        if was.boxed != m.boxed {
            // `new()` and the setters take the value unboxed; only the field's own type changes.
            let what = if m.boxed { "now boxed" } else { "no longer boxed" };
            e.either(read, format!("field `{name}` {what}"));
        }
        e.deprecation(&format!("field `{name}` "), was.deprecated, m.deprecated);
    }
    if built && let Some((a, b)) = reordered(&old.fields, &new.fields) {
        e.breaking(format!("`new()` arguments reordered ({a}) -> ({b})"));
    }
}

/// What the xtask reports about the API surface: the changes since the checked-in manifest, or
/// why they could not be worked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Comparison {
    /// Both manifests were read.
    Compared {
        /// The changes.
        changes: Changes,
        /// No manifest was checked in (everything counts as added).
        no_old_manifest: bool,
    },
    /// A manifest could not be read.
    Unreadable(String),
}

impl Comparison {
    /// The changes, when both manifests were read.
    pub fn changes(&self) -> Option<&Changes> {
        match self {
            Comparison::Compared { changes, .. } => Some(changes),
            Comparison::Unreadable(_) => None,
        }
    }

    /// True when both manifests were read and describe the same API.
    pub fn is_unchanged(&self) -> bool {
        matches!(self, Comparison::Compared { changes, .. } if changes.is_empty())
    }
}

/// Compares the checked-in manifest (`None`: there is none) with the generated one.
pub fn compare(old: Option<&str>, new: &str) -> Comparison {
    let path = PATH;
    let old_manifest = match old.map(Manifest::parse).transpose() {
        Ok(manifest) => manifest,
        Err(e) => return Comparison::Unreadable(format!("the checked-in {path} cannot be read ({e})")),
    };
    let new_manifest = match Manifest::parse(new) {
        Ok(manifest) => manifest,
        Err(e) => return Comparison::Unreadable(format!("the generated {path} cannot be read ({e}; a generator bug)")),
    };
    Comparison::Compared {
        changes: diff(old_manifest.as_ref().unwrap_or(&Manifest::default()), &new_manifest),
        no_old_manifest: old_manifest.is_none(),
    }
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (changes, no_old_manifest) = match self {
            Comparison::Unreadable(why) => return writeln!(f, "operations and types: not compared: {why}"),
            Comparison::Compared { changes, no_old_manifest } => (changes, *no_old_manifest),
        };
        if no_old_manifest {
            writeln!(f, "no checked-in {PATH}: every operation and type counts as added")?;
        }
        if changes.is_empty() {
            return writeln!(f, "operations and types: no change since the checked-in output");
        }
        let counts = |c: Counts| format!("+{} -{} ~{}", c.added, c.removed, c.changed);
        let features = changes.features;
        writeln!(
            f,
            "since the checked-in output: operations {}, types {}, features +{} -{}",
            counts(changes.operations),
            counts(changes.types),
            features.added,
            features.removed
        )?;
        for (kind, lines) in [("breaking", &changes.breaking), ("compatible", &changes.compatible)] {
            if lines.is_empty() {
                writeln!(f, "{kind} changes: none")?;
                continue;
            }
            writeln!(f, "{kind} changes ({}):", lines.len())?;
            // `{:#}` is the full report; the plain one is cut for a terminal.
            let shown = if f.alternate() { lines.len() } else { MAX_LINES };
            for line in lines.iter().take(shown) {
                writeln!(f, "  {line}")?;
            }
            if lines.len() > shown {
                writeln!(f, "  ... and {} more", lines.len() - shown)?;
            }
        }
        Ok(())
    }
}
