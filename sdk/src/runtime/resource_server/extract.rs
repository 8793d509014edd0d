//! [`Authenticated`]: the axum extractor of a request's verified user.

use std::any::Any;
use std::sync::Arc;

use axum_core::extract::FromRequestParts;
use http::request::Parts;
use serde::de::DeserializeOwned;

use super::policy::{Policy, Verified};
use super::refusal::Refusal;
use crate::AuthenticationClient;
use crate::oidc::{Claims, OtherClaims, TokenVerifier};
use crate::runtime::secret::Secret;

/// The verified user of a request: the claims of its access token (the user's own claims in
/// `C`, a JSON map by default) and the token, to call the APIs for the user. As an axum
/// extractor it takes what [`BearerAuthLayer`](super::BearerAuthLayer) verified, or, on a route
/// without the layer, verifies the token itself with the [`TokenVerifier`] in the request's
/// extensions (`.layer(Extension(verifier))`). A request without a valid token is refused
/// ([`Refusal`]) before the handler runs. `Debug` never shows the token.
#[derive(Clone)]
pub struct Authenticated<C = OtherClaims> {
    /// The token's verified claims.
    pub claims: Claims<C>,
    token: Arc<Secret>,
}

impl<C: std::fmt::Debug> std::fmt::Debug for Authenticated<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticated").field("claims", &self.claims).field("token", &"[REDACTED]").finish()
    }
}

impl<C> Authenticated<C> {
    /// The user's id (`sub`).
    pub fn user_id(&self) -> Option<&str> {
        self.claims.sub.as_deref()
    }

    /// The access token, to call other services for the user.
    pub fn access_token(&self) -> &str {
        self.token.expose()
    }

    /// A handle of `client` acting for this user (their token on every call): cheap, it shares
    /// the client's connections and configuration.
    pub fn acting_for(&self, client: &AuthenticationClient) -> AuthenticationClient {
        client.with_access_token(self.token.expose())
    }
}

impl<S, C> FromRequestParts<S> for Authenticated<C>
where
    S: Send + Sync,
    C: DeserializeOwned + Send + 'static,
{
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Refusal> {
        let verified = match parts.extensions.get::<Verified>() {
            Some(verified) => verified.clone(),
            None => {
                let Some(verifier) = parts.extensions.get::<TokenVerifier>() else {
                    return Err(Refusal::NoVerifier);
                };
                Policy::new(verifier.clone()).check(&parts.headers).await?
            }
        };
        // The default claims type is the verified one: a copy, not a trip through JSON.
        let claims = match (Box::new((*verified.claims).clone()) as Box<dyn Any>).downcast::<Claims<C>>() {
            Ok(same) => *same,
            Err(_) => {
                crate::runtime::oidc::retype_claims(&verified.claims).map_err(|e| Refusal::InvalidToken(Some(e)))?
            }
        };
        Ok(Authenticated { claims, token: verified.token })
    }
}
