//! Schemas -> [`TypeRef`]s, registering named [`TypeDef`]s on the way.
//!
//! A schema is first *unwrapped*: `$ref`s and single-element `allOf` wrappers are followed to the
//! schema that says what the type is, collecting the wrappers' own annotations (description,
//! example, nullable, constraints) for the field that uses it. Upstream writes every nested object
//! as `{"description": ..., "allOf": [{"$ref": ...}]}`, so this is the common path.
//!
//! Objects with properties, string enums and `oneOf`/`anyOf` become named types. Component
//! schemas keep their component name; inline ones are named after their owner
//! (`Owner` + `Property`, `...Item`, `{Op}Body`, ...). Naming per owner is deliberate: adding an
//! operation or a type elsewhere in the spec never renames an existing inline type, so the
//! generated API stays stable as the spec grows. Everything else (primitives, arrays, maps,
//! free-form values, and component schemas that are mere aliases of those) is inlined.

use indexmap::IndexMap;
use serde_json::Value;

use super::resolve::{lookup, parse_ref};
use super::{Builder, Slot, i18n};
use crate::diagnostics::child;
use crate::model::naming::{UniqueNames, pascal_ident, snake_ident};
use crate::model::{
    Constraints, EnumDef, EnumValue, Field, OneOfDef, OneOfVariant, StructDef, Text, TypeDef, TypeKind, TypeRef,
};

/// The name and origin an inline schema gets if it turns out to need a named type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct NameHint {
    /// PascalCase Rust name wanted (uniqued later).
    pub name: String,
    /// [`TypeDef::origin`] (`Owner.property`).
    pub origin: String,
}

impl NameHint {
    /// A hint from a name and an origin.
    pub fn new(name: impl Into<String>, origin: impl Into<String>) -> Self {
        NameHint { name: name.into(), origin: origin.into() }
    }

    /// For property `prop` of this type: `OwnerProp`, `Owner.prop`.
    fn property(&self, prop: &str) -> NameHint {
        NameHint::new(format!("{}{}", self.name, pascal_ident(prop)), format!("{}.{prop}", self.origin))
    }

    /// For the items of this array: `OwnerItem`, `Owner[]`.
    fn item(&self) -> NameHint {
        NameHint::new(format!("{}Item", self.name), format!("{}[]", self.origin))
    }

    /// For the values of this map: `OwnerValue`, `Owner{}`.
    fn map_value(&self) -> NameHint {
        NameHint::new(format!("{}Value", self.name), format!("{}{{}}", self.origin))
    }

    /// For alternative `n` (1-based) of this oneOf: `OwnerVariant{n}`, `Owner|{n}`.
    fn variant(&self, n: usize) -> NameHint {
        NameHint::new(format!("{}Variant{n}", self.name), format!("{}|{n}", self.origin))
    }
}

/// A schema resolved for a use site (field, parameter, body, response).
#[derive(Debug, Clone, Default)]
pub(super) struct Resolved {
    pub ty: Option<TypeRef>,
    pub nullable: bool,
    pub deprecated: bool,
    pub description: Text,
    pub constraints: Constraints,
    pub default: Option<Value>,
    pub example: Option<Value>,
}

impl Resolved {
    /// The type, `Any` when resolution failed (an error was reported).
    pub fn ty(&self) -> TypeRef {
        self.ty.clone().unwrap_or(TypeRef::Any)
    }
}

/// What a schema's type is, before use-site annotations.
struct Shape {
    ty: TypeRef,
    /// `null` among the enum values.
    nullable: bool,
    /// Values of a non-string enum.
    allowed: Vec<Value>,
}

impl Shape {
    fn plain(ty: TypeRef) -> Self {
        Shape { ty, nullable: false, allowed: Vec::new() }
    }
}

/// The path from a use site to the schema that defines the type.
struct Chain {
    /// Pointers, outermost first; the last is the defining schema.
    layers: Vec<String>,
    /// The last component entered (name, layer index of its root), which names the type.
    component: Option<(String, usize)>,
}

/// Who owns a named type: its key, wanted name, origin and pointer.
struct Owner {
    key: String,
    name: String,
    origin: String,
    pointer: String,
    rank_tier: u8,
    component: Option<String>,
}

const COMPONENT_PREFIX: &str = "#/components/schemas/";

impl Builder<'_> {
    /// Resolves the schema at `pointer` for a use site; inline named types get `hint`'s name.
    pub(super) fn resolve_schema(&mut self, pointer: &str, hint: &NameHint) -> Resolved {
        if self.depth >= super::MAX_DEPTH {
            self.error(pointer.to_owned(), format!("schemas nested more than {} deep", super::MAX_DEPTH));
            return Resolved::default();
        }
        self.depth += 1;
        let resolved = self.resolve_schema_at_depth(pointer, hint);
        self.depth -= 1;
        resolved
    }

    fn resolve_schema_at_depth(&mut self, pointer: &str, hint: &NameHint) -> Resolved {
        let Some(chain) = self.unwrap(pointer) else {
            return Resolved::default();
        };
        let Some(final_ptr) = chain.layers.last().cloned() else {
            return Resolved::default();
        };
        let Some(value) = lookup(self.raw(), &final_ptr) else {
            return Resolved::default();
        };
        let owner = match &chain.component {
            Some((name, _)) => self.component_owner(name),
            None => Owner {
                key: format!("i:{}", hint.origin),
                name: hint.name.clone(),
                origin: hint.origin.clone(),
                pointer: final_ptr.clone(),
                rank_tier: 1,
                component: None,
            },
        };
        let named = is_named_shape(value);
        let shape = if named {
            let root = chain.component.as_ref().and_then(|(_, i)| chain.layers.get(*i)).cloned();
            self.named_type(&final_ptr, value, owner, root.as_deref())
        } else {
            let components: Vec<String> = chain.layers.iter().filter(|l| is_component_root(l)).cloned().collect();
            if let Some(c) = components.iter().find(|c| self.alias_stack.contains(c)) {
                let c = c.clone();
                self.error(
                    c.clone(),
                    format!("schema `{c}` refers to itself without an object in between; it has no finite type"),
                );
                return Resolved::default();
            }
            let depth = self.alias_stack.len();
            self.alias_stack.extend(components);
            let hint = NameHint::new(owner.name, owner.origin);
            let shape = self.unnamed_type(&final_ptr, value, &hint);
            self.alias_stack.truncate(depth);
            shape
        };
        self.annotate(&chain, named, shape)
    }

    /// Follows `$ref`s and single-element `allOf` wrappers from `pointer`. `None` after reporting
    /// a dangling, external or cyclic reference.
    fn unwrap(&mut self, pointer: &str) -> Option<Chain> {
        let mut layers: Vec<String> = Vec::new();
        let mut component = None;
        let mut current = pointer.to_owned();
        loop {
            if let Some(start) = layers.iter().position(|l| *l == current) {
                // Only the loop itself: the same cycle reached from several places is one error.
                let cycle = layers.get(start..).unwrap_or_default().join(" -> ");
                self.error(current.clone(), format!("cyclic reference: {cycle} -> {current}"));
                return None;
            }
            let Some(value) = lookup(self.raw(), &current) else {
                self.error(current, "no schema at this pointer");
                return None;
            };
            layers.push(current.clone());
            if let Some(reference) = value.get("$ref") {
                let at = child(&current, "$ref");
                let Some(reference) = reference.as_str() else {
                    self.error(at, "`$ref` is not a string");
                    return None;
                };
                let target = match parse_ref(reference, "schemas") {
                    Ok(t) => t,
                    Err(message) => {
                        self.error(at, message);
                        return None;
                    }
                };
                if lookup(self.raw(), &target.pointer).is_none() {
                    self.error(at, format!("dangling reference `{reference}`: no such schema"));
                    return None;
                }
                component = Some((target.name, layers.len()));
                current = target.pointer;
            } else if is_single_all_of(value) {
                current = child(&child(&current, "allOf"), "0");
            } else {
                if component.is_none() && is_component_root(&current) {
                    let name = current.strip_prefix(COMPONENT_PREFIX).unwrap_or_default();
                    let name = name.replace("~1", "/").replace("~0", "~");
                    component = Some((name, layers.len() - 1));
                }
                return Some(Chain { layers, component });
            }
        }
    }

    fn component_owner(&self, name: &str) -> Owner {
        // A curated type name (`x-genauth-name`, see `spec/<document>/overlays/50-names.yaml`) wins over the
        // component's, for names that collide with what the generated code uses.
        let curated = self
            .raw()
            .pointer(&format!("/components/schemas/{}/x-genauth-name", name.replace('~', "~0").replace('/', "~1")))
            .and_then(Value::as_str);
        Owner {
            key: format!("c:{name}"),
            name: pascal_ident(curated.unwrap_or(name)),
            origin: name.to_owned(),
            pointer: crate::diagnostics::pointer(&["components", "schemas", name]),
            rank_tier: 0,
            component: Some(name.to_owned()),
        }
    }

    /// Applies the annotations of the chain's layers, outermost first (the use site's own
    /// description beats the referenced schema's). A named component's own description stays on
    /// its [`TypeDef`].
    fn annotate(&mut self, chain: &Chain, named: bool, shape: Shape) -> Resolved {
        let mut r = Resolved { ty: Some(shape.ty), nullable: shape.nullable, ..Resolved::default() };
        r.constraints.allowed = shape.allowed;
        let last = chain.layers.len().saturating_sub(1);
        for (i, layer) in chain.layers.iter().enumerate() {
            if named && i == last && chain.component.as_ref().is_some_and(|(_, root)| *root == i) {
                continue;
            }
            let Some(v) = lookup(self.raw(), layer) else {
                continue;
            };
            if r.description.is_empty() {
                r.description = self.i18n.text(v, "description");
            }
            if r.example.is_none() {
                r.example = v.get("example").cloned();
            }
            if r.default.is_none() {
                r.default = v.get("default").cloned();
            }
            r.nullable |= flag(v, "nullable");
            r.deprecated |= flag(v, "deprecated");
            apply_constraints(&mut r.constraints, v);
        }
        r
    }

    /// The named type for `value` owned by `owner`, built on first use. Registered before its
    /// parts are built, so a recursive struct refers to itself by name instead of looping.
    fn named_type(&mut self, pointer: &str, value: &Value, owner: Owner, root: Option<&str>) -> Shape {
        let nullable = enum_values(value).iter().any(Value::is_null);
        let shape = Shape { ty: TypeRef::Named(owner.key.clone()), nullable, allowed: Vec::new() };
        if self.types.contains_key(&owner.key) {
            return shape;
        }
        let mut description = self.i18n.text(value, "description");
        if description.is_empty()
            && let Some(root) = root.and_then(|r| lookup(self.raw(), r))
        {
            description = self.i18n.text(root, "description");
        }
        let rank = match &owner.component {
            Some(name) => (0, self.component_index.get(name).copied().unwrap_or(usize::MAX)),
            None => {
                self.inline_count += 1;
                (owner.rank_tier, self.inline_count)
            }
        };
        let def = TypeDef {
            name: owner.name.clone(),
            origin: owner.origin.clone(),
            description: description.clone(),
            example: value.get("example").cloned(),
            deprecated: flag(value, "deprecated"),
            pointer: owner.pointer.clone(),
            kind: TypeKind::Struct(StructDef { fields: Vec::new() }),
        };
        self.types.insert(owner.key.clone(), Slot { def, rank });
        let hint = NameHint::new(owner.name, owner.origin);
        let kind = if let Some((key, alts)) = one_of_alternatives(value) {
            self.one_of(pointer, key, alts.len(), &hint)
        } else if value.get("allOf").is_some() {
            self.merged_struct(pointer, value, &hint)
        } else if value.get("properties").is_some_and(|p| p.as_object().is_some_and(|m| !m.is_empty())) {
            let (props, required) = object_parts(pointer, value);
            self.check_required(pointer, &props, &required);
            TypeKind::Struct(StructDef { fields: self.fields(pointer, &props, &required, &hint) })
        } else {
            self.enum_def(pointer, value, &description)
        };
        if let Some(slot) = self.types.get_mut(&owner.key) {
            slot.def.kind = kind;
        }
        shape
    }

    /// Primitives, arrays, maps and free-form values.
    fn unnamed_type(&mut self, pointer: &str, value: &Value, hint: &NameHint) -> Shape {
        let format = value.get("format").and_then(Value::as_str).map(str::to_owned);
        let values = enum_values(value);
        let nullable = values.iter().any(Value::is_null);
        let allowed: Vec<Value> = values.iter().filter(|v| !v.is_null()).cloned().collect();
        let typed = |ty: TypeRef| Shape { ty, nullable, allowed: allowed.clone() };
        let type_name = match value.get("type") {
            None => None,
            Some(Value::String(t)) => Some(t.as_str()),
            Some(other) => {
                self.warn(child(pointer, "type"), format!("`type` {other} is not a string; treated as any value"));
                return Shape::plain(TypeRef::Any);
            }
        };
        match type_name {
            Some("string") => typed(TypeRef::String { format }),
            Some("integer") => typed(TypeRef::Integer { format }),
            Some("number") => typed(TypeRef::Number { format }),
            Some("boolean") => typed(TypeRef::Boolean),
            Some("array") => Shape::plain(self.array(pointer, value, hint)),
            None if value.get("items").is_some() => Shape::plain(self.array(pointer, value, hint)),
            None if !allowed.is_empty() => {
                let ty = if allowed.iter().all(Value::is_i64) {
                    TypeRef::Integer { format }
                } else if allowed.iter().all(Value::is_number) {
                    TypeRef::Number { format }
                } else if allowed.iter().all(Value::is_boolean) {
                    TypeRef::Boolean
                } else {
                    return Shape { ty: TypeRef::Any, nullable, allowed };
                };
                typed(ty)
            }
            Some("object") | None => match value.get("additionalProperties") {
                Some(Value::Object(m)) if !m.is_empty() => {
                    let at = child(pointer, "additionalProperties");
                    Shape::plain(TypeRef::Map(Box::new(self.resolve_schema(&at, &hint.map_value()).ty())))
                }
                _ => Shape::plain(TypeRef::Any),
            },
            Some(other) => {
                self.warn(child(pointer, "type"), format!("unknown type `{other}`; treated as any value"));
                Shape::plain(TypeRef::Any)
            }
        }
    }

    fn array(&mut self, pointer: &str, value: &Value, hint: &NameHint) -> TypeRef {
        if value.get("items").is_none() {
            self.warn(pointer.to_owned(), "array schema without `items`; items typed as any value");
            return TypeRef::Array(Box::new(TypeRef::Any));
        }
        let item = self.resolve_schema(&child(pointer, "items"), &hint.item()).ty();
        TypeRef::Array(Box::new(item))
    }

    /// Fields of a struct, named uniquely (renames reported).
    fn fields(
        &mut self,
        owner_ptr: &str,
        props: &[(String, String)],
        required: &[String],
        hint: &NameHint,
    ) -> Vec<Field> {
        let mut names = UniqueNames::new();
        let mut fields = Vec::with_capacity(props.len());
        for (wire, ptr) in props {
            let r = self.resolve_schema(ptr, &hint.property(wire));
            let base = snake_ident(wire);
            let rust_name = names.claim(&base);
            if rust_name != base {
                self.warn(
                    ptr.clone(),
                    format!("property `{wire}` of `{owner_ptr}` is named `{rust_name}`: `{base}` is taken by another property"),
                );
            }
            fields.push(Field {
                wire_name: wire.clone(),
                rust_name,
                ty: r.ty(),
                required: required.contains(wire),
                nullable: r.nullable,
                deprecated: r.deprecated,
                description: r.description,
                constraints: r.constraints,
                default: r.default,
                example: r.example,
            });
        }
        fields
    }

    fn check_required(&mut self, pointer: &str, props: &[(String, String)], required: &[String]) {
        for name in required {
            if !props.iter().any(|(p, _)| p == name) {
                self.warn(child(pointer, "required"), format!("required property `{name}` is not declared; ignored"));
            }
        }
    }

    /// `allOf` with several parts: one struct with every part's properties.
    fn merged_struct(&mut self, pointer: &str, value: &Value, hint: &NameHint) -> TypeKind {
        let mut props: IndexMap<String, String> = IndexMap::new();
        let mut required: Vec<String> = Vec::new();
        let mut visiting = vec![pointer.to_owned()];
        self.collect_all_of(pointer, value, &mut props, &mut required, &mut visiting);
        let props: Vec<(String, String)> = props.into_iter().collect();
        self.check_required(pointer, &props, &required);
        TypeKind::Struct(StructDef { fields: self.fields(pointer, &props, &required, hint) })
    }

    fn collect_all_of(
        &mut self,
        pointer: &str,
        value: &Value,
        props: &mut IndexMap<String, String>,
        required: &mut Vec<String>,
        visiting: &mut Vec<String>,
    ) {
        let (own, own_required) = object_parts(pointer, value);
        self.add_parts(own, own_required, props, required);
        let count = value.get("allOf").and_then(Value::as_array).map_or(0, Vec::len);
        for i in 0..count {
            let part_ptr = child(&child(pointer, "allOf"), &i.to_string());
            let Some(chain) = self.unwrap(&part_ptr) else {
                continue;
            };
            let Some(final_ptr) = chain.layers.last().cloned() else {
                continue;
            };
            let Some(part) = lookup(self.raw(), &final_ptr) else {
                continue;
            };
            if visiting.contains(&final_ptr) {
                self.error(part_ptr, format!("`allOf` includes `{final_ptr}`, which includes this schema again"));
                continue;
            }
            if part.get("allOf").is_some() {
                visiting.push(final_ptr.clone());
                self.collect_all_of(&final_ptr, part, props, required, visiting);
                visiting.pop();
            } else if is_object_part(part) {
                let (p, r) = object_parts(&final_ptr, part);
                self.add_parts(p, r, props, required);
            } else {
                self.error(part_ptr, format!("`allOf` part `{final_ptr}` is not an object schema; cannot merge it"));
            }
        }
    }

    fn add_parts(
        &mut self,
        parts: Vec<(String, String)>,
        part_required: Vec<String>,
        props: &mut IndexMap<String, String>,
        required: &mut Vec<String>,
    ) {
        for (name, ptr) in parts {
            match props.get(&name) {
                None => {
                    props.insert(name, ptr);
                }
                Some(existing) => {
                    let same = lookup(self.raw(), existing) == lookup(self.raw(), &ptr);
                    if !same {
                        let existing = existing.clone();
                        self.error(
                            ptr,
                            format!("`allOf` parts define property `{name}` differently (also at `{existing}`)"),
                        );
                    }
                }
            }
        }
        for r in part_required {
            if !required.contains(&r) {
                required.push(r);
            }
        }
    }

    /// A string enum; `null` is dropped (the use site becomes nullable), other non-strings are
    /// reported and skipped.
    fn enum_def(&mut self, pointer: &str, value: &Value, description: &Text) -> TypeKind {
        let mut wires: Vec<String> = Vec::new();
        for (i, v) in enum_values(value).iter().enumerate() {
            let at = child(&child(pointer, "enum"), &i.to_string());
            match v {
                Value::Null => {}
                Value::String(s) if wires.contains(s) => self.warn(at, format!("duplicate enum value `{s}` ignored")),
                Value::String(s) => wires.push(s.clone()),
                other => self.warn(at, format!("non-string value {other} in a string enum ignored")),
            }
        }
        let meanings = i18n::enum_value_descriptions(&self.i18n, value, description, &wires);
        let mut names = UniqueNames::new();
        let mut values = Vec::with_capacity(wires.len());
        for (i, (wire, meaning)) in wires.into_iter().zip(meanings).enumerate() {
            let base = pascal_ident(&wire);
            let variant = names.claim(&base);
            if variant != base {
                let at = child(&child(pointer, "enum"), &i.to_string());
                self.warn(
                    at,
                    format!("enum value `{wire}` is variant `{variant}`: `{base}` is taken by another value"),
                );
            }
            values.push(EnumValue { wire, variant, description: meaning });
        }
        let catch_all = names.claim("UnknownValue");
        TypeKind::Enum(EnumDef { values, catch_all })
    }

    /// `oneOf`/`anyOf`: variants named after referenced components, else after their kind.
    fn one_of(&mut self, pointer: &str, key: &str, count: usize, hint: &NameHint) -> TypeKind {
        let mut names = UniqueNames::new();
        let mut variants = Vec::with_capacity(count);
        for i in 0..count {
            let alt_ptr = child(&child(pointer, key), &i.to_string());
            let referenced = lookup(self.raw(), &alt_ptr)
                .and_then(|v| v.get("$ref"))
                .and_then(Value::as_str)
                .and_then(|r| parse_ref(r, "schemas").ok())
                .map(|r| pascal_ident(&r.name));
            let ty = self.resolve_schema(&alt_ptr, &hint.variant(i + 1)).ty();
            let base = referenced.unwrap_or_else(|| match &ty {
                TypeRef::String { .. } => "String".to_owned(),
                TypeRef::Integer { .. } => "Integer".to_owned(),
                TypeRef::Number { .. } => "Number".to_owned(),
                TypeRef::Boolean => "Boolean".to_owned(),
                TypeRef::Array(_) => "Array".to_owned(),
                TypeRef::Map(_) => "Map".to_owned(),
                TypeRef::Any => "Any".to_owned(),
                TypeRef::Named(_) => format!("Variant{}", i + 1),
            });
            let name = names.claim(&base);
            if name != base {
                self.warn(alt_ptr, format!("alternative {} is variant `{name}`: `{base}` is taken", i + 1));
            }
            variants.push(OneOfVariant { name, ty });
        }
        TypeKind::OneOf(OneOfDef { variants })
    }
}

/// True when `pointer` is exactly a component schema (`#/components/schemas/X`).
fn is_component_root(pointer: &str) -> bool {
    pointer.strip_prefix(COMPONENT_PREFIX).is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
}

/// `{"allOf": [one]}` with nothing that would make it more than a wrapper.
fn is_single_all_of(v: &Value) -> bool {
    v.get("allOf").and_then(Value::as_array).is_some_and(|a| a.len() == 1)
        && v.get("properties").is_none()
        && one_of_alternatives(v).is_none()
}

fn one_of_alternatives(v: &Value) -> Option<(&'static str, &Vec<Value>)> {
    ["oneOf", "anyOf"].into_iter().find_map(|k| v.get(k).and_then(Value::as_array).map(|a| (k, a)))
}

fn enum_values(v: &Value) -> &[Value] {
    v.get("enum").and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

fn flag(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// Whether the defining schema becomes a named type (struct, string enum, oneOf).
fn is_named_shape(v: &Value) -> bool {
    let type_name = v.get("type").and_then(Value::as_str);
    if one_of_alternatives(v).is_some() || v.get("allOf").is_some() {
        return true;
    }
    let values: Vec<&Value> = enum_values(v).iter().filter(|x| !x.is_null()).collect();
    let string_enum = !values.is_empty()
        && (type_name == Some("string") || (v.get("type").is_none() && values.iter().all(|x| x.is_string())));
    let has_props = v.get("properties").and_then(Value::as_object).is_some_and(|m| !m.is_empty());
    string_enum || (has_props && matches!(type_name, None | Some("object")))
}

/// Whether an `allOf` part can be merged as an object.
fn is_object_part(v: &Value) -> bool {
    match v.get("type").and_then(Value::as_str) {
        Some("object") => true,
        Some(_) => false,
        None => ["items", "enum", "oneOf", "anyOf"].iter().all(|k| v.get(k).is_none()),
    }
}

/// `(name, pointer)` of each property, and the `required` list.
fn object_parts(pointer: &str, v: &Value) -> (Vec<(String, String)>, Vec<String>) {
    let props_ptr = child(pointer, "properties");
    let props = v
        .get("properties")
        .and_then(Value::as_object)
        .map(|m| m.keys().map(|k| (k.clone(), child(&props_ptr, k))).collect())
        .unwrap_or_default();
    let required = v
        .get("required")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default();
    (props, required)
}

/// Fills the constraints `v` states that are not set yet (outer layers win).
pub(super) fn apply_constraints(c: &mut Constraints, v: &Value) {
    let uint = |k: &str| v.get(k).and_then(Value::as_u64);
    let float = |k: &str| v.get(k).and_then(Value::as_f64);
    c.min_items = c.min_items.or_else(|| uint("minItems"));
    c.max_items = c.max_items.or_else(|| uint("maxItems"));
    c.min_length = c.min_length.or_else(|| uint("minLength"));
    c.max_length = c.max_length.or_else(|| uint("maxLength"));
    c.minimum = c.minimum.or_else(|| float("minimum"));
    c.maximum = c.maximum.or_else(|| float("maximum"));
    if c.pattern.is_none() {
        c.pattern = v.get("pattern").and_then(Value::as_str).map(str::to_owned);
    }
}

impl Builder<'_> {
    /// A named string enum for a schema-like object that is not itself a schema: a parameter with
    /// `enum` written on the parameter object instead of its schema.
    pub(super) fn inline_enum(&mut self, pointer: &str, value: &Value, hint: &NameHint) -> TypeRef {
        let owner = Owner {
            key: format!("i:{}", hint.origin),
            name: hint.name.clone(),
            origin: hint.origin.clone(),
            pointer: pointer.to_owned(),
            rank_tier: 1,
            component: None,
        };
        self.named_type(pointer, value, owner, None).ty
    }
}
