//! The crate's one error type. Every variant says where the call stopped: before sending
//! (validation, configuration), at the transport (timeout, connection), at HTTP level, in the
//! API's envelope, or while decoding. None of them ever holds the secret or a token.

use std::fmt;
use std::time::Duration;

use crate::runtime::validation::ValidationError;

/// Everything that can go wrong in a call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The inputs break a constraint of the spec; nothing was sent.
    #[error(transparent)]
    Validation(ValidationError),
    /// The configuration is incomplete or malformed; nothing was sent.
    #[error(transparent)]
    Config(ConfigError),
    /// The API responded with an envelope whose `statusCode` is not 200: a business error.
    #[error(transparent)]
    Api(ApiError),
    /// The server responded with a non-2xx HTTP status.
    #[error(transparent)]
    Http(HttpError),
    /// An attempt took longer than the configured timeout.
    #[error("`{operation}` timed out after {timeout:?}")]
    Timeout {
        /// The operation.
        operation: &'static str,
        /// The configured time limit of one attempt.
        timeout: Duration,
    },
    /// The call's deadline ([`ConfigBuilder::deadline`](crate::ConfigBuilder::deadline)) passed,
    /// or the next attempt or wait would have ended past it. Not retryable: the time the caller
    /// allowed is spent.
    #[error(
        "`{operation}` did not finish within its deadline of {deadline:?}{}",
        match last { Some(e) => format!("; the last attempt failed: {e}"), None => String::new() }
    )]
    DeadlineExceeded {
        /// The operation.
        operation: &'static str,
        /// The configured time limit of the whole call.
        deadline: Duration,
        /// The failure of the last attempt, if one had failed before the deadline.
        #[source]
        last: Option<Box<Error>>,
    },
    /// The request could not be sent or the response not received (connection refused or reset,
    /// TLS failure...).
    #[error("`{operation}` failed in transport{}: {source}", if *.connect { " (could not connect)" } else { "" })]
    Transport {
        /// The operation.
        operation: &'static str,
        /// Whether the failure happened while connecting, that is before the request was sent.
        connect: bool,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// The response could not be decoded into the expected type.
    #[error(transparent)]
    Decode(DecodeError),
    /// No management token could be obtained.
    #[error(transparent)]
    Auth(AuthError),
    /// An event subscription ended: the event service refused the WebSocket upgrade, or the
    /// connection kept failing until the reconnect budget was spent.
    #[error(transparent)]
    Subscribe(SubscribeError),
    /// A request part could not be serialised.
    #[error("could not serialise the request: {0}")]
    Serialize(String),
    /// A paginator's page held the same items as the page before it: the API ignored the page
    /// number, and walking on would repeat items (forever, where the response states no total).
    #[error("`{request}`: page {page} repeats the page before it (the API ignored the page number); the walk stopped")]
    PageRepeated {
        /// The paged request's type, such as `ListUsersRequest`.
        request: &'static str,
        /// The page number that came back with the previous page's items.
        page: i64,
    },
    /// An OAuth 2.0 endpoint (token, introspection, revocation, userinfo) refused the request.
    #[cfg(feature = "oidc")]
    #[error(transparent)]
    OAuth(crate::oidc::OAuthError),
    /// The redirect back from a login does not complete it (another login's state, a refused
    /// login, no code).
    #[cfg(feature = "oidc")]
    #[error(transparent)]
    Login(crate::oidc::LoginError),
    /// A token was refused by the verifier (the check that refused it is named).
    #[cfg(feature = "oidc")]
    #[error(transparent)]
    Verify(crate::oidc::VerifyError),
}

impl Error {
    pub(crate) fn serialize(e: serde_json::Error) -> Self {
        Error::Serialize(e.to_string())
    }

    /// The server's request id, when the response carried one (quote it to support).
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::Http(e) => e.request_id.as_deref(),
            Error::Decode(e) => e.request_id.as_deref(),
            Error::Auth(e) => e.request_id.as_deref(),
            Error::DeadlineExceeded { last: Some(e), .. } => e.request_id(),
            _ => None,
        }
    }

    /// Whether the same call may be made again, as a call that is *not* idempotent (a `POST`,
    /// such as `resign-user`) may: only failures that provably did not reach the application
    /// count, i.e. a connection that could not be made, HTTP 429, HTTP 503 with `Retry-After`
    /// (the service itself turned the request away), and a token that could not be obtained for
    /// such a reason (the call itself was then never sent). This is
    /// exactly the rule the client applies to its own retries of non-idempotent calls.
    /// Business errors, bad input and an exceeded deadline are never retryable.
    pub fn is_retryable(&self) -> bool {
        self.is_retryable_for(false)
    }

    /// Whether the same call may be made again when it is idempotent (`GET`, `PUT`, `DELETE`,
    /// or an operation the spec marks so): everything [`Error::is_retryable`] allows, plus
    /// HTTP 502, 504 and any 503, timeouts and transport failures after the request was sent
    /// (the response's body included), which may have happened after the API acted. The rule the client applies to idempotent calls.
    pub fn is_retryable_if_idempotent(&self) -> bool {
        self.is_retryable_for(true)
    }

    /// The one retry rule, shared by the transport's attempt loop and the methods above.
    pub(crate) fn is_retryable_for(&self, idempotent: bool) -> bool {
        match self {
            Error::Http(e) => crate::runtime::retry::is_retryable_status(e.status, idempotent, e.retry_after.is_some()),
            Error::Timeout { .. } => idempotent,
            Error::Transport { connect, .. } => *connect || idempotent,
            Error::Auth(e) => e.retryable,
            Error::Subscribe(e) => e.kind == SubscribeErrorKind::RetriesExhausted,
            Error::DeadlineExceeded { .. }
            | Error::Validation(_)
            | Error::Config(_)
            | Error::Api(_)
            | Error::Decode(_)
            | Error::Serialize(_)
            | Error::PageRepeated { .. } => false,
            // The token endpoint's refusals and a login's are final; only a server error is
            // worth another try.
            #[cfg(feature = "oidc")]
            Error::OAuth(e) => crate::runtime::retry::is_retryable_status(e.status, false, false),
            #[cfg(feature = "oidc")]
            Error::Login(_) => false,
            #[cfg(feature = "oidc")]
            Error::Verify(e) => e.check() == crate::oidc::VerifyCheck::KeySet,
        }
    }
}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Self {
        Error::Config(e)
    }
}

/// A configuration problem, naming the environment variable when it came from one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfigError {
    variable: Option<&'static str>,
    message: String,
}

impl ConfigError {
    pub(crate) fn new(variable: Option<&'static str>, message: impl Into<String>) -> Self {
        ConfigError { variable, message: message.into() }
    }

    /// The environment variable at fault, for [`Config::from_env`](crate::Config::from_env).
    pub fn variable(&self) -> Option<&'static str> {
        self.variable
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.variable {
            Some(var) => write!(f, "invalid configuration: environment variable {var} {}", self.message),
            None => write!(f, "invalid configuration: {}", self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// A business error: the envelope's `statusCode` is not 200.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The operation.
    pub operation: &'static str,
    /// The envelope's `statusCode` (400, 401, 403, 500...).
    pub status_code: i64,
    /// The envelope's fine-grained `apiCode`, if present.
    pub api_code: Option<i64>,
    /// The envelope's `message`.
    pub message: String,
    /// The envelope's `requestId`, if present.
    pub request_id: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` failed: {} (statusCode {}", self.operation, self.message, self.status_code)?;
        if let Some(code) = self.api_code {
            write!(f, ", apiCode {code}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, ", requestId {id}")?;
        }
        f.write_str(")")
    }
}

impl std::error::Error for ApiError {}

/// A non-2xx HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpError {
    /// The operation.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// The start of the body (at most a few hundred characters).
    pub body_snippet: String,
    /// The request id, from the `x-request-id` header or the body.
    pub request_id: Option<String>,
    /// The wait the response's `Retry-After` header asked for, if it had one.
    pub retry_after: Option<Duration>,
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` got HTTP {}", self.operation, self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, " (requestId {id})")?;
        }
        if let Some(wait) = self.retry_after {
            write!(f, " (asked to retry after {} s)", wait.as_secs())?;
        }
        if !self.body_snippet.is_empty() {
            write!(f, ": {}", self.body_snippet)?;
        }
        Ok(())
    }
}

impl std::error::Error for HttpError {}

/// A response that is not what the operation returns.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeError {
    /// The operation.
    pub operation: &'static str,
    /// The Rust type that was expected.
    pub expected: &'static str,
    /// Why decoding failed (with the JSON path when known).
    pub reason: String,
    /// The start of the body (at most a few hundred characters).
    pub body_snippet: String,
    /// The request id, when one was found.
    pub request_id: Option<String>,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}`: could not decode the response as {}: {}; body starts with: {:?}",
            self.operation, self.expected, self.reason, self.body_snippet
        )
    }
}

impl std::error::Error for DecodeError {}

/// No management token could be obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AuthError {
    /// What went wrong.
    pub message: String,
    /// The token endpoint's envelope `statusCode` (or HTTP status), if it responded.
    pub status_code: Option<i64>,
    /// The token endpoint's `apiCode`, if any.
    pub api_code: Option<i64>,
    /// The token endpoint's request id, if any.
    pub request_id: Option<String>,
    pub(crate) retryable: bool,
}

impl AuthError {
    /// Wraps the failure of the token request.
    pub(crate) fn from_fetch(e: &Error) -> Self {
        let (status_code, api_code) = match e {
            Error::Api(a) => (Some(a.status_code), a.api_code),
            Error::Http(h) => (Some(i64::from(h.status)), None),
            _ => (None, None),
        };
        AuthError {
            message: e.to_string(),
            status_code,
            api_code,
            request_id: e.request_id().map(str::to_owned),
            // The token request is repeatable, and the call waiting for it was never sent. The
            // fetch runs on its own deadline: running out of it says the endpoint was slow, not
            // that the credentials are wrong.
            retryable: e.is_retryable_for(true) || matches!(e, Error::DeadlineExceeded { .. }),
        }
    }

    /// A fetch that failed for a reason of the runtime's own (worth another try).
    pub(crate) fn from_message(message: &str) -> Self {
        AuthError { message: message.to_owned(), status_code: None, api_code: None, request_id: None, retryable: true }
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not get a management token: {}", self.message)
    }
}

impl std::error::Error for AuthError {}

/// Why an event subscription ended with an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SubscribeErrorKind {
    /// The event service responded the upgrade request with a final refusal (a 4xx status other
    /// than 408 and 429: a bad signature or token, an unknown event code...), or closed the
    /// connection with code 1008 (policy violation) or 4000-4999. Not retried.
    Refused,
    /// Every connection attempt the reconnect policy allows failed.
    RetriesExhausted,
}

/// An event subscription ended with an error (see [`SubscribeErrorKind`]). Never holds the
/// secret or a token.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SubscribeError {
    /// Why the subscription ended.
    pub kind: SubscribeErrorKind,
    /// The event code subscribed to.
    pub event_code: String,
    /// The HTTP status of the last refused upgrade, if the server responded with one.
    pub status: Option<u16>,
    /// The WebSocket close code of the last connection, when the server closed it with a close
    /// frame (1008 and 4000-4999 are refusals; 1005 stands for a frame without a code).
    pub close_code: Option<u16>,
    /// Connection attempts made in a row without success, the last included.
    pub attempts: u32,
    /// What went wrong on the last attempt (for a refusal, the start of the server's response).
    pub message: String,
}

impl fmt::Display for SubscribeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "subscription to event `{}` ", self.event_code)?;
        match self.kind {
            SubscribeErrorKind::Refused => f.write_str("refused by the event service")?,
            SubscribeErrorKind::RetriesExhausted => write!(f, "gave up after {} failed attempts", self.attempts)?,
        }
        if let Some(status) = self.status {
            write!(f, " (HTTP {status})")?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for SubscribeError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_error_reads_well_and_is_not_retryable() {
        let e = Error::Api(ApiError {
            operation: "kick_users",
            status_code: 400,
            api_code: Some(2004),
            message: "bad appIds".into(),
            request_id: Some("r-1".into()),
        });
        assert_eq!(e.to_string(), "`kick_users` failed: bad appIds (statusCode 400, apiCode 2004, requestId r-1)");
        assert_eq!(e.request_id(), Some("r-1"));
        assert!(!e.is_retryable());
        let http_error = |status| HttpError {
            operation: "x",
            status,
            body_snippet: String::new(),
            request_id: None,
            retry_after: None,
        };
        let http = |status| Error::Http(http_error(status));
        assert!(http(429).is_retryable() && http(429).is_retryable_if_idempotent());
        let asked = Error::Http(HttpError { retry_after: Some(Duration::from_secs(1)), ..http_error(503) });
        assert!(asked.is_retryable(), "a 503 with Retry-After comes from the service itself");
        for status in [502, 503, 504] {
            assert!(!http(status).is_retryable() && http(status).is_retryable_if_idempotent(), "{status}");
        }
        for status in [400, 401, 500] {
            assert!(!http(status).is_retryable_if_idempotent(), "{status}");
        }
        let timeout = Error::Timeout { operation: "x", timeout: Duration::from_secs(1) };
        assert!(!timeout.is_retryable() && timeout.is_retryable_if_idempotent());
        assert!(std::mem::size_of::<Error>() <= 128, "{}", std::mem::size_of::<Error>());
    }
}
