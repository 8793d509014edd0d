//! The front-channel half of a login: the authorization URL with its state, nonce and PKCE
//! challenge ([`AuthorizeRequest`] -> [`PendingLogin`]), the redirect back ([`Callback`]), and
//! the logout URL ([`LogoutRequest`]).

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use sha2::Digest as _;
use subtle::ConstantTimeEq as _;

use super::error::LoginError;
use crate::runtime::error::{ConfigError, Error};

/// Random bytes in a state, a nonce or a PKCE verifier: 256 bits (the floor is 128).
const RANDOM_BYTES: usize = 32;

/// Parameters the URL builder sets itself, which [`AuthorizeRequest::param`] may not override.
const RESERVED: [&str; 9] = [
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "prompt",
];

/// `RANDOM_BYTES` from the operating system's CSPRNG (through `rand`'s thread generator, a
/// ChaCha CSPRNG seeded from it), base64url: 43 characters, a valid PKCE verifier as well.
pub(crate) fn random_token() -> String {
    use rand::Rng as _;
    let mut bytes = [0u8; RANDOM_BYTES];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The S256 PKCE challenge of `verifier` (RFC 7636 4.2).
pub(crate) fn code_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()))
}

/// What to ask for in a login: build it with [`AuthorizeRequest::new`], then pass it to
/// [`AuthenticationClient::authorize_url`](crate::AuthenticationClient::authorize_url).
#[derive(Debug, Clone)]
#[must_use]
pub struct AuthorizeRequest {
    pub(crate) redirect_uri: String,
    pub(crate) scope: String,
    pub(crate) prompt: Option<String>,
    pub(crate) response_mode: Option<String>,
    pub(crate) tenant_id: Option<String>,
    pub(crate) extra: Vec<(String, String)>,
}

impl AuthorizeRequest {
    /// A login that comes back to `redirect_uri` (one of the app's callback URLs in the
    /// console), with the scope `openid profile`.
    pub fn new(redirect_uri: impl Into<String>) -> Self {
        AuthorizeRequest {
            redirect_uri: redirect_uri.into(),
            scope: "openid profile".to_owned(),
            prompt: None,
            response_mode: None,
            tenant_id: None,
            extra: Vec::new(),
        }
    }

    /// The scopes, space-separated; must contain `openid`. Add `offline_access` for a refresh
    /// token (the URL then asks for consent, as OpenID Connect requires).
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = scope.into();
        self
    }

    /// `prompt`: `login` to make the user sign in again, `consent`, `none`...
    pub fn prompt(mut self, prompt: impl Into<String>) -> Self {
        self.prompt = Some(prompt.into());
        self
    }

    /// `response_mode`: `query` (the server's default), `fragment` or `form_post`.
    pub fn response_mode(mut self, mode: impl Into<String>) -> Self {
        self.response_mode = Some(mode.into());
        self
    }

    /// The tenant to sign in to (`tenant_id`).
    pub fn tenant_id(mut self, tenant: impl Into<String>) -> Self {
        self.tenant_id = Some(tenant.into());
        self
    }

    /// Any other parameter (`login_hint`, `ui_locales`...). The parameters the flow sets itself
    /// (state, nonce, the PKCE challenge, client id, redirect URI, scope, prompt) are refused by
    /// [`authorize_url`](crate::AuthenticationClient::authorize_url) rather than overridden.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra.push((name.into(), value.into()));
        self
    }

    /// The URL to send the user to, and the login to keep until they come back.
    pub(crate) fn into_url(self, authorize_endpoint: &str, client_id: &str) -> Result<(String, PendingLogin), Error> {
        let refuse = |why: String| Error::from(ConfigError::new(None, why));
        if !self.scope.split_ascii_whitespace().any(|s| s == "openid") {
            return Err(refuse(format!("the scope `{}` must contain `openid`", self.scope)));
        }
        if let Some((name, _)) = self.extra.iter().find(|(name, _)| RESERVED.contains(&name.as_str())) {
            return Err(refuse(format!("`{name}` is set by the login flow itself; use the request's own setter")));
        }
        let pending = PendingLogin {
            state: random_token(),
            nonce: random_token(),
            code_verifier: random_token(),
            redirect_uri: self.redirect_uri,
        };
        let challenge = code_challenge(&pending.code_verifier);
        // The official SDKs ask for consent when a refresh token is wanted; OpenID Connect
        // requires it for `offline_access`.
        let prompt = self.prompt.or_else(|| {
            self.scope.split_ascii_whitespace().any(|s| s == "offline_access").then(|| "consent".to_owned())
        });
        let mut query = form_urlencoded::Serializer::new(String::new());
        query
            .append_pair("client_id", client_id)
            .append_pair("redirect_uri", &pending.redirect_uri)
            .append_pair("response_type", "code")
            .append_pair("scope", &self.scope)
            .append_pair("state", &pending.state)
            .append_pair("nonce", &pending.nonce)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256");
        for (name, value) in [("prompt", prompt), ("response_mode", self.response_mode), ("tenant_id", self.tenant_id)]
        {
            if let Some(value) = value {
                query.append_pair(name, &value);
            }
        }
        for (name, value) in &self.extra {
            query.append_pair(name, value);
        }
        Ok((format!("{authorize_endpoint}?{}", query.finish()), pending))
    }
}

/// A login in progress: what [`authorize_url`](crate::AuthenticationClient::authorize_url) sent
/// the user off with, needed again when they come back. Keep it server-side (in the session)
/// until the callback; it serialises for that. `Debug` never shows the PKCE verifier.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PendingLogin {
    state: String,
    nonce: String,
    code_verifier: String,
    redirect_uri: String,
}

impl fmt::Debug for PendingLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingLogin")
            .field("state", &self.state)
            .field("nonce", &self.nonce)
            .field("code_verifier", &"[REDACTED]")
            .field("redirect_uri", &self.redirect_uri)
            .finish()
    }
}

impl Drop for PendingLogin {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.code_verifier);
    }
}

impl PendingLogin {
    /// The `state` sent in the URL, which the callback must bring back.
    pub fn state(&self) -> &str {
        &self.state
    }
    /// The `nonce` sent in the URL, which the ID token must carry.
    pub fn nonce(&self) -> &str {
        &self.nonce
    }
    /// The redirect URI the login comes back to.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }
    pub(crate) fn code_verifier(&self) -> &str {
        &self.code_verifier
    }

    /// The authorization code of `callback`, once it is shown to belong to this login: its
    /// `state` is this login's (compared in constant time), its `iss` (when given) is the
    /// issuer, and it carries no error.
    pub(crate) fn code_of<'a>(&self, callback: &'a Callback, issuer: &str) -> Result<&'a str, LoginError> {
        let state = callback.state.as_deref().unwrap_or_default();
        if !bool::from(state.as_bytes().ct_eq(self.state.as_bytes())) {
            return Err(LoginError::StateMismatch);
        }
        if let Some(found) = &callback.iss
            && found != issuer
        {
            return Err(LoginError::IssuerMismatch { found: found.clone() });
        }
        if let Some(error) = &callback.error {
            return Err(LoginError::Refused { error: error.clone(), description: callback.error_description.clone() });
        }
        callback.code.as_deref().ok_or(LoginError::MissingCode)
    }
}

/// The parameters of the redirect back to the app.
#[derive(Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Callback {
    /// The authorization code.
    pub code: Option<String>,
    /// The state, to compare with the pending login's.
    pub state: Option<String>,
    /// The issuer (RFC 9207), when the server names it.
    pub iss: Option<String>,
    /// The error code, when the login failed.
    pub error: Option<String>,
    /// The error's description.
    pub error_description: Option<String>,
}

impl fmt::Debug for Callback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Callback")
            .field("code", &self.code.as_ref().map(|_| "[REDACTED]"))
            .field("state", &self.state)
            .field("iss", &self.iss)
            .field("error", &self.error)
            .field("error_description", &self.error_description)
            .finish()
    }
}

impl Callback {
    /// Reads the redirect's parameters from its full URL or its query string (with or without
    /// the `?`), as a web framework hands it over. Unknown parameters are ignored; a repeated
    /// one keeps its first value.
    pub fn parse(redirect: &str) -> Callback {
        let query = match redirect.split_once('?') {
            Some((_, query)) => query,
            None => redirect,
        };
        let query = query.split('#').next().unwrap_or_default();
        let mut callback = Callback::default();
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            let slot = match name.as_ref() {
                "code" => &mut callback.code,
                "state" => &mut callback.state,
                "iss" => &mut callback.iss,
                "error" => &mut callback.error,
                "error_description" => &mut callback.error_description,
                _ => continue,
            };
            slot.get_or_insert_with(|| value.into_owned());
        }
        callback
    }
}

/// A logout (RP-initiated, OpenID Connect): pass it to
/// [`AuthenticationClient::logout_url`](crate::AuthenticationClient::logout_url). `Debug` never
/// shows the ID token.
#[derive(Clone, Default)]
#[must_use]
pub struct LogoutRequest {
    pub(crate) id_token_hint: Option<String>,
    pub(crate) post_logout_redirect_uri: Option<String>,
    pub(crate) state: Option<String>,
}

impl fmt::Debug for LogoutRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LogoutRequest")
            .field("id_token_hint", &self.id_token_hint.as_ref().map(|_| "[REDACTED]"))
            .field("post_logout_redirect_uri", &self.post_logout_redirect_uri)
            .field("state", &self.state)
            .finish()
    }
}

impl LogoutRequest {
    /// A logout with no parameters.
    pub fn new() -> Self {
        Self::default()
    }
    /// The user's ID token, so the server knows whose session to end without asking.
    pub fn id_token_hint(mut self, id_token: impl Into<String>) -> Self {
        self.id_token_hint = Some(id_token.into());
        self
    }
    /// Where to send the user afterwards (one of the app's logout URLs in the console).
    pub fn post_logout_redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.post_logout_redirect_uri = Some(uri.into());
        self
    }
    /// A value brought back to the redirect URI.
    pub fn state(mut self, state: impl Into<String>) -> Self {
        self.state = Some(state.into());
        self
    }

    pub(crate) fn into_url(self, end_session_endpoint: &str, client_id: &str) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("client_id", client_id);
        for (name, value) in [
            ("id_token_hint", self.id_token_hint),
            ("post_logout_redirect_uri", self.post_logout_redirect_uri),
            ("state", self.state),
        ] {
            if let Some(value) = value {
                query.append_pair(name, &value);
            }
        }
        format!("{end_session_endpoint}?{}", query.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_carries_a_fresh_state_nonce_and_s256_challenge() {
        let (url, login) = AuthorizeRequest::new("https://app/cb")
            .scope("openid offline_access")
            .tenant_id("t1")
            .param("login_hint", "a b")
            .into_url("https://a/oidc/auth", "app1")
            .unwrap();
        let callback_like: Vec<(String, String)> =
            form_urlencoded::parse(url.split_once('?').unwrap().1.as_bytes()).into_owned().collect();
        let get = |k: &str| callback_like.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("state"), Some(login.state()));
        assert_eq!(get("nonce"), Some(login.nonce()));
        assert_eq!(get("code_challenge"), Some(code_challenge(login.code_verifier()).as_str()));
        assert_eq!(
            (get("code_challenge_method"), get("prompt"), get("tenant_id")),
            (Some("S256"), Some("consent"), Some("t1"))
        );
        assert_eq!(get("login_hint"), Some("a b"));
        assert_eq!(login.state().len(), 43);
        let (_, again) = AuthorizeRequest::new("https://app/cb").into_url("https://a/oidc/auth", "app1").unwrap();
        assert_ne!((again.state(), again.nonce()), (login.state(), login.nonce()));
        assert!(!format!("{login:?}").contains(login.code_verifier()));
        let stored: PendingLogin = serde_json::from_str(&serde_json::to_string(&login).unwrap()).unwrap();
        assert_eq!(stored, login);
    }

    #[test]
    fn scope_without_openid_and_reserved_parameters_are_refused() {
        assert!(AuthorizeRequest::new("x").scope("profile").into_url("e", "c").is_err());
        assert!(AuthorizeRequest::new("x").scope("openidx").into_url("e", "c").is_err());
        for name in RESERVED {
            assert!(AuthorizeRequest::new("x").param(name, "v").into_url("e", "c").is_err(), "{name}");
        }
    }

    #[test]
    fn rfc7636_appendix_b_challenge() {
        assert_eq!(
            code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn a_callback_belongs_to_its_login_only() {
        let (_, login) = AuthorizeRequest::new("x").into_url("e", "c").unwrap();
        let ok =
            Callback::parse(&format!("https://app/cb?code=abc&state={}&iss=https%3A%2F%2Fa%2Foidc", login.state()));
        assert_eq!(login.code_of(&ok, "https://a/oidc"), Ok("abc"));
        assert!(!format!("{ok:?}").contains("abc"));
        assert_eq!(
            login.code_of(&ok, "https://b/oidc"),
            Err(LoginError::IssuerMismatch { found: "https://a/oidc".into() })
        );
        for bad in ["code=abc", "code=abc&state=", "code=abc&state=x"] {
            assert_eq!(login.code_of(&Callback::parse(bad), "i"), Err(LoginError::StateMismatch), "{bad}");
        }
        let denied = Callback::parse(&format!("?error=access_denied&error_description=no&state={}", login.state()));
        assert!(matches!(login.code_of(&denied, "i"), Err(LoginError::Refused { .. })));
        assert_eq!(
            login.code_of(&Callback::parse(&format!("state={}", login.state())), "i"),
            Err(LoginError::MissingCode)
        );
    }

    #[test]
    fn the_logout_url_encodes_its_parameters() {
        let url = LogoutRequest::new()
            .id_token_hint("t.o.k")
            .post_logout_redirect_uri("https://app/bye?x=1")
            .state("s")
            .into_url("https://a/oidc/session/end", "app1");
        assert_eq!(
            url,
            "https://a/oidc/session/end?client_id=app1&id_token_hint=t.o.k&post_logout_redirect_uri=https%3A%2F%2Fapp%2Fbye%3Fx%3D1&state=s"
        );
    }
}
