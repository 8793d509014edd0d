//! The issuer's signing keys (its JWKS), fetched lazily and cached: one fetch however many
//! verifications wait for it, a refetch when a token names a key the cache does not have (so
//! keys rotate without a restart), and a cool-down between refetches so that a flood of tokens
//! with forged key ids cannot make the verifier hammer the issuer.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{AlgorithmParameters, Jwk, PublicKeyUse};
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey};
use serde::Deserialize;

use super::error::{VerifyCheck, VerifyError, shown};
use crate::runtime::transport::{ReadError, read_limited};

/// A key set larger than this is not a key set.
const MAX_JWKS_BYTES: usize = 1 << 20;

/// One verification key of the issuer.
pub(crate) struct Key {
    pub kid: Option<String>,
    /// The algorithm the key declares (`alg`), if it declares one.
    pub alg: Option<Algorithm>,
    pub family: AlgorithmFamily,
    pub key: DecodingKey,
}

/// The keys as last fetched.
#[derive(Default)]
struct KeySet {
    /// Bumped by every successful fetch, so a waiter can tell that the set changed while it
    /// waited for the fetch lock.
    generation: u64,
    keys: Vec<Arc<Key>>,
    fetched_at: Option<Instant>,
}

/// The outcome of the last fetch, kept under the fetch lock.
#[derive(Default)]
struct FetchLog {
    /// When the last fetch finished. Fetches run on their own task, so a verification that is
    /// cancelled while it waits does not cancel the fetch, and every fetch is counted.
    finished_at: Option<Instant>,
    /// Why it failed, for the waiters that queued behind it.
    error: Option<VerifyError>,
}

/// The cache of one issuer's key set (shared with the fetch tasks it spawns).
pub(crate) struct KeyCache {
    shared: Arc<Shared>,
}

struct Shared {
    url: String,
    http: reqwest::Client,
    timeout: Duration,
    cooldown: Duration,
    max_age: Duration,
    current: RwLock<Arc<KeySet>>,
    fetch: Arc<tokio::sync::Mutex<FetchLog>>,
}

/// What looking a key up in a set gave.
enum Lookup {
    Found(Arc<Key>),
    /// The set has no key for the token: a refetch may help.
    Missing(String),
    /// The set has the key, but not for the token's algorithm: a refetch cannot help.
    Refused(VerifyError),
}

impl KeyCache {
    pub(crate) fn new(
        url: String,
        http: reqwest::Client,
        timeout: Duration,
        cooldown: Duration,
        max_age: Duration,
    ) -> Self {
        let shared =
            Shared { url, http, timeout, cooldown, max_age, current: RwLock::default(), fetch: Default::default() };
        KeyCache { shared: Arc::new(shared) }
    }

    pub(crate) fn url(&self) -> &str {
        &self.shared.url
    }

    /// The key that verifies a token with header `kid` and `alg`.
    pub(crate) async fn key_for(&self, kid: Option<&str>, alg: Algorithm) -> Result<Arc<Key>, VerifyError> {
        let shared = &self.shared;
        let seen = shared.snapshot();
        let fresh = seen.fetched_at.is_some_and(|at| at.elapsed() < shared.max_age);
        match lookup(&seen, kid, alg) {
            Lookup::Found(key) if fresh => return Ok(key),
            Lookup::Refused(e) if fresh => return Err(e),
            Lookup::Found(key) => {
                // A stale set still verifies: renew it behind the caller's back, not on its path.
                if let Ok(log) = Arc::clone(&shared.fetch).try_lock_owned()
                    && log.finished_at.is_none_or(|at| at.elapsed() >= shared.cooldown)
                {
                    let task = Arc::clone(shared);
                    tokio::spawn(async move { task.fetch_and_store(log, seen.generation).await });
                }
                return Ok(key);
            }
            _ => {}
        }
        let log = Arc::clone(&shared.fetch).lock_owned().await;
        let now = shared.snapshot();
        if now.generation != seen.generation {
            // Another verification fetched while this one waited: its set is as fresh as can be.
            return found(lookup(&now, kid, alg));
        }
        if let Some(at) = log.finished_at
            && at.elapsed() < shared.cooldown
        {
            return match (&log.error, lookup(&now, kid, alg)) {
                (_, Lookup::Found(key)) => Ok(key),
                (Some(e), _) if now.fetched_at.is_none() => Err(e.clone()),
                (_, Lookup::Missing(why)) => Err(VerifyError::new(
                    VerifyCheck::UnknownKey,
                    format!("{why}; the key set was fetched less than {:?} ago, so not again yet", shared.cooldown),
                )),
                (_, other) => found(other),
            };
        }
        // The fetch runs on its own task, holding the lock: if this verification is cancelled,
        // the fetch still finishes, is counted for the cool-down, and serves the waiters.
        let (task, generation) = (Arc::clone(shared), now.generation);
        let fetched = tokio::spawn(async move { task.fetch_and_store(log, generation).await })
            .await
            .unwrap_or_else(|e| Err(VerifyError::new(VerifyCheck::KeySet, format!("the key set fetch failed: {e}"))));
        match fetched {
            Ok(set) => found(lookup(&set, kid, alg)),
            // A stale set still verifies while the issuer cannot be reached.
            Err(e) => match lookup(&now, kid, alg) {
                Lookup::Found(key) => Ok(key),
                _ => Err(e),
            },
        }
    }
}

impl Shared {
    fn snapshot(&self) -> Arc<KeySet> {
        // A poisoned lock only means a panic elsewhere while swapping an `Arc`: the value is whole.
        Arc::clone(&self.current.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Fetches the key set and stores it (holding the fetch lock), noting the outcome.
    async fn fetch_and_store(
        &self,
        mut log: tokio::sync::OwnedMutexGuard<FetchLog>,
        generation: u64,
    ) -> Result<Arc<KeySet>, VerifyError> {
        let result = self.fetch_keys().await;
        log.finished_at = Some(Instant::now());
        match result {
            Ok(keys) => {
                log.error = None;
                let set = Arc::new(KeySet { generation: generation + 1, keys, fetched_at: Some(Instant::now()) });
                *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::clone(&set);
                Ok(set)
            }
            Err(e) => {
                tracing::warn!(jwks = %self.url, error = %e, "could not fetch the issuer's key set");
                log.error = Some(e.clone());
                Err(e)
            }
        }
    }

    async fn fetch_keys(&self) -> Result<Vec<Arc<Key>>, VerifyError> {
        let fail = |why: String| VerifyError::new(VerifyCheck::KeySet, format!("{}: {why}", self.url));
        let response = self
            .http
            .get(&self.url)
            .header(http::header::ACCEPT, "application/json")
            .timeout(self.timeout)
            .send()
            .await
            .map_err(|e| {
                fail(if e.is_timeout() { format!("no response within {:?}", self.timeout) } else { e.to_string() })
            })?;
        if !response.status().is_success() {
            return Err(fail(format!("HTTP {}", response.status())));
        }
        let body = match tokio::time::timeout(self.timeout, read_limited(response, MAX_JWKS_BYTES)).await {
            Err(_) => return Err(fail(format!("the body did not arrive within {:?}", self.timeout))),
            Ok(Err(ReadError::TooLarge { limit })) => {
                return Err(fail(format!("the key set is larger than {limit} bytes")));
            }
            Ok(Err(ReadError::Failed(e))) => return Err(fail(e.to_string())),
            Ok(Ok(body)) => body,
        };
        let keys = parse_key_set(&body).map_err(fail)?;
        tracing::debug!(jwks = %self.url, keys = keys.len(), "fetched the issuer's key set");
        Ok(keys)
    }
}

fn found(lookup: Lookup) -> Result<Arc<Key>, VerifyError> {
    match lookup {
        Lookup::Found(key) => Ok(key),
        Lookup::Missing(why) => Err(VerifyError::new(VerifyCheck::UnknownKey, why)),
        Lookup::Refused(e) => Err(e),
    }
}

fn lookup(set: &KeySet, kid: Option<&str>, alg: Algorithm) -> Lookup {
    let fits = |key: &Key| key.family == alg.family() && key.alg.is_none_or(|a| a == alg);
    match kid {
        Some(kid) => match set.keys.iter().find(|key| key.kid.as_deref() == Some(kid)) {
            Some(key) if fits(key) => Lookup::Found(Arc::clone(key)),
            Some(key) => Lookup::Refused(VerifyError::new(
                VerifyCheck::Algorithm,
                format!(
                    "the key {} is {} (a {:?} key), but the token says {alg:?}",
                    shown(kid),
                    key.alg.map_or_else(|| "for another algorithm".to_owned(), |a| format!("for {a:?}")),
                    key.family
                ),
            )),
            None => Lookup::Missing(format!("the issuer's key set has no key {}", shown(kid))),
        },
        None => {
            let mut candidates = set.keys.iter().filter(|key| fits(key));
            match (candidates.next(), candidates.next()) {
                (Some(key), None) => Lookup::Found(Arc::clone(key)),
                (None, _) => Lookup::Missing(format!("the issuer's key set has no {alg:?} key")),
                (Some(_), Some(_)) => Lookup::Refused(VerifyError::new(
                    VerifyCheck::UnknownKey,
                    format!("the token names no key (kid) and the issuer has several {alg:?} keys"),
                )),
            }
        }
    }
}

/// The usable signing keys of a JWKS document. Keys this verifier cannot or must not use are
/// skipped, not fatal: encryption keys, symmetric (`oct`) keys (a shared secret never comes from
/// a URL), key types or algorithms it does not know. A set with no usable key is an error.
fn parse_key_set(body: &[u8]) -> Result<Vec<Arc<Key>>, String> {
    #[derive(Deserialize)]
    struct Document {
        keys: Vec<serde_json::Value>,
    }
    let document: Document =
        serde_json::from_slice(body).map_err(|e| format!("not a JWKS document (a JSON object with `keys`): {e}"))?;
    let total = document.keys.len();
    let keys: Vec<Arc<Key>> = document
        .keys
        .into_iter()
        .filter_map(|value| {
            let jwk: Jwk = serde_json::from_value(value).ok()?;
            if matches!(jwk.algorithm, AlgorithmParameters::OctetKey(_) | AlgorithmParameters::Other(_)) {
                return None;
            }
            if jwk.common.public_key_use.as_ref().is_some_and(|u| *u != PublicKeyUse::Signature) {
                return None;
            }
            let alg = match jwk.common.key_algorithm {
                Some(a) => Some(Algorithm::try_from(a).ok()?),
                None => None,
            };
            let key = DecodingKey::from_jwk(&jwk).ok()?;
            let family = key.family();
            if alg.is_some_and(|a| a.family() != family) {
                return None;
            }
            Some(Arc::new(Key { kid: jwk.common.key_id, alg, family, key }))
        })
        .collect();
    if keys.is_empty() {
        return Err(format!("none of its {total} keys is a signing key this verifier can use"));
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSA: &str = r#"{"kty":"RSA","kid":"k1","alg":"RS256","use":"sig","n":"sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw","e":"AQAB"}"#;

    #[test]
    fn keeps_signing_keys_and_skips_what_must_not_verify() {
        let body = format!(
            r#"{{"keys":[{RSA},
                {{"kty":"oct","kid":"s","k":"c2VjcmV0"}},
                {{"kty":"RSA","kid":"enc","use":"enc","n":"AQAB","e":"AQAB"}},
                {{"kty":"XYZ","kid":"x"}},
                {{"kty":"RSA","kid":"ec-alg","alg":"ES256","n":"AQAB","e":"AQAB"}},
                "not a key"]}}"#
        );
        let keys = parse_key_set(body.as_bytes()).unwrap();
        assert_eq!(keys.len(), 1);
        assert_eq!(
            (keys[0].kid.as_deref(), keys[0].alg, keys[0].family),
            (Some("k1"), Some(Algorithm::RS256), AlgorithmFamily::Rsa)
        );
        for bad in
            [&b"garbage"[..], b"{}", b"{\"keys\":[]}", b"{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}]}", b"[1]"]
        {
            assert!(parse_key_set(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn a_key_is_used_only_with_its_own_algorithm() {
        let set = KeySet {
            generation: 1,
            keys: parse_key_set(format!(r#"{{"keys":[{RSA}]}}"#).as_bytes()).unwrap(),
            fetched_at: None,
        };
        assert!(matches!(lookup(&set, Some("k1"), Algorithm::RS256), Lookup::Found(_)));
        assert!(matches!(lookup(&set, None, Algorithm::RS256), Lookup::Found(_)));
        for alg in [Algorithm::HS256, Algorithm::RS512, Algorithm::PS256, Algorithm::ES256] {
            assert!(matches!(lookup(&set, Some("k1"), alg), Lookup::Refused(_)), "{alg:?}");
        }
        assert!(matches!(lookup(&set, Some("k2"), Algorithm::RS256), Lookup::Missing(_)));
        assert!(matches!(lookup(&set, None, Algorithm::HS256), Lookup::Missing(_)));
        assert_eq!(shown(&"x".repeat(100)).len(), 45);
    }
}
