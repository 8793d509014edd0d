//! A loopback stand-in for one application's side of GenAuth: the Authentication API on the
//! application's own domain, for the endpoints the SDK's tests and the `sign_in` example call.
//!
//! It checks what the real service checks: the `x-{brand}-app-id` header on every call; on the
//! operations that issue tokens (`POST /api/v3/signin`, `/api/v3/exchange-tokenset-with-qrcode-ticket`)
//! the application's credentials in the way they arrive (`client_id` and `client_secret` in the
//! body, HTTP Basic, or none) and the user's password or ticket; elsewhere the end user's
//! `Bearer` token, which it issued. It records how each sign-in authenticated the application and
//! the raw path and body of every request, so tests can look at the wire.
//!
//! To test scrubbing, it echoes what it received where a careless server would: a sign-in for
//! the account `echo` fails with the request's body and `authorization` header in its message,
//! and so does a call with a token it does not know.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use http::{HeaderMap, Method, StatusCode, Uri};
use serde_json::{Value, json};

use crate::served::Served;
use crate::standin::Flavor;

/// How a sign-in authenticated the application, as the stand-in saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeenClientAuth {
    /// `client_id` and `client_secret` in the JSON body.
    Body,
    /// `Authorization: Basic ...`.
    Basic,
    /// Neither.
    None,
}

/// One request as received.
#[derive(Debug, Clone)]
pub struct AppRequest {
    /// The method.
    pub method: Method,
    /// The path and query exactly as sent (percent-encoding kept).
    pub raw_path: String,
    /// The headers.
    pub headers: HeaderMap,
    /// The body's bytes.
    pub body: Bytes,
}

#[derive(Default)]
struct Books {
    /// Access token -> username.
    tokens: HashMap<String, String>,
    sign_ins: Vec<SeenClientAuth>,
    requests: Vec<AppRequest>,
}

struct Shared {
    flavor: Flavor,
    app_id: String,
    app_secret: String,
    /// username -> password.
    users: HashMap<String, String>,
    books: Mutex<Books>,
    serial: AtomicU64,
}

/// A running application stand-in; stops when dropped.
pub struct AppStandIn {
    served: Served,
    shared: Arc<Shared>,
}

impl AppStandIn {
    /// The application id the stand-in accepts.
    pub const APP_ID: &'static str = "app-62188e71c";
    /// The application secret it accepts.
    pub const APP_SECRET: &'static str = "app-secret-0123456789";

    /// Starts a stand-in on an ephemeral 127.0.0.1 port for `flavor`'s headers, with the users
    /// `alice` (password `alice-password`) and `bob` (`bob-password`).
    pub async fn start(flavor: Flavor) -> AppStandIn {
        let users = [("alice", "alice-password"), ("bob", "bob-password")]
            .into_iter()
            .map(|(u, p)| (u.to_owned(), p.to_owned()))
            .collect();
        let shared = Arc::new(Shared {
            flavor,
            app_id: Self::APP_ID.to_owned(),
            app_secret: Self::APP_SECRET.to_owned(),
            users,
            books: Mutex::default(),
            serial: AtomicU64::new(1),
        });
        let served = Served::start(Router::new().fallback(handle).with_state(shared.clone())).await;
        AppStandIn { served, shared }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        self.served.url()
    }

    /// A token for `username`, as a sign-in would issue it (for tests that need many users).
    pub fn issue_token(&self, username: &str) -> String {
        issue(&self.shared, username)
    }

    /// How each sign-in so far authenticated the application, oldest first.
    pub fn sign_ins(&self) -> Vec<SeenClientAuth> {
        self.books().sign_ins.clone()
    }

    /// Every request so far, oldest first.
    pub fn requests(&self) -> Vec<AppRequest> {
        self.books().requests.clone()
    }

    fn books(&self) -> std::sync::MutexGuard<'_, Books> {
        self.shared.books.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn issue(shared: &Shared, username: &str) -> String {
    let token = format!("user-token-{}-{username}", shared.serial.fetch_add(1, Ordering::Relaxed));
    shared.books.lock().unwrap_or_else(|p| p.into_inner()).tokens.insert(token.clone(), username.to_owned());
    token
}

fn envelope(status_code: u16, message: &str, data: Value) -> Response {
    let body = json!({ "statusCode": status_code, "message": message, "requestId": "app-standin", "data": data });
    (StatusCode::OK, [("content-type", "application/json")], body.to_string()).into_response()
}

fn profile(username: &str) -> Value {
    json!({
        "userId": format!("id-{username}"),
        "username": username,
        "createdAt": "2022-07-03T02:20:30.000Z",
        "updatedAt": "2022-07-03T02:20:30.000Z",
        "status": "Activated",
        "workStatus": "Active",
        "gender": "U",
        "emailVerified": false,
        "phoneVerified": false,
        "userSourceType": "register",
    })
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let raw_path = uri.path_and_query().map_or_else(|| uri.path().to_owned(), |p| p.as_str().to_owned());
    shared.books.lock().unwrap_or_else(|p| p.into_inner()).requests.push(AppRequest {
        method: method.clone(),
        raw_path: raw_path.clone(),
        headers: headers.clone(),
        body: body.clone(),
    });
    let app_id = headers.get(format!("{}app-id", shared.flavor.prefix()).as_str()).and_then(|v| v.to_str().ok());
    if app_id != Some(shared.app_id.as_str()) {
        return envelope(400, "app id header missing or wrong", Value::Null);
    }
    let authorization = headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let json_body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    match (method.as_str(), uri.path()) {
        ("POST", "/api/v3/signin") => sign_in(&shared, authorization.as_deref(), &body, &json_body),
        ("POST", "/api/v3/exchange-tokenset-with-qrcode-ticket") => {
            if let Err((status, message)) = client_auth(&shared, authorization.as_deref(), &json_body) {
                return envelope(status, message, Value::Null);
            }
            match json_body["ticket"].as_str().and_then(|t| t.strip_prefix("ticket-for-")) {
                Some(user) if shared.users.contains_key(user) => token_set(&shared, user),
                _ => envelope(400, "unknown ticket", Value::Null),
            }
        }
        ("POST", "/mfa/token/introspection") => {
            let form: HashMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
            let is_form = headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
            let active = is_form && form.get("token").is_some_and(|t| !t.is_empty());
            let answer = json!({ "active": active, "userPoolId": "pool-62188e71c" });
            (StatusCode::OK, [("content-type", "application/json")], answer.to_string()).into_response()
        }
        _ => {
            let user = authorization
                .as_deref()
                .and_then(|a| a.strip_prefix("Bearer "))
                .and_then(|token| shared.books.lock().unwrap_or_else(|p| p.into_inner()).tokens.get(token).cloned());
            let Some(user) = user else {
                let echoed = authorization.as_deref().unwrap_or("none");
                return envelope(401, &format!("unknown access token in `{echoed}`"), Value::Null);
            };
            match (method.as_str(), uri.path()) {
                ("GET", "/api/v3/get-profile") => envelope(200, "", profile(&user)),
                // It acts for the signed-in user (whose token came) and signs in as another.
                ("POST", "/api/v3/switch-login-by-user") => match json_body["targetUserId"].as_str() {
                    Some(target) if shared.users.contains_key(target) && target != user => token_set(&shared, target),
                    _ => envelope(400, "no such user to switch to", Value::Null),
                },
                ("POST", p) if p.starts_with("/api/v3/webauthn/remove-credential/") => {
                    envelope(200, "", json!({ "success": true }))
                }
                _ => envelope(404, "no such operation in the stand-in", Value::Null),
            }
        }
    }
}

/// How the application authenticated itself on a request that issues tokens, checked; the
/// refusal's status code and message otherwise.
fn client_auth(
    shared: &Shared,
    authorization: Option<&str>,
    body: &Value,
) -> Result<SeenClientAuth, (u16, &'static str)> {
    let in_body = (body.get("client_id"), body.get("client_secret"));
    let basic = authorization.and_then(|a| a.strip_prefix("Basic "));
    let seen = match (in_body, basic) {
        ((Some(id), Some(secret)), None) => {
            if id != &json!(shared.app_id) || secret != &json!(shared.app_secret) {
                return Err((401, "client_id or client_secret is wrong"));
            }
            SeenClientAuth::Body
        }
        ((None, None), Some(encoded)) => {
            let expected = format!("{}:{}", shared.app_id, shared.app_secret);
            let decoded = base64::engine::general_purpose::STANDARD.decode(encoded).unwrap_or_default();
            if decoded != expected.as_bytes() {
                return Err((401, "the Basic credentials are wrong"));
            }
            SeenClientAuth::Basic
        }
        ((None, None), None) if authorization.is_none() => SeenClientAuth::None,
        _ => {
            return Err((
                400,
                "the application authenticated in more than one way, half of one, or with a user's token",
            ));
        }
    };
    shared.books.lock().unwrap_or_else(|p| p.into_inner()).sign_ins.push(seen);
    Ok(seen)
}

/// The token set a sign-in answers with, for `user`.
fn token_set(shared: &Shared, user: &str) -> Response {
    let token = issue(shared, user);
    envelope(200, "", json!({ "access_token": token, "id_token": "", "token_type": "Bearer", "expire_in": 7200 }))
}

fn sign_in(shared: &Shared, authorization: Option<&str>, raw: &Bytes, body: &Value) -> Response {
    if let Err((status, message)) = client_auth(shared, authorization, body) {
        return envelope(status, message, Value::Null);
    }
    if body["connection"] != json!("PASSWORD") {
        return envelope(400, "only PASSWORD sign-ins are served here", Value::Null);
    }
    let payload = &body["passwordPayload"];
    let account = ["account", "username", "email", "phone"].iter().find_map(|k| payload.get(*k)?.as_str());
    if account == Some("echo") {
        let echoed = format!("{} {}", String::from_utf8_lossy(raw), authorization.unwrap_or("none"));
        return envelope(400, &format!("cannot sign in: {echoed}"), json!({ "received": echoed }));
    }
    let known = account.and_then(|a| shared.users.get(a).map(|p| (a, p)));
    match known {
        Some((user, password)) if payload["password"] == json!(password) => token_set(shared, user),
        _ => envelope(400, "wrong account or password", Value::Null),
    }
}
