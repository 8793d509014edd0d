//! Which types an operation reaches, and so which types each API group (a Cargo feature of the
//! sdk) needs: a type is compiled when any group that reaches it is enabled.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Api, Operation, TypeDef, TypeKind, TypeRef};

/// Calls `visit` on every named type `ty` reaches (`ty` itself included), through fields, array
/// items, map values and oneOf variants. `visit` returns whether to go on below the type it was
/// given, which is how callers stop at types they have already seen (cycles end there).
pub fn walk<'a>(api: &'a Api, ty: &'a TypeRef, mut visit: impl FnMut(&'a TypeDef) -> bool) {
    let mut stack = vec![ty];
    while let Some(ty) = stack.pop() {
        match ty {
            TypeRef::Array(inner) | TypeRef::Map(inner) => stack.push(inner),
            TypeRef::Named(name) => {
                let Some(def) = api.type_named(name) else {
                    continue;
                };
                if !visit(def) {
                    continue;
                }
                match &def.kind {
                    TypeKind::Struct(s) => stack.extend(s.fields.iter().map(|f| &f.ty)),
                    TypeKind::OneOf(o) => stack.extend(o.variants.iter().map(|v| &v.ty)),
                    TypeKind::Enum(_) => {}
                }
            }
            TypeRef::String { .. }
            | TypeRef::Integer { .. }
            | TypeRef::Number { .. }
            | TypeRef::Boolean
            | TypeRef::Any => {}
        }
    }
}

/// The types an operation takes (parameters, then the whole body) and the one it returns.
pub fn roots(op: &Operation) -> (impl Iterator<Item = &TypeRef>, Option<&TypeRef>) {
    let inputs = op.params.iter().map(|p| &p.field.ty).chain(op.body.iter().map(|b| &b.ty));
    (inputs, op.response.ty.as_ref())
}

/// For every type some operation reaches, the slugs of the groups whose operations reach it.
/// Types no operation reaches (only in hand-built models) are absent.
pub fn type_groups(api: &Api) -> BTreeMap<&str, BTreeSet<&str>> {
    let mut found: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for op in &api.operations {
        let slug = op.group.slug.as_str();
        let (inputs, output) = roots(op);
        for ty in inputs.chain(output) {
            walk(api, ty, |def| found.entry(def.name.as_str()).or_default().insert(slug));
        }
    }
    found
}
