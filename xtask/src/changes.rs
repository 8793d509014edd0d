//! What a regeneration changes in the sdk's API, and whether users' code still compiles after it.
//!
//! The generator writes the API surface as a line-oriented manifest
//! (`sdk/src/generated/api-manifest.txt`, format in `genauth_codegen::emit::manifest`). This
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

/// How many lines of one kind (breaking, compatible) the report prints before "... and N more".
pub const MAX_LINES: usize = 40;

/// A parsed manifest.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// Operations by method name.
    pub operations: BTreeMap<String, Operation>,
    /// Types by name.
    pub types: BTreeMap<String, Type>,
}

/// One operation of a manifest.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Operation {
    /// HTTP method (`POST`).
    pub method: String,
    /// Path template (`/api/v3/kick-users`).
    pub path: String,
    /// What `send()` returns (`IsSuccessRespDto`).
    pub response: String,
    /// Marked `#[deprecated]`.
    pub deprecated: bool,
    /// The request builder's inputs, in order.
    pub inputs: Vec<Member>,
    /// The item type its paginator yields, when it has one (`into_paginator`).
    pub paginator: Option<String>,
}

/// An operation's input or a struct's field.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Member {
    /// Rust name.
    pub name: String,
    /// Type, as the manifest writes it (`Vec<String>`).
    pub ty: String,
    /// Required (a method or `new()` argument) rather than optional (a setter).
    pub required: bool,
    /// `null` allowed.
    pub nullable: bool,
    /// Held in a `Box` (fields of recursive types).
    pub boxed: bool,
    /// Marked `#[deprecated]`.
    pub deprecated: bool,
}

/// What kind of Rust item a type is.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A struct.
    #[default]
    Struct,
    /// An open string enum.
    Enum,
    /// A `oneOf` enum.
    OneOf,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Struct => "struct",
            Kind::Enum => "enum",
            Kind::OneOf => "oneof",
        }
    }
}

/// Whether users build a type (`input`), read it (`output`), or both.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Direction {
    /// Reached from some operation's inputs.
    pub input: bool,
    /// Reached from some operation's response.
    pub output: bool,
}

impl Direction {
    fn as_str(self) -> &'static str {
        match (self.input, self.output) {
            (true, false) => "in",
            (false, true) => "out",
            _ => "inout",
        }
    }
}

/// One type of a manifest.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Type {
    /// Struct, enum or oneOf.
    pub kind: Kind,
    /// How users touch it.
    pub direction: Direction,
    /// Marked `#[deprecated]`.
    pub deprecated: bool,
    /// A struct's fields, in order.
    pub fields: Vec<Member>,
    /// An enum's values: wire value (as the manifest writes it) and variant name.
    pub values: Vec<(String, String)>,
    /// A oneOf's variants: name, type, boxed.
    pub variants: Vec<(String, String, bool)>,
    /// The catch-all variant of an enum or oneOf.
    pub other: Option<String>,
}

impl Manifest {
    /// Parses a manifest's text; `Err` names the first line that does not fit the format.
    pub fn parse(text: &str) -> Result<Manifest, String> {
        let mut manifest = Manifest::default();
        // The entry member lines belong to.
        let mut current: Option<(bool, String)> = None;
        for (index, line) in text.lines().enumerate() {
            let at = |message: &str| format!("line {}: {message}: {line:?}", index + 1);
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(rest) = line.strip_prefix("operation ") {
                let (name, op) = parse_operation(rest).ok_or_else(|| at("not `operation NAME METHOD PATH -> TYPE`"))?;
                if manifest.operations.insert(name.clone(), op).is_some() {
                    return Err(at("operation listed twice"));
                }
                current = Some((true, name));
            } else if let Some(rest) = line.strip_prefix("type ") {
                let (name, t) = parse_type(rest).ok_or_else(|| at("not `type NAME KIND DIRECTION`"))?;
                if manifest.types.insert(name.clone(), t).is_some() {
                    return Err(at("type listed twice"));
                }
                current = Some((false, name));
            } else if let Some(rest) = line.strip_prefix("  ") {
                let (keyword, rest) = rest.split_once(' ').ok_or_else(|| at("not a member line"))?;
                match (&current, keyword) {
                    (Some((true, op)), "input") => {
                        let member = parse_member(rest).ok_or_else(|| at("not `input NAME: TYPE FLAGS`"))?;
                        manifest.operations.get_mut(op).expect("current entry exists").inputs.push(member);
                    }
                    (Some((true, op)), "paginator") => {
                        manifest.operations.get_mut(op).expect("current entry exists").paginator =
                            Some(rest.to_owned());
                    }
                    (Some((false, t)), _) => {
                        let t = manifest.types.get_mut(t).expect("current entry exists");
                        parse_type_member(t, keyword, rest).ok_or_else(|| at("not a member of this type"))?;
                    }
                    _ => return Err(at("member line outside an operation or type")),
                }
            } else {
                return Err(at("unknown line"));
            }
        }
        Ok(manifest)
    }
}

/// `NAME METHOD PATH -> RESPONSE [deprecated]`.
fn parse_operation(rest: &str) -> Option<(String, Operation)> {
    let (name, rest) = rest.split_once(' ')?;
    let (method, rest) = rest.split_once(' ')?;
    let (rest, deprecated) = match rest.strip_suffix(" deprecated") {
        Some(rest) => (rest, true),
        None => (rest, false),
    };
    let (path, response) = rest.split_once(" -> ")?;
    let op = Operation {
        method: method.to_owned(),
        path: path.to_owned(),
        response: response.to_owned(),
        deprecated,
        inputs: Vec::new(),
        paginator: None,
    };
    (!name.is_empty() && !response.is_empty()).then(|| (name.to_owned(), op))
}

/// `NAME KIND DIRECTION [deprecated]`.
fn parse_type(rest: &str) -> Option<(String, Type)> {
    let words: Vec<&str> = rest.split(' ').collect();
    let (name, kind, direction, deprecated) = match words.as_slice() {
        [name, kind, direction] => (name, kind, direction, false),
        [name, kind, direction, "deprecated"] => (name, kind, direction, true),
        _ => return None,
    };
    let kind = match *kind {
        "struct" => Kind::Struct,
        "enum" => Kind::Enum,
        "oneof" => Kind::OneOf,
        _ => return None,
    };
    let direction = match *direction {
        "in" => Direction { input: true, output: false },
        "out" => Direction { input: false, output: true },
        "inout" => Direction { input: true, output: true },
        _ => return None,
    };
    Some(((*name).to_owned(), Type { kind, direction, deprecated, ..Type::default() }))
}

/// `NAME: TYPE FLAGS`, flags being `required` or `optional`, then any of `nullable`, `boxed`,
/// `deprecated`. Types may hold spaces (`BTreeMap<String, i64>`), flags never.
fn parse_member(rest: &str) -> Option<Member> {
    let (name, rest) = rest.split_once(": ")?;
    let mut words: Vec<&str> = rest.split(' ').collect();
    let mut member = Member { name: name.to_owned(), ..Member::default() };
    let mut presence = None;
    while let Some(&word) = words.last() {
        match word {
            "required" | "optional" => presence = Some(word == "required"),
            "nullable" => member.nullable = true,
            "boxed" => member.boxed = true,
            "deprecated" => member.deprecated = true,
            _ => break,
        }
        words.pop();
    }
    member.required = presence?;
    member.ty = words.join(" ");
    (!member.name.is_empty() && !member.ty.is_empty()).then_some(member)
}

/// `field ...`, `value WIRE VARIANT`, `variant NAME: TYPE [boxed]` or `other NAME`, as `t`'s
/// kind allows.
fn parse_type_member(t: &mut Type, keyword: &str, rest: &str) -> Option<()> {
    match (t.kind, keyword) {
        (Kind::Struct, "field") => t.fields.push(parse_member(rest)?),
        (Kind::Enum, "value") => {
            // The variant is one word; the wire value before it is quoted when it holds spaces.
            let (wire, variant) = rest.rsplit_once(' ')?;
            t.values.push((wire.to_owned(), variant.to_owned()));
        }
        (Kind::OneOf, "variant") => {
            let (name, ty) = rest.split_once(": ")?;
            let (ty, boxed) = match ty.strip_suffix(" boxed") {
                Some(ty) => (ty, true),
                None => (ty, false),
            };
            t.variants.push((name.to_owned(), ty.to_owned(), boxed));
        }
        (Kind::Enum | Kind::OneOf, "other") if !rest.contains(' ') => t.other = Some(rest.to_owned()),
        _ => return None,
    }
    Some(())
}

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
    let mut counts = Counts::default();
    for name in union(old.operations.keys(), new.operations.keys()) {
        match (old.operations.get(name), new.operations.get(name)) {
            (Some(_), None) => {
                counts.removed += 1;
                changes.breaking.push(format!("- operation {name} removed"));
            }
            (None, Some(_)) => {
                counts.added += 1;
                changes.compatible.push(format!("+ operation {name}"));
            }
            (Some(a), Some(b)) => {
                let mut entry = Entry { label: format!("operation {name}"), changes: &mut changes, changed: false };
                diff_operation(&mut entry, a, b);
                counts.changed += usize::from(entry.changed);
            }
            (None, None) => {}
        }
    }
    changes.operations = counts;
    let mut counts = Counts::default();
    for name in union(old.types.keys(), new.types.keys()) {
        match (old.types.get(name), new.types.get(name)) {
            (Some(_), None) => {
                counts.removed += 1;
                changes.breaking.push(format!("- type {name} removed"));
            }
            (None, Some(t)) => {
                counts.added += 1;
                changes.compatible.push(format!("+ type {name} ({} {})", t.kind.as_str(), t.direction.as_str()));
            }
            (Some(a), Some(b)) => {
                let mut entry = Entry { label: format!("type {name}"), changes: &mut changes, changed: false };
                diff_type(&mut entry, a, b);
                counts.changed += usize::from(entry.changed);
            }
            (None, None) => {}
        }
    }
    changes.types = counts;
    changes
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
        e.breaking(format!("kind {} -> {}", old.kind.as_str(), new.kind.as_str()));
        return;
    }
    if old.direction != new.direction {
        e.compatible(format!("direction {} -> {}", old.direction.as_str(), new.direction.as_str()));
    }
    e.deprecation("", old.deprecated, new.deprecated);
    // Judged by every way users may have used the type, before or after.
    let built = old.direction.input || new.direction.input;
    let read = old.direction.output || new.direction.output;
    match new.kind {
        Kind::Struct => diff_fields(e, old, new, built, read),
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
    if built {
        if let Some((a, b)) = reordered(&old.fields, &new.fields) {
            e.breaking(format!("`new()` arguments reordered ({a}) -> ({b})"));
        }
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

/// Compares the checked-in manifest (`None`: there is none) with the generated one.
pub fn compare(old: Option<&str>, new: &str) -> Comparison {
    let path = genauth_codegen::emit::manifest::PATH;
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
            writeln!(
                f,
                "no checked-in {}: every operation and type counts as added",
                genauth_codegen::emit::manifest::PATH
            )?;
        }
        if changes.is_empty() {
            return writeln!(f, "operations and types: no change since the checked-in output");
        }
        let counts = |c: Counts| format!("+{} -{} ~{}", c.added, c.removed, c.changed);
        writeln!(
            f,
            "since the checked-in output: operations {}, types {}",
            counts(changes.operations),
            counts(changes.types)
        )?;
        for (kind, lines) in [("breaking", &changes.breaking), ("compatible", &changes.compatible)] {
            if lines.is_empty() {
                writeln!(f, "{kind} changes: none")?;
                continue;
            }
            writeln!(f, "{kind} changes ({}):", lines.len())?;
            for line in lines.iter().take(MAX_LINES) {
                writeln!(f, "  {line}")?;
            }
            if lines.len() > MAX_LINES {
                writeln!(f, "  ... and {} more", lines.len() - MAX_LINES)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A manifest from member-indented text (a header comment included, as the generator writes).
    fn manifest(text: &str) -> Manifest {
        Manifest::parse(&format!("# generated by test, do not edit\n{text}")).unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    fn changes(old: &str, new: &str) -> Changes {
        diff(&manifest(old), &manifest(new))
    }

    /// Asserts that going from `old` to `new` gives exactly `breaking` and `compatible`.
    #[track_caller]
    fn assert_changes(old: &str, new: &str, breaking: &[&str], compatible: &[&str]) {
        let c = changes(old, new);
        assert_eq!(
            (
                c.breaking.iter().map(String::as_str).collect::<Vec<_>>(),
                c.compatible.iter().map(String::as_str).collect::<Vec<_>>()
            ),
            (breaking.to_vec(), compatible.to_vec()),
            "{old}\n->\n{new}"
        );
        // A manifest compared with itself: no change.
        assert!(changes(new, new).is_empty());
    }

    const KICK: &str = "\
operation kick_users POST /api/v3/kick-users -> IsSuccessRespDto
  input user_id: String required
  input app_ids: Vec<String> required
  input options: KickUsersOptionsDto optional
";

    #[test]
    fn parses_every_line_kind() {
        let m = manifest(
            "operation a GET /x/{id} -> BTreeMap<String, i64> deprecated
  input id: String required
  input note: String optional nullable deprecated
type E enum in deprecated
  value wechat:pc WechatPc
  value \"a b\" AB
  other UnknownValue
type O oneof out
  variant Tree: TreeDto boxed
  variant Text: String
  other Other
type S struct inout
  field labels: BTreeMap<String, Vec<String>> optional nullable boxed deprecated
",
        );
        let a = &m.operations["a"];
        assert_eq!(
            (a.method.as_str(), a.path.as_str(), a.response.as_str()),
            ("GET", "/x/{id}", "BTreeMap<String, i64>")
        );
        assert!(a.deprecated);
        assert_eq!(
            a.inputs[1],
            Member {
                name: "note".into(),
                ty: "String".into(),
                required: false,
                nullable: true,
                boxed: false,
                deprecated: true
            }
        );
        let e = &m.types["E"];
        assert_eq!((e.kind, e.direction, e.deprecated), (Kind::Enum, Direction { input: true, output: false }, true));
        assert_eq!(e.values[1], ("\"a b\"".to_owned(), "AB".to_owned()));
        assert_eq!(e.other.as_deref(), Some("UnknownValue"));
        assert_eq!(m.types["O"].variants[0], ("Tree".to_owned(), "TreeDto".to_owned(), true));
        let s = &m.types["S"];
        assert_eq!(s.direction, Direction { input: true, output: true });
        assert_eq!(s.fields[0].ty, "BTreeMap<String, Vec<String>>");
        assert!(s.fields[0].nullable && s.fields[0].boxed && s.fields[0].deprecated && !s.fields[0].required);
    }

    #[test]
    fn rejects_what_is_not_a_manifest() {
        for (text, expected) in [
            ("  input a: String required\n", "line 2: member line outside an operation or type"),
            ("operation a GET /x\n", "line 2: not `operation NAME METHOD PATH -> TYPE`"),
            ("type A struct sideways\n", "line 2: not `type NAME KIND DIRECTION`"),
            ("type A struct in\n  field a: String\n", "line 3: not a member of this type"),
            ("type A struct in\n  value x X\n", "line 3: not a member of this type"),
            ("type A enum in\ntype A enum in\n", "line 3: type listed twice"),
            ("pub struct A;\n", "line 2: unknown line"),
        ] {
            let err = Manifest::parse(&format!("# header\n{text}")).unwrap_err();
            assert!(err.starts_with(expected), "{err}");
        }
    }

    #[test]
    fn operations_added_and_removed() {
        assert_changes(
            KICK,
            "operation list_things GET /api/v3/things -> ThingsDto\n",
            &["- operation kick_users removed"],
            &["+ operation list_things"],
        );
    }

    #[test]
    fn method_and_path_changes_are_reported_but_compatible() {
        assert_changes(
            KICK,
            &KICK.replace("POST /api/v3/kick-users", "PUT /api/v3/users/kick"),
            &[],
            &[
                "~ operation kick_users: method POST -> PUT",
                "~ operation kick_users: path /api/v3/kick-users -> /api/v3/users/kick",
            ],
        );
    }

    #[test]
    fn a_paginator_added_is_compatible_and_one_removed_or_retyped_is_breaking() {
        let paged = format!("{KICK}  paginator UserDto\n");
        let m = manifest(&paged);
        assert_eq!(m.operations["kick_users"].paginator.as_deref(), Some("UserDto"));
        assert_changes(KICK, &paged, &[], &["~ operation kick_users: paginator added (items: UserDto)"]);
        assert_changes(&paged, KICK, &["~ operation kick_users: paginator removed (items: UserDto)"], &[]);
        assert_changes(
            &paged,
            &paged.replace("UserDto", "TenantUserDto"),
            &["~ operation kick_users: paginator items retyped UserDto -> TenantUserDto"],
            &[],
        );
    }

    #[test]
    fn response_type_change_is_breaking() {
        assert_changes(
            KICK,
            &KICK.replace("-> IsSuccessRespDto", "-> KickUsersRespDto"),
            &["~ operation kick_users: response IsSuccessRespDto -> KickUsersRespDto"],
            &[],
        );
    }

    #[test]
    fn inputs_removed_or_retyped_are_breaking() {
        assert_changes(
            KICK,
            &KICK.replace("  input options: KickUsersOptionsDto optional\n", ""),
            &["~ operation kick_users: input `options` removed"],
            &[],
        );
        assert_changes(
            KICK,
            &KICK.replace("app_ids: Vec<String>", "app_ids: Vec<i64>"),
            &["~ operation kick_users: input `app_ids` retyped Vec<String> -> Vec<i64>"],
            &[],
        );
    }

    #[test]
    fn added_inputs_break_only_when_required() {
        assert_changes(
            KICK,
            &format!("{KICK}  input email: String required\n"),
            &["~ operation kick_users: required input `email: String` added"],
            &[],
        );
        assert_changes(
            KICK,
            &format!("{KICK}  input email: String optional\n"),
            &[],
            &["~ operation kick_users: optional input `email: String` added"],
        );
    }

    #[test]
    fn an_input_changing_between_argument_and_setter_is_breaking_both_ways() {
        let optional_app_ids = KICK.replace("app_ids: Vec<String> required", "app_ids: Vec<String> optional");
        assert_changes(
            &optional_app_ids,
            KICK,
            &["~ operation kick_users: input `app_ids` optional -> required (now a method argument)"],
            &[],
        );
        // `kick_users(user_id, app_ids)` becomes `kick_users(user_id).app_ids(..)`: old calls
        // pass one argument too many.
        assert_changes(
            KICK,
            &optional_app_ids,
            &["~ operation kick_users: input `app_ids` required -> optional (now a setter, not an argument)"],
            &[],
        );
    }

    #[test]
    fn nullability_matters_for_required_inputs_only() {
        assert_changes(
            KICK,
            &KICK.replace("user_id: String required", "user_id: String required nullable"),
            &["~ operation kick_users: required input `user_id` takes an Option (nullable)"],
            &[],
        );
        // The manifest writes no `nullable` on optional inputs: their setters take the value.
        let m = manifest(&KICK.replace("KickUsersOptionsDto optional", "KickUsersOptionsDto optional nullable"));
        assert!(diff(&manifest(KICK), &m).is_empty());
    }

    #[test]
    fn reordered_arguments_are_breaking() {
        let swapped = KICK.replace(
            "  input user_id: String required\n  input app_ids: Vec<String> required\n",
            "  input app_ids: Vec<String> required\n  input user_id: String required\n",
        );
        assert_changes(
            KICK,
            &swapped,
            &["~ operation kick_users: method arguments reordered (user_id, app_ids) -> (app_ids, user_id)"],
            &[],
        );
        // Optional inputs are setters: their order is nobody's business.
        let m = |text: &str| format!("operation a GET /a -> X\n{text}");
        let c = changes(
            &m("  input x: String optional\n  input y: String optional\n"),
            &m("  input y: String optional\n  input x: String optional\n"),
        );
        assert!(c.is_empty(), "{c:?}");
    }

    const USER: &str = "\
type UserDto struct DIR
  field id: String required
  field age: f64 optional
";

    fn user(direction: &str) -> String {
        USER.replace("DIR", direction)
    }

    #[test]
    fn types_added_removed_and_changing_kind() {
        assert_changes(&user("out"), "", &["- type UserDto removed"], &[]);
        assert_changes("", &user("out"), &[], &["+ type UserDto (struct out)"]);
        assert_changes(
            &user("in"),
            "type UserDto enum in\n  value a A\n  other UnknownValue\n",
            &["~ type UserDto: kind struct -> enum"],
            &[],
        );
    }

    #[test]
    fn fields_removed_or_retyped_are_breaking_in_any_direction() {
        for direction in ["in", "out", "inout"] {
            assert_changes(
                &user(direction),
                &user(direction).replace("  field age: f64 optional\n", ""),
                &["~ type UserDto: field `age` removed"],
                &[],
            );
            assert_changes(
                &user(direction),
                &user(direction).replace("age: f64", "age: i64"),
                &["~ type UserDto: field `age` retyped f64 -> i64"],
                &[],
            );
        }
    }

    #[test]
    fn a_required_field_breaks_types_users_build() {
        for direction in ["in", "inout"] {
            assert_changes(
                &user(direction),
                &format!("{}  field email: String required\n", user(direction)),
                &["~ type UserDto: required field `email: String` added (`new()` takes it)"],
                &[],
            );
        }
        // Users only read an `out` type: one more field is one more thing to read.
        assert_changes(
            &user("out"),
            &format!("{}  field email: String required\n", user("out")),
            &[],
            &["~ type UserDto: required field `email: String` added"],
        );
        // Optional fields are compatible everywhere (structs are `#[non_exhaustive]`).
        for direction in ["in", "out", "inout"] {
            assert_changes(
                &user(direction),
                &format!("{}  field email: String optional\n", user(direction)),
                &[],
                &["~ type UserDto: optional field `email: String` added"],
            );
        }
    }

    #[test]
    fn a_field_changing_between_required_and_optional_is_breaking() {
        // `out`/`inout`: the field's type becomes (or stops being) an `Option`; `in`: `new()`
        // loses (or gains) the argument.
        for direction in ["in", "out", "inout"] {
            let optional_id = user(direction).replace("id: String required", "id: String optional");
            assert_changes(&user(direction), &optional_id, &["~ type UserDto: field `id` required -> optional"], &[]);
            assert_changes(&optional_id, &user(direction), &["~ type UserDto: field `id` optional -> required"], &[]);
        }
    }

    #[test]
    fn nullability_and_boxing_break_only_where_the_rust_type_shows_it() {
        assert_changes(
            &user("in"),
            &user("in").replace("id: String required", "id: String required nullable"),
            &["~ type UserDto: field `id` nullable"],
            &[],
        );
        // An optional field is an `Option` with or without `null`.
        assert_changes(
            &user("out"),
            &user("out").replace("age: f64 optional", "age: f64 optional nullable"),
            &[],
            &["~ type UserDto: field `age` nullable"],
        );
        // `new()` and `with_*` take boxed fields unboxed; readers see the `Box`.
        let boxed = |d: &str| user(d).replace("age: f64 optional", "age: f64 optional boxed");
        assert_changes(&user("in"), &boxed("in"), &[], &["~ type UserDto: field `age` now boxed"]);
        assert_changes(&user("out"), &boxed("out"), &["~ type UserDto: field `age` now boxed"], &[]);
    }

    #[test]
    fn direction_changes_are_reported_and_judged_by_both_directions() {
        // It used to be read only; now users also build it, so a new required field counts.
        assert_changes(
            &user("out"),
            &format!("{}  field email: String required\n", user("inout")),
            &["~ type UserDto: required field `email: String` added (`new()` takes it)"],
            &["~ type UserDto: direction out -> inout"],
        );
    }

    #[test]
    fn reordered_required_fields_break_new() {
        let two = "type P struct DIR\n  field a: String required\n  field b: String required\n";
        let swapped = "type P struct DIR\n  field b: String required\n  field a: String required\n";
        assert_changes(
            &two.replace("DIR", "in"),
            &swapped.replace("DIR", "in"),
            &["~ type P: `new()` arguments reordered (a, b) -> (b, a)"],
            &[],
        );
        assert!(changes(&two.replace("DIR", "out"), &swapped.replace("DIR", "out")).is_empty());
    }

    const ENUM: &str =
        "type Connection enum in\n  value wechat:pc WechatPc\n  value \"a b\" AB\n  other UnknownValue\n";

    #[test]
    fn enum_values_removed_break_and_added_do_not() {
        assert_changes(
            ENUM,
            &ENUM.replace("  value \"a b\" AB\n", ""),
            &["~ type Connection: value `\"a b\"` removed (variant `AB` gone)"],
            &[],
        );
        assert_changes(
            ENUM,
            &ENUM.replace("  other", "  value azure-ad AzureAd\n  other"),
            &[],
            &["~ type Connection: value `azure-ad` added (variant `AzureAd`)"],
        );
        assert_changes(
            ENUM,
            &ENUM.replace("WechatPc", "WechatPc2"),
            &["~ type Connection: value `wechat:pc` variant `WechatPc` -> `WechatPc2`"],
            &[],
        );
        assert_changes(
            ENUM,
            &ENUM.replace("other UnknownValue", "other UnknownValue2"),
            &["~ type Connection: catch-all variant `UnknownValue` -> `UnknownValue2`"],
            &[],
        );
    }

    const ONE_OF: &str =
        "type Credential oneof out\n  variant Password: PasswordDto\n  variant Token: TokenDto\n  other Other\n";

    #[test]
    fn one_of_variants_removed_or_retyped_break_and_added_do_not() {
        assert_changes(
            ONE_OF,
            &ONE_OF.replace("  variant Token: TokenDto\n", ""),
            &["~ type Credential: variant `Token` removed"],
            &[],
        );
        assert_changes(
            ONE_OF,
            &ONE_OF.replace("Token: TokenDto", "Token: String"),
            &["~ type Credential: variant `Token` retyped TokenDto -> String"],
            &[],
        );
        assert_changes(
            ONE_OF,
            &ONE_OF.replace("  other", "  variant Key: KeyDto\n  other"),
            &[],
            &["~ type Credential: variant `Key: KeyDto` added"],
        );
    }

    #[test]
    fn deprecation_is_compatible() {
        assert_changes(
            &format!("{KICK}{}", user("in")),
            &format!(
                "{}{}",
                KICK.replace("IsSuccessRespDto", "IsSuccessRespDto deprecated")
                    .replace("app_ids: Vec<String> required", "app_ids: Vec<String> required deprecated"),
                user("in").replace("struct in", "struct in deprecated")
            ),
            &[],
            &[
                "~ operation kick_users: deprecated",
                "~ operation kick_users: input `app_ids` deprecated",
                "~ type UserDto: deprecated",
            ],
        );
    }

    #[test]
    fn counts_name_each_entry_once() {
        let old = format!("{KICK}operation gone GET /gone -> X\n{}{ENUM}", user("out"));
        let new = format!(
            "{}operation new_one GET /new -> X\n{}{}type Added struct out\n",
            KICK.replace("app_ids: Vec<String>", "app_ids: Vec<i64>").replace("POST", "PUT"),
            user("out").replace("age: f64", "age: i64").replace("  field id: String required\n", ""),
            ENUM.replace("  value \"a b\" AB\n", "")
        );
        let c = changes(&old, &new);
        assert_eq!(c.operations, Counts { added: 1, removed: 1, changed: 1 });
        assert_eq!(c.types, Counts { added: 1, removed: 0, changed: 2 });
    }

    #[test]
    fn report_block_counts_classifies_and_caps_long_lists() {
        let report =
            compare(Some(&format!("# h\n{KICK}")), &format!("# h\n{}", KICK.replace("-> IsSuccessRespDto", "-> X")))
                .to_string();
        assert_eq!(
            report,
            "since the checked-in output: operations +0 -0 ~1, types +0 -0 ~0\n\
             breaking changes (1):\n  \
             ~ operation kick_users: response IsSuccessRespDto -> X\n\
             compatible changes: none\n"
        );
        assert_eq!(
            compare(Some(KICK), KICK).to_string(),
            "operations and types: no change since the checked-in output\n"
        );

        // No checked-in manifest: one line says so, then everything is an addition, capped.
        let many: String = (0..45).map(|i| format!("operation op{i:02} GET /op/{i} -> X\n")).collect();
        let report = compare(None, &many).to_string();
        let lines: Vec<&str> = report.lines().collect();
        assert_eq!(
            lines[0],
            format!(
                "no checked-in {}: every operation and type counts as added",
                genauth_codegen::emit::manifest::PATH
            )
        );
        assert_eq!(lines[1], "since the checked-in output: operations +45 -0 ~0, types +0 -0 ~0");
        assert_eq!(lines[2], "breaking changes: none");
        assert_eq!(lines[3], "compatible changes (45):");
        assert_eq!(lines[4], "  + operation op00");
        assert_eq!(lines[4 + MAX_LINES - 1], "  + operation op39");
        assert_eq!(lines[4 + MAX_LINES], "  ... and 5 more");
        assert_eq!(lines.len(), 5 + MAX_LINES);
    }

    #[test]
    fn an_unreadable_manifest_is_said_so_not_panicked_on() {
        let report = compare(Some("type A struct in\nfn main() {}\n"), KICK).to_string();
        assert!(report.starts_with("operations and types: not compared: the checked-in "), "{report}");
        assert!(report.contains("line 2: unknown line"), "{report}");
    }
}
