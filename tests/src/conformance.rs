//! The spec-conformance judge: Stoplight Prism (installed from npm by `.ci/install-prism.sh`, see
//! `tests/conformance/PRISM-NOTES.md`) mocking the effective spec, and a gateway in front of it.
//!
//! Prism validates every request against the spec (method, path, query, headers, body schema)
//! and answers 422 with the violations, or 200 with the spec's examples (static mode) or data
//! generated from the response schemas (dynamic mode). Nobody on the team wrote it.
//!
//! The gateway exists because Prism cannot issue a management token: the token request goes to
//! the stand-in (which issues real JWTs), everything else to Prism unchanged, and the gateway
//! records each of Prism's answers so a test can tell "Prism refused the request" from "the sdk
//! could not decode the answer".

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::response::Response;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::served::Served;

/// The path of the token request, which the gateway sends to the stand-in.
const TOKEN_PATH: &str = "/api/v3/get-management-token";

/// How Prism answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MockMode {
    /// From the spec's examples (property examples, defaults, first enum values).
    Examples,
    /// From data generated from the response schemas (json-schema-faker, fixed seed).
    Generated,
}

impl MockMode {
    /// For messages: `examples` / `generated data`.
    pub fn label(self) -> &'static str {
        match self {
            MockMode::Examples => "examples",
            MockMode::Generated => "generated data",
        }
    }
}

/// A running Prism mock server; stopped when dropped.
pub struct Prism {
    child: Child,
    url: String,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// The Prism binary, installed by `.ci/install-prism.sh` (run here when it is missing, so a plain
/// `cargo test` works on a machine with node and npm).
fn prism_binary() -> PathBuf {
    let root = workspace_root();
    let bin = root.join("tests/conformance/node_modules/.bin/prism");
    if !bin.exists() {
        let status = std::process::Command::new("bash")
            .arg(root.join(".ci/install-prism.sh"))
            .current_dir(&root)
            .status()
            .expect("run .ci/install-prism.sh (needs bash, node and npm)");
        assert!(status.success(), ".ci/install-prism.sh failed; Prism is needed for the conformance run");
    }
    bin
}

impl Prism {
    /// Starts Prism on a free 127.0.0.1 port, mocking the spec at `spec`, and waits until it
    /// listens (at most 120 s: the 2 MB upstream spec takes a few seconds to load).
    pub async fn start(spec: &Path, mode: MockMode) -> Prism {
        let mut cmd = Command::new(prism_binary());
        cmd.args(["mock", "-h", "127.0.0.1", "-p", "0", "--seed", "1", "--json-schema-faker-fillProperties=false"]);
        if mode == MockMode::Generated {
            cmd.arg("-d");
        }
        cmd.arg(spec).stdout(Stdio::piped()).stderr(Stdio::piped()).stdin(Stdio::null()).kill_on_drop(true);
        let mut child = cmd.spawn().expect("start prism");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = tokio::sync::oneshot::channel::<String>();
        // Prism logs every request: its output is drained for as long as it runs, or it would
        // block on a full pipe.
        tokio::spawn(async move {
            let mut lines = BufReader::new(stdout).lines();
            let mut tx = Some(tx);
            let mut seen = Vec::new();
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(at) = line.find("Prism is listening on ") {
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(line[at + "Prism is listening on ".len()..].trim().to_owned());
                    }
                } else if tx.is_some() && seen.len() < 50 {
                    seen.push(line);
                }
            }
            if tx.is_some() {
                eprintln!("prism ended before it listened; its output:\n{}", seen.join("\n"));
            }
        });
        let url = tokio::time::timeout(Duration::from_secs(120), rx)
            .await
            .expect("prism did not listen within 120 s")
            .expect("prism ended before it listened (see its output above)");
        Prism { child, url }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

/// One request Prism answered.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// `GET /api/v3/...?...`.
    pub request: String,
    /// Prism's HTTP status.
    pub status: u16,
    /// Prism's body (its validation messages for a 422).
    pub body: String,
}

impl Exchange {
    /// True unless Prism refused the request as not matching the spec (400 malformed, 401 no
    /// acceptable credentials, 404/405 no such operation, 406/415 media types, 422 invalid).
    pub fn request_valid(&self) -> bool {
        !matches!(self.status, 400 | 401 | 404 | 405 | 406 | 415 | 422)
    }
}

struct GatewayState {
    standin: String,
    prism: String,
    http: reqwest::Client,
    force_success: bool,
    log: Mutex<Vec<Exchange>>,
}

/// The gateway: token requests to the stand-in, the rest to Prism, Prism's answers recorded.
pub struct Gateway {
    url: String,
    state: Arc<GatewayState>,
    _served: Served,
}

impl Gateway {
    /// Starts a gateway on a free 127.0.0.1 port. With `force_success`, a `statusCode` in
    /// Prism's answer is set to 200: generated data has a random business status code, which the
    /// sdk rightly reports as an API error; the data is what the conformance run is about (the
    /// error envelope has its own tests).
    pub async fn start(standin: &str, prism: &str, force_success: bool) -> Gateway {
        let state = Arc::new(GatewayState {
            standin: standin.to_owned(),
            prism: prism.to_owned(),
            http: reqwest::Client::new(),
            force_success,
            log: Mutex::default(),
        });
        let served = Served::start(Router::new().fallback(forward).with_state(state.clone())).await;
        Gateway { url: served.url(), state, _served: served }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Prism's answers since the last call, oldest first.
    pub fn take(&self) -> Vec<Exchange> {
        std::mem::take(&mut *self.state.log.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

async fn forward(State(state): State<Arc<GatewayState>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let path_and_query = parts.uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
    let to_standin = parts.uri.path() == TOKEN_PATH;
    let base = if to_standin { &state.standin } else { &state.prism };
    let body = axum::body::to_bytes(body, 16 << 20).await.unwrap_or_default();
    let mut outgoing = state.http.request(parts.method.clone(), format!("{base}{path_and_query}")).body(body);
    for (name, value) in &parts.headers {
        if name != http::header::HOST && name != http::header::CONTENT_LENGTH {
            outgoing = outgoing.header(name, value);
        }
    }
    let answer = match outgoing.send().await {
        Ok(answer) => answer,
        Err(e) => {
            return Response::builder().status(502).body(format!("gateway: {e}").into()).expect("response");
        }
    };
    let status = answer.status();
    let headers = answer.headers().clone();
    let mut bytes = answer.bytes().await.unwrap_or_default();
    if !to_standin {
        if state.force_success {
            bytes = with_success_status(bytes);
        }
        let exchange = Exchange {
            request: format!("{} {path_and_query}", parts.method),
            status: status.as_u16(),
            body: String::from_utf8_lossy(&bytes).into_owned(),
        };
        state.log.lock().unwrap_or_else(|e| e.into_inner()).push(exchange);
    }
    let mut response = Response::builder().status(status);
    for (name, value) in &headers {
        if name != http::header::CONTENT_LENGTH && name != http::header::TRANSFER_ENCODING {
            response = response.header(name, value);
        }
    }
    response.body(bytes.into()).expect("response")
}

/// `bytes` with a top-level `statusCode` set to 200 (unchanged when it is not such an object).
fn with_success_status(bytes: Bytes) -> Bytes {
    match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(serde_json::Value::Object(mut map)) if map.contains_key("statusCode") => {
            map.insert("statusCode".to_owned(), 200.into());
            Bytes::from(serde_json::to_vec(&map).expect("serialisable"))
        }
        _ => bytes,
    }
}
