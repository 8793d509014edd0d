//! Which operations get a paginator: found from the shape (page and size inputs in the query or
//! somewhere in the body, an answer holding a list), switched off or renamed by the curated
//! `x-genauth-pagination`, and on the upstream spec the numbers the codegen report shows.

use genauth_codegen::model::{Api, PageInput, Pagination, TypeRef};
use genauth_codegen::{Options, generate};
use serde_json::{Value, json};

use crate::real_spec;

fn envelope(data: Value) -> Value {
    json!({"type": "object", "required": ["statusCode", "data"], "properties": {
        "statusCode": {"type": "integer"}, "data": data
    }})
}

fn ok(schema: Value) -> Value {
    json!({"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}})
}

fn query(name: &str, ty: &str) -> Value {
    json!({"name": name, "in": "query", "schema": {"type": ty}})
}

fn body(schema: Value) -> Value {
    json!({"content": {"application/json": {"schema": schema}}})
}

fn page_of_things() -> Value {
    envelope(json!({"$ref": "#/components/schemas/ThingPage"}))
}

fn api(paths: Value) -> Api {
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {"schemas": {
            "Thing": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
            "ThingPage": {"type": "object", "required": ["totalCount", "list"], "properties": {
                "totalCount": {"type": "integer"},
                "list": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}
            }},
            "Pagination": {"type": "object", "properties": {
                "page": {"type": "integer"}, "limit": {"type": "integer", "maximum": 20}
            }},
            "Options": {"type": "object", "properties": {
                "pagination": {"$ref": "#/components/schemas/Pagination"}
            }},
            "StrictOptions": {"type": "object", "required": ["mode"], "properties": {
                "mode": {"type": "string"},
                "pagination": {"$ref": "#/components/schemas/Pagination"}
            }}
        }}
    });
    generate(&serde_json::to_vec(&doc).unwrap(), &Options { spec_path: "t.json".into(), docs: false })
        .expect("generates")
        .api
}

fn get(op_id: &str, params: Value, response: Value) -> Value {
    json!({"get": {"operationId": op_id, "parameters": params, "responses": ok(response)}})
}

fn post(op_id: &str, body_schema: Value, response: Value) -> Value {
    json!({"post": {"operationId": op_id, "requestBody": body(body_schema), "responses": ok(response)}})
}

fn pagination<'a>(api: &'a Api, name: &str) -> Option<&'a Pagination> {
    api.operations.iter().find(|o| o.name == name).unwrap_or_else(|| panic!("no operation {name}")).pagination.as_ref()
}

#[test]
fn query_body_and_nested_body_inputs_are_found() {
    let api = api(json!({
        "/q": get("C_listQuery", json!([query("page", "integer"), query("limit", "integer"), query("q", "string")]), page_of_things()),
        "/b": post("C_listBody", json!({"type": "object", "properties": {
            "page": {"type": "string"}, "limit": {"type": "string"}
        }}), page_of_things()),
        "/n": post("C_listNested", json!({"type": "object", "properties": {
            "options": {"$ref": "#/components/schemas/Options"}
        }}), page_of_things()),
    }));
    let q = pagination(&api, "list_query").expect("query-paged");
    assert_eq!(q.input, PageInput::Query);
    assert_eq!((q.page.wire_name.as_str(), q.limit.wire_name.as_str()), ("page", "limit"));
    assert_eq!(q.item, TypeRef::Named("Thing".into()));
    assert_eq!(q.total.as_ref().map(|t| t.wire_name.as_str()), Some("totalCount"));
    assert_eq!(q.max_limit, Pagination::DEFAULT_MAX_LIMIT);
    assert_eq!(q.describe(), "query page/limit -> data.list with totalCount");

    let b = pagination(&api, "list_body").expect("body-paged, string numbers");
    assert_eq!(b.input, PageInput::Body(Vec::new()));
    assert!(matches!(b.page.ty, TypeRef::String { .. }));

    let n = pagination(&api, "list_nested").expect("options.pagination");
    let PageInput::Body(steps) = &n.input else { panic!("{:?}", n.input) };
    let path: Vec<&str> = steps.iter().map(|s| s.field.wire_name.as_str()).collect();
    assert_eq!(path, ["options", "pagination"]);
    assert_eq!(n.max_limit, 20, "the limit's `maximum` is the default page size");
    assert!(api.unpaged.is_empty(), "{:?}", api.unpaged);
}

#[test]
fn shapes_that_cannot_be_walked_get_no_paginator() {
    let api = api(json!({
        // Only a page number.
        "/a": get("C_onlyPage", json!([query("page", "integer")]), page_of_things()),
        // Page and limit, but the answer is one object: reported as unpaged.
        "/b": get("C_noList", json!([query("page", "integer"), query("limit", "integer")]),
            envelope(json!({"$ref": "#/components/schemas/Thing"}))),
        // Page and limit of a type that is no number.
        "/c": get("C_boolPage", json!([query("page", "boolean"), query("limit", "integer")]), page_of_things()),
        // In an optional object that has a required field: the walk could not create it.
        "/d": post("C_strict", json!({"type": "object", "properties": {
            "options": {"$ref": "#/components/schemas/StrictOptions"}
        }}), page_of_things()),
    }));
    for name in ["only_page", "no_list", "bool_page", "strict"] {
        assert!(pagination(&api, name).is_none(), "{name}");
    }
    let unpaged: Vec<&str> = api.unpaged.iter().map(|u| u.operation.as_str()).collect();
    assert_eq!(unpaged, ["no_list"]);
    assert!(api.unpaged[0].reason.contains("no list"), "{:?}", api.unpaged);
}

#[test]
fn an_answer_that_is_the_list_or_has_no_total_still_pages() {
    let api = api(json!({
        "/a": get("C_bareList", json!([query("page", "integer"), query("limit", "integer")]),
            envelope(json!({"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}))),
        "/b": get("C_noTotal", json!([query("page", "integer"), query("limit", "integer")]),
            envelope(json!({"type": "object", "properties": {
                "list": {"type": "array", "items": {"type": "string"}}
            }}))),
    }));
    let bare = pagination(&api, "bare_list").expect("data is the list");
    assert!(bare.list.is_none() && bare.total.is_none());
    let no_total = pagination(&api, "no_total").expect("a list without a total");
    assert!(no_total.total.is_none());
    assert!(no_total.describe().contains("no total"), "{}", no_total.describe());
}

#[test]
fn the_curated_switch_turns_paginators_off_and_renames_their_parts() {
    let mut off = get("C_off", json!([query("page", "integer"), query("limit", "integer")]), page_of_things());
    off["get"]["x-genauth-pagination"] = json!(false);
    let mut renamed = get(
        "C_renamed",
        json!([query("pageNo", "integer"), query("size", "integer")]),
        envelope(json!({"type": "object", "properties": {
            "total": {"type": "integer"},
            "rows": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}
        }})),
    );
    renamed["get"]["x-genauth-pagination"] =
        json!({"page": "pageNo", "limit": "size", "list": "rows", "total": "total", "maxLimit": 100});
    let mut bad = get("C_bad", json!([query("page", "integer"), query("limit", "integer")]), page_of_things());
    bad["get"]["x-genauth-pagination"] = json!({"pages": "p"});
    let api = api(json!({"/off": off, "/renamed": renamed, "/bad": bad}));

    assert!(pagination(&api, "off").is_none());
    assert!(api.unpaged.iter().any(|u| u.operation == "off" && u.reason.contains("switched off")), "{:?}", api.unpaged);
    let r = pagination(&api, "renamed").expect("renamed parts");
    assert!(r.curated);
    assert_eq!((r.page.wire_name.as_str(), r.limit.wire_name.as_str(), r.max_limit), ("pageNo", "size", 100));
    assert_eq!(r.total.as_ref().map(|t| t.wire_name.as_str()), Some("total"));
    assert!(pagination(&api, "bad").is_none(), "a malformed switch is not guessed at");
    let warnings: Vec<String> = api.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings.iter().any(|w| w.contains("unknown key `pages`") && w.contains("x-genauth-pagination")),
        "{warnings:?}"
    );
}

#[test]
fn the_upstream_spec_has_the_paginators_the_report_shows() {
    let api = real_spec::generate(false).0.api;
    let paged: Vec<&Pagination> = api.operations.iter().filter_map(|o| o.pagination.as_ref()).collect();
    let query = paged.iter().filter(|p| p.input == PageInput::Query).count();
    assert_eq!((paged.len(), query), (63, 50), "paginators (all, query-paged)");
    let users = pagination(&api, "list_users").expect("list_users pages");
    assert_eq!(users.item, TypeRef::Named("UserDto".into()));
    assert!(pagination(&api, "list_role_assignments").is_some_and(|p| p.curated), "curated in 60-pagination.yaml");
    assert_eq!(api.unpaged.len(), 5, "{:?}", api.unpaged);
}

/// The synthetic spec's list operations page with `number` inputs and totals, every other one with
/// an optional `data` (so the compile test of the synthetic sdk covers both shapes of `parts`).
#[test]
fn the_synthetic_spec_has_paginators_of_both_shapes() {
    let spec = genauth_synthetic::synthetic_spec_bytes(40);
    let api = generate(&spec, &Options { spec_path: "s.json".into(), docs: false }).expect("generates").api;
    let paged: Vec<&Pagination> = api.operations.iter().filter_map(|o| o.pagination.as_ref()).collect();
    assert!(paged.iter().any(|p| p.parent.iter().any(|s| !s.field.required)), "an optional data");
    assert!(paged.iter().any(|p| p.parent.iter().all(|s| s.field.required)), "a required data");
    assert!(paged.iter().all(|p| matches!(p.page.ty, TypeRef::Number { .. })));
}
