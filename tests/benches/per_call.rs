//! Per-call cost of the SDK: the same `kick_users` call, many times on one connection pool
//! against the loopback stand-in, through `genauth::ManagementClient` and through a hand-written
//! `reqwest` call that sends the same body bytes with the same headers and auth and decodes the
//! answer too. Prints median and p99 of both and their ratio, per auth scheme, sequential and at
//! 64 concurrent calls. Never fails on time; it does fail if a call fails or if the two sides
//! stop sending the same request, since then the comparison means nothing.
//!
//! Target: SDK / hand-written at most 1.10x.
//!
//! Run with `cargo bench -p genauth-tests --bench per_call`.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use genauth::types::{KickUsersOptionsDto, KickUsersOptionsDtoUserIdType};
use genauth::{AuthScheme, ManagementClient};
use genauth_tests::harness::client_for;
use genauth_tests::{Flavor, StandIn, StandInOptions, verify};
use http::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};
use rand::Rng as _;
use serde_json::{Value, json};

#[path = "../../codegen/benches/common/mod.rs"]
mod common;
use common::{Table, fmt_count, fmt_secs, median, percentile, publish};

const PATH: &str = "/api/v3/kick-users";
const USER_ID: &str = "62188e71cxxxx3075289c580";
const APP_IDS: [&str; 2] = ["app-1", "app-2"];
/// The timeout the harness gives the SDK client; the hand-written call sets the same per
/// request, since reqwest arms a timer for it on every call.
const TIMEOUT: Duration = Duration::from_secs(5);
const CONCURRENCY: usize = 64;

/// How much to run. Calls go in small blocks that alternate between the sides (and which side
/// opens each pair), so drift and noise (a warming cache, the stand-in's growing nonce set, a
/// neighbour's build on a shared machine) hit both sides alike.
struct Plan {
    /// Pairs of blocks (one per side).
    pairs: usize,
    /// Sequential calls per block.
    sequential: usize,
    /// Concurrent batches (of [`CONCURRENCY`] calls) per block.
    batches: usize,
    warm_up: usize,
}

impl Plan {
    fn full() -> Plan {
        // 100 x 20 = 2,000 sequential and 80 x 64 = 5,120 concurrent calls per side.
        Plan { pairs: 0, sequential: 20, batches: 1, warm_up: 300 }
    }

    /// `cargo test --benches` runs bench binaries without `--bench`: keep that a quick smoke run.
    fn smoke() -> Plan {
        Plan { pairs: 2, sequential: 5, batches: 1, warm_up: 5 }
    }

    /// Block pairs for a mode: the full plan runs ~2,000 sequential and ~5,000 concurrent calls
    /// per side.
    fn pairs(&self, concurrent: bool) -> usize {
        match (self.pairs, concurrent) {
            (0, false) => 100,
            (0, true) => 80,
            (n, _) => n,
        }
    }

    fn calls_per_side(&self) -> usize {
        self.pairs(false) * self.sequential + self.pairs(true) * self.batches * CONCURRENCY
    }
}

/// The hand-written client: what a careful user would write with reqwest alone.
struct Raw {
    http: reqwest::Client,
    url: String,
    /// The exact bytes the SDK sends (checked against the stand-in in `check_same_request`).
    body: Bytes,
    /// `accept`, `content-type` and the SDK's brand headers, copied from a request the SDK sent.
    fixed: HeaderMap,
    auth: RawAuth,
}

enum RawAuth {
    Signature {
        prefix: &'static str,
        word: &'static str,
        access_key_id: String,
        secret: String,
        /// The signed data (the body's top-level fields, as the server prints them): computed
        /// once, since the body never changes.
        data: Vec<(String, String)>,
    },
    Token {
        bearer: HeaderValue,
        userpool_header: HeaderName,
        userpool_id: HeaderValue,
    },
}

impl Raw {
    async fn new(standin: &StandIn, scheme: AuthScheme, sdk_headers: &HeaderMap) -> Raw {
        let opts = standin.options();
        let prefix = opts.flavor.prefix();
        // Same pool settings as the SDK's transport (`build_http`), and the same user agent.
        let user_agent = sdk_headers["user-agent"].clone();
        let http = reqwest::Client::builder()
            .user_agent(user_agent)
            .connect_timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(Duration::from_secs(60))
            .build()
            .expect("reqwest client");
        let body_value = json!({ "userId": USER_ID, "appIds": APP_IDS, "options": { "userIdType": "user_id" } });
        let body = Bytes::from(serde_json::to_vec(&body_value).expect("JSON"));
        let mut fixed = HeaderMap::new();
        for name in ["accept", "content-type", &format!("{prefix}sdk-version"), &format!("{prefix}lang")] {
            let value = sdk_headers.get(name).unwrap_or_else(|| panic!("the SDK sent no `{name}` header"));
            fixed.insert(HeaderName::from_bytes(name.as_bytes()).expect("header name"), value.clone());
        }
        let auth = match scheme {
            AuthScheme::Signature => RawAuth::Signature {
                prefix,
                word: opts.flavor.word(),
                access_key_id: opts.access_key_id.clone(),
                secret: opts.access_key_secret.clone(),
                data: body_value
                    .as_object()
                    .expect("an object")
                    .iter()
                    .map(|(k, v)| (k.clone(), verify::js_text(v)))
                    .collect(),
            },
            _ => {
                // Fetched once, as the SDK's cache does; the pool id comes from the token's
                // claims in the SDK and equals the stand-in's pool.
                let answer: Value = http
                    .post(format!("{}/api/v3/get-management-token", standin.url()))
                    .json(&json!({ "accessKeyId": opts.access_key_id, "accessKeySecret": opts.access_key_secret }))
                    .send()
                    .await
                    .expect("token request")
                    .json()
                    .await
                    .expect("token answer");
                let token = answer["data"]["access_token"].as_str().expect("a token");
                let mut bearer = HeaderValue::from_str(&format!("Bearer {token}")).expect("header value");
                bearer.set_sensitive(true);
                RawAuth::Token {
                    bearer,
                    userpool_header: HeaderName::from_bytes(format!("{prefix}userpool-id").as_bytes()).expect("name"),
                    userpool_id: HeaderValue::from_str(&opts.userpool_id).expect("header value"),
                }
            }
        };
        Raw { http, url: format!("{}{PATH}", standin.url()), body, fixed, auth }
    }

    fn headers(&self) -> HeaderMap {
        let mut headers = self.fixed.clone();
        match &self.auth {
            RawAuth::Signature { prefix, word, access_key_id, secret, data } => {
                let mut nonce = [0u8; 16];
                rand::rng().fill_bytes(&mut nonce);
                let nonce: String = nonce.iter().map(|b| format!("{b:02x}")).collect();
                let date = httpdate::fmt_http_date(SystemTime::now());
                headers.insert("date", HeaderValue::from_str(&date).expect("date"));
                let named =
                    |suffix: &str| HeaderName::from_bytes(format!("{prefix}{suffix}").as_bytes()).expect("name");
                headers.insert(named("signature-method"), HeaderValue::from_static("HMAC-SHA1"));
                headers.insert(named("signature-version"), HeaderValue::from_static("1.0"));
                headers.insert(named("signature-nonce"), HeaderValue::from_str(&nonce).expect("nonce"));
                let to_sign = verify::string_to_sign("POST", PATH, &headers, prefix, data);
                let signature = verify::hmac_sha1_base64(secret, &to_sign);
                let mut auth = HeaderValue::from_str(&format!("{word} {access_key_id}:{signature}")).expect("auth");
                auth.set_sensitive(true);
                headers.insert(AUTHORIZATION, auth);
            }
            RawAuth::Token { bearer, userpool_header, userpool_id } => {
                headers.insert(userpool_header.clone(), userpool_id.clone());
                headers.insert(AUTHORIZATION, bearer.clone());
            }
        }
        headers
    }

    /// One call; `Err` describes what went wrong.
    async fn call(&self) -> Result<(), String> {
        let response = self
            .http
            .post(&self.url)
            .headers(self.headers())
            .body(self.body.clone())
            .timeout(TIMEOUT)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let bytes = response.bytes().await.map_err(|e| e.to_string())?;
        let answer: Value = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        if answer["statusCode"] == 200 && answer["data"]["success"] == true {
            Ok(())
        } else {
            Err(format!("unexpected answer {answer}"))
        }
    }
}

async fn sdk_call(client: &ManagementClient) -> Result<(), String> {
    let answer = client
        .kick_users(USER_ID, APP_IDS)
        .options(KickUsersOptionsDto::new().with_user_id_type(KickUsersOptionsDtoUserIdType::UserId))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if answer.status_code == 200 && answer.data.success { Ok(()) } else { Err("unexpected answer".into()) }
}

#[derive(Clone, Copy)]
enum Side {
    Sdk,
    Raw,
}

#[derive(Clone)]
struct Sides {
    sdk: ManagementClient,
    raw: Arc<Raw>,
}

impl Sides {
    /// One call of `side`, timed; panics on failure (a failed call has no meaningful time).
    async fn timed(&self, side: Side) -> f64 {
        let start = Instant::now();
        let result = match side {
            Side::Sdk => sdk_call(&self.sdk).await,
            Side::Raw => self.raw.call().await,
        };
        let secs = start.elapsed().as_secs_f64();
        if let Err(e) = result {
            panic!("a {} call failed: {e}", if matches!(side, Side::Sdk) { "SDK" } else { "hand-written" });
        }
        secs
    }

    /// `calls` calls one after another; the latencies.
    async fn sequential(&self, side: Side, calls: usize) -> Vec<f64> {
        let mut out = Vec::with_capacity(calls);
        for _ in 0..calls {
            out.push(self.timed(side).await);
        }
        out
    }

    /// `batches` batches of `CONCURRENCY` calls started together, each its own task; the
    /// latencies of every call.
    async fn concurrent(&self, side: Side, batches: usize) -> Vec<f64> {
        let mut out = Vec::with_capacity(batches * CONCURRENCY);
        for _ in 0..batches {
            let tasks: Vec<_> = (0..CONCURRENCY)
                .map(|_| {
                    let sides = self.clone();
                    tokio::spawn(async move { sides.timed(side).await })
                })
                .collect();
            for task in tasks {
                out.push(task.await.expect("a call task panicked"));
            }
        }
        out
    }
}

/// Both sides must send the same request: the same header names and the same body. Checked on
/// what the stand-in received, so nothing the bench assumes about the SDK goes unverified.
async fn check_same_request(standin: &StandIn, sides: &Sides) {
    sdk_call(&sides.sdk).await.expect("SDK call");
    let (sdk_headers, sdk_body) = (standin.last_headers().expect("headers"), standin.last_body());
    sides.raw.call().await.expect("hand-written call");
    let (raw_headers, raw_body) = (standin.last_headers().expect("headers"), standin.last_body());
    let names = |h: &HeaderMap| {
        let mut names: Vec<String> = h.keys().map(|k| k.as_str().to_owned()).collect();
        names.sort();
        names
    };
    assert_eq!(names(&sdk_headers), names(&raw_headers), "the two sides send different headers");
    for (name, value) in &sdk_headers {
        let volatile = ["authorization", "date"].contains(&name.as_str()) || name.as_str().ends_with("-nonce");
        if !volatile {
            assert_eq!(Some(value), raw_headers.get(name), "header `{name}` differs");
        }
    }
    assert_eq!(sdk_body, raw_body, "the two sides send different bodies");
    assert_eq!(
        serde_json::to_vec(&sdk_body.expect("a body")).expect("JSON"),
        sides.raw.body.to_vec(),
        "the hand-written body bytes are not the SDK's serialisation"
    );
}

/// The headers of one SDK request, as the stand-in received them.
async fn sdk_request_headers(standin: &StandIn, client: &ManagementClient) -> HeaderMap {
    sdk_call(client).await.expect("SDK call");
    standin.last_headers().expect("the stand-in saw the request")
}

struct Measured {
    sdk: Vec<f64>,
    raw: Vec<f64>,
    /// Wall time per side, for throughput.
    sdk_wall: f64,
    raw_wall: f64,
    /// CPU time of the whole process (client, stand-in and runtime) per side, seconds; `None`
    /// where it cannot be read. Latency on a shared 2-core machine is noisy; CPU time is what
    /// the SDK's own work adds, and stays comparable.
    sdk_cpu: Option<f64>,
    raw_cpu: Option<f64>,
}

/// CPU time of all this process's threads so far, in seconds (Linux: the scheduler's
/// nanosecond counters in `/proc/self/task/*/schedstat`).
fn process_cpu() -> Option<f64> {
    let mut ns: u64 = 0;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let text = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
        ns += text.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(ns as f64 / 1e9)
}

fn add(total: &mut Option<f64>, part: Option<f64>) {
    *total = total.zip(part).map(|(a, b)| a + b);
}

async fn run(sides: &Sides, plan: &Plan, concurrent: bool) -> Measured {
    let mut m =
        Measured { sdk: vec![], raw: vec![], sdk_wall: 0.0, raw_wall: 0.0, sdk_cpu: Some(0.0), raw_cpu: Some(0.0) };
    for pair in 0..plan.pairs(concurrent) {
        let order = if pair % 2 == 0 { [Side::Sdk, Side::Raw] } else { [Side::Raw, Side::Sdk] };
        for side in order {
            let cpu_before = process_cpu();
            let start = Instant::now();
            let latencies = if concurrent {
                sides.concurrent(side, plan.batches).await
            } else {
                sides.sequential(side, plan.sequential).await
            };
            let wall = start.elapsed().as_secs_f64();
            let cpu = process_cpu().zip(cpu_before).map(|(after, before)| after - before);
            match side {
                Side::Sdk => {
                    m.sdk.extend(latencies);
                    m.sdk_wall += wall;
                    add(&mut m.sdk_cpu, cpu);
                }
                Side::Raw => {
                    m.raw.extend(latencies);
                    m.raw_wall += wall;
                    add(&mut m.raw_cpu, cpu);
                }
            }
        }
    }
    m
}

fn main() {
    let smoke = !std::env::args().any(|a| a == "--bench");
    let plan = if smoke { Plan::smoke() } else { Plan::full() };
    // Two workers, as many as the bench machine has cores; the stand-in shares them, equally
    // for both sides.
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let mut table = Table::new(
        "Per-call cost: kick_users via the SDK vs hand-written reqwest (loopback stand-in, GenAuth brand)",
        &[
            "auth, mode",
            "calls/side",
            "SDK median",
            "raw median",
            "ratio median",
            "SDK p99",
            "raw p99",
            "ratio p99",
            "SDK calls/s",
            "raw calls/s",
            "CPU/call SDK",
            "CPU/call raw",
        ],
    );
    let mut worst: f64 = 0.0;
    runtime.block_on(async {
        for scheme in [AuthScheme::Signature, AuthScheme::ManagementToken] {
            let standin = StandIn::start(StandInOptions::new(Flavor::GenAuth)).await;
            let sdk = client_for(&standin, scheme);
            let sdk_headers = sdk_request_headers(&standin, &sdk).await;
            let raw = Arc::new(Raw::new(&standin, scheme, &sdk_headers).await);
            let sides = Sides { sdk, raw };
            check_same_request(&standin, &sides).await;
            // Warm-up: connections open, caches and allocator warm, on both sides.
            for side in [Side::Sdk, Side::Raw] {
                sides.sequential(side, plan.warm_up).await;
                sides.concurrent(side, 1).await;
            }
            for concurrent in [false, true] {
                let m = run(&sides, &plan, concurrent).await;
                let (sm, rm) = (median(&m.sdk), median(&m.raw));
                let (s99, r99) = (percentile(&m.sdk, 99.0), percentile(&m.raw, 99.0));
                worst = worst.max(sm / rm);
                let scheme_name = match scheme {
                    AuthScheme::Signature => "signature",
                    _ => "token",
                };
                let mode = if concurrent { format!("{CONCURRENCY} concurrent") } else { "sequential".to_owned() };
                table.row(vec![
                    format!("{scheme_name}, {mode}"),
                    fmt_count(m.sdk.len()),
                    fmt_secs(sm),
                    fmt_secs(rm),
                    format!("{:.2}x", sm / rm),
                    fmt_secs(s99),
                    fmt_secs(r99),
                    format!("{:.2}x", s99 / r99),
                    fmt_count((m.sdk.len() as f64 / m.sdk_wall) as usize),
                    fmt_count((m.raw.len() as f64 / m.raw_wall) as usize),
                    m.sdk_cpu.map_or("-".into(), |c| fmt_secs(c / m.sdk.len() as f64)),
                    m.raw_cpu.map_or("-".into(), |c| fmt_secs(c / m.raw.len() as f64)),
                ]);
            }
            // Every call reached the stand-in: none was answered from elsewhere or retried.
            let expected = 2 + 2 * (plan.warm_up + CONCURRENCY) + 2 * plan.calls_per_side() + 1;
            assert_eq!(standin.requests(PATH), expected, "requests to {PATH}: a call was retried or lost");
        }
    });
    table.note(
        "Same request on both sides (checked on what the stand-in received): headers, body bytes, auth with a fresh \
         nonce per signed call; both decode the JSON answer and check `statusCode`.",
    );
    table.note(
        "raw = hand-written reqwest call: precomputed body bytes and signed fields, the stand-in's own signer, \
         `serde_json::Value` decode. Sides alternate in blocks of 20 sequential calls or one batch.",
    );
    table.note(
        "CPU/call: CPU time of the whole process (client and stand-in) per call; the difference between the sides is \
         the SDK's own work.",
    );
    table.note(format!(
        "Target (SDK / raw median at most 1.10x): worst {worst:.2}x -> {}.",
        if worst <= 1.10 { "met" } else { "NOT met" }
    ));
    if smoke {
        table.note("Smoke run (no `--bench` argument): a few calls only.");
    }
    publish(20, "per_call", "Per-call cost", &[table]);
}
