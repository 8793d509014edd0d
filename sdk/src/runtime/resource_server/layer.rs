//! [`BearerAuthLayer`]: a tower layer that lets through only requests with a valid GenAuth
//! access token (and what the route requires of it), for any tower service: axum routers and
//! routes, tonic, hyper. Refused requests never reach the service.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http::{Request, Response};

use super::online::Online;
use super::policy::{ClaimRequirement, Policy};
use crate::AuthenticationClient;
use crate::oidc::TokenVerifier;

/// A tower [`Layer`](tower_layer::Layer) that verifies each request's bearer token with a shared
/// [`TokenVerifier`] and refuses, per RFC 6750, the requests without a valid one or without what
/// the route requires. The verified claims go into the request's extensions, where
/// [`Authenticated`](super::Authenticated) finds them. Cheap to clone; clones share the
/// verifier's key cache.
#[derive(Clone)]
#[must_use]
pub struct BearerAuthLayer {
    policy: Arc<Policy>,
}

impl std::fmt::Debug for BearerAuthLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BearerAuthLayer")
            .field("verifier", &self.policy.verifier)
            .field("scopes", &self.policy.scopes)
            .field("claims", &self.policy.claims)
            .field("online", &self.policy.online.is_some())
            .finish()
    }
}

impl BearerAuthLayer {
    /// Requests need a valid access token of `verifier`'s issuer and audience.
    pub fn new(verifier: TokenVerifier) -> Self {
        BearerAuthLayer { policy: Arc::new(Policy::new(verifier)) }
    }

    fn policy(mut self, f: impl FnOnce(&mut Policy)) -> Self {
        f(Arc::make_mut(&mut self.policy));
        self
    }

    /// ...and every scope of `scopes` (else `403 insufficient_scope` naming them).
    pub fn require_scopes<I, S>(self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.policy(|p| p.scopes.extend(scopes.into_iter().map(Into::into)))
    }

    /// ...and the claim `name` equal to `value`, or an array containing it: a role
    /// (`require_claim("roles", "admin")`) or a permission (else `403 insufficient_scope`).
    pub fn require_claim(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.policy(|p| p.claims.push(ClaimRequirement { name: name.into(), value: value.into() }))
    }

    /// ...and, asked online through `client`'s introspection endpoint, still active: a revoked
    /// token is refused within `ttl` (the time a response is reused). Opaque tokens, which cannot
    /// be verified offline, are then accepted when the server says they are active.
    pub fn introspect(self, client: AuthenticationClient, ttl: Duration) -> Self {
        self.policy(|p| p.online = Some(Arc::new(Online::new(client, ttl))))
    }
}

impl<S> tower_layer::Layer<S> for BearerAuthLayer {
    type Service = BearerAuth<S>;
    fn layer(&self, inner: S) -> BearerAuth<S> {
        BearerAuth { inner, policy: Arc::clone(&self.policy) }
    }
}

/// The service [`BearerAuthLayer`] wraps around another.
#[derive(Clone)]
pub struct BearerAuth<S> {
    inner: S,
    policy: Arc<Policy>,
}

impl<S> std::fmt::Debug for BearerAuth<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BearerAuth").finish_non_exhaustive()
    }
}

impl<S, ReqBody, ResBody> tower_service::Service<Request<ReqBody>> for BearerAuth<S>
where
    S: tower_service::Service<Request<ReqBody>, Response = Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    ReqBody: Send + 'static,
    ResBody: Default,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response<ResBody>, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        // The service that was polled ready serves this request; a clone takes its place.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let policy = Arc::clone(&self.policy);
        Box::pin(async move {
            match policy.check(request.headers()).await {
                Ok(verified) => {
                    request.extensions_mut().insert(verified);
                    inner.call(request).await
                }
                Err(refusal) => {
                    refusal.log();
                    Ok(refusal.response())
                }
            }
        })
    }
}
