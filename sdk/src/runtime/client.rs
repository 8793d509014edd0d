//! [`ManagementClient`]: configuration, one HTTP pool and the token cache behind an `Arc`, and
//! its authentication step of the call pipeline (`crate::runtime::pipeline`): the management
//! token or the AK/SK signature.

use std::fmt;
use std::sync::Arc;

use http::{HeaderMap, Method};
use serde_json::Value;
use tracing::Instrument as _;

use crate::runtime::auth::signature::{self, signed_data};
use crate::runtime::auth::token::{self, ManagementToken, TokenCache};
use crate::runtime::auth::token_fetch;
use crate::runtime::call_options::CallOptions;
use crate::runtime::config::{AuthScheme, Config};
use crate::runtime::envelope::{Checked, Response};
use crate::runtime::error::Error;
use crate::runtime::generated_api::ApiRequest;
use crate::runtime::pipeline::{Caller, Check, Pipeline, send_checked};
use crate::runtime::transport::{self, Deadline, Outgoing};
use crate::runtime::validation::{Rule, ValidationError, Violation};

/// A client of the Management API. Cheap to clone; clones share one connection pool and one
/// management token. `Send + Sync`, so one client can serve a whole application.
#[derive(Clone)]
pub struct ManagementClient {
    inner: Arc<Inner>,
}

struct Inner {
    pipeline: Pipeline,
    tokens: TokenCache,
}

impl fmt::Debug for ManagementClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The config's Debug redacts the secret; the token is deliberately not shown at all.
        f.debug_struct("ManagementClient").field("config", &self.inner.pipeline.config).finish_non_exhaustive()
    }
}

impl ManagementClient {
    /// A client for `config`.
    pub fn new(config: Config) -> Result<Self, Error> {
        Ok(Self::with_pipeline(Pipeline::own(config)?))
    }

    /// A client for `config` that sends through `http`, a `reqwest::Client` you built (to share
    /// its pool with the rest of your application, or for a proxy, custom root certificates,
    /// DNS...). The config's per-attempt timeout, deadline, retries, authentication and headers
    /// still apply to every call; the client's own settings replace the SDK's connection
    /// settings: [`ConfigBuilder::user_agent`](crate::ConfigBuilder::user_agent) and
    /// [`ConfigBuilder::danger_accept_invalid_certs`](crate::ConfigBuilder::danger_accept_invalid_certs)
    /// are not applied, and its connect timeout and redirect policy are yours. Keep redirects off
    /// (`reqwest::redirect::Policy::none()`), as the SDK's own client does, and a connect timeout
    /// below the config's timeout, so that a connection that cannot be made is retried.
    pub fn with_http_client(config: Config, http: reqwest::Client) -> Self {
        Self::with_pipeline(Pipeline::new(config, http))
    }

    fn with_pipeline(pipeline: Pipeline) -> Self {
        ManagementClient { inner: Arc::new(Inner { pipeline, tokens: TokenCache::default() }) }
    }

    /// A client configured from `GENAUTH_*` environment variables (see [`Config::from_env`]).
    pub fn from_env() -> Result<Self, Error> {
        Self::new(Config::from_env()?)
    }

    /// The client's configuration.
    pub fn config(&self) -> &Config {
        &self.inner.pipeline.config
    }

    pub(crate) fn pipeline(&self) -> &Pipeline {
        &self.inner.pipeline
    }

    /// Calls an operation this SDK has no method for (a newer or hidden one) and returns the
    /// whole response envelope as JSON, after the same authentication, retries and `statusCode`
    /// check as generated methods. `path` is the operation's path (`/api/v3/list-apps`); for
    /// `GET`, `query` is signed and sent, for other methods `body` is. A `body` with `GET` or
    /// `HEAD` is refused with [`Error::Validation`] (rule
    /// [`Rule::BodyNotAllowed`](crate::Rule::BodyNotAllowed)) and nothing is sent. Retries follow the method
    /// (see [`RetryPolicy`](crate::RetryPolicy)): a `GET`, `PUT` or `DELETE` is treated as
    /// idempotent, a `POST` is not.
    pub async fn raw_request(
        &self,
        method: Method,
        path: &str,
        query: Vec<(&'static str, Value)>,
        body: Option<Value>,
    ) -> Result<Value, Error> {
        if body.is_some() && (method == Method::GET || method == Method::HEAD) {
            // The signature of a GET covers its query only, and servers may drop a GET's body:
            // sending it would be unsigned at best and ignored at worst.
            return Err(Error::Validation(ValidationError {
                operation: "raw_request",
                violations: vec![Violation {
                    field: "body".to_owned(),
                    rule: Rule::BodyNotAllowed,
                    message: format!(
                        "is not allowed on {method}: pass the parameters in `query`, which is signed and sent"
                    ),
                }],
            }));
        }
        let path = if path.starts_with('/') { path.to_owned() } else { format!("/{path}") };
        let request = ApiRequest { query, body, ..ApiRequest::new("raw_request", method, path) };
        Caller::Management(self.clone())
            .execute(request, &CallOptions::default(), std::any::type_name::<Value>())
            .await
            .map(|(value, _)| value)
    }

    /// This client's authentication step of the pipeline: each attempt signed, or sent with the
    /// management token (a token the server rejects is fetched again, once).
    pub(crate) async fn send_authenticated(
        &self,
        request: &ApiRequest,
        out: &Outgoing<'_>,
        headers: HeaderMap,
        check: Check<'_>,
    ) -> Result<(Response, Checked), Error> {
        let config = self.config();
        match config.auth {
            AuthScheme::Signature => {
                let signed = signed_data(request);
                send_checked(
                    self.pipeline(),
                    out,
                    || signature::headers(config, request, headers.clone(), &signed),
                    check,
                )
                .await
            }
            // `AuthScheme` is non-exhaustive only for users; every scheme is handled here.
            AuthScheme::ManagementToken => {
                // What the rejected first try sent and cost, when the token is fetched again:
                // its `authorization` is scrubbed from the final response's errors too, and its
                // attempts count.
                let mut rejected: Option<(Vec<String>, u32)> = None;
                let http = self.pipeline().http_for(out.timeout)?;
                loop {
                    let token = self.token(request.operation, out.deadline).await?;
                    let mut raw = transport::send(&http, &config.access_key_secret, out, || {
                        token.headers(config.brand, headers.clone())
                    })
                    .await?;
                    if let Some((authorizations, attempts)) = rejected.take() {
                        raw.authorizations.splice(0..0, authorizations);
                        raw.attempts += attempts;
                        rejected = Some((Vec::new(), 0));
                    }
                    match check(&raw) {
                        // A token the server rejects (revoked, or the pool's keys rotated) is
                        // dropped and fetched again, once: a second 401 is a real error.
                        Err(e) if rejected.is_none() && token::is_rejection(&e) => {
                            tracing::debug!("management token rejected; fetching a new one");
                            self.inner.tokens.invalidate(&token);
                            rejected = Some((raw.authorizations, raw.attempts));
                        }
                        other => return other.map(|checked| (raw, checked)),
                    }
                }
            }
        }
    }

    /// The cached management token (fetched if needed), for the event service's upgrade request.
    #[cfg(feature = "subscribe")]
    pub(crate) async fn management_token(&self) -> Result<Arc<ManagementToken>, Error> {
        let deadline = Deadline::start(self.config().deadline);
        self.token("subscribe", deadline).await
    }

    /// The cached management token, or a fresh one, within `deadline`: waiting for the fetch is
    /// bounded by it. The fetch itself runs on its own task (spawned on the runtime of the call
    /// that starts it) within the config's deadline, so that no caller's cancellation or
    /// shorter deadline ends it for the others. A cached token is returned without arming a timer
    /// (the timeout's timer starts only if the token is not ready).
    async fn token(&self, operation: &'static str, deadline: Deadline) -> Result<Arc<ManagementToken>, Error> {
        let client = self.clone();
        // Its span stays a child of the call that started it.
        let parent = tracing::Span::current();
        let fetch = || {
            async move { token_fetch::fetch(client.pipeline(), Deadline::start(client.config().deadline)).await }
                .instrument(parent)
        };
        tokio::time::timeout_at(deadline.at, self.inner.tokens.get(fetch))
            .await
            .unwrap_or_else(|_| Err(deadline.exceeded(operation, None)))
    }

    /// Drops `token` after a server rejected it, so the next call fetches a new one.
    #[cfg(feature = "subscribe")]
    pub(crate) fn invalidate_token(&self, token: &Arc<ManagementToken>) {
        self.inner.tokens.invalidate(token);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_is_clone_send_sync_and_redacts() {
        fn assert_traits<T: Clone + Send + Sync + 'static>() {}
        assert_traits::<ManagementClient>();
        let config = Config::builder().access_key_id("ak").access_key_secret("secret-xyz-123").build().unwrap();
        let client = ManagementClient::new(config).unwrap();
        let dbg = format!("{client:?}");
        assert!(!dbg.contains("secret-xyz-123") && dbg.contains("[REDACTED]"), "{dbg}");
    }
}
