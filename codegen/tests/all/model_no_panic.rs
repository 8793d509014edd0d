//! Property tests: no input makes parsing or model building panic.

use genauth_codegen::model::from_spec::build;
use genauth_codegen::model::{Api, TypeKind, TypeRef};
use genauth_codegen::validate::parse;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Schema-like JSON built from the keywords the builder looks at, so the tests reach deep paths
/// (refs, wrappers, enums, merges) instead of bouncing off the first type check.
fn schema_like() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(json!({"type": "string"})),
        Just(json!({"type": "integer", "enum": [1, null]})),
        Just(json!({"type": "string", "enum": ["a-b", "a_b", "", "1", null]})),
        Just(json!({})),
        Just(json!({"type": "array"})),
        Just(json!({"type": ["string"]})),
        Just(json!(null)),
        Just(json!(7)),
        prop_oneof![Just("A"), Just("B"), Just("Missing"), Just("A/properties/x")]
            .prop_map(|n| json!({"$ref": format!("#/components/schemas/{n}")})),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        let key = prop_oneof![
            Just("type"),
            Just("properties"),
            Just("items"),
            Just("allOf"),
            Just("oneOf"),
            Just("anyOf"),
            Just("enum"),
            Just("required"),
            Just("additionalProperties"),
            Just("nullable"),
            Just("description"),
            Just("x"),
            Just("self"),
            Just("名称"),
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(|parts| json!({"allOf": parts})),
            prop::collection::vec(inner.clone(), 0..3).prop_map(|parts| json!({"oneOf": parts})),
            inner.clone().prop_map(|items| json!({"type": "array", "items": items})),
            prop::collection::vec((key, inner), 0..4).prop_map(|props| {
                let props: Map<String, Value> = props.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
                json!({"type": "object", "required": ["x", "type"], "properties": props})
            }),
        ]
    })
}

proptest! {
    #[test]
    fn parse_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = parse(&bytes, "fuzz");
    }

    #[test]
    fn parse_never_panics_on_yaml_like_text(text in "[a-z0-9:{}\\[\\]\\-\\n \"'!&*?|>#.]{0,120}") {
        let _ = parse(text.as_bytes(), "fuzz");
    }

    #[test]
    fn build_never_panics(body in schema_like(), a in schema_like(), b in schema_like(), param in schema_like()) {
        let doc = json!({
            "openapi": "3.0.0",
            "info": {"title": "T", "version": "1"},
            "paths": {"/p/{id}": {"post": {
                "operationId": "C_create",
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": param},
                    {"name": "q", "in": "query", "maxLength": 3, "enum": ["x"]}
                ],
                "requestBody": {"content": {"application/json": {"schema": body}}},
                "responses": {"200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}
            }}},
            "components": {"schemas": {"A": a, "B": b}},
        });
        let bytes = serde_json::to_vec(&doc).expect("serializable");
        if let Ok(spec) = parse(&bytes, "fuzz") {
            match build(&spec) {
                Ok(api) => {
                    // Names are unique and sorted, and every Named reference resolves.
                    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
                    let mut sorted = names.clone();
                    sorted.sort_unstable();
                    sorted.dedup();
                    prop_assert_eq!(&names, &sorted);
                    for name in referenced_names(&api) {
                        prop_assert!(api.type_named(&name).is_some(), "dangling Named({})", name);
                    }
                }
                Err(diags) => prop_assert!(!diags.0.is_empty()),
            }
        }
    }
}

/// Every type name a [`TypeRef::Named`] in the model mentions.
fn referenced_names(api: &Api) -> Vec<String> {
    fn walk(ty: &TypeRef, out: &mut Vec<String>) {
        match ty {
            TypeRef::Named(n) => out.push(n.clone()),
            TypeRef::Array(inner) | TypeRef::Map(inner) => walk(inner, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for t in &api.types {
        match &t.kind {
            TypeKind::Struct(s) => s.fields.iter().for_each(|f| walk(&f.ty, &mut out)),
            TypeKind::OneOf(o) => o.variants.iter().for_each(|v| walk(&v.ty, &mut out)),
            TypeKind::Enum(_) => {}
        }
    }
    for op in &api.operations {
        op.params.iter().for_each(|p| walk(&p.field.ty, &mut out));
        if let Some(b) = &op.body {
            walk(&b.ty, &mut out);
        }
        if let Some(t) = &op.response.ty {
            walk(t, &mut out);
        }
    }
    out
}
