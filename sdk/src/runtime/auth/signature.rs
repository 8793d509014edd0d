//! AK/SK request signing: HMAC-SHA1 over the string-to-sign, base64, in `authorization`.

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use rand::Rng as _;
use sha1::Sha1;

use http::header::{AUTHORIZATION, DATE};
use http::{HeaderMap, HeaderValue};

use serde_json::Value;

use crate::runtime::auth::canonical::{self, signed_pairs, string_to_sign};
use crate::runtime::config::Config;
use crate::runtime::error::Error;
use crate::runtime::generated_api::{ApiRequest, Method};
use crate::runtime::headers::{self, Names};

/// `base64(HMAC-SHA1(key = secret, string_to_sign))`.
pub(crate) fn sign(secret: &str, string_to_sign: &str) -> String {
    // HMAC takes keys of any length, so `new_from_slice` cannot fail for SHA-1; the fallback
    // keeps this function total without a panic path.
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// The `authorization` header value: `<word> <access key id>:<signature>`.
pub(crate) fn authorization(word: &str, access_key_id: &str, signature: &str) -> String {
    format!("{word} {access_key_id}:{signature}")
}

/// A fresh single-use nonce: 128 bits from the thread's CSPRNG (ChaCha, seeded from the OS) as
/// 32 lower-case hex characters.
pub(crate) fn nonce() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The `date` header: IMF-fixdate in GMT.
pub(crate) fn date_now() -> String {
    httpdate::fmt_http_date(std::time::SystemTime::now())
}

/// `headers` plus the signature's: a fresh date and nonce, signed with the secret.
pub(crate) fn headers(
    config: &Config,
    request: &ApiRequest,
    mut headers: HeaderMap,
    signed: &[(String, String)],
) -> Result<HeaderMap, Error> {
    let names = Names::of(config.brand);
    headers.insert(DATE, headers::value("the date", &date_now())?);
    headers.insert(names.signature_method.clone(), HeaderValue::from_static("HMAC-SHA1"));
    headers.insert(names.signature_version.clone(), HeaderValue::from_static("1.0"));
    headers.insert(names.signature_nonce.clone(), headers::value("the nonce", &nonce())?);
    let prefix = config.brand.header_prefix();
    let to_sign = string_to_sign(request.method.as_str(), &headers::as_text(&headers), prefix, &request.path, signed);
    let sig = sign(config.access_key_secret.expose(), &to_sign);
    let auth = authorization(config.brand.signature_word(), &config.access_key_id, &sig);
    headers.insert(AUTHORIZATION, headers::sensitive(&auth)?);
    Ok(headers)
}

/// The data a signature covers: the query for `GET`, the body's top-level fields otherwise.
///
/// The server checks the signature against the query as it parses it (`qs`, as Express does):
/// a key repeated for an array's items is one value when it appears once and an array of
/// strings otherwise. So an array is signed as its one item, or as the JSON array of its items'
/// texts; an empty array is neither sent nor signed.
pub(crate) fn signed_data(request: &ApiRequest) -> Vec<(String, String)> {
    match (&request.body, request.form) {
        _ if request.method == Method::GET => as_parsed(request.query.iter().map(|(k, v)| (*k, v))),
        // A form's fields are parsed by the same `qs` rules as a query.
        (Some(Value::Object(fields)), true) => as_parsed(fields.iter().map(|(k, v)| (k.as_str(), v))),
        (Some(Value::Object(fields)), false) => signed_pairs(fields.iter().map(|(k, v)| (k.as_str(), v))),
        _ => Vec::new(),
    }
}

/// Query or form fields signed as the server's parser (`qs`) reads them back: see [`signed_data`].
/// A `null` field is neither sent nor signed.
fn as_parsed<'a>(fields: impl Iterator<Item = (&'a str, &'a Value)>) -> Vec<(String, String)> {
    let parsed: Vec<(&str, Value)> = fields
        .filter_map(|(k, v)| match v {
            Value::Null => None,
            Value::Array(items) if items.is_empty() => None,
            Value::Array(items) if items.len() == 1 => Some((k, items[0].clone())),
            Value::Array(items) => {
                Some((k, Value::Array(items.iter().map(|i| Value::String(canonical::canonical_value(i))).collect())))
            }
            _ => Some((k, v.clone())),
        })
        .collect();
    signed_pairs(parsed.iter().map(|(k, v)| (*k, v)))
}

/// The worked signature cases (a copy of the shared reference file, kept byte-identical by the
/// workspace test `tests/tests/sdk/reference_copies.rs`), embedded so the packaged crate's tests
/// need nothing outside it.
#[cfg(test)]
pub(crate) const SIGNATURE_VECTORS: &str = include_str!("signature-vectors.json");

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Every worked case of the reference file, byte for byte.
    #[test]
    fn reproduces_every_signature_vector() {
        let doc: Value = serde_json::from_str(SIGNATURE_VECTORS).unwrap();
        let cases = doc["cases"].as_array().unwrap();
        assert!(cases.len() >= 7);
        for case in cases {
            let name = case["name"].as_str().unwrap();
            let brand: crate::Brand = case["brand"].as_str().unwrap().parse().unwrap();
            let headers: Vec<(String, String)> = case["headers"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                .collect();
            let data = case["signed_data"].as_object().unwrap();
            let pairs = signed_pairs(data.iter().map(|(k, v)| (k.as_str(), v)));
            let sts = string_to_sign(
                case["method"].as_str().unwrap(),
                &headers,
                brand.header_prefix(),
                case["path"].as_str().unwrap(),
                &pairs,
            );
            assert_eq!(sts, case["string_to_sign"].as_str().unwrap(), "string to sign of {name}");
            let auth = authorization(
                brand.signature_word(),
                case["access_key_id"].as_str().unwrap(),
                &sign(case["access_key_secret"].as_str().unwrap(), &sts),
            );
            assert_eq!(auth, case["authorization"].as_str().unwrap(), "authorization of {name}");
        }
    }

    #[test]
    fn nonces_are_fresh_hex() {
        let a = nonce();
        let b = nonce();
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_ne!(a, b);
    }

    #[test]
    fn date_is_imf_fixdate() {
        let d = date_now();
        assert!(d.ends_with(" GMT") && d.len() == 29, "{d}");
        assert!(httpdate::parse_http_date(&d).is_ok());
    }

    /// A GET's array is signed as the server parses the repeated keys: one item as itself, more
    /// as a JSON array of the items' texts, none not at all.
    #[test]
    fn get_arrays_are_signed_as_the_server_parses_them() {
        let request =
            |query: Vec<(&'static str, Value)>| ApiRequest { query, ..ApiRequest::new("t", Method::GET, "/p") };
        let signed = signed_data(&request(vec![
            ("one", json!(["USER"])),
            ("two", json!(["USER", 2])),
            ("none", json!([])),
            ("page", json!(1)),
        ]));
        let signed: Vec<(&str, &str)> = signed.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(signed, [("one", "USER"), ("two", r#"["USER","2"]"#), ("page", "1")]);
    }
}
