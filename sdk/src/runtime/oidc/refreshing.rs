//! [`RefreshingTokens`]: a user's token set that renews itself with its refresh token shortly
//! before the access token expires, once however many tasks ask at the same moment.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use super::tokens::TokenSet;
use crate::runtime::authentication::AuthenticationClient;
use crate::runtime::error::Error;

/// How long before its expiry an access token is renewed, by default.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(30);

/// A token set that refreshes itself: [`access_token`](Self::access_token) answers the current
/// access token, renewed first when it expires within the margin. Concurrent callers share one
/// refresh; while a renewal fails, a token that has not expired yet is still answered. Cheap to
/// clone (clones share the tokens).
#[derive(Clone, Debug)]
pub struct RefreshingTokens {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    client: AuthenticationClient,
    margin: Duration,
    current: RwLock<Arc<TokenSet>>,
    /// Held while one caller refreshes; the others wait for its result.
    refreshing: tokio::sync::Mutex<()>,
}

impl RefreshingTokens {
    /// Keeps `tokens` fresh with `client` (the client that issued them), renewing them
    /// [`DEFAULT_REFRESH_MARGIN`] before they expire.
    pub fn new(client: AuthenticationClient, tokens: TokenSet) -> Self {
        Self::with_margin(client, tokens, DEFAULT_REFRESH_MARGIN)
    }

    /// As [`new`](Self::new), renewing `margin` before expiry.
    pub fn with_margin(client: AuthenticationClient, tokens: TokenSet, margin: Duration) -> Self {
        RefreshingTokens {
            inner: Arc::new(Inner {
                client,
                margin,
                current: RwLock::new(Arc::new(tokens)),
                refreshing: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// The tokens as they are now (not renewed).
    pub fn current(&self) -> Arc<TokenSet> {
        Arc::clone(&self.inner.current.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// A valid access token: the current one, or a renewed one when it expires within the
    /// margin.
    ///
    /// # Errors
    ///
    /// The refresh's error when the token could not be renewed and has expired, or
    /// [`Error::Config`] when it has expired and there is no refresh token.
    pub async fn access_token(&self) -> Result<String, Error> {
        Ok(self.fresh().await?.access_token().to_owned())
    }

    /// The token set, renewed first when its access token expires within the margin.
    ///
    /// # Errors
    ///
    /// As [`access_token`](Self::access_token).
    pub async fn fresh(&self) -> Result<Arc<TokenSet>, Error> {
        let seen = self.current();
        if !seen.expires_within(self.inner.margin) {
            return Ok(seen);
        }
        let _one_at_a_time = self.inner.refreshing.lock().await;
        let now = self.current();
        if !Arc::ptr_eq(&now, &seen) && !now.expires_within(self.inner.margin) {
            // Renewed by the caller that held the lock before this one.
            return Ok(now);
        }
        let Some(refresh_token) = now.refresh_token() else {
            return usable(&now, || {
                crate::runtime::error::ConfigError::new(None, "the access token expires and there is no refresh token")
                    .into()
            });
        };
        match self.inner.client.refresh(refresh_token).await {
            Ok(set) => {
                let set = Arc::new(set);
                *self.inner.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::clone(&set);
                Ok(set)
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not refresh the user's tokens");
                usable(&now, || e)
            }
        }
    }
}

/// `set` while its access token has not expired, else the error.
fn usable(set: &Arc<TokenSet>, error: impl FnOnce() -> Error) -> Result<Arc<TokenSet>, Error> {
    if set.expires_within(Duration::ZERO) { Err(error()) } else { Ok(Arc::clone(set)) }
}
