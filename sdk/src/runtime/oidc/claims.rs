//! The claims of a verified token: the registered and OpenID Connect ones typed, the scopes as a
//! list, and whatever else the token carries in a type the caller chooses.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

/// Claims the caller did not type: every claim of the token that is not a field of [`Claims`].
pub type OtherClaims = Map<String, Value>;

/// The verified claims of an access token or an ID token. `C` receives the claims that are not
/// fields here (the user's own claims, profile claims): by default a JSON map, or any
/// `Deserialize` type of yours through [`TokenVerifier::verify_access_token_as`](crate::oidc::TokenVerifier::verify_access_token_as).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Claims<C = OtherClaims> {
    /// The issuer, checked to be exactly the verifier's issuer.
    pub iss: String,
    /// The subject: the user's id (or the client's, for a client-credentials token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    /// The audiences, checked to contain the application's id.
    #[serde(deserialize_with = "one_or_many")]
    pub aud: Vec<String>,
    /// Expiry, seconds since the Unix epoch (checked, with the verifier's leeway).
    #[serde(deserialize_with = "seconds")]
    pub exp: u64,
    /// Issue time, seconds since the Unix epoch (checked not to be in the future).
    #[serde(default, deserialize_with = "optional_seconds", skip_serializing_if = "Option::is_none")]
    pub iat: Option<u64>,
    /// Not before, seconds since the Unix epoch (checked when present).
    #[serde(default, deserialize_with = "optional_seconds", skip_serializing_if = "Option::is_none")]
    pub nbf: Option<u64>,
    /// The token's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
    /// The authorised party: the client the token was issued to (checked to be the application
    /// when the token has several audiences).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azp: Option<String>,
    /// The client the token was issued to, as some issuers name it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The granted scopes (the `scope` claim, space-separated on the wire).
    #[serde(default, rename = "scope", deserialize_with = "space_separated", serialize_with = "join_spaces")]
    pub scopes: Vec<String>,
    /// The nonce of an ID token (checked against the login's, after a code exchange).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    /// The access token's hash in an ID token (checked against the access token, after a code
    /// exchange).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_hash: Option<String>,
    /// When the user authenticated, seconds since the Unix epoch (ID tokens).
    #[serde(default, deserialize_with = "optional_seconds", skip_serializing_if = "Option::is_none")]
    pub auth_time: Option<u64>,
    /// Every other claim.
    #[serde(flatten)]
    pub other: C,
}

impl<C> Claims<C> {
    /// Whether the token grants `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    /// The scopes of `required` the token does not grant (empty when it grants them all).
    pub fn missing_scopes<'a>(&self, required: &[&'a str]) -> Vec<&'a str> {
        required.iter().copied().filter(|s| !self.has_scope(s)).collect()
    }
}

fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

/// NumericDate: an integer, or a JSON float some issuers write (truncated to whole seconds).
fn seconds<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let n = f64::deserialize(d)?;
    if n.is_finite() && n >= 0.0 {
        Ok(n as u64)
    } else {
        Err(serde::de::Error::custom("a NumericDate must be a non-negative number of seconds"))
    }
}

fn optional_seconds<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    seconds(d).map(Some)
}

fn space_separated<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Scope {
        Spaces(String),
        // Some issuers write the scopes as an array (`scp`-style).
        List(Vec<String>),
    }
    Ok(match Option::<Scope>::deserialize(d)? {
        None => Vec::new(),
        Some(Scope::Spaces(s)) => s.split_ascii_whitespace().map(str::to_owned).collect(),
        Some(Scope::List(v)) => v,
    })
}

fn join_spaces<S: serde::Serializer>(scopes: &[String], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&scopes.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_shapes_of_aud_and_scope_and_keeps_the_rest() {
        let c: Claims = serde_json::from_value(serde_json::json!({
            "iss": "https://a/oidc", "aud": "app", "exp": 1.7e9, "scope": "openid  admin", "roles": ["r"]
        }))
        .unwrap();
        assert_eq!(c.aud, ["app"]);
        assert_eq!(c.exp, 1_700_000_000);
        assert_eq!(c.scopes, ["openid", "admin"]);
        assert!(c.has_scope("admin") && !c.has_scope("adm"));
        assert_eq!(c.missing_scopes(&["admin", "write"]), ["write"]);
        assert_eq!(c.other["roles"], serde_json::json!(["r"]));
        let c: Claims = serde_json::from_value(serde_json::json!({
            "iss": "i", "aud": ["a", "b"], "exp": 1, "scope": ["x"]
        }))
        .unwrap();
        assert_eq!((c.aud.len(), c.scopes.clone()), (2, vec!["x".to_owned()]));
        for bad in [serde_json::json!({"iss": "i", "aud": "a", "exp": -1}), serde_json::json!({"iss": "i", "exp": 1})] {
            assert!(serde_json::from_value::<Claims>(bad).is_err());
        }
    }
}
