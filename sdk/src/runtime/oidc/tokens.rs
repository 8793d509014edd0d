//! The back-channel half: the OIDC endpoints the authentication document leaves out, called
//! with the configured client authentication. The token endpoint (code exchange, refresh, client
//! credentials) returns a [`TokenSet`]; introspection (RFC 7662), revocation (RFC 7009) and
//! userinfo are here too. Every response is checked: a refusal is an [`OAuthError`], never a
//! `true` or an empty set.

use std::fmt;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use http::header::{ACCEPT, AUTHORIZATION};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::claims::Claims;
use super::error::OAuthError;
use crate::runtime::authentication::{AuthenticationClient, ClientAuth};
use crate::runtime::error::{DecodeError, Error};
use crate::runtime::transport::{ReadError, read_limited};

/// A response of the token endpoint larger than this is refused.
const MAX_ANSWER_BYTES: usize = 256 * 1024;

/// The tokens of a sign-in: the access token, and the ID token and refresh token when the
/// server issued them. Its expiry is an instant, so it can be stored and looked at later.
/// `Debug` never shows a token; `Serialize` does (it is for your session store).
#[derive(Clone, Serialize, Deserialize)]
pub struct TokenSet {
    access_token: String,
    token_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<SystemTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id_claims: Option<Claims>,
}

impl fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |t: &Option<String>| t.as_ref().map(|_| "[REDACTED]");
        f.debug_struct("TokenSet")
            .field("access_token", &"[REDACTED]")
            .field("token_type", &self.token_type)
            .field("id_token", &shown(&self.id_token))
            .field("refresh_token", &shown(&self.refresh_token))
            .field("scope", &self.scope)
            .field("expires_at", &self.expires_at)
            .field("id_claims", &self.id_claims)
            .finish()
    }
}

impl TokenSet {
    /// The access token, for `Authorization: Bearer`.
    pub fn access_token(&self) -> &str {
        &self.access_token
    }
    /// The token type (`Bearer`).
    pub fn token_type(&self) -> &str {
        &self.token_type
    }
    /// The ID token, when the scope had `openid`.
    pub fn id_token(&self) -> Option<&str> {
        self.id_token.as_deref()
    }
    /// The refresh token, when the server issued one (`offline_access`).
    pub fn refresh_token(&self) -> Option<&str> {
        self.refresh_token.as_deref()
    }
    /// The granted scopes, when the server said (it may omit them when they are the ones asked).
    pub fn scope(&self) -> Option<&str> {
        self.scope.as_deref()
    }
    /// When the access token expires, if the server said how long it lives.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }
    /// Whether the access token has expired or will within `margin`. A token set with no known
    /// expiry never expires by this measure.
    pub fn expires_within(&self, margin: Duration) -> bool {
        // A margin too large to add is further away than any expiry.
        self.expires_at.is_some_and(|at| SystemTime::now().checked_add(margin).is_none_or(|limit| at <= limit))
    }
    /// The ID token's verified claims (after a code exchange or a refresh that returned one).
    pub fn id_claims(&self) -> Option<&Claims> {
        self.id_claims.as_ref()
    }
}

/// What the token endpoint returns.
#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default = "bearer")]
    token_type: String,
    id_token: Option<String>,
    refresh_token: Option<String>,
    scope: Option<String>,
    /// RFC 6749's name.
    expires_in: Option<f64>,
    /// GenAuth's sign-in responses spell it so.
    expire_in: Option<f64>,
}

fn bearer() -> String {
    "Bearer".to_owned()
}

impl TokenResponse {
    fn into_set(self, id_claims: Option<Claims>) -> TokenSet {
        let lifetime = self
            .expires_in
            .or(self.expire_in)
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(|s| Duration::from_secs_f64(s.min(1e10)));
        TokenSet {
            access_token: self.access_token,
            token_type: self.token_type,
            id_token: self.id_token,
            refresh_token: self.refresh_token,
            scope: self.scope,
            expires_at: lifetime.map(|l| SystemTime::now() + l),
            id_claims,
        }
    }
}

/// The response of the introspection endpoint (RFC 7662): whether the token is active, and when it
/// is, what the server knows of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Introspection {
    /// Whether the token is active (issued by this server, not expired, not revoked). When it
    /// is not, the other fields are usually absent.
    pub active: bool,
    /// The scopes, space-separated.
    #[serde(default)]
    pub scope: Option<String>,
    /// The client the token was issued to.
    #[serde(default)]
    pub client_id: Option<String>,
    /// The subject (the user's id).
    #[serde(default)]
    pub sub: Option<String>,
    /// Expiry, seconds since the Unix epoch.
    #[serde(default)]
    pub exp: Option<f64>,
    /// Issue time, seconds since the Unix epoch.
    #[serde(default)]
    pub iat: Option<f64>,
    /// The issuer.
    #[serde(default)]
    pub iss: Option<String>,
    /// The token type.
    #[serde(default)]
    pub token_type: Option<String>,
    /// Every other member of the response.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// Which kind of token is revoked or introspected (a hint the server may use).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenKind {
    /// An access token.
    AccessToken,
    /// A refresh token.
    RefreshToken,
}

impl TokenKind {
    fn hint(self) -> &'static str {
        match self {
            TokenKind::AccessToken => "access_token",
            TokenKind::RefreshToken => "refresh_token",
        }
    }
}

/// The form of an introspection or revocation request: the token, and its kind when known.
fn token_fields(token: &str, kind: Option<TokenKind>) -> Vec<(&'static str, String)> {
    let mut fields = vec![("token", token.to_owned())];
    fields.extend(kind.map(|kind| ("token_type_hint", kind.hint().to_owned())));
    fields
}

/// The OIDC endpoints of an application, under its issuer.
pub(crate) struct Endpoints {
    pub issuer: String,
}

impl Endpoints {
    pub(crate) fn of(client: &AuthenticationClient) -> Result<Endpoints, Error> {
        Ok(Endpoints { issuer: super::verifier::issuer_of(client.config().app_host())? })
    }
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.issuer)
    }
}

impl AuthenticationClient {
    /// Posts a form to an OIDC endpoint with the application's client authentication, and
    /// decodes its JSON response (`None` for an empty 2xx body).
    pub(crate) async fn post_oauth_form<T: DeserializeOwned>(
        &self,
        endpoint: &'static str,
        path: &str,
        fields: Vec<(&'static str, String)>,
    ) -> Result<Option<T>, Error> {
        let body = self.post_oauth_form_raw(endpoint, path, fields).await?;
        decode_response(endpoint, &body)
    }

    /// As [`post_oauth_form`](Self::post_oauth_form), the 2xx response's body left undecoded.
    pub(crate) async fn post_oauth_form_raw(
        &self,
        endpoint: &'static str,
        path: &str,
        mut fields: Vec<(&'static str, String)>,
    ) -> Result<Vec<u8>, Error> {
        let config = self.config();
        let url = Endpoints::of(self)?.url(path);
        let mut request = self.pipeline().http.post(&url).header(ACCEPT, "application/json");
        match config.sign_in_auth() {
            ClientAuth::SecretInBody => {
                fields.push(("client_id", config.app_id().to_owned()));
                fields.push(("client_secret", config.connection.access_key_secret.expose().to_owned()));
            }
            ClientAuth::Basic => {
                // RFC 6749 2.3.1: both halves form-encoded before they are joined.
                let encode = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
                let pair =
                    format!("{}:{}", encode(config.app_id()), encode(config.connection.access_key_secret.expose()));
                let value = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair));
                request = request.header(AUTHORIZATION, crate::runtime::headers::sensitive(&value)?);
            }
            ClientAuth::None => fields.push(("client_id", config.app_id().to_owned())),
        }
        let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields.iter()).finish();
        let request = request.header(http::header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(body);
        self.send_oauth(endpoint, request).await
    }

    /// Sends a request to an OIDC endpoint within the client's timeout; a non-2xx response is an
    /// [`OAuthError`].
    pub(crate) async fn send_oauth(
        &self,
        endpoint: &'static str,
        request: reqwest::RequestBuilder,
    ) -> Result<Vec<u8>, Error> {
        let timeout = self.config().timeout();
        let transport = |e: reqwest::Error| {
            if e.is_timeout() {
                Error::Timeout { operation: endpoint, timeout }
            } else {
                Error::Transport { operation: endpoint, connect: e.is_connect(), source: e.without_url() }
            }
        };
        let response = request.timeout(timeout).send().await.map_err(transport)?;
        let status = response.status();
        let body = match read_limited(response, MAX_ANSWER_BYTES).await {
            Ok(body) => body,
            Err(ReadError::TooLarge { limit }) => {
                return Err(decode_error(endpoint, format!("the response is larger than {limit} bytes")));
            }
            Err(ReadError::Failed(e)) => return Err(transport(e)),
        };
        if !status.is_success() {
            #[derive(Deserialize)]
            struct Refusal {
                error: Option<String>,
                error_description: Option<String>,
            }
            let refusal = serde_json::from_slice::<Refusal>(&body).ok();
            return Err(Error::OAuth(OAuthError {
                endpoint,
                status: status.as_u16(),
                error: refusal.as_ref().and_then(|r| r.error.clone()),
                description: refusal.and_then(|r| r.error_description),
            }));
        }
        Ok(body.into())
    }

    /// Posts a token request and reads the token set.
    async fn token_request(&self, fields: Vec<(&'static str, String)>) -> Result<TokenResponse, Error> {
        self.post_oauth_form::<TokenResponse>("token", "/token", fields)
            .await?
            .ok_or_else(|| decode_error("token", "the token endpoint responded with an empty body".to_owned()))
    }

    /// The URL to send the user to for a login (authorization code flow with PKCE S256, a fresh
    /// `state` and `nonce` from a CSPRNG), and the [`PendingLogin`](super::PendingLogin) to keep
    /// in the user's session until they come back to the redirect URI.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the scope lacks `openid`, an extra parameter is one the flow sets
    /// itself, or the app host is not a URL.
    pub fn authorize_url(&self, request: super::AuthorizeRequest) -> Result<(String, super::PendingLogin), Error> {
        request.into_url(&Endpoints::of(self)?.url("/auth"), self.config().app_id())
    }

    /// Completes a login: checks that `redirect` (the callback's full URL or query string)
    /// belongs to `login` (its state, compared in constant time, and its issuer when named),
    /// exchanges the code with the PKCE verifier, and verifies the ID token (signature, issuer,
    /// audience, expiry, the login's nonce, the access token's hash).
    ///
    /// # Errors
    ///
    /// [`Error::Login`] for a callback of another login or a refused login, [`Error::OAuth`]
    /// when the token endpoint refuses the code, [`Error::Verify`] when the ID token is refused,
    /// and the transport errors of any call.
    pub async fn exchange_code(&self, login: &super::PendingLogin, redirect: &str) -> Result<TokenSet, Error> {
        let endpoints = Endpoints::of(self)?;
        let callback = super::Callback::parse(redirect);
        let code = login.code_of(&callback, &endpoints.issuer).map_err(Error::Login)?;
        let response = self
            .token_request(vec![
                ("grant_type", "authorization_code".to_owned()),
                ("code", code.to_owned()),
                ("redirect_uri", login.redirect_uri().to_owned()),
                ("code_verifier", login.code_verifier().to_owned()),
            ])
            .await?;
        let Some(id_token) = &response.id_token else {
            return Err(decode_error(
                "token",
                "the code exchange returned no ID token (the scope had openid)".to_owned(),
            ));
        };
        let claims = self
            .verifier()?
            .verify_id_token(id_token, Some(login.nonce()), Some(&response.access_token))
            .await
            .map_err(Error::Verify)?;
        Ok(response.into_set(Some(claims)))
    }

    /// New tokens for a refresh token. An ID token in the response is verified (no nonce: a
    /// refresh has none).
    ///
    /// # Errors
    ///
    /// [`Error::OAuth`] when the server refuses the refresh token (expired, revoked: sign the
    /// user in again), [`Error::Verify`] for a refused ID token, and transport errors.
    pub async fn refresh(&self, refresh_token: &str) -> Result<TokenSet, Error> {
        let response = self
            .token_request(vec![
                ("grant_type", "refresh_token".to_owned()),
                ("refresh_token", refresh_token.to_owned()),
            ])
            .await?;
        let claims = match &response.id_token {
            Some(id_token) => Some(
                self.verifier()?
                    .verify_id_token(id_token, None, Some(&response.access_token))
                    .await
                    .map_err(Error::Verify)?,
            ),
            None => None,
        };
        let mut set = response.into_set(claims);
        // A server that does not rotate refresh tokens returns none: keep the old one.
        set.refresh_token.get_or_insert_with(|| refresh_token.to_owned());
        Ok(set)
    }

    /// A token for the application itself (client credentials grant), for machine-to-machine
    /// calls; needs the app secret.
    ///
    /// # Errors
    ///
    /// [`Error::OAuth`] when the server refuses, and transport errors.
    pub async fn client_credentials(&self, scope: &str) -> Result<TokenSet, Error> {
        let response = self
            .token_request(vec![("grant_type", "client_credentials".to_owned()), ("scope", scope.to_owned())])
            .await?;
        Ok(response.into_set(None))
    }

    /// Asks the server whether `token` is active (RFC 7662): the online check, which sees a
    /// revocation at once, where [`TokenVerifier`](super::TokenVerifier) checks offline.
    ///
    /// # Errors
    ///
    /// [`Error::OAuth`] when the server refuses the request, and transport errors.
    pub async fn introspect_token(&self, token: &str, kind: Option<TokenKind>) -> Result<Introspection, Error> {
        let fields = token_fields(token, kind);
        self.post_oauth_form("introspection", "/token/introspection", fields)
            .await?
            .ok_or_else(|| decode_error("introspection", "the response is empty".to_owned()))
    }

    /// Revokes `token` (RFC 7009). `Ok` means the server responded 200, which it also does for a
    /// token that was already invalid (the RFC's rule).
    ///
    /// # Errors
    ///
    /// [`Error::OAuth`] when the server refuses (for example `unsupported_token_type`, or a
    /// client that may not revoke), and transport errors.
    pub async fn revoke_token(&self, token: &str, kind: Option<TokenKind>) -> Result<(), Error> {
        let fields = token_fields(token, kind);
        // RFC 7009 2.2: the client ignores the body of a success.
        self.post_oauth_form_raw("revocation", "/token/revocation", fields).await.map(drop)
    }

    /// The user's claims from the userinfo endpoint, the access token sent as
    /// `Authorization: Bearer` (never in the URL, where logs and proxies keep it).
    ///
    /// # Errors
    ///
    /// [`Error::OAuth`] when the token is refused, and transport errors.
    pub async fn userinfo(&self, access_token: &str) -> Result<Map<String, Value>, Error> {
        let url = Endpoints::of(self)?.url("/me");
        let authorization = crate::runtime::headers::sensitive(&format!("Bearer {access_token}"))?;
        let request =
            self.pipeline().http.get(url).header(AUTHORIZATION, authorization).header(ACCEPT, "application/json");
        let body = self.send_oauth("userinfo", request).await?;
        decode_response("userinfo", &body)?.ok_or_else(|| decode_error("userinfo", "the response is empty".to_owned()))
    }

    /// The URL that ends the user's session at GenAuth (RP-initiated logout).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the app host is not a URL.
    pub fn logout_url(&self, request: super::LogoutRequest) -> Result<String, Error> {
        Ok(request.into_url(&Endpoints::of(self)?.url("/session/end"), self.config().app_id()))
    }
}

/// A 2xx response's JSON (`None` for an empty body). The body is not quoted in an error: it holds
/// tokens.
fn decode_response<T: DeserializeOwned>(endpoint: &'static str, body: &[u8]) -> Result<Option<T>, Error> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    serde_json::from_slice(body).map(Some).map_err(|e| decode_error(endpoint, e.to_string()))
}

fn decode_error(endpoint: &'static str, reason: String) -> Error {
    Error::Decode(DecodeError {
        operation: endpoint,
        expected: "an OAuth 2.0 response",
        reason,
        body_snippet: String::new(),
        request_id: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_is_an_instant_from_either_spelling() {
        for json in [r#"{"access_token":"a","expires_in":60}"#, r#"{"access_token":"a","expire_in":60.0}"#] {
            let set = serde_json::from_str::<TokenResponse>(json).unwrap().into_set(None);
            let at = set.expires_at().unwrap();
            assert!(
                at > SystemTime::now() + Duration::from_secs(55) && at <= SystemTime::now() + Duration::from_secs(60)
            );
            assert!(!set.expires_within(Duration::from_secs(30)) && set.expires_within(Duration::from_secs(61)));
            assert_eq!(set.token_type(), "Bearer");
        }
        let set =
            serde_json::from_str::<TokenResponse>(r#"{"access_token":"a","expires_in":-5}"#).unwrap().into_set(None);
        assert_eq!(set.expires_at(), None);
        let shown = format!(
            "{:?}",
            serde_json::from_str::<TokenResponse>(r#"{"access_token":"secret-token","refresh_token":"r-secret"}"#)
                .unwrap()
                .into_set(None)
        );
        assert!(!shown.contains("secret"), "{shown}");
    }
}
