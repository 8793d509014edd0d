//! The string-to-sign of the AK/SK signature scheme (see `official-sdk-facts.md`):
//!
//! ```text
//! METHOD \n
//! name:value \n ...        every `x-{brand}-*` header and `date`, sorted by name, values folded
//! /path[?k=v&k=v...]       the signed data: query (GET) or top-level body fields, keys sorted
//! ```
//!
//! The server is JavaScript, so values are written the way JavaScript would print them after
//! `JSON.parse`: an integral float `1.0` is the number `1` there and prints as `1`.

use serde_json::{Number, Value};

/// A header value as the server sees it for signing: `\t \n \r \f` become spaces, then trimmed.
pub(crate) fn fold_header_value(value: &str) -> String {
    value.replace(['\t', '\n', '\r', '\u{c}'], " ").trim().to_owned()
}

/// One signed value: strings as they are, numbers as JavaScript prints them, objects and arrays
/// as compact JSON in the order they hold their fields.
pub(crate) fn canonical_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => js_number(n),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_owned(),
        Value::Array(_) | Value::Object(_) => compact_json(value),
    }
}

/// Compact JSON as the server's `JSON.stringify` writes the parsed body: numbers as
/// [`js_number`], strings escaped as JSON (serde_json escapes exactly the characters
/// `JSON.stringify` does), and object keys in JavaScript's own-key order.
///
/// Written by hand rather than with `serde_json::to_string` because the hostile-input tests found
/// serde_json's float format disagreeing with JavaScript's (`1e-6` vs `0.000001`, `1e21` vs
/// `1e+21`, `1e20` as `1e20`) and its key order ignoring JavaScript's array-index-keys-first rule
/// (`{"b":1,"2":3}` is `{"2":3,"b":1}` once parsed by the server), both giving bad signatures.
fn compact_json(value: &Value) -> String {
    let mut out = String::new();
    write_json(value, &mut out);
    out
}

fn write_json(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&js_number(n)),
        // serde_json never fails to write a string.
        Value::String(s) => out.push_str(&serde_json::to_string(s).unwrap_or_default()),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, key) in js_key_order(map).into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(key).unwrap_or_default());
                out.push(':');
                if let Some(v) = map.get(key.as_str()) {
                    write_json(v, out);
                }
            }
            out.push('}');
        }
    }
}

/// The order of a JavaScript object's keys: array indices (`"0"`, `"17"`: canonical integers
/// below 2^32 - 1) first in numeric order, then the other keys in insertion order.
fn js_key_order(map: &serde_json::Map<String, Value>) -> Vec<&String> {
    let index = |k: &str| k.parse::<u32>().ok().filter(|n| *n != u32::MAX && n.to_string() == k);
    let mut indices: Vec<(u32, &String)> = map.keys().filter_map(|k| index(k).map(|n| (n, k))).collect();
    indices.sort_unstable();
    let mut keys: Vec<&String> = indices.into_iter().map(|(_, k)| k).collect();
    keys.extend(map.keys().filter(|k| index(k).is_none()));
    keys
}

/// 2^53: the integers a double (JavaScript's only number type) holds exactly.
const MAX_SAFE: f64 = 9_007_199_254_740_992.0;

/// `Some(integer)` for a float that holds an integer JavaScript prints digit for digit
/// (`1.0`, `-3.0`). Beyond 2^53 JavaScript prints the shortest digits that round-trip padded with
/// zeros (`2^62` is `4611686018427388000`), which is `f64`'s `Display`, not the exact integer.
fn integral(n: &Number) -> Option<Number> {
    if n.is_f64() {
        let f = n.as_f64()?;
        if f.fract() == 0.0 && f.abs() <= MAX_SAFE {
            return Some(Number::from(f as i64));
        }
    }
    None
}

/// A number as JavaScript's `String(n)` prints it. The server reads every number through
/// `JSON.parse`, so integers beyond 2^53 arrive as the nearest double and print as one.
fn js_number(n: &Number) -> String {
    if let Some(i) = integral(n) {
        return i.to_string();
    }
    let exact_integer = n.as_i64().map(|i| i.unsigned_abs()).or_else(|| n.as_u64());
    if exact_integer.is_some_and(|i| i <= 1 << 53) {
        return n.to_string();
    }
    match n.as_f64() {
        Some(f) => {
            let abs = f.abs();
            if abs == 0.0 {
                "0".to_owned()
            } else if !(1e-6..1e21).contains(&abs) {
                // JavaScript uses exponent notation here, with an explicit `+` for big ones.
                let s = format!("{f:e}");
                match s.split_once('e') {
                    Some((m, e)) if !e.starts_with('-') => format!("{m}e+{e}"),
                    _ => s,
                }
            } else {
                // Rust's `Display` for f64 is the shortest round-trip form, as JavaScript's is.
                f.to_string()
            }
        }
        None => n.to_string(),
    }
}

/// The signed data of a request: `(key, canonical value)` pairs.
pub(crate) fn signed_pairs<'a>(fields: impl IntoIterator<Item = (&'a str, &'a Value)>) -> Vec<(String, String)> {
    fields.into_iter().map(|(k, v)| (k.to_owned(), canonical_value(v))).collect()
}

/// Builds the string-to-sign. `headers` are all headers of the request (names any case);
/// only those starting with `prefix` and `date` are used.
pub(crate) fn string_to_sign(
    method: &str,
    headers: &[(String, String)],
    prefix: &str,
    path: &str,
    signed: &[(String, String)],
) -> String {
    let mut canonical: Vec<(String, String)> = headers
        .iter()
        .map(|(name, value)| (name.to_ascii_lowercase(), value))
        .filter(|(name, _)| name.starts_with(prefix) || name == "date")
        .map(|(name, value)| (name, fold_header_value(value)))
        .collect();
    canonical.sort();

    let mut out = String::with_capacity(256);
    out.push_str(&method.to_ascii_uppercase());
    out.push('\n');
    for (name, value) in &canonical {
        out.push_str(name);
        out.push(':');
        out.push_str(value);
        out.push('\n');
    }
    out.push_str(path);
    if !signed.is_empty() {
        let mut pairs: Vec<&(String, String)> = signed.iter().collect();
        // Sort by key only (stable), like `Object.keys(data).sort()`, which compares UTF-16 code
        // units: characters above U+FFFF (surrogates) sort before U+E000..U+FFFF there, unlike
        // in UTF-8 byte order (found by the hostile-input tests).
        pairs.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
        out.push('?');
        for (i, (k, v)) in pairs.into_iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            out.push_str(k);
            out.push('=');
            out.push_str(v);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_print_like_javascript() {
        assert_eq!(canonical_value(&json!("张三 &=")), "张三 &=");
        assert_eq!(canonical_value(&json!(1.0)), "1");
        assert_eq!(canonical_value(&json!(-3.0)), "-3");
        assert_eq!(canonical_value(&json!(1.5)), "1.5");
        assert_eq!(canonical_value(&json!(0.1)), "0.1");
        assert_eq!(canonical_value(&json!(1665296040000u64)), "1665296040000");
        assert_eq!(canonical_value(&json!(1e-7)), "1e-7");
        assert_eq!(canonical_value(&json!(1.5e300)), "1.5e+300");
        assert_eq!(canonical_value(&json!(true)), "true");
        assert_eq!(canonical_value(&Value::Null), "null");
        assert_eq!(canonical_value(&json!({"b": 2.0, "a": [1.0, "x"]})), r#"{"b":2,"a":[1,"x"]}"#);
    }

    #[test]
    fn header_values_are_folded() {
        assert_eq!(fold_header_value(" a\tb\nc\r\u{c}d "), "a b c  d");
    }

    #[test]
    fn empty_signed_data_has_no_question_mark() {
        let s =
            string_to_sign("post", &[("Date".into(), "d".into()), ("accept".into(), "x".into())], "x-a-", "/p", &[]);
        assert_eq!(s, "POST\ndate:d\n/p");
    }
}
