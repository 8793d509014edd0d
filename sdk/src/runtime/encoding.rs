//! How a request's parts are written on the wire: the URL with its path segments and query, and
//! a form body, each as the server parses it back.

use reqwest::Url;
use serde_json::Value;

use crate::runtime::auth::canonical;
use crate::runtime::error::Error;

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

/// What is percent-encoded (as UTF-8) in a path segment or a query component: everything but
/// RFC 3986's unreserved characters, Chinese included.
pub(crate) const NOT_UNRESERVED: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes one path segment, so an id holding `/`, `?`, spaces or Chinese cannot change
/// the path.
#[allow(dead_code, reason = "called by generated code only for operations with path parameters")]
pub(crate) fn path_segment(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, NOT_UNRESERVED).to_string()
}

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
        url.extend(percent_encoding::utf8_percent_encode(key, NOT_UNRESERVED));
        url.push('=');
        url.extend(percent_encoding::utf8_percent_encode(&canonical::canonical_value(value), NOT_UNRESERVED));
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

    #[test]
    fn path_segments_cannot_escape() {
        assert_eq!(path_segment("a/b?c d"), "a%2Fb%3Fc%20d");
        assert_eq!(path_segment("张"), "%E5%BC%A0");
        assert_eq!(path_segment("A-z_0.~"), "A-z_0.~");
    }
}
