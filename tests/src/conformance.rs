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
use serde_json::Value;
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
    /// True when Prism answered with success: anything else is a refusal (400 malformed, 401 no
    /// acceptable credentials, 404/405 no such operation, 406/415 media types, 422 invalid) or a
    /// failure of the mock (5xx), which judged nothing.
    pub fn request_valid(&self) -> bool {
        (200..300).contains(&self.status)
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

/// `doc` with every object a request sends closed (`additionalProperties: false` where the spec
/// says nothing and the object lists its properties), so that Prism refuses a misnamed body field
/// instead of ignoring it. Objects inside `allOf` stay open (closing one branch would refuse the
/// others' properties). Components shared with answers are closed too, which is harmless: Prism
/// makes answers from schemas, it does not check them.
pub fn closed_requests(doc: &Value) -> Value {
    let mut doc = doc.clone();
    let mut todo: Vec<String> = Vec::new();
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for op in item.values_mut() {
                let Some(content) = op.pointer_mut("/requestBody/content").and_then(Value::as_object_mut) else {
                    continue;
                };
                for media in content.values_mut() {
                    if let Some(schema) = media.get_mut("schema") {
                        close(schema, &mut todo);
                    }
                }
            }
        }
    }
    let mut done = std::collections::BTreeSet::new();
    while let Some(name) = todo.pop() {
        if !done.insert(name.clone()) {
            continue;
        }
        if let Some(schema) =
            doc.pointer_mut(&format!("/components/schemas/{}", name.replace('~', "~0").replace('/', "~1")))
        {
            close(schema, &mut todo);
        }
    }
    doc
}

/// Closes `schema` and what it contains; names the components it refers to in `todo`.
fn close(schema: &mut Value, todo: &mut Vec<String>) {
    let Some(map) = schema.as_object_mut() else { return };
    if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
        if let Some(name) = reference.strip_prefix("#/components/schemas/") {
            todo.push(name.to_owned());
        }
        return;
    }
    if map.get("properties").is_some_and(|p| p.as_object().is_some_and(|p| !p.is_empty()))
        && !map.contains_key("additionalProperties")
    {
        map.insert("additionalProperties".to_owned(), Value::Bool(false));
    }
    if let Some(properties) = map.get_mut("properties").and_then(Value::as_object_mut) {
        properties.values_mut().for_each(|p| close(p, todo));
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(inner) = map.get_mut(key) {
            close(inner, todo);
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(list) = map.get_mut(key).and_then(Value::as_array_mut) {
            list.iter_mut().for_each(|s| close(s, todo));
        }
    }
}

/// The query parameter names of `request` (`GET /path?a=1&b=2`) that `doc` does not declare for
/// its operation: Prism lets unknown query names through.
pub fn undeclared_query_names(doc: &Value, request: &str) -> Vec<String> {
    let Some((method, target)) = request.split_once(' ') else { return Vec::new() };
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else { return Vec::new() };
    let matches = |template: &str| {
        let (a, b): (Vec<_>, Vec<_>) = (template.split('/').collect(), path.split('/').collect());
        a.len() == b.len() && a.iter().zip(&b).all(|(t, p)| t == p || (t.starts_with('{') && t.ends_with('}')))
    };
    let Some((_, item)) = paths.iter().find(|(template, _)| matches(template)) else { return Vec::new() };
    let Some(op) = item.get(method.to_ascii_lowercase()) else { return Vec::new() };
    let declared: Vec<&str> = [item.get("parameters"), op.get("parameters")]
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .filter(|p| p.get("in").and_then(Value::as_str) == Some("query"))
        .filter_map(|p| p.get("name").and_then(Value::as_str))
        .collect();
    let mut unknown: Vec<String> = form_urlencoded::parse(query.as_bytes())
        .map(|(name, _)| name.into_owned())
        .filter(|name| !declared.contains(&name.as_str()))
        .collect();
    unknown.dedup();
    unknown
}

/// Where `ours` (an answer decoded and encoded again) lost or changed what `sent` (the server's
/// body) held, as a JSON path and what each side has; `None` when everything sent came back. A
/// `null` sent counts as absent, numbers compare by value (`1` and `1.0`), and fields the types
/// do not know cannot come back, so the check is on what the types know: a misnamed optional
/// field shows as one lost.
pub fn lost_in_decoding(sent: &Value, ours: &Value) -> Option<String> {
    fn walk(sent: &Value, ours: &Value, path: &str) -> Option<String> {
        match (sent, ours) {
            (Value::Null, _) => None,
            (Value::Object(a), Value::Object(b)) => a.iter().find_map(|(key, value)| match b.get(key) {
                Some(other) => walk(value, other, &format!("{path}.{key}")),
                None if value.is_null() => None,
                None => Some(format!("{path}.{key}: sent {value}, decoded without it")),
            }),
            (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
                a.iter().zip(b).enumerate().find_map(|(i, (x, y))| walk(x, y, &format!("{path}[{i}]")))
            }
            (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => None,
            (a, b) if a == b => None,
            (a, b) => Some(format!("{path}: sent {a}, decoded as {b}")),
        }
    }
    walk(sent, ours, "$")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn request_objects_are_closed_through_references_but_not_inside_all_of() {
        let doc = json!({
            "paths": {"/a": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}},
            "components": {"schemas": {
                "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}, "free": {"type": "object"}}},
                "B": {"type": "object", "properties": {"c": {"type": "string"}}, "allOf": [{"type": "object", "properties": {"d": {}}}]},
                "Unused": {"type": "object", "properties": {"e": {}}}
            }}
        });
        let closed = closed_requests(&doc);
        let schemas = &closed["components"]["schemas"];
        assert_eq!(schemas["A"]["additionalProperties"], json!(false));
        assert_eq!(schemas["B"]["additionalProperties"], json!(false));
        assert!(
            schemas["A"]["properties"]["free"].get("additionalProperties").is_none(),
            "a free-form object stays open"
        );
        assert!(schemas["B"]["allOf"][0].get("additionalProperties").is_none());
        assert!(schemas["Unused"].get("additionalProperties").is_none(), "only what requests send");
    }

    #[test]
    fn undeclared_query_names_are_found_on_templated_paths() {
        let doc = json!({"paths": {"/x/{id}": {
            "parameters": [{"name": "lang", "in": "query"}],
            "get": {"parameters": [{"name": "page", "in": "query"}, {"name": "id", "in": "path"}]}
        }}});
        assert!(undeclared_query_names(&doc, "GET /x/7?page=1&lang=en").is_empty());
        assert_eq!(undeclared_query_names(&doc, "GET /x/7?page=1&pgae=2"), ["pgae"]);
        assert!(undeclared_query_names(&doc, "GET /y?a=1").is_empty(), "an unknown path is Prism's to refuse");
    }

    #[test]
    fn a_field_lost_or_changed_in_decoding_is_named() {
        let sent = json!({"a": 1, "b": {"c": "x", "d": null}, "e": [1.5, 2]});
        assert_eq!(lost_in_decoding(&sent, &json!({"a": 1.0, "b": {"c": "x"}, "e": [1.5, 2]})), None);
        let lost = lost_in_decoding(&sent, &json!({"a": 1, "b": {}, "e": [1.5, 2]})).unwrap();
        assert!(lost.starts_with("$.b.c: sent \"x\""), "{lost}");
        let changed = lost_in_decoding(&sent, &json!({"a": 1, "b": {"c": "x"}, "e": [1.5, 3]})).unwrap();
        assert!(changed.starts_with("$.e[1]"), "{changed}");
    }
}
