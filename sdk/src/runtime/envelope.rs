//! From an HTTP answer to a typed value: the HTTP status check, the envelope check
//! (`statusCode` must be 200) and decoding, each failure a typed error with a body snippet.

use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::runtime::error::{ApiError, DecodeError, Error, HttpError};
use crate::runtime::secret::{Scrub, Secret};

/// How many characters of a body an error quotes.
const SNIPPET_CHARS: usize = 300;

/// An answer as received, before any interpretation.
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub status: u16,
    /// The `x-request-id` header, if any.
    pub request_id: Option<String>,
    pub body: Bytes,
    /// The `authorization` values sent on the call's attempts, to scrub from error text.
    pub authorizations: Vec<String>,
}

/// The first characters of a body, lossily decoded, with the secret and the call's credentials
/// scrubbed out in case the server echoed them. Scrubbed before it is cut, and a credential's
/// beginning left at the cut is scrubbed too.
pub(crate) fn snippet(body: &[u8], scrub: &Scrub) -> String {
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
    raw: &RawResponse,
    secret: &Secret,
    envelope: bool,
) -> Result<T, Error> {
    let checked = check(operation, std::any::type_name::<T>(), raw, secret, envelope)?;
    decode_checked(operation, raw, secret, &checked)
}

/// An answer whose HTTP status and envelope said success: its JSON, ready to be decoded into the
/// operation's type.
#[derive(Debug)]
pub(crate) struct Checked {
    value: Value,
    /// The envelope's `requestId`, scrubbed.
    request_id: Option<String>,
    /// The type the answer is for, for decode errors.
    expected: &'static str,
}

/// Everything but the typed decoding, in code that is not generic over the answer's type (so it
/// is compiled once, not once per operation): the HTTP status, the envelope (`statusCode` must be
/// 200; required when `envelope`), and the JSON itself. `expected` names the type the answer is
/// for, for decode errors.
pub(crate) fn check(
    operation: &'static str,
    expected: &'static str,
    raw: &RawResponse,
    secret: &Secret,
    envelope: bool,
) -> Result<Checked, Error> {
    let scrub = Scrub::new(secret, &raw.authorizations);
    let decode_error = |reason: String, request_id: Option<String>| {
        decode_failure(operation, expected, raw, &scrub, &reason, request_id)
    };

    let parsed: Result<Value, _> = serde_json::from_slice(&raw.body);
    if !(200..300).contains(&raw.status) {
        let body_id = parsed.as_ref().ok().and_then(|v| text_of(v.get("requestId")));
        return Err(Error::Http(HttpError {
            operation,
            status: raw.status,
            body_snippet: snippet(&raw.body, &scrub),
            request_id: raw.request_id.clone().or(body_id).map(|id| scrub.text(&id)),
        }));
    }
    if raw.body.iter().all(u8::is_ascii_whitespace) {
        return Err(decode_error("the body is empty".to_owned(), None));
    }
    let mut value = parsed.map_err(|e| decode_error(format!("the body is not JSON: {e}"), None))?;

    // Every answer is an envelope object. serde's derived structs also accept a JSON array
    // (fields by position), which would skip the `statusCode` check below: `[400, "denied", ...]`
    // decoded as a success value (found by the hostile-input tests).
    if !value.is_object() {
        return Err(decode_error("the answer is not a JSON object (an envelope)".to_owned(), None));
    }
    let request_id = text_of(value.get("requestId")).map(|id| scrub.text(&id));
    // `statusCode` is required: an answer without it says neither success nor failure (a proxy's
    // or another service's JSON), and must not be taken for a success.
    match value.get("statusCode").map(|status| (status, as_integer(status))) {
        None if envelope => {
            return Err(decode_error(
                "missing field `statusCode` (every answer's envelope has it)".to_owned(),
                request_id,
            ));
        }
        None => {}
        Some((_, Some(200))) => {}
        Some((_, Some(code))) => {
            return Err(Error::Api(ApiError {
                operation,
                status_code: code,
                api_code: value.get("apiCode").and_then(as_integer),
                message: scrub.text(&text_of(value.get("message")).unwrap_or_default()),
                request_id: request_id.or_else(|| raw.request_id.as_deref().map(|id| scrub.text(id))),
            }));
        }
        Some((status, None)) => {
            return Err(decode_error(format!("`statusCode` is not a number: {status}"), request_id));
        }
    }

    // The check above reads `200.0` as 200, so decoding must too: generated types hold `integer`
    // fields as `i64`, which serde will not fill from a float (found by the hostile-input tests:
    // a `statusCode: 200.0` success answer was a decode error). In place, no copy.
    integral_floats_to_integers(&mut value);
    Ok(Checked { value, request_id, expected })
}

/// A checked answer decoded as a `T`: the only part of decoding that is generic.
pub(crate) fn decode_checked<T: DeserializeOwned>(
    operation: &'static str,
    raw: &RawResponse,
    secret: &Secret,
    checked: &Checked,
) -> Result<T, Error> {
    // Borrowing the value as the deserializer: no copy of a multi-megabyte body.
    serde_path_to_error::deserialize(&checked.value).map_err(|e| typed_failure(operation, raw, secret, checked, &e))
}

/// The error for a checked answer that does not fit its type (not generic: see [`check`]).
fn typed_failure(
    operation: &'static str,
    raw: &RawResponse,
    secret: &Secret,
    checked: &Checked,
    e: &serde_path_to_error::Error<serde_json::Error>,
) -> Error {
    let path = e.path().to_string();
    let reason = if path == "." { e.inner().to_string() } else { format!("at `{path}`: {}", e.inner()) };
    let scrub = Scrub::new(secret, &raw.authorizations);
    decode_failure(operation, checked.expected, raw, &scrub, &reason, checked.request_id.clone())
}

/// A [`DecodeError`] with the reason, a body snippet and the request id, all scrubbed.
fn decode_failure(
    operation: &'static str,
    expected: &'static str,
    raw: &RawResponse,
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

    fn raw(status: u16, body: &str) -> RawResponse {
        RawResponse { status, request_id: None, body: Bytes::from(body.to_owned()), authorizations: Vec::new() }
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
        // An operation whose spec describes a bare answer decodes it; a `statusCode` it carries
        // is still checked.
        let bare: Result<Value, Error> =
            decode("op", &raw(200, r#"{"success":true}"#), &Secret::new("s-e-c-r-e-t"), false);
        assert_eq!(bare.unwrap(), serde_json::json!({"success": true}));
        let failed: Result<Value, Error> =
            decode("op", &raw(200, r#"{"statusCode":403,"message":"no"}"#), &Secret::new("s-e-c-r-e-t"), false);
        assert!(matches!(failed, Err(Error::Api(ref a)) if a.status_code == 403), "{failed:?}");
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
