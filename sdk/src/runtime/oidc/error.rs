//! The errors of the OpenID Connect part: a token refused by the verifier (and which check
//! refused it), an authorization server's OAuth error, and a login callback that does not belong
//! to the login. None holds a token, a key, a code or a secret.

use std::fmt;

/// The check of [`TokenVerifier`](crate::oidc::TokenVerifier) that refused a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum VerifyCheck {
    /// The token is not a well-formed JWS compact token (three base64url parts, JSON header and
    /// claims of the expected shape), or is longer than any real token.
    Malformed,
    /// The header's algorithm is not allowed: `none`, outside the allow-list, HMAC without a
    /// configured app secret, or not the algorithm of the key named by `kid`.
    Algorithm,
    /// No key of the issuer's key set fits the token's `kid` and algorithm, even after fetching
    /// the key set again (or the refetch cool-down had not passed).
    UnknownKey,
    /// The issuer's key set could not be fetched or read (timeout, HTTP error, not a JWKS).
    KeySet,
    /// The signature does not verify.
    Signature,
    /// `exp` has passed (beyond the leeway).
    Expired,
    /// `nbf` is in the future (beyond the leeway).
    NotYetValid,
    /// `iat` is in the future (beyond the leeway).
    IssuedInFuture,
    /// `iss` is not exactly the issuer.
    Issuer,
    /// `aud` does not contain the application's id, or `azp` is not the application.
    Audience,
    /// A claim the check needs is missing (`exp`, `iss`, `aud`; `sub` and `iat` in an ID token).
    MissingClaim,
    /// An ID token (it carries `nonce` or `at_hash`) offered as an access token: an ID token
    /// says who signed in to the client, not what the bearer may do, and travels in URLs (a
    /// logout's `id_token_hint`), so it is never accepted as an access token.
    TokenType,
    /// The ID token's `nonce` is not the login's, or it has none while the login sent one.
    Nonce,
    /// The ID token's `at_hash` does not match the access token issued with it.
    AccessTokenHash,
}

impl VerifyCheck {
    /// A short name of the check, as in messages and logs (`"issuer"`, `"signature"`...).
    pub fn name(self) -> &'static str {
        match self {
            VerifyCheck::Malformed => "format",
            VerifyCheck::Algorithm => "algorithm",
            VerifyCheck::UnknownKey => "key id",
            VerifyCheck::KeySet => "key set",
            VerifyCheck::Signature => "signature",
            VerifyCheck::Expired => "expiry (exp)",
            VerifyCheck::NotYetValid => "not before (nbf)",
            VerifyCheck::IssuedInFuture => "issue time (iat)",
            VerifyCheck::Issuer => "issuer (iss)",
            VerifyCheck::Audience => "audience (aud/azp)",
            VerifyCheck::MissingClaim => "required claim",
            VerifyCheck::TokenType => "token type",
            VerifyCheck::Nonce => "nonce",
            VerifyCheck::AccessTokenHash => "access token hash (at_hash)",
        }
    }
}

impl fmt::Display for VerifyCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A token the verifier refused: which check failed, and why, in words that hold no part of
/// the token, the keys or the secret (the expected issuer and audience are shown; they are
/// public).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyError {
    check: VerifyCheck,
    detail: String,
}

impl VerifyError {
    pub(crate) fn new(check: VerifyCheck, detail: impl Into<String>) -> Self {
        VerifyError { check, detail: detail.into() }
    }

    /// The check that refused the token.
    pub fn check(&self) -> VerifyCheck {
        self.check
    }

    /// What the check found.
    pub fn detail(&self) -> &str {
        &self.detail
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "token refused by the {} check: {}", self.check, self.detail)
    }
}

impl std::error::Error for VerifyError {}

/// An OAuth 2.0 error response of the authorization server (RFC 6749 section 5.2): the token,
/// introspection, revocation or userinfo endpoint refused the request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OAuthError {
    /// The endpoint, such as `token` or `introspection`.
    pub endpoint: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// The `error` code (`invalid_grant`, `invalid_client`...), when the response had one.
    pub error: Option<String>,
    /// The `error_description`, when the response had one.
    pub description: Option<String>,
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the {} endpoint refused the request (HTTP {}", self.endpoint, self.status)?;
        if let Some(error) = &self.error {
            write!(f, ", {error}")?;
        }
        f.write_str(")")?;
        if let Some(description) = &self.description {
            write!(f, ": {description}")?;
        }
        Ok(())
    }
}

impl std::error::Error for OAuthError {}

/// A redirect back from the authorization server that does not complete the login.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoginError {
    /// The `state` is not the pending login's: the redirect belongs to another login, or was
    /// forged (cross-site request forgery). Start a new login.
    StateMismatch,
    /// The redirect names another issuer (`iss`, RFC 9207): a mix-up attack, or a misconfigured
    /// app host.
    IssuerMismatch {
        /// The issuer the redirect named.
        found: String,
    },
    /// The authorization server refused the login (`error`, such as `access_denied`).
    Refused {
        /// The `error` code.
        error: String,
        /// The `error_description`, when given.
        description: Option<String>,
    },
    /// The redirect has no `code`.
    MissingCode,
}

impl fmt::Display for LoginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoginError::StateMismatch => f.write_str("the login callback's state is not the pending login's"),
            LoginError::IssuerMismatch { found } => {
                write!(f, "the login callback names another issuer ({})", shown(found))
            }
            LoginError::Refused { error, description } => {
                write!(f, "the authorization server refused the login: {error}")?;
                match description {
                    Some(d) => write!(f, " ({d})"),
                    None => Ok(()),
                }
            }
            LoginError::MissingCode => f.write_str("the login callback has no authorization code"),
        }
    }
}

impl std::error::Error for LoginError {}

/// A value from a token (a key id, an issuer) as shown in an error: it is untrusted, so it is cut
/// short and escaped.
pub(crate) fn shown(text: &str) -> String {
    let cut: String = text.chars().take(40).collect();
    if cut.len() < text.len() { format!("{cut:?}...") } else { format!("{cut:?}") }
}
