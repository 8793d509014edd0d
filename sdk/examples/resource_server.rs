//! A resource server: an axum service that accepts GenAuth access tokens.
//!
//! ```text
//! resource_server --listen 127.0.0.1:8080
//! ```
//!
//! Configured from the environment like `verify_token`: `GENAUTH_APP_HOST` (the issuer is its
//! origin plus `/oidc`), `GENAUTH_APP_ID` (the audience), `GENAUTH_APP_SECRET` where HS256
//! tokens are accepted. Prints `listening on http://<addr>` once it listens, then serves:
//!
//! - `GET /public`: no token needed;
//! - `GET /me`: any valid access token; returns `{"sub": ...}` from the verified claims;
//! - `GET /admin`: a valid access token with the scope `admin`.
//!
//! A request without a valid token gets `401` and `WWW-Authenticate: Bearer ...`, one without
//! the scope `403 insufficient_scope` (RFC 6750).

use std::process::ExitCode;
use std::time::Duration;

use axum::routing::get;
use axum::{Extension, Json, Router};
use genauth::AuthenticationConfig;
use genauth::oidc::TokenVerifier;
use genauth::resource_server::{Authenticated, BearerAuthLayer};
use serde_json::{Value, json};

mod support;

const USAGE: &str = "usage: resource_server --listen ADDR";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [flag, addr] = args.as_slice() else {
        return support::usage(USAGE, "--listen ADDR is required");
    };
    if flag != "--listen" {
        return support::usage(USAGE, &format!("unknown argument `{flag}`"));
    }
    // One verifier for the process: one key cache; tokens a client sends again are not
    // verified again for a minute (their expiry is).
    let verifier = match AuthenticationConfig::from_env()
        .and_then(|config| TokenVerifier::builder_for(&config))
        .and_then(|builder| builder.cache_verified(10_000, Duration::from_secs(60)).build())
    {
        Ok(verifier) => verifier,
        Err(e) => return support::fail(&e),
    };

    let app = Router::new()
        .route("/public", get(|| async { Json(json!({ "public": true })) }))
        .route("/me", get(me))
        .route("/admin", get(admin).route_layer(BearerAuthLayer::new(verifier.clone()).require_scopes(["admin"])))
        .layer(Extension(verifier));

    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(e) => return support::usage(USAGE, &format!("cannot listen on {addr}: {e}")),
    };
    match listener.local_addr() {
        Ok(local) => println!("listening on http://{local}"),
        Err(e) => return support::usage(USAGE, &format!("cannot listen on {addr}: {e}")),
    }
    match axum::serve(listener, app).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn me(user: Authenticated) -> Json<Value> {
    Json(json!({ "sub": user.user_id() }))
}

async fn admin(user: Authenticated) -> Json<Value> {
    Json(json!({ "admin": user.user_id() }))
}
