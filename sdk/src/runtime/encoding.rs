//! How a request's parts are written on the wire: the URL with its query, a form body, and the
//! data a signature covers, each as the server parses it back.

use reqwest::Url;
use serde_json::Value;

use crate::runtime::auth::canonical::{self, signed_pairs};
use crate::runtime::error::Error;
use crate::runtime::support::{ApiRequest, Method};

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

/// A form body (`application/x-www-form-urlencoded`): the object's fields written as query
/// parameters are (strings as they are, an array as one field per item, the rest as compact
/// JSON), `null` fields left out.
pub(crate) fn form_body(body: &Value) -> Vec<u8> {
    let mut form = form_urlencoded::Serializer::new(String::new());
    if let Value::Object(fields) = body {
        for (key, value) in fields {
            match value {
                Value::Null => {}
                Value::Array(items) => {
                    for item in items {
                        form.append_pair(key, &canonical::canonical_value(item));
                    }
                }
                other => {
                    form.append_pair(key, &canonical::canonical_value(other));
                }
            }
        }
    }
    form.finish().into_bytes()
}

/// Characters left as they are in a query component: RFC 3986 unreserved. Everything else,
/// Chinese included, is percent-encoded as UTF-8.
pub(crate) const QUERY: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// `host + path + ?k=v...`; values are written as they are signed (strings raw, the rest as
/// compact JSON) and then percent-encoded. An array is written as OpenAPI's default query style
/// (`form`, `explode: true`) says: the key once per item (`k=a&k=b`), nothing for no items.
pub(crate) fn build_url(host: &str, path: &str, query: &[(&'static str, Value)]) -> Result<Url, Error> {
    let mut url = format!("{host}{path}");
    let pairs = query.iter().flat_map(|(key, value)| match value {
        Value::Array(items) => items.iter().map(|item| (*key, item)).collect::<Vec<_>>(),
        other => vec![(*key, other)],
    });
    for (i, (key, value)) in pairs.enumerate() {
        url.push(if i == 0 { '?' } else { '&' });
        url.extend(percent_encoding::utf8_percent_encode(key, QUERY));
        url.push('=');
        url.extend(percent_encoding::utf8_percent_encode(&canonical::canonical_value(value), QUERY));
    }
    Url::parse(&url).map_err(|e| Error::Serialize(format!("invalid request URL for path `{path}`: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn urls_percent_encode_query_values() {
        let url = build_url(
            "http://127.0.0.1:1",
            "/api/v3/get-user",
            &[
                ("userId", json!("张 三&x")),
                ("withCustomData", json!(true)),
                ("ids", json!([1.0, "a b"])),
                ("none", json!([])),
                ("filter", json!({"a": [1]})),
            ],
        )
        .unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:1/api/v3/get-user?userId=%E5%BC%A0%20%E4%B8%89%26x&withCustomData=true&ids=1&ids=a%20b&filter=%7B%22a%22%3A%5B1%5D%7D"
        );
        assert_eq!(build_url("https://h/prefix", "/p", &[]).unwrap().as_str(), "https://h/prefix/p");
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
