//! Client settings: who we are (access key), where the API lives (host, brand) and how calls
//! behave (auth scheme, language, tenant, timeout, retries).

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject as _;

use crate::runtime::error::{ConfigError, Error};
use crate::runtime::retry::RetryPolicy;
use crate::runtime::secret::Secret;

/// Which flavour of the API the server speaks: GenAuth or its predecessor Authing. The brand
/// decides the default host, the prefix of the custom headers and the signature's scheme word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Brand {
    /// GenAuth: `https://api.genauth.ai`, `x-genauth-*` headers, signature word `GenAuth`.
    #[default]
    GenAuth,
    /// Authing: `https://api.authing.cn`, `x-authing-*` headers, signature word `authing`.
    Authing,
}

impl Brand {
    /// The public host of the brand's cloud.
    pub fn default_host(self) -> &'static str {
        match self {
            Brand::GenAuth => "https://api.genauth.ai",
            Brand::Authing => "https://api.authing.cn",
        }
    }

    /// The prefix of the brand's custom headers (`x-genauth-`).
    pub fn header_prefix(self) -> &'static str {
        match self {
            Brand::GenAuth => "x-genauth-",
            Brand::Authing => "x-authing-",
        }
    }

    /// The default host of the brand's event service (the WebSocket behind
    /// `ManagementClient::subscribe`, with the `subscribe` feature):
    /// `wss://openevent.genauth.ai` or `wss://openevent.authing.cn`, the `socketUri` defaults of
    /// the official Node SDKs (`@genauth/nodejs`, `authing-node-sdk`).
    pub fn default_events_host(self) -> &'static str {
        match self {
            Brand::GenAuth => "wss://openevent.genauth.ai",
            Brand::Authing => "wss://openevent.authing.cn",
        }
    }

    /// The word before the access key id in a signed request's `authorization` header.
    pub fn signature_word(self) -> &'static str {
        match self {
            Brand::GenAuth => "GenAuth",
            Brand::Authing => "authing",
        }
    }
}

impl FromStr for Brand {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "genauth" => Ok(Brand::GenAuth),
            "authing" => Ok(Brand::Authing),
            other => Err(format!("unknown brand `{other}` (expected `genauth` or `authing`)")),
        }
    }
}

/// How requests are authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum AuthScheme {
    /// Exchange the access key for a management token (`/api/v3/get-management-token`) and send
    /// it as a bearer token. The scheme the current API documentation describes; the default.
    #[default]
    ManagementToken,
    /// Sign every request with the access key secret (HMAC-SHA1); no token round trip.
    Signature,
}

impl FromStr for AuthScheme {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "token" => Ok(AuthScheme::ManagementToken),
            "signature" => Ok(AuthScheme::Signature),
            other => Err(format!("unknown auth scheme `{other}` (expected `token` or `signature`)")),
        }
    }
}

/// The language of the server's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Lang {
    /// Simplified Chinese, `zh-CN` (the default).
    #[default]
    ZhCn,
    /// English, `en-US`.
    EnUs,
    /// Japanese, `ja-JP`.
    JaJp,
    /// Traditional Chinese, `zh-TW`.
    ZhTw,
}

impl Lang {
    /// The tag sent in the `x-…-lang` header.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::EnUs => "en-US",
            Lang::JaJp => "ja-JP",
            Lang::ZhTw => "zh-TW",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // Accept `en_US` and any case too: people write locales both ways.
        match s.trim().replace('_', "-").to_ascii_lowercase().as_str() {
            "zh-cn" => Ok(Lang::ZhCn),
            "en-us" => Ok(Lang::EnUs),
            "ja-jp" => Ok(Lang::JaJp),
            "zh-tw" => Ok(Lang::ZhTw),
            other => Err(format!("unknown language `{other}` (expected zh-CN, en-US, ja-JP or zh-TW)")),
        }
    }
}

/// Everything a [`ManagementClient`](crate::ManagementClient) needs. Build one with
/// [`Config::builder`] or [`Config::from_env`]. `Debug` never shows the secret: its `Secret`
/// redacts itself, so the derived impl is safe.
#[derive(Clone, Debug)]
pub struct Config {
    pub(crate) access_key_id: String,
    pub(crate) access_key_secret: Secret,
    pub(crate) host: String,
    pub(crate) events_host: String,
    pub(crate) brand: Brand,
    pub(crate) auth: AuthScheme,
    pub(crate) lang: Lang,
    pub(crate) tenant_id: Option<String>,
    pub(crate) timeout: Duration,
    pub(crate) deadline: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) user_agent_extra: Option<String>,
    pub(crate) danger_accept_invalid_certs: bool,
    pub(crate) allow_insecure_http: bool,
    /// The proxy's URL; a `Secret` because it may hold credentials (`http://user:pass@…`).
    pub(crate) proxy: Option<Secret>,
    /// Extra trusted root certificates, on top of the platform's.
    pub(crate) root_certificates: RootCertificates,
    /// The largest response body read.
    pub(crate) max_response_bytes: usize,
}

/// Extra trusted root certificates (DER). `Debug` shows how many, not kilobytes of bytes.
#[derive(Clone, Default)]
pub(crate) struct RootCertificates(pub Vec<CertificateDer<'static>>);

impl fmt::Debug for RootCertificates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} extra root certificate(s)", self.0.len())
    }
}

impl Config {
    /// Starts a builder; only the access key id and secret are required.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The access key id (not secret).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }
    /// The API's base URL, without a trailing slash.
    pub fn host(&self) -> &str {
        &self.host
    }
    /// The event service's base URL (`wss://…`), without a trailing slash.
    pub fn events_host(&self) -> &str {
        &self.events_host
    }
    /// The brand.
    pub fn brand(&self) -> Brand {
        self.brand
    }
    /// The authentication scheme.
    pub fn auth_scheme(&self) -> AuthScheme {
        self.auth
    }
    /// The language of server messages.
    pub fn lang(&self) -> Lang {
        self.lang
    }
    /// The tenant id, if set.
    pub fn tenant_id(&self) -> Option<&str> {
        self.tenant_id.as_deref()
    }
    /// The time limit of one attempt.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }
    /// The time limit of a whole call: token fetch, every attempt, every wait between them.
    pub fn deadline(&self) -> Duration {
        self.deadline
    }
    /// Whether cleartext `http://` to a host that is not loopback was allowed
    /// ([`ConfigBuilder::allow_insecure_http`]).
    pub fn allow_insecure_http(&self) -> bool {
        self.allow_insecure_http
    }
    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }
    /// Whether API calls go through a proxy ([`ConfigBuilder::proxy`]); its URL is not shown,
    /// as it may hold credentials.
    pub fn has_proxy(&self) -> bool {
        self.proxy.is_some()
    }
    /// How many extra root certificates are trusted ([`ConfigBuilder::root_certificates_pem`]).
    pub fn root_certificate_count(&self) -> usize {
        self.root_certificates.0.len()
    }
    /// The largest response body read ([`ConfigBuilder::max_response_bytes`]).
    pub fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }
}

/// Builds a [`Config`]. `Debug` never shows the secret (see [`Config`]).
#[derive(Clone, Debug, Default)]
pub struct ConfigBuilder {
    access_key_id: Option<String>,
    access_key_secret: Option<Secret>,
    host: Option<String>,
    events_host: Option<String>,
    brand: Brand,
    auth: AuthScheme,
    lang: Lang,
    tenant_id: Option<String>,
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    retry: Option<RetryPolicy>,
    user_agent_extra: Option<String>,
    danger_accept_invalid_certs: bool,
    allow_insecure_http: bool,
    proxy: Option<Secret>,
    root_certificates_pem: Vec<PemBytes>,
    max_response_bytes: Option<usize>,
}

/// PEM text given to the builder, checked by `build`. `Debug` shows its size only.
#[derive(Clone)]
struct PemBytes(Vec<u8>);

impl fmt::Debug for PemBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bytes of PEM", self.0.len())
    }
}

/// The default time limit of one attempt.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Unless set, a call's deadline is this many times the attempt timeout.
pub const DEADLINE_MULTIPLE: u32 = 3;

/// The default of [`ConfigBuilder::max_response_bytes`]: 16 MiB, far above any response of the
/// API (a page of 50 users is tens of kilobytes).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 << 20;

impl ConfigBuilder {
    /// The access key id (user pool id or key id from the console). Required.
    pub fn access_key_id(mut self, id: impl Into<String>) -> Self {
        self.access_key_id = Some(id.into());
        self
    }
    /// The access key secret. Required. Never printed.
    pub fn access_key_secret(mut self, secret: impl Into<String>) -> Self {
        self.access_key_secret = Some(Secret::new(secret));
        self
    }
    /// A custom host (`https://auth.example.com`) for a private deployment, with either brand.
    /// Default: the brand's cloud host.
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }
    /// A custom event service host (`wss://events.example.com`) for
    /// `ManagementClient::subscribe`. Default: the brand's
    /// ([`Brand::default_events_host`]).
    pub fn events_host(mut self, host: impl Into<String>) -> Self {
        self.events_host = Some(host.into());
        self
    }
    /// The brand (default [`Brand::GenAuth`]).
    pub fn brand(mut self, brand: Brand) -> Self {
        self.brand = brand;
        self
    }
    /// The authentication scheme (default [`AuthScheme::ManagementToken`]).
    pub fn auth_scheme(mut self, auth: AuthScheme) -> Self {
        self.auth = auth;
        self
    }
    /// The language of server messages (default [`Lang::ZhCn`]).
    pub fn lang(mut self, lang: Lang) -> Self {
        self.lang = lang;
        self
    }
    /// The tenant id, sent as `x-…-app-tenant-id` (the upstream spec's `x-authing-app-tenant-id`,
    /// with the brand's prefix) on every request.
    pub fn tenant_id(mut self, tenant_id: impl Into<String>) -> Self {
        self.tenant_id = Some(tenant_id.into());
        self
    }
    /// The time limit of one attempt, connecting and reading the body included (default 10 s).
    /// Connecting (TCP and TLS) may take at most half of it, so that a connection that cannot
    /// be made is told apart from a slow response (only the former is always safe to retry).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
    /// The time limit of a whole call (default [`DEADLINE_MULTIPLE`] times the attempt
    /// [`timeout`](ConfigBuilder::timeout)): fetching a token, every attempt, every backoff and
    /// `Retry-After` wait, and the new token after a 401 all count against it. It is checked before
    /// every attempt and every wait; a wait that would end past it is not taken, and an attempt
    /// gets at most the time left. When it passes, the call fails with
    /// [`Error::DeadlineExceeded`], which is not retryable.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }
    /// The retry policy (default [`RetryPolicy::default`]; [`RetryPolicy::disabled`] turns
    /// retries off).
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }
    /// Text appended to the `user-agent` header (`my-app/1.2`).
    pub fn user_agent(mut self, extra: impl Into<String>) -> Self {
        self.user_agent_extra = Some(extra.into());
        self
    }
    /// DANGEROUS: accept any TLS certificate, so anyone on the network path can read and change
    /// the traffic, the secret and tokens included. Only for a test deployment with a self-signed
    /// certificate you cannot add to the trust store. Off by default.
    pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
        self.danger_accept_invalid_certs = accept;
        self
    }

    /// DANGEROUS: allow an `http://` host that is not a loopback address. Over cleartext HTTP the
    /// management token (or each request's signature) and, when a token is fetched, the access
    /// key secret itself cross the network readable by anyone on the path. Without this, such a
    /// host is refused by [`ConfigBuilder::build`]; `http://` to `localhost`, `127.0.0.0/8` or
    /// `::1` is always allowed (a local proxy or test server). Off by default; the environment
    /// variable is `GENAUTH_ALLOW_INSECURE_HTTP=1`.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Sends API calls through the proxy at `url` (`http://proxy.internal:3128`,
    /// `socks5://…` is not supported; credentials as `http://user:password@host:port`). HTTPS to
    /// the API is tunnelled through it (`CONNECT`), so TLS stays end to end. Without this, the
    /// `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` environment variables are honoured, as `reqwest`
    /// does. The event subscription's WebSocket connects directly. A cleartext `http://` host
    /// (loopback, allowed without asking) is never proxied, since the proxy would carry the
    /// credentials across the network in the clear, unless cleartext was allowed by name
    /// ([`allow_insecure_http`](Self::allow_insecure_http)). The environment variable is
    /// `GENAUTH_PROXY`.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(Secret::new(url.into()));
        self
    }

    /// Trusts the root certificates in `pem` (one or more `-----BEGIN CERTIFICATE-----`
    /// blocks) in addition to the platform's, for API calls and event subscriptions alike: for
    /// a private deployment whose certificate a company CA issued. May be called more than once.
    /// [`build`](Self::build) fails if a block is malformed or there is none. The environment
    /// variable is `GENAUTH_ROOT_CERTIFICATES`, the path of a PEM file.
    pub fn root_certificates_pem(mut self, pem: impl AsRef<[u8]>) -> Self {
        self.root_certificates_pem.push(PemBytes(pem.as_ref().to_vec()));
        self
    }

    /// The largest response body read (default [`DEFAULT_MAX_RESPONSE_BYTES`]): a larger one
    /// (by its `content-length`, or by the bytes received) fails the call with
    /// [`Error::Decode`] without being buffered, so that a broken proxy or a hostile server
    /// cannot exhaust memory. Must be greater than zero.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = Some(bytes);
        self
    }

    /// Checks the settings and builds the [`Config`].
    pub fn build(mut self) -> Result<Config, Error> {
        let access_key_id = required("access_key_id", self.access_key_id.take())?;
        let access_key_secret = match self.access_key_secret.take() {
            Some(s) if !s.expose().trim().is_empty() => s,
            _ => return Err(ConfigError::new(None, "access_key_secret is required").into()),
        };
        header_safe("access_key_id", &access_key_id)?;
        self.finish(access_key_id, access_key_secret)
    }

    /// The config with these credentials and everything else as set: what both `build` and the
    /// application client's config (whose credentials are the app id and secret) end with.
    pub(crate) fn finish(self, access_key_id: String, access_key_secret: Secret) -> Result<Config, Error> {
        let host = normalize_host(self.host.as_deref().unwrap_or(self.brand.default_host()))?;
        check_cleartext(&host, self.allow_insecure_http)?;
        let events_host =
            normalize_events_host(self.events_host.as_deref().unwrap_or(self.brand.default_events_host()))?;
        check_cleartext(&events_host, self.allow_insecure_http)?;
        if let Some(t) = &self.tenant_id {
            header_safe("tenant_id", t)?;
        }
        if let Some(ua) = &self.user_agent_extra {
            header_safe("user_agent", ua)?;
        }
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        if timeout.is_zero() {
            return Err(ConfigError::new(None, "timeout must be greater than zero").into());
        }
        let deadline = self.deadline.unwrap_or_else(|| timeout.saturating_mul(DEADLINE_MULTIPLE));
        if deadline.is_zero() {
            return Err(ConfigError::new(None, "deadline must be greater than zero").into());
        }
        if let Some(proxy) = &self.proxy {
            parse_proxy(proxy.expose(), None)?;
        }
        let max_response_bytes = self.max_response_bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES);
        if max_response_bytes == 0 {
            return Err(ConfigError::new(None, "max_response_bytes must be greater than zero").into());
        }
        let root_certificates = self
            .root_certificates_pem
            .iter()
            .map(|pem| parse_root_certificates(&pem.0))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .flatten()
            .collect();
        Ok(Config {
            access_key_id,
            access_key_secret,
            host,
            events_host,
            brand: self.brand,
            auth: self.auth,
            lang: self.lang,
            tenant_id: self.tenant_id.filter(|t| !t.is_empty()),
            timeout,
            deadline,
            retry: self.retry.unwrap_or_default(),
            user_agent_extra: self.user_agent_extra.filter(|u| !u.is_empty()),
            danger_accept_invalid_certs: self.danger_accept_invalid_certs,
            allow_insecure_http: self.allow_insecure_http,
            proxy: self.proxy,
            root_certificates: RootCertificates(root_certificates),
            max_response_bytes,
        })
    }
}

/// The proxy at `url`, or why it is no proxy URL, naming the environment variable it came from
/// if any (the config's check, `from_env`'s and the HTTP client's are this one).
pub(crate) fn parse_proxy(url: &str, variable: Option<&'static str>) -> Result<reqwest::Proxy, ConfigError> {
    const WHY: &str = "is not a valid proxy URL (`http://host:port`)";
    reqwest::Proxy::all(url).map_err(|_| match variable {
        Some(_) => ConfigError::new(variable, WHY),
        None => ConfigError::new(None, format!("proxy {WHY}")),
    })
}

/// The certificates of a PEM bundle; at least one, each a well-formed block.
pub(crate) fn parse_root_certificates(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, ConfigError> {
    let certificates = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ConfigError::new(None, format!("root_certificates_pem is not a valid PEM bundle: {e}")))?;
    if certificates.is_empty() {
        return Err(ConfigError::new(None, "root_certificates_pem holds no `BEGIN CERTIFICATE` block"));
    }
    Ok(certificates)
}

fn required(name: &str, value: Option<String>) -> Result<String, Error> {
    match value {
        Some(v) if !v.trim().is_empty() => Ok(v.trim().to_owned()),
        _ => Err(ConfigError::new(None, format!("{name} is required")).into()),
    }
}

/// Values that go into headers must be sendable as they are (see [`unsendable`]): refused here,
/// not at call time far from the mistake.
fn header_safe(name: &str, value: &str) -> Result<(), Error> {
    match unsendable(value) {
        Some(why) => Err(ConfigError::new(None, format!("{name} {why}")).into()),
        None => Ok(()),
    }
}

/// Why `text` cannot be a header value, if it cannot: control characters (HTTP cannot carry
/// them) or characters outside ASCII. HTTP libraries send those differently (UTF-8 bytes here,
/// Latin-1 or an error in Node), so a signed header holding one would not verify reliably and
/// an unsigned one may arrive altered: refused before anything is sent.
pub(crate) fn unsendable(text: &str) -> Option<&'static str> {
    if text.chars().any(char::is_control) {
        Some("must not contain control characters")
    } else if !text.is_ascii() {
        Some("must be ASCII (HTTP headers carry other characters inconsistently, and a signed one would not verify)")
    } else {
        None
    }
}

/// `https://host[:port][/prefix]` without a trailing slash, http(s) only.
pub(crate) fn normalize_host(host: &str) -> Result<String, Error> {
    let (trimmed, _) = parse_host("host", host, ["http", "https"], "an http:// or https:// URL")?;
    Ok(trimmed.to_owned())
}

/// `wss://host[:port][/prefix]` without a trailing slash, ws(s) only.
pub(crate) fn normalize_events_host(host: &str) -> Result<String, Error> {
    let (_, url) = parse_host("events host", host, ["ws", "wss"], "a ws:// or wss:// URL")?;
    // The URL's own spelling: scheme and host in lower case, so `WSS://` is still TLS.
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// `host` without surrounding space and trailing slashes, and parsed: a URL with a host, one of
/// `schemes`, and no query or fragment. `what` names it in errors, `expected` says what it must be.
fn parse_host<'a>(
    what: &str,
    host: &'a str,
    schemes: [&str; 2],
    expected: &str,
) -> Result<(&'a str, reqwest::Url), Error> {
    let trimmed = host.trim().trim_end_matches('/');
    // Errors quote the host, but never a `user:password@` part (nor what might be one).
    let shown = without_userinfo(trimmed);
    let url = reqwest::Url::parse(trimmed)
        .map_err(|e| ConfigError::new(None, format!("{what} `{shown}` is not a URL: {e}")))?;
    if !schemes.contains(&url.scheme()) || url.host_str().is_none() {
        return Err(ConfigError::new(None, format!("{what} `{shown}` must be {expected}")).into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        // It would be kept in the config, shown by `Debug` and quoted in errors, and it is not
        // how GenAuth authenticates.
        return Err(
            ConfigError::new(None, format!("{what} `{shown}` must not carry credentials (`user:password@`)")).into()
        );
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ConfigError::new(None, format!("{what} `{shown}` must not have a query or fragment")).into());
    }
    Ok((trimmed, url))
}

/// `url` with anything between the scheme and its last `@` replaced by `…` (a password may hold
/// `/`, `?` or `#`, so the `@` is looked for in the whole rest: an `@` in a path is redacted too,
/// which costs an error message a little of its path, never a password).
fn without_userinfo(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    match rest.rfind('@') {
        Some(at) if scheme.is_empty() => format!("…@{}", &rest[at + 1..]),
        Some(at) => format!("{scheme}://…@{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}

/// The one rule for cleartext: credentials (the secret, a token, a signature) may go over an
/// unencrypted scheme (`http://`, `ws://`) only to a loopback host (`localhost`, `127.0.0.0/8`,
/// `::1`), unless the user opted in by name (`allow_insecure`). Encrypted schemes always pass.
/// `url` is a URL the caller has already parsed once (a configured host or socket URI).
pub(crate) fn check_cleartext(url: &str, allow_insecure: bool) -> Result<(), ConfigError> {
    let parsed = reqwest::Url::parse(url).map_err(|e| ConfigError::new(None, format!("`{url}` is not a URL: {e}")))?;
    let scheme = parsed.scheme();
    if !matches!(scheme, "http" | "ws") || allow_insecure || is_loopback(&parsed) {
        return Ok(());
    }
    Err(ConfigError::new(
        None,
        format!(
            "host `{url}` uses cleartext {scheme}://, which would send the access key secret, tokens and \
             signatures readable by anyone on the network path; use {scheme}s://, or opt in by name with \
             `allow_insecure_http(true)` (environment: GENAUTH_ALLOW_INSECURE_HTTP=1). \
             Loopback hosts (localhost, 127.0.0.0/8, ::1) are always allowed"
        ),
    ))
}

fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else { return false };
    // IPv6 literals come bracketed (`[::1]`).
    let host = host.trim_start_matches('[').trim_end_matches(']');
    match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(std::net::IpAddr::V6(ip)) => ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
        Err(_) => {
            let name = host.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_a_host_are_refused_and_never_quoted() {
        for host in [
            "https://user:hunter2-pw@api.example.com",
            "https://hunter2-pw@api.example.com/x",
            "https://a:hunter2 pw@x",
            "https://u:hunter2/pw@x",
            "https://admin:hunter2#pw@x",
            "https://a:hunter2?pw@x",
        ] {
            let err = base().host(host).build().unwrap_err();
            let text = format!("{err} {err:?}");
            assert!(!text.contains("hunter2"), "{text}");
            assert!(text.contains("…@"), "{text}");
        }
        assert_eq!(without_userinfo("https://u:pa/ss@h.example"), "https://…@h.example");
        assert_eq!(without_userinfo("https://h.example/p"), "https://h.example/p");
        assert_eq!(without_userinfo("https://a:p#ss@h.example"), "https://…@h.example");
    }

    fn base() -> ConfigBuilder {
        Config::builder().access_key_id("ak").access_key_secret("very-secret-value")
    }

    #[test]
    fn defaults_follow_the_brand() {
        let c = base().build().unwrap();
        assert_eq!(c.host(), "https://api.genauth.ai");
        assert_eq!(c.auth_scheme(), AuthScheme::ManagementToken);
        assert_eq!(c.lang(), Lang::ZhCn);
        assert_eq!(c.timeout(), Duration::from_secs(10));
        assert_eq!(c.deadline(), Duration::from_secs(30));
        assert_eq!(base().timeout(Duration::from_secs(2)).build().unwrap().deadline(), Duration::from_secs(6));
        assert_eq!(base().deadline(Duration::from_secs(1)).build().unwrap().deadline(), Duration::from_secs(1));
        let c = base().brand(Brand::Authing).build().unwrap();
        assert_eq!(c.host(), "https://api.authing.cn");
        let c = base().brand(Brand::Authing).host("http://127.0.0.1:8080/").build().unwrap();
        assert_eq!(c.host(), "http://127.0.0.1:8080");
        assert_eq!(c.brand().header_prefix(), "x-authing-");
        assert_eq!(c.events_host(), "wss://openevent.authing.cn");
        let c = base().build().unwrap();
        assert_eq!(c.events_host(), "wss://openevent.genauth.ai");
        let c = base().events_host("ws://127.0.0.1:9/prefix/").build().unwrap();
        assert_eq!(c.events_host(), "ws://127.0.0.1:9/prefix");
        let c = base().events_host("WSS://Events.Example.com").build().unwrap();
        assert_eq!(c.events_host(), "wss://events.example.com");
    }

    #[test]
    fn rejects_bad_settings() {
        assert!(Config::builder().access_key_secret("s").build().is_err());
        assert!(Config::builder().access_key_id("ak").build().is_err());
        assert!(base().host("ftp://x").build().is_err());
        assert!(base().host("not a url").build().is_err());
        assert!(base().events_host("https://openevent.genauth.ai").build().is_err());
        assert!(base().events_host("wss://h/?code=x").build().is_err());
        assert!(base().tenant_id("a\nb").build().is_err());
        assert!(base().timeout(Duration::ZERO).build().is_err());
        assert!(base().deadline(Duration::ZERO).build().is_err());
    }

    #[test]
    fn cleartext_only_to_loopback_unless_allowed() {
        for ok in [
            "https://10.0.0.1",
            "http://127.0.0.1:8080",
            "http://127.9.9.9",
            "http://localhost:1",
            "http://LOCALHOST.",
            "http://[::1]:80",
            "http://[::ffff:127.0.0.1]",
            "wss://events.example.com",
            "ws://localhost",
        ] {
            assert!(check_cleartext(ok, false).is_ok(), "{ok}");
        }
        for bad in
            ["http://10.255.255.1", "http://api.genauth.ai", "http://[::2]", "http://localhost.evil.com", "ws://h"]
        {
            let e = check_cleartext(bad, false).unwrap_err();
            assert!(e.message().contains("cleartext") && e.message().contains("allow_insecure_http"), "{e}");
            assert!(check_cleartext(bad, true).is_ok(), "{bad}");
        }
        let e = base().host("http://10.255.255.1").build().unwrap_err();
        assert!(e.to_string().contains("GENAUTH_ALLOW_INSECURE_HTTP"), "{e}");
        assert!(base().host("http://10.255.255.1").allow_insecure_http(true).build().unwrap().allow_insecure_http());
    }

    #[test]
    fn debug_redacts_the_secret() {
        let b = base();
        assert!(!format!("{b:?}").contains("very-secret-value"));
        let c = b.build().unwrap();
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("very-secret-value") && dbg.contains("[REDACTED]"), "{dbg}");
    }

    #[test]
    fn parses_names() {
        assert_eq!("Authing".parse::<Brand>(), Ok(Brand::Authing));
        assert_eq!("signature".parse::<AuthScheme>(), Ok(AuthScheme::Signature));
        assert_eq!("en_us".parse::<Lang>(), Ok(Lang::EnUs));
        assert!("fr-FR".parse::<Lang>().is_err());
    }
}
