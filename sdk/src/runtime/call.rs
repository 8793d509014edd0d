//! Per-call control: [`CallOptions`] (set on any request builder with `customize`), the
//! [`ResponseMetadata`] of a successful call (`send_with_metadata`), and the macro that gives
//! every generated request builder those methods and `send`, written once here.

use std::time::Duration;

use http::HeaderMap;

use crate::runtime::config::{Brand, Lang};
use crate::runtime::error::{ConfigError, Error};
use crate::runtime::pipeline::Caller;
use crate::runtime::retry::RetryPolicy;
use crate::runtime::secret::Scrub;

/// Settings for one call, overriding the client's [`Config`](crate::Config) for that call only.
/// Give them to a request builder's `customize`:
///
/// ```no_run
/// # #[cfg(feature = "users")]
/// # async fn demo(client: genauth::ManagementClient) -> Result<(), genauth::Error> {
/// use std::time::Duration;
/// use genauth::{CallOptions, Lang, RetryPolicy};
///
/// let answer = client
///     .kick_users("6229ffaxxxxxxxxcade3e3d9", ["62188e71cxxxx3075289c580"])
///     .customize(
///         CallOptions::new()
///             .timeout(Duration::from_secs(2))
///             .deadline(Duration::from_secs(5))
///             .retry_policy(RetryPolicy::disabled())
///             .tenant_id("tenant-1")
///             .lang(Lang::EnUs)
///             .header("x-trace-id", "4bf92f35"),
///     )
///     .send()
///     .await?;
/// # let _ = answer;
/// # Ok(())
/// # }
/// ```
///
/// One `CallOptions` can be kept and given to many calls (it is cheap to clone). Options are
/// checked when the call is sent: a header the SDK sets itself, or one HTTP cannot carry, fails
/// the call with [`Error::Config`] before anything is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) deadline: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) tenant_id: Option<String>,
    pub(crate) lang: Option<Lang>,
    pub(crate) headers: Vec<(String, String)>,
}

impl CallOptions {
    /// No overrides: the call behaves as the client's config says.
    pub fn new() -> Self {
        CallOptions::default()
    }

    /// The time one attempt may take (the config's [`timeout`](crate::ConfigBuilder::timeout)).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The time the whole call may take, its attempts, waits between them and a token fetch
    /// included (the config's [`deadline`](crate::ConfigBuilder::deadline)).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// How failed attempts of this call are retried (the config's
    /// [`retry_policy`](crate::ConfigBuilder::retry_policy)).
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// The tenant the call acts for, sent as the `x-…-app-tenant-id` header (the config's
    /// [`tenant_id`](crate::ConfigBuilder::tenant_id)).
    pub fn tenant_id(mut self, tenant_id: impl Into<String>) -> Self {
        self.tenant_id = Some(tenant_id.into());
        self
    }

    /// The language of the answer's messages (the config's [`lang`](crate::ConfigBuilder::lang)).
    pub fn lang(mut self, lang: Lang) -> Self {
        self.lang = Some(lang);
        self
    }

    /// An extra header, sent on every attempt of the call (a trace id, a gateway's key). Names
    /// starting with the brand's prefix (`x-genauth-`, `x-authing-`) are covered by the
    /// signature, as the API's own are. The headers the SDK sets itself cannot be replaced:
    /// `authorization`, `date`, `host`, `accept`, `content-type`, `content-length`, and the
    /// prefixed `signature-*`, `userpool-id`, `app-id`, `sdk-version`, `lang` and `app-tenant-id` (use
    /// [`lang`](Self::lang) and [`tenant_id`](Self::tenant_id) for those two). Adding a name twice
    /// sends the last value.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.set_header(name.into().to_ascii_lowercase(), value.into());
        self
    }

    /// `other`'s settings on top of these: what `other` sets wins, its headers are added.
    pub(crate) fn merge(&mut self, other: CallOptions) {
        let CallOptions { timeout, deadline, retry, tenant_id, lang, headers } = other;
        self.timeout = timeout.or(self.timeout);
        self.deadline = deadline.or(self.deadline);
        self.retry = retry.or(self.retry.take());
        self.tenant_id = tenant_id.or(self.tenant_id.take());
        self.lang = lang.or(self.lang);
        for (name, value) in headers {
            self.set_header(name, value);
        }
    }

    /// Sets a lower-case header name's value, replacing an earlier one.
    fn set_header(&mut self, name: String, value: String) {
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, value));
    }

    /// Refuses extra headers the SDK sets itself (they would break the signature or the token
    /// flow, or silently lose to the SDK's value) and headers HTTP cannot carry.
    pub(crate) fn check(&self, brand: Brand) -> Result<(), Error> {
        const OWN: [&str; 6] = ["authorization", "date", "host", "accept", "content-type", "content-length"];
        const OWN_PREFIXED: [&str; 6] = ["signature-", "userpool-id", "sdk-version", "lang", "app-tenant-id", "app-id"];
        for (name, value) in [("timeout", self.timeout), ("deadline", self.deadline)] {
            if value.is_some_and(|v| v.is_zero()) {
                return Err(ConfigError::new(None, format!("call option `{name}` must be greater than zero")).into());
            }
        }
        let prefix = brand.header_prefix();
        for (name, value) in &self.headers {
            let refuse = |why: &str| Err(ConfigError::new(None, format!("call option header `{name}` {why}")).into());
            if OWN.contains(&name.as_str())
                || name.strip_prefix(prefix).is_some_and(|rest| OWN_PREFIXED.iter().any(|own| rest.starts_with(own)))
            {
                return refuse("is one the SDK sets itself");
            }
            if http::HeaderName::from_bytes(name.as_bytes()).is_err() {
                return refuse("is not a valid header name");
            }
            if let Some(why) = crate::runtime::headers::unsendable(value) {
                return refuse(why);
            }
        }
        if let Some(why) = self.tenant_id.as_deref().and_then(crate::runtime::headers::unsendable) {
            return Err(ConfigError::new(None, format!("call option `tenant_id` {why}")).into());
        }
        Ok(())
    }
}

/// What a successful call's answer said besides its data: returned by a request builder's
/// `send_with_metadata`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ResponseMetadata {
    /// The request id: the `x-request-id` header, else the envelope's `requestId`. Quote it
    /// when asking GenAuth's support about a call.
    pub request_id: Option<String>,
    /// The HTTP status (2xx).
    pub status: u16,
    /// The answer's HTTP headers. A value holding the call's credentials (a proxy echoing them)
    /// is replaced by `[REDACTED]`.
    pub headers: HeaderMap,
    /// How many attempts the call took (1 when the first one succeeded).
    pub attempts: u32,
}

/// What a successful call's answer said besides its data, as received: made into
/// [`ResponseMetadata`] (which scrubs it) only when asked for.
#[derive(Debug)]
#[cfg_attr(
    not(feature = "full"),
    allow(dead_code, reason = "read by the builders' `send_with_metadata`: none without an API group")
)]
pub(crate) struct Reply {
    pub status: u16,
    /// The `x-request-id` header, else the envelope's `requestId`, unscrubbed.
    pub request_id: Option<String>,
    pub headers: HeaderMap,
    pub attempts: u32,
    /// The `authorization` values the call sent, to scrub.
    pub authorizations: Vec<String>,
    pub client: Caller,
}

impl Reply {
    /// The metadata, with anything that echoes the call's credentials redacted.
    #[cfg_attr(
        not(feature = "full"),
        allow(dead_code, reason = "called by the builders' `send_with_metadata`: none without an API group")
    )]
    pub(crate) fn metadata(self) -> ResponseMetadata {
        let scrub = Scrub::new(&self.client.pipeline().config.access_key_secret, &self.authorizations);
        ResponseMetadata {
            request_id: self.request_id.map(|id| scrub.text(&id)),
            status: self.status,
            headers: scrub.headers(self.headers),
            attempts: self.attempts,
        }
    }
}

/// A request builder's link to its client, with the call's options.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub client: Caller,
    pub options: CallOptions,
}

impl From<&crate::ManagementClient> for Call {
    fn from(client: &crate::ManagementClient) -> Self {
        Call { client: Caller::Management(client.clone()), options: CallOptions::default() }
    }
}

impl From<&crate::AuthenticationClient> for Call {
    fn from(client: &crate::AuthenticationClient) -> Self {
        Call { client: Caller::Authentication(client.clone()), options: CallOptions::default() }
    }
}

/// Gives each generated request builder (`Name => Answer`, a struct with a `call: rt::Call`
/// field and a `fn request(&self) -> Result<ApiRequest, Error>` that checks the inputs and
/// builds the request) its `customize`, `send` and `send_with_metadata`.
#[allow(unused_macros, reason = "used by generated code only when the spec has operations")]
macro_rules! request_builders {
    ($($builder:ident => $answer:ty),* $(,)?) => {$(
        impl $builder {
            /// Sets options for this call only (timeout, deadline, retries, tenant, language,
            /// extra headers): see [`CallOptions`](crate::CallOptions). Options given in several
            /// `customize` calls add up; a later value wins.
            pub fn customize(mut self, options: crate::CallOptions) -> Self {
                self.call.options.merge(options);
                self
            }

            /// Checks the inputs against the spec's constraints, then sends the request and
            /// decodes the answer.
            ///
            /// # Errors
            ///
            /// [`Error::Validation`](crate::Error::Validation) when an input breaks a constraint
            /// (nothing is sent then), otherwise any error the request fails with.
            pub async fn send(self) -> ::std::result::Result<$answer, crate::Error> {
                self.request()?.send(self.call).await.map(|(answer, _)| answer)
            }

            /// As [`send`](Self::send), and also returns the answer's request id, HTTP headers
            /// and the number of attempts.
            ///
            /// # Errors
            ///
            /// As [`send`](Self::send).
            pub async fn send_with_metadata(
                self,
            ) -> ::std::result::Result<($answer, crate::ResponseMetadata), crate::Error> {
                let (answer, reply) = self.request()?.send(self.call).await?;
                Ok((answer, reply.metadata()))
            }
        }
    )*};
}
#[allow(unused_imports, reason = "used by generated code only when the spec has operations")]
pub(crate) use request_builders;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_options_win_and_headers_add_up() {
        let mut base = CallOptions::new().timeout(Duration::from_secs(1)).tenant_id("a").header("X-One", "1");
        base.merge(CallOptions::new().tenant_id("b").header("x-two", "2").header("x-one", "3"));
        assert_eq!(base.timeout, Some(Duration::from_secs(1)));
        assert_eq!(base.tenant_id.as_deref(), Some("b"));
        assert_eq!(base.headers, vec![("x-two".to_owned(), "2".to_owned()), ("x-one".to_owned(), "3".to_owned())]);
    }

    #[test]
    fn headers_the_sdk_sets_are_refused() {
        for name in ["Authorization", "date", "x-genauth-signature-nonce", "x-genauth-userpool-id", "x-genauth-lang"] {
            let err = CallOptions::new().header(name, "v").check(Brand::GenAuth).unwrap_err();
            assert!(err.to_string().contains("the SDK sets itself"), "{name}: {err}");
        }
        // Another brand's prefix is an ordinary header.
        assert!(CallOptions::new().header("x-authing-lang", "v").check(Brand::GenAuth).is_ok());
        assert!(CallOptions::new().header("x-genauth-trace", "v").check(Brand::GenAuth).is_ok());
        assert!(CallOptions::new().header("bad name", "v").check(Brand::GenAuth).is_err());
        assert!(CallOptions::new().header("x-ok", "line\nbreak").check(Brand::GenAuth).is_err());
        assert!(CallOptions::new().timeout(Duration::ZERO).check(Brand::GenAuth).is_err());
    }
}
