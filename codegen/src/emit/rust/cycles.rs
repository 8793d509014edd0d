//! Which fields need a `Box`: a struct (or oneOf) that contains itself by value, directly or
//! through other types, has infinite size. `Vec` and `BTreeMap` already put their items on the
//! heap, so only edges that hold a named type *directly* (`T` or `Option<T>`) count.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Api, TypeKind, TypeRef};

/// The set of `(type, member)` pairs to box, where member is a struct field's `rust_name` or a
/// oneOf variant's name.
#[derive(Debug, Default, Clone)]
pub(crate) struct Boxing {
    boxed: BTreeSet<(String, String)>,
}

impl Boxing {
    /// Computes the set for `api`: an edge `S -> T` is boxed when `S` is reachable from `T`
    /// through direct edges. Every cycle passes through an edge leaving each of its members, so
    /// this breaks all cycles (boxing a little more than the minimum, which is harmless).
    pub(crate) fn compute(api: &Api) -> Self {
        let mut edges: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
        for t in &api.types {
            let out = edges.entry(t.name.as_str()).or_default();
            match &t.kind {
                TypeKind::Struct(s) => {
                    for f in &s.fields {
                        if let TypeRef::Named(target) = &f.ty {
                            out.push((f.rust_name.as_str(), target.as_str()));
                        }
                    }
                }
                TypeKind::OneOf(o) => {
                    for v in &o.variants {
                        if let TypeRef::Named(target) = &v.ty {
                            out.push((v.name.as_str(), target.as_str()));
                        }
                    }
                }
                TypeKind::Enum(_) => {}
            }
        }
        let mut boxed = BTreeSet::new();
        for (owner, out) in &edges {
            for (member, target) in out {
                if reaches(&edges, target, owner) {
                    boxed.insert(((*owner).to_owned(), (*member).to_owned()));
                }
            }
        }
        Boxing { boxed }
    }

    /// True when `owner`'s field or variant `member` must be boxed.
    pub(crate) fn is_boxed(&self, owner: &str, member: &str) -> bool {
        self.boxed.contains(&(owner.to_owned(), member.to_owned()))
    }
}

/// True when `to` is reachable from `from` (a path of length zero counts).
fn reaches(edges: &BTreeMap<&str, Vec<(&str, &str)>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from];
    while let Some(node) = stack.pop() {
        if node == to {
            return true;
        }
        if seen.insert(node)
            && let Some(out) = edges.get(node)
        {
            stack.extend(out.iter().map(|(_, target)| *target));
        }
    }
    false
}
