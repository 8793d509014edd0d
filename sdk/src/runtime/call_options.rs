//! [`CallOptions`]: settings for one call, given to any request builder's `customize`.

use std::time::Duration;

use crate::runtime::config::{Brand, Lang};
use crate::runtime::error::{ConfigError, Error};
use crate::runtime::retry::RetryPolicy;

/// Settings for one call, overriding the client's [`Config`](crate::Config) for that call only.
/// Give them to a request builder's `customize`:
///
/// ```no_run
/// # #[cfg(feature = "users")]
/// # async fn demo(client: genauth::ManagementClient) -> Result<(), genauth::Error> {
/// use std::time::Duration;
/// use genauth::{CallOptions, Lang, RetryPolicy};
///
/// let response = client
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
/// # let _ = response;
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

    /// The language of the response's messages (the config's [`lang`](crate::ConfigBuilder::lang)).
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
            if let Some(why) = crate::runtime::config::unsendable(value) {
                return refuse(why);
            }
        }
        if let Some(why) = self.tenant_id.as_deref().and_then(crate::runtime::config::unsendable) {
            return Err(ConfigError::new(None, format!("call option `tenant_id` {why}")).into());
        }
        Ok(())
    }
}

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
