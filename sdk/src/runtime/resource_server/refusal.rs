//! How a request without a valid token is refused, per RFC 6750 section 3: the status and the
//! `WWW-Authenticate: Bearer` challenge, with an error code and nothing else an attacker could
//! learn from (which check failed is logged at debug level, never responded).

use http::header::WWW_AUTHENTICATE;
use http::{HeaderValue, Response, StatusCode};

use crate::oidc::VerifyError;

/// Why a request was refused; responded as RFC 6750 says.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// No `Authorization` header: `401` with a bare `WWW-Authenticate: Bearer` challenge.
    Missing,
    /// An `Authorization` header that is not one `Bearer <token>`: `400`, `invalid_request`.
    InvalidRequest,
    /// The token was refused (offline by the verifier, or online by introspection): `401`,
    /// `invalid_token`. The verifier's error, when there is one, is for logs, never responded.
    InvalidToken(Option<VerifyError>),
    /// The token lacks what the route requires: `403`, `insufficient_scope`, with the scopes the
    /// route requires.
    InsufficientScope {
        /// The scopes the route requires (space-separated in the challenge).
        scopes: Vec<String>,
    },
    /// The route has no verifier to check with (a server misconfiguration): `500`.
    NoVerifier,
}

impl Refusal {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            Refusal::Missing | Refusal::InvalidToken(_) => StatusCode::UNAUTHORIZED,
            Refusal::InvalidRequest => StatusCode::BAD_REQUEST,
            Refusal::InsufficientScope { .. } => StatusCode::FORBIDDEN,
            Refusal::NoVerifier => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The `WWW-Authenticate` challenge (none for a server misconfiguration).
    pub fn challenge(&self) -> Option<HeaderValue> {
        let text = match self {
            Refusal::Missing => "Bearer".to_owned(),
            Refusal::InvalidRequest => r#"Bearer error="invalid_request""#.to_owned(),
            Refusal::InvalidToken(_) => r#"Bearer error="invalid_token""#.to_owned(),
            Refusal::InsufficientScope { scopes } => {
                // Scope tokens are printable ASCII without `"` or `\` (RFC 6749 3.3); others
                // are left out rather than allowed to break the header.
                let scopes: Vec<&str> = scopes
                    .iter()
                    .map(String::as_str)
                    .filter(|s| {
                        s.bytes().all(|b| b == 0x21 || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b))
                    })
                    .collect();
                format!(r#"Bearer error="insufficient_scope", scope="{}""#, scopes.join(" "))
            }
            Refusal::NoVerifier => return None,
        };
        HeaderValue::from_str(&text).ok()
    }

    /// The refusal as a response with an empty body of any type.
    pub fn response<B: Default>(&self) -> Response<B> {
        let mut response = Response::new(B::default());
        *response.status_mut() = self.status();
        if let Some(challenge) = self.challenge() {
            response.headers_mut().insert(WWW_AUTHENTICATE, challenge);
        }
        response
    }

    /// Logs why, at debug level (refusals are routine; the reasons are for operators).
    pub(crate) fn log(&self) {
        match self {
            // The verifier logged which check refused the token, where it refused it.
            Refusal::InvalidToken(Some(_)) => {}
            Refusal::NoVerifier => tracing::error!(
                "a route asks for a verified token but has no TokenVerifier: add BearerAuthLayer or Extension(verifier)"
            ),
            other => tracing::debug!(status = other.status().as_u16(), "request refused"),
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Missing => f.write_str("no bearer token"),
            Refusal::InvalidRequest => f.write_str("the Authorization header is not one `Bearer <token>`"),
            Refusal::InvalidToken(Some(e)) => write!(f, "invalid token: {e}"),
            Refusal::InvalidToken(None) => f.write_str("invalid token: not active"),
            Refusal::InsufficientScope { scopes } => write!(f, "the token lacks a required scope of {scopes:?}"),
            Refusal::NoVerifier => f.write_str("no token verifier is configured for this route"),
        }
    }
}

impl std::error::Error for Refusal {}

impl axum_core::response::IntoResponse for Refusal {
    fn into_response(self) -> axum_core::response::Response {
        self.log();
        self.response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges_follow_rfc_6750() {
        assert_eq!(Refusal::Missing.challenge().unwrap(), "Bearer");
        assert_eq!(Refusal::InvalidRequest.status(), 400);
        assert_eq!(Refusal::InvalidToken(None).challenge().unwrap(), r#"Bearer error="invalid_token""#);
        let scopes = Refusal::InsufficientScope { scopes: vec!["admin".into(), "a\"b".into(), "write".into()] };
        assert_eq!(scopes.challenge().unwrap(), r#"Bearer error="insufficient_scope", scope="admin write""#);
        assert_eq!(scopes.status(), 403);
        let response: Response<()> = Refusal::NoVerifier.response();
        assert_eq!((response.status(), response.headers().len()), (StatusCode::INTERNAL_SERVER_ERROR, 0));
    }
}
