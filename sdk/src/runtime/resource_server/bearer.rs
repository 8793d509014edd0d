//! Reading the bearer token of a request (RFC 6750 section 2.1): exactly one `Authorization`
//! header, the scheme `Bearer` in any case, one token of the `b64token` characters. Tokens in a
//! query string or a form body are not accepted: URLs end up in logs.

use http::HeaderMap;
use http::header::AUTHORIZATION;

use super::refusal::Refusal;

/// The token of `headers`' `Authorization: Bearer <token>`.
pub(crate) fn bearer_token(headers: &HeaderMap) -> Result<&str, Refusal> {
    let mut values = headers.get_all(AUTHORIZATION).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        return Err(if headers.contains_key(AUTHORIZATION) { Refusal::InvalidRequest } else { Refusal::Missing });
    };
    let value = value.to_str().map_err(|_| Refusal::InvalidRequest)?;
    let (scheme, token) = value.split_once(' ').ok_or(Refusal::InvalidRequest)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        // Another scheme (Basic...) is not this API's: as a missing bearer token.
        return Err(Refusal::Missing);
    }
    let token = token.trim_matches(' ');
    let b64token = |b: u8| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b);
    let body = token.trim_end_matches('=');
    if body.is_empty() || !body.bytes().all(b64token) {
        return Err(Refusal::InvalidRequest);
    }
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn with(values: &[&[u8]]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append(AUTHORIZATION, HeaderValue::from_bytes(v).unwrap());
        }
        headers
    }

    #[test]
    fn one_bearer_token_or_a_refusal() {
        assert_eq!(bearer_token(&with(&[b"Bearer a.b.c"])), Ok("a.b.c"));
        assert_eq!(bearer_token(&with(&[b"bearer  a.b-c_d~=="])), Ok("a.b-c_d~=="));
        assert_eq!(bearer_token(&with(&[])), Err(Refusal::Missing));
        assert_eq!(bearer_token(&with(&[b"Basic dXNlcjpwYXNz"])), Err(Refusal::Missing));
        for bad in [&b"Bearer"[..], b"Bearer ", b"Bearer a b", b"Bearer a,b", b"Bearer \xff", b"Bearer =", b"Bearera.b"]
        {
            assert_eq!(bearer_token(&with(&[bad])), Err(Refusal::InvalidRequest), "{}", String::from_utf8_lossy(bad));
        }
        assert_eq!(bearer_token(&with(&[b"Bearer a", b"Bearer b"])), Err(Refusal::InvalidRequest));
    }
}
