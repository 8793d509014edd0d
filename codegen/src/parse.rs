//! Stage 1: spec bytes (JSON or YAML) -> [`Spec`], the typed `openapiv3` document plus the raw
//! JSON tree.
//!
//! Both trees are kept because the typed parser silently drops keys the OpenAPI schema does not
//! allow, and the upstream spec uses some of them meaningfully (`maxLength` written on a parameter
//! object). The model builder reads those from [`Spec::raw`].
//!
//! Nothing here panics on any input: every failure is a [`Diagnostic`] with a JSON pointer (`#`
//! for document-level problems, with line and column in the message).

use serde_json::{Map, Number, Value};

use crate::diagnostics::{self, Diagnostic, Diagnostics};

/// A parsed spec.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The typed document (parsed from [`Spec::raw`] after the repairs listed in
    /// [`Spec::warnings`]).
    pub openapi: openapiv3::OpenAPI,
    /// The raw JSON tree of the document exactly as written (YAML converted, nothing repaired).
    pub raw: serde_json::Value,
    /// Spec-invalid but meaningful constructs repaired so the typed parse could succeed (e.g. a
    /// parameter without `schema`), one warning each. The model builder passes them on to
    /// `Api::warnings`.
    pub warnings: Vec<Diagnostic>,
}

/// Parses JSON or YAML bytes (`source_name` only appears in messages). A document whose first
/// non-whitespace byte is `{` is JSON, anything else YAML.
pub fn parse(bytes: &[u8], source_name: &str) -> Result<Spec, Diagnostics> {
    let fail = |message: String| Diagnostics(vec![Diagnostic::error("#", message)]);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_column(bytes, e.valid_up_to());
        fail(format!("{source_name}: not UTF-8 (invalid byte at line {line}, column {column})"))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(fail(format!("{source_name}: empty document")));
    }
    let raw =
        if text.trim_start().starts_with('{') { parse_json(text, source_name) } else { parse_yaml(text, source_name) }
            .map_err(fail)?;
    check_version(&raw).map_err(fail)?;
    if let Some(pointer) = too_deep(&raw, MAX_NESTING) {
        return Err(Diagnostics(vec![Diagnostic::error(
            pointer,
            format!("{source_name}: the document nests more than {MAX_NESTING} levels deep here"),
        )]));
    }

    let (repaired, warnings) = repair(&raw);
    let openapi: openapiv3::OpenAPI = serde_path_to_error::deserialize(&repaired).map_err(|e| {
        // `#[serde(flatten)]` maps in openapiv3 (paths, responses) end the tracked path early, so
        // probe the parts one by one for a more precise location.
        let (pointer, message) =
            locate_error(&repaired).unwrap_or_else(|| (path_to_pointer(e.path()), e.inner().to_string()));
        Diagnostics(vec![Diagnostic::error(pointer, format!("{source_name}: not a valid OpenAPI document: {message}"))])
    })?;
    Ok(Spec { openapi, raw, warnings })
}

/// How deep the raw tree may nest before the typed parse. `openapiv3`'s schema deserializer
/// spends tens of KiB of stack per level in debug builds (`#[serde(flatten)]` buffers): the
/// hostile-input tests overflowed a 2 MiB thread stack with `allOf` wrappers 40 deep (80 levels,
/// inside the JSON parser's own limit of 128). Real specs nest about 10 levels (ours: 10).
pub const MAX_NESTING: usize = 40;

/// The pointer of the first node deeper than `limit` levels, if any. Recursion is bounded by
/// the parsers' own nesting limits (128).
fn too_deep(value: &Value, limit: usize) -> Option<String> {
    fn walk(value: &Value, at: &str, left: usize) -> Option<String> {
        let children: Box<dyn Iterator<Item = (String, &Value)>> = match value {
            Value::Object(map) => Box::new(map.iter().map(|(k, v)| (k.clone(), v))),
            Value::Array(items) => Box::new(items.iter().enumerate().map(|(i, v)| (i.to_string(), v))),
            _ => return None,
        };
        for (key, child) in children {
            let here = diagnostics::child(at, &key);
            if left == 0 {
                return Some(here);
            }
            if let Some(found) = walk(child, &here, left - 1) {
                return Some(found);
            }
        }
        None
    }
    walk(value, "#", limit)
}

fn parse_json(text: &str, source_name: &str) -> Result<Value, String> {
    serde_json::from_str(text)
        .map_err(|e| format!("{source_name}: JSON syntax error at line {}, column {}: {e}", e.line(), e.column()))
}

fn parse_yaml(text: &str, source_name: &str) -> Result<Value, String> {
    let yaml: serde_norway::Value = serde_norway::from_str(text).map_err(|e| match e.location() {
        Some(l) => format!("{source_name}: YAML syntax error at line {}, column {}: {e}", l.line(), l.column()),
        None => format!("{source_name}: YAML error: {e}"),
    })?;
    if yaml.is_null() {
        return Err(format!("{source_name}: empty document"));
    }
    yaml_to_json(yaml, "#").map_err(|(pointer, msg)| format!("{source_name}: {msg} (at {pointer})"))
}

/// Converts a YAML tree to JSON. YAML allows keys JSON does not: scalar keys are stringified
/// (response codes written `200:` are integers in YAML), anything else is rejected.
fn yaml_to_json(value: serde_norway::Value, at: &str) -> Result<Value, (String, String)> {
    use serde_norway::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            Value::Number(yaml_number(&n).ok_or_else(|| (at.to_owned(), format!("number `{n}` is not finite")))?)
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| yaml_to_json(v, &diagnostics::child(at, &i.to_string())))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Bool(b) => b.to_string(),
                    Y::Number(n) => n.to_string(),
                    Y::Null => "null".to_owned(),
                    _ => return Err((at.to_owned(), "mapping key is not a scalar".to_owned())),
                };
                let here = diagnostics::child(at, &key);
                let v = yaml_to_json(v, &here)?;
                if out.insert(key, v).is_some() {
                    return Err((here, "duplicate mapping key".to_owned()));
                }
            }
            Value::Object(out)
        }
        Y::Tagged(_) => {
            return Err((at.to_owned(), "YAML tags (`!tag`) are not supported".to_owned()));
        }
    })
}

fn yaml_number(n: &serde_norway::Number) -> Option<Number> {
    if let Some(u) = n.as_u64() {
        Some(Number::from(u))
    } else if let Some(i) = n.as_i64() {
        Some(Number::from(i))
    } else {
        n.as_f64().and_then(Number::from_f64)
    }
}

/// Only OpenAPI 3.0.x is supported: 3.1 changed the schema dialect (`nullable`, `type` arrays)
/// and Swagger 2 is a different format; both would be misread silently by the 3.0 parser.
fn check_version(raw: &Value) -> Result<(), String> {
    let Some(obj) = raw.as_object() else {
        return Err("the document is not an object".to_owned());
    };
    if let Some(v) = obj.get("swagger") {
        return Err(format!("Swagger {v} documents are not supported; convert to OpenAPI 3.0.x"));
    }
    match obj.get("openapi") {
        None => Err("missing `openapi` version field (expected 3.0.x)".to_owned()),
        Some(Value::String(v)) if v == "3.0" || v.starts_with("3.0.") => Ok(()),
        Some(v) => Err(format!("unsupported OpenAPI version {v}: only 3.0.x is supported")),
    }
}

/// Repairs what would make the typed parse fail although the meaning is clear, with a warning
/// each. Today: parameters with neither `schema` nor `content` get a schema from their own
/// `type`/`format`/`items` keys (Swagger 2 style), or `{type: string}`.
fn repair(raw: &Value) -> (Value, Vec<Diagnostic>) {
    let mut doc = raw.clone();
    let mut warnings = Vec::new();
    let mut lists: Vec<String> = Vec::new();
    if let Some(paths) = raw.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let base = diagnostics::pointer(&["paths", path]);
            if item.get("parameters").is_some() {
                lists.push(diagnostics::child(&base, "parameters"));
            }
            if let Some(item) = item.as_object() {
                for (method, op) in item {
                    if op.get("parameters").is_some() {
                        lists.push(diagnostics::child(&diagnostics::child(&base, method), "parameters"));
                    }
                }
            }
        }
    }
    let mut params: Vec<String> = Vec::new();
    for list in &lists {
        if let Some(items) = raw.pointer(list.strip_prefix('#').unwrap_or(list)).and_then(Value::as_array) {
            params.extend((0..items.len()).map(|i| diagnostics::child(list, &i.to_string())));
        }
    }
    if let Some(map) = raw.pointer("/components/parameters").and_then(Value::as_object) {
        params.extend(map.keys().map(|k| diagnostics::pointer(&["components", "parameters", k])));
    }
    for p in params {
        let Some(Value::Object(param)) = doc.pointer_mut(p.strip_prefix('#').unwrap_or(&p)) else {
            continue;
        };
        if param.contains_key("$ref") || param.contains_key("schema") || param.contains_key("content") {
            continue;
        }
        let mut schema = Map::new();
        for key in ["type", "format", "items"] {
            if let Some(v) = param.get(key) {
                schema.insert(key.to_owned(), v.clone());
            }
        }
        if !schema.contains_key("type") {
            schema.insert("type".to_owned(), Value::String("string".to_owned()));
        }
        let ty = schema.get("type").and_then(Value::as_str).unwrap_or("string").to_owned();
        param.insert("schema".to_owned(), Value::Object(schema));
        warnings.push(Diagnostic::warning(p, format!("parameter has no `schema`; assumed type `{ty}`")));
    }
    (doc, warnings)
}

/// Finds the innermost part of the document that fails to deserialize: each response, parameter
/// and request body of each operation, then the operation and path item, then components.
fn locate_error(doc: &Value) -> Option<(String, String)> {
    use openapiv3::{Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema};
    let entries = |v: Option<&Value>, base: &str| -> Vec<(String, Value)> {
        match v {
            Some(Value::Object(m)) => m.iter().map(|(k, v)| (diagnostics::child(base, k), v.clone())).collect(),
            Some(Value::Array(a)) => {
                a.iter().enumerate().map(|(i, v)| (diagnostics::child(base, &i.to_string()), v.clone())).collect()
            }
            _ => Vec::new(),
        }
    };
    for (item_ptr, item) in entries(doc.get("paths"), "#/paths") {
        for (op_ptr, op) in entries(Some(&item), &item_ptr) {
            if !matches!(
                op_ptr.rsplit('/').next(),
                Some("get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace")
            ) {
                continue;
            }
            let probes = [
                entries(op.get("responses"), &diagnostics::child(&op_ptr, "responses"))
                    .into_iter()
                    .find_map(|(p, v)| probe::<ReferenceOr<Response>>(&v, &p)),
                entries(op.get("parameters"), &diagnostics::child(&op_ptr, "parameters"))
                    .into_iter()
                    .find_map(|(p, v)| probe::<ReferenceOr<Parameter>>(&v, &p)),
                op.get("requestBody")
                    .and_then(|v| probe::<ReferenceOr<RequestBody>>(v, &diagnostics::child(&op_ptr, "requestBody"))),
                probe::<Operation>(&op, &op_ptr),
            ];
            if let Some(found) = probes.into_iter().flatten().next() {
                return Some(found);
            }
        }
        if let Some(found) = probe::<ReferenceOr<PathItem>>(&item, &item_ptr) {
            return Some(found);
        }
    }
    let components = doc.get("components");
    let at = |kind: &str| (components.and_then(|c| c.get(kind)), format!("#/components/{kind}"));
    let (v, base) = at("schemas");
    let schemas = entries(v, &base).into_iter().find_map(|(p, v)| probe::<ReferenceOr<Schema>>(&v, &p));
    let (v, base) = at("parameters");
    let params = entries(v, &base).into_iter().find_map(|(p, v)| probe::<ReferenceOr<Parameter>>(&v, &p));
    let (v, base) = at("requestBodies");
    let bodies = entries(v, &base).into_iter().find_map(|(p, v)| probe::<ReferenceOr<RequestBody>>(&v, &p));
    let (v, base) = at("responses");
    let responses = entries(v, &base).into_iter().find_map(|(p, v)| probe::<ReferenceOr<Response>>(&v, &p));
    schemas.or(params).or(bodies).or(responses)
}

/// `Some((pointer, message))` when `value` does not deserialize as `T`.
fn probe<T: serde::de::DeserializeOwned>(value: &Value, at: &str) -> Option<(String, String)> {
    let err = serde_path_to_error::deserialize::<_, T>(value).err()?;
    let inner = path_to_pointer(err.path());
    Some((format!("{at}{}", inner.strip_prefix('#').unwrap_or_default()), err.inner().to_string()))
}

/// Turns a serde_path_to_error path into a JSON pointer. Enum variants and unknown segments
/// (from `#[serde(flatten)]`) have no place in the document, so they are skipped.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let segments: Vec<String> = path
        .iter()
        .filter_map(|s| match s {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { .. } | Segment::Unknown => None,
        })
        .collect();
    diagnostics::pointer(&segments)
}

/// 1-based line and column (in bytes) of byte offset `at`.
fn line_column(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = bytes.get(..at).unwrap_or(bytes);
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let column = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL_YAML: &str = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n";

    fn only_error(r: Result<Spec, Diagnostics>) -> Diagnostic {
        let errs = r.expect_err("should fail").0;
        assert_eq!(errs.len(), 1, "{errs:?}");
        errs.into_iter().next().expect("one error")
    }

    #[test]
    fn yaml_integer_response_keys_are_stringified() {
        let spec = parse(MINIMAL_YAML.as_bytes(), "t.yaml").expect("parses");
        assert!(spec.raw.pointer("/paths/~1a/get/responses/200").is_some());
        assert_eq!(spec.openapi.paths.paths.len(), 1);
    }

    #[test]
    fn json_is_detected_by_brace() {
        let json = r#" {"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{}}"#;
        assert_eq!(parse(json.as_bytes(), "t.json").expect("parses").openapi.openapi, "3.0.3");
    }

    #[test]
    fn broken_inputs_are_errors_with_location() {
        let e = only_error(parse(b"\xff\xfe", "t"));
        assert!(e.message.contains("UTF-8") && e.message.contains("line 1"), "{e}");
        assert!(only_error(parse(b"  \n ", "t")).message.contains("empty"));
        assert!(only_error(parse(b"# just a comment\n", "t")).message.contains("empty"));
        let e = only_error(parse(b"{\"openapi\": ", "t"));
        assert!(e.message.contains("line 1") && e.pointer == "#", "{e}");
        let e = only_error(parse(b"a: [1\nb: 2", "t"));
        assert!(e.message.contains("line"), "{e}");
        let e = only_error(parse(b"openapi: 3.0.0\n? [a]\n: 1\n", "t"));
        assert!(e.message.contains("not a scalar"), "{e}");
        let e = only_error(parse(b"openapi: 3.0.0\nx: .nan\n", "t"));
        assert!(e.message.contains("not finite") && e.message.contains("#/x"), "{e}");
    }

    #[test]
    fn wrong_versions_are_rejected() {
        let e = only_error(parse(br#"{"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{}}"#, "t"));
        assert!(e.message.contains("3.1.0") && e.message.contains("3.0.x"), "{e}");
        let e = only_error(parse(br#"{"swagger":"2.0"}"#, "t"));
        assert!(e.message.contains("Swagger"), "{e}");
        assert!(only_error(parse(b"[1]", "t")).message.contains("not an object"));
    }

    #[test]
    fn typed_parse_errors_carry_a_pointer() {
        let doc =
            r#"{"openapi":"3.0.0","info":{"title":"t","version":"1"},"paths":{"/a":{"get":{"responses":{"200":{}}}}}}"#;
        let e = only_error(parse(doc.as_bytes(), "t"));
        assert!(e.pointer.starts_with("#/paths/~1a/get"), "{e}");
        assert!(e.message.contains("description"), "{e}");
    }

    #[test]
    fn parameter_without_schema_is_repaired_with_a_warning() {
        let doc = r#"{"openapi":"3.0.0","info":{"title":"t","version":"1"},"paths":{"/a":{"get":{
            "parameters":[{"name":"q","in":"query","maxLength":5}],"responses":{"200":{"description":""}}}}}}"#;
        let spec = parse(doc.as_bytes(), "t").expect("parses");
        assert_eq!(spec.warnings.len(), 1);
        assert_eq!(spec.warnings[0].pointer, "#/paths/~1a/get/parameters/0");
        assert!(spec.raw.pointer("/paths/~1a/get/parameters/0/schema").is_none(), "raw stays as written");
    }
}
