//! Reading the claims of a management token. The server checks the signature; the client only
//! needs the pool id and the expiry, so the payload is decoded without verification.

use base64::Engine as _;
use serde::Deserialize;

/// The claims the client uses.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct Claims {
    /// The user pool the token acts on; sent back as the `x-…-userpool-id` header.
    pub scoped_userpool_id: Option<String>,
    /// Expiry, seconds since the epoch (JSON numbers may be floats).
    pub exp: Option<f64>,
    /// Issue time, seconds since the epoch: with `exp`, the token's lifetime on the server's
    /// clock.
    pub iat: Option<f64>,
}

/// Decodes the payload (second part) of a compact JWT.
pub(crate) fn decode_claims(token: &str) -> Result<Claims, String> {
    let mut parts = token.split('.');
    let (Some(_header), Some(payload), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("the token is not a JWT (expected three dot-separated parts)".to_owned());
    };
    // JWTs are base64url without padding; accept padding too, some issuers add it.
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD_INDIFFERENT
        .decode(payload)
        .map_err(|e| format!("the token's payload is not base64url: {e}"))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("the token's payload is not the expected JSON: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn jwt(payload: &str) -> String {
        format!("{}.{}.sig", URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#), URL_SAFE_NO_PAD.encode(payload))
    }

    #[test]
    fn reads_pool_and_expiry() {
        let c = decode_claims(&jwt(r#"{"scoped_userpool_id":"pool-1","exp":1700000000,"iat":1699992800,"other":[1]}"#))
            .unwrap();
        assert_eq!(c.scoped_userpool_id.as_deref(), Some("pool-1"));
        assert_eq!(c.exp, Some(1_700_000_000.0));
        assert_eq!(c.iat, Some(1_699_992_800.0));
        let c = decode_claims(&jwt(r#"{"exp":1.5e9}"#)).unwrap();
        assert_eq!(c.scoped_userpool_id, None);
    }

    #[test]
    fn rejects_garbage_without_panicking() {
        for bad in ["", "a", "a.b", "a.b.c.d", "a.!!!.c", &jwt("not json"), &jwt("[1]")] {
            assert!(decode_claims(bad).is_err(), "{bad}");
        }
    }
}
