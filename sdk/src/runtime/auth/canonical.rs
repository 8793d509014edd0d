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

/// Compact JSON with integral floats written as integers, as `JSON.stringify` would.
fn compact_json(value: &Value) -> String {
    // serde_json never fails to write a `Value` to a string (keys are strings already).
    serde_json::to_string(&normalize(value)).unwrap_or_default()
}

fn normalize(value: &Value) -> Value {
    match value {
        Value::Number(n) => Value::Number(integral(n).unwrap_or_else(|| n.clone())),
        Value::Array(items) => Value::Array(items.iter().map(normalize).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), normalize(v))).collect()),
        other => other.clone(),
    }
}

/// `Some(integer)` for a float that holds an exactly representable integer (`1.0`, `-3.0`).
fn integral(n: &Number) -> Option<Number> {
    if n.is_f64() {
        let f = n.as_f64()?;
        // 2^53: beyond it floats stop being exact integers in both languages; JavaScript switches
        // to exponent notation only at 1e21, so the i64 range is safe to print as an integer.
        if f.fract() == 0.0 && f.abs() < 9.2e18 {
            return Some(Number::from(f as i64));
        }
    }
    None
}

/// A number as JavaScript's `String(n)` prints it.
fn js_number(n: &Number) -> String {
    if let Some(i) = integral(n) {
        return i.to_string();
    }
    match n.as_f64() {
        Some(f) if n.is_f64() => {
            let abs = f.abs();
            if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
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
        _ => n.to_string(),
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
        // Sort by key only (stable), like `Object.keys(data).sort()`.
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
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
