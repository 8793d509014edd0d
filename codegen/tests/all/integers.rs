//! The integral numbers of the upstream spec (`spec/shared/overlays/10-integers.yaml`): every node the
//! curated list retypes is an `integer` in the effective spec whose example and default decode as
//! `i64`, and no page, limit, count or code is left a float anywhere in the model.

use crate::real_spec;

use genauth_codegen::model::{Field, TypeKind, TypeRef};
use serde_json::Value;
use serde_json_path::JsonPath;

const INTEGERS: &str = "spec/shared/overlays/10-integers.yaml";

#[test]
fn every_retyped_field_is_an_integer_whose_example_decodes_as_i64() {
    let layers = real_spec::layers();
    let overlay = layers.overlays.iter().find(|o| o.name == INTEGERS).expect("the integers overlay");
    let upstream: Value = serde_json::from_slice(&real_spec::spec_bytes()).expect("upstream parses");
    let effective = real_spec::effective();
    let mut checked = 0;
    for action in &overlay.actions {
        let path = JsonPath::parse(&action.target).expect("a JSONPath");
        // Evaluated on the upstream document, where the targets select `type: number` nodes.
        let pointers: Vec<String> = path.query_located(&upstream).locations().map(|l| l.to_json_pointer()).collect();
        assert!(!pointers.is_empty(), "{}: selects nothing upstream", action.target);
        for pointer in pointers {
            let node = effective.pointer(&pointer).unwrap_or_else(|| panic!("{pointer} gone"));
            assert_eq!(node["type"], "integer", "{pointer}");
            for key in ["example", "default"] {
                if let Some(value) = node.get(key).filter(|v| !v.is_null()) {
                    let decoded: Result<i64, _> = serde_json::from_value(value.clone());
                    assert!(decoded.is_ok(), "{pointer}/{key} = {value} does not decode as i64");
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 600, "only {checked} fields retyped");
}

/// Names whose numbers are integral by nature; none of them may be an `f64` in the generated code.
const INTEGRAL_NAMES: &[&str] = &["page", "limit", "totalCount", "total", "statusCode", "apiCode"];

#[test]
fn no_page_limit_count_or_code_is_a_float() {
    let api = real_spec::generate(false).0.api;
    let mut fields: Vec<(String, &Field)> = Vec::new();
    for op in &api.operations {
        fields.extend(op.params.iter().map(|p| (format!("{} parameter", op.name), &p.field)));
    }
    for ty in &api.types {
        if let TypeKind::Struct(s) = &ty.kind {
            fields.extend(s.fields.iter().map(|f| (ty.name.clone(), f)));
        }
    }
    let mut integral = 0;
    for (owner, field) in fields {
        if !INTEGRAL_NAMES.contains(&field.wire_name.as_str()) {
            continue;
        }
        assert!(!matches!(field.ty, TypeRef::Number { .. }), "{owner}.{} is f64", field.wire_name);
        integral += usize::from(matches!(field.ty, TypeRef::Integer { .. }));
    }
    assert!(integral > 500, "only {integral} integral page/limit/count/code fields");
}
