//! Stage 1: bytes (JSON or YAML) -> a JSON tree, for the upstream documents and the curated
//! layers alike, so that every file the generator reads fails the same way. Only OpenAPI 3.0.x
//! documents are read ([`read_document`]); what is in them is checked later, after the layers
//! are applied ([`crate::validate`]).
//!
//! Nothing here panics on any input: every failure names where it is (line and column, or a
//! JSON pointer).

use serde_json::{Map, Number, Value};

use crate::diagnostics::{self, Diagnostic, Diagnostics};

/// Reads an OpenAPI document's tree: [`read_tree`], then the version check (3.0.x only).
pub fn read_document(bytes: &[u8], source_name: &str) -> Result<Value, Diagnostics> {
    let fail = |message: String| Diagnostics(vec![Diagnostic::error("#", message)]);
    let raw = read_tree(bytes, source_name).map_err(fail)?;
    check_version(&raw).map_err(fail)?;
    Ok(raw)
}

/// Reads JSON or YAML bytes into a JSON tree: UTF-8 (a BOM is skipped), not empty. Also used for
/// the curated layers, so every file the generator reads fails the same way.
pub fn read_tree(bytes: &[u8], source_name: &str) -> Result<Value, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_column(bytes, e.valid_up_to());
        format!("{source_name}: not UTF-8 (invalid byte at line {line}, column {column})")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(format!("{source_name}: empty document"));
    }
    if text.trim_start().starts_with('{') { parse_json(text, source_name) } else { parse_yaml(text, source_name) }
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

/// Turns a serde_path_to_error path into a JSON pointer. Enum variants and unknown segments
/// (from `#[serde(flatten)]`) have no place in the document, so they are skipped.
pub(crate) fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
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
pub(crate) fn line_column(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = bytes.get(..at).unwrap_or(bytes);
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let column = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
    (line, column)
}
