//! The SDK's `reqwest` clients and the attempt loop: timeouts, retries with backoff, bounded
//! body reads.

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::{HeaderMap, Method};
use reqwest::Url;

use crate::runtime::config::Config;
use crate::runtime::envelope::Response;
use crate::runtime::error::{ConfigError, DecodeError, Error, HttpError};
use crate::runtime::retry::{RetryPolicy, is_retryable_status};
use crate::runtime::secret::{Scrub, Secret};

/// `genauth-rust-sdk/<version>`.
pub(crate) const USER_AGENT: &str = concat!("genauth-rust-sdk/", env!("CARGO_PKG_VERSION"));

/// Builds the pooled HTTP client. TLS is rustls with the platform's verifier; certificates are
/// checked unless the dangerous option was set.
pub(crate) fn build_http(config: &Config, connect_timeout: Duration) -> Result<reqwest::Client, Error> {
    let user_agent = match &config.user_agent_extra {
        Some(extra) => format!("{USER_AGENT} {extra}"),
        None => USER_AGENT.to_owned(),
    };
    let mut builder = reqwest::Client::builder()
        .user_agent(user_agent)
        .connect_timeout(connect_timeout)
        // An API response never redirects; following one would resend signed headers elsewhere.
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(Duration::from_secs(60));
    if config.danger_accept_invalid_certs {
        builder = builder.tls_danger_accept_invalid_certs(true);
    }
    if config.host.starts_with("http://") && !config.allow_insecure_http {
        // Cleartext to loopback is allowed without asking, but only because it never leaves the
        // machine: through a proxy (`ConfigBuilder::proxy` or `HTTP_PROXY`) the secret and the
        // tokens would cross the network in the clear. A user who opted into cleartext by name
        // (`allow_insecure_http`) gets the proxy.
        builder = builder.no_proxy();
    } else if let Some(proxy) = &config.proxy {
        builder = builder.proxy(crate::runtime::config::parse_proxy(proxy.expose(), None)?);
    }
    let roots = config.root_certificates.0.iter().map(|der| reqwest::Certificate::from_der(der));
    builder = builder.tls_certs_merge(
        roots
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| ConfigError::new(None, format!("a root certificate is not usable: {e}")))?,
    );
    builder.build().map_err(|e| ConfigError::new(None, format!("could not build the HTTP client: {e}")).into())
}

/// What one call sends; the headers are made per attempt (a signature's nonce is single-use).
pub(crate) struct Outgoing<'a> {
    pub operation: &'static str,
    pub method: &'a Method,
    pub url: &'a Url,
    pub body: Option<Bytes>,
    /// Whether the request may be repeated after a failure that may have reached the
    /// application (see [`RetryPolicy`](crate::RetryPolicy)).
    pub idempotent: bool,
    /// When the whole call must be over.
    pub deadline: Deadline,
    /// The time one attempt may take.
    pub timeout: Duration,
    /// How failed attempts are retried.
    pub retry: &'a RetryPolicy,
    /// The largest response body read.
    pub max_body: usize,
}

/// The end of a call's time: set once per call, checked before every attempt and every wait.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    pub at: tokio::time::Instant,
    pub total: Duration,
}

impl Deadline {
    /// A deadline `total` from now. "No limit" (`Duration::MAX`, or anything past what the clock
    /// can count) ends in about thirty years instead of overflowing the instant.
    pub(crate) fn start(total: Duration) -> Self {
        const FAR: Duration = Duration::from_secs(30 * 365 * 24 * 3600);
        let now = tokio::time::Instant::now();
        Deadline { at: now.checked_add(total.min(FAR)).unwrap_or(now + Duration::from_secs(3600)), total }
    }

    pub(crate) fn remaining(&self) -> Duration {
        self.at.saturating_duration_since(tokio::time::Instant::now())
    }

    pub(crate) fn exceeded(&self, operation: &'static str, last: Option<Error>) -> Error {
        Error::DeadlineExceeded { operation, deadline: self.total, last: last.map(Box::new) }
    }
}

/// Sends with retries and returns the first response that is not to be retried.
pub(crate) async fn send(
    http: &reqwest::Client,
    secret: &Secret,
    out: &Outgoing<'_>,
    mut headers_for_attempt: impl FnMut() -> Result<HeaderMap, Error>,
) -> Result<Response, Error> {
    let span = tracing::Span::current();
    let max_attempts = out.retry.max_attempts().max(1);
    let mut attempt = 1u32;
    let mut last: Option<Error> = None;
    // Every `authorization` value sent, so that a response echoing one is scrubbed.
    let mut authorizations: Vec<String> = Vec::new();
    loop {
        span.record("attempt", attempt);
        // An attempt gets the time left at most; if that is what ends it, the deadline did.
        let remaining = out.deadline.remaining();
        if remaining.is_zero() {
            return Err(out.deadline.exceeded(out.operation, last));
        }
        let attempt_timeout = out.timeout.min(remaining);
        let past_deadline = |e: Error| match e {
            Error::Timeout { .. } if attempt_timeout < out.timeout => out.deadline.exceeded(out.operation, Some(e)),
            other => other,
        };
        let headers = headers_for_attempt()?;
        if let Some(value) = headers.get(http::header::AUTHORIZATION) {
            authorizations.push(String::from_utf8_lossy(value.as_bytes()).into_owned());
        }
        let mut request = http.request(out.method.clone(), out.url.clone()).headers(headers).timeout(attempt_timeout);
        if let Some(body) = &out.body {
            request = request.body(body.clone());
        }
        let retry_after: Option<Duration>;
        match request.send().await {
            Err(e) => {
                let error = past_deadline(transport_error(out.operation, out.timeout, e));
                tracing::debug!(attempt, error = %error, "attempt failed in transport");
                if !(error.is_retryable_for(out.idempotent) && attempt < max_attempts) {
                    return Err(error);
                }
                last = Some(error);
                retry_after = None;
            }
            Ok(mut response) => {
                let status = response.status().as_u16();
                // Kept as received in the response (scrubbed where it is shown: errors, metadata);
                // scrubbed here for the span and the log line, only when something records them.
                let request_id = header_text(response.headers(), "x-request-id");
                let scrubbed = |id: &str| Scrub::new(secret, &authorizations).text(id);
                span.record("status", status);
                if let Some(id) = request_id.as_deref().filter(|_| !span.is_disabled()) {
                    span.record("request_id", scrubbed(id).as_str());
                }
                if tracing::enabled!(tracing::Level::DEBUG) {
                    tracing::debug!(attempt, status, request_id = request_id.as_deref().map(scrubbed), "response");
                }
                let asked = crate::runtime::retry::retry_after(response.headers());
                let retry = is_retryable_status(status, out.idempotent, asked.is_some())
                    && attempt < max_attempts
                    && asked.is_none_or(|wait| out.retry.waits_for(wait));
                if retry {
                    let body_snippet = String::new();
                    let request_id = request_id.as_deref().map(scrubbed);
                    last = Some(Error::Http(HttpError {
                        operation: out.operation,
                        status,
                        body_snippet,
                        request_id,
                        retry_after: asked,
                    }));
                    retry_after = asked;
                } else {
                    let headers = std::mem::take(response.headers_mut());
                    match read_body(response, out.operation, out.timeout, out.max_body).await.map_err(past_deadline) {
                        Ok(body) => {
                            let attempts = attempt;
                            return Ok(Response { status, request_id, headers, body, authorizations, attempts });
                        }
                        // A response lost mid-body is a connection lost after the request was
                        // sent: an idempotent call is made again, as for any such loss, unless
                        // the response asked for a longer wait than the policy takes.
                        Err(error)
                            if error.is_retryable_for(out.idempotent)
                                && attempt < max_attempts
                                && asked.is_none_or(|wait| out.retry.waits_for(wait)) =>
                        {
                            tracing::debug!(attempt, error = %error, "the response's body was lost");
                            last = Some(error);
                            retry_after = asked;
                        }
                        Err(error) => return Err(error),
                    }
                }
            }
        }
        attempt += 1;
        let wait = out.retry.delay(attempt, retry_after);
        if wait >= out.deadline.remaining() {
            // A wait that would end past the deadline is not taken: fail now, not later.
            tracing::debug!(next_attempt = attempt, "not retrying: the wait would pass the deadline");
            return Err(out.deadline.exceeded(out.operation, last));
        }
        tracing::debug!(
            next_attempt = attempt,
            wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            "retrying"
        );
        tokio::time::sleep(wait).await;
    }
}

/// A failed attempt as an [`Error`]. Only a failure to connect (TCP or TLS) proves the request
/// never reached the server; any other transport failure, a timeout included, may have happened
/// after it was processed. Connecting is checked first: a connect timeout is both, and it is
/// the connect that matters (it makes the failure safe to retry).
///
/// The URL is dropped from the error: its query may hold a user's phone number or email, and
/// the operation already says which call failed.
fn transport_error(operation: &'static str, timeout: Duration, e: reqwest::Error) -> Error {
    let e = e.without_url();
    if e.is_connect() {
        Error::Transport { operation, connect: true, source: e }
    } else if e.is_timeout() {
        Error::Timeout { operation, timeout }
    } else {
        Error::Transport { operation, connect: false, source: e }
    }
}

/// The time allowed to connect (TCP and TLS): half the attempt's limit. Strictly less than the
/// attempt's limit, or the attempt's timer would fire first and a connection that could not be
/// made would look like a request the server is slow to respond to (not safe to repeat).
pub(crate) fn connect_timeout(attempt_timeout: Duration) -> Duration {
    attempt_timeout / 2
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// Why a body could not be read whole.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// It is (or says it is) larger than the limit.
    TooLarge { limit: usize },
    /// The connection failed or timed out while reading.
    Failed(reqwest::Error),
}

/// The whole body of `response`, refused as soon as it is known to pass `limit` bytes (its
/// `content-length`, or the bytes received): a broken proxy streaming forever, or a hostile
/// server, must not exhaust memory. One buffer, no copy.
pub(crate) async fn read_limited(mut response: reqwest::Response, limit: usize) -> Result<Bytes, ReadError> {
    let declared = response.content_length().and_then(|n| usize::try_from(n).ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(ReadError::TooLarge { limit });
    }
    let mut body = BytesMut::with_capacity(declared.unwrap_or(0));
    while let Some(chunk) = response.chunk().await.map_err(|e| ReadError::Failed(e.without_url()))? {
        if body.len() + chunk.len() > limit {
            return Err(ReadError::TooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

async fn read_body(
    response: reqwest::Response,
    operation: &'static str,
    timeout: Duration,
    limit: usize,
) -> Result<Bytes, Error> {
    match read_limited(response, limit).await {
        Ok(body) => Ok(body),
        Err(ReadError::TooLarge { limit }) => Err(Error::Decode(DecodeError {
            operation,
            expected: "a response body within the configured limit",
            reason: format!(
                "the body is larger than {limit} bytes (ConfigBuilder::max_response_bytes raises the limit)"
            ),
            body_snippet: String::new(),
            request_id: None,
        })),
        Err(ReadError::Failed(e)) if e.is_timeout() => Err(Error::Timeout { operation, timeout }),
        Err(ReadError::Failed(e)) => Err(Error::Transport { operation, connect: false, source: e }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn no_limit_is_a_deadline_far_away_not_a_panic() {
        let deadline = Deadline::start(Duration::MAX);
        assert!(deadline.remaining() > Duration::from_secs(365 * 24 * 3600));
        assert_eq!(deadline.total, Duration::MAX, "errors still say what was asked for");
    }
}
