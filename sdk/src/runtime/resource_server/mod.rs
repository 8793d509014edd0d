//! The other end of a GenAuth login: a service that accepts GenAuth access tokens, verified on
//! every request. Behind the `axum` feature (off by default).
//!
//! - [`Authenticated`], an axum extractor: the verified claims, or the request is refused.
//! - [`BearerAuthLayer`], a tower layer for any tower service (axum, tonic, hyper): requests
//!   without a valid token, or without what the route requires (scopes, a role or permission
//!   claim), are refused before they reach the service; optionally asks the introspection
//!   endpoint too, for routes that must see a revocation at once.
//! - Refusals follow RFC 6750 ([`Refusal`]): `401` with `WWW-Authenticate: Bearer` (and
//!   `error="invalid_token"` for a bad token), `400 invalid_request` for a malformed header,
//!   `403 insufficient_scope` with the route's `scope`. The reason is logged at debug level,
//!   never responded.
//!
//! Both use one shared [`TokenVerifier`](crate::oidc::TokenVerifier): one key cache per
//! process.
//!
//! ```rust,no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use axum::{Extension, Json, Router, routing::get};
//! use genauth::oidc::TokenVerifier;
//! use genauth::resource_server::{Authenticated, BearerAuthLayer};
//!
//! let verifier = TokenVerifier::builder_for(&genauth::AuthenticationConfig::from_env()?)?.build()?;
//! let app = Router::new()
//!     .route("/me", get(|user: Authenticated| async move { Json(user.claims.sub) }))
//!     .route("/admin", get(|| async { "hello, admin" }).route_layer(BearerAuthLayer::new(verifier.clone()).require_scopes(["admin"])))
//!     .layer(Extension(verifier));
//! # let _: Router = app;
//! # Ok(())
//! # }
//! ```

mod bearer;
mod extract;
mod layer;
mod online;
mod policy;
mod refusal;

pub use extract::Authenticated;
pub use layer::{BearerAuth, BearerAuthLayer};
pub use refusal::Refusal;
