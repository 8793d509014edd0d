//! Query parameters are encoded by their declared `style` and `explode`: the model records the
//! style, the generated builder joins arrays for the joined styles (the runtime writes the
//! default style's arrays as repeated keys), and unsupported styles fall back with a warning.

use genauth_codegen::model::{ParamLocation, QueryStyle};
use genauth_codegen::{Options, generate};
use serde_json::json;

fn spec() -> Vec<u8> {
    let array = json!({"type": "array", "items": {"type": "string"}});
    let param = |name: &str, extra: serde_json::Value| {
        let mut p = json!({"name": name, "in": "query", "schema": array});
        p.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        p
    };
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/api/v3/list-things": {"get": {
            "operationId": "ThingsController_listThings",
            "parameters": [
                param("plain", json!({})),
                param("formExploded", json!({"style": "form", "explode": true})),
                param("commas", json!({"style": "form", "explode": false})),
                param("spaces", json!({"style": "spaceDelimited", "explode": false})),
                param("pipes", json!({"style": "pipeDelimited", "explode": false})),
                param("deep", json!({"style": "deepObject", "explode": true})),
                {"name": "page", "in": "query", "schema": {"type": "integer"}, "style": "form", "explode": false}
            ],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}
        }}}
    });
    serde_json::to_vec(&doc).unwrap()
}

#[test]
fn each_style_is_recorded_emitted_or_warned_about() {
    let generated = generate(&spec(), &Options { spec_path: "t.json".into(), docs: false }).expect("generates");
    let op = &generated.api.operations[0];
    let styles: Vec<(&str, QueryStyle)> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .map(|p| (p.field.wire_name.as_str(), p.style))
        .collect();
    assert_eq!(
        styles,
        [
            ("plain", QueryStyle::Form),
            ("formExploded", QueryStyle::Form),
            ("commas", QueryStyle::FormJoined),
            ("spaces", QueryStyle::SpaceDelimited),
            ("pipes", QueryStyle::PipeDelimited),
            ("deep", QueryStyle::Form),
            ("page", QueryStyle::Form),
        ]
    );
    let warnings: Vec<&str> = generated.api.warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(warnings.iter().any(|w| w.contains("`deepObject`") && w.contains("not supported")), "{warnings:?}");
    assert_eq!(warnings.len(), 1, "a scalar in `form, explode: false` is no problem: {warnings:?}");

    let ops: String = generated
        .files
        .iter()
        .filter(|f| f.path.starts_with("sdk/src/generated/operations/"))
        .map(|f| f.contents.as_str())
        .collect();
    // Without whitespace: the formatter breaks long calls across lines.
    let flat: String = ops.chars().filter(|c| !c.is_whitespace()).collect();
    // The space separator is a string literal, so it keeps its space: `" "` (flattened here).
    for (name, separator) in [("commas", ","), ("spaces", ""), ("pipes", "|")] {
        let call = format!(".query_joined(\"{name}\",&self.{name},\"{separator}\")?");
        assert!(flat.contains(&call), "no `{call}` in the builder");
    }
    for name in ["plain", "formExploded", "deep", "page"] {
        let call = format!(".query(\"{name}\",&self.");
        assert!(flat.contains(&call), "no `{call}` in the builder");
    }
}
