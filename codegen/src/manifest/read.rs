//! Reads a manifest back (the checked-in one, or one just written).

use std::collections::{BTreeMap, BTreeSet};

/// How users touch a type: the model's own [`Direction`](crate::model::direction::Direction),
/// which the manifest writes as `in`, `out` or `inout`.
pub use crate::model::direction::Direction;

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
    /// The Cargo feature that compiles it (`None` in manifests written before features were).
    pub feature: Option<String>,
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
    /// The API's response envelope around some `data`: an alias of the sdk's `Envelope<T>`,
    /// whose fields it lists.
    Envelope,
}

impl Kind {
    /// The manifest's word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Struct => "struct",
            Kind::Enum => "enum",
            Kind::OneOf => "oneof",
            Kind::Envelope => "envelope",
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
    /// The Cargo features any of which compiles it (`None` in manifests written before features
    /// were, or for a type no operation reaches).
    pub features: Option<BTreeSet<String>>,
    /// The serde traits a struct or `oneOf` implements without the sdk's `full-serde` feature
    /// (`None` in manifests written before they were recorded, when every type had both).
    pub serde: Option<BTreeSet<String>>,
}

impl Type {
    /// The serde traits it implements by default: [`Type::serde`], or both for an enum (always)
    /// and in a manifest written before they were recorded.
    pub fn serde_traits(&self) -> BTreeSet<&str> {
        match (&self.serde, self.kind) {
            (Some(traits), Kind::Struct | Kind::OneOf | Kind::Envelope) => traits.iter().map(String::as_str).collect(),
            _ => ["Serialize", "Deserialize"].into(),
        }
    }
}

impl Manifest {
    /// The Cargo features its operations name (empty for a manifest written before features were).
    pub fn features(&self) -> BTreeSet<&str> {
        self.operations.values().filter_map(|op| op.feature.as_deref()).collect()
    }

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
                    (Some((true, op)), "feature") if !rest.is_empty() && !rest.contains(' ') => {
                        manifest.operations.get_mut(op).expect("current entry exists").feature = Some(rest.to_owned());
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
        feature: None,
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
        "envelope" => Kind::Envelope,
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

/// `features NAME...` (once), `serde TRAIT...` (once, structs, envelopes and oneOfs), then
/// `field ...`, `value WIRE VARIANT`, `variant NAME: TYPE [boxed]` or `other NAME`, as `t`'s kind
/// allows.
fn parse_type_member(t: &mut Type, keyword: &str, rest: &str) -> Option<()> {
    match (t.kind, keyword) {
        (_, "features") if t.features.is_none() && !rest.is_empty() => {
            t.features = Some(rest.split(' ').map(str::to_owned).collect());
        }
        (Kind::Struct | Kind::OneOf | Kind::Envelope, "serde")
            if t.serde.is_none() && rest.split(' ').all(|w| w == "Serialize" || w == "Deserialize") =>
        {
            t.serde = Some(rest.split(' ').map(str::to_owned).collect());
        }
        (Kind::Struct | Kind::Envelope, "field") => t.fields.push(parse_member(rest)?),
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
