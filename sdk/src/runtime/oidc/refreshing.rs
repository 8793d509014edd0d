//! [`RefreshingTokens`]: a user's token set that renews itself with its refresh token shortly
//! before the access token expires, once however many tasks ask at the same moment.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use super::tokens::TokenSet;
use crate::runtime::authentication::AuthenticationClient;
use crate::runtime::error::{ConfigError, Error};

/// How long before its expiry an access token is renewed, by default.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(30);

/// A token set that refreshes itself: [`access_token`](Self::access_token) returns the current
/// access token, renewed first when it expires within the margin. Concurrent callers share one
/// refresh (run on its own task, so a cancelled caller does not cancel it), and the callers
/// queued behind a refresh that failed share its failure rather than each trying again; while
/// renewal fails, a token that has not expired yet is still responded. Cheap to clone (clones
/// share the tokens).
#[derive(Clone, Debug)]
pub struct RefreshingTokens {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    client: AuthenticationClient,
    margin: Duration,
    current: RwLock<Arc<TokenSet>>,
    /// Held while one refresh runs; the others wait for its result.
    refreshing: Arc<tokio::sync::Mutex<LastAttempt>>,
}

/// The last refresh that failed, so that the callers queued behind it do not each try again.
#[derive(Debug, Default)]
struct LastAttempt {
    failed: Option<(Instant, String)>,
}

impl RefreshingTokens {
    /// Keeps `tokens` fresh with `client` (the client that issued them), renewing them
    /// [`DEFAULT_REFRESH_MARGIN`] before they expire.
    pub fn new(client: AuthenticationClient, tokens: TokenSet) -> Self {
        Self::with_margin(client, tokens, DEFAULT_REFRESH_MARGIN)
    }

    /// As [`new`](Self::new), renewing `margin` before expiry (at most a day).
    pub fn with_margin(client: AuthenticationClient, tokens: TokenSet, margin: Duration) -> Self {
        RefreshingTokens {
            inner: Arc::new(Inner {
                client,
                margin: margin.min(Duration::from_secs(86_400)),
                current: RwLock::new(Arc::new(tokens)),
                refreshing: Arc::default(),
            }),
        }
    }

    /// The tokens as they are now (not renewed).
    pub fn current(&self) -> Arc<TokenSet> {
        self.inner.current()
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
        let inner = &self.inner;
        let seen = inner.current();
        if !seen.expires_within(inner.margin) {
            return Ok(seen);
        }
        let asked = Instant::now();
        let attempt = Arc::clone(&inner.refreshing).lock_owned().await;
        let now = inner.current();
        if !Arc::ptr_eq(&now, &seen) && !now.expires_within(Duration::ZERO) {
            // Renewed while this caller waited (even if the new token is short-lived).
            return Ok(now);
        }
        if let Some((at, why)) = &attempt.failed
            && *at >= asked
        {
            // The refresh this caller queued behind failed: share its outcome, do not repeat it.
            let why = why.clone();
            return usable(&now, || ConfigError::new(None, format!("the tokens could not be refreshed: {why}")).into());
        }
        let Some(refresh_token) = now.refresh_token().map(str::to_owned) else {
            return usable(&now, || {
                ConfigError::new(None, "the access token expires and there is no refresh token").into()
            });
        };
        // The refresh runs on its own task, holding the lock: a caller cancelled mid-refresh
        // does not lose a rotated refresh token, and the waiters get its result.
        let task = Arc::clone(inner);
        let refreshed = tokio::spawn(async move { task.refresh(attempt, &refresh_token).await })
            .await
            .unwrap_or_else(|e| Err(ConfigError::new(None, format!("the refresh task failed: {e}")).into()));
        match refreshed {
            Ok(set) => Ok(set),
            Err(e) => usable(&now, || e),
        }
    }
}

impl Inner {
    fn current(&self) -> Arc<TokenSet> {
        Arc::clone(&self.current.read().unwrap_or_else(|e| e.into_inner()))
    }

    async fn refresh(
        &self,
        mut attempt: tokio::sync::OwnedMutexGuard<LastAttempt>,
        refresh_token: &str,
    ) -> Result<Arc<TokenSet>, Error> {
        match self.client.refresh(refresh_token).await {
            Ok(set) => {
                let set = Arc::new(set);
                *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::clone(&set);
                attempt.failed = None;
                Ok(set)
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not refresh the user's tokens");
                attempt.failed = Some((Instant::now(), e.to_string()));
                Err(e)
            }
        }
    }
}

/// `set` while its access token has not expired, else the error.
fn usable(set: &Arc<TokenSet>, error: impl FnOnce() -> Error) -> Result<Arc<TokenSet>, Error> {
    if set.expires_within(Duration::ZERO) { Err(error()) } else { Ok(Arc::clone(set)) }
}
