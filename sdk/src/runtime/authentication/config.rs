//! [`AuthenticationConfig`]: the application an [`AuthenticationClient`](crate::AuthenticationClient)
//! acts for (its id, its own domain, its secret) and the connection settings both clients share.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use crate::runtime::config::{Brand, Config, ConfigBuilder, Lang};
use crate::runtime::error::{ConfigError, Error};
use crate::runtime::retry::RetryPolicy;
use crate::runtime::secret::Secret;

/// How the application proves itself on the sign-in operations, which issue a user's tokens
/// (`/api/v3/signin`, `/api/v3/signin-by-mobile`, `/api/v3/exchange-tokenset-with-qrcode-ticket`),
/// as the document's description of `/api/v3/signin` gives the three ways: the console's "token
/// endpoint authentication method".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientAuth {
    /// `client_secret_post`: `client_id` and `client_secret` in the JSON body (the default when
    /// an app secret is configured, as in the official SDKs).
    SecretInBody,
    /// `client_secret_basic`: `Authorization: Basic base64(app id:app secret)`.
    Basic,
    /// `none`: the application does not authenticate (a public client; the default without an
    /// app secret).
    None,
}

impl FromStr for ClientAuth {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "client_secret_post" | "secret-in-body" | "post" => Ok(ClientAuth::SecretInBody),
            "client_secret_basic" | "basic" => Ok(ClientAuth::Basic),
            "none" => Ok(ClientAuth::None),
            other => Err(format!("`{other}` is not client_secret_post, client_secret_basic or none")),
        }
    }
}

/// Configuration of an [`AuthenticationClient`](crate::AuthenticationClient): build it with
/// [`AuthenticationConfig::builder`] or read it with [`AuthenticationConfig::from_env`]. `Debug`
/// never shows the app secret.
#[derive(Clone)]
pub struct AuthenticationConfig {
    pub(crate) sign_in_auth: ClientAuth,
    /// The connection settings as the call pipeline reads them: its host is the app host, its
    /// credentials the app id and the app secret (empty without one), so that the pipeline
    /// scrubs the app secret from errors and logs as it does the management secret.
    pub(crate) connection: Config,
}

impl fmt::Debug for AuthenticationConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthenticationConfig")
            .field("app_id", &self.app_id())
            .field("app_host", &self.app_host())
            .field("app_secret", &if self.has_app_secret() { "[REDACTED]" } else { "none" })
            .field("sign_in_auth", &self.sign_in_auth)
            .field("brand", &self.connection.brand)
            .field("lang", &self.connection.lang)
            .field("timeout", &self.connection.timeout)
            .field("deadline", &self.connection.deadline)
            .finish_non_exhaustive()
    }
}

impl AuthenticationConfig {
    /// Starts a builder; the app id and the app host are required.
    pub fn builder() -> AuthenticationConfigBuilder {
        AuthenticationConfigBuilder::default()
    }

    /// The application's id, sent as `x-{brand}-app-id` on every call.
    pub fn app_id(&self) -> &str {
        &self.connection.access_key_id
    }
    /// The application's base URL, without a trailing slash.
    pub fn app_host(&self) -> &str {
        &self.connection.host
    }
    /// Whether an app secret is configured.
    pub fn has_app_secret(&self) -> bool {
        !self.connection.access_key_secret.expose().is_empty()
    }
    /// How the sign-in operations authenticate the application.
    pub fn sign_in_auth(&self) -> ClientAuth {
        self.sign_in_auth
    }
    /// The brand.
    pub fn brand(&self) -> Brand {
        self.connection.brand
    }
    /// The language of server messages.
    pub fn lang(&self) -> Lang {
        self.connection.lang
    }
    /// The time limit of one attempt.
    pub fn timeout(&self) -> Duration {
        self.connection.timeout
    }
    /// The time limit of a whole call, every attempt and wait included.
    pub fn deadline(&self) -> Duration {
        self.connection.deadline
    }
}

/// Builds an [`AuthenticationConfig`]. The connection settings mean what they mean on
/// [`ConfigBuilder`].
#[derive(Clone, Debug, Default)]
pub struct AuthenticationConfigBuilder {
    app_id: Option<String>,
    app_secret: Option<Secret>,
    app_host: Option<String>,
    sign_in_auth: Option<ClientAuth>,
    connection: ConfigBuilder,
}

impl AuthenticationConfigBuilder {
    /// The application's id (the console's App ID). Required.
    pub fn app_id(mut self, id: impl Into<String>) -> Self {
        self.app_id = Some(id.into());
        self
    }
    /// The application's own domain: `https://<app>.genauth.ai`, `https://<app>.authing.cn`, or a
    /// private deployment's. Required: the Authentication API has no shared host.
    pub fn app_host(mut self, host: impl Into<String>) -> Self {
        self.app_host = Some(host.into());
        self
    }
    /// The application's secret, which the sign-in operations send as [`ClientAuth`] says.
    /// Never printed.
    pub fn app_secret(mut self, secret: impl Into<String>) -> Self {
        self.app_secret = Some(Secret::new(secret.into()));
        self
    }
    /// How the sign-in operations authenticate the application. Default:
    /// [`ClientAuth::SecretInBody`] with an app secret, [`ClientAuth::None`] without.
    pub fn sign_in_auth(mut self, auth: ClientAuth) -> Self {
        self.sign_in_auth = Some(auth);
        self
    }
    /// The brand (header prefix `x-genauth-` or `x-authing-`). Default: GenAuth.
    pub fn brand(mut self, brand: Brand) -> Self {
        self.connection = self.connection.brand(brand);
        self
    }
    /// The language of server messages. See [`ConfigBuilder::lang`].
    pub fn lang(mut self, lang: Lang) -> Self {
        self.connection = self.connection.lang(lang);
        self
    }
    /// The tenant, sent with every call. See [`ConfigBuilder::tenant_id`].
    pub fn tenant_id(mut self, tenant_id: impl Into<String>) -> Self {
        self.connection = self.connection.tenant_id(tenant_id);
        self
    }
    /// The time limit of one attempt. See [`ConfigBuilder::timeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.connection = self.connection.timeout(timeout);
        self
    }
    /// The time limit of a whole call. See [`ConfigBuilder::deadline`].
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.connection = self.connection.deadline(deadline);
        self
    }
    /// When and how calls are retried. See [`ConfigBuilder::retry_policy`].
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.connection = self.connection.retry_policy(retry);
        self
    }
    /// Text added to the `User-Agent`. See [`ConfigBuilder::user_agent`].
    pub fn user_agent(mut self, extra: impl Into<String>) -> Self {
        self.connection = self.connection.user_agent(extra);
        self
    }
    /// Accepts any TLS certificate. See [`ConfigBuilder::danger_accept_invalid_certs`].
    pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
        self.connection = self.connection.danger_accept_invalid_certs(accept);
        self
    }
    /// Allows an `http://` app host that is not loopback. See
    /// [`ConfigBuilder::allow_insecure_http`].
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.connection = self.connection.allow_insecure_http(allow);
        self
    }
    /// The event service's host for [`AuthenticationClient::subscribe`](crate::AuthenticationClient::subscribe).
    /// See [`ConfigBuilder::events_host`].
    pub fn events_host(mut self, host: impl Into<String>) -> Self {
        self.connection = self.connection.events_host(host);
        self
    }
    /// A proxy for the calls. See [`ConfigBuilder::proxy`].
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.connection = self.connection.proxy(url);
        self
    }
    /// The largest response body read. See [`ConfigBuilder::max_response_bytes`].
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.connection = self.connection.max_response_bytes(bytes);
        self
    }
    /// Extra trusted root certificates. See [`ConfigBuilder::root_certificates_pem`].
    pub fn root_certificates_pem(mut self, pem: impl AsRef<[u8]>) -> Self {
        self.connection = self.connection.root_certificates_pem(pem);
        self
    }

    /// The connection settings changed by `f` (for `from_env`, which reads them the way
    /// `Config::from_env` does).
    pub(crate) fn connection(
        mut self,
        f: impl FnOnce(ConfigBuilder) -> Result<ConfigBuilder, Error>,
    ) -> Result<Self, Error> {
        self.connection = f(self.connection)?;
        Ok(self)
    }

    /// Checks the settings.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the app id or host is missing or malformed, when a sign-in method
    /// that sends the secret is chosen without one, or a connection setting is wrong (see
    /// [`ConfigBuilder::build`]).
    pub fn build(self) -> Result<AuthenticationConfig, Error> {
        let app_id = self.app_id.filter(|id| !id.trim().is_empty()).ok_or_else(|| {
            Error::from(ConfigError::new(None, "app_id is required: the application's id (the console's App ID)"))
        })?;
        let host = self.app_host.filter(|h| !h.trim().is_empty()).ok_or_else(|| {
            Error::from(ConfigError::new(
                None,
                "app_host is required: the application's own domain, such as https://<app>.genauth.ai",
            ))
        })?;
        let secret = self.app_secret.filter(|s| !s.expose().trim().is_empty());
        let sign_in_auth =
            self.sign_in_auth.unwrap_or(if secret.is_some() { ClientAuth::SecretInBody } else { ClientAuth::None });
        if secret.is_none() && sign_in_auth != ClientAuth::None {
            return Err(ConfigError::new(
                None,
                format!("sign_in_auth {sign_in_auth:?} sends the app secret, but no app_secret is set"),
            )
            .into());
        }
        if app_id.chars().any(|c| c.is_control() || !c.is_ascii()) {
            return Err(ConfigError::new(None, "app_id must be printable ASCII: it is sent in a header").into());
        }
        let connection =
            self.connection.host(host).finish(app_id, secret.unwrap_or_else(|| Secret::new(String::new())))?;
        Ok(AuthenticationConfig { sign_in_auth, connection })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_app_id_and_host_are_required_and_the_secret_is_never_shown() {
        let err = AuthenticationConfig::builder().app_host("https://a.genauth.ai").build().unwrap_err();
        assert!(err.to_string().contains("app_id is required"), "{err}");
        let err = AuthenticationConfig::builder().app_id("app").build().unwrap_err();
        assert!(err.to_string().contains("app_host is required"), "{err}");
        let config = AuthenticationConfig::builder()
            .app_id("app1")
            .app_host("https://a.genauth.ai/")
            .app_secret("s3cr3t-value")
            .build()
            .unwrap();
        assert_eq!((config.app_id(), config.app_host()), ("app1", "https://a.genauth.ai"));
        assert_eq!(config.sign_in_auth(), ClientAuth::SecretInBody);
        let shown = format!("{config:?}");
        assert!(!shown.contains("s3cr3t-value") && shown.contains("[REDACTED]"), "{shown}");
    }

    #[test]
    fn a_method_that_sends_the_secret_needs_one() {
        let base = || AuthenticationConfig::builder().app_id("app1").app_host("https://a.genauth.ai");
        assert_eq!(base().build().unwrap().sign_in_auth(), ClientAuth::None);
        let err = base().sign_in_auth(ClientAuth::Basic).build().unwrap_err();
        assert!(err.to_string().contains("no app_secret"), "{err}");
        assert!(base().app_id("bad\nid").build().is_err());
        // Cleartext to a host that is not loopback is refused, as for the management client.
        assert!(base().app_host("http://10.255.255.1").build().is_err());
        assert_eq!("client_secret_basic".parse::<ClientAuth>(), Ok(ClientAuth::Basic));
        assert!("magic".parse::<ClientAuth>().is_err());
    }
}
