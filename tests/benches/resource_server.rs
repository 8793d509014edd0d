//! Requests per second of a small JSON route behind the `Authenticated` extractor (warm key
//! cache), against the same route with no authentication, same server, same run, 64 concurrent
//! clients each sending its own token; p50 and p99 latency of both. Twice: with the verifier's
//! cache of verified tokens (what the `resource_server` example configures), and without it
//! (every request checks an RS256 signature). Target: at least 0.90x. Never fails on time.
//!
//! Run with `cargo bench -p genauth-tests --bench resource_server`.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::routing::get;
use axum::{Extension, Json, Router};
use genauth::oidc::TokenVerifier;
use genauth::resource_server::Authenticated;
use genauth_tests::oidc_provider::{TEST_KEY_ID, TEST_KEY_PEM, test_key_set};
use genauth_tests::served::Served;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::json;

#[path = "../../codegen/benches/common/mod.rs"]
mod common;
use common::{Table, fmt_count, fmt_secs, median, percentile, publish};

const APP: &str = "app-1";
const CLIENTS: usize = 64;

/// One side's run: every client sends `per_client` requests on its own connection pool slot.
/// Returns (requests per second, latencies in seconds).
async fn load(http: &reqwest::Client, url: &str, tokens: &Arc<Vec<String>>, per_client: usize) -> (f64, Vec<f64>) {
    let start = Instant::now();
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (http, url, tokens) = (http.clone(), url.to_owned(), Arc::clone(tokens));
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(per_client);
                for _ in 0..per_client {
                    let sent = Instant::now();
                    let response = http.get(&url).bearer_auth(&tokens[c]).send().await.expect("an answer");
                    assert_eq!(response.status(), 200, "{url}");
                    let _ = response.bytes().await.expect("a body");
                    latencies.push(sent.elapsed().as_secs_f64());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    let secs = start.elapsed().as_secs_f64();
    (latencies.len() as f64 / secs, latencies)
}

fn main() {
    let smoke = !std::env::args().any(|a| a == "--bench");
    let (rounds, per_client) = if smoke { (1, 5) } else { (6, 150) };
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let table = runtime.block_on(async {
        let keys = Served::start(Router::new().route("/oidc/.well-known/jwks.json", get(|| async { test_key_set().to_string() }))).await;
        let issuer = format!("{}/oidc", keys.url());
        let key = EncodingKey::from_rsa_pem(TEST_KEY_PEM.as_bytes()).unwrap();
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
        let tokens: Arc<Vec<String>> = Arc::new(
            (0..CLIENTS)
                .map(|i| {
                    let claims = json!({"iss": issuer, "sub": format!("user-{i}"), "aud": APP, "iat": now, "exp": now + 3600, "scope": "read"});
                    let header = Header { kid: Some(TEST_KEY_ID.into()), ..Header::new(Algorithm::RS256) };
                    jsonwebtoken::encode(&header, &claims, &key).unwrap()
                })
                .collect(),
        );
        let mut table = Table::new(
            format!("A JSON route behind the Authenticated extractor vs no authentication ({CLIENTS} concurrent clients, one server)"),
            &["verifier", "requests/side", "req/s auth", "req/s none", "ratio", "p50 auth", "p50 none", "p99 auth", "p99 none"],
        );
        for cached in [true, false] {
            let mut builder = TokenVerifier::builder(&issuer, APP);
            if cached {
                builder = builder.cache_verified(10_000, Duration::from_secs(60));
            }
            let verifier = builder.build().unwrap();
            let app = Router::new()
                .route("/open", get(|| async { Json(json!({"sub": "anyone", "ok": true})) }))
                .route("/authed", get(|user: Authenticated| async move { Json(json!({"sub": user.user_id(), "ok": true})) }))
                .layer(Extension(verifier));
            let server = Served::start(app).await;
            let http = reqwest::Client::builder().pool_max_idle_per_host(CLIENTS).build().unwrap();
            let (open, authed) = (format!("{}/open", server.url()), format!("{}/authed", server.url()));
            // Warm: connections open, keys fetched, caches filled.
            load(&http, &authed, &tokens, 3).await;
            load(&http, &open, &tokens, 3).await;
            let (mut rps_auth, mut rps_none, mut lat_auth, mut lat_none) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for round in 0..rounds {
                let order = if round % 2 == 0 { [true, false] } else { [false, true] };
                for authenticated in order {
                    let url = if authenticated { &authed } else { &open };
                    let (rps, latencies) = load(&http, url, &tokens, per_client).await;
                    if authenticated {
                        rps_auth.push(rps);
                        lat_auth.extend(latencies);
                    } else {
                        rps_none.push(rps);
                        lat_none.extend(latencies);
                    }
                }
            }
            let (ra, rn) = (median(&rps_auth), median(&rps_none));
            table.row(vec![
                if cached { "verified tokens cached (60 s)".into() } else { "every request verified".into() },
                fmt_count(lat_auth.len()),
                format!("{ra:.0}"),
                format!("{rn:.0}"),
                format!("{:.2}x", ra / rn),
                fmt_secs(percentile(&lat_auth, 50.0)),
                fmt_secs(percentile(&lat_none, 50.0)),
                fmt_secs(percentile(&lat_auth, 99.0)),
                fmt_secs(percentile(&lat_none, 99.0)),
            ]);
        }
        table.note("Target: at least 0.90x. Server and clients share the machine's cores; rounds alternate which route goes first.");
        table
    });
    publish(26, "resource_server", "Resource server", &[table]);
}
