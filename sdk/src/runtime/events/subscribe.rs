//! [`ManagementClient::subscribe`]: the event service's WebSocket as a [`Stream`] of events.
//!
//! What the official SDKs do (Node `ManagementClient.sub`, Go `SubEvent`), and this module too:
//! a WebSocket to `{events host}/events/v1/management/sub?code={event code}`; every text
//! message is one event's payload; on error or close the connection is opened again (Node: every
//! 2 s, at most `retryTimes`, default 5). The upgrade request is authenticated like an API call:
//!
//! * [`AuthScheme::Signature`]: `authorization: {brand word} {access key id}:{signature}`, the
//!   signature being HMAC-SHA1 over the string-to-sign of method `websocket` with no signed
//!   headers and an empty resource, i.e. over `websocket\n` (both Node SDKs and the Go SDK).
//! * [`AuthScheme::ManagementToken`]: `authorization: Bearer {token}` and the
//!   `{prefix}userpool-id` header, as every token-authenticated API call sends them.
//!
//! [`AuthenticationClient::subscribe`], for an end user, opens
//! `{events host}/events/v1/authentication/sub?code={event code}&token={user's access token}`:
//! the service wants the user's token in the query string (every official SDK sends it so), so
//! the URL with the token is built only for the connection attempt and the token is scrubbed
//! from every error and log line.
//!
//! The subscription's work runs in a Tokio task that owns the connection and hands events over a
//! small bounded channel; dropping the [`Subscription`] closes the channel, and the task then
//! sends a WebSocket close frame and ends.

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use futures_util::{SinkExt as _, StreamExt as _};
use http::header::{AUTHORIZATION, USER_AGENT};
use http::{HeaderName, HeaderValue};
use rand::RngExt as _;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::time::{Instant, MissedTickBehavior};
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};
use tracing::Instrument as _;

use crate::runtime::auth::signature;
use crate::runtime::auth::token::ManagementToken;
use crate::runtime::authentication::AuthenticationClient;
use crate::runtime::client::ManagementClient;
use crate::runtime::config::{AuthScheme, Config};
use crate::runtime::encoding::NOT_UNRESERVED;
use crate::runtime::error::{ConfigError, Error, SubscribeError, SubscribeErrorKind};
use crate::runtime::headers::SDK_VERSION;
use crate::runtime::headers::sensitive;
use crate::runtime::secret::{Scrub, Secret};
use crate::runtime::transport::USER_AGENT as SDK_USER_AGENT;

/// The string-to-sign of the upgrade request: `buildStringToSign("websocket", "", {}, {})` in
/// the official SDKs. The method is used as written (lower case), unlike an API call's.
const STRING_TO_SIGN: &str = "websocket\n";

/// Events waiting for the consumer; the connection is not read while the buffer is full.
const BUFFER: usize = 16;

/// The longest keep-alive period kept; a longer one (up to `Duration::MAX`) turns it off.
const MAX_PING_INTERVAL: Duration = Duration::from_secs(365 * 24 * 3600);

/// The longest wait for the close handshake when the subscription is dropped.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(2);

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How a lost event connection is opened again.
///
/// The connection is opened again after it fails or closes, waiting between attempts with
/// exponential backoff and jitter. Attempts are counted in a row: only a connection on which the
/// server sent an event resets the count (pings, pongs and close frames do not: a service that
/// accepts the upgrade and then closes is refusing). When
/// [`max_reconnects`](Self::max_reconnects) attempts after the first have failed, the stream
/// yields [`SubscribeErrorKind::RetriesExhausted`] and ends. A refused upgrade (a bad signature,
/// say) or a close with code 1008 (policy violation) or 4000-4999 ends the stream at once with
/// [`SubscribeErrorKind::Refused`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReconnectPolicy {
    max_reconnects: u32,
    initial_delay: Duration,
    max_delay: Duration,
}

impl Default for ReconnectPolicy {
    /// Five reconnects in a row (the official SDKs' `retryTimes`), waits from 2 s (their fixed
    /// wait) doubling up to 30 s, with jitter.
    fn default() -> Self {
        ReconnectPolicy { max_reconnects: 5, initial_delay: Duration::from_secs(2), max_delay: Duration::from_secs(30) }
    }
}

impl ReconnectPolicy {
    /// Never reconnect: the first failure ends the stream.
    pub fn disabled() -> Self {
        ReconnectPolicy { max_reconnects: 0, ..ReconnectPolicy::default() }
    }

    /// The number of failed attempts in a row allowed after the first one.
    pub fn with_max_reconnects(mut self, reconnects: u32) -> Self {
        self.max_reconnects = reconnects;
        self
    }

    /// The wait before the first reconnect; each further one doubles it (before jitter).
    pub fn with_initial_delay(mut self, wait: Duration) -> Self {
        self.initial_delay = wait;
        self
    }

    /// The longest wait between two attempts.
    pub fn with_max_delay(mut self, wait: Duration) -> Self {
        self.max_delay = wait;
        self
    }

    /// The number of failed attempts in a row allowed after the first one.
    pub fn max_reconnects(&self) -> u32 {
        self.max_reconnects
    }

    /// The wait before reconnect number `n` (1 for the first): between half and all of
    /// `initial_delay * 2^(n-1)`, capped at `max_delay`.
    pub(crate) fn delay(&self, n: u32) -> Duration {
        let exponent = n.saturating_sub(1).min(20);
        let ceiling = self.initial_delay.saturating_mul(1u32 << exponent).min(self.max_delay);
        let half = ceiling / 2;
        let jitter_us = u64::try_from(half.as_micros()).unwrap_or(u64::MAX);
        let extra = if jitter_us == 0 { 0 } else { rand::rng().random_range(0..=jitter_us) };
        half + Duration::from_micros(extra)
    }
}

/// Settings of one subscription, for [`ManagementClient::subscribe_with`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscribeOptions {
    reconnect: ReconnectPolicy,
    ping_interval: Duration,
    max_message_bytes: usize,
}

/// The default of [`SubscribeOptions::max_message_bytes`]: 1 MiB, far above an event's size.
pub const DEFAULT_MAX_MESSAGE_BYTES: usize = 1 << 20;

impl Default for SubscribeOptions {
    /// [`ReconnectPolicy::default`], a keep-alive ping every 30 s, messages of at most
    /// [`DEFAULT_MAX_MESSAGE_BYTES`].
    fn default() -> Self {
        SubscribeOptions {
            reconnect: ReconnectPolicy::default(),
            ping_interval: Duration::from_secs(30),
            max_message_bytes: DEFAULT_MAX_MESSAGE_BYTES,
        }
    }
}

impl SubscribeOptions {
    /// How lost connections are opened again.
    pub fn reconnect(mut self, policy: ReconnectPolicy) -> Self {
        self.reconnect = policy;
        self
    }

    /// The keep-alive: a ping is sent every `interval`, and a connection on which nothing at all
    /// (no event, no pong) arrived during the interval after a ping is taken for dead and opened
    /// again. [`Duration::ZERO`] turns the keep-alive off, and so does a period over a year
    /// (`Duration::MAX` included).
    pub fn ping_interval(mut self, interval: Duration) -> Self {
        self.ping_interval = interval;
        self
    }

    /// The largest message (and frame) read: a larger one ends the connection, which counts as
    /// a failed attempt, so that a broken or hostile server cannot exhaust memory. At least 1 KiB
    /// (a smaller value is raised to it).
    pub fn max_message_bytes(mut self, bytes: usize) -> Self {
        self.max_message_bytes = bytes.max(1024);
        self
    }
}

/// One event received on a subscription.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event {
    /// The event code subscribed to.
    pub event_code: String,
    /// The message exactly as received (binary messages are read as UTF-8, as the official SDKs
    /// do).
    pub raw: String,
    /// The message parsed as JSON, when it is JSON.
    pub json: Option<Value>,
    /// The message read as the usual event envelope, when it is a JSON object.
    pub envelope: Option<EventEnvelope>,
}

impl Event {
    fn new(event_code: &str, raw: String) -> Event {
        let json: Option<Value> = serde_json::from_str(&raw).ok();
        let envelope = json.as_ref().filter(|v| v.is_object()).and_then(|v| serde_json::from_value(v.clone()).ok());
        Event { event_code: event_code.to_owned(), raw, json, envelope }
    }
}

/// The fields an event message usually carries: what [`ManagementClient::publish`] sent
/// (`eventType`, `source`, `eventData`), with everything else in [`other`](Self::other). Every
/// field is optional: the envelope is a convenience, [`Event::raw`] is the truth.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EventEnvelope {
    /// The event type (the event code).
    #[serde(rename = "eventType", default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
    /// Who published the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The event's data, as sent: usually a string holding JSON (see [`data`](Self::data)).
    #[serde(rename = "eventData", default, skip_serializing_if = "Option::is_none")]
    pub event_data: Option<Value>,
    /// Every other field of the message.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl EventEnvelope {
    /// The event's data as JSON: `eventData` parsed when it is a string holding JSON, as it is
    /// when published by an official SDK; otherwise `eventData` itself.
    pub fn data(&self) -> Option<Value> {
        match &self.event_data {
            Some(Value::String(text)) => {
                Some(serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone())))
            }
            other => other.clone(),
        }
    }
}

/// The events of one event code, as a [`Stream`] (made by [`ManagementClient::subscribe`]).
///
/// Yields `Ok(event)` for every message, reconnecting per its [`ReconnectPolicy`] when the
/// connection is lost; yields one `Err` ([`Error::Subscribe`] when the upgrade is refused or the
/// reconnect budget is spent, [`Error::Auth`] when no management token can be had) and then
/// ends. The connection is opened on the first poll, which must happen inside a Tokio runtime;
/// dropping the stream closes it.
pub struct Subscription {
    event_code: String,
    state: State,
}

enum State {
    NotStarted(Box<Worker>),
    Failed(Error),
    Running(mpsc::Receiver<Result<Event, Error>>),
    Done,
}

impl fmt::Debug for Subscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::NotStarted(_) => "not started",
            State::Failed(_) => "failed",
            State::Running(_) => "running",
            State::Done => "done",
        };
        f.debug_struct("Subscription").field("event_code", &self.event_code).field("state", &state).finish()
    }
}

impl Stream for Subscription {
    type Item = Result<Event, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            match std::mem::replace(&mut this.state, State::Done) {
                State::NotStarted(worker) => {
                    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
                        let e = ConfigError::new(None, "a Subscription must be polled inside a Tokio runtime");
                        return Poll::Ready(Some(Err(e.into())));
                    };
                    let (tx, rx) = mpsc::channel(BUFFER);
                    let span = tracing::info_span!("genauth.subscribe", event_code = %this.event_code);
                    runtime.spawn(worker.run(tx).instrument(span));
                    this.state = State::Running(rx);
                }
                State::Failed(e) => return Poll::Ready(Some(Err(e))),
                State::Running(mut rx) => {
                    let poll = rx.poll_recv(cx);
                    if !matches!(poll, Poll::Ready(None)) {
                        this.state = State::Running(rx);
                    }
                    return poll;
                }
                State::Done => return Poll::Ready(None),
            }
        }
    }
}

impl ManagementClient {
    /// Subscribes to `event_code` with the default [`SubscribeOptions`]: a [`Stream`] of its
    /// events (see [`Subscription`]).
    ///
    /// ```no_run
    /// use futures::StreamExt as _; // or futures_util, or tokio_stream
    /// # async fn run(client: genauth::ManagementClient) -> Result<(), genauth::Error> {
    /// let mut events = client.subscribe("authing.user.created");
    /// while let Some(event) = events.next().await {
    ///     println!("{}", event?.raw);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn subscribe(&self, event_code: impl Into<String>) -> Subscription {
        self.subscribe_with(event_code, SubscribeOptions::default())
    }

    /// Subscribes to `event_code` with `options` (reconnect policy, keep-alive).
    pub fn subscribe_with(&self, event_code: impl Into<String>, options: SubscribeOptions) -> Subscription {
        Subscription::start(Subscriber::Management(self.clone()), event_code.into(), options)
    }
}

impl AuthenticationClient {
    /// Subscribes the end user of this handle (made by
    /// [`with_access_token`](AuthenticationClient::with_access_token)) to `event_code`: the
    /// user's own public events and the pool's custom ones, as the event service allows an
    /// authentication-side subscriber. The service takes the user's token in the URL's query;
    /// it never appears in an error or a log line. Set the event host with
    /// [`AuthenticationConfigBuilder::events_host`](crate::AuthenticationConfigBuilder::events_host)
    /// (`GENAUTH_EVENTS_HOST`), as for the management client; a cleartext `ws://` host is refused
    /// unless it is loopback or allowed by name, as everywhere.
    ///
    /// One place this crate does not control: the WebSocket library logs the whole upgrade
    /// request, URL included, at `trace` level (through `log`); keep `tungstenite` below trace in
    /// production logging.
    ///
    /// A handle without a user's token yields one [`Error::Config`] and ends.
    pub fn subscribe(&self, event_code: impl Into<String>) -> Subscription {
        self.subscribe_with(event_code, SubscribeOptions::default())
    }

    /// Subscribes to `event_code` with `options` (reconnect policy, keep-alive).
    pub fn subscribe_with(&self, event_code: impl Into<String>, options: SubscribeOptions) -> Subscription {
        if !self.has_access_token() {
            let e = ConfigError::new(
                None,
                "an authentication-side subscription needs an end user's access token: subscribe on a handle from with_access_token",
            );
            return Subscription { event_code: event_code.into(), state: State::Failed(e.into()) };
        }
        Subscription::start(Subscriber::User(self.clone()), event_code.into(), options)
    }
}

impl Subscription {
    fn start(subscriber: Subscriber, event_code: String, options: SubscribeOptions) -> Subscription {
        if event_code.trim().is_empty() {
            let e = ConfigError::new(None, "the event code to subscribe to must not be empty");
            return Subscription { event_code, state: State::Failed(e.into()) };
        }
        let side = match subscriber {
            Subscriber::Management(_) => "management",
            Subscriber::User(_) => "authentication",
        };
        let url = format!(
            "{}/events/v1/{side}/sub?code={}",
            subscriber.config().events_host(),
            percent_encoding::utf8_percent_encode(&event_code, NOT_UNRESERVED)
        );
        let worker = Worker { subscriber, event_code: event_code.clone(), url, options, tls: None };
        Subscription { event_code, state: State::NotStarted(Box::new(worker)) }
    }
}

/// Whose credentials open the connection.
enum Subscriber {
    /// The management client: a signature or a management token in `authorization`.
    Management(ManagementClient),
    /// An end user (a handle with an access token): the token in the URL's query.
    User(AuthenticationClient),
}

impl Subscriber {
    fn config(&self) -> &Config {
        match self {
            Subscriber::Management(client) => client.config(),
            Subscriber::User(client) => &client.config().connection,
        }
    }
}

/// Owns the connection; runs in its own task.
struct Worker {
    subscriber: Subscriber,
    event_code: String,
    /// The URL without credentials (a user's token is added per attempt).
    url: String,
    options: SubscribeOptions,
    /// Built on the first `wss://` connection and reused.
    tls: Option<Arc<rustls::ClientConfig>>,
}

/// Why a connection attempt did not give a connection.
enum ConnectFailure {
    /// The server responded the upgrade with a final refusal.
    Refused { status: u16, message: String },
    /// Worth another attempt (transport error, timeout, 5xx, 408, 429).
    Transient { status: Option<u16>, message: String },
    /// Another attempt cannot succeed (bad URL, no management token for a bad key...).
    Fatal(Error),
}

/// How a connection ended.
enum Ended {
    /// The subscription was dropped.
    ConsumerGone,
    /// The connection was lost; `heard` says whether the server sent an event on it.
    Lost { heard: bool, close_code: Option<u16>, message: String },
    /// The server closed the connection with a code that refuses the subscription (1008, policy
    /// violation, or an application's 4000-4999): another attempt would be refused again.
    Refused { code: u16, message: String },
}

impl Worker {
    async fn run(mut self, tx: mpsc::Sender<Result<Event, Error>>) {
        let policy = self.options.reconnect.clone();
        let mut failures: u32 = 0;
        let mut token_retried = false;
        loop {
            tracing::debug!(failures, "connecting to the event service");
            let attempt = tokio::select! {
                _ = tx.closed() => return,
                attempt = self.connect() => attempt,
            };
            let (status, close_code, message) = match attempt {
                Ok((socket, token)) => {
                    tracing::debug!("event connection open");
                    // The close reason comes from the server: it may echo what it was sent.
                    let scrub = self.scrub(token.as_deref());
                    drop(token);
                    token_retried = false;
                    match self.pump(socket, &tx, &scrub).await {
                        Ended::ConsumerGone => return,
                        Ended::Refused { code, message } => {
                            let e = self.error(SubscribeErrorKind::Refused, None, Some(code), failures + 1, message);
                            tracing::warn!(error = %e, "event subscription closed by the service as a refusal");
                            let _ = tx.send(Err(e)).await;
                            return;
                        }
                        Ended::Lost { heard, close_code, message } => {
                            tracing::debug!(heard, reason = %message, "event connection lost");
                            if heard {
                                failures = 0;
                            }
                            (None, close_code, message)
                        }
                    }
                }
                Err((ConnectFailure::Refused { status, .. }, Some(token))) if status == 401 && !token_retried => {
                    // The token may have been revoked or the pool's keys rotated: fetch a new
                    // one, once, as API calls do.
                    tracing::debug!("management token rejected by the event service; fetching a new one");
                    if let Subscriber::Management(client) = &self.subscriber {
                        client.invalidate_token(&token);
                    }
                    token_retried = true;
                    failures += 1;
                    continue;
                }
                Err((ConnectFailure::Refused { status, message }, _)) => {
                    let e = self.error(SubscribeErrorKind::Refused, Some(status), None, failures + 1, message);
                    tracing::warn!(error = %e, "event subscription refused");
                    let _ = tx.send(Err(e)).await;
                    return;
                }
                Err((ConnectFailure::Fatal(e), _)) => {
                    tracing::warn!(error = %e, "event subscription failed");
                    let _ = tx.send(Err(e)).await;
                    return;
                }
                Err((ConnectFailure::Transient { status, message }, _)) => {
                    tracing::debug!(status, reason = %message, "event connection attempt failed");
                    (status, None, message)
                }
            };
            failures += 1;
            if failures > policy.max_reconnects {
                let e = self.error(SubscribeErrorKind::RetriesExhausted, status, close_code, failures, message);
                tracing::warn!(error = %e, "giving up on the event subscription");
                let _ = tx.send(Err(e)).await;
                return;
            }
            let wait = policy.delay(failures);
            tracing::debug!(failures, wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX), "reconnecting");
            tokio::select! {
                _ = tx.closed() => return,
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }

    /// What must stay out of this connection's errors: the secret and the credential sent (the
    /// management token, the signature, or the end user's token).
    fn scrub(&self, token: Option<&ManagementToken>) -> Scrub {
        let config = self.subscriber.config();
        let sent = match (&self.subscriber, token) {
            (Subscriber::User(client), _) => client.user_token().map(|t| format!("Bearer {}", t.expose())),
            (Subscriber::Management(_), Some(token)) => Some(format!("Bearer {}", token.value.expose())),
            (Subscriber::Management(_), None) => {
                let signature = signature::sign(config.access_key_secret.expose(), STRING_TO_SIGN);
                Some(signature::authorization(config.brand.signature_word(), &config.access_key_id, &signature))
            }
        };
        Scrub::new(&config.access_key_secret, &sent.into_iter().collect::<Vec<_>>())
    }

    fn error(
        &self,
        kind: SubscribeErrorKind,
        status: Option<u16>,
        close_code: Option<u16>,
        attempts: u32,
        message: String,
    ) -> Error {
        let event_code = self.event_code.clone();
        Error::Subscribe(SubscribeError { kind, event_code, status, close_code, attempts, message })
    }

    /// One connection attempt. On failure, also hands back the management token it used, so a
    /// 401 can drop it.
    async fn connect(
        &mut self,
    ) -> Result<(Socket, Option<Arc<ManagementToken>>), (ConnectFailure, Option<Arc<ManagementToken>>)> {
        let config = self.subscriber.config();
        let fatal = |e: Error| (ConnectFailure::Fatal(e), None);
        let user_token = match &self.subscriber {
            Subscriber::User(client) => client.user_token().cloned(),
            Subscriber::Management(_) => None,
        };
        // The URL with the user's token exists only for this attempt, in a zeroed container.
        let url = match &user_token {
            Some(token) => Secret::new(format!(
                "{}&token={}",
                self.url,
                percent_encoding::utf8_percent_encode(token.expose(), NOT_UNRESERVED)
            )),
            None => Secret::new(self.url.clone()),
        };
        let mut request = url
            .expose()
            .into_client_request()
            .map_err(|_| fatal(ConfigError::new(None, format!("invalid event URL: {}", self.url)).into()))?;
        let prefix = config.brand.header_prefix();
        let headers = request.headers_mut();
        let user_agent = match &config.user_agent_extra {
            Some(extra) => format!("{SDK_USER_AGENT} {extra}"),
            None => SDK_USER_AGENT.to_owned(),
        };
        let header = |name: &str, value: &str| -> Result<(HeaderName, HeaderValue), Error> {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Serialize(format!("`{name}` is not a valid header name")))?;
            let value = HeaderValue::from_bytes(value.as_bytes())
                .map_err(|_| Error::Serialize(format!("header `{name}` holds characters HTTP headers cannot carry")))?;
            Ok((name, value))
        };
        for (name, value) in
            [(USER_AGENT.as_str(), user_agent.as_str()), (&format!("{prefix}sdk-version"), SDK_VERSION)]
        {
            let (name, value) = header(name, value).map_err(fatal)?;
            headers.insert(name, value);
        }
        // The credential sent: the token, or the signature, which covers no date or nonce and
        // so never changes for a key; either must stay out of errors and logs.
        let credential: Secret;
        let token = match (&self.subscriber, config.auth) {
            (Subscriber::User(_), _) => {
                credential = user_token.as_deref().cloned().unwrap_or_else(|| Secret::new(String::new()));
                None
            }
            (Subscriber::Management(_), AuthScheme::Signature) => {
                credential = Secret::new(signature::sign(config.access_key_secret.expose(), STRING_TO_SIGN));
                let auth =
                    signature::authorization(config.brand.signature_word(), &config.access_key_id, credential.expose());
                headers.insert(AUTHORIZATION, sensitive(&auth).map_err(fatal)?);
                None
            }
            (Subscriber::Management(client), AuthScheme::ManagementToken) => {
                let token = match client.management_token().await {
                    Ok(token) => token,
                    // Fetching a token is safe to repeat: a timeout, a gateway error or a fetch
                    // that outlived this attempt's deadline is transient, not a verdict on the key.
                    Err(e) if e.is_retryable_if_idempotent() || matches!(e, Error::DeadlineExceeded { .. }) => {
                        return Err((ConnectFailure::Transient { status: None, message: e.to_string() }, None));
                    }
                    Err(e) => return Err(fatal(e)),
                };
                let (name, value) = header(&format!("{prefix}userpool-id"), &token.userpool_id).map_err(fatal)?;
                headers.insert(name, value);
                let bearer = sensitive(&format!("Bearer {}", token.value.expose())).map_err(fatal)?;
                headers.insert(AUTHORIZATION, bearer);
                credential = token.value.clone();
                Some(token)
            }
        };
        // `events_host` is normalised to a lower-case scheme; `ws://` is only ever plain.
        let connector = if self.url.starts_with("wss:") {
            let tls = match &self.tls {
                Some(tls) => tls.clone(),
                None => {
                    let tls = super::tls::client_config(config).map_err(fatal)?;
                    self.tls = Some(tls.clone());
                    tls
                }
            };
            Connector::Rustls(tls)
        } else {
            Connector::Plain
        };
        let limit = Some(self.options.max_message_bytes);
        let limits = WebSocketConfig::default().max_message_size(limit).max_frame_size(limit);
        let handshake = tokio_tungstenite::connect_async_tls_with_config(request, Some(limits), false, Some(connector));
        // The secret, the credential sent (also as the URL carries it) and, in case the server
        // echoes it, the whole `authorization` value: none of them may reach an error or a log.
        let encoded = percent_encoding::utf8_percent_encode(credential.expose(), NOT_UNRESERVED).to_string();
        let scrub =
            Scrub::new(&config.access_key_secret, &[format!("x {}", credential.expose()), format!("x {encoded}")]);
        match tokio::time::timeout(config.timeout, handshake).await {
            Ok(Ok((socket, _response))) => Ok((socket, token)),
            Err(_) => Err((
                ConnectFailure::Transient {
                    status: None,
                    message: format!("no connection within {:?}", config.timeout),
                },
                token,
            )),
            Ok(Err(tungstenite::Error::Http(response))) => {
                let status = response.status().as_u16();
                let body = response.body().as_deref().map(String::from_utf8_lossy).unwrap_or_default();
                let message: String = scrub.text(&body).chars().take(300).collect();
                let failure = if is_refusal(status) {
                    ConnectFailure::Refused { status, message }
                } else {
                    ConnectFailure::Transient { status: Some(status), message }
                };
                Err((failure, token))
            }
            Ok(Err(e @ (tungstenite::Error::Url(_) | tungstenite::Error::HttpFormat(_)))) => Err(fatal(
                ConfigError::new(None, format!("cannot open the event URL: {}", scrub.text(&e.to_string()))).into(),
            )),
            // tungstenite's errors describe the transport, never the request's headers; some
            // quote the URL, which may hold a user's token.
            Ok(Err(e)) => Err((ConnectFailure::Transient { status: None, message: scrub.text(&e.to_string()) }, token)),
        }
    }

    /// Reads events and keeps the connection alive until it is lost or the consumer goes away.
    ///
    /// Only an event proves the path works (`heard`): a server that accepts the upgrade and
    /// then pings or closes (a common way to refuse) must spend the reconnect budget.
    async fn pump(&self, mut socket: Socket, tx: &mpsc::Sender<Result<Event, Error>>, scrub: &Scrub) -> Ended {
        let interval = self.options.ping_interval;
        // Zero turns the keep-alive off, and so does a period too long to schedule
        // (`Duration::MAX` means "never" too).
        let period = Some(interval).filter(|i| !i.is_zero() && *i <= MAX_PING_INTERVAL);
        let mut ticker = tokio::time::interval_at(
            Instant::now() + period.unwrap_or(MAX_PING_INTERVAL),
            period.unwrap_or(MAX_PING_INTERVAL),
        );
        ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut heard = false;
        // Set when a ping goes out; cleared by any frame from the server.
        let mut ping_unanswered = false;
        // The server's close frame, once it came: (code, reason).
        let mut closed: Option<(u16, String)> = None;
        loop {
            tokio::select! {
                _ = tx.closed() => {
                    let _ = tokio::time::timeout(CLOSE_TIMEOUT, socket.close(None)).await;
                    return Ended::ConsumerGone;
                }
                message = socket.next() => {
                    let raw = match message {
                        None => return ended_by_close(heard, closed, scrub),
                        // After a close frame, what follows (a reset) does not change what the close said.
                        Some(Err(_)) if closed.is_some() => return ended_by_close(heard, closed, scrub),
                        Some(Err(e)) => return Ended::Lost { heard, close_code: None, message: e.to_string() },
                        Some(Ok(Message::Text(text))) => text.as_str().to_owned(),
                        Some(Ok(Message::Binary(bytes))) => String::from_utf8_lossy(&bytes).into_owned(),
                        // tungstenite answers the close; the stream then ends (`None` above).
                        Some(Ok(Message::Close(frame))) => {
                            closed = Some(frame.map_or((1005, String::new()), |f| (u16::from(f.code), f.reason.as_str().to_owned())));
                            continue;
                        }
                        // Pings are responded by tungstenite. A frame of any kind shows the
                        // connection is alive, but not that the subscription works.
                        Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => {
                            ping_unanswered = false;
                            continue;
                        }
                    };
                    heard = true;
                    ping_unanswered = false;
                    if tx.send(Ok(Event::new(&self.event_code, raw))).await.is_err() {
                        let _ = tokio::time::timeout(CLOSE_TIMEOUT, socket.close(None)).await;
                        return Ended::ConsumerGone;
                    }
                    // The socket was not read while the consumer was busy: judge liveness afresh.
                    ticker.reset();
                }
                _ = ticker.tick(), if period.is_some() => {
                    if ping_unanswered {
                        return Ended::Lost { heard, close_code: None, message: format!("no response to a keep-alive ping within {interval:?}") };
                    }
                    if let Err(e) = socket.send(Message::Ping(Default::default())).await {
                        if closed.is_some() {
                            return ended_by_close(heard, closed, scrub);
                        }
                        return Ended::Lost { heard, close_code: None, message: e.to_string() };
                    }
                    ping_unanswered = true;
                }
            }
        }
    }
}

/// How a connection the server closed ended: a refusal for 1008 (policy violation) and the
/// application codes 4000-4999, a loss (to reconnect) for anything else; the code and reason
/// reach the error either way.
fn ended_by_close(heard: bool, closed: Option<(u16, String)>, scrub: &Scrub) -> Ended {
    let Some((code, reason)) = closed else {
        let message = "the server closed the connection without a close frame".into();
        return Ended::Lost { heard, close_code: None, message };
    };
    // A close reason is at most 123 bytes by the protocol; keep it to a line anyway.
    let reason: String = scrub.text(&reason).chars().filter(|c| !c.is_control()).take(200).collect();
    let message = if reason.is_empty() {
        format!("the server closed the connection (close code {code})")
    } else {
        format!("the server closed the connection (close code {code}: {reason})")
    };
    if code == 1008 || (4000..5000).contains(&code) {
        Ended::Refused { code, message }
    } else {
        Ended::Lost { heard, close_code: Some(code), message }
    }
}

/// A refusal that another attempt will not change: 3xx (not followed: it would resend the
/// credentials elsewhere) and 4xx but 408 and 429.
fn is_refusal(status: u16) -> bool {
    (300..500).contains(&status) && status != 408 && status != 429
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn events_read_json_and_the_envelope_where_they_can() {
        let e = Event::new("c", r#"{"eventType":"a.b","source":"s","eventData":"{\"k\":1}","id":"7"}"#.into());
        let env = e.envelope.clone().unwrap();
        assert_eq!(env.event_type.as_deref(), Some("a.b"));
        assert_eq!(env.data(), Some(json!({"k": 1})));
        assert_eq!(env.other.get("id"), Some(&json!("7")));
        let e = Event::new("c", "[1,2]".into());
        assert_eq!((e.json, e.envelope), (Some(json!([1, 2])), None));
        let e = Event::new("c", "not json".into());
        assert_eq!((e.raw.as_str(), e.json, e.envelope), ("not json", None, None));
        let env = Event::new("c", r#"{"eventData":"plain"}"#.into()).envelope.unwrap();
        assert_eq!(env.data(), Some(json!("plain")));
    }

    #[test]
    fn reconnect_delays_grow_with_jitter_and_are_capped() {
        let p = ReconnectPolicy::default();
        for _ in 0..50 {
            let d1 = p.delay(1);
            assert!(d1 >= Duration::from_secs(1) && d1 <= Duration::from_secs(2), "{d1:?}");
            let d3 = p.delay(3);
            assert!(d3 >= Duration::from_secs(4) && d3 <= Duration::from_secs(8), "{d3:?}");
            assert!(p.delay(u32::MAX) <= Duration::from_secs(30));
        }
        let waits: std::collections::BTreeSet<Duration> = (0..50).map(|_| p.delay(2)).collect();
        assert!(waits.len() > 5, "jitter: 50 waits took only {} values", waits.len());
        assert_eq!(ReconnectPolicy::disabled().max_reconnects(), 0);
        assert_eq!(ReconnectPolicy::default().max_reconnects(), 5);
    }

    #[test]
    fn refusals_are_final_4xx_and_3xx() {
        assert!(is_refusal(401) && is_refusal(403) && is_refusal(404) && is_refusal(302));
        assert!(!is_refusal(408) && !is_refusal(429) && !is_refusal(500) && !is_refusal(503) && !is_refusal(101));
    }

    #[test]
    fn the_url_carries_the_encoded_code() {
        let config = crate::Config::builder()
            .access_key_id("ak")
            .access_key_secret("secret-1234")
            .events_host("ws://127.0.0.1:9/")
            .build()
            .unwrap();
        let client = ManagementClient::new(config).unwrap();
        let s = client.subscribe("a.b c&d");
        let State::NotStarted(worker) = &s.state else { panic!("{s:?}") };
        assert_eq!(worker.url, "ws://127.0.0.1:9/events/v1/management/sub?code=a.b%20c%26d");
        assert!(matches!(client.subscribe(" ").state, State::Failed(Error::Config(_))));
    }

    #[test]
    fn a_user_subscribes_on_the_authentication_side_and_only_with_a_token() {
        let config = crate::AuthenticationConfig::builder()
            .app_id("app1")
            .app_host("https://a.genauth.ai")
            .events_host("ws://127.0.0.1:9")
            .build()
            .unwrap();
        let client = AuthenticationClient::new(config).unwrap();
        assert!(matches!(client.subscribe("c").state, State::Failed(Error::Config(_))));
        let s = client.with_access_token("user-token-1234").subscribe("c");
        let State::NotStarted(worker) = &s.state else { panic!("{s:?}") };
        // The token is added per attempt, never kept in the URL.
        assert_eq!(worker.url, "ws://127.0.0.1:9/events/v1/authentication/sub?code=c");
    }
}
