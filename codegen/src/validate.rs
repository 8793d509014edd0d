//! Stage 3: the effective document (upstream plus the curated layers) checked before the model
//! reads it ([`validate`]): too deep a nesting is refused, scalars of the wrong JSON type whose
//! meaning is plain (`info.version: 3`, `maxLength: "10"`, `deprecated: "true"`, numbers in a
//! string `enum`) are repaired with a warning naming the pointer, and the shape is checked by
//! `openapiv3`'s typed parse.
//!
//! Nothing here panics on any input: every failure is a [`Diagnostic`] with a JSON pointer (`#`
//! for document-level problems, with line and column in the message).

use serde_json::{Map, Number, Value};

use crate::diagnostics::{self, Diagnostic, Diagnostics};
use crate::read::{path_to_pointer, read_document};

/// A document whose shape has been checked: what the model is built from.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The JSON tree of the document as written (YAML converted, the curated layers applied),
    /// with only scalars of the wrong JSON type repaired (see [`Spec::warnings`]).
    pub raw: serde_json::Value,
    /// Spec-invalid but meaningful constructs repaired or assumed so that the document passes
    /// the check (e.g. a parameter without `schema`), one warning each. The model builder passes
    /// them on to `Api::warnings`.
    pub warnings: Vec<Diagnostic>,
}

/// Reads JSON or YAML bytes ([`read_document`]) and checks the document ([`validate`]), with no
/// curated layers in between (`source_name` only appears in messages).
pub fn parse(bytes: &[u8], source_name: &str) -> Result<Spec, Diagnostics> {
    validate(read_document(bytes, source_name)?, source_name)
}

/// Checks a document's tree (after the curated layers) and makes it a [`Spec`]: scalars of the
/// wrong JSON type are repaired where their meaning is plain, then `openapiv3`'s typed parse
/// checks that every part has the shape OpenAPI 3.0 gives it. The typed document is the check,
/// not an output: the model reads the tree, because the typed parser drops keys the OpenAPI
/// schema does not allow and upstream uses meaningfully (`maxLength` on a parameter). So the
/// model can trust the shapes it walks, and a document it cannot read is refused here, with the
/// pointer of the first part that does not fit.
pub fn validate(raw: Value, source_name: &str) -> Result<Spec, Diagnostics> {
    if let Some(pointer) = too_deep(&raw, MAX_NESTING) {
        return Err(Diagnostics(vec![Diagnostic::error(
            pointer,
            format!("{source_name}: the document nests more than {MAX_NESTING} levels deep here"),
        )]));
    }

    // Scalars of the wrong JSON type are repaired in the tree the model reads too; the other
    // repairs only feed the typed parse (the model reads those keys where upstream wrote them).
    let mut raw = raw;
    let mut warnings = Vec::new();
    repair_scalars(&mut raw, &mut String::from("#"), &mut warnings);
    // The other repairs are made in place for the typed parse and taken out again after it, so
    // the tree is never copied whole.
    let (added, more) = add_assumed_schemas(&mut raw);
    warnings.extend(more);
    let checked = typed(&mut raw);
    remove_assumed_schemas(&mut raw, &added);
    // A document that does not fit is parsed again, tracking the path, for the message.
    checked.map_err(|first| {
        let (repaired, _) = repair(&raw);
        let (pointer, message) = match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&repaired) {
            // `#[serde(flatten)]` maps in openapiv3 (paths, responses) end the tracked path
            // early, so probe the parts one by one for a more precise location.
            Err(e) => locate_error(&repaired).unwrap_or_else(|| (path_to_pointer(e.path()), e.inner().to_string())),
            Ok(_) => ("#".to_owned(), first.to_string()),
        };
        Diagnostics(vec![Diagnostic::error(pointer, format!("{source_name}: not a valid OpenAPI document: {message}"))])
    })?;
    Ok(Spec { raw, warnings })
}

/// The typed parse of a repaired tree, with `components` (about half of a large document)
/// parsed on a second thread. `components` is taken out of the tree meanwhile and put back in
/// its place, so the tree is as it was. Only whether it parses counts: each half of the typed
/// document is freed on the thread that parsed it.
fn typed(tree: &mut Value) -> Result<(), serde_json::Error> {
    use serde::Deserialize;
    let taken = tree.as_object_mut().and_then(|doc| {
        let index = doc.keys().position(|key| key == "components")?;
        Some((index, doc.shift_remove("components")?))
    });
    let components = taken.as_ref().map_or(&Value::Null, |(_, components)| components);
    let parse_components = || Option::<openapiv3::Components>::deserialize(components).map(drop);
    let parsed = std::thread::scope(|scope| {
        let thread = std::thread::Builder::new().stack_size(TYPED_PARSE_STACK).spawn_scoped(scope, parse_components);
        openapiv3::OpenAPI::deserialize(&*tree).map(drop)?;
        // Without a thread to be had, the components are parsed here.
        match thread {
            Ok(thread) => crate::threads::joined(thread),
            Err(_) => parse_components(),
        }
    });
    if let (Some((index, components)), Some(doc)) = (taken, tree.as_object_mut()) {
        doc.shift_insert(index, "components".to_owned(), components);
    }
    parsed
}

/// The stack of the thread that parses `components`: the main thread's usual 8 MiB, which
/// [`MAX_NESTING`] was chosen against (a spawned thread's default is 2 MiB).
const TYPED_PARSE_STACK: usize = 8 << 20;

/// How deep the raw tree may nest before the typed parse. `openapiv3`'s schema deserializer
/// spends tens of KiB of stack per level in debug builds (`#[serde(flatten)]` buffers): the
/// hostile-input tests overflowed a 2 MiB thread stack with `allOf` wrappers 40 deep (80 levels,
/// inside the JSON parser's own limit of 128). Real specs nest about 10 levels (ours: 10).
pub const MAX_NESTING: usize = 40;

/// The pointer of the first node deeper than `limit` levels, if any. Recursion is bounded by
/// the parsers' own nesting limits (128). The walk allocates nothing until it finds one: it
/// visits every node of a large document.
fn too_deep(value: &Value, limit: usize) -> Option<String> {
    /// The keys from below `value` down to the first node deeper than `left` more levels,
    /// innermost first.
    fn walk(value: &Value, left: usize) -> Option<Vec<String>> {
        let deeper = |child: &Value| if left == 0 { Some(Vec::new()) } else { walk(child, left - 1) };
        let (key, mut path) = match value {
            Value::Object(map) => map.iter().find_map(|(k, v)| Some((k.clone(), deeper(v)?)))?,
            Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| Some((i.to_string(), deeper(v)?)))?,
            _ => return None,
        };
        path.push(key);
        Some(path)
    }
    let path = walk(value, limit)?;
    Some(path.iter().rev().fold(String::from("#"), |at, key| diagnostics::child(&at, key)))
}

/// A copy of `raw` with what would make the typed parse fail, although the meaning is clear,
/// repaired ([`add_assumed_schemas`]), and the warnings. Only for a document that failed to
/// parse: a successful parse repairs in place and undoes it.
fn repair(raw: &Value) -> (Value, Vec<Diagnostic>) {
    let mut doc = raw.clone();
    let (_, warnings) = add_assumed_schemas(&mut doc);
    (doc, warnings)
}

/// Gives every parameter without `schema`, `content` or `$ref` the schema its old-style
/// `type`/`format`/`items` keys describe (`string` when none), in place, with a warning each.
/// Returns where it added one, for [`remove_assumed_schemas`].
fn add_assumed_schemas(doc: &mut Value) -> (Vec<String>, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    let mut lists: Vec<String> = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
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
        if let Some(items) = doc.pointer(list.strip_prefix('#').unwrap_or(list)).and_then(Value::as_array) {
            params.extend((0..items.len()).map(|i| diagnostics::child(list, &i.to_string())));
        }
    }
    if let Some(map) = doc.pointer("/components/parameters").and_then(Value::as_object) {
        params.extend(map.keys().map(|k| diagnostics::pointer(&["components", "parameters", k])));
    }
    let mut added = Vec::new();
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
        warnings.push(Diagnostic::warning(p.clone(), format!("parameter has no `schema`; assumed type `{ty}`")));
        added.push(p);
    }
    (added, warnings)
}

/// Takes out the schemas [`add_assumed_schemas`] added (each was the parameter's last key, so
/// the parameter is as it was), so the model reads parameters as upstream wrote them.
fn remove_assumed_schemas(doc: &mut Value, added: &[String]) {
    for p in added {
        if let Some(Value::Object(param)) = doc.pointer_mut(p.strip_prefix('#').unwrap_or(p)) {
            param.shift_remove("schema");
        }
    }
}

/// Keywords whose value OpenAPI 3.0 wants as a string.
const STRING_KEYS: &[&str] = &[
    "version",
    "title",
    "description",
    "summary",
    "operationId",
    "name",
    "format",
    "pattern",
    "termsOfService",
    "url",
];
/// Keywords whose value must be a non-negative integer.
const COUNT_KEYS: &[&str] = &["maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties"];
/// Keywords whose value must be a number.
const NUMBER_KEYS: &[&str] = &["minimum", "maximum", "multipleOf"];
/// Keywords whose value must be a boolean (`required` is one on parameters and bodies; on a
/// schema it is a list, which a string never was, so turning `"true"` into `true` loses nothing).
const BOOL_KEYS: &[&str] = &[
    "deprecated",
    "nullable",
    "readOnly",
    "writeOnly",
    "uniqueItems",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "allowEmptyValue",
    "explode",
    "allowReserved",
    "required",
];
/// Subtrees holding data, not keywords: examples, defaults and extensions are never touched.
const DATA_KEYS: &[&str] = &["example", "examples", "default", "value"];

/// Upstream documents are not always valid OpenAPI: a number where a string belongs
/// (`info.version: 3`), `"10"` for `maxLength`, `"true"` for `deprecated`, numbers in a string
/// `enum`. Where the meaning is plain, the value is converted and a warning names the pointer;
/// anything else is left for the typed parse to reject.
fn repair_scalars(node: &mut Value, at: &mut String, warnings: &mut Vec<Diagnostic>) {
    match node {
        // A `properties` map's keys are field names (`default`, `value`, `x-id`...), not
        // keywords: every field's schema is repaired.
        Value::Object(map) if at.ends_with("/properties") => {
            for (key, value) in map.iter_mut() {
                let len = at.len();
                at.push('/');
                at.push_str(&key.replace('~', "~0").replace('/', "~1"));
                repair_scalars(value, at, warnings);
                at.truncate(len);
            }
        }
        Value::Object(map) => {
            let is_string_schema = map.get("type").and_then(Value::as_str) == Some("string");
            let is_number_schema = matches!(map.get("type").and_then(Value::as_str), Some("number" | "integer"));
            for (key, value) in map.iter_mut() {
                if key.starts_with("x-") || DATA_KEYS.contains(&key.as_str()) {
                    continue;
                }
                let len = at.len();
                at.push('/');
                at.push_str(&key.replace('~', "~0").replace('/', "~1"));
                let fixed = match key.as_str() {
                    k if STRING_KEYS.contains(&k) => as_string(value),
                    k if COUNT_KEYS.contains(&k) => as_count(value),
                    k if NUMBER_KEYS.contains(&k) => as_number(value),
                    k if BOOL_KEYS.contains(&k) => as_bool(value),
                    "enum" if is_string_schema || is_number_schema => {
                        if let Value::Array(items) = value {
                            for (i, item) in items.iter_mut().enumerate() {
                                let converted = if is_string_schema { as_string(item) } else { as_number(item) };
                                if let Some(new) = converted {
                                    warnings.push(wrong_type(&format!("{at}/{i}"), item, &new));
                                    *item = new;
                                }
                            }
                        }
                        None
                    }
                    _ => None,
                };
                match fixed {
                    Some(new) => {
                        warnings.push(wrong_type(at, value, &new));
                        *value = new;
                    }
                    None if key != "enum" => repair_scalars(value, at, warnings),
                    None => {}
                }
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                let len = at.len();
                at.push('/');
                at.push_str(&i.to_string());
                repair_scalars(item, at, warnings);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

fn wrong_type(at: &str, old: &Value, new: &Value) -> Diagnostic {
    Diagnostic::warning(at, format!("`{old}` has the wrong JSON type; read as `{new}`"))
}

/// A number or boolean as a string (`3` -> `"3"`).
fn as_string(value: &Value) -> Option<Value> {
    match value {
        Value::Number(n) => Some(Value::String(n.to_string())),
        Value::Bool(b) => Some(Value::String(b.to_string())),
        _ => None,
    }
}

/// `"10"` or `10.0` as the integer 10.
fn as_count(value: &Value) -> Option<Value> {
    match value {
        Value::String(s) => s.trim().parse::<u64>().ok().map(Value::from),
        Value::Number(n) if n.as_u64().is_none() => {
            n.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 9.0e15).map(|f| Value::from(f as u64))
        }
        _ => None,
    }
}

/// `"1.5"` as the number 1.5.
fn as_number(value: &Value) -> Option<Value> {
    let Value::String(s) = value else { return None };
    let s = s.trim();
    s.parse::<i64>()
        .ok()
        .map(Value::from)
        .or_else(|| s.parse::<f64>().ok().and_then(Number::from_f64).map(Value::Number))
}

/// `"true"` / `"false"` (any case) as booleans.
fn as_bool(value: &Value) -> Option<Value> {
    let Value::String(s) = value else { return None };
    match s.trim().to_ascii_lowercase().as_str() {
        "true" => Some(Value::Bool(true)),
        "false" => Some(Value::Bool(false)),
        _ => None,
    }
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
        assert_eq!(spec.raw["paths"].as_object().map(|paths| paths.len()), Some(1));
    }

    #[test]
    fn json_is_detected_by_brace() {
        let json = r#" {"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{}}"#;
        assert_eq!(parse(json.as_bytes(), "t.json").expect("parses").raw["openapi"], "3.0.3");
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

    /// Each class of wrong-typed scalar whose meaning is plain: accepted, with a warning naming
    /// the pointer; examples and extensions are left alone; a value whose meaning is lost fails.
    #[test]
    fn scalars_of_the_wrong_type_are_read_with_a_warning() {
        let doc = r#"{"openapi":"3.0.0","info":{"title":"t","version":3},"paths":{"/a":{"get":{
            "deprecated":"true","operationId":7,
            "parameters":[{"name":"q","in":"query","required":"false","schema":{"type":"string","maxLength":"10","enum":[1,"b"]}}],
            "responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"type":"object","properties":{
                "n":{"type":"number","minimum":"0.5","maxItems":5.0,"example":"12","enum":["1",2]},
                "x":{"type":"string","x-note":7},"value":{"type":"string","maxLength":"3"}}}}}}}}}}}"#;
        let spec = parse(doc.as_bytes(), "t").unwrap_or_else(|e| panic!("{e}"));
        let pointers: Vec<&str> = spec.warnings.iter().map(|w| w.pointer.as_str()).collect();
        let op = "#/paths/~1a/get";
        let n = format!("{op}/responses/200/content/application~1json/schema/properties/n");
        for expected in [
            "#/info/version".to_owned(),
            format!("{op}/deprecated"),
            format!("{op}/operationId"),
            format!("{op}/parameters/0/required"),
            format!("{op}/parameters/0/schema/maxLength"),
            format!("{op}/parameters/0/schema/enum/0"),
            format!("{n}/minimum"),
            format!("{n}/maxItems"),
            format!("{n}/enum/0"),
            format!("{op}/responses/200/content/application~1json/schema/properties/value/maxLength"),
        ] {
            assert!(pointers.contains(&expected.as_str()), "no warning at {expected}: {pointers:?}");
        }
        assert_eq!(pointers.len(), 10, "{pointers:?}");
        assert_eq!(spec.raw["info"]["version"], "3");
        assert!(spec.warnings[0].message.contains("wrong JSON type"), "{}", spec.warnings[0]);
        assert_eq!(spec.raw.pointer("/info/version"), Some(&serde_json::json!("3")), "the model reads the repair");
        assert_eq!(spec.raw.pointer(&format!("{}/example", &n[1..])), Some(&serde_json::json!("12")), "data is data");

        // Meaning lost: no plain reading of `"ten"` as a length.
        let bad = doc.replace(r#""maxLength":"10""#, r#""maxLength":"ten""#);
        assert!(parse(bad.as_bytes(), "t").is_err());
    }

    #[test]
    fn parameter_without_schema_is_repaired_with_a_warning() {
        let doc = r#"{"openapi":"3.0.0","info":{"title":"t","version":"1"},"paths":{"/a":{"get":{
            "parameters":[{"name":"q","in":"query","maxLength":5}],"responses":{"200":{"description":""}}}}}}"#;
        let spec = parse(doc.as_bytes(), "t").expect("parses");
        assert_eq!(spec.warnings.len(), 1);
        assert_eq!(spec.warnings[0].pointer, "#/paths/~1a/get/parameters/0");
        assert!(spec.raw.pointer("/paths/~1a/get/parameters/0/schema").is_none(), "raw stays as written");
        // The repair is made in place for the typed parse and undone: the tree is the input's,
        // key order included (`components` taken out and put back too).
        let with_components = doc.replacen(r#""paths""#, r#""components":{"schemas":{}},"paths""#, 1);
        let spec = parse(with_components.as_bytes(), "t").expect("parses");
        let input: Value = serde_json::from_str(&with_components).expect("JSON");
        assert_eq!(serde_json::to_string(&spec.raw).ok(), serde_json::to_string(&input).ok());
    }
}
