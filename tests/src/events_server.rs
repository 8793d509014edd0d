//! A loopback stand-in for the event service: `GET /events/v1/management/sub?code=…` (and the
//! authentication side's `/events/v1/authentication/sub?code=…&token=…`) upgraded to
//! a WebSocket, the upgrade request checked the way the service checks it, then a script of
//! messages and endings per connection.
//!
//! * Signature: `authorization: {word} {ak}:{sig}`, `sig` recomputed here as HMAC-SHA1 with the
//!   test secret over `websocket\n` (the official SDKs' `buildStringToSign("websocket", "", {},
//!   {})`), with [`verify::hmac_sha1_base64`] rather than the SDK's signer.
//! * Token: `authorization: Bearer {token}` with a token the [`StandIn`](crate::StandIn) issued
//!   (asked through a closure) and the brand's `userpool-id` header.
//!
//! Refusals answer the upgrade with HTTP 401 and a JSON body, as a gateway would.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::{SinkExt as _, StreamExt as _};
use http::{HeaderMap, StatusCode};
use tokio::io::AsyncWriteExt as _;
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use crate::standin::Flavor;
use crate::verify;

/// What the server does once a connection's scripted messages are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    /// Keep reading (answering pings) until the client goes away.
    Hold,
    /// Send a close frame.
    Close,
    /// Drop the TCP connection without a close frame.
    Drop,
    /// Write the first bytes of a text frame, then drop the TCP connection: the message never
    /// completes.
    DropMidFrame,
    /// Never read again: pings go unanswered, as on a dead path.
    Silent,
    /// Send a close frame with this code and reason (how some services refuse after the
    /// upgrade).
    CloseWith(u16, &'static str),
    /// Send a ping, then a normal close (1000): the server is alive but delivers nothing.
    PingThenClose,
}

/// One accepted connection's script.
#[derive(Debug, Clone)]
pub struct Session {
    /// Text messages to send, in order.
    pub messages: Vec<String>,
    /// What happens after.
    pub then: Then,
}

impl Session {
    /// Sends `messages`, then `then`.
    pub fn new<S: Into<String>>(messages: impl IntoIterator<Item = S>, then: Then) -> Session {
        Session { messages: messages.into_iter().map(Into::into).collect(), then }
    }
}

/// Decides whether a bearer token is one the stand-in issued.
pub type TokenCheck = Arc<dyn Fn(&str) -> bool + Send + Sync>;

/// How the event stand-in is set up.
#[derive(Clone)]
pub struct EventsServerOptions {
    /// The brand: its signature word and header prefix.
    pub flavor: Flavor,
    /// The access key id it accepts.
    pub access_key_id: String,
    /// The access key secret it checks signatures with.
    pub access_key_secret: String,
    /// The pool id a token request must name.
    pub userpool_id: String,
    /// Bearer tokens it accepts (none without one).
    pub token_check: Option<TokenCheck>,
    /// End users' access tokens it accepts in the query of an authentication-side upgrade
    /// (`/events/v1/authentication/sub?code=…&token=…`).
    pub user_tokens: Vec<String>,
    /// Answer every upgrade with this status instead (after counting it), echoing the request's
    /// `authorization` in the body.
    pub forced_status: Option<u16>,
    /// One script per accepted connection, in order; once used up, connections are held open.
    pub sessions: Vec<Session>,
}

impl EventsServerOptions {
    /// The stand-in's test credentials for `flavor` (see `StandInOptions::new`), no sessions.
    pub fn new(flavor: Flavor) -> Self {
        let o = crate::StandInOptions::new(flavor);
        EventsServerOptions {
            flavor,
            access_key_id: o.access_key_id,
            access_key_secret: o.access_key_secret,
            userpool_id: o.userpool_id,
            token_check: None,
            user_tokens: Vec::new(),
            forced_status: None,
            sessions: Vec::new(),
        }
    }
}

#[derive(Default)]
struct Books {
    upgrades: usize,
    accepted: usize,
    refused: usize,
    codes: Vec<String>,
    last_headers: Option<HeaderMap>,
    pings: usize,
    close_frames: usize,
}

struct Shared {
    options: EventsServerOptions,
    sessions: Mutex<VecDeque<Session>>,
    books: Mutex<Books>,
}

impl Shared {
    fn books(&self) -> std::sync::MutexGuard<'_, Books> {
        self.books.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A running event stand-in on 127.0.0.1; stops when dropped.
pub struct EventsServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for EventsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl EventsServer {
    /// Starts it on an ephemeral port.
    pub async fn start(options: EventsServerOptions) -> EventsServer {
        let sessions = Mutex::new(options.sessions.iter().cloned().collect());
        let shared = Arc::new(Shared { options, sessions, books: Mutex::default() });
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local addr");
        let accept_shared = shared.clone();
        let task = tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                tokio::spawn(serve(accept_shared.clone(), tcp));
            }
        });
        EventsServer { addr, shared, task }
    }

    /// `ws://127.0.0.1:<port>`, the events host to configure.
    pub fn url(&self) -> String {
        format!("ws://{}", self.addr)
    }

    /// Upgrade requests received, whatever their outcome.
    pub fn upgrades(&self) -> usize {
        self.shared.books().upgrades
    }

    /// Upgrades accepted.
    pub fn accepted(&self) -> usize {
        self.shared.books().accepted
    }

    /// Upgrades refused (bad credentials or a forced status).
    pub fn refused(&self) -> usize {
        self.shared.books().refused
    }

    /// The `code` query parameter of every upgrade request, in order.
    pub fn codes(&self) -> Vec<String> {
        self.shared.books().codes.clone()
    }

    /// The headers of the latest upgrade request.
    pub fn last_headers(&self) -> Option<HeaderMap> {
        self.shared.books().last_headers.clone()
    }

    /// Pings received from clients.
    pub fn pings(&self) -> usize {
        self.shared.books().pings
    }

    /// Close frames received from clients.
    pub fn close_frames(&self) -> usize {
        self.shared.books().close_frames
    }
}

// tungstenite's handshake callback returns `Result<Response, ErrorResponse>` by signature.
#[allow(clippy::result_large_err)]
async fn serve(shared: Arc<Shared>, tcp: TcpStream) {
    let check = shared.clone();
    let callback = move |request: &Request, response: Response| -> Result<Response, ErrorResponse> {
        let verdict = check_upgrade(&check, request);
        let mut books = check.books();
        books.upgrades += 1;
        books.last_headers = Some(request.headers().clone());
        let code = request.uri().query().unwrap_or("").split('&').find_map(|p| p.strip_prefix("code=")).unwrap_or("");
        books.codes.push(code.to_string());
        match verdict {
            Ok(()) => {
                books.accepted += 1;
                Ok(response)
            }
            Err((status, message)) => {
                books.refused += 1;
                let body = serde_json::json!({ "statusCode": status, "message": message }).to_string();
                let mut refusal = ErrorResponse::new(Some(body));
                *refusal.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::UNAUTHORIZED);
                Err(refusal)
            }
        }
    };
    let Ok(mut ws) = tokio_tungstenite::accept_hdr_async(tcp, callback).await else {
        return;
    };
    let session = shared.sessions.lock().unwrap_or_else(|p| p.into_inner()).pop_front();
    let session = session.unwrap_or_else(|| Session::new(Vec::<String>::new(), Then::Hold));
    for message in &session.messages {
        if ws.send(Message::text(message.clone())).await.is_err() {
            return;
        }
    }
    match session.then {
        Then::Hold => {
            while let Some(Ok(message)) = ws.next().await {
                let mut books = shared.books();
                match message {
                    Message::Ping(_) => books.pings += 1,
                    Message::Close(_) => books.close_frames += 1,
                    _ => {}
                }
            }
        }
        Then::Close => {
            let _ = ws.close(None).await;
            while let Some(Ok(_)) = ws.next().await {}
        }
        Then::CloseWith(code, reason) => {
            let frame = CloseFrame { code: CloseCode::from(code), reason: reason.into() };
            let _ = ws.close(Some(frame)).await;
            while let Some(Ok(_)) = ws.next().await {}
        }
        Then::PingThenClose => {
            let _ = ws.send(Message::Ping(Default::default())).await;
            let frame = CloseFrame { code: CloseCode::Normal, reason: "".into() };
            let _ = ws.close(Some(frame)).await;
            while let Some(Ok(_)) = ws.next().await {}
        }
        Then::Drop => drop(ws),
        Then::DropMidFrame => {
            // A text frame announcing 10 bytes, of which 2 arrive.
            let _ = ws.get_mut().write_all(&[0x81, 10, b'p', b'a']).await;
            let _ = ws.get_mut().flush().await;
            drop(ws);
        }
        Then::Silent => {
            // Hold the connection without reading; the runtime's end (or the client) ends it.
            tokio::time::sleep(Duration::from_secs(60)).await;
            drop(ws);
        }
    }
}

/// The service's check of the upgrade request.
fn check_upgrade(shared: &Shared, request: &Request) -> Result<(), (u16, String)> {
    let o = &shared.options;
    if let Some(status) = o.forced_status {
        // Echo what was sent, as a careless gateway might: the client must not repeat it.
        let sent = request.headers().get("authorization").map(|v| String::from_utf8_lossy(v.as_bytes()).to_string());
        return Err((
            status,
            format!("forced status {status}; authorization was {sent:?}; asked for {}", request.uri()),
        ));
    }
    if request.uri().path() == "/events/v1/authentication/sub" {
        // The service takes an end user's token in the query, as the official SDKs send it.
        let token = form_urlencoded::parse(request.uri().query().unwrap_or("").as_bytes())
            .find_map(|(name, value)| (name == "token").then(|| value.into_owned()));
        return match token {
            Some(token) if o.user_tokens.contains(&token) => Ok(()),
            Some(_) => Err((401, "invalid user token".into())),
            None => Err((401, "no token in the query".into())),
        };
    }
    if request.uri().path() != "/events/v1/management/sub" {
        return Err((404, format!("no such path {}", request.uri().path())));
    }
    let headers = request.headers();
    let authorization = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
    if let Some(token) = authorization.strip_prefix("Bearer ") {
        let known = o.token_check.as_ref().is_some_and(|check| check(token));
        if !known {
            return Err((401, "invalid or expired token".into()));
        }
        let pool = headers.get(format!("{}userpool-id", o.flavor.prefix()).as_str()).and_then(|v| v.to_str().ok());
        if pool != Some(o.userpool_id.as_str()) {
            return Err((401, "userpool id header missing or wrong".into()));
        }
        return Ok(());
    }
    let Some(rest) = authorization.strip_prefix(&format!("{} ", o.flavor.word())) else {
        return Err((401, format!("authorization must start with `{} `", o.flavor.word())));
    };
    let Some((ak, signature)) = rest.split_once(':') else {
        return Err((401, "malformed authorization".into()));
    };
    if ak != o.access_key_id {
        return Err((401, "unknown access key".into()));
    }
    if signature != verify::hmac_sha1_base64(&o.access_key_secret, "websocket\n") {
        return Err((401, "signature does not match".into()));
    }
    Ok(())
}
