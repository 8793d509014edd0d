//! When and how long to wait before another attempt.

use std::time::{Duration, SystemTime};

use rand::RngExt;

/// How failed attempts are retried.
///
/// A call that is not idempotent (every `POST`, unless the spec marks it otherwise) is retried
/// only after failures that did not reach the application: a connection that could not be
/// established, HTTP 429, and HTTP 503 when it carries `Retry-After` (the service itself asking
/// for a later attempt; a bare 503 may come from a gateway after the API received the request).
/// An idempotent call (`GET`, `HEAD`, `OPTIONS`, `PUT`, `DELETE`, or an operation the spec marks
/// so) is also retried after any 503, HTTP 502 and 504, a timed-out attempt and a connection
/// lost after the request was sent, the response's body included: a gateway timeout may come
/// after the API already ran an irreversible `resign-user`.
/// [`Error::is_retryable`](crate::Error::is_retryable) and
/// [`Error::is_retryable_if_idempotent`](crate::Error::is_retryable_if_idempotent) state the
/// same rule. A business error (an envelope `statusCode` other than 200) is never retried.
///
/// Waits grow exponentially with random jitter, so many clients failing together do not retry
/// in lockstep. A `Retry-After` is waited for, plus up to a tenth more at random; one longer
/// than [`with_max_retry_after`](Self::with_max_retry_after) is not waited for at all: the call
/// fails at once with the [`HttpError`](crate::HttpError), whose `retry_after` says when the
/// service wants to be asked again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// Three attempts in all, waits from 200 ms up to 5 s, `Retry-After` honoured up to 30 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries: every call is one attempt.
    pub fn disabled() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    /// The number of attempts in all, the first included (at least 1; 0 is treated as 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry; each further retry doubles it (before jitter).
    pub fn with_initial_backoff(mut self, wait: Duration) -> Self {
        self.initial_backoff = wait;
        self
    }

    /// The longest wait computed by backoff.
    pub fn with_max_backoff(mut self, wait: Duration) -> Self {
        self.max_backoff = wait;
        self
    }

    /// The longest `Retry-After` waited for; a call asked to wait longer fails at once (see
    /// above).
    pub fn with_max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// The number of attempts in all, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether a `Retry-After` of `wait` is short enough to be waited for.
    pub(crate) fn waits_for(&self, wait: Duration) -> bool {
        wait <= self.max_retry_after
    }

    /// The wait before attempt number `next_attempt` (2 for the first retry), given the wait
    /// the server asked for in `Retry-After`, if it did.
    pub(crate) fn delay(&self, next_attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            // Never earlier than asked; a little later at random, so that the clients a
            // service turned away together do not come back together.
            let wait = wait.min(self.max_retry_after);
            let tenth_ms = u64::try_from((wait / 10).as_millis()).unwrap_or(u64::MAX);
            let extra = if tenth_ms == 0 { 0 } else { rand::rng().random_range(0..=tenth_ms) };
            return wait.saturating_add(Duration::from_millis(extra));
        }
        let exponent = next_attempt.saturating_sub(2).min(20);
        let ceiling = self.initial_backoff.saturating_mul(1u32 << exponent).min(self.max_backoff);
        // "Equal jitter": half fixed, half random, so the wait still grows but clients spread out.
        let half = ceiling / 2;
        let jitter_ms = u64::try_from(half.as_millis()).unwrap_or(u64::MAX);
        let extra = if jitter_ms == 0 { 0 } else { rand::rng().random_range(0..=jitter_ms) };
        half + Duration::from_millis(extra)
    }
}

/// The wait a response's `Retry-After` header asks for, if it has a readable one.
pub(crate) fn retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    let value = headers.get(http::header::RETRY_AFTER)?.to_str().ok()?;
    parse_retry_after(value, SystemTime::now())
}

/// `Retry-After` is either a number of seconds or an HTTP date (RFC 9110 section 10.2.3).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    // A date in the past means "now".
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// HTTP statuses that mean "try again": rate limited (429), and unavailable (503) when the
/// service asked for another attempt (`retry_after_given`), both turned away before the
/// application saw the request; for an idempotent call also a bare 503, 502 and 504, which a
/// gateway may respond after the application received it.
pub(crate) fn is_retryable_status(status: u16, idempotent: bool, retry_after_given: bool) -> bool {
    match status {
        429 => true,
        503 => idempotent || retry_after_given,
        502 | 504 => idempotent,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_and_as_a_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_665_296_040);
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("Sun, 09 Oct 2022 06:14:05 GMT", now), Some(Duration::from_secs(5)));
        assert_eq!(parse_retry_after("Sun, 09 Oct 2022 06:13:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }

    #[test]
    fn backoff_grows_with_jitter_and_is_capped() {
        let p = RetryPolicy::default()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(800));
        for _ in 0..50 {
            let d2 = p.delay(2, None);
            assert!(d2 >= Duration::from_millis(50) && d2 <= Duration::from_millis(100), "{d2:?}");
            let d3 = p.delay(3, None);
            assert!(d3 >= Duration::from_millis(100) && d3 <= Duration::from_millis(200), "{d3:?}");
            let d10 = p.delay(10, None);
            assert!(d10 >= Duration::from_millis(400) && d10 <= Duration::from_millis(800), "{d10:?}");
            assert!(p.delay(u32::MAX, None) <= Duration::from_millis(800));
        }
        // Jitter: a constant wait inside the bounds would pass the checks above.
        let waits: std::collections::BTreeSet<Duration> = (0..50).map(|_| p.delay(3, None)).collect();
        assert!(waits.len() > 5, "50 waits took only {} values: {waits:?}", waits.len());
    }

    #[test]
    fn retry_after_is_waited_for_with_jitter_above_it() {
        let p = RetryPolicy::default().with_max_retry_after(Duration::from_secs(2));
        let waits: Vec<Duration> = (0..50).map(|_| p.delay(2, Some(Duration::from_secs(1)))).collect();
        assert!(waits.iter().all(|w| *w >= Duration::from_secs(1) && *w <= Duration::from_millis(1100)), "{waits:?}");
        assert!(waits.iter().any(|w| *w != waits[0]), "jitter: 50 equal waits {:?}", waits[0]);
        assert!(p.waits_for(Duration::from_secs(2)) && !p.waits_for(Duration::from_millis(2001)));
        let mut headers = http::HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(http::header::RETRY_AFTER, http::HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
    }

    #[test]
    fn attempts_are_bounded_and_at_least_one() {
        assert_eq!(RetryPolicy::disabled().max_attempts(), 1);
        assert_eq!(RetryPolicy::default().with_max_attempts(0).max_attempts(), 1);
        assert!(is_retryable_status(429, false, false) && is_retryable_status(503, false, true));
        assert!(!is_retryable_status(503, false, false), "a bare 503 may come after the API acted");
        assert!(!is_retryable_status(502, false, true) && !is_retryable_status(504, false, false));
        for status in [502, 503, 504] {
            assert!(is_retryable_status(status, true, false));
        }
        for status in [200, 400, 500] {
            assert!(!is_retryable_status(status, true, true));
        }
    }
}
