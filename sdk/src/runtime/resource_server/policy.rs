//! What a route requires of a request's token, and the check itself, shared by the tower layer
//! and the axum extractor: a bearer token, verified offline by the shared
//! [`TokenVerifier`](crate::oidc::TokenVerifier) (optionally asked online too), then the route's
//! scopes and claims.

use std::sync::Arc;

use serde_json::Value;

use super::bearer::bearer_token;
use super::online::Online;
use super::refusal::Refusal;
use crate::oidc::{Claims, TokenVerifier};
use crate::runtime::secret::Secret;

/// A request's verified token: its claims and the token itself (to call the APIs for the user).
/// Put in the request's extensions by [`BearerAuthLayer`](super::BearerAuthLayer).
#[derive(Clone)]
pub(crate) struct Verified {
    pub claims: Arc<Claims>,
    pub token: Arc<Secret>,
}

/// A claim a route requires: the claim named holds the value, or is an array containing it.
#[derive(Debug, Clone)]
pub(crate) struct ClaimRequirement {
    pub name: String,
    pub value: String,
}

#[derive(Clone)]
pub(crate) struct Policy {
    pub verifier: TokenVerifier,
    pub scopes: Vec<String>,
    pub claims: Vec<ClaimRequirement>,
    pub online: Option<Arc<Online>>,
}

impl Policy {
    pub(crate) fn new(verifier: TokenVerifier) -> Self {
        Policy { verifier, scopes: Vec::new(), claims: Vec::new(), online: None }
    }

    /// Checks the request's headers against the policy.
    pub(crate) async fn check(&self, headers: &http::HeaderMap) -> Result<Verified, Refusal> {
        let token = bearer_token(headers)?;
        let claims = match (self.verifier.verify_access_token_shared(token).await, &self.online) {
            (Ok(claims), None) => claims,
            // Verified offline, and still active as the server says.
            (Ok(claims), Some(online)) => {
                online.require_active(token).await?;
                claims
            }
            // An opaque token cannot be verified offline: the server says what it is (and
            // whether it is active).
            (Err(e), Some(online)) if e.check() == crate::oidc::VerifyCheck::Malformed => {
                online.claims_of_opaque(token, &self.verifier).await?
            }
            (Err(e), _) => return Err(Refusal::InvalidToken(Some(e))),
        };
        let scope_missing = self.scopes.iter().any(|scope| !claims.has_scope(scope));
        if scope_missing || self.claims.iter().any(|required| !holds(&claims, required)) {
            return Err(Refusal::InsufficientScope { scopes: self.scopes.clone() });
        }
        Ok(Verified { claims, token: Arc::new(Secret::new(token)) })
    }
}

/// Whether `claims` carry the required claim: a string equal to the value, or an array holding
/// it (`roles: ["admin", ...]`), or, for `sub`, `client_id` and `azp`, the typed field.
fn holds(claims: &Claims, required: &ClaimRequirement) -> bool {
    let typed = match required.name.as_str() {
        "sub" => claims.sub.as_deref(),
        "client_id" => claims.client_id.as_deref(),
        "azp" => claims.azp.as_deref(),
        _ => None,
    };
    if let Some(value) = typed {
        return value == required.value;
    }
    match claims.other.get(&required.name) {
        Some(Value::String(s)) => *s == required.value,
        Some(Value::Array(items)) => items.iter().any(|item| item.as_str() == Some(required.value.as_str())),
        _ => false,
    }
}
