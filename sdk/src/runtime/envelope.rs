//! From an HTTP response to a typed value: the HTTP status check, the envelope check
//! (`statusCode` must be 200) and decoding, each failure a typed error with a body snippet.

use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::runtime::error::{ApiError, DecodeError, Error, HttpError};
use crate::runtime::secret::{Scrub, Secret};

/// How many characters of a body an error quotes.
const SNIPPET_CHARS: usize = 300;

/// A response as received, before any interpretation.
#[derive(Debug)]
pub(crate) struct Response {
    pub status: u16,
    /// The `x-request-id` header, if any, as received: scrub it before showing it.
    pub request_id: Option<String>,
    pub headers: http::HeaderMap,
    pub body: Bytes,
    /// The `authorization` values sent on the call's attempts, to scrub from error text.
    pub authorizations: Vec<String>,
    /// How many attempts the call took.
    pub attempts: u32,
}

/// The first characters of a body, lossily decoded, with the secret and the call's credentials
/// scrubbed out in case the server echoed them. Scrubbed before it is cut, and a credential's
/// beginning left at the cut is scrubbed too. A JSON body's values under keys that name a
/// token or a secret (`access_token`, `refresh_token`, `client_secret`, ...) are withheld as
/// well: responses that issue tokens are exactly the ones a decode error would quote.
pub(crate) fn snippet(body: &[u8], scrub: &Scrub) -> String {
    let redacted = without_issued_credentials(body);
    let body = redacted.as_deref().unwrap_or(body);
    // Room for a credential straddling the cut to be whole before it is scrubbed.
    let head = &body[..body.len().min(SNIPPET_CHARS * 4 + 4096)];
    let text = scrub.text(&String::from_utf8_lossy(head));
    let mut cut: String = text.chars().take(SNIPPET_CHARS).collect();
    let whole = cut.len() == text.len() && head.len() == body.len();
    cut = scrub.cut(&cut);
    if !whole {
        cut.push('…');
    }
    cut
}

/// `body` re-serialised with every string under a key naming a token, a secret or a password replaced by
/// `[REDACTED]`; `None` when it is not JSON or holds no such value (then it is quoted as sent).
fn without_issued_credentials(body: &[u8]) -> Option<Vec<u8>> {
    // `access_token`, `refreshToken`, `id_token`, `client_secret`, `password`; not `token_type`.
    fn sensitive(key: &str) -> bool {
        let key: String = key.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
        key.ends_with("token") || key.contains("secret") || key.contains("password")
    }
    fn redact(value: &mut Value) -> bool {
        match value {
            Value::Object(fields) => fields.iter_mut().fold(false, |found, (key, value)| match value {
                Value::String(text) if sensitive(key) && !text.is_empty() => {
                    *text = "[REDACTED]".to_owned();
                    true
                }
                other => redact(other) | found,
            }),
            Value::Array(items) => items.iter_mut().fold(false, |found, item| redact(item) | found),
            _ => false,
        }
    }
    let mut value: Value = serde_json::from_slice(body).ok()?;
    redact(&mut value).then(|| serde_json::to_vec(&value).unwrap_or_default())
}

/// A JSON number (or a string holding one) as an integer; `200.0` counts as 200 because specs
/// type `statusCode` as `number` and some servers write floats.
fn as_integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| {
            let f = n.as_f64()?;
            (f.fract() == 0.0 && f.abs() < 9.2e18).then_some(f as i64)
        }),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    }
}

fn text_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Rewrites every float holding an integer JavaScript can write exactly (|f| <= 2^53) as that
/// integer. Lossless for the decoded types: `f64` fields accept integers, and JavaScript (the
/// server) has no integer/float distinction. Recursion is bounded by `serde_json`'s nesting limit.
fn integral_floats_to_integers(value: &mut Value) {
    match value {
        Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
                && f.abs() <= 9_007_199_254_740_992.0
            {
                *n = serde_json::Number::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_floats_to_integers),
        Value::Object(map) => map.values_mut().for_each(integral_floats_to_integers),
        _ => {}
    }
}

/// `raw` decoded as a `T`: [`check`] then [`decode_checked`].
pub(crate) fn decode<T: DeserializeOwned>(
    operation: &'static str,
    raw: &Response,
    secret: &Secret,
    envelope: bool,
) -> Result<T, Error> {
    let checked = check(operation, std::any::type_name::<T>(), raw, secret, envelope)?;
    decode_checked(operation, raw, secret, checked)
}

/// A response whose HTTP status and envelope said success, ready to be decoded into the
/// operation's type.
#[derive(Debug)]
pub(crate) struct Checked {
    /// The response as JSON with integral floats made integers, when it holds a float; `None`
    /// when the body can be decoded straight from its bytes (no float, so nothing to rewrite).
    value: Option<Value>,
    /// The envelope's `requestId`, as received.
    request_id: Option<String>,
    /// The type the response is for, for decode errors.
    expected: &'static str,
}

impl Checked {
    /// The envelope's `requestId`, as received: scrub it before showing it.
    pub(crate) fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

/// Everything but the typed decoding, in code that is not generic over the response's type (so it
/// is compiled once, not once per operation): the HTTP status, the envelope (`statusCode` must be
/// 200; required when `envelope`), and the JSON itself. `expected` names the type the response is
/// for, for decode errors.
pub(crate) fn check(
    operation: &'static str,
    expected: &'static str,
    raw: &Response,
    secret: &Secret,
    envelope: bool,
) -> Result<Checked, Error> {
    // Made only for a failure: a success shows nothing that needs scrubbing.
    let scrub = std::cell::OnceCell::new();
    let scrub = || scrub.get_or_init(|| Scrub::new(secret, &raw.authorizations));
    let decode_error = |reason: String, request_id: Option<String>| {
        decode_failure(operation, expected, raw, scrub(), &reason, request_id)
    };

    if !(200..300).contains(&raw.status) {
        let parsed: Result<Value, _> = serde_json::from_slice(&raw.body);
        let body_id = parsed.as_ref().ok().and_then(|v| text_of(v.get("requestId")));
        return Err(Error::Http(HttpError {
            operation,
            status: raw.status,
            body_snippet: snippet(&raw.body, scrub()),
            request_id: raw.request_id.clone().or(body_id).map(|id| scrub().text(&id)),
            retry_after: crate::runtime::retry::retry_after(&raw.headers),
        }));
    }
    if raw.body.iter().all(u8::is_ascii_whitespace) {
        return Err(decode_error("the body is empty".to_owned(), None));
    }
    // One pass over the bytes reads the envelope's fields and notes whether any number is a
    // float, without building the response as a tree. Every response is an envelope object: serde's
    // derived structs also accept a JSON array (fields by position), which would skip the
    // `statusCode` check below: `[400, "denied", ...]` decoded as a success value (found by the
    // hostile-input tests).
    let scan = match serde_json::from_slice::<Scan>(&raw.body) {
        Ok(scan) => scan,
        Err(e) if e.is_data() => {
            return Err(decode_error("the response is not a JSON object (an envelope)".to_owned(), None));
        }
        Err(e) => return Err(decode_error(format!("the body is not JSON: {e}"), None)),
    };
    let head = scan.head;
    // As received: scrubbed below where it goes into an error, or where it is shown.
    let request_id = text_of(head.request_id.as_ref());
    // `statusCode` is required: a response without it says neither success nor failure (a proxy's
    // or another service's JSON), and must not be taken for a success.
    match head.status_code.as_ref().map(|status| (status, as_integer(status))) {
        None if envelope => {
            return Err(decode_error(
                "missing field `statusCode` (every response's envelope has it)".to_owned(),
                request_id.map(|id| scrub().text(&id)),
            ));
        }
        None => {}
        Some((_, Some(200))) => {}
        Some((_, Some(code))) => {
            return Err(Error::Api(ApiError {
                operation,
                status_code: code,
                api_code: head.api_code.as_ref().and_then(as_integer),
                message: scrub().text(&text_of(head.message.as_ref()).unwrap_or_default()),
                request_id: request_id.or_else(|| raw.request_id.clone()).map(|id| scrub().text(&id)),
            }));
        }
        Some((status, None)) => {
            return Err(decode_error(
                format!("`statusCode` is not a number: {status}"),
                request_id.map(|id| scrub().text(&id)),
            ));
        }
    }

    // The check above reads `200.0` as 200, so decoding must too: generated types hold `integer`
    // fields as `i64`, which serde will not fill from a float (found by the hostile-input tests:
    // a `statusCode: 200.0` success response was a decode error). Only a response holding a float
    // pays for the tree this takes.
    let value = if scan.has_float {
        let mut value: Value =
            serde_json::from_slice(&raw.body).map_err(|e| decode_error(format!("the body is not JSON: {e}"), None))?;
        integral_floats_to_integers(&mut value);
        Some(value)
    } else {
        None
    };
    Ok(Checked { value, request_id, expected })
}

/// A checked response decoded as a `T`: the only part of decoding that is generic, so it goes
/// through one deserializer, `serde_path_to_error` over the bytes (the error names the field at
/// fault): each response type's `Deserialize` is compiled, in the application that decodes it,
/// for that one deserializer rather than for three (bytes, tree, tracked tree). A response
/// holding a float was rewritten as a tree by [`check`]; that tree is encoded again to be decoded
/// the same way (rare, and small next to the request).
pub(crate) fn decode_checked<T: DeserializeOwned>(
    operation: &'static str,
    raw: &Response,
    secret: &Secret,
    checked: Checked,
) -> Result<T, Error> {
    let rewritten;
    let bytes: &[u8] = match &checked.value {
        Some(value) => {
            rewritten = value.to_string();
            rewritten.as_bytes()
        }
        None => &raw.body,
    };
    // `check` parsed these bytes whole already: nothing trails the value.
    serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_slice(bytes))
        .map_err(|e| typed_failure(operation, raw, secret, &checked, &e))
}

/// The envelope's fields a response is checked by, and whether it holds a float anywhere.
struct Scan {
    head: Head,
    has_float: bool,
}

#[derive(Default)]
struct Head {
    status_code: Option<Value>,
    request_id: Option<Value>,
    message: Option<Value>,
    api_code: Option<Value>,
}

impl<'de> serde::Deserialize<'de> for Scan {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ScanVisitor)
    }
}

/// Reads the top-level object: the four envelope fields as JSON values (a repeated key keeps
/// its last value, as `serde_json::Value` does), everything else skimmed by [`FloatProbe`].
struct ScanVisitor;

impl<'de> serde::de::Visitor<'de> for ScanVisitor {
    type Value = Scan;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Scan, A::Error> {
        let mut head = Head::default();
        let mut has_float = false;
        while let Some(key) = map.next_key::<Key>()? {
            let slot = match key {
                Key::StatusCode => &mut head.status_code,
                Key::RequestId => &mut head.request_id,
                Key::Message => &mut head.message,
                Key::ApiCode => &mut head.api_code,
                Key::Other => {
                    has_float |= map.next_value::<FloatProbe>()?.0;
                    continue;
                }
            };
            let value: Value = map.next_value()?;
            has_float |= contains_float(&value);
            *slot = Some(value);
        }
        Ok(Scan { head, has_float })
    }
}

/// A top-level key, read without copying it.
enum Key {
    StatusCode,
    RequestId,
    Message,
    ApiCode,
    Other,
}

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl serde::de::Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E>(self, key: &str) -> Result<Key, E> {
                Ok(match key {
                    "statusCode" => Key::StatusCode,
                    "requestId" => Key::RequestId,
                    "message" => Key::Message,
                    "apiCode" => Key::ApiCode,
                    _ => Key::Other,
                })
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

fn contains_float(value: &Value) -> bool {
    match value {
        Value::Number(n) => n.is_f64(),
        Value::Array(items) => items.iter().any(contains_float),
        Value::Object(map) => map.values().any(contains_float),
        _ => false,
    }
}

/// Skims one JSON value without keeping it; `true` when a number in it is a float.
struct FloatProbe(bool);

impl<'de> serde::Deserialize<'de> for FloatProbe {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FloatProbeVisitor)
    }
}

struct FloatProbeVisitor;

impl<'de> serde::de::Visitor<'de> for FloatProbeVisitor {
    type Value = FloatProbe;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<FloatProbe, E> {
        Ok(FloatProbe(false))
    }
    fn visit_i64<E>(self, _: i64) -> Result<FloatProbe, E> {
        Ok(FloatProbe(false))
    }
    fn visit_u64<E>(self, _: u64) -> Result<FloatProbe, E> {
        Ok(FloatProbe(false))
    }
    fn visit_f64<E>(self, _: f64) -> Result<FloatProbe, E> {
        Ok(FloatProbe(true))
    }
    fn visit_str<E>(self, _: &str) -> Result<FloatProbe, E> {
        Ok(FloatProbe(false))
    }
    fn visit_unit<E>(self) -> Result<FloatProbe, E> {
        Ok(FloatProbe(false))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<FloatProbe, A::Error> {
        let mut found = false;
        while let Some(FloatProbe(f)) = seq.next_element()? {
            found |= f;
        }
        Ok(FloatProbe(found))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<FloatProbe, A::Error> {
        let mut found = false;
        while let Some((serde::de::IgnoredAny, FloatProbe(f))) = map.next_entry()? {
            found |= f;
        }
        Ok(FloatProbe(found))
    }
}

/// The error for a checked response that does not fit its type (not generic: see [`check`]).
fn typed_failure(
    operation: &'static str,
    raw: &Response,
    secret: &Secret,
    checked: &Checked,
    e: &serde_path_to_error::Error<serde_json::Error>,
) -> Error {
    let path = e.path().to_string();
    let reason = if path == "." { e.inner().to_string() } else { format!("at `{path}`: {}", e.inner()) };
    let scrub = Scrub::new(secret, &raw.authorizations);
    let request_id = checked.request_id.as_deref().map(|id| scrub.text(id));
    decode_failure(operation, checked.expected, raw, &scrub, &reason, request_id)
}

/// A [`DecodeError`] with the reason, a body snippet and the request id, all scrubbed.
fn decode_failure(
    operation: &'static str,
    expected: &'static str,
    raw: &Response,
    scrub: &Scrub,
    reason: &str,
    request_id: Option<String>,
) -> Error {
    Error::Decode(DecodeError {
        operation,
        expected,
        // serde's messages quote the values they reject, and a server may echo the secret into
        // any field (found by the hostile-input tests: `statusCode: ["<secret>"]`).
        reason: scrub.text(reason),
        body_snippet: snippet(&raw.body, scrub),
        request_id: request_id.or_else(|| raw.request_id.as_deref().map(|id| scrub.text(id))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Resp {
        status_code: f64,
        data: Data,
    }
    #[derive(Debug, Deserialize, PartialEq)]
    struct Data {
        success: bool,
    }

    fn raw(status: u16, body: &str) -> Response {
        Response {
            status,
            request_id: None,
            headers: http::HeaderMap::new(),
            body: Bytes::from(body.to_owned()),
            authorizations: Vec::new(),
            attempts: 1,
        }
    }

    fn run(status: u16, body: &str) -> Result<Resp, Error> {
        decode("op", &raw(status, body), &Secret::new("the-secret"), true)
    }

    #[test]
    fn success_with_integer_or_float_status() {
        for code in ["200", "200.0", "2e2"] {
            let r = run(200, &format!(r#"{{"statusCode":{code},"message":"ok","data":{{"success":true}},"extra":1}}"#));
            assert_eq!(r.unwrap().data, Data { success: true });
        }
    }

    #[test]
    fn business_errors_are_api_errors() {
        let e = run(200, r#"{"statusCode":400.0,"apiCode":2004,"message":"bad","requestId":"rid","data":null}"#);
        match e.unwrap_err() {
            Error::Api(a) => {
                assert_eq!((a.status_code, a.api_code, a.message.as_str()), (400, Some(2004), "bad"));
                assert_eq!(a.request_id.as_deref(), Some("rid"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_success_without_status_code_is_a_decode_error() {
        match run(200, r#"{"message":"ok","data":{"success":true}}"#).unwrap_err() {
            Error::Decode(d) => assert!(d.reason.contains("missing field `statusCode`"), "{}", d.reason),
            other => panic!("{other:?}"),
        }
        let value: Result<Value, Error> = decode("op", &raw(200, r#"{"data":{}}"#), &Secret::new("the-secret"), true);
        assert!(matches!(value, Err(Error::Decode(ref d)) if d.reason.contains("statusCode")), "{value:?}");
        // An operation whose spec describes a bare response decodes it; a `statusCode` it carries
        // is still checked.
        let bare: Result<Value, Error> =
            decode("op", &raw(200, r#"{"success":true}"#), &Secret::new("s-e-c-r-e-t"), false);
        assert_eq!(bare.unwrap(), serde_json::json!({"success": true}));
        let failed: Result<Value, Error> =
            decode("op", &raw(200, r#"{"statusCode":403,"message":"no"}"#), &Secret::new("s-e-c-r-e-t"), false);
        assert!(matches!(failed, Err(Error::Api(ref a)) if a.status_code == 403), "{failed:?}");
    }

    #[test]
    fn issued_tokens_and_secrets_are_withheld_from_snippets() {
        let scrub = Scrub::new(&Secret::new("app-secret-value"), &[]);
        let body = br#"{"statusCode":200,"data":{"access_token":"eyJ.issued.token","token_type":"Bearer","nested":[{"refreshToken":"r-123"}],"expire_in":"soon"}}"#;
        let text = snippet(body, &scrub);
        assert!(!text.contains("eyJ.issued.token") && !text.contains("r-123"), "{text}");
        assert!(text.contains("\"token_type\":\"Bearer\"") && text.contains("\"expire_in\":\"soon\""), "{text}");
        // A body with nothing to withhold is quoted as sent, and a non-JSON one too.
        assert_eq!(snippet(br#"{ "a" : 1 }"#, &scrub), r#"{ "a" : 1 }"#);
        assert_eq!(snippet(b"<html>token=abc</html>", &scrub), "<html>token=abc</html>");
    }

    #[test]
    fn http_errors_keep_a_snippet() {
        match run(500, "<html>oops the-secret</html>").unwrap_err() {
            Error::Http(h) => {
                assert_eq!(h.status, 500);
                assert_eq!(h.body_snippet, "<html>oops [REDACTED]</html>");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn undecodable_bodies_are_decode_errors() {
        for body in
            ["", "  ", "<html></html>", r#"{"statusCode":200,"da"#, r#"{"statusCode":200,"message":"ok"}"#, "[1]"]
        {
            match run(200, body).unwrap_err() {
                Error::Decode(d) => assert!(d.expected.ends_with("Resp"), "{}", d.expected),
                other => panic!("{body}: {other:?}"),
            }
        }
        let long = "x".repeat(10_000);
        match run(200, &long).unwrap_err() {
            Error::Decode(d) => assert_eq!(d.body_snippet.chars().count(), SNIPPET_CHARS + 1),
            other => panic!("{other:?}"),
        }
        match run(200, r#"{"statusCode":200,"data":{"success":"yes"}}"#).unwrap_err() {
            Error::Decode(d) => assert!(d.reason.contains("data.success"), "{}", d.reason),
            other => panic!("{other:?}"),
        }
    }
}
