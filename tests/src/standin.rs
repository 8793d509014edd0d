//! The loopback stand-in for the Management API (see the crate docs).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode, Uri};
use serde_json::{Value, json};

use crate::served::Served;
use crate::user_pool::{self, PageAsked, PoolQuirks, UserPool};
use crate::verify;

/// Which brand the stand-in impersonates: it only accepts that brand's headers and scheme word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// `x-genauth-*`, `GenAuth <ak>:<sig>`.
    GenAuth,
    /// `x-authing-*`, `authing <ak>:<sig>`.
    Authing,
}

impl Flavor {
    /// Custom header prefix.
    pub fn prefix(self) -> &'static str {
        match self {
            Flavor::GenAuth => "x-genauth-",
            Flavor::Authing => "x-authing-",
        }
    }
    /// Signature scheme word.
    pub fn word(self) -> &'static str {
        match self {
            Flavor::GenAuth => "GenAuth",
            Flavor::Authing => "authing",
        }
    }
}

/// How the stand-in is set up.
#[derive(Debug, Clone)]
pub struct StandInOptions {
    /// The brand.
    pub flavor: Flavor,
    /// The access key id it accepts.
    pub access_key_id: String,
    /// The access key secret it accepts.
    pub access_key_secret: String,
    /// The pool id put in tokens.
    pub userpool_id: String,
    /// `expires_in` of issued tokens, seconds.
    pub token_ttl_secs: u64,
    /// Largest accepted difference between a signed request's `date` and now.
    pub max_skew: Duration,
    /// Added to the clock the stand-in writes into tokens' `iat` and `exp`, in seconds: `-3600`
    /// plays a server whose clock is an hour behind ours (our clock an hour ahead).
    pub token_clock_offset_secs: i64,
}

impl StandInOptions {
    /// Test credentials for `flavor`.
    pub fn new(flavor: Flavor) -> Self {
        StandInOptions {
            flavor,
            access_key_id: "test-ak".into(),
            access_key_secret: "stand-in-secret-0123456789".into(),
            userpool_id: "pool-62188e71c".into(),
            token_ttl_secs: 7200,
            max_skew: Duration::from_secs(15 * 60),
            token_clock_offset_secs: 0,
        }
    }
}

#[derive(Default)]
struct Books {
    counts: HashMap<String, usize>,
    nonces: HashSet<String>,
    tokens: HashSet<String>,
    issued: Vec<String>,
    last_headers: Option<HeaderMap>,
    last_body: Option<Value>,
    /// Requests to `path` still to fail, and with which HTTP status.
    failing: Option<(String, usize, u16)>,
}

struct Shared {
    options: StandInOptions,
    books: Mutex<Books>,
    pool: Mutex<UserPool>,
    serial: AtomicU64,
}

/// A running stand-in; stops when dropped.
pub struct StandIn {
    served: Served,
    shared: Arc<Shared>,
}

impl StandIn {
    /// Starts a stand-in on an ephemeral 127.0.0.1 port.
    pub async fn start(options: StandInOptions) -> StandIn {
        let shared =
            Arc::new(Shared { options, books: Mutex::default(), pool: Mutex::default(), serial: AtomicU64::new(1) });
        let served = Served::start(Router::new().fallback(handle).with_state(shared.clone())).await;
        StandIn { served, shared }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        self.served.url()
    }

    /// The options it runs with.
    pub fn options(&self) -> &StandInOptions {
        &self.shared.options
    }

    /// Requests received for `path` (whatever their outcome).
    pub fn requests(&self, path: &str) -> usize {
        self.books().counts.get(path).copied().unwrap_or(0)
    }

    /// Requests received in all.
    pub fn total_requests(&self) -> usize {
        self.books().counts.values().sum()
    }

    /// Token requests received.
    pub fn token_requests(&self) -> usize {
        self.requests("/api/v3/get-management-token")
    }

    /// Forgets every issued token, as a key rotation would: the next call with one gets 401.
    pub fn revoke_tokens(&self) {
        self.books().tokens.clear();
    }

    /// Whether `token` is one it issued and has not revoked: what it accepts as a bearer token.
    pub fn accepts_token(&self, token: &str) -> bool {
        self.books().tokens.contains(token)
    }

    /// Every token issued so far, revoked ones included.
    pub fn issued_tokens(&self) -> Vec<String> {
        self.books().issued.clone()
    }

    /// The headers of the latest request.
    pub fn last_headers(&self) -> Option<HeaderMap> {
        self.books().last_headers.clone()
    }

    /// The JSON body of the latest request, if it had one.
    pub fn last_body(&self) -> Option<Value> {
        self.books().last_body.clone()
    }

    /// Makes the next `requests` requests to `path` fail with HTTP `status`, after their
    /// credentials were checked (a signature's nonce is then spent, so a retry that reused it
    /// would be refused). A 429 or 503 carries `Retry-After: 0`, as a service that turns a
    /// request away says when to come back; other statuses carry none.
    pub fn fail_next(&self, path: &str, requests: usize, status: u16) {
        self.books().failing = Some((path.to_owned(), requests, status));
    }

    /// Sets how many users the pool holds (0 at start); the paged user operations
    /// (`list-users`, `list-tenant-admin`, `list-group-members`) list them.
    pub fn set_pool_size(&self, users: usize) {
        self.pool().size = users;
    }

    /// Makes every request for page `page` of a paged user operation fail (statusCode 500),
    /// or none with `None`.
    pub fn fail_on_page(&self, page: Option<i64>) {
        self.pool().fail_page = page;
    }

    /// Makes the paged user operations page as `quirks` says (clamp the page size, misstate
    /// the total, ignore the page number).
    pub fn set_pool_quirks(&self, quirks: PoolQuirks) {
        self.pool().quirks = quirks;
    }

    /// The pages asked for from the paged user operations, in order.
    pub fn pages_asked(&self) -> Vec<PageAsked> {
        self.pool().asked.clone()
    }

    fn pool(&self) -> std::sync::MutexGuard<'_, UserPool> {
        self.shared.pool.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn books(&self) -> std::sync::MutexGuard<'_, Books> {
        self.shared.books.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn envelope(shared: &Shared, status_code: u16, api_code: Option<u32>, message: &str, data: Value) -> Response {
    let request_id = format!("standin-{}", shared.serial.fetch_add(1, Ordering::Relaxed));
    let mut body = json!({ "statusCode": status_code, "message": message, "requestId": request_id, "data": data });
    if let Some(code) = api_code {
        body["apiCode"] = json!(code);
    }
    (StatusCode::OK, [("content-type", "application/json"), ("x-request-id", request_id.as_str())], body.to_string())
        .into_response()
}

fn unauthorized(shared: &Shared, api_code: u32, message: &str) -> Response {
    envelope(shared, 401, Some(api_code), message, Value::Null)
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_string();
    let is_form = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    // A form is read as the service's parser (`qs`) reads it: a key seen once is a string, a
    // repeated key an array of strings.
    let json_body: Option<Value> = if body.is_empty() {
        None
    } else if is_form {
        let fields = form_urlencoded::parse(&body).fold(serde_json::Map::new(), |mut fields, (key, value)| {
            let value = Value::String(value.into_owned());
            match fields.get_mut(key.as_ref()) {
                Some(Value::Array(items)) => items.push(value),
                Some(first) => *first = Value::Array(vec![first.take(), value]),
                None => {
                    fields.insert(key.into_owned(), value);
                }
            }
            fields
        });
        Some(Value::Object(fields))
    } else {
        serde_json::from_slice(&body).ok()
    };
    {
        let mut books = shared.books.lock().unwrap_or_else(|p| p.into_inner());
        *books.counts.entry(path.clone()).or_default() += 1;
        books.last_headers = Some(headers.clone());
        books.last_body = json_body.clone();
    }
    if !body.is_empty() && json_body.is_none() {
        return envelope(&shared, 400, Some(400), "body is not JSON", Value::Null);
    }
    let opts = &shared.options;

    if path == "/api/v3/get-management-token" {
        if let Some(failure) = injected_failure(&shared, &path) {
            return failure;
        }
        let body = json_body.unwrap_or(Value::Null);
        if method != Method::POST
            || body["accessKeyId"] != json!(opts.access_key_id)
            || body["accessKeySecret"] != json!(opts.access_key_secret)
        {
            return envelope(&shared, 401, Some(2000), "accessKeyId or accessKeySecret is wrong", Value::Null);
        }
        let token = issue_token(&shared);
        {
            let mut books = shared.books.lock().unwrap_or_else(|p| p.into_inner());
            books.tokens.insert(token.clone());
            books.issued.push(token.clone());
        }
        return envelope(&shared, 200, None, "", json!({ "access_token": token, "expires_in": opts.token_ttl_secs }));
    }

    let authorization = headers.get("authorization").map(|v| String::from_utf8_lossy(v.as_bytes()).to_string());
    let Some(authorization) = authorization else {
        return unauthorized(&shared, 1300, "no authorization header");
    };
    if let Some(token) = authorization.strip_prefix("Bearer ") {
        let known = shared.books.lock().unwrap_or_else(|p| p.into_inner()).tokens.contains(token);
        if !known {
            return unauthorized(&shared, 2002, "invalid or expired token");
        }
        let pool = headers.get(format!("{}userpool-id", opts.flavor.prefix()).as_str()).and_then(|v| v.to_str().ok());
        if pool != Some(opts.userpool_id.as_str()) {
            return unauthorized(&shared, 2003, "userpool id header missing or wrong");
        }
    } else if let Err((code, message)) =
        check_signature(&shared, &method, &uri, &headers, json_body.as_ref(), &authorization)
    {
        return unauthorized(&shared, code, &message);
    }
    if let Some(failure) = injected_failure(&shared, &path) {
        return failure;
    }

    let body = json_body.unwrap_or(Value::Null);
    let paged = {
        let mut pool = shared.pool.lock().unwrap_or_else(|p| p.into_inner());
        user_pool::answer(&mut pool, &method, &path, &query_pairs(&uri), &body)
    };
    if let Some((status_code, message, data)) = paged {
        let api_code = (status_code != 200).then_some(u32::from(status_code));
        return envelope(&shared, status_code, api_code, &message, data);
    }
    if method != Method::POST {
        return envelope(&shared, 404, Some(404), "no such operation", Value::Null);
    }
    let problem = match path.as_str() {
        "/api/v3/kick-users" => required_string(&body, "userId").or_else(|| id_list(&body, "appIds")),
        "/api/v3/resign-user" => required_string(&body, "userId").or_else(|| user_id_type(&body["userIdType"])),
        "/api/v3/delete-users-batch" => id_list(&body, "userIds"),
        // As the official SDKs send it: `eventData` is the JSON text of the data, a string.
        "/api/v3/pub-event" => required_string(&body, "eventType")
            .or_else(|| required_string(&body, "source"))
            .or_else(|| match body.get("eventData") {
                Some(Value::String(_)) => None,
                _ => Some("eventData must be a string".to_string()),
            }),
        _ => return envelope(&shared, 404, Some(404), "no such operation", Value::Null),
    }
    .or_else(|| user_id_type(&body["options"]["userIdType"]));
    match problem {
        Some(message) => envelope(&shared, 400, Some(400), &message, Value::Null),
        None => envelope(&shared, 200, None, "操作成功", json!({ "success": true })),
    }
}

/// The failure [`StandIn::fail_next`] asked for, if this request to `path` is one of them.
fn injected_failure(shared: &Shared, path: &str) -> Option<Response> {
    let mut books = shared.books.lock().unwrap_or_else(|p| p.into_inner());
    let (failing, remaining, status) = books.failing.as_mut()?;
    if failing != path || *remaining == 0 {
        return None;
    }
    *remaining -= 1;
    let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let mut response = (status, "injected failure").into_response();
    if matches!(status.as_u16(), 429 | 503) {
        response.headers_mut().insert("retry-after", http::HeaderValue::from_static("0"));
    }
    Some(response)
}

fn required_string(body: &Value, field: &str) -> Option<String> {
    match body.get(field) {
        Some(Value::String(s)) if !s.is_empty() => None,
        _ => Some(format!("{field} is required")),
    }
}

/// A list of 1..=50 strings, as the API's `minItems`/`maxItems` say.
fn id_list(body: &Value, field: &str) -> Option<String> {
    match body.get(field).and_then(Value::as_array) {
        Some(items) if (1..=50).contains(&items.len()) && items.iter().all(Value::is_string) => None,
        Some(items) => Some(format!("{field} must hold 1 to 50 ids, got {}", items.len())),
        None => Some(format!("{field} is required")),
    }
}

fn user_id_type(value: &Value) -> Option<String> {
    const KNOWN: [&str; 8] =
        ["user_id", "external_id", "phone", "email", "username", "identity", "sync_relation", "custom_field"];
    match value {
        Value::Null => None,
        Value::String(s) if KNOWN.contains(&s.as_str()) => None,
        other => Some(format!("userIdType {other} is not supported")),
    }
}

fn issue_token(shared: &Shared) -> String {
    let opts = &shared.options;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let now = now.saturating_add_signed(opts.token_clock_offset_secs);
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"HS1","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(
        json!({
            "scoped_userpool_id": opts.userpool_id,
            "iat": now,
            "exp": now + opts.token_ttl_secs,
            "jti": shared.serial.fetch_add(1, Ordering::Relaxed),
        })
        .to_string(),
    );
    let signature = verify::hmac_sha1_base64(&opts.access_key_secret, &format!("{header}.{payload}"))
        .replace('+', "-")
        .replace('/', "_")
        .replace('=', "");
    format!("{header}.{payload}.{signature}")
}

fn check_signature(
    shared: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Option<&Value>,
    authorization: &str,
) -> Result<(), (u32, String)> {
    let opts = &shared.options;
    let prefix = opts.flavor.prefix();
    let Some(rest) = authorization.strip_prefix(&format!("{} ", opts.flavor.word())) else {
        return Err((1300, format!("authorization must start with `{} `", opts.flavor.word())));
    };
    let Some((ak, signature)) = rest.split_once(':') else {
        return Err((1300, "malformed authorization".into()));
    };
    if ak != opts.access_key_id {
        return Err((1300, "unknown access key".into()));
    }
    let Some(date) = headers.get("date").and_then(|v| v.to_str().ok()) else {
        return Err((1304, "no date header".into()));
    };
    // IMF-fixdate only: `Sun, 09 Oct 2022 06:14:00 GMT`, 29 characters.
    let Ok(at) = httpdate::parse_http_date(date) else {
        return Err((1303, "bad date format".into()));
    };
    if date.len() != 29 || !date.ends_with(" GMT") {
        return Err((1303, "date is not IMF-fixdate".into()));
    }
    let now = SystemTime::now();
    let skew = now.duration_since(at).or_else(|_| at.duration_since(now)).unwrap_or_default();
    if skew > opts.max_skew {
        return Err((1305, "clock skew too large".into()));
    }
    for fixed in [("signature-method", "HMAC-SHA1"), ("signature-version", "1.0")] {
        let name = format!("{prefix}{}", fixed.0);
        if headers.get(name.as_str()).and_then(|v| v.to_str().ok()) != Some(fixed.1) {
            return Err((1300, format!("{name} must be {}", fixed.1)));
        }
    }
    let nonce_name = format!("{prefix}signature-nonce");
    let Some(nonce) = headers.get(nonce_name.as_str()).and_then(|v| v.to_str().ok()) else {
        return Err((1300, "no nonce".into()));
    };

    let data: Vec<(String, String)> = if *method == Method::GET {
        // As the service's query parser (`qs`) reads it: a repeated key is an array of strings,
        // signed as its JSON text; a key seen once is its value.
        query_pairs(uri)
            .into_iter()
            .map(|(k, mut values)| {
                let value = if values.len() == 1 { values.remove(0) } else { Value::from(values).to_string() };
                (k, value)
            })
            .collect()
    } else {
        match body {
            Some(Value::Object(fields)) => fields.iter().map(|(k, v)| (k.clone(), verify::js_text(v))).collect(),
            _ => Vec::new(),
        }
    };
    let expected = verify::hmac_sha1_base64(
        &opts.access_key_secret,
        &verify::string_to_sign(method.as_str(), uri.path(), headers, prefix, &data),
    );
    if expected != signature {
        return Err((1300, "signature does not match".into()));
    }
    // Checked last so that a request with a bad signature cannot burn a nonce.
    if !shared.books.lock().unwrap_or_else(|p| p.into_inner()).nonces.insert(nonce.to_string()) {
        return Err((1306, "nonce already used".into()));
    }
    Ok(())
}

/// The query's keys in order of first appearance, each with all its (decoded) values.
fn query_pairs(uri: &Uri) -> Vec<(String, Vec<String>)> {
    let mut parsed: Vec<(String, Vec<String>)> = Vec::new();
    for pair in uri.query().unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (percent_decode(k), percent_decode(v));
        match parsed.iter_mut().find(|(key, _)| *key == k) {
            Some((_, values)) => values.push(v),
            None => parsed.push((k, vec![v])),
        }
    }
    parsed
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).to_string()
}
