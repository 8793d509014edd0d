//! Several documents, one crate: the models of the upstream documents (the Management API, the
//! Authentication API) merged into the one [`Api`] the Rust emitter writes.
//!
//! Each document is modelled on its own first (its layers, names, warnings), so the merge only has
//! to say what the documents may not share:
//! - a type name means one type: a schema both documents hold identically becomes one Rust type;
//!   two different types under one name are an error naming both pointers (a curated
//!   `x-genauth-name` in one document's layers resolves it);
//! - a group slug belongs to one document (it is a Cargo feature and a module);
//! - a request builder name belongs to one operation (the builders of every group are re-exported
//!   side by side from `genauth::operations`).
//!
//! Operations keep their [`Operation::client`](super::Operation::client), so each lands on its own client.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Api, TypeDef};

/// One document's model and the path it was read from (named in diagnostics).
pub struct Part<'a> {
    /// `spec/authentication-openapi.json`.
    pub spec_path: &'a str,
    /// Its model.
    pub api: &'a Api,
}

/// The Cargo feature that turns on every group of the client `client` in a crate of several
/// clients: its name without `Client`, in kebab case (`ManagementClient` -> `management`). No
/// group may take that name (the merge refuses it).
pub fn client_feature(client: &str) -> String {
    use heck::ToKebabCase;
    client.strip_suffix("Client").unwrap_or(client).to_kebab_case()
}

/// The models merged: every operation, each identical type once. Title and version join the
/// documents' own (one version when they agree). `Err` lists every conflict.
pub fn merge(parts: &[Part<'_>]) -> Result<Api, Diagnostics> {
    let mut errors = Vec::new();
    let umbrellas: Vec<String> = parts.iter().map(|p| client_feature(&p.api.client_name)).collect();
    let mut types: BTreeMap<&str, (&str, &TypeDef)> = BTreeMap::new();
    let mut groups: BTreeMap<&str, &str> = BTreeMap::new();
    let mut builders: BTreeMap<String, (&str, &str)> = BTreeMap::new();
    for part in parts {
        for def in &part.api.types {
            match types.get(def.name.as_str()) {
                None => {
                    types.insert(&def.name, (part.spec_path, def));
                }
                Some((_, first)) if *first == def => {}
                Some((first_path, first)) => errors.push(Diagnostic::error(
                    format!("{}{}", part.spec_path, def.pointer),
                    format!(
                        "type `{}` is also made from {first_path}{} and the two differ ({}); give one of them another \
                         name (`x-genauth-name` in its document's spec/<api>/overlays)",
                        def.name,
                        first.pointer,
                        difference(first, def)
                    ),
                )),
            }
        }
        for op in &part.api.operations {
            if umbrellas.contains(&op.group.slug) {
                errors.push(Diagnostic::error(
                    format!("{}{}", part.spec_path, op.pointer),
                    format!(
                        "group `{}` has the name of the feature that turns on a whole API; give the group another slug \
                         (`x-genauth-tag`)",
                        op.group.slug
                    ),
                ));
            }
            if let Some(other) = groups.insert(&op.group.slug, part.spec_path)
                && other != part.spec_path
            {
                errors.push(Diagnostic::error(
                    format!("{}{}", part.spec_path, op.pointer),
                    format!(
                        "group `{}` is also a group of {other}; a group is a Cargo feature and a module, so each \
                         document needs its own slugs (`x-genauth-tag` in spec/<api>/overlays)",
                        op.group.slug
                    ),
                ));
            }
            let builder = op.builder_name();
            if let Some((other_path, other_op)) = builders.insert(builder.clone(), (part.spec_path, &op.pointer))
                && other_path != part.spec_path
            {
                errors.push(Diagnostic::error(
                    format!("{}{}", part.spec_path, op.pointer),
                    format!(
                        "its request builder `{builder}` is also the builder of {other_path}{other_op}; give one of \
                         them another name (`x-genauth-name`)"
                    ),
                ));
            }
        }
    }
    if !errors.is_empty() {
        errors.sort();
        errors.dedup();
        return Err(Diagnostics(errors));
    }
    let mut operations: Vec<_> = parts.iter().flat_map(|p| p.api.operations.iter().cloned()).collect();
    operations.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.client.cmp(&b.client)));
    let mut versions: Vec<&str> = parts.iter().map(|p| p.api.version.as_str()).collect();
    versions.dedup();
    Ok(Api {
        title: parts.iter().map(|p| p.api.title.as_str()).collect::<Vec<_>>().join(" and "),
        version: versions.join(", "),
        client_name: parts.first().map(|p| p.api.client_name.clone()).unwrap_or_default(),
        operations,
        types: types.into_values().map(|(_, def)| def.clone()).collect(),
        unpaged: {
            let mut unpaged: Vec<_> = parts.iter().flat_map(|p| p.api.unpaged.iter().cloned()).collect();
            unpaged.sort();
            unpaged
        },
        warnings: parts.iter().flat_map(|p| p.api.warnings.iter().cloned()).collect(),
    })
}

/// What differs between two types of one name, in a few words (the first difference found).
fn difference(a: &TypeDef, b: &TypeDef) -> &'static str {
    use crate::model::TypeKind;
    match (&a.kind, &b.kind) {
        (TypeKind::Struct(x), TypeKind::Struct(y)) if x.fields.len() != y.fields.len() => "their fields differ",
        (TypeKind::Struct(x), TypeKind::Struct(y)) => match x.fields.iter().zip(&y.fields).find(|(f, g)| f != g) {
            Some((f, g)) if f.wire_name != g.wire_name || f.ty != g.ty || f.required != g.required => {
                "their fields differ"
            }
            Some(_) => "a field's description, example or constraints differ",
            None if a.description != b.description || a.example != b.example => "their descriptions or examples differ",
            None => "their origins differ",
        },
        (x, y) if std::mem::discriminant(x) != std::mem::discriminant(y) => {
            "one is a struct, enum or oneOf, the other not"
        }
        _ if a.kind != b.kind => "their values or variants differ",
        _ => other_difference(a, b),
    }
}

/// What differs between two types of one name whose members agree.
fn other_difference(a: &TypeDef, b: &TypeDef) -> &'static str {
    if a.description != b.description {
        "their descriptions differ"
    } else if a.example != b.example {
        "their examples differ"
    } else if a.deprecated != b.deprecated {
        "one is deprecated, the other not"
    } else if a.origin != b.origin {
        "they are made from different places (an operation's inline schema in each)"
    } else {
        "they are made from different pointers"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Field, StructDef, Text, TypeKind, TypeRef};

    fn api(title: &str, types: Vec<TypeDef>) -> Api {
        Api {
            title: title.into(),
            version: "3.0".into(),
            client_name: format!("{title}Client"),
            operations: Vec::new(),
            types,
            unpaged: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn dto(field_ty: TypeRef) -> TypeDef {
        TypeDef {
            name: "Dto".into(),
            origin: "Dto".into(),
            description: Text::default(),
            example: None,
            deprecated: false,
            pointer: "#/components/schemas/Dto".into(),
            kind: TypeKind::Struct(StructDef { fields: vec![Field::plain("a", "a", field_ty, true)] }),
        }
    }

    #[test]
    fn identical_types_become_one_and_different_ones_are_named() {
        let (a, b) = (
            api("A", vec![dto(TypeRef::String { format: None })]),
            api("B", vec![dto(TypeRef::String { format: None })]),
        );
        let merged = merge(&[Part { spec_path: "a.json", api: &a }, Part { spec_path: "b.json", api: &b }]).unwrap();
        assert_eq!(merged.types.len(), 1);
        assert_eq!(merged.title, "A and B");
        assert_eq!(merged.version, "3.0");

        let c = api("C", vec![dto(TypeRef::Integer { format: None })]);
        let err = merge(&[Part { spec_path: "a.json", api: &a }, Part { spec_path: "c.json", api: &c }]).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("c.json#/components/schemas/Dto"), "{text}");
        assert!(text.contains("a.json#/components/schemas/Dto"), "{text}");
        assert!(text.contains("their fields differ"), "{text}");
    }

    fn op(name: &str, slug: &str, client: &str) -> crate::model::Operation {
        use crate::model::{Group, HttpMethod, Response};
        crate::model::Operation {
            operation_id: format!("C_{name}"),
            name: name.into(),
            pascal_name: heck::ToUpperCamelCase::to_upper_camel_case(name),
            method: HttpMethod::Post,
            path: format!("/{name}"),
            group: Group { slug: slug.into(), name: Text::default() },
            summary: Text::default(),
            description: Text::default(),
            deprecated: false,
            idempotent: None,
            user_token: false,
            sign_in: false,
            params: Vec::new(),
            body: None,
            response: Response { status: 200, ty: None, description: Text::default() },
            pointer: format!("#/paths/~1{name}/post"),
            client: client.into(),
            pagination: None,
        }
    }

    #[test]
    fn a_group_a_builder_or_an_api_feature_of_one_name_is_refused() {
        let mut a = api("Management", Vec::new());
        a.operations = vec![op("kick", "users", "ManagementClient")];
        let mut b = api("Authentication", Vec::new());
        b.operations =
            vec![op("kick", "users", "AuthenticationClient"), op("login", "management", "AuthenticationClient")];
        let err = merge(&[Part { spec_path: "m.json", api: &a }, Part { spec_path: "a.json", api: &b }]).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("group `users` is also a group of m.json"), "{text}");
        assert!(
            text.contains("its request builder `KickRequest` is also the builder of m.json#/paths/~1kick/post"),
            "{text}"
        );
        assert!(text.contains("group `management` has the name of the feature"), "{text}");
        // Apart, the same operations merge, each keeping its client.
        b.operations = vec![op("login", "sign-in", "AuthenticationClient")];
        let merged = merge(&[Part { spec_path: "m.json", api: &a }, Part { spec_path: "a.json", api: &b }]).unwrap();
        let clients: Vec<&str> = merged.operations.iter().map(|o| o.client.as_str()).collect();
        assert_eq!(clients, ["ManagementClient", "AuthenticationClient"]);
    }
}
