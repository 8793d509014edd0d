//! The management token cache: one token per client, refreshed ahead of expiry, fetched by one
//! caller at a time ("single flight") while the others wait for its result.

use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::runtime::error::{AuthError, Error};
use crate::runtime::secret::Secret;

/// A token and what is needed to use it.
#[derive(Debug)]
pub(crate) struct ManagementToken {
    /// The bearer token. Never logged.
    pub value: Secret,
    /// The `scoped_userpool_id` claim, sent as `x-…-userpool-id`.
    pub userpool_id: String,
    /// When to stop using it: its expiry minus a margin.
    pub refresh_at: Instant,
}

impl ManagementToken {
    fn is_fresh(&self, now: Instant) -> bool {
        now < self.refresh_at
    }
}

/// The moment to refresh a token that lives `lifetime` from `now`: a fifth of its life early,
/// at most five minutes. Renewing early means a call never goes out with a token that expires
/// on the wire, and clock differences between us and the server do not matter.
pub(crate) fn refresh_at(now: Instant, lifetime: Duration) -> Instant {
    let margin = (lifetime / 5).min(Duration::from_secs(300));
    now + lifetime.saturating_sub(margin)
}

#[derive(Debug, Default)]
struct State {
    current: Option<Arc<ManagementToken>>,
    /// Counts finished fetches, so a waiter can tell that a fetch ran while it waited.
    generation: u64,
    /// The failure of the latest fetch, handed to the callers that waited for it.
    last_failure: Option<AuthError>,
}

/// Shared by all clones of a client.
#[derive(Debug, Default)]
pub(crate) struct TokenCache {
    state: Mutex<State>,
    /// Held while a fetch is running; the others wait on it instead of fetching too.
    flight: tokio::sync::Mutex<()>,
}

impl TokenCache {
    fn state(&self) -> MutexGuard<'_, State> {
        // The state is a plain value updated in one statement; a panic elsewhere while holding
        // the lock cannot leave it half-written, so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A fresh token: the cached one, or the result of `fetch`, run by exactly one of the
    /// concurrent callers.
    pub(crate) async fn get<F, Fut>(&self, fetch: F) -> Result<Arc<ManagementToken>, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<ManagementToken, Error>>,
    {
        let seen_generation = {
            let state = self.state();
            if let Some(token) = state.current.as_ref().filter(|t| t.is_fresh(Instant::now())) {
                return Ok(token.clone());
            }
            state.generation
        };
        let _flight = self.flight.lock().await;
        {
            let state = self.state();
            if let Some(token) = state.current.as_ref().filter(|t| t.is_fresh(Instant::now())) {
                return Ok(token.clone());
            }
            if state.generation != seen_generation
                && let Some(failure) = &state.last_failure
            {
                // The fetch we waited for failed: share its error rather than hammering the
                // token endpoint once per waiting caller.
                return Err(Error::Auth(failure.clone()));
            }
        }
        let result = match fetch().await {
            // The caller's own time ran out: not a verdict on the token endpoint, so neither
            // recorded nor shared; a waiter with time left fetches for itself.
            Err(e @ Error::DeadlineExceeded { .. }) => return Err(e),
            other => other.map_err(|e| match e {
                Error::Auth(a) => a,
                other => AuthError::from_fetch(&other),
            }),
        };
        let mut state = self.state();
        state.generation = state.generation.wrapping_add(1);
        match result {
            Ok(token) => {
                let token = Arc::new(token);
                state.current = Some(token.clone());
                state.last_failure = None;
                Ok(token)
            }
            Err(failure) => {
                state.last_failure = Some(failure.clone());
                Err(Error::Auth(failure))
            }
        }
    }

    /// Forgets `token` after the server rejected it, unless it was already replaced.
    pub(crate) fn invalidate(&self, token: &Arc<ManagementToken>) {
        let mut state = self.state();
        if state.current.as_ref().is_some_and(|c| Arc::ptr_eq(c, token)) {
            state.current = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn token(n: usize, lifetime: Duration) -> ManagementToken {
        ManagementToken {
            value: Secret::new(format!("token-{n}")),
            userpool_id: "pool".into(),
            refresh_at: refresh_at(Instant::now(), lifetime),
        }
    }

    #[test]
    fn refreshes_with_a_margin() {
        let now = Instant::now();
        assert_eq!(refresh_at(now, Duration::from_secs(7200)), now + Duration::from_secs(6900));
        assert_eq!(refresh_at(now, Duration::from_secs(10)), now + Duration::from_secs(8));
        assert_eq!(refresh_at(now, Duration::ZERO), now);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_callers_share_one_fetch() {
        let cache = Arc::new(TokenCache::default());
        let fetches = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..200 {
            let (cache, fetches) = (cache.clone(), fetches.clone());
            tasks.push(tokio::spawn(async move {
                cache
                    .get(|| async {
                        let n = fetches.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        Ok(token(n, Duration::from_secs(3600)))
                    })
                    .await
                    .map(|t| t.value.expose().to_owned())
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap().unwrap(), "token-0");
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn expired_and_invalidated_tokens_are_fetched_again() {
        let cache = TokenCache::default();
        let t0 = cache.get(|| async { Ok(token(0, Duration::ZERO)) }).await.unwrap();
        // Lifetime zero: already due for refresh.
        let t1 = cache.get(|| async { Ok(token(1, Duration::from_secs(3600))) }).await.unwrap();
        assert_eq!(t1.value.expose(), "token-1");
        let again = cache.get(|| async { Ok(token(2, Duration::from_secs(3600))) }).await.unwrap();
        assert!(Arc::ptr_eq(&t1, &again));
        cache.invalidate(&t0); // stale: must not drop the newer token
        let same = cache.get(|| async { Ok(token(3, Duration::from_secs(3600))) }).await.unwrap();
        assert!(Arc::ptr_eq(&t1, &same));
        cache.invalidate(&t1);
        let t4 = cache.get(|| async { Ok(token(4, Duration::from_secs(3600))) }).await.unwrap();
        assert_eq!(t4.value.expose(), "token-4");
    }

    #[tokio::test]
    async fn a_failed_fetch_is_an_auth_error_and_the_next_call_tries_again() {
        let cache = TokenCache::default();
        let err = cache.get(|| async { Err(Error::Serialize("boom".into())) }).await.unwrap_err();
        assert!(matches!(err, Error::Auth(_)), "{err:?}");
        let ok = cache.get(|| async { Ok(token(1, Duration::from_secs(60))) }).await.unwrap();
        assert_eq!(ok.value.expose(), "token-1");
    }
}
