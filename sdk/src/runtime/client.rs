//! [`ManagementClient`]: configuration, one HTTP pool and the token cache behind an `Arc`, and
//! its authentication step of the call pipeline (`crate::runtime::pipeline`): the management
//! token or the AK/SK signature.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{AUTHORIZATION, DATE};
use http::{HeaderMap, HeaderValue, Method};
use serde::Deserialize;
use serde_json::Value;
use tracing::Instrument as _;
use tracing::field::Empty;

use crate::runtime::auth::canonical::string_to_sign;
use crate::runtime::auth::jwt;
use crate::runtime::auth::signature;
use crate::runtime::auth::token::{ManagementToken, TokenCache};
use crate::runtime::call::CallOptions;
use crate::runtime::config::{AuthScheme, Config};
use crate::runtime::encoding::{build_url, signed_data};
use crate::runtime::envelope::{self, Checked, RawResponse};
use crate::runtime::error::{AuthError, Error};
use crate::runtime::headers::{self, Names};
use crate::runtime::pipeline::{Caller, Check, Pipeline, send_checked};
use crate::runtime::secret::{Scrub, Secret};
use crate::runtime::support::ApiRequest;
use crate::runtime::transport::{self, Deadline, Outgoing};
use crate::runtime::validation::{Rule, ValidationError, Violation};

/// The value of the `x-…-sdk-version` header.
pub(crate) const SDK_VERSION: &str = concat!("genauth-rust-sdk:", env!("CARGO_PKG_VERSION"));

const TOKEN_PATH: &str = "/api/v3/get-management-token";
/// The token lifetime the API documents, used when an answer does not say.
const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(7200);

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
    /// whole answer envelope as JSON, after the same authentication, retries and `statusCode`
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
        Caller::Management(self.clone()).execute(request, &CallOptions::default()).await.map(|(value, _)| value)
    }

    /// This client's authentication step of the pipeline: each attempt signed, or sent with the
    /// management token (a token the server rejects is fetched again, once).
    pub(crate) async fn send_authenticated(
        &self,
        request: &ApiRequest,
        out: &Outgoing<'_>,
        headers: HeaderMap,
        check: Check<'_>,
    ) -> Result<(RawResponse, Checked), Error> {
        let config = self.config();
        match config.auth {
            AuthScheme::Signature => {
                let signed = signed_data(request);
                send_checked(self.pipeline(), out, || self.signature_headers(request, headers.clone(), &signed), check)
                    .await
            }
            // `AuthScheme` is non-exhaustive only for users; every scheme is handled here.
            AuthScheme::ManagementToken => {
                // What the rejected first try sent and cost, when the token is fetched again:
                // its `authorization` is scrubbed from the final answer's errors too, and its
                // attempts count.
                let mut rejected: Option<(Vec<String>, u32)> = None;
                let http = self.pipeline().http_for(out.timeout)?;
                loop {
                    let token = self.token(request.operation, out.deadline).await?;
                    let mut raw = transport::send(&http, &config.access_key_secret, out, || {
                        token_headers(config, headers.clone(), &token)
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
                        Err(e) if rejected.is_none() && is_token_rejection(&e) => {
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
        let fetch =
            || async move { client.fetch_token(Deadline::start(client.config().deadline)).await }.instrument(parent);
        tokio::time::timeout_at(deadline.at, self.inner.tokens.get(fetch))
            .await
            .unwrap_or_else(|_| Err(deadline.exceeded(operation, None)))
    }

    /// Drops `token` after a server rejected it, so the next call fetches a new one.
    #[cfg(feature = "subscribe")]
    pub(crate) fn invalidate_token(&self, token: &Arc<ManagementToken>) {
        self.inner.tokens.invalidate(token);
    }

    /// `headers` plus the signature's: a fresh date and nonce, signed with the secret.
    fn signature_headers(
        &self,
        request: &ApiRequest,
        mut headers: HeaderMap,
        signed: &[(String, String)],
    ) -> Result<HeaderMap, Error> {
        let config = self.config();
        let names = Names::of(config.brand);
        headers.insert(DATE, headers::value("the date", &signature::date_now())?);
        headers.insert(names.signature_method.clone(), HeaderValue::from_static("HMAC-SHA1"));
        headers.insert(names.signature_version.clone(), HeaderValue::from_static("1.0"));
        headers.insert(names.signature_nonce.clone(), headers::value("the nonce", &signature::nonce())?);
        let prefix = config.brand.header_prefix();
        let to_sign =
            string_to_sign(request.method.as_str(), &headers::as_text(&headers), prefix, &request.path, signed);
        let sig = signature::sign(config.access_key_secret.expose(), &to_sign);
        let auth = signature::authorization(config.brand.signature_word(), &config.access_key_id, &sig);
        headers.insert(AUTHORIZATION, headers::sensitive(&auth)?);
        Ok(headers)
    }

    /// `POST /api/v3/get-management-token` with the access key; runs as the token cache's single
    /// flight, on its own task.
    async fn fetch_token(&self, deadline: Deadline) -> Result<ManagementToken, Error> {
        const OPERATION: &str = "get_management_token";
        let config = self.config();
        let span = tracing::info_span!(
            "genauth.token",
            operation = OPERATION,
            attempt = Empty,
            status = Empty,
            request_id = Empty
        );
        async {
            let url = build_url(&config.host, TOKEN_PATH, &[])?;
            let body = serde_json::json!({
                "accessKeyId": config.access_key_id,
                "accessKeySecret": config.access_key_secret.expose(),
            });
            let body = serde_json::to_vec(&body).map_err(Error::serialize)?;
            let out = Outgoing {
                operation: OPERATION,
                method: &Method::POST,
                url: &url,
                body: Some(Bytes::from(body)),
                // A `POST`, but repeating it only issues another token: safe to retry.
                idempotent: true,
                deadline,
                timeout: config.timeout,
                retry: &config.retry,
                max_body: config.max_response_bytes,
            };
            // Shared by every caller waiting for it, so made with the config's settings only.
            let headers = &self.inner.pipeline.base_headers;
            let raw =
                transport::send(&self.inner.pipeline.http, &config.access_key_secret, &out, || Ok(headers.clone()))
                    .await?;
            // The token's life is counted on our monotonic clock from the moment the answer
            // arrived, never against our wall clock (which may be off from the server's).
            let arrived = Instant::now();

            #[derive(Deserialize)]
            struct TokenEnvelope {
                // Read loosely and checked by hand: serde's messages quote the values they
                // reject, and this value is a token.
                data: Option<Value>,
            }
            let envelope: TokenEnvelope =
                envelope::decode(OPERATION, &raw, &config.access_key_secret, true).map_err(|e| match e {
                    Error::Decode(mut d) => {
                        d.body_snippet = "[withheld: the answer may hold a token]".to_owned();
                        Error::Decode(d)
                    }
                    other => other,
                })?;
            let fail = |message: &str| {
                Error::Auth(AuthError {
                    message: message.to_owned(),
                    status_code: None,
                    api_code: None,
                    request_id: raw
                        .request_id
                        .as_deref()
                        .map(|id| Scrub::new(&config.access_key_secret, &raw.authorizations).text(id)),
                    retryable: false,
                })
            };
            let data = envelope.data.unwrap_or(Value::Null);
            let access_token = data
                .get("access_token")
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty())
                .ok_or_else(|| fail("the answer has no `data.access_token`"))?;
            let claims = jwt::decode_claims(access_token).map_err(|m| fail(&m))?;
            let userpool_id = claims
                .scoped_userpool_id
                .filter(|id| !id.is_empty() && !id.chars().any(char::is_control))
                .ok_or_else(|| fail("the token has no usable `scoped_userpool_id` claim"))?;
            let lifetime = token_lifetime(data.get("expires_in"), claims.exp, claims.iat);
            tracing::debug!(lifetime_s = lifetime.as_secs(), "management token obtained");
            Ok(ManagementToken::new(Secret::new(access_token), userpool_id, arrived, lifetime))
        }
        .instrument(span)
        .await
    }
}

/// `headers` plus the management token's: `Bearer` and the token's user pool.
fn token_headers(config: &Config, mut headers: HeaderMap, token: &ManagementToken) -> Result<HeaderMap, Error> {
    headers.insert(Names::of(config.brand).userpool.clone(), headers::value("the user pool id", &token.userpool_id)?);
    headers.insert(AUTHORIZATION, headers::sensitive(&format!("Bearer {}", token.value.expose()))?);
    Ok(headers)
}

/// How long a token lives, as the server counts it: `expires_in` (relative, seconds), else the
/// JWT's `exp - iat`, else the documented 7200 s. Never `exp` minus our clock: a machine whose
/// clock runs ahead would think every token already expired and fetch one for every call.
fn token_lifetime(expires_in: Option<&Value>, exp: Option<f64>, iat: Option<f64>) -> Duration {
    let seconds = |s: f64| (s.is_finite() && s >= 0.0).then(|| Duration::from_secs_f64(s.min(1e9)));
    expires_in
        .and_then(|v| v.as_f64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok())))
        .and_then(seconds)
        .or_else(|| seconds(exp? - iat?))
        .unwrap_or(DEFAULT_TOKEN_LIFETIME)
}

fn is_token_rejection(e: &Error) -> bool {
    match e {
        Error::Api(a) => a.status_code == 401,
        Error::Http(h) => h.status == 401,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn token_lifetime_is_relative_and_ignores_the_local_clock() {
        assert_eq!(token_lifetime(None, None, None), DEFAULT_TOKEN_LIFETIME);
        assert_eq!(token_lifetime(Some(&json!(60)), None, None), Duration::from_secs(60));
        assert_eq!(token_lifetime(Some(&json!("90")), None, None), Duration::from_secs(90));
        // `exp` long past on our clock does not matter: `expires_in` is relative.
        assert_eq!(token_lifetime(Some(&json!(1800)), Some(10.0), Some(0.0)), Duration::from_secs(1800));
        // Without `expires_in`, the JWT's own span.
        assert_eq!(token_lifetime(None, Some(1_000_600.0), Some(1_000_000.0)), Duration::from_secs(600));
        assert_eq!(token_lifetime(Some(&json!(-5)), Some(1_000_030.0), Some(1_000_000.0)), Duration::from_secs(30));
        assert_eq!(token_lifetime(None, Some(5.0), Some(10.0)), DEFAULT_TOKEN_LIFETIME);
        assert_eq!(token_lifetime(None, Some(5.0), None), DEFAULT_TOKEN_LIFETIME);
    }

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
