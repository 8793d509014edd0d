//! The "sample result" JSON of a page, built from the spec's examples and defaults.
//!
//! A field shows its `example`, else its `default`, else (only when it is required) a value that
//! fits its type, built recursively through named types. Optional fields without an example or
//! default are left out, as the docs-factory did, so the sample looks like a real response. Keys
//! keep declaration order, so the output is deterministic.

use serde_json::{Map, Value};

use crate::model::{Api, Field, TypeKind, TypeRef};

/// How deep named types are followed; deeper (or cyclic) references give an empty value.
const MAX_DEPTH: usize = 8;

/// The sample value of a response (or any) type, pretty-printed JSON.
pub fn sample_result(api: &Api, ty: Option<&TypeRef>) -> String {
    let value = match ty {
        Some(ty) => of_type(api, ty, None, &mut Vec::new()),
        None => Value::Object(Map::new()),
    };
    // Serializing a `Value` cannot fail; the fallback only keeps this panic-free.
    serde_json::to_string_pretty(&value).unwrap_or_else(|_| value.to_string())
}

/// The sample value of a field: example, else default, else one built from its type.
pub fn of_field(api: &Api, field: &Field, stack: &mut Vec<String>) -> Value {
    match field.example.as_ref().or(field.default.as_ref()) {
        Some(v) => v.clone(),
        None => of_type(api, &field.ty, Some(&field.wire_name), stack),
    }
}

/// A value that fits `ty`; `name` (a field's wire name) makes placeholder strings readable.
/// `stack` holds the named types being built, to stop at cycles.
pub fn of_type(api: &Api, ty: &TypeRef, name: Option<&str>, stack: &mut Vec<String>) -> Value {
    match ty {
        TypeRef::String { .. } => Value::from(name.unwrap_or("string")),
        TypeRef::Integer { .. } | TypeRef::Number { .. } => Value::from(0),
        TypeRef::Boolean => Value::Bool(true),
        TypeRef::Array(inner) => {
            if is_cyclic(inner, stack) {
                return Value::Array(Vec::new());
            }
            Value::Array(vec![of_type(api, inner, name, stack)])
        }
        TypeRef::Map(inner) => {
            if is_cyclic(inner, stack) {
                return Value::Object(Map::new());
            }
            let mut map = Map::new();
            map.insert("key".into(), of_type(api, inner, name, stack));
            Value::Object(map)
        }
        TypeRef::Any => Value::Object(Map::new()),
        TypeRef::Named(type_name) => of_named(api, type_name, name, stack),
    }
}

/// True when `ty` names a type already being built (or the nesting is too deep).
fn is_cyclic(ty: &TypeRef, stack: &[String]) -> bool {
    match ty {
        TypeRef::Named(n) => stack.len() >= MAX_DEPTH || stack.contains(n),
        TypeRef::Array(inner) | TypeRef::Map(inner) => is_cyclic(inner, stack),
        _ => false,
    }
}

fn of_named(api: &Api, type_name: &str, name: Option<&str>, stack: &mut Vec<String>) -> Value {
    let Some(def) = api.type_named(type_name) else {
        return Value::Null;
    };
    if let Some(example) = &def.example {
        return example.clone();
    }
    if stack.len() >= MAX_DEPTH || stack.iter().any(|s| s == type_name) {
        return Value::Null;
    }
    stack.push(type_name.to_owned());
    let value = match &def.kind {
        TypeKind::Struct(s) => {
            let mut map = Map::new();
            for field in &s.fields {
                if field.required || field.example.is_some() || field.default.is_some() {
                    map.insert(field.wire_name.clone(), of_field(api, field, stack));
                }
            }
            Value::Object(map)
        }
        TypeKind::Enum(e) => match e.values.first() {
            Some(v) => Value::from(v.wire.as_str()),
            None => Value::from(name.unwrap_or("string")),
        },
        TypeKind::OneOf(o) => match o.variants.first() {
            Some(v) => of_type(api, &v.ty, name, stack),
            None => Value::Null,
        },
    };
    stack.pop();
    value
}
