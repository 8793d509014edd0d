//! OpenID Connect and OAuth 2.0 with a GenAuth application: the protocol endpoints the
//! authentication document does not describe, written by hand beside the generated client.
//!
//! - **Signing users in** (authorization code flow with PKCE): [`AuthenticationClient::authorize_url`]
//!   gives the URL and a [`PendingLogin`] to keep in the session;
//!   [`AuthenticationClient::exchange_code`] checks the callback and returns a verified
//!   [`TokenSet`]; [`RefreshingTokens`] keeps it fresh.
//! - **Other grants and endpoints**: [`AuthenticationClient::refresh`],
//!   [`client_credentials`](AuthenticationClient::client_credentials),
//!   [`introspect_token`](AuthenticationClient::introspect_token), [`revoke_token`](AuthenticationClient::revoke_token),
//!   [`userinfo`](AuthenticationClient::userinfo), [`logout_url`](AuthenticationClient::logout_url).
//! - **Verifying tokens** (a resource server, on every request): [`TokenVerifier`], with its
//!   cached key set and every check named in [`VerifyCheck`].
//!
//! [`AuthenticationClient::authorize_url`]: crate::AuthenticationClient::authorize_url
//! [`AuthenticationClient::exchange_code`]: crate::AuthenticationClient::exchange_code
//! [`AuthenticationClient::refresh`]: crate::AuthenticationClient::refresh
//! [`AuthenticationClient`]: crate::AuthenticationClient

mod algorithm;
mod authorize;
mod claims;
mod error;
mod jwks;
mod refreshing;
pub(crate) mod token_cache;
mod tokens;
mod verifier;

pub use algorithm::SigningAlgorithm;
pub use authorize::{AuthorizeRequest, Callback, LogoutRequest, PendingLogin};
pub use claims::{Claims, OtherClaims};
pub use error::{LoginError, OAuthError, VerifyCheck, VerifyError};
pub use refreshing::{DEFAULT_REFRESH_MARGIN, RefreshingTokens};
pub use tokens::{Introspection, TokenKind, TokenSet};
pub use verifier::{
    DEFAULT_KEY_SET_MAX_AGE, DEFAULT_LEEWAY, DEFAULT_REFETCH_COOLDOWN, TokenVerifier, TokenVerifierBuilder,
};

use crate::runtime::authentication::AuthenticationClient;

/// Now, in whole seconds since the Unix epoch (the unit of `exp`, `iat` and `nbf`).
pub(crate) fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_secs()
}

/// Claims with their other claims read into `C`.
#[cfg_attr(not(feature = "axum"), allow(dead_code))]
pub(crate) fn retype_claims<C: serde::de::DeserializeOwned>(claims: &Claims) -> Result<Claims<C>, VerifyError> {
    verifier::retype(claims)
}
use crate::runtime::error::Error;

impl AuthenticationClient {
    /// The verifier of this application's tokens (issuer from the app host, audience the app
    /// id, HS256 with the app secret when there is one), made on first use and shared by every
    /// clone and handle of this client: one key cache per client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the app host is not a URL.
    pub fn verifier(&self) -> Result<&TokenVerifier, Error> {
        let cell = self.verifier_cell();
        if let Some(verifier) = cell.get() {
            return Ok(verifier);
        }
        let verifier = TokenVerifier::builder_for(self.config())?.http_client(self.pipeline().http.clone()).build()?;
        Ok(cell.get_or_init(|| verifier))
    }

    /// `tokens`, renewed by this client shortly before they expire.
    pub fn refreshing(&self, tokens: TokenSet) -> RefreshingTokens {
        RefreshingTokens::new(self.clone(), tokens)
    }
}
