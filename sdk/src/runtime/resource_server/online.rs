//! The optional online check: the introspection endpoint (RFC 7662) asked whether a token is
//! still active, for routes that must see a revocation at once, with a short cache so that a
//! client's burst of requests costs one introspection. Opaque (non-JWT) tokens are accepted this
//! way too.

use std::sync::Arc;
use std::time::Duration;

use super::refusal::Refusal;
use crate::AuthenticationClient;
use crate::oidc::{Claims, Introspection, TokenVerifier};
use crate::runtime::oidc::token_cache::TokenCache;
use crate::runtime::oidc::unix_now;

/// Entries kept at most; the cache starts over when full of live entries.
const CAPACITY: usize = 10_000;

pub(crate) struct Online {
    client: AuthenticationClient,
    ttl: Duration,
    /// The responses younger than `ttl`.
    responses: TokenCache<Arc<Introspection>>,
}

impl Online {
    pub(crate) fn new(client: AuthenticationClient, ttl: Duration) -> Self {
        Online { client, ttl, responses: TokenCache::new(CAPACITY, ttl) }
    }

    /// The server's response for `token`, from the cache when it is younger than the TTL.
    async fn introspect(&self, token: &str) -> Result<Arc<Introspection>, Refusal> {
        if let Some(response) = self.responses.get(token) {
            return Ok(response);
        }
        let response = match self.client.introspect_token(token, None).await {
            Ok(response) => Arc::new(response),
            Err(e) => {
                // The token cannot be shown valid: refused, and the reason logged for operators.
                tracing::warn!(error = %e, "token introspection failed");
                return Err(Refusal::InvalidToken(None));
            }
        };
        self.responses.put(token, Arc::clone(&response));
        Ok(response)
    }

    pub(crate) async fn require_active(&self, token: &str) -> Result<(), Refusal> {
        if self.introspect(token).await?.active { Ok(()) } else { Err(Refusal::InvalidToken(None)) }
    }

    /// The claims of an opaque token, as the server describes it, when it is active, was issued
    /// to this application, and has not expired.
    pub(crate) async fn claims_of_opaque(&self, token: &str, verifier: &TokenVerifier) -> Result<Arc<Claims>, Refusal> {
        let response = self.introspect(token).await?;
        let now = unix_now();
        let exp = response.exp.filter(|e| e.is_finite() && *e >= 0.0).map(|e| e as u64);
        let ours = response.client_id.as_deref().is_none_or(|id| id == verifier.audience());
        if !response.active || !ours || exp.is_some_and(|e| e < now) {
            return Err(Refusal::InvalidToken(None));
        }
        let mut value = serde_json::json!({
            "iss": response.iss.clone().unwrap_or_else(|| verifier.issuer().to_owned()),
            "aud": verifier.audience(),
            // No expiry given: as long as the introspection response is trusted (its TTL).
            "exp": exp.unwrap_or(now.saturating_add(self.ttl.as_secs())),
            "scope": response.scope.clone().unwrap_or_default(),
        });
        for (name, field) in [("sub", &response.sub), ("client_id", &response.client_id)] {
            if let Some(field) = field {
                value[name] = serde_json::Value::String(field.clone());
            }
        }
        serde_json::from_value(value).map(Arc::new).map_err(|_| Refusal::InvalidToken(None))
    }
}
