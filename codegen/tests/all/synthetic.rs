//! The synthetic spec generator: deterministic, counts right, valid, as large as upstream, and
//! carrying every upstream quirk it promises (checked by walking the document, not by trusting
//! the pattern table).

use std::collections::{BTreeMap, BTreeSet};

use genauth_synthetic::{HIDDEN_EVERY, PATTERNS, synthetic_spec, synthetic_spec_bytes, without_invalid_quirks};
use serde_json::Value;

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch", "head", "options", "trace"];

/// Every operation as (path, method, operation object).
fn operations(spec: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            assert!(METHODS.contains(&method.as_str()), "{path}: unexpected key {method}");
            out.push((path.clone(), method.clone(), op.clone()));
        }
    }
    out
}

fn is_hidden(op: &Value) -> bool {
    op.get("x-authing-hidden-from-sdk") == Some(&Value::Bool(true))
}

/// Every object in the tree, with its JSON pointer.
fn objects<'a>(value: &'a Value, pointer: String, out: &mut Vec<(String, &'a Value)>) {
    match value {
        Value::Object(map) => {
            out.push((pointer.clone(), value));
            for (k, v) in map {
                objects(v, format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                objects(v, format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn all_objects(spec: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    objects(spec, String::new(), &mut out);
    out
}

fn schemas(spec: &Value) -> &serde_json::Map<String, Value> {
    spec["components"]["schemas"].as_object().expect("components.schemas")
}

#[test]
fn same_size_same_document() {
    for n in [0, 1, 60, 500] {
        assert_eq!(synthetic_spec_bytes(n), synthetic_spec_bytes(n), "n = {n}");
        assert_eq!(synthetic_spec(n), synthetic_spec(n), "n = {n}");
    }
    assert_ne!(synthetic_spec_bytes(60), synthetic_spec_bytes(61));
}

#[test]
fn bytes_are_the_pretty_json_of_the_document() {
    let bytes = synthetic_spec_bytes(20);
    let parsed: Value = serde_json::from_slice(&bytes).expect("valid JSON");
    assert_eq!(parsed, synthetic_spec(20));
    assert!(bytes.starts_with(b"{\n  \""), "pretty-printed");
}

#[test]
fn operations_counts_the_visible_operations() {
    for n in [0, 1, 7, 8, 19, 20, 21, 60, 425, 500] {
        let ops = operations(&synthetic_spec(n));
        let hidden = ops.iter().filter(|(_, _, op)| is_hidden(op)).count();
        assert_eq!(ops.len() - hidden, n, "visible operations for n = {n}");
        assert_eq!(hidden, n.div_ceil(HIDDEN_EVERY), "hidden operations for n = {n}");
    }
}

#[test]
fn operation_ids_are_unique_and_upstream_shaped() {
    let ops = operations(&synthetic_spec(500));
    let mut seen = BTreeSet::new();
    for (path, method, op) in &ops {
        let id = op["operationId"].as_str().expect("operationId");
        assert!(seen.insert(id.to_owned()), "duplicate operationId {id}");
        let (controller, suffix) = id.rsplit_once('_').expect("Controller_suffix");
        assert!(controller.ends_with("Controller"), "{method} {path}: {id}");
        assert!(!suffix.is_empty());
    }
}

#[test]
fn as_large_as_upstream_at_upstream_size() {
    let spec = synthetic_spec(425);
    assert!(schemas(&spec).len() >= 822, "{} schemas", schemas(&spec).len());
}

#[test]
fn every_reference_resolves() {
    let spec = synthetic_spec(3 * PATTERNS);
    for (pointer, object) in all_objects(&spec) {
        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            let target = reference.strip_prefix('#').expect("local reference");
            assert!(spec.pointer(target).is_some(), "{pointer}: dangling {reference}");
        }
    }
}

#[test]
fn path_templates_match_path_parameters() {
    for (path, method, op) in operations(&synthetic_spec(3 * PATTERNS)) {
        let templated: BTreeSet<&str> = path.split('{').skip(1).filter_map(|s| s.split('}').next()).collect();
        let declared: BTreeSet<&str> = op["parameters"]
            .as_array()
            .expect("parameters")
            .iter()
            .filter(|p| p["in"] == "path")
            .inspect(|p| assert_eq!(p["required"], true, "{method} {path}: path params are required"))
            .filter_map(|p| p["name"].as_str())
            .collect();
        assert_eq!(templated, declared, "{method} {path}");
    }
}

#[test]
fn parses_as_a_typed_openapi_document() {
    // The typed parser ignores unknown keys, so the raw document must parse as well as the
    // strict one; both go through `openapiv3`, the parser the generator uses.
    let spec = synthetic_spec(60);
    for doc in [spec.clone(), without_invalid_quirks(&spec)] {
        let typed: openapiv3::OpenAPI = serde_json::from_value(doc).expect("typed parse");
        assert_eq!(typed.openapi, "3.0.3");
        assert_eq!(typed.operations().count(), 60 + 60_usize.div_ceil(HIDDEN_EVERY));
    }
}

#[test]
fn stripping_invalid_quirks_changes_only_parameters() {
    let spec = synthetic_spec(60);
    let strict = without_invalid_quirks(&spec);
    let on_params = |doc: &Value| {
        all_objects(doc)
            .into_iter()
            .filter(|(p, o)| p.contains("/parameters/") && o.get("in").is_some())
            .filter(|(_, o)| o.get("maxLength").is_some())
            .count()
    };
    assert!(on_params(&spec) > 0);
    assert_eq!(on_params(&strict), 0);
    assert_eq!(spec["components"], strict["components"]);
    assert_eq!(spec["info"], strict["info"]);
}

/// The quirks of the module docs, each found by looking at the document itself.
#[test]
fn covers_every_upstream_quirk_from_one_round_of_patterns() {
    let spec = synthetic_spec(PATTERNS);
    let ops = operations(&spec);
    let visible: Vec<&(String, String, Value)> = ops.iter().filter(|(_, _, op)| !is_hidden(op)).collect();
    let mut missing = Vec::new();
    let mut check = |ok: bool, what: &str| {
        if !ok {
            missing.push(what.to_owned());
        }
    };

    // Operations.
    let methods_with_body: BTreeSet<&str> =
        visible.iter().filter(|(_, _, op)| op.get("requestBody").is_some()).map(|(_, m, _)| m.as_str()).collect();
    for m in ["post", "put", "delete", "patch"] {
        check(methods_with_body.contains(m), &format!("{m} with a JSON body"));
    }
    let query_types = |op: &Value| -> BTreeSet<String> {
        op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "query")
            .map(|p| {
                let s = &p["schema"];
                if s.get("enum").is_some() { "enum".to_owned() } else { s["type"].as_str().unwrap_or("").to_owned() }
            })
            .collect()
    };
    check(
        visible.iter().any(|(_, m, op)| {
            let types = query_types(op);
            m == "get"
                && op["parameters"].as_array().is_some_and(|p| p.len() >= 8)
                && ["string", "integer", "number", "boolean", "enum", "array"].iter().all(|t| types.contains(*t))
        }),
        "GET with many query parameters of every type",
    );
    let objs = all_objects(&spec);
    check(
        objs.iter().any(|(p, o)| p.contains("/parameters/") && o.get("in").is_some() && o.get("maxLength").is_some()),
        "maxLength on a parameter object",
    );
    check(
        objs.iter().any(|(_, o)| o.get("example") == Some(&Value::from(1_700_000_000_000_u64))),
        "ms timestamp example",
    );
    check(visible.iter().any(|(path, _, _)| path.contains('{')), "path parameters");
    let mut methods_per_path: BTreeMap<&str, usize> = BTreeMap::new();
    for (path, _, _) in &ops {
        *methods_per_path.entry(path).or_default() += 1;
    }
    check(methods_per_path.values().any(|&n| n >= 3), "a path item with several methods");
    check(visible.iter().any(|(_, _, op)| op["responses"].get("201").is_some()), "201 responses");
    check(ops.iter().any(|(_, _, op)| is_hidden(op)), "hidden operations");
    check(visible.iter().any(|(_, _, op)| op.get("deprecated") == Some(&Value::Bool(true))), "deprecated");
    check(
        visible.iter().any(|(_, _, op)| {
            op["tags"][0].as_str().is_some_and(|t| t.contains('/') && t.chars().any(|c| c > '\u{2e80}'))
        }),
        "tags with / and Chinese",
    );
    check(
        visible.iter().any(|(_, _, op)| op["description"].as_str().is_some_and(|d| d.chars().any(|c| c > '\u{2e80}'))),
        "Chinese descriptions",
    );
    check(
        visible.iter().any(|(_, _, op)| op.pointer("/x-genauth-i18n/en-US/summary").is_some()),
        "English translations",
    );
    check(spec.pointer("/info/x-genauth-lang").is_none(), "upstream language (no x-genauth-lang)");

    // Every visible response is the envelope.
    for (path, method, op) in &visible {
        for response in op["responses"].as_object().expect("responses").values() {
            let reference = response.pointer("/content/application~1json/schema/$ref").and_then(Value::as_str);
            let name = reference.and_then(|r| r.rsplit('/').next()).expect("response schema");
            let props = schemas(&spec)[name]["properties"].as_object().expect("envelope properties");
            let keys: Vec<&str> = props.keys().map(String::as_str).collect();
            assert_eq!(keys, ["statusCode", "message", "apiCode", "requestId", "data"], "{method} {path}");
        }
    }

    // Names.
    let suffixes: Vec<String> = visible
        .iter()
        .map(|(_, _, op)| op["operationId"].as_str().unwrap().rsplit('_').next().unwrap().to_lowercase())
        .collect();
    let distinct: BTreeSet<&String> = suffixes.iter().collect();
    check(distinct.len() < suffixes.len(), "operationId suffixes that collide (case-insensitively)");
    let big = synthetic_spec(3 * PATTERNS);
    let by_suffix = operations(&big)
        .into_iter()
        .filter_map(|(_, _, op)| op["operationId"].as_str().map(str::to_owned))
        .fold(BTreeMap::<String, BTreeSet<String>>::new(), |mut m, id| {
            let (controller, suffix) = id.rsplit_once('_').unwrap();
            m.entry(suffix.to_owned()).or_default().insert(controller.to_owned());
            m
        });
    check(by_suffix.values().any(|c| c.len() >= 3), "one suffix under several controllers");
    let lower: Vec<String> = schemas(&spec).keys().map(|k| k.to_lowercase()).collect();
    check(lower.iter().collect::<BTreeSet<_>>().len() < lower.len(), "component names colliding by case");

    // Schemas.
    let property_names: BTreeSet<&str> = objs
        .iter()
        .filter(|(p, _)| p.starts_with("/components/schemas/"))
        .filter_map(|(_, o)| o.get("properties").and_then(Value::as_object))
        .flat_map(|props| props.keys().map(String::as_str))
        .collect();
    for name in [
        "type",
        "self",
        "Self",
        "match",
        "1stPlace",
        "user-name",
        "user.email",
        "display name",
        "用户名",
        "userId",
        "user_id",
    ] {
        check(property_names.contains(name), &format!("property name {name:?}"));
    }
    let enum_values: BTreeSet<&str> = objs
        .iter()
        .filter_map(|(_, o)| o.get("enum").and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    for value in ["wechat:pc", "wechat-pc", "azure-ad", "1", "a b", "2fa", "unknown_value"] {
        check(enum_values.contains(value), &format!("enum value {value:?}"));
    }
    check(
        objs.iter().any(|(_, o)| {
            o.get("description").is_some()
                && o.get("allOf").and_then(Value::as_array).is_some_and(|a| a.len() == 1 && a[0].get("$ref").is_some())
        }),
        "allOf wrapper with a description",
    );
    check(objs.iter().any(|(_, o)| o["type"] == "array" && o.pointer("/items/$ref").is_some()), "arrays of objects");
    check(objs.iter().any(|(_, o)| o.pointer("/additionalProperties/$ref").is_some()), "map of refs");
    check(
        objs.iter().any(|(_, o)| o.pointer("/additionalProperties/type") == Some(&"string".into())),
        "map of strings",
    );
    check(
        objs.iter().any(|(p, o)| {
            p.contains("/properties/")
                && o["type"] == "object"
                && o.get("properties").is_none()
                && o.get("additionalProperties").is_none()
        }),
        "free-form object property",
    );
    check(
        schemas(&spec).values().any(|s| s["type"] == "object" && s.get("properties").is_none()),
        "component object without properties",
    );
    check(objs.iter().any(|(_, o)| o.get("oneOf").is_some()), "oneOf");
    check(objs.iter().any(|(_, o)| o.get("nullable") == Some(&Value::Bool(true))), "nullable");
    check(objs.iter().any(|(_, o)| o["format"] == "date-time"), "date-time strings");
    check(
        schemas(&spec).iter().any(|(name, s)| {
            let own = format!("#/components/schemas/{name}");
            let props = s["properties"].as_object();
            let refs_self = |v: &Value| serde_json::to_string(v).unwrap().contains(&format!("\"{own}\""));
            props.is_some_and(|p| {
                p.values().any(|v| v["type"] == "array" && refs_self(v))
                    && p.values().any(|v| v.get("allOf").is_some() && refs_self(v))
            })
        }),
        "recursive schema with children and an optional parent",
    );
    assert!(missing.is_empty(), "quirks missing from synthetic_spec({PATTERNS}): {missing:#?}");
}

/// Runs `.ci/validate-spec.sh` (which installs openapi-spec-validator from PyPI into `target/` on
/// first use; `.ci/run` has installed it by the time the tests run) on a 60-operation sample: the
/// strict variant must be valid, and the raw one invalid only because of `maxLength` on parameter
/// objects.
#[test]
fn sixty_operations_validate_with_openapi_spec_validator() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = synthetic_spec(60);
    let strict = dir.path().join("synthetic-60-strict.json");
    let raw = dir.path().join("synthetic-60.json");
    std::fs::write(&strict, serde_json::to_vec_pretty(&without_invalid_quirks(&spec)).unwrap()).unwrap();
    std::fs::write(&raw, serde_json::to_vec_pretty(&spec).unwrap()).unwrap();
    let run = |file: &std::path::Path| {
        std::process::Command::new(root.join(".ci/validate-spec.sh")).arg(file).output().expect("run validate-spec.sh")
    };
    let out = run(&strict);
    assert!(out.status.success(), "strict sample invalid:\n{}", String::from_utf8_lossy(&out.stderr));
    let out = run(&raw);
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the raw sample should fail on parameter maxLength");
    assert!(report.contains("'maxLength' does not match any of the regexes: '^x-'"), "{report}");
}
