//! [`TokenVerifier`]: checks a GenAuth access token or ID token completely (signature with the
//! issuer's key for the token's own algorithm, expiry, not-before, issue time, issuer, audience,
//! and after a login the nonce and the access token's hash), for a resource server on every
//! request or for a client after a code exchange. Signatures and registered claims are checked
//! by `jsonwebtoken` (on aws-lc-rs, the crypto rustls already links); the checks it does not
//! make (`iat`, `azp`, `nonce`, `at_hash`, which algorithm a key may verify) are made here.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey, Validation};
use serde::de::DeserializeOwned;
use sha2::Digest as _;
use subtle::ConstantTimeEq as _;

use super::algorithm::SigningAlgorithm;
use super::claims::{Claims, OtherClaims};
use super::error::{VerifyCheck, VerifyError};
use super::jwks::KeyCache;
use super::token_cache::TokenCache;
use super::unix_now;
use crate::runtime::error::{ConfigError, Error};

/// No real token is this long; a longer one is refused before any decoding.
const MAX_TOKEN_BYTES: usize = 16 * 1024;

/// The algorithms verified with the issuer's public keys by default.
const PUBLIC_KEY_ALGORITHMS: [Algorithm; 9] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
];

/// The largest leeway accepted: clocks an hour apart are broken, and a larger one would let
/// expired tokens through (and overflow the time arithmetic).
const MAX_LEEWAY: Duration = Duration::from_secs(3600);

/// The default leeway on `exp`, `nbf` and `iat`, for clocks that disagree a little.
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(30);
/// The default least time between two fetches of the key set for an unknown key id.
pub const DEFAULT_REFETCH_COOLDOWN: Duration = Duration::from_secs(10);
/// The default age after which the key set is fetched again before use (a key the issuer
/// withdrew stops verifying within this time).
pub const DEFAULT_KEY_SET_MAX_AGE: Duration = Duration::from_secs(3600);

/// Verifies tokens issued by one GenAuth application: cheap to clone (clones share the key
/// cache), `Send + Sync`; make one per process, or take [`AuthenticationClient::verifier`](crate::AuthenticationClient::verifier).
#[derive(Clone)]
pub struct TokenVerifier {
    inner: Arc<Inner>,
}

struct Inner {
    issuer: String,
    audience: String,
    /// The application's secret as an HMAC key, when HS256 tokens are to be accepted.
    hmac: Option<DecodingKey>,
    /// One prepared validation per allowed algorithm.
    validations: Vec<(Algorithm, Validation)>,
    leeway: Duration,
    keys: KeyCache,
    /// Access tokens already verified, when the builder asked for it.
    verified: Option<TokenCache<Arc<Claims>>>,
}

impl std::fmt::Debug for TokenVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenVerifier")
            .field("issuer", &self.inner.issuer)
            .field("audience", &self.inner.audience)
            .field("jwks_uri", &self.inner.keys.url())
            .field("algorithms", &self.inner.validations.iter().map(|(a, _)| *a).collect::<Vec<_>>())
            .field("app_secret", &if self.inner.hmac.is_some() { "[REDACTED]" } else { "none" })
            .finish_non_exhaustive()
    }
}

/// Builds a [`TokenVerifier`]; start with [`TokenVerifier::builder`].
#[derive(Debug)]
pub struct TokenVerifierBuilder {
    issuer: String,
    audience: String,
    jwks_uri: Option<String>,
    secret: Option<crate::runtime::secret::Secret>,
    algorithms: Option<Vec<Algorithm>>,
    leeway: Duration,
    cooldown: Duration,
    max_age: Duration,
    timeout: Duration,
    http: Option<reqwest::Client>,
    verified: Option<(usize, Duration)>,
}

/// The issuer of an application's tokens: its app host's origin plus `/oidc`.
pub(crate) fn issuer_of(app_host: &str) -> Result<String, Error> {
    let url = reqwest::Url::parse(app_host)
        .map_err(|e| ConfigError::new(None, format!("the app host `{app_host}` is not a URL: {e}")))?;
    Ok(format!("{}/oidc", url.origin().ascii_serialization()))
}

impl TokenVerifier {
    /// A builder for tokens of `issuer` (`https://<app>.genauth.ai/oidc`) whose audience is the
    /// application `app_id`. The key set is the issuer's `/.well-known/jwks.json` unless
    /// [`jwks_uri`](TokenVerifierBuilder::jwks_uri) or [`discover`](TokenVerifierBuilder::discover)
    /// says otherwise.
    pub fn builder(issuer: impl Into<String>, app_id: impl Into<String>) -> TokenVerifierBuilder {
        TokenVerifierBuilder {
            issuer: issuer.into(),
            audience: app_id.into(),
            jwks_uri: None,
            secret: None,
            algorithms: None,
            leeway: DEFAULT_LEEWAY,
            cooldown: DEFAULT_REFETCH_COOLDOWN,
            max_age: DEFAULT_KEY_SET_MAX_AGE,
            timeout: crate::runtime::config::DEFAULT_TIMEOUT,
            http: None,
            verified: None,
        }
    }

    /// A builder for the tokens of the application `config` describes: issuer from its app host,
    /// audience its app id, HS256 accepted when it has an app secret.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the app host is not a URL.
    pub fn builder_for(config: &crate::AuthenticationConfig) -> Result<TokenVerifierBuilder, Error> {
        let mut builder = Self::builder(issuer_of(config.app_host())?, config.app_id()).timeout(config.timeout());
        if config.has_app_secret() {
            builder.secret = Some(config.connection.access_key_secret.clone());
        }
        Ok(builder)
    }

    /// The issuer tokens must name.
    pub fn issuer(&self) -> &str {
        &self.inner.issuer
    }

    /// The audience tokens must contain: the application's id.
    pub fn audience(&self) -> &str {
        &self.inner.audience
    }

    /// Verifies an access token and returns its claims (the others as a JSON map).
    ///
    /// # Errors
    ///
    /// A [`VerifyError`] naming the check that refused the token.
    pub async fn verify_access_token(&self, token: &str) -> Result<Claims, VerifyError> {
        match &self.inner.verified {
            Some(_) => self.verify_cached(token).await.map(|claims| (*claims).clone()),
            None => self.verify_access(token).await,
        }
    }

    /// As [`verify_access_token`](Self::verify_access_token), sharing the claims: with
    /// [`cache_verified`](TokenVerifierBuilder::cache_verified), a token verified before is
    /// responded from the cache without a copy.
    ///
    /// # Errors
    ///
    /// A [`VerifyError`] naming the check that refused the token.
    pub async fn verify_access_token_shared(&self, token: &str) -> Result<Arc<Claims>, VerifyError> {
        self.verify_cached(token).await
    }

    async fn verify_cached(&self, token: &str) -> Result<Arc<Claims>, VerifyError> {
        let Some(cache) = &self.inner.verified else {
            return self.verify_access(token).await.map(Arc::new);
        };
        // A token verified before, unless it has expired since.
        let leeway = self.inner.leeway.as_secs();
        if let Some(claims) = cache.get(token).filter(|claims| claims.exp.saturating_add(leeway) >= unix_now()) {
            return Ok(claims);
        }
        let claims = Arc::new(self.verify_access(token).await?);
        cache.put(token, Arc::clone(&claims));
        Ok(claims)
    }

    /// Verifies an access token and returns its claims, the ones [`Claims`] does not name
    /// deserialised into `C` (your own claims type).
    ///
    /// # Errors
    ///
    /// A [`VerifyError`] naming the check that refused the token; a `C` the claims do not fit is
    /// [`VerifyCheck::Malformed`].
    pub async fn verify_access_token_as<C: DeserializeOwned>(&self, token: &str) -> Result<Claims<C>, VerifyError> {
        match &self.inner.verified {
            Some(_) => retype(&*self.verify_cached(token).await?),
            None => self.verify_access(token).await,
        }
    }

    /// Verifies an ID token: everything an access token is checked for, then, when given, that
    /// its `nonce` is the login's `nonce` and that its `at_hash` (when present) is the hash of
    /// `access_token`, the access token issued with it.
    ///
    /// # Errors
    ///
    /// A [`VerifyError`] naming the check that refused the token.
    pub async fn verify_id_token(
        &self,
        token: &str,
        nonce: Option<&str>,
        access_token: Option<&str>,
    ) -> Result<Claims<OtherClaims>, VerifyError> {
        self.verify_id(token, nonce, access_token).await
    }

    /// Verifies an access token: everything [`verify_inner`](Self::verify_inner) checks, and
    /// that it is not an ID token.
    async fn verify_access<C: DeserializeOwned>(&self, token: &str) -> Result<Claims<C>, VerifyError> {
        let checked = self.verify_inner::<C>(token, None, None).await.and_then(|claims| {
            if claims.nonce.is_some() || claims.at_hash.is_some() {
                Err(VerifyError::new(
                    VerifyCheck::TokenType,
                    "an ID token (it has a nonce or at_hash) is not an access token",
                ))
            } else {
                Ok(claims)
            }
        });
        logged(checked)
    }

    /// Verifies an ID token: everything [`verify_inner`](Self::verify_inner) checks, and the
    /// claims OpenID Connect makes mandatory (`sub`, `iat`).
    async fn verify_id<C: DeserializeOwned>(
        &self,
        token: &str,
        nonce: Option<&str>,
        access_token: Option<&str>,
    ) -> Result<Claims<C>, VerifyError> {
        let checked = self.verify_inner::<C>(token, nonce, access_token).await.and_then(|claims| {
            match (&claims.sub, claims.iat) {
                (None, _) => Err(VerifyError::new(VerifyCheck::MissingClaim, "the ID token has no `sub` claim")),
                (_, None) => Err(VerifyError::new(VerifyCheck::MissingClaim, "the ID token has no `iat` claim")),
                _ => Ok(claims),
            }
        });
        logged(checked)
    }

    async fn verify_inner<C: DeserializeOwned>(
        &self,
        token: &str,
        nonce: Option<&str>,
        access_token: Option<&str>,
    ) -> Result<Claims<C>, VerifyError> {
        let inner = &*self.inner;
        if token.len() > MAX_TOKEN_BYTES {
            return Err(VerifyError::new(VerifyCheck::Malformed, format!("longer than {MAX_TOKEN_BYTES} bytes")));
        }
        let header = jsonwebtoken::decode_header(token).map_err(|_| refuse_header(token))?;
        let Some((_, validation)) = inner.validations.iter().find(|(alg, _)| *alg == header.alg) else {
            let why = if header.alg.family() == AlgorithmFamily::Hmac && inner.hmac.is_none() {
                format!("{:?} tokens are verified with the app secret, which this verifier is not given", header.alg)
            } else {
                format!("{:?} is not an allowed algorithm", header.alg)
            };
            return Err(VerifyError::new(VerifyCheck::Algorithm, why));
        };
        let key;
        let decoding_key = match (header.alg.family(), &inner.hmac) {
            (AlgorithmFamily::Hmac, Some(secret)) => secret,
            _ => {
                key = inner.keys.key_for(header.kid.as_deref(), header.alg).await?;
                &key.key
            }
        };
        let claims = jsonwebtoken::decode::<Claims<C>>(token, decoding_key, validation)
            .map_err(|e| refuse(e.kind(), &inner.issuer, &inner.audience))?
            .claims;
        if claims.iat.is_some_and(|iat| iat > unix_now().saturating_add(inner.leeway.as_secs())) {
            return Err(VerifyError::new(VerifyCheck::IssuedInFuture, "the token says it was issued in the future"));
        }
        if claims.aud.len() > 1 && claims.azp.as_deref() != Some(inner.audience.as_str()) {
            return Err(VerifyError::new(
                VerifyCheck::Audience,
                format!("the token has several audiences, and its authorised party (azp) is not {}", inner.audience),
            ));
        }
        if let Some(expected) = nonce {
            match &claims.nonce {
                Some(found) if bool::from(found.as_bytes().ct_eq(expected.as_bytes())) => {}
                Some(_) => return Err(VerifyError::new(VerifyCheck::Nonce, "the ID token's nonce is not the login's")),
                None => {
                    return Err(VerifyError::new(
                        VerifyCheck::Nonce,
                        "the ID token has no nonce, but the login sent one",
                    ));
                }
            }
        }
        if let (Some(access_token), Some(found)) = (access_token, &claims.at_hash) {
            let expected = access_token_hash(header.alg, access_token);
            if !bool::from(found.as_bytes().ct_eq(expected.as_bytes())) {
                return Err(VerifyError::new(
                    VerifyCheck::AccessTokenHash,
                    "the ID token's at_hash is not the hash of the access token issued with it",
                ));
            }
        }
        Ok(claims)
    }
}

/// `result`, its refusal logged (at debug level: refusals are routine; which check refused is
/// for operators).
fn logged<T>(result: Result<T, VerifyError>) -> Result<T, VerifyError> {
    if let Err(e) = &result {
        tracing::debug!(check = %e.check(), detail = %e.detail(), "token refused");
    }
    result
}

/// `claims` with their other claims read into `C`.
pub(crate) fn retype<C: DeserializeOwned>(claims: &Claims) -> Result<Claims<C>, VerifyError> {
    logged(serde_json::to_value(claims).and_then(serde_json::from_value).map_err(|e| {
        VerifyError::new(
            VerifyCheck::Malformed,
            format!("the claims do not fit the type asked for ({})", e.classify_name()),
        )
    }))
}

/// `at_hash` (OpenID Connect Core 3.1.3.6): the left half of the access token's hash with the
/// ID token's algorithm's hash function, base64url.
pub(crate) fn access_token_hash(alg: Algorithm, access_token: &str) -> String {
    let digest: Vec<u8> = match alg {
        Algorithm::HS384 | Algorithm::RS384 | Algorithm::PS384 | Algorithm::ES384 => {
            sha2::Sha384::digest(access_token.as_bytes()).to_vec()
        }
        Algorithm::HS512 | Algorithm::RS512 | Algorithm::PS512 | Algorithm::EdDSA => {
            sha2::Sha512::digest(access_token.as_bytes()).to_vec()
        }
        _ => sha2::Sha256::digest(access_token.as_bytes()).to_vec(),
    };
    URL_SAFE_NO_PAD.encode(&digest[..digest.len() / 2])
}

/// Why a header was refused: `alg: none` (and other names `jsonwebtoken` does not know) is an
/// algorithm refusal, anything else a malformed token.
fn refuse_header(token: &str) -> VerifyError {
    let alg = token
        .split('.')
        .next()
        .and_then(|part| URL_SAFE_NO_PAD.decode(part.trim_end_matches('=')).ok())
        .and_then(|json| serde_json::from_slice::<serde_json::Value>(&json).ok())
        .and_then(|header| header.get("alg").and_then(|a| a.as_str()).map(str::to_owned));
    match alg {
        Some(alg) if alg.eq_ignore_ascii_case("none") => {
            VerifyError::new(VerifyCheck::Algorithm, "unsigned tokens (alg `none`) are never accepted")
        }
        // A known algorithm in a header that is otherwise wrong is a malformed token.
        Some(alg) if alg.parse::<Algorithm>().is_err() => {
            VerifyError::new(VerifyCheck::Algorithm, format!("{} is not a known algorithm", super::error::shown(&alg)))
        }
        _ => VerifyError::new(VerifyCheck::Malformed, "not a JWS compact token with a JSON header"),
    }
}

fn refuse(kind: &ErrorKind, issuer: &str, audience: &str) -> VerifyError {
    let (check, detail) = match kind {
        ErrorKind::InvalidSignature => (VerifyCheck::Signature, "the signature does not verify".to_owned()),
        ErrorKind::ExpiredSignature => (VerifyCheck::Expired, "the token has expired".to_owned()),
        ErrorKind::ImmatureSignature => (VerifyCheck::NotYetValid, "the token is not valid yet (nbf)".to_owned()),
        ErrorKind::InvalidIssuer => (VerifyCheck::Issuer, format!("the token's issuer is not {issuer}")),
        ErrorKind::InvalidAudience => {
            (VerifyCheck::Audience, format!("the token's audience does not contain {audience}"))
        }
        ErrorKind::MissingRequiredClaim(claim) => {
            (VerifyCheck::MissingClaim, format!("the token has no `{claim}` claim"))
        }
        ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName | ErrorKind::UnsupportedAlgorithm => {
            (VerifyCheck::Algorithm, "the key cannot verify this algorithm".to_owned())
        }
        // The issuer's key is unusable (a malformed modulus, a curve point off the curve).
        ErrorKind::InvalidRsaKey(_)
        | ErrorKind::InvalidEcdsaKey
        | ErrorKind::InvalidEddsaKey
        | ErrorKind::InvalidKeyFormat => {
            (VerifyCheck::Signature, "the issuer's key for this token cannot verify a signature".to_owned())
        }
        ErrorKind::InvalidClaimFormat(claim) => {
            (VerifyCheck::Malformed, format!("the `{claim}` claim has the wrong type"))
        }
        ErrorKind::Json(e) => match missing_field(e) {
            Some(claim) => (VerifyCheck::MissingClaim, format!("the token has no `{claim}` claim")),
            None => (VerifyCheck::Malformed, format!("the claims are not the expected JSON ({})", e.classify_name())),
        },
        _ => (VerifyCheck::Malformed, "not a well-formed JWS compact token".to_owned()),
    };
    VerifyError::new(check, detail)
}

/// The claim a deserialisation error says is missing: serde names a field of [`Claims`] (our
/// own name, never text from the token) as "missing field `exp`".
fn missing_field(e: &serde_json::Error) -> Option<&'static str> {
    let text = e.to_string();
    let name = text.strip_prefix("missing field `")?.split('`').next()?;
    ["iss", "aud", "exp"].into_iter().find(|claim| *claim == name)
}

/// Names a serde_json error's category without its text, which can quote the token's content.
trait ClassifyName {
    fn classify_name(&self) -> &'static str;
}

impl ClassifyName for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "unreadable",
            serde_json::error::Category::Syntax => "not JSON",
            serde_json::error::Category::Data => "a claim has the wrong type or is missing",
            serde_json::error::Category::Eof => "cut short",
        }
    }
}

impl TokenVerifierBuilder {
    /// The URL of the issuer's key set, when it is not `<issuer>/.well-known/jwks.json`.
    pub fn jwks_uri(mut self, url: impl Into<String>) -> Self {
        self.jwks_uri = Some(url.into());
        self
    }

    /// The application's secret: HS256 tokens (GenAuth signs ID tokens so when the app is set
    /// to HS256) are then verified with it. Without it, HMAC tokens are always refused.
    pub fn app_secret(mut self, secret: impl Into<String>) -> Self {
        self.secret = Some(crate::runtime::secret::Secret::new(secret.into()));
        self
    }

    /// The algorithms accepted (default: RS256/384/512, PS256/384/512, ES256/384 and EdDSA with
    /// the issuer's keys, and HS256 when an app secret is given). HMAC algorithms are accepted
    /// only with an app secret; there is no way to accept `none`.
    pub fn algorithms(mut self, algorithms: &[SigningAlgorithm]) -> Self {
        self.algorithms = Some(algorithms.iter().map(|a| a.jws()).collect());
        self
    }

    /// The clock skew tolerated on `exp`, `nbf` and `iat` (default [`DEFAULT_LEEWAY`]; at most
    /// an hour, more is taken as an hour).
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway.min(MAX_LEEWAY);
        self
    }

    /// The least time between two fetches of the key set for an unknown key id (default
    /// [`DEFAULT_REFETCH_COOLDOWN`]).
    pub fn refetch_cooldown(mut self, cooldown: Duration) -> Self {
        self.cooldown = cooldown;
        self
    }

    /// How long a fetched key set is used before it is fetched again (default
    /// [`DEFAULT_KEY_SET_MAX_AGE`]).
    pub fn key_set_max_age(mut self, max_age: Duration) -> Self {
        self.max_age = max_age;
        self
    }

    /// The time limit of one key-set fetch (default [`DEFAULT_TIMEOUT`](crate::DEFAULT_TIMEOUT)).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The HTTP client the key set is fetched with (default: a new `reqwest::Client` on rustls).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Keeps up to `capacity` verified access tokens for up to `max_age` each, so that a token
    /// sent again is accepted without a signature check (its expiry is checked again on every
    /// use). For a resource server whose clients reuse their tokens; a key the issuer withdraws
    /// stops verifying cached tokens only after `max_age`. Off by default.
    pub fn cache_verified(mut self, capacity: usize, max_age: Duration) -> Self {
        self.verified = Some((capacity, max_age));
        self
    }

    /// Reads the issuer's discovery document (`<issuer>/.well-known/openid-configuration`) and
    /// takes its `jwks_uri`, then builds. The document's `issuer` must be exactly the issuer
    /// (OpenID Connect Discovery 4.3), so a document cannot redirect trust elsewhere.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the document cannot be fetched or read, or names another issuer.
    pub async fn discover(mut self) -> Result<TokenVerifier, Error> {
        #[derive(serde::Deserialize)]
        struct Discovery {
            issuer: String,
            jwks_uri: String,
        }
        let http = self.http.get_or_insert_with(reqwest::Client::new).clone();
        let url = format!("{}/.well-known/openid-configuration", self.issuer);
        let fail = |why: String| Error::from(ConfigError::new(None, format!("the discovery document {url}: {why}")));
        let response = http.get(&url).timeout(self.timeout).send().await.map_err(|e| fail(e.to_string()))?;
        if !response.status().is_success() {
            return Err(fail(format!("HTTP {}", response.status())));
        }
        // A discovery document is a few kilobytes; a larger response is not buffered.
        let body = match crate::runtime::transport::read_limited(response, 1 << 20).await {
            Ok(body) => body,
            Err(crate::runtime::transport::ReadError::TooLarge { limit }) => {
                return Err(fail(format!("it is larger than {limit} bytes")));
            }
            Err(crate::runtime::transport::ReadError::Failed(e)) => return Err(fail(e.to_string())),
        };
        let document: Discovery = serde_json::from_slice(&body).map_err(|e| fail(e.to_string()))?;
        if document.issuer != self.issuer {
            return Err(fail(format!("it names the issuer {}, not {}", document.issuer, self.issuer)));
        }
        self.jwks_uri = Some(document.jwks_uri);
        self.build()
    }

    /// Builds the verifier. Nothing is fetched until the first verification needs a key.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the issuer or audience is empty, or no algorithm is left to accept.
    pub fn build(self) -> Result<TokenVerifier, Error> {
        if self.issuer.is_empty() || self.audience.is_empty() {
            return Err(ConfigError::new(None, "a token verifier needs an issuer and an audience (the app id)").into());
        }
        let hmac = match &self.secret {
            Some(secret) if !secret.expose().is_empty() => Some(
                DecodingKey::from_secret(secret.expose().as_bytes())
                    .map_err(|_| ConfigError::new(None, "the app secret cannot be used as an HMAC key"))?,
            ),
            _ => None,
        };
        let mut algorithms = self.algorithms.unwrap_or_else(|| {
            let mut all = PUBLIC_KEY_ALGORITHMS.to_vec();
            all.push(Algorithm::HS256);
            all
        });
        algorithms.retain(|alg| alg.family() != AlgorithmFamily::Hmac || hmac.is_some());
        algorithms.dedup();
        if algorithms.is_empty() {
            return Err(ConfigError::new(None, "no algorithm is left to accept (HMAC ones need the app secret)").into());
        }
        let validations = algorithms
            .iter()
            .map(|&alg| {
                let mut v = Validation::new(alg);
                v.leeway = self.leeway.as_secs();
                v.validate_nbf = true;
                v.set_issuer(&[&self.issuer]);
                v.set_audience(&[&self.audience]);
                v.set_required_spec_claims(&["exp", "iss", "aud"]);
                (alg, v)
            })
            .collect();
        let jwks_uri = self.jwks_uri.unwrap_or_else(|| format!("{}/.well-known/jwks.json", self.issuer));
        let keys = KeyCache::new(jwks_uri, self.http.unwrap_or_default(), self.timeout, self.cooldown, self.max_age);
        Ok(TokenVerifier {
            inner: Arc::new(Inner {
                issuer: self.issuer,
                audience: self.audience,
                hmac,
                validations,
                leeway: self.leeway,
                keys,
                verified: self.verified.map(|(capacity, max_age)| TokenCache::new(capacity, max_age)),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issuer_is_the_app_hosts_origin_plus_oidc() {
        assert_eq!(issuer_of("https://a.genauth.ai").unwrap(), "https://a.genauth.ai/oidc");
        assert_eq!(issuer_of("https://a.genauth.ai/some/path/").unwrap(), "https://a.genauth.ai/oidc");
        assert_eq!(issuer_of("http://127.0.0.1:8080").unwrap(), "http://127.0.0.1:8080/oidc");
        assert!(issuer_of("not a url").is_err());
    }

    #[test]
    fn at_hash_is_the_left_half_of_the_algorithms_hash() {
        // OpenID Connect Core's example (A.3): this access token's at_hash with RS256.
        assert_eq!(
            access_token_hash(Algorithm::RS256, "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"),
            "77QmUPtjPfzWtF2AnpK9RQ"
        );
    }

    #[test]
    fn headers_that_are_not_jws_are_named() {
        let none = format!("{}.{}.", URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#), URL_SAFE_NO_PAD.encode("{}"));
        assert_eq!(refuse_header(&none).check(), VerifyCheck::Algorithm);
        let odd = format!("{}.e30.x", URL_SAFE_NO_PAD.encode(r#"{"alg":"XS999"}"#));
        assert_eq!(refuse_header(&odd).check(), VerifyCheck::Algorithm);
        for garbage in ["", "a.b.c", "!!!.e30.x"] {
            assert_eq!(refuse_header(garbage).check(), VerifyCheck::Malformed);
        }
    }

    #[test]
    fn hmac_needs_the_secret_and_none_is_never_allowed() {
        let without = TokenVerifier::builder("https://a/oidc", "app").build().unwrap();
        assert!(without.inner.validations.iter().all(|(a, _)| a.family() != AlgorithmFamily::Hmac));
        let with = TokenVerifier::builder("https://a/oidc", "app").app_secret("s".repeat(32)).build().unwrap();
        assert!(with.inner.validations.iter().any(|(a, _)| *a == Algorithm::HS256));
        assert!(!format!("{with:?}").contains("sssss"));
        assert!(
            TokenVerifier::builder("https://a/oidc", "app").algorithms(&[SigningAlgorithm::HS256]).build().is_err()
        );
        assert!(TokenVerifier::builder("", "app").build().is_err());
    }
}
