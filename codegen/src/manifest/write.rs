//! Writes the manifest from the model.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::emit::features::feature_name;
use crate::emit::rust::cycles::Boxing;
use crate::emit::rust::operations::builder_inputs;
use crate::model::direction::direction_of;
use crate::model::envelope::{HEAD, envelope_data};
use crate::model::{Api, Field, TypeKind, TypeRef};

/// The manifest of `api`, starting with `# {header}` (see the [module docs](super) for the format).
/// Deterministic: the same model always gives the same text.
pub fn emit(api: &Api, header: &str) -> String {
    let boxing = Boxing::compute(api);
    let directions = crate::model::direction::directions(api);
    let groups = crate::model::reach::type_groups(api);
    let mut out = String::new();
    let _ = writeln!(out, "# {header}");
    out.push_str(
        "# The sdk's generated API surface; `cargo xtask codegen` diffs it to report what a new spec changes.\n",
    );

    let mut operations: Vec<_> = api.operations.iter().collect();
    operations.sort_by(|a, b| a.name.cmp(&b.name));
    for op in operations {
        let response = op.response.ty.as_ref().map_or_else(|| "serde_json::Value".to_owned(), type_text);
        let deprecated = if op.deprecated { " deprecated" } else { "" };
        let _ = writeln!(out, "operation {} {} {} -> {response}{deprecated}", op.name, op.method.as_str(), op.path);
        let (inputs, _) = builder_inputs(api, op, |_, _| false);
        for input in inputs {
            let f = &input.field;
            // A setter takes the value itself whether or not `null` is allowed, so `nullable`
            // only shapes the API of a required input (its argument is then an `Option`).
            let mut flags = vec![if f.required { "required" } else { "optional" }];
            if f.required && f.nullable {
                flags.push("nullable");
            }
            if f.deprecated {
                flags.push("deprecated");
            }
            let _ = writeln!(out, "  input {}: {} {}", input.name, type_text(&f.ty), flags.join(" "));
        }
        if let Some(p) = &op.pagination {
            let _ = writeln!(out, "  paginator {}", type_text(&p.item));
        }
        let _ = writeln!(out, "  feature {}", feature_name(&op.group.slug));
    }

    let mut types: Vec<_> = api.types.iter().collect();
    types.sort_by(|a, b| a.name.cmp(&b.name));
    for t in types {
        let direction = direction_of(&directions, &t.name);
        let envelope = envelope_data(t, direction);
        let kind = match &t.kind {
            TypeKind::Struct(_) if envelope.is_some() => "envelope",
            TypeKind::Struct(_) => "struct",
            TypeKind::Enum(_) => "enum",
            TypeKind::OneOf(_) => "oneof",
        };
        let deprecated = if t.deprecated { " deprecated" } else { "" };
        let _ = writeln!(out, "type {} {kind} {}{deprecated}", t.name, direction.as_str());
        if let Some(slugs) = groups.get(t.name.as_str()) {
            let features: BTreeSet<String> = slugs.iter().map(|slug| feature_name(slug)).collect();
            let _ = writeln!(out, "  features {}", features.into_iter().collect::<Vec<_>>().join(" "));
        }
        // Open enums implement both serde traits whatever their direction.
        if !matches!(t.kind, TypeKind::Enum(_)) {
            let _ = writeln!(out, "  serde {}", direction.serde_traits().join(" "));
        }
        match &t.kind {
            // The envelope's fields (with `request_id` whether or not the schema has it), then
            // the schema's `data`.
            TypeKind::Struct(_) if let Some(data) = envelope => {
                for head in HEAD {
                    let ty = if head.integer { "i64" } else { "String" };
                    let presence = if head.required { "required" } else { "optional" };
                    let _ = writeln!(out, "  field {}: {ty} {presence}", head.rust);
                }
                let boxed = boxing.is_boxed(&t.name, &data.rust_name);
                let _ = writeln!(out, "  field data: {} {}", type_text(&data.ty), field_flags(data, boxed));
            }
            TypeKind::Struct(s) => {
                for f in &s.fields {
                    let boxed = boxing.is_boxed(&t.name, &f.rust_name);
                    let _ = writeln!(out, "  field {}: {} {}", f.rust_name, type_text(&f.ty), field_flags(f, boxed));
                }
            }
            TypeKind::Enum(e) => {
                for v in &e.values {
                    let _ = writeln!(out, "  value {} {}", wire_text(&v.wire), v.variant);
                }
                let _ = writeln!(out, "  other {}", e.catch_all);
            }
            TypeKind::OneOf(o) => {
                for v in &o.variants {
                    let boxed = if boxing.is_boxed(&t.name, &v.name) { " boxed" } else { "" };
                    let _ = writeln!(out, "  variant {}: {}{boxed}", v.name, type_text(&v.ty));
                }
                let _ = writeln!(out, "  other {}", crate::emit::rust::types::one_of_catch_all(o));
            }
        }
    }
    out
}

/// `required`/`optional`, then `nullable`, `boxed`, `deprecated` where they apply.
fn field_flags(f: &Field, boxed: bool) -> String {
    let mut flags = vec![if f.required { "required" } else { "optional" }];
    if f.nullable {
        flags.push("nullable");
    }
    if boxed {
        flags.push("boxed");
    }
    if f.deprecated {
        flags.push("deprecated");
    }
    flags.join(" ")
}

/// The compact Rust rendering of a type reference (`Vec<String>`, `BTreeMap<String, i64>`).
pub fn type_text(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String { .. } => "String".to_owned(),
        TypeRef::Integer { .. } => "i64".to_owned(),
        TypeRef::Number { .. } => "f64".to_owned(),
        TypeRef::Boolean => "bool".to_owned(),
        TypeRef::Array(item) => format!("Vec<{}>", type_text(item)),
        TypeRef::Map(value) => format!("BTreeMap<String, {}>", type_text(value)),
        TypeRef::Any => "serde_json::Value".to_owned(),
        TypeRef::Named(name) => name.clone(),
    }
}

/// An enum's wire value as written in the manifest: as is when it is a plain word (non-empty,
/// no whitespace, control characters or quotes), otherwise as a JSON string.
pub fn wire_text(wire: &str) -> String {
    let plain =
        !wire.is_empty() && !wire.starts_with('"') && !wire.chars().any(|c| c.is_whitespace() || c.is_control());
    if plain { wire.to_owned() } else { serde_json::Value::from(wire).to_string() }
}

#[cfg(test)]
mod tests {
    use super::super::PATH;
    use super::*;
    use crate::model::from_spec::build;
    use crate::validate::parse;

    fn api_of(spec: &serde_json::Value) -> Api {
        let bytes = serde_json::to_vec(spec).expect("serialises");
        build(&parse(&bytes, "spec.json").expect("parses")).expect("builds")
    }

    #[test]
    fn path_is_in_the_generated_folder() {
        assert!(PATH.starts_with(&format!("{}/", crate::emit::rust::OUTPUT_DIR)));
    }

    #[test]
    fn same_model_gives_byte_identical_text() {
        let api = api_of(&genauth_synthetic::synthetic_spec(40));
        let first = emit(&api, "generated from x, do not edit");
        assert_eq!(first, emit(&api, "generated from x, do not edit"));
        // Rebuilt from the spec, not just re-emitted from the same value.
        assert_eq!(first, emit(&api_of(&genauth_synthetic::synthetic_spec(40)), "generated from x, do not edit"));
        assert!(first.starts_with("# generated from x, do not edit\n"), "{first}");
    }

    #[test]
    fn entries_are_sorted_and_members_follow_the_builder() {
        let text = emit(&api_of(&genauth_synthetic::synthetic_spec(16)), "h");
        let names = |prefix: &str| -> Vec<String> {
            text.lines()
                .filter_map(|l| l.strip_prefix(prefix))
                .map(|rest| rest.split(' ').next().unwrap_or_default().to_owned())
                .collect()
        };
        for prefix in ["operation ", "type "] {
            let listed = names(prefix);
            let mut sorted = listed.clone();
            sorted.sort();
            assert_eq!(listed, sorted, "{prefix}entries are sorted");
            assert!(!listed.is_empty());
        }
        // Pattern 2 (`createThing`): the body struct's fields flattened, in declaration order.
        let create = text.split("\noperation ").find(|e| e.contains("/api/v3/create-thing-2 ")).expect("op 2");
        let inputs: Vec<&str> = create.lines().skip(1).take_while(|l| l.starts_with("  input ")).collect();
        assert_eq!(
            inputs,
            [
                "  input name: String required",
                "  input user_id: String optional",
                "  input user_id2: String optional",
                "  input tags: Vec<String> required",
                "  input names: QuirkyNamesDto optional",
                "  input enums: QuirkyEnumsDto optional",
            ],
            "{create}"
        );
    }

    #[test]
    fn directions_follow_inputs_and_responses_transitively() {
        let text = emit(&api_of(&genauth_synthetic::synthetic_spec(16)), "h");
        let line = |name: &str| {
            text.lines().find(|l| l.starts_with(&format!("type {name} "))).unwrap_or_else(|| panic!("{name}\n{text}"))
        };
        // Request body only, and what only it reaches.
        assert_eq!(line("CreateThing2Dto"), "type CreateThing2Dto struct in");
        assert_eq!(line("QuirkyEnumsDtoConnection"), "type QuirkyEnumsDtoConnection enum in");
        // Response only.
        assert_eq!(line("Thing0PaginatedRespDto"), "type Thing0PaginatedRespDto struct out");
        // Both: a request field (`members`) and response items (`owner`) hold it.
        assert_eq!(line("UserInfoDto"), "type UserInfoDto struct inout");
        // Recursive: boxed where it holds itself, reached from both sides.
        assert_eq!(line("TreeNodeDto"), "type TreeNodeDto struct inout");
        assert!(text.contains("\n  field parent: TreeNodeDto optional nullable boxed\n"), "{text}");
        assert!(text.contains("\n  value \"a b\" AB\n"), "{text}");
    }

    #[test]
    fn wire_values_that_are_not_plain_words_are_quoted() {
        assert_eq!(wire_text("wechat:pc"), "wechat:pc");
        assert_eq!(wire_text("a b"), "\"a b\"");
        assert_eq!(wire_text(""), "\"\"");
        assert_eq!(wire_text("\"x"), "\"\\\"x\"");
        assert_eq!(wire_text("a\nb"), "\"a\\nb\"");
    }
}
