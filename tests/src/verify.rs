//! The stand-in's own signature check, written from the description in
//! `official-sdk-facts.md` and deliberately sharing no code with the SDK, so a mistake in the
//! SDK's signer cannot be mirrored here.
//!
//! Its number printing is exact for what the integration tests send (strings, ids, integers and
//! integral floats). JavaScript's rules for exponents, integers past 2^53 and key order inside
//! nested objects are checked elsewhere: the sdk's `hostile_tests` compare its signer with a
//! second, JavaScript-faithful implementation on arbitrary bodies.

use base64::Engine as _;
use hmac::{KeyInit, Mac};
use http::HeaderMap;
use serde_json::Value;

/// How a JavaScript server prints a value it got from `JSON.parse` when building the
/// string-to-sign.
pub fn js_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "null".to_string(),
        Value::Bool(true) => "true".to_string(),
        Value::Bool(false) => "false".to_string(),
        Value::Number(_) | Value::Array(_) | Value::Object(_) => {
            serde_json::to_string(&js_reparse(value)).unwrap_or_default()
        }
    }
}

/// JSON.parse turns `2.0` into the number 2: model that before printing.
fn js_reparse(value: &Value) -> Value {
    match value {
        Value::Number(n) => match (n.as_f64(), n.is_f64()) {
            (Some(f), true) if f == f.trunc() && f.abs() < 1e15 => Value::from(f as i64),
            _ => value.clone(),
        },
        Value::Array(a) => Value::Array(a.iter().map(js_reparse).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), js_reparse(v))).collect()),
        _ => value.clone(),
    }
}

/// Rebuilds the string-to-sign from what arrived.
pub fn string_to_sign(
    method: &str,
    path: &str,
    headers: &HeaderMap,
    prefix: &str,
    data: &[(String, String)],
) -> String {
    let mut lines = Vec::new();
    for (name, value) in headers {
        let name = name.as_str().to_lowercase();
        if name == "date" || name.starts_with(prefix) {
            let raw = String::from_utf8_lossy(value.as_bytes()).to_string();
            let folded: String = raw.chars().map(|c| if "\t\n\r\u{c}".contains(c) { ' ' } else { c }).collect();
            lines.push(format!("{name}:{}\n", folded.trim()));
        }
    }
    lines.sort();
    let mut resource = path.to_string();
    let mut data: Vec<&(String, String)> = data.iter().collect();
    data.sort_by(|a, b| a.0.cmp(&b.0));
    let pairs: Vec<String> = data.iter().map(|(k, v)| format!("{k}={v}")).collect();
    if !pairs.is_empty() {
        resource = format!("{resource}?{}", pairs.join("&"));
    }
    format!("{}\n{}{}", method.to_uppercase(), lines.concat(), resource)
}

/// `base64(HMAC-SHA1(secret, text))`.
pub fn hmac_sha1_base64(secret: &str, text: &str) -> String {
    let mut mac = <hmac::Hmac<sha1::Sha1> as KeyInit>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(text.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}
