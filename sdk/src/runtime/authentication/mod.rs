//! [`AuthenticationClient`]: acts for one application and its end users, over the Authentication
//! API on the application's own domain. One client per process (configuration and connection
//! pool behind an `Arc`); [`AuthenticationClient::with_access_token`] makes a cheap handle per end
//! user, so calls for many users run side by side without sharing a token (the official SDKs
//! keep one mutable token per client and tell users to make a client per user).
//!
//! Its authentication step of the call pipeline: `x-{brand}-app-id` on every call; on the
//! sign-in operations the application's own credentials as [`ClientAuth`] says; elsewhere the
//! end user's token, when the handle has one, as the document's `bearer` scheme.

mod config;

use std::fmt;
use std::sync::Arc;

use base64::Engine as _;
use http::HeaderMap;
use http::header::AUTHORIZATION;
use serde_json::Value;

pub use config::{AuthenticationConfig, AuthenticationConfigBuilder, ClientAuth};

use crate::runtime::envelope::{Checked, Response};
use crate::runtime::error::Error;
use crate::runtime::generated_api::ApiRequest;
use crate::runtime::headers::{self, Names};
use crate::runtime::pipeline::{Check, Pipeline, send_checked};
use crate::runtime::secret::Secret;
use crate::runtime::transport::Outgoing;

/// A client of the Authentication API, acting for one application. Cheap to clone; clones and
/// the handles of [`with_access_token`](Self::with_access_token) share one connection pool.
/// `Send + Sync`, so one client can serve a whole application.
#[derive(Clone)]
pub struct AuthenticationClient {
    inner: Arc<Inner>,
    /// The end user's access token this handle sends, if any.
    user_token: Option<Arc<Secret>>,
}

struct Inner {
    config: AuthenticationConfig,
    pipeline: Pipeline,
    /// The application's token verifier, made on first use (one key cache per client).
    #[cfg(feature = "oidc")]
    verifier: std::sync::OnceLock<crate::oidc::TokenVerifier>,
}

impl fmt::Debug for AuthenticationClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The config's Debug redacts the secret; the user's token is not shown at all.
        f.debug_struct("AuthenticationClient")
            .field("config", &self.inner.config)
            .field("access_token", &if self.user_token.is_some() { "[REDACTED]" } else { "none" })
            .finish()
    }
}

impl AuthenticationClient {
    /// A client for `config`.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the HTTP client cannot be built (a proxy or root certificate it
    /// cannot use).
    pub fn new(config: AuthenticationConfig) -> Result<Self, Error> {
        let pipeline = Pipeline::own(config.connection.clone())?;
        Ok(Self::with_pipeline(config, pipeline))
    }

    /// A client for `config` that sends through `http`, a `reqwest::Client` you built; see
    /// [`ManagementClient::with_http_client`](crate::ManagementClient::with_http_client) for what
    /// that changes.
    pub fn with_http_client(config: AuthenticationConfig, http: reqwest::Client) -> Self {
        let pipeline = Pipeline::new(config.connection.clone(), http);
        Self::with_pipeline(config, pipeline)
    }

    fn with_pipeline(config: AuthenticationConfig, pipeline: Pipeline) -> Self {
        let inner = Inner {
            config,
            pipeline,
            #[cfg(feature = "oidc")]
            verifier: std::sync::OnceLock::new(),
        };
        AuthenticationClient { inner: Arc::new(inner), user_token: None }
    }

    /// A client configured from `GENAUTH_*` environment variables (see
    /// [`AuthenticationConfig::from_env`]).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] naming the variable that is missing or malformed.
    pub fn from_env() -> Result<Self, Error> {
        Self::new(AuthenticationConfig::from_env()?)
    }

    /// The client's configuration.
    pub fn config(&self) -> &AuthenticationConfig {
        &self.inner.config
    }

    /// A handle that acts for the end user whose access token is `token` (from a sign-in, or
    /// from your session store): every operation but the sign-ins (which authenticate the
    /// application instead) sends it, as `Authorization: Bearer <token>`. The handle shares this client's configuration and
    /// connections; make one per request or per user, and drop it when done. The token is never
    /// printed, and it is scrubbed from errors.
    pub fn with_access_token(&self, token: impl Into<String>) -> AuthenticationClient {
        AuthenticationClient { inner: Arc::clone(&self.inner), user_token: Some(Arc::new(Secret::new(token.into()))) }
    }

    /// Whether this handle sends an end user's token.
    pub fn has_access_token(&self) -> bool {
        self.user_token.is_some()
    }

    pub(crate) fn pipeline(&self) -> &Pipeline {
        &self.inner.pipeline
    }

    /// The end user's token this handle sends, if any.
    #[cfg_attr(not(feature = "subscribe"), allow(dead_code))]
    pub(crate) fn user_token(&self) -> Option<&Arc<Secret>> {
        self.user_token.as_ref()
    }

    #[cfg(feature = "oidc")]
    pub(crate) fn verifier_cell(&self) -> &std::sync::OnceLock<crate::oidc::TokenVerifier> {
        &self.inner.verifier
    }

    /// A sign-in request with the application's `client_id` and `client_secret` added to its
    /// JSON body, when the config says so ([`ClientAuth::SecretInBody`]); fields the caller set
    /// are kept.
    pub(crate) fn with_client_credentials(&self, request: &ApiRequest) -> Result<ApiRequest, Error> {
        let mut request = request.clone();
        if self.inner.config.sign_in_auth != ClientAuth::SecretInBody {
            return Ok(request);
        }
        let connection = &self.inner.config.connection;
        match request.body.get_or_insert_with(|| Value::Object(Default::default())) {
            Value::Object(fields) => {
                fields.entry("client_id").or_insert_with(|| Value::String(connection.access_key_id.clone()));
                fields
                    .entry("client_secret")
                    .or_insert_with(|| Value::String(connection.access_key_secret.expose().to_owned()));
                Ok(request)
            }
            _ => Err(Error::Serialize(format!(
                "{}: the sign-in body is not a JSON object, so the app credentials cannot be added",
                request.operation
            ))),
        }
    }

    /// This client's authentication step of the pipeline: the app id on every attempt, and the
    /// application's Basic credentials (sign-in operations) or the end user's token.
    pub(crate) async fn send_authenticated(
        &self,
        request: &ApiRequest,
        out: &Outgoing<'_>,
        mut headers: HeaderMap,
        check: Check<'_>,
    ) -> Result<(Response, Checked), Error> {
        let config = &self.inner.config;
        let names = Names::of(config.brand());
        headers.insert(names.app_id.clone(), headers::value("the app id", config.app_id())?);
        let authorization = match (request.sign_in, config.sign_in_auth) {
            (true, ClientAuth::Basic) => {
                let pair = format!("{}:{}", config.app_id(), config.connection.access_key_secret.expose());
                Some(format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair)))
            }
            // A sign-in authenticates the application, never a user already signed in.
            (true, _) => None,
            (false, _) => self.user_token.as_ref().map(|token| format!("Bearer {}", token.expose())),
        };
        if let Some(value) = authorization {
            headers.insert(AUTHORIZATION, headers::sensitive(&value)?);
        }
        send_checked(self.pipeline(), out, || Ok(headers.clone()), check).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_share_the_client_and_never_show_the_token() {
        fn assert_traits<T: Clone + Send + Sync + 'static>() {}
        assert_traits::<AuthenticationClient>();
        let config = AuthenticationConfig::builder().app_id("app1").app_host("https://a.genauth.ai").build().unwrap();
        let client = AuthenticationClient::new(config).unwrap();
        let user = client.with_access_token("user-token-value");
        assert!(Arc::ptr_eq(&client.inner, &user.inner));
        assert!(user.has_access_token() && !client.has_access_token());
        let shown = format!("{user:?}");
        assert!(!shown.contains("user-token-value") && shown.contains("[REDACTED]"), "{shown}");
    }
}
