//! The token verifier's cost and its key cache under load, against a loopback issuer serving
//! the tests' key set:
//!
//! - verifying an RS256 access token with a warm key cache through `genauth::oidc::TokenVerifier`
//!   against a bare `jsonwebtoken::decode` with a pre-parsed key and a pre-built validation (the
//!   floor: the same signature check and claim checks, nothing else), same tokens, same run,
//!   sequential and 64 concurrent tasks; target at most 1.10x;
//! - 10,000 concurrent verifications on a cold cache: key-set fetches (target exactly 1);
//! - 10,000 tokens with random unknown `kid`s within about a second: refetches (target at most
//!   one per cool-down period, plus the first fetch).
//!
//! Never fails on time; it fails if a verification gives the wrong answer.
//!
//! Run with `cargo bench -p genauth-tests --bench token_verify`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::routing::get;
use genauth::oidc::{Claims, TokenVerifier, VerifyCheck};
use genauth_tests::oidc_provider::{TEST_KEY_ID, TEST_KEY_PEM, test_key_set};
use genauth_tests::served::Served;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngExt as _;
use serde_json::json;

#[path = "../../codegen/benches/common/mod.rs"]
mod common;
use common::{Table, fmt_count, fmt_secs, median, percentile, publish};

const APP: &str = "app-1";
const CONCURRENCY: usize = 64;

struct Plan {
    tokens: usize,
    rounds: usize,
    cold: usize,
    flood: usize,
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

fn sign(issuer: &str, kid: &str, sub: usize, key: &EncodingKey) -> String {
    let now = now();
    let claims = json!({"iss": issuer, "sub": format!("user-{sub}"), "aud": APP, "iat": now, "exp": now + 3600, "scope": "openid read"});
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.to_owned());
    jsonwebtoken::encode(&header, &claims, key).unwrap()
}

/// The floor: what a hand-written resource server would do with a key it already parsed.
struct Bare {
    key: DecodingKey,
    validation: Validation,
}

impl Bare {
    fn new(issuer: &str) -> Bare {
        let jwk: jsonwebtoken::jwk::Jwk = serde_json::from_value(test_key_set()["keys"][0].clone()).unwrap();
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[APP]);
        validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        validation.validate_nbf = true;
        Bare { key: DecodingKey::from_jwk(&jwk).unwrap(), validation }
    }
    fn verify(&self, token: &str) -> Claims {
        jsonwebtoken::decode::<Claims>(token, &self.key, &self.validation).expect("valid").claims
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Sdk,
    Bare,
}

/// Seconds per verification of each token, one side, sequentially.
async fn sequential(side: Side, verifier: &TokenVerifier, bare: &Bare, tokens: &[String]) -> Vec<f64> {
    let mut times = Vec::with_capacity(tokens.len());
    for token in tokens {
        let start = Instant::now();
        let sub = match side {
            Side::Sdk => verifier.verify_access_token(token).await.expect("valid").sub,
            Side::Bare => bare.verify(token).sub,
        };
        times.push(start.elapsed().as_secs_f64());
        assert!(sub.is_some());
    }
    times
}

/// Wall seconds for all `tokens` verified by 64 tasks.
async fn concurrent(side: Side, verifier: &TokenVerifier, bare: &Arc<Bare>, tokens: &Arc<Vec<String>>) -> f64 {
    let start = Instant::now();
    let tasks: Vec<_> = (0..CONCURRENCY)
        .map(|t| {
            let (verifier, bare, tokens) = (verifier.clone(), Arc::clone(bare), Arc::clone(tokens));
            tokio::spawn(async move {
                for token in tokens.iter().skip(t).step_by(CONCURRENCY) {
                    match side {
                        Side::Sdk => assert!(verifier.verify_access_token(token).await.is_ok()),
                        Side::Bare => assert!(bare.verify(token).sub.is_some()),
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    start.elapsed().as_secs_f64()
}

fn main() {
    let smoke = !std::env::args().any(|a| a == "--bench");
    let plan = if smoke {
        Plan { tokens: 50, rounds: 2, cold: 200, flood: 200 }
    } else {
        Plan { tokens: 2_000, rounds: 10, cold: 10_000, flood: 10_000 }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let tables = runtime.block_on(async {
        let fetches = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&fetches);
        let app = Router::new().route(
            "/oidc/.well-known/jwks.json",
            get(move || {
                counter.fetch_add(1, Ordering::SeqCst);
                async { test_key_set().to_string() }
            }),
        );
        let served = Served::start(app).await;
        let issuer = format!("{}/oidc", served.url());
        let key = EncodingKey::from_rsa_pem(TEST_KEY_PEM.as_bytes()).unwrap();
        let tokens: Vec<String> = (0..plan.tokens).map(|i| sign(&issuer, TEST_KEY_ID, i, &key)).collect();
        let verifier = TokenVerifier::builder(&issuer, APP).build().unwrap();
        let bare = Arc::new(Bare::new(&issuer));
        // Warm: the key set fetched, both sides' code paths run once.
        sequential(Side::Sdk, &verifier, &bare, &tokens[..1]).await;
        sequential(Side::Bare, &verifier, &bare, &tokens[..1]).await;

        let mut warm = Table::new(
            "RS256 access token, warm key cache: TokenVerifier vs bare jsonwebtoken::decode (pre-parsed key)",
            &[
                "mode",
                "verifications/side",
                "SDK median",
                "bare median",
                "ratio median",
                "SDK p99",
                "bare p99",
                "ratio p99",
            ],
        );
        let (mut sdk_times, mut bare_times) = (Vec::new(), Vec::new());
        for round in 0..plan.rounds {
            // Alternate which side opens the round, so drift hits both alike.
            let order = if round % 2 == 0 { [Side::Sdk, Side::Bare] } else { [Side::Bare, Side::Sdk] };
            for side in order {
                let times = sequential(side, &verifier, &bare, &tokens).await;
                if side == Side::Sdk { sdk_times.extend(times) } else { bare_times.extend(times) }
            }
        }
        let (sm, bm) = (median(&sdk_times), median(&bare_times));
        let (s99, b99) = (percentile(&sdk_times, 99.0), percentile(&bare_times, 99.0));
        warm.row(vec![
            "sequential".into(),
            fmt_count(sdk_times.len()),
            fmt_secs(sm),
            fmt_secs(bm),
            format!("{:.2}x", sm / bm),
            fmt_secs(s99),
            fmt_secs(b99),
            format!("{:.2}x", s99 / b99),
        ]);
        let shared = Arc::new(tokens.clone());
        let (mut sdk_walls, mut bare_walls) = (Vec::new(), Vec::new());
        for round in 0..plan.rounds {
            let order = if round % 2 == 0 { [Side::Sdk, Side::Bare] } else { [Side::Bare, Side::Sdk] };
            for side in order {
                let wall = concurrent(side, &verifier, &bare, &shared).await / shared.len() as f64;
                if side == Side::Sdk { sdk_walls.push(wall) } else { bare_walls.push(wall) }
            }
        }
        let (sc, bc) = (median(&sdk_walls), median(&bare_walls));
        warm.row(vec![
            format!("{CONCURRENCY} concurrent tasks (wall time per verification)"),
            fmt_count(shared.len() * plan.rounds),
            fmt_secs(sc),
            fmt_secs(bc),
            format!("{:.2}x", sc / bc),
            "-".into(),
            "-".into(),
            "-".into(),
        ]);
        warm.note("Target: ratio at most 1.10x. Same tokens, same process, rounds alternating which side goes first.");

        let mut cache = Table::new("The key cache under load", &["case", "verifications", "key-set fetches", "target"]);
        let cold = TokenVerifier::builder(&issuer, APP).build().unwrap();
        let before = fetches.load(Ordering::SeqCst);
        let tasks: Vec<_> = (0..plan.cold)
            .map(|i| {
                let (cold, token) = (cold.clone(), tokens[i % tokens.len()].clone());
                tokio::spawn(async move { cold.verify_access_token(&token).await.is_ok() })
            })
            .collect();
        for task in tasks {
            assert!(task.await.unwrap(), "a cold-cache verification failed");
        }
        cache.row(vec![
            "concurrent verifications, cold cache".into(),
            fmt_count(plan.cold),
            fmt_count(fetches.load(Ordering::SeqCst) - before),
            "exactly 1".into(),
        ]);

        let cooldown = Duration::from_millis(250);
        let flooded = TokenVerifier::builder(&issuer, APP).refetch_cooldown(cooldown).build().unwrap();
        flooded.verify_access_token(&tokens[0]).await.expect("warm");
        let forged: Vec<String> = {
            let mut rng = rand::rng();
            (0..plan.flood).map(|i| sign(&issuer, &format!("kid-{}", rng.random::<u64>()), i, &key)).collect()
        };
        let before = fetches.load(Ordering::SeqCst);
        let start = Instant::now();
        let per_ms = (plan.flood / 500).max(1);
        for (i, token) in forged.iter().enumerate() {
            let err = flooded.verify_access_token(token).await.expect_err("an unknown kid");
            assert_eq!(err.check(), VerifyCheck::UnknownKey);
            // Spread the flood over about a second (500 sleeps of at least 1 ms), as an attacker's would arrive.
            if i % per_ms == per_ms - 1 {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
        let elapsed = start.elapsed();
        let refetches = fetches.load(Ordering::SeqCst) - before;
        let bound = 1 + elapsed.as_millis() / cooldown.as_millis();
        cache.row(vec![
            format!("random unknown kids over {}", fmt_secs(elapsed.as_secs_f64())),
            fmt_count(plan.flood),
            fmt_count(refetches),
            format!("at most {bound} (one per {} cool-down)", fmt_secs(cooldown.as_secs_f64())),
        ]);
        assert!(refetches as u128 <= bound, "{refetches} refetches, more than one per cool-down");
        vec![warm, cache]
    });
    publish(25, "token_verify", "Token verification", &tables);
}
