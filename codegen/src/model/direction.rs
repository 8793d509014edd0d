//! Which types travel which way: taken as inputs (parameters, bodies), returned in responses, or
//! both. The Rust emitter gives only input types constructors, setters and checks (nobody builds
//! or validates a response), and the API manifest records each type's direction.

use std::collections::BTreeMap;

use crate::model::{Api, TypeKind, TypeRef};

/// Whether a type is reached from operations' inputs, responses, or both. A type reached from
/// neither (only in hand-built models) counts as both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Direction {
    /// Reached from a parameter or a request body.
    pub input: bool,
    /// Reached from a response.
    pub output: bool,
}

impl Direction {
    /// `in`, `out` or `inout`, as the manifest writes it.
    pub fn as_str(self) -> &'static str {
        match (self.input, self.output) {
            (true, false) => "in",
            (false, true) => "out",
            _ => "inout",
        }
    }

    /// True when users build values of the type (it is an input, or its direction is unknown).
    pub fn is_built(self) -> bool {
        self.input || !self.output
    }
}

/// The direction of every type an operation reaches: from each input's type (parameters and the
/// whole body) as `in`, from each response's as `out`, through fields, array items, map values
/// and oneOf variants.
pub fn directions(api: &Api) -> BTreeMap<&str, Direction> {
    let mut found: BTreeMap<&str, Direction> = BTreeMap::new();
    for op in &api.operations {
        let inputs = op.params.iter().map(|p| &p.field.ty).chain(op.body.iter().map(|b| &b.ty));
        for ty in inputs {
            mark(api, ty, true, &mut found);
        }
        if let Some(ty) = &op.response.ty {
            mark(api, ty, false, &mut found);
        }
    }
    found
}

/// Marks every named type `ty` reaches as an input (`input`) or output type.
fn mark<'a>(api: &'a Api, ty: &'a TypeRef, input: bool, found: &mut BTreeMap<&'a str, Direction>) {
    let mut stack = vec![ty];
    while let Some(ty) = stack.pop() {
        match ty {
            TypeRef::Array(inner) | TypeRef::Map(inner) => stack.push(inner),
            TypeRef::Named(name) => {
                let Some(def) = api.type_named(name) else {
                    continue;
                };
                let direction = found.entry(def.name.as_str()).or_default();
                let seen = if input { &mut direction.input } else { &mut direction.output };
                if std::mem::replace(seen, true) {
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
