//! `spec/management.yaml` is faithful to the upstream document, checked mechanically.
//!
//! The upstream document (`spec/upstream/management-three-ops.json`, Chinese) and ours (English in
//! the standard fields, Chinese in `x-genauth-i18n.zh-CN`) are both loaded as JSON trees and
//! compared: operations (path, method, operationId, tags, security, deprecation, bodies,
//! responses), component schemas (names, types, property names, `required`, array bounds, enums,
//! defaults, references), and every upstream Chinese text, which must reappear unchanged in our
//! `x-genauth-i18n.zh-CN` at the same place. Ours must also keep its standard fields English and
//! describe every enum value on its own ``- `value`: meaning`` line, which the model builder
//! parses.
//!
//! Where we differ on purpose, the difference is listed below; a listed difference that no longer
//! occurs is reported too, so the lists cannot go stale. The last tests break copies of our spec
//! on purpose and check that the comparison notices, so it cannot silently pass everything.

use std::path::PathBuf;

use serde_json::{Map, Value};

/// Property types we changed on purpose: `(schema, property, our type)`. Upstream types every
/// number as `number`; these two are integral codes, and `integer` gives them an integer Rust type.
const DELIBERATE_TYPE_CHANGES: &[(&str, &str, &str)] = &[
    ("IsSuccessRespDto", "statusCode", "integer"),
    ("IsSuccessRespDto", "apiCode", "integer"),
    ("ResignUserRespDto", "statusCode", "integer"),
    ("ResignUserRespDto", "apiCode", "integer"),
];

/// Upstream Chinese texts we do not carry unchanged: `(JSON pointer of the object, key)`. None
/// today. Texts are compared after trimming surrounding whitespace (the model trims too), which
/// is what lets upstream's resign-user description end in "\n    " upstream and not in ours.
const DELIBERATE_ZH_DIFFERENCES: &[(&str, &str)] = &[];

/// Keys whose string values are prose and must be bilingual.
const TEXT_KEYS: &[&str] = &["summary", "description", "title"];

/// Schema keywords that change what a value may be; they must match upstream exactly.
const SCHEMA_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "enum",
    "default",
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "pattern",
    "nullable",
    "$ref",
    "allOf",
    "oneOf",
    "anyOf",
    "items",
    "additionalProperties",
];

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch", "head", "options", "trace"];

fn repo_file(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(relative)
}

/// YAML tree -> JSON tree. Mapping keys become strings: YAML reads an unquoted `200:` response
/// key as an integer, which JSON cannot hold as a key.
fn yaml_to_json(value: serde_norway::Value) -> Value {
    use serde_norway::Value as Y;
    match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(u) = n.as_u64() {
                Value::from(u)
            } else if let Some(i) = n.as_i64() {
                Value::from(i)
            } else {
                let f = n.as_f64().expect("a YAML number is u64, i64 or f64");
                serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect()),
        Y::Mapping(mapping) => {
            let mut object = Map::new();
            for (key, value) in mapping {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => panic!("unsupported YAML mapping key {other:?}"),
                };
                object.insert(key, yaml_to_json(value));
            }
            Value::Object(object)
        }
        Y::Tagged(tagged) => panic!("YAML tags have no JSON meaning: {tagged:?}"),
    }
}

fn load_ours() -> Value {
    let path = repo_file("spec/management.yaml");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let yaml: serde_norway::Value =
        serde_norway::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    yaml_to_json(yaml)
}

fn load_upstream() -> Value {
    let path = repo_file("spec/upstream/management-three-ops.json");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Appends one reference token to a JSON pointer (RFC 6901 escaping).
fn push(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", token.replace('~', "~0").replace('/', "~1"))
}

fn has_cjk(s: &str) -> bool {
    // CJK punctuation, unified ideographs, full-width forms.
    s.chars().any(|c| matches!(c, '\u{3000}'..='\u{303f}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}'))
}

fn object(value: Option<&Value>) -> Map<String, Value> {
    value.and_then(Value::as_object).cloned().unwrap_or_default()
}

/// Everything that differs between upstream and ours, except the deliberate differences.
fn differences(upstream: &Value, ours: &Value) -> Vec<String> {
    let mut out = Vec::new();
    check_info(ours, &mut out);
    check_operations(upstream, ours, &mut out);
    check_schemas(upstream, ours, &mut out);
    check_security_schemes(upstream, ours, &mut out);
    check_chinese(upstream, ours, "", &mut out);
    check_stale_zh_exceptions(upstream, ours, &mut out);
    check_english(ours, "", &mut out);
    out
}

fn check_info(ours: &Value, out: &mut Vec<String>) {
    if ours.pointer("/info/x-genauth-lang") != Some(&Value::from("en-US")) {
        out.push("info.x-genauth-lang must be en-US".into());
    }
    if ours.pointer("/info/x-genauth-client") != Some(&Value::from("ManagementClient")) {
        out.push("info.x-genauth-client must be ManagementClient".into());
    }
}

fn check_operations(upstream: &Value, ours: &Value, out: &mut Vec<String>) {
    let up_paths = object(upstream.get("paths"));
    let our_paths = object(ours.get("paths"));
    for path in our_paths.keys().filter(|p| !up_paths.contains_key(*p)) {
        out.push(format!("path {path} is not upstream"));
    }
    for (path, up_item) in &up_paths {
        let Some(our_item) = our_paths.get(path) else {
            out.push(format!("path {path} is missing"));
            continue;
        };
        for method in METHODS {
            let at = format!("{method} {path}");
            let (up_op, our_op) = match (up_item.get(*method), our_item.get(*method)) {
                (None, None) => continue,
                (Some(_), None) => {
                    out.push(format!("{at}: missing"));
                    continue;
                }
                (None, Some(_)) => {
                    out.push(format!("{at}: not upstream"));
                    continue;
                }
                (Some(u), Some(o)) => (u, o),
            };
            for key in ["operationId", "tags", "security", "requestBody"] {
                if up_op.get(key) != our_op.get(key) {
                    out.push(format!("{at}: {key} differs"));
                }
            }
            let deprecated = |op: &Value| op.get("deprecated").and_then(Value::as_bool);
            if deprecated(up_op).unwrap_or(false) != deprecated(our_op).unwrap_or(false) {
                out.push(format!("{at}: deprecated differs"));
            }
            // Parameters: same names, locations, requiredness and schemas, in the same order.
            let params = |op: &Value| -> Vec<Value> {
                op.get("parameters")
                    .and_then(Value::as_array)
                    .map(|ps| {
                        ps.iter()
                            .map(|p| {
                                serde_json::json!([p.get("name"), p.get("in"), p.get("required"), p.get("schema")])
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            };
            if params(up_op) != params(our_op) {
                out.push(format!("{at}: parameters differ"));
            }
            let up_responses = object(up_op.get("responses"));
            let our_responses = object(our_op.get("responses"));
            let codes = |m: &Map<String, Value>| m.keys().cloned().collect::<Vec<_>>();
            if codes(&up_responses) != codes(&our_responses) {
                out.push(format!("{at}: response codes differ"));
            }
            for (code, up_response) in &up_responses {
                let schemas = |r: Option<&Value>| {
                    object(r.and_then(|r| r.get("content")))
                        .into_iter()
                        .map(|(media, c)| (media, c.get("schema").cloned()))
                        .collect::<Vec<_>>()
                };
                if schemas(Some(up_response)) != schemas(our_responses.get(code)) {
                    out.push(format!("{at}: response {code} content differs"));
                }
            }
        }
    }
}

fn check_schemas(upstream: &Value, ours: &Value, out: &mut Vec<String>) {
    let up_schemas = object(upstream.pointer("/components/schemas"));
    let our_schemas = object(ours.pointer("/components/schemas"));
    let names = |m: &Map<String, Value>| {
        let mut v = m.keys().cloned().collect::<Vec<_>>();
        v.sort();
        v
    };
    if names(&up_schemas) != names(&our_schemas) {
        out.push(format!("schema names differ: upstream {:?}, ours {:?}", names(&up_schemas), names(&our_schemas)));
    }
    let mut used_type_changes = Vec::new();
    for (name, up_schema) in &up_schemas {
        let Some(our_schema) = our_schemas.get(name) else {
            continue;
        };
        compare_keywords(name, up_schema, our_schema, None, out);
        if up_schema.get("required") != our_schema.get("required") {
            out.push(format!("{name}: required differs"));
        }
        let up_props = object(up_schema.get("properties"));
        let our_props = object(our_schema.get("properties"));
        if up_props.keys().collect::<Vec<_>>() != our_props.keys().collect::<Vec<_>>() {
            out.push(format!(
                "{name}: properties differ: upstream {:?}, ours {:?}",
                up_props.keys().collect::<Vec<_>>(),
                our_props.keys().collect::<Vec<_>>()
            ));
        }
        for (prop, up_prop) in &up_props {
            let Some(our_prop) = our_props.get(prop) else {
                continue;
            };
            let change = DELIBERATE_TYPE_CHANGES.iter().find(|(s, p, _)| s == name && p == prop).map(|&(_, _, ty)| ty);
            if let Some(ty) = change {
                if up_prop.get("type") == Some(&Value::from("number")) && our_prop.get("type") == Some(&Value::from(ty))
                {
                    used_type_changes.push((name.clone(), prop.clone()));
                }
            }
            compare_keywords(&format!("{name}.{prop}"), up_prop, our_prop, change, out);
        }
    }
    for (schema, prop, ty) in DELIBERATE_TYPE_CHANGES {
        if !used_type_changes.iter().any(|(s, p)| s == schema && p == prop) {
            out.push(format!("stale DELIBERATE_TYPE_CHANGES entry: {schema}.{prop} is not {ty}"));
        }
    }
}

/// Compares the keywords of [`SCHEMA_KEYWORDS`]; `our_type`, when given, is the type we chose on
/// purpose instead of upstream's.
fn compare_keywords(at: &str, up: &Value, ours: &Value, our_type: Option<&str>, out: &mut Vec<String>) {
    for key in SCHEMA_KEYWORDS {
        let expected = match (*key, our_type) {
            ("type", Some(ty)) => Some(Value::from(ty)),
            _ => up.get(*key).cloned(),
        };
        if expected.as_ref() != ours.get(*key) {
            out.push(format!("{at}: {key} differs (upstream {:?}, ours {:?})", up.get(*key), ours.get(*key)));
        }
    }
}

fn check_security_schemes(upstream: &Value, ours: &Value, out: &mut Vec<String>) {
    let up = object(upstream.pointer("/components/securitySchemes"));
    let our = object(ours.pointer("/components/securitySchemes"));
    if up.keys().collect::<Vec<_>>() != our.keys().collect::<Vec<_>>() {
        out.push("security scheme names differ".into());
    }
    for (name, up_scheme) in &up {
        for key in ["type", "scheme", "bearerFormat", "in", "name"] {
            if up_scheme.get(key) != our.get(name).and_then(|s| s.get(key)) {
                out.push(format!("security scheme {name}: {key} differs"));
            }
        }
    }
}

/// Every upstream Chinese text must be in our `x-genauth-i18n.zh-CN` at the same place.
fn check_chinese(up: &Value, ours: &Value, pointer: &str, out: &mut Vec<String>) {
    match up {
        Value::Object(map) => {
            for key in TEXT_KEYS {
                let Some(text) = map.get(*key).and_then(Value::as_str) else {
                    continue;
                };
                if !has_cjk(text) || DELIBERATE_ZH_DIFFERENCES.contains(&(pointer, *key)) {
                    continue;
                }
                let ours_text = ours
                    .pointer(pointer)
                    .and_then(|o| o.pointer(&push("/x-genauth-i18n/zh-CN", key)))
                    .and_then(Value::as_str);
                if ours_text.map(str::trim) != Some(text.trim()) {
                    out.push(format!(
                        "#{pointer}: x-genauth-i18n.zh-CN.{key} should be upstream's {text:?}, \
                         is {ours_text:?}"
                    ));
                }
            }
            for (key, child) in map {
                // Examples are data, not prose; a Chinese example value is not a text to move.
                if key != "example" {
                    check_chinese(child, ours, &push(pointer, key), out);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                check_chinese(child, ours, &push(pointer, &i.to_string()), out);
            }
        }
        _ => {}
    }
}

fn check_stale_zh_exceptions(upstream: &Value, ours: &Value, out: &mut Vec<String>) {
    for (pointer, key) in DELIBERATE_ZH_DIFFERENCES {
        let up = upstream.pointer(pointer).and_then(|o| o.get(*key)).and_then(Value::as_str);
        let our =
            ours.pointer(pointer).and_then(|o| o.pointer(&push("/x-genauth-i18n/zh-CN", key))).and_then(Value::as_str);
        if up.is_none() || up.map(str::trim) == our.map(str::trim) {
            out.push(format!("stale DELIBERATE_ZH_DIFFERENCES entry: #{pointer} {key}"));
        }
    }
}

/// Our standard texts are English, and an enum's English description gives every value its own
/// `- \`value\`: meaning` line (upstream's Chinese misses `custom_field`; ours must not).
fn check_english(ours: &Value, pointer: &str, out: &mut Vec<String>) {
    match ours {
        Value::Object(map) => {
            for key in TEXT_KEYS {
                if let Some(text) = map.get(*key).and_then(Value::as_str) {
                    if has_cjk(text) {
                        out.push(format!("#{pointer}: {key} is not English: {text:?}"));
                    }
                }
            }
            let values = map.get("enum").and_then(Value::as_array);
            let description = map.get("description").and_then(Value::as_str);
            if let (Some(values), Some(description)) = (values, description) {
                for value in values.iter().filter_map(Value::as_str) {
                    let line = format!("- `{value}`: ");
                    if !description.lines().any(|l| l.starts_with(&line) && l.len() > line.len()) {
                        out.push(format!("#{pointer}: the description has no line {line:?}..."));
                    }
                }
            }
            for (key, child) in map {
                if key != "x-genauth-i18n" && key != "example" {
                    check_english(child, &push(pointer, key), out);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                check_english(child, &push(pointer, &i.to_string()), out);
            }
        }
        _ => {}
    }
}

#[test]
fn spec_is_faithful_to_upstream() {
    let diffs = differences(&load_upstream(), &load_ours());
    assert!(diffs.is_empty(), "spec/management.yaml differs from upstream:\n{}", diffs.join("\n"));
}

#[test]
fn spec_covers_the_three_operations() {
    // Guards the comparison itself: had both documents failed to load into the expected shape,
    // there would be nothing to compare and no difference to report.
    let ours = load_ours();
    let paths = object(ours.get("paths"));
    let ids: Vec<&str> = paths
        .values()
        .filter_map(|item| item.pointer("/post/operationId"))
        .filter_map(Value::as_str)
        .map(|s| s.rsplit('_').next().unwrap_or(s))
        .collect();
    assert_eq!(ids, ["kickUsers", "resignUser", "deleteUsersBatch"]);
    let values = ours.pointer("/components/schemas/ResignUserReqDto/properties/userIdType/enum");
    assert_eq!(values.and_then(Value::as_array).map(Vec::len), Some(8));
}

/// Breaks a copy of our spec with `edit` and returns what the comparison reports.
fn differences_after(edit: impl FnOnce(&mut Value)) -> Vec<String> {
    let mut ours = load_ours();
    edit(&mut ours);
    differences(&load_upstream(), &ours)
}

fn prop<'a>(doc: &'a mut Value, schema: &str, property: &str) -> &'a mut Value {
    doc.pointer_mut(&format!("/components/schemas/{schema}/properties/{property}"))
        .unwrap_or_else(|| panic!("{schema}.{property} exists"))
}

#[test]
fn notices_a_missing_enum_value() {
    let diffs = differences_after(|d| {
        let values = prop(d, "ResignUserReqDto", "userIdType")["enum"].as_array_mut().unwrap();
        values.retain(|v| v != "custom_field");
    });
    assert!(diffs.iter().any(|d| d.contains("ResignUserReqDto.userIdType: enum differs")), "{diffs:?}");
}

#[test]
fn notices_changed_bounds_defaults_and_required() {
    let diffs = differences_after(|d| {
        prop(d, "KickUsersDto", "appIds")["maxItems"] = 51.into();
        prop(d, "KickUsersOptionsDto", "userIdType")["default"] = "phone".into();
        d["components"]["schemas"]["DeleteUsersBatchDto"]["required"] = serde_json::json!([]);
    });
    for expected in [
        "KickUsersDto.appIds: maxItems differs",
        "KickUsersOptionsDto.userIdType: default differs",
        "DeleteUsersBatchDto: required differs",
    ] {
        assert!(diffs.iter().any(|d| d.contains(expected)), "{expected}: {diffs:?}");
    }
}

#[test]
fn notices_operation_changes() {
    let diffs = differences_after(|d| {
        let op = d.pointer_mut("/paths/~1api~1v3~1kick-users/post").unwrap();
        op["operationId"] = "UsersManagementController_kick".into();
        op["responses"]["201"] = op["responses"]["200"].clone();
    });
    assert!(diffs.iter().any(|d| d.contains("operationId differs")), "{diffs:?}");
    assert!(diffs.iter().any(|d| d.contains("response codes differ")), "{diffs:?}");
}

#[test]
fn notices_lost_or_changed_chinese() {
    let diffs = differences_after(|d| {
        let op = d.pointer_mut("/paths/~1api~1v3~1resign-user/post").unwrap();
        op["x-genauth-i18n"]["zh-CN"]["summary"] = "离职".into();
        prop(d, "IsSuccessDto", "success").as_object_mut().unwrap().remove("x-genauth-i18n");
    });
    assert!(diffs.iter().any(|d| d.contains("resign-user/post: x-genauth-i18n.zh-CN.summary")), "{diffs:?}");
    assert!(diffs.iter().any(|d| d.contains("IsSuccessDto/properties/success: x-genauth-i18n")), "{diffs:?}");
}

#[test]
fn notices_chinese_in_english_fields_and_undescribed_enum_values() {
    let diffs = differences_after(|d| {
        d.pointer_mut("/paths/~1api~1v3~1kick-users/post").unwrap()["summary"] = "强制下线用户".into();
        let description = prop(d, "KickUsersOptionsDto", "userIdType")["description"].as_str().unwrap();
        let without: Vec<&str> = description.lines().filter(|l| !l.starts_with("- `custom_field`")).collect();
        prop(d, "KickUsersOptionsDto", "userIdType")["description"] = without.join("\n").into();
    });
    assert!(diffs.iter().any(|d| d.contains("kick-users/post: summary is not English")), "{diffs:?}");
    assert!(diffs.iter().any(|d| d.contains("no line \"- `custom_field`: \"")), "{diffs:?}");
}

#[test]
fn notices_an_unlisted_type_change_and_a_stale_listed_one() {
    let diffs = differences_after(|d| {
        prop(d, "IsSuccessRespDto", "apiCode")["type"] = "number".into();
        prop(d, "IsSuccessRespDto", "message")["type"] = "integer".into();
    });
    assert!(diffs.iter().any(|d| d.contains("IsSuccessRespDto.message: type differs")), "{diffs:?}");
    assert!(
        diffs.iter().any(|d| d.contains("stale DELIBERATE_TYPE_CHANGES entry: IsSuccessRespDto.apiCode")),
        "{diffs:?}"
    );
}

#[test]
fn yaml_integer_keys_become_strings() {
    let yaml: serde_norway::Value = serde_norway::from_str("responses:\n  200:\n    description: ok\n").unwrap();
    assert_eq!(yaml_to_json(yaml), serde_json::json!({"responses": {"200": {"description": "ok"}}}));
}
