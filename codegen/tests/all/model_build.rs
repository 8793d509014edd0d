//! Model building on small specs, one quirk or failure at a time.

use genauth_codegen::model::{Api, BodyMedia, Lang, ParamLocation, TypeDef, TypeKind, TypeRef, from_spec::build};
use genauth_codegen::validate::parse;
use genauth_codegen::{Diagnostic, Severity};
use serde_json::{Value, json};

/// A spec with `paths` and `components.schemas`.
fn spec(paths: Value, schemas: Value) -> Vec<u8> {
    let doc = json!({
        "openapi": "3.0.0",
        "info": {"title": "T", "version": "1", "x-genauth-lang": "en-US"},
        "paths": paths,
        "components": {"schemas": schemas},
    });
    serde_json::to_vec(&doc).expect("serializable")
}

/// One POST operation whose JSON body is `schema`.
fn post_body(op_id: &str, schema: Value) -> Value {
    json!({"/x": {"post": {
        "operationId": op_id,
        "requestBody": {"required": true, "content": {"application/json": {"schema": schema}}},
        "responses": {"200": {"description": "ok"}},
    }}})
}

fn ok(bytes: &[u8]) -> Api {
    let parsed = parse(bytes, "t.json").unwrap_or_else(|e| panic!("parse: {e}"));
    build(&parsed).unwrap_or_else(|e| panic!("build: {e}"))
}

fn errors(bytes: &[u8]) -> Vec<Diagnostic> {
    let parsed = parse(bytes, "t.json").unwrap_or_else(|e| panic!("parse: {e}"));
    let diags = build(&parsed).expect_err("should fail").0;
    diags.into_iter().filter(|d| d.severity == Severity::Error).collect()
}

fn has(diags: &[Diagnostic], pointer: &str, needle: &str) -> bool {
    diags.iter().any(|d| d.pointer == pointer && d.message.contains(needle))
}

fn struct_fields(t: &TypeDef) -> Vec<(&str, &str)> {
    let TypeKind::Struct(s) = &t.kind else { panic!("{} is not a struct", t.name) };
    s.fields.iter().map(|f| (f.wire_name.as_str(), f.rust_name.as_str())).collect()
}

#[test]
fn field_names_are_legal_and_collisions_are_reported() {
    let api = ok(&spec(
        post_body("C_create", json!({"$ref": "#/components/schemas/Obj"})),
        json!({"Obj": {"type": "object", "properties": {
            "userId": {"type": "string"}, "user_id": {"type": "string"}, "type": {"type": "string"},
            "2fa": {"type": "boolean"}, "名称": {"type": "string"}, "a b:c": {"type": "string"}, "self": {"type": "string"}
        }}}),
    ));
    let obj = api.type_named("Obj").expect("Obj");
    assert_eq!(
        struct_fields(obj),
        [
            ("userId", "user_id"),
            ("user_id", "user_id2"),
            ("type", "type_"),
            ("2fa", "n2fa"),
            ("名称", "u540d_u79f0"),
            ("a b:c", "a_b_c"),
            ("self", "self_")
        ]
    );
    assert!(has(&api.warnings, "#/components/schemas/Obj/properties/user_id", "user_id2"), "{:?}", api.warnings);
}

#[test]
fn enums_with_odd_values_get_unique_variants() {
    let api = ok(&spec(
        post_body("C_create", json!({"$ref": "#/components/schemas/Provider"})),
        json!({"Provider": {"type": "string", "nullable": false,
            "enum": ["wechat:pc", "azure-ad", "1", "a-b", "a_b", "UnknownValue", "", "two words", null]}}),
    ));
    let t = api.type_named("Provider").expect("Provider");
    let TypeKind::Enum(e) = &t.kind else { panic!("not an enum") };
    let variants: Vec<(&str, &str)> = e.values.iter().map(|v| (v.wire.as_str(), v.variant.as_str())).collect();
    assert_eq!(
        variants,
        [
            ("wechat:pc", "WechatPc"),
            ("azure-ad", "AzureAd"),
            ("1", "V1"),
            ("a-b", "AB"),
            ("a_b", "AB2"),
            ("UnknownValue", "UnknownValue"),
            ("", "Empty"),
            ("two words", "TwoWords")
        ]
    );
    assert_eq!(e.catch_all, "UnknownValue2");
    assert!(has(&api.warnings, "#/components/schemas/Provider/enum/4", "AB2"), "{:?}", api.warnings);
    // `null` among the values makes the use site nullable.
    let body = api.operations[0].body.as_ref().expect("body");
    assert_eq!(body.ty, TypeRef::Named("Provider".into()));
}

#[test]
fn inline_types_are_named_after_their_owner() {
    let api = ok(&spec(
        post_body(
            "Ctl_doThing",
            json!({"type": "object", "properties": {
                "mode": {"type": "string", "enum": ["a", "b"], "description": "Mode:\n- `a`: first\n- `b`: second"},
                "items": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "integer"}}}},
                "tags": {"type": "object", "additionalProperties": {"type": "string"}},
                "free": {"type": "object"},
                "level": {"type": "integer", "enum": [1, 2, null]},
            }}),
        ),
        json!({}),
    ));
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["DoThingBody", "DoThingBodyItemsItem", "DoThingBodyMode"]);
    let body = api.type_named("DoThingBody").expect("body type");
    assert_eq!(body.origin, "Ctl_doThing request body");
    let mode = api.type_named("DoThingBodyMode").expect("mode enum");
    let TypeKind::Enum(e) = &mode.kind else { panic!("not an enum") };
    assert_eq!(e.values[1].description.en.as_deref(), Some("second"));
    let TypeKind::Struct(s) = &body.kind else { panic!("not a struct") };
    assert_eq!(s.fields[2].ty, TypeRef::Map(Box::new(TypeRef::String { format: None })));
    assert_eq!(s.fields[3].ty, TypeRef::Any);
    assert_eq!(s.fields[4].ty, TypeRef::Integer { format: None });
    assert_eq!(s.fields[4].constraints.allowed, [json!(1), json!(2)]);
    assert!(s.fields[4].nullable);
}

#[test]
fn all_of_wrapper_text_comes_from_the_wrapper_in_both_languages() {
    let api = ok(&spec(
        post_body("C_create", json!({"$ref": "#/components/schemas/Outer"})),
        json!({
            "Outer": {"type": "object", "properties": {"inner": {
                "description": "The inner part", "nullable": true, "example": {"a": 1},
                "x-genauth-i18n": {"zh-CN": {"description": "内部"}},
                "allOf": [{"$ref": "#/components/schemas/Inner"}]}}},
            "Inner": {"type": "object", "description": "Inner type", "properties": {"a": {"type": "integer"}}},
        }),
    ));
    let outer = api.type_named("Outer").expect("Outer");
    let TypeKind::Struct(s) = &outer.kind else { panic!("not a struct") };
    let f = &s.fields[0];
    assert_eq!(f.ty, TypeRef::Named("Inner".into()));
    assert_eq!(f.description.exact(Lang::En), Some("The inner part"));
    assert_eq!(f.description.exact(Lang::Zh), Some("内部"));
    assert!(f.nullable);
    assert_eq!(f.example, Some(json!({"a": 1})));
    assert_eq!(api.type_named("Inner").expect("Inner").description.en.as_deref(), Some("Inner type"));
}

#[test]
fn all_of_parts_merge_and_aliases_inline() {
    let api = ok(&spec(
        post_body("C_create", json!({"$ref": "#/components/schemas/Both"})),
        json!({
            "Both": {"allOf": [{"$ref": "#/components/schemas/A"}, {"type": "object", "required": ["b"], "properties": {"b": {"$ref": "#/components/schemas/Ids"}}}]},
            "A": {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
            "Ids": {"type": "array", "minItems": 2, "items": {"type": "string"}},
        }),
    ));
    let both = api.type_named("Both").expect("Both");
    let TypeKind::Struct(s) = &both.kind else { panic!("not a struct") };
    assert_eq!(s.fields.len(), 2);
    assert!(s.fields.iter().all(|f| f.required));
    assert_eq!(s.fields[1].ty, TypeRef::Array(Box::new(TypeRef::String { format: None })));
    assert_eq!(s.fields[1].constraints.min_items, Some(2));
    assert!(api.type_named("Ids").is_none(), "aliases are inlined");
    assert!(api.type_named("A").is_none(), "A is only reachable merged into Both");
}

#[test]
fn one_of_variants_are_named() {
    let api = ok(&spec(
        post_body(
            "C_create",
            json!({"oneOf": [{"$ref": "#/components/schemas/A"}, {"type": "string"}, {"type": "object", "properties": {"x": {"type": "number"}}}]}),
        ),
        json!({"A": {"type": "object", "properties": {"a": {"type": "string"}}}}),
    ));
    let t = api.type_named("CreateBody").expect("CreateBody");
    let TypeKind::OneOf(o) = &t.kind else { panic!("not a oneOf") };
    let names: Vec<&str> = o.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["A", "String", "Variant3"]);
    assert_eq!(o.variants[2].ty, TypeRef::Named("CreateBodyVariant3".into()));
}

#[test]
fn recursive_structs_are_fine() {
    let api = ok(&spec(
        post_body("C_create", json!({"$ref": "#/components/schemas/Node"})),
        json!({"Node": {"type": "object", "properties": {
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
            "parent": {"allOf": [{"$ref": "#/components/schemas/Node"}]}}}}),
    ));
    let node = api.type_named("Node").expect("Node");
    let TypeKind::Struct(s) = &node.kind else { panic!("not a struct") };
    assert_eq!(s.fields[0].ty, TypeRef::Array(Box::new(TypeRef::Named("Node".into()))));
    assert_eq!(s.fields[1].ty, TypeRef::Named("Node".into()));
}

#[test]
fn type_name_collisions_and_std_names_are_renamed_with_warnings() {
    let paths = json!({
        "/a": {"post": {"operationId": "C_a", "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {
            "x": {"$ref": "#/components/schemas/FooBar"}, "y": {"$ref": "#/components/schemas/Foo_Bar"},
            "z": {"$ref": "#/components/schemas/Error"}, "w": {"$ref": "#/components/schemas/ARequest"}}}}}},
            "responses": {"200": {"description": ""}}}}
    });
    let obj = json!({"type": "object", "properties": {"v": {"type": "string"}}});
    let api = ok(&spec(paths, json!({"Foo_Bar": obj, "FooBar": obj, "Error": obj, "ARequest": obj})));
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["ABody", "ARequest", "Error2", "FooBar", "FooBar2"]);
    assert_eq!(api.type_named("FooBar").expect("FooBar").origin, "Foo_Bar", "declaration order decides");
    assert!(has(&api.warnings, "#/components/schemas/FooBar", "FooBar2"), "{:?}", api.warnings);
    assert!(has(&api.warnings, "#/components/schemas/Error", "Error2"), "{:?}", api.warnings);
    assert!(!api.warnings.iter().any(|w| w.message.contains("ARequest")));
}

/// Every name the generated code uses unqualified (prelude types and traits, `Value`,
/// `BTreeMap`) is renamed when a schema takes it, so a spec cannot shadow them.
#[test]
fn schemas_named_like_prelude_items_are_renamed() {
    let reserved = ["Option", "Value", "Into", "Default", "IntoIterator", "Clone", "Future", "Send", "ToString", "Vec"];
    let properties: serde_json::Map<String, serde_json::Value> =
        reserved.iter().map(|n| (n.to_lowercase(), json!({"$ref": format!("#/components/schemas/{n}")}))).collect();
    let paths = json!({
        "/a": {"post": {"operationId": "C_a", "requestBody": {"content": {"application/json": {"schema":
            {"type": "object", "properties": properties}}}},
            "responses": {"200": {"description": ""}}}}
    });
    let obj = json!({"type": "object", "properties": {"v": {"type": "string"}}});
    let schemas: serde_json::Map<String, serde_json::Value> =
        reserved.iter().map(|n| ((*n).to_owned(), obj.clone())).collect();
    let api = ok(&spec(paths, serde_json::Value::Object(schemas)));
    for name in reserved {
        assert!(api.type_named(name).is_none(), "`{name}` kept its name");
        assert!(api.type_named(&format!("{name}2")).is_some(), "`{name}` was not renamed to `{name}2`");
    }
}

#[test]
fn operations_hidden_deprecated_and_named() {
    let paths = json!({
        "/users/{userId}": {
            "parameters": [{"name": "userId", "in": "path", "required": true, "schema": {"type": "string"}}],
            "get": {"operationId": "Users_getUser", "deprecated": true, "responses": {"200": {"description": ""}}},
            "delete": {"operationId": "Other_getUser", "responses": {"200": {"description": ""}}},
            "put": {"responses": {"201": {"description": "created", "content": {"application/json": {"schema": {"type": "string"}}}}}},
            "patch": {"operationId": "Users_secret", "x-authing-hidden-from-sdk": true, "responses": {"200": {"description": ""}}}
        }
    });
    let api = ok(&spec(paths, json!({})));
    let names: Vec<(&str, &str, bool)> =
        api.operations.iter().map(|o| (o.name.as_str(), o.pascal_name.as_str(), o.deprecated)).collect();
    assert_eq!(
        names,
        [
            ("get_user", "GetUser", true),
            ("get_user2", "GetUser2", false),
            ("put_users_user_id", "PutUsersUserId", false)
        ]
    );
    assert!(has(&api.warnings, "#/paths/~1users~1{userId}/delete", "get_user2"), "{:?}", api.warnings);
    assert!(has(&api.warnings, "#/paths/~1users~1{userId}/put", "no operationId"), "{:?}", api.warnings);
    let put = &api.operations[2];
    assert_eq!(put.response.status, 201);
    assert_eq!(put.response.ty, Some(TypeRef::String { format: None }));
    assert_eq!(put.params[0].location, ParamLocation::Path);
    assert!(!api.warnings.iter().any(|w| w.pointer.ends_with("/patch")), "hidden ops are silent");
}

#[test]
fn parameter_quirks_are_applied_with_warnings() {
    let paths = json!({"/list": {
        "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer"}}],
        "get": {"operationId": "C_list",
            "parameters": [
                {"name": "keywords", "in": "query", "maxLength": 50, "schema": {"type": "string"}},
                {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}, "description": "Page"},
                {"name": "sort", "in": "query", "enum": ["asc", "desc"], "default": "asc"},
                {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                {"$ref": "#/components/parameters/Limit"}
            ],
            "responses": {"200": {"description": ""}}}}});
    let mut doc: Value = serde_json::from_slice(&spec(paths, json!({}))).expect("json");
    doc["components"]["parameters"] =
        json!({"Limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}}});
    let api = ok(&serde_json::to_vec(&doc).expect("json"));
    let op = &api.operations[0];
    let params: Vec<&str> = op.params.iter().map(|p| p.field.rust_name.as_str()).collect();
    assert_eq!(params, ["page", "keywords", "sort", "limit"], "path-level first, operation-level overrides in place");
    assert_eq!(op.params[0].field.constraints.minimum, Some(1.0));
    assert_eq!(op.params[1].field.constraints.max_length, Some(50));
    assert_eq!(op.params[2].field.ty, TypeRef::Named("ListSort".into()));
    assert_eq!(op.params[2].field.default, Some(json!("asc")));
    assert_eq!(op.params[3].field.constraints.maximum, Some(100.0));
    let w = &api.warnings;
    assert!(has(w, "#/paths/~1list/get/parameters/0/maxLength", "maxLength"), "{w:?}");
    assert!(has(w, "#/paths/~1list/get/parameters/2", "no `schema`"), "{w:?}");
    assert!(has(w, "#/paths/~1list/get/parameters/2/enum", "enum"), "{w:?}");
    assert!(has(w, "#/paths/~1list/get/parameters/3", "cookie"), "{w:?}");
}

#[test]
fn params_yield_to_body_fields_and_multipart_is_skipped() {
    let paths = json!({
        "/u/{id}": {"post": {"operationId": "C_update",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "requestBody": {"content": {"application/json; charset=utf-8": {"schema": {"type": "object", "properties": {"id": {"type": "string"}}}}}},
            "responses": {"200": {"description": ""}}}},
        "/upload": {"post": {"operationId": "C_upload",
            "requestBody": {"content": {"multipart/form-data": {"schema": {"type": "object"}}}},
            "responses": {"200": {"description": ""}}}}
    });
    let api = ok(&spec(paths, json!({})));
    assert_eq!(api.operations.len(), 1);
    assert_eq!(api.operations[0].params[0].field.rust_name, "id2");
    assert!(has(&api.warnings, "#/paths/~1u~1{id}/post/parameters/0", "id2"), "{:?}", api.warnings);
    assert!(has(&api.warnings, "#/paths/~1upload/post/requestBody", "multipart/form-data"), "{:?}", api.warnings);
}

#[test]
fn form_bodies_are_kept_and_json_wins_when_both_are_offered() {
    let object = json!({"schema": {"type": "object", "properties": {"name": {"type": "string"}}}});
    let paths = json!({
        "/form": {"post": {"operationId": "C_form",
            "requestBody": {"content": {"application/x-www-form-urlencoded": object}},
            "responses": {"200": {"description": ""}}}},
        "/both": {"post": {"operationId": "C_both",
            "requestBody": {"content": {"application/x-www-form-urlencoded": object, "application/json": object}},
            "responses": {"200": {"description": ""}}}}
    });
    let api = ok(&spec(paths, json!({})));
    let media =
        |name: &str| api.operations.iter().find(|o| o.name == name).and_then(|o| o.body.as_ref()).map(|b| b.media);
    assert_eq!(media("form"), Some(BodyMedia::Form));
    assert_eq!(media("both"), Some(BodyMedia::Json));
    assert!(api.warnings.iter().all(|w| !w.message.contains("not JSON")), "{:?}", api.warnings);
}

#[test]
fn broken_specs_report_every_error_with_its_pointer() {
    let paths = json!({
        "/a": {"post": {"operationId": "C_a", "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {
            "dangling": {"$ref": "#/components/schemas/Missing"},
            "loop": {"$ref": "#/components/schemas/LoopA"},
            "wrapped": {"$ref": "#/components/schemas/WrapA"},
            "selfArray": {"$ref": "#/components/schemas/Arr"},
            "external": {"$ref": "other.yaml#/components/schemas/X"},
            "merged": {"$ref": "#/components/schemas/BadMerge"}}}}}},
            "responses": {"200": {"description": ""}}}},
        "/b/{id}": {"get": {"operationId": "C_a", "responses": {"200": {"description": ""}}}},
        "/c": {"get": {"operationId": "C_c", "parameters": [{"name": "x", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": {"description": ""}}}}
    });
    let schemas = json!({
        "LoopA": {"$ref": "#/components/schemas/LoopB"},
        "LoopB": {"$ref": "#/components/schemas/LoopA"},
        "WrapA": {"allOf": [{"$ref": "#/components/schemas/WrapB"}]},
        "WrapB": {"description": "x", "allOf": [{"$ref": "#/components/schemas/WrapA"}]},
        "Arr": {"type": "array", "items": {"$ref": "#/components/schemas/Arr"}},
        "BadMerge": {"allOf": [
            {"type": "object", "properties": {"p": {"type": "string"}}},
            {"type": "object", "properties": {"p": {"type": "integer"}}},
            {"type": "string"}]},
    });
    let errs = errors(&spec(paths, schemas));
    let props = "#/paths/~1a/post/requestBody/content/application~1json/schema/properties";
    assert!(has(&errs, &format!("{props}/dangling/$ref"), "dangling"), "{errs:#?}");
    assert!(has(&errs, "#/components/schemas/LoopA", "cyclic"), "{errs:#?}");
    assert!(has(&errs, "#/components/schemas/WrapA", "cyclic"), "{errs:#?}");
    assert!(has(&errs, "#/components/schemas/Arr", "itself"), "{errs:#?}");
    assert!(has(&errs, &format!("{props}/external/$ref"), "external"), "{errs:#?}");
    assert!(has(&errs, "#/components/schemas/BadMerge/allOf/1/properties/p", "differently"), "{errs:#?}");
    assert!(has(&errs, "#/components/schemas/BadMerge/allOf/2", "not an object"), "{errs:#?}");
    assert!(has(&errs, "#/paths/~1b~1{id}/get", "duplicate operationId"), "{errs:#?}");
    assert!(has(&errs, "#/paths/~1a/post", "duplicate operationId"), "{errs:#?}");
    assert!(has(&errs, "#/paths/~1b~1{id}/get", "no path parameter `id`"), "{errs:#?}");
    assert!(has(&errs, "#/paths/~1c/get", "does not appear in path template"), "{errs:#?}");
}

#[test]
fn yaml_specs_with_integer_response_keys_build() {
    let yaml = "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\n  x-genauth-client: AdminClient\npaths:\n  /ping:\n    get:\n      operationId: Health_ping\n      summary: 检查\n      responses:\n        200:\n          description: pong\n          content:\n            application/json:\n              schema: {type: boolean}\n";
    let api = ok(yaml.as_bytes());
    assert_eq!(api.client_name, "AdminClient");
    let op = &api.operations[0];
    assert_eq!(op.name, "ping");
    assert_eq!(op.response.ty, Some(TypeRef::Boolean));
    assert_eq!(op.response.description.zh.as_deref(), Some("pong"), "no x-genauth-lang: standard fields are Chinese");
    assert_eq!(op.summary.zh.as_deref(), Some("检查"));
}

#[test]
fn building_is_deterministic() {
    let bytes = spec(
        post_body(
            "C_create",
            json!({"type": "object", "properties": {"b": {"type": "string", "enum": ["x"]}, "a": {"type": "object", "properties": {"c": {"type": "string"}}}}}),
        ),
        json!({}),
    );
    let first = ok(&bytes);
    assert_eq!(first, ok(&bytes));
    assert_eq!(
        first.types.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["CreateBody", "CreateBodyA", "CreateBodyB"]
    );
}

#[test]
fn long_reference_chains_are_an_error_not_a_stack_overflow() {
    // Each component is shallow (JSON nesting is capped by the parser), but references can chain
    // arbitrarily deep: C0.a -> C1, C1.a -> C2, ...
    let mut schemas = serde_json::Map::new();
    for i in 0..300 {
        let next = json!({"$ref": format!("#/components/schemas/C{}", i + 1)});
        schemas.insert(format!("C{i}"), json!({"type": "object", "properties": {"a": next}}));
    }
    schemas.insert("C300".into(), json!({"type": "string"}));
    let bytes = spec(post_body("C_create", json!({"$ref": "#/components/schemas/C0"})), Value::Object(schemas));
    let errs = errors(&bytes);
    assert!(errs.iter().any(|e| e.message.contains("nested more than")), "{errs:?}");
}

#[test]
fn operations_never_take_a_name_the_client_already_has() {
    let paths = json!({
        "/a": {"post": {"operationId": "UsersController_new", "responses": {"200": {"description": "ok"}}}},
        "/b": {"post": {"operationId": "UsersController_clone", "responses": {"200": {"description": "ok"}}}},
        "/c": {"post": {"operationId": "UsersController_fromEnv", "responses": {"200": {"description": "ok"}}}},
    });
    let api = ok(&spec(paths, json!({})));
    let names: Vec<&str> = api.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["clone2", "from_env2", "new2"]);
    assert_eq!(
        api.warnings.iter().filter(|w| w.message.contains("a method of the client")).count(),
        3,
        "{:?}",
        api.warnings
    );
}

#[test]
fn curated_idempotency_is_read_and_a_bad_value_reported() {
    let op = |id: &str, extra: Value| {
        let mut o = json!({"operationId": id, "responses": {"200": {"description": "ok"}}});
        o.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        o
    };
    let api = ok(&spec(
        json!({
            "/a": {"post": op("C_a", json!({"x-genauth-idempotent": true}))},
            "/b": {"get": op("C_b", json!({"x-genauth-idempotent": false}))},
            "/c": {"post": op("C_c", json!({}))},
            "/d": {"post": op("C_d", json!({"x-genauth-idempotent": "yes"}))},
        }),
        json!({}),
    ));
    let flag = |name: &str| api.operations.iter().find(|o| o.name == name).expect(name).idempotent;
    assert_eq!((flag("a"), flag("b"), flag("c"), flag("d")), (Some(true), Some(false), None, None));
    assert!(
        api.warnings
            .iter()
            .any(|w| w.pointer == "#/paths/~1d/post/x-genauth-idempotent" && w.message.contains("true or false")),
        "{:?}",
        api.warnings
    );
}
