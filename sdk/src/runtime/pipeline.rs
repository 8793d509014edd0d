//! The one call pipeline both clients send through: URL and body serialised once, the headers
//! every call sends, attempts and retries within one deadline, the envelope check, decoding,
//! tracing and secret scrubbing. Only authentication differs between the clients, and it is the
//! one step a client supplies ([`Caller`]): the management schemes (token or signature) or the
//! application's id with the end user's token.

use std::time::Duration;

use bytes::Bytes;
use http::HeaderMap;
use serde::de::DeserializeOwned;
use tracing::Instrument as _;
use tracing::field::Empty;

use crate::runtime::authentication::AuthenticationClient;
use crate::runtime::call_options::CallOptions;
use crate::runtime::client::ManagementClient;
use crate::runtime::config::{Config, DEADLINE_MULTIPLE};
use crate::runtime::encoding::{build_url, form_body};
use crate::runtime::envelope::{self, Checked, Response};
use crate::runtime::error::Error;
use crate::runtime::generated_api::ApiRequest;
use crate::runtime::headers;
use crate::runtime::transport::{self, Deadline, Outgoing};

/// What a client's calls share: its configuration, its connection pool and the headers every
/// call sends (built once).
pub(crate) struct Pipeline {
    pub config: Config,
    pub http: reqwest::Client,
    pub base_headers: HeaderMap,
    /// Whether `http` is the SDK's own (built from the config), not one the user supplied.
    own_http: bool,
    /// The SDK's clients for calls whose timeout is shorter than the config's, by connect timeout
    /// (see [`Pipeline::http_for`]).
    shorter: std::sync::Mutex<Vec<(Duration, reqwest::Client)>>,
}

/// At most this many extra clients for per-call timeouts (the oldest goes when one more is
/// needed). Connect timeouts are rounded down to a power of two milliseconds, so a handful of
/// clients serves any mix of timeouts.
const SHORTER_CLIENTS: usize = 8;

impl Pipeline {
    /// A pipeline sending through `http`, a client the user supplied.
    pub(crate) fn new(config: Config, http: reqwest::Client) -> Self {
        let base_headers = headers::base(&config);
        Pipeline { config, http, base_headers, own_http: false, shorter: Default::default() }
    }

    /// A pipeline with the SDK's own client, built from `config`.
    pub(crate) fn own(config: Config) -> Result<Self, Error> {
        let http = transport::build_http(&config, transport::connect_timeout(config.timeout))?;
        Ok(Pipeline { own_http: true, ..Pipeline::new(config, http) })
    }

    /// The client for an attempt of `timeout`. Connecting may take half an attempt (so that a
    /// connection that cannot be made is told apart from a slow response: only the former is
    /// always safe to repeat), but `reqwest` sets the connect timeout per client: a call with a
    /// shorter timeout than the config's goes through a client with a shorter connect timeout
    /// (at most half the attempt, rounded down to a power of two milliseconds, and kept for the
    /// next such call). With a client the user supplied, its connect timeout is theirs.
    pub(crate) fn http_for(&self, timeout: Duration) -> Result<reqwest::Client, Error> {
        let half = transport::connect_timeout(timeout);
        if !self.own_http || half >= transport::connect_timeout(self.config.timeout) {
            return Ok(self.http.clone());
        }
        let millis = u64::try_from(half.as_millis()).unwrap_or(u64::MAX).max(1);
        let connect = Duration::from_millis(1 << millis.ilog2());
        let lock = || self.shorter.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, http)) = lock().iter().find(|(c, _)| *c == connect) {
            return Ok(http.clone());
        }
        // Built outside the lock: building loads the root certificates, and other calls must
        // not wait on it.
        let http = transport::build_http(&self.config, connect)?;
        let mut shorter = lock();
        if shorter.len() == SHORTER_CLIENTS {
            shorter.remove(0);
        }
        shorter.push((connect, http.clone()));
        Ok(http)
    }
}

/// The client a request is sent with: it supplies the pipeline and the authentication.
#[derive(Debug, Clone)]
pub(crate) enum Caller {
    Management(ManagementClient),
    Authentication(AuthenticationClient),
}

/// What an attempt's response is checked with (the envelope rules), for the clients'
/// authentication steps, which may look at a rejection before it becomes the call's error.
pub(crate) type Check<'a> = &'a (dyn Fn(&Response) -> Result<Checked, Error> + Sync);

impl Caller {
    pub(crate) fn pipeline(&self) -> &Pipeline {
        match self {
            Caller::Management(client) => client.pipeline(),
            Caller::Authentication(client) => client.pipeline(),
        }
    }

    /// Sends one operation's request with the call's `options` and decodes the success
    /// response; the response as received comes back too (its body read, its request id the
    /// header's or else the envelope's), for the call's metadata. Only the final decoding is
    /// generic: the call itself (auth, attempts, retries, the envelope check) is
    /// [`Caller::call`], compiled once rather than once per operation's response type.
    /// `expected` names `T` in decode errors.
    pub(crate) async fn execute<T: DeserializeOwned>(
        &self,
        request: ApiRequest,
        options: &CallOptions,
        expected: &'static str,
    ) -> Result<(T, Response), Error> {
        let operation = request.operation;
        let (mut response, checked, span) = self.call(request, options, expected).await?;
        let _entered = span.enter();
        let secret = &self.pipeline().config.access_key_secret;
        if response.request_id.is_none() {
            response.request_id = checked.request_id().map(str::to_owned);
        }
        let result = envelope::decode_checked(operation, &response, secret, checked);
        match &result {
            Ok(_) => tracing::debug!("call succeeded"),
            Err(e) => tracing::warn!(error = %e, request_id = e.request_id(), "call failed"),
        }
        // Decoded: the metadata needs the rest, not the bytes.
        response.body = Bytes::new();
        result.map(|value| (value, response))
    }

    /// Sends one operation's request, within its deadline, and checks the response's envelope.
    /// `expected` names the type the response is for (decode errors say it). The call's span
    /// comes back with the checked response, to be entered again while decoding, so that a
    /// decode failure is logged in it.
    async fn call(
        &self,
        request: ApiRequest,
        options: &CallOptions,
        expected: &'static str,
    ) -> Result<(Response, Checked, tracing::Span), Error> {
        let span = tracing::info_span!(
            "genauth.call",
            operation = request.operation,
            method = %request.method,
            path = %request.path,
            attempt = Empty,
            status = Empty,
            request_id = Empty,
        );
        let result = async {
            let config = &self.pipeline().config;
            options.check(config.brand)?;
            // A longer attempt timeout for this call brings its own deadline, unless one is set:
            // the config's deadline was sized for the config's timeout.
            let total = options
                .deadline
                .or(options.timeout.map(|t| t.saturating_mul(DEADLINE_MULTIPLE)))
                .unwrap_or(config.deadline);
            // Every wait of the call is bounded by it: each attempt's own timer is cut to the time
            // left (and covers the body), no retry wait passes it, and a wait for a token is cut
            // by it too. So no timer of its own is armed for the whole call: one timer per call
            // less, which counts at many concurrent calls.
            let deadline = Deadline::start(total);
            // Boxed: the call's state machine (token fetch, attempts, waits) is kilobytes, and
            // every generated `send()` future would otherwise embed it, as would any future of
            // the caller's that holds several calls.
            let result = Box::pin(self.call_inner(&request, options, expected, deadline)).await;
            if let Err(e) = &result {
                tracing::warn!(error = %e, request_id = e.request_id(), "call failed");
            }
            result
        }
        .instrument(span.clone())
        .await;
        result.map(|(response, checked)| (response, checked, span))
    }

    /// The request path, top to bottom: the URL and body, serialised once; the client's
    /// authentication, made per attempt; the attempts within the deadline; the envelope check.
    async fn call_inner(
        &self,
        request: &ApiRequest,
        options: &CallOptions,
        expected: &'static str,
        deadline: Deadline,
    ) -> Result<(Response, Checked), Error> {
        let pipeline = self.pipeline();
        let config = &pipeline.config;
        // The application client adds its credentials to a sign-in request's body, before the
        // bytes are made.
        let prepared;
        let request = match self {
            Caller::Authentication(client) if request.sign_in => {
                prepared = client.with_client_credentials(request)?;
                &prepared
            }
            _ => request,
        };
        let url = build_url(&config.host, &request.path, &request.query)?;
        // The bytes sent are serialised once from the same value a signature covers.
        let body = match &request.body {
            None => None,
            Some(form) if request.form => Some(Bytes::from(form_body(form))),
            Some(json) => Some(Bytes::from(serde_json::to_vec(json).map_err(Error::serialize)?)),
        };
        let out = Outgoing {
            operation: request.operation,
            method: &request.method,
            url: &url,
            body,
            idempotent: request.is_idempotent(),
            deadline,
            timeout: options.timeout.unwrap_or(config.timeout),
            retry: options.retry.as_ref().unwrap_or(&config.retry),
            max_body: config.max_response_bytes,
        };
        let secret = &config.access_key_secret;
        let check = |raw: &Response| envelope::check(request.operation, expected, raw, secret, request.envelope);
        let headers = headers::for_call(&pipeline.base_headers, config.brand, &request.headers, options, request.form)?;
        match self {
            Caller::Management(client) => client.send_authenticated(request, &out, headers, &check).await,
            Caller::Authentication(client) => client.send_authenticated(request, &out, headers, &check).await,
        }
    }
}

/// Sends `out` with `headers` made per attempt, then checks the response: the common tail of the
/// clients' authentication steps.
pub(crate) async fn send_checked(
    pipeline: &Pipeline,
    out: &Outgoing<'_>,
    headers_for_attempt: impl FnMut() -> Result<HeaderMap, Error>,
    check: Check<'_>,
) -> Result<(Response, Checked), Error> {
    let http = pipeline.http_for(out.timeout)?;
    let raw = transport::send(&http, &pipeline.config.access_key_secret, out, headers_for_attempt).await?;
    let checked = check(&raw)?;
    Ok((raw, checked))
}
