//! The management token cache: one token per client, renewed ahead of its expiry by one fetch
//! at a time ("single flight"), which runs on its own task while the callers wait for its result,
//! each until its own deadline.
//!
//! A token is used until shortly before it expires. From its refresh time on, the first call
//! starts a renewal in the background and every call goes on with the old token; only when there
//! is no usable token do calls wait. So a token endpoint that is slow or down costs nothing while
//! the cached token lasts, and a caller's future that is dropped, or kept but not polled (a
//! `select!` branch, `buffer_unordered`), never holds up the others. The fetch is a task on the
//! runtime of the call that started it: a client shared between several runtimes relies on that
//! runtime to keep running its tasks (as a multi-threaded runtime does).

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use futures_util::FutureExt as _;
use tokio::sync::watch;

use http::HeaderMap;
use http::header::AUTHORIZATION;

use crate::runtime::config::Brand;
use crate::runtime::error::{AuthError, Error};
use crate::runtime::headers::{Names, sensitive, value as header_value};
use crate::runtime::secret::Secret;

/// After a failed renewal, the wait before a call starts another one while the old token is
/// still usable (when it is not, the next call that needs a token tries at once).
const RENEWAL_PAUSE: Duration = Duration::from_secs(5);

/// A token and what is needed to use it.
#[derive(Debug)]
pub(crate) struct ManagementToken {
    /// The bearer token. Never logged.
    pub value: Secret,
    /// The `scoped_userpool_id` claim, sent as `x-…-userpool-id`.
    pub userpool_id: String,
    /// When to start renewing it.
    pub refresh_at: Instant,
    /// When to stop using it: its expiry minus a margin, so that it never expires on the wire.
    pub usable_until: Instant,
}

impl ManagementToken {
    /// A token that lives `lifetime` from `arrived`: renewed a fifth of its life early (at most
    /// five minutes), used until a tenth of its life before it expires (at most a minute).
    pub(crate) fn new(value: Secret, userpool_id: String, arrived: Instant, lifetime: Duration) -> Self {
        // No token lives ten years; a longer lifetime (a server's nonsense) must not overflow.
        let lifetime = lifetime.min(Duration::from_secs(10 * 365 * 24 * 3600));
        let at = |margin: Duration| arrived.checked_add(lifetime.saturating_sub(margin)).unwrap_or(arrived);
        ManagementToken {
            value,
            userpool_id,
            refresh_at: at((lifetime / 5).min(Duration::from_secs(300))),
            usable_until: at((lifetime / 10).min(Duration::from_secs(60))),
        }
    }
}

impl ManagementToken {
    /// `headers` plus this token's: `Bearer` and the token's user pool.
    pub(crate) fn headers(&self, brand: Brand, mut headers: HeaderMap) -> Result<HeaderMap, Error> {
        headers.insert(Names::of(brand).userpool.clone(), header_value("the user pool id", &self.userpool_id)?);
        headers.insert(AUTHORIZATION, sensitive(&format!("Bearer {}", self.value.expose()))?);
        Ok(headers)
    }
}

/// Whether a call failed because the server rejected its token (revoked, or the pool's keys
/// rotated): the token is dropped and fetched again then, once.
pub(crate) fn is_rejection(e: &Error) -> bool {
    match e {
        Error::Api(a) => a.status_code == 401,
        Error::Http(h) => h.status == 401,
        _ => false,
    }
}

/// What a fetch hands to the callers that waited for it.
type Outcome = Result<Arc<ManagementToken>, AuthError>;

#[derive(Debug, Default)]
struct State {
    current: Option<Arc<ManagementToken>>,
    /// The fetch running now: its outcome arrives on this channel.
    flight: Option<watch::Receiver<Option<Outcome>>>,
    /// When the latest fetch failed.
    failed_at: Option<Instant>,
}

/// Shared by all clones of a client.
#[derive(Debug, Default)]
pub(crate) struct TokenCache {
    state: Arc<Mutex<State>>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    // Every update is a few assignments with no call in between that can panic; a poisoned
    // lock still holds a consistent state.
    state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl TokenCache {
    /// A usable token: the cached one (starting a renewal in the background when it is due), or
    /// the outcome of the fetch in flight, started from `fetch` if none is. Callers that wait
    /// for the same fetch share its outcome, a failure included. Must run inside a Tokio
    /// runtime (the fetch is spawned).
    pub(crate) async fn get<F, Fut>(&self, fetch: F) -> Result<Arc<ManagementToken>, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<ManagementToken, Error>> + Send + 'static,
    {
        let mut flight = {
            let mut state = lock(&self.state);
            let now = Instant::now();
            if let Some(token) = state.current.clone().filter(|t| now < t.usable_until) {
                let paused = state.failed_at.is_some_and(|at| now < at + RENEWAL_PAUSE);
                if now >= token.refresh_at && running(&state).is_none() && !paused {
                    tracing::debug!("renewing the management token in the background");
                    self.start(&mut state, fetch());
                }
                return Ok(token);
            }
            match running(&state) {
                Some(flight) => flight,
                None => self.start(&mut state, fetch()),
            }
        };
        match flight.wait_for(Option::is_some).await {
            Ok(outcome) => match outcome.as_ref() {
                Some(Ok(token)) => Ok(token.clone()),
                Some(Err(failure)) => Err(Error::Auth(failure.clone())),
                None => unreachable!("wait_for returns a value that passed its check"),
            },
            // The task ended without an outcome: the runtime that ran it is shutting down.
            Err(_) => Err(Error::Auth(AuthError::from_message("the token fetch ended without a result"))),
        }
    }

    /// Spawns `fetch` as the flight; the task stores its outcome and then hands it out.
    fn start<Fut>(&self, state: &mut State, fetch: Fut) -> watch::Receiver<Option<Outcome>>
    where
        Fut: Future<Output = Result<ManagementToken, Error>> + Send + 'static,
    {
        let (tx, rx) = watch::channel(None);
        state.flight = Some(rx.clone());
        let shared = Arc::clone(&self.state);
        tokio::spawn(async move {
            // A fetch that panics is a failed fetch like any other (the pause after it included).
            let outcome: Outcome = match AssertUnwindSafe(fetch).catch_unwind().await {
                Ok(fetched) => fetched.map(Arc::new).map_err(|e| match e {
                    Error::Auth(a) => a,
                    other => AuthError::from_fetch(&other),
                }),
                Err(_) => Err(AuthError::from_message("the token fetch panicked")),
            };
            {
                let mut state = lock(&shared);
                state.flight = None;
                match &outcome {
                    Ok(token) => {
                        state.current = Some(token.clone());
                        state.failed_at = None;
                    }
                    Err(failure) => {
                        state.failed_at = Some(Instant::now());
                        if state.current.as_ref().is_some_and(|t| Instant::now() < t.usable_until) {
                            tracing::warn!(error = %failure, "could not renew the management token; the current one is used meanwhile");
                        }
                    }
                }
            }
            let _ = tx.send(Some(outcome));
        });
        rx
    }

    /// Forgets `token` after the server rejected it, unless it was already replaced.
    pub(crate) fn invalidate(&self, token: &Arc<ManagementToken>) {
        let mut state = lock(&self.state);
        if state.current.as_ref().is_some_and(|c| Arc::ptr_eq(c, token)) {
            state.current = None;
        }
    }
}

/// The flight in progress, if its task is still alive (one whose runtime shut down left a closed
/// channel).
fn running(state: &State) -> Option<watch::Receiver<Option<Outcome>>> {
    state.flight.clone().filter(|rx| rx.has_changed().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn token(n: usize, lifetime: Duration) -> ManagementToken {
        ManagementToken::new(Secret::new(format!("token-{n}")), "pool".into(), Instant::now(), lifetime)
    }

    #[test]
    fn renews_early_and_stops_using_it_before_it_expires() {
        let now = Instant::now();
        let t = ManagementToken::new(Secret::new("t"), "p".into(), now, Duration::from_secs(7200));
        assert_eq!((t.refresh_at, t.usable_until), (now + Duration::from_secs(6900), now + Duration::from_secs(7140)));
        let t = ManagementToken::new(Secret::new("t"), "p".into(), now, Duration::from_secs(10));
        assert_eq!((t.refresh_at, t.usable_until), (now + Duration::from_secs(8), now + Duration::from_secs(9)));
        let t = ManagementToken::new(Secret::new("t"), "p".into(), now, Duration::ZERO);
        assert_eq!((t.refresh_at, t.usable_until), (now, now));
        let t = ManagementToken::new(Secret::new("t"), "p".into(), now, Duration::MAX);
        assert!(t.usable_until > now, "a lifetime past what the clock counts does not panic");
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
                    .get(|| async move {
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
    async fn waiters_take_the_fetched_token_even_when_it_is_short_lived() {
        // `expires_in: 0`: before, each waiter found the token stale and fetched its own.
        let cache = Arc::new(TokenCache::default());
        let fetches = Arc::new(AtomicUsize::new(0));
        let calls = (0..20).map(|_| {
            let fetches = fetches.clone();
            cache.get(move || async move {
                fetches.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(20)).await;
                Ok(token(0, Duration::ZERO))
            })
        });
        for result in futures_util::future::join_all(calls).await {
            assert_eq!(result.unwrap().value.expose(), "token-0");
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn expired_and_invalidated_tokens_are_fetched_again() {
        let cache = TokenCache::default();
        let t0 = cache.get(|| async { Ok(token(0, Duration::ZERO)) }).await.unwrap();
        // Lifetime zero: already unusable.
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

    #[tokio::test]
    async fn a_panicked_fetch_fails_its_waiters_and_the_next_call_fetches_again() {
        let cache = TokenCache::default();
        let err = cache.get(|| async { panic!("the fetch task panics") }).await.unwrap_err();
        assert!(err.to_string().contains("the token fetch panicked"), "{err}");
        assert!(err.is_retryable());
        let ok = cache.get(|| async { Ok(token(1, Duration::from_secs(60))) }).await.unwrap();
        assert_eq!(ok.value.expose(), "token-1");
    }
}
