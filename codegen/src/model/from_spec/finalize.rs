//! Final type names and ordering.
//!
//! Names are handed out once every type is known, in a fixed order (components in declaration
//! order, then inline types in discovery order), so which of two colliding types gets the suffix
//! does not depend on which operation happened to reach it first. Components go first because
//! their names are the public API users already know.

use std::collections::BTreeMap;

use super::Builder;
use crate::model::naming::{RESERVED_TYPE_NAMES, UniqueNames};
use crate::model::{Field, Operation, TypeDef, TypeKind, TypeRef};

/// Turns the builder's types into the final, uniquely named, sorted list, rewrites every
/// [`TypeRef::Named`] in types and operations from internal keys to final names, and sorts the
/// operations.
pub(super) fn finalize(b: &mut Builder<'_>, mut operations: Vec<Operation>) -> (Vec<TypeDef>, Vec<Operation>) {
    let mut order: Vec<(&String, (u8, usize))> = b.types.iter().map(|(k, s)| (k, s.rank)).collect();
    order.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(b.0)));
    let mut names = UniqueNames::with_taken(RESERVED_TYPE_NAMES);
    let mut claimed_by: BTreeMap<String, String> = BTreeMap::new();
    let mut final_names: BTreeMap<String, String> = BTreeMap::new();
    let mut warnings = Vec::new();
    for (key, _) in order {
        let Some(slot) = b.types.get(key) else {
            continue;
        };
        let base = &slot.def.name;
        let name = names.claim(base);
        if &name != base {
            let why = match claimed_by.get(base) {
                Some(other) => format!("`{base}` is taken by `{other}`"),
                None => format!("`{base}` would shadow a Rust name the generated code uses"),
            };
            warnings.push((slot.def.pointer.clone(), format!("type `{}` is named `{name}`: {why}", slot.def.origin)));
        }
        claimed_by.insert(name.clone(), slot.def.origin.clone());
        final_names.insert(key.clone(), name);
    }
    for (pointer, message) in warnings {
        b.warn(pointer, message);
    }

    let mut types: Vec<TypeDef> = Vec::with_capacity(b.types.len());
    for (key, slot) in std::mem::take(&mut b.types) {
        let mut def = slot.def;
        if let Some(name) = final_names.get(&key) {
            def.name = name.clone();
        }
        match &mut def.kind {
            TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| rename(&mut f.ty, &final_names)),
            TypeKind::OneOf(o) => o.variants.iter_mut().for_each(|v| rename(&mut v.ty, &final_names)),
            TypeKind::Enum(_) => {}
        }
        types.push(def);
    }
    types.sort_by(|a, b| a.name.cmp(&b.name));

    for op in &mut operations {
        op.params.iter_mut().for_each(|p| rename_field(&mut p.field, &final_names));
        if let Some(body) = &mut op.body {
            rename(&mut body.ty, &final_names);
        }
        if let Some(ty) = &mut op.response.ty {
            rename(ty, &final_names);
        }
    }
    operations.sort_by(|a, b| a.name.cmp(&b.name));
    (types, operations)
}

fn rename_field(f: &mut Field, names: &BTreeMap<String, String>) {
    rename(&mut f.ty, names);
}

fn rename(ty: &mut TypeRef, names: &BTreeMap<String, String>) {
    match ty {
        TypeRef::Named(key) => {
            if let Some(name) = names.get(key) {
                *key = name.clone();
            }
        }
        TypeRef::Array(inner) | TypeRef::Map(inner) => rename(inner, names),
        TypeRef::String { .. } | TypeRef::Integer { .. } | TypeRef::Number { .. } | TypeRef::Boolean | TypeRef::Any => {
        }
    }
}
