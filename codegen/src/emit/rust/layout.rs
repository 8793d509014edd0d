//! Which file each generated item goes to, so that each API group can be a Cargo feature:
//! a module per group holds its operations (`operations/<group>.rs`) and the types only it
//! reaches (`types/<group>.rs`), and is compiled when the group's feature is on. Types that
//! several groups reach go to `types/shared.rs`, each compiled when any of those groups' features
//! is on.

use std::collections::{BTreeMap, BTreeSet};

use crate::emit::features::feature_name;
use crate::model::reach::type_groups;
use crate::model::{Api, Group, Operation, TypeDef, TypeKind, TypeRef};

/// One API group's modules.
pub(crate) struct GroupModule<'a> {
    /// The module (and file) name: the slug in snake case.
    pub(crate) module: String,
    /// The Cargo feature that compiles it.
    pub(crate) feature: String,
    /// The group.
    pub(crate) group: &'a Group,
    /// Its operations, in model order.
    pub(crate) operations: Vec<&'a Operation>,
    /// The types only this group reaches, in model order.
    pub(crate) types: Vec<&'a TypeDef>,
}

/// A type several groups reach.
pub(crate) struct SharedType<'a> {
    /// The type.
    pub(crate) def: &'a TypeDef,
    /// The features of the groups that reach it, sorted; empty when no operation reaches it (only
    /// in hand-built models), and then it is always compiled.
    pub(crate) features: Vec<String>,
}

/// Where everything goes.
pub(crate) struct Layout<'a> {
    /// One per group, in feature-name order.
    pub(crate) groups: Vec<GroupModule<'a>>,
    /// Types of `types/shared.rs`, in model order.
    pub(crate) shared: Vec<SharedType<'a>>,
}

impl GroupModule<'_> {
    /// True when one of the group's types names a type outside the group (a shared one), so its
    /// types file needs `use super::*`. Shared types never name a group's type: every group that
    /// reaches a shared type reaches what it names, so that is shared too.
    pub(crate) fn names_shared_types(&self) -> bool {
        let own: BTreeSet<&str> = self.types.iter().map(|t| t.name.as_str()).collect();
        let mut named = Vec::new();
        for def in &self.types {
            match &def.kind {
                TypeKind::Struct(s) => named.extend(s.fields.iter().map(|f| &f.ty)),
                TypeKind::OneOf(o) => named.extend(o.variants.iter().map(|v| &v.ty)),
                TypeKind::Enum(_) => {}
            }
        }
        while let Some(ty) = named.pop() {
            match ty {
                TypeRef::Array(inner) | TypeRef::Map(inner) => named.push(inner),
                TypeRef::Named(name) if !own.contains(name.as_str()) => return true,
                _ => {}
            }
        }
        false
    }
}

/// Module names the generated folders use for themselves.
const TAKEN: &[&str] = &["mod", "shared"];

impl<'a> Layout<'a> {
    pub(crate) fn new(api: &'a Api) -> Self {
        let mut groups: BTreeMap<String, GroupModule<'a>> = BTreeMap::new();
        let mut modules: BTreeSet<String> = BTreeSet::new();
        for op in &api.operations {
            let feature = feature_name(&op.group.slug);
            let module = groups.entry(feature.clone()).or_insert_with(|| GroupModule {
                module: module_name(&op.group.slug, &mut modules),
                feature,
                group: &op.group,
                operations: Vec::new(),
                types: Vec::new(),
            });
            module.operations.push(op);
        }
        let reached = type_groups(api);
        let mut shared = Vec::new();
        for def in &api.types {
            let features: BTreeSet<String> =
                reached.get(def.name.as_str()).into_iter().flatten().map(|slug| feature_name(slug)).collect();
            match features.iter().next() {
                Some(only) if features.len() == 1 => {
                    groups.get_mut(only).expect("a reached type's group has operations").types.push(def)
                }
                _ => shared.push(SharedType { def, features: features.into_iter().collect() }),
            }
        }
        Layout { groups: groups.into_values().collect(), shared }
    }
}

/// A legal, unused module name for the group `slug`: its snake case, prefixed with `group_` when
/// that is a keyword or a name the folders use, and suffixed when two slugs meet in snake case.
fn module_name(slug: &str, used: &mut BTreeSet<String>) -> String {
    let snake: String =
        slug.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    let legal = syn::parse_str::<syn::Ident>(&snake).is_ok() && !TAKEN.contains(&snake.as_str());
    let base = if legal { snake } else { format!("group_{snake}") };
    let mut name = base.clone();
    let mut n = 2;
    while !used.insert(name.clone()) {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::module_name;
    use std::collections::BTreeSet;

    #[test]
    fn module_names_are_legal_and_unique() {
        let mut used = BTreeSet::new();
        let names: Vec<String> = ["users", "custom-fields", "custom_fields", "mod", "shared", "type", "3d", ""]
            .iter()
            .map(|s| module_name(s, &mut used))
            .collect();
        assert_eq!(
            names,
            [
                "users",
                "custom_fields",
                "custom_fields_2",
                "group_mod",
                "group_shared",
                "group_type",
                "group_3d",
                "group_"
            ]
        );
    }
}
