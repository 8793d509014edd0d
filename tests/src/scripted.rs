//! A raw-TCP HTTP/1.1 server that answers each request with the next scripted [`Reply`]; for
//! faults a real HTTP library would refuse to produce.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One scripted answer.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A complete answer.
    Full {
        /// HTTP status.
        status: u16,
        /// Extra headers.
        headers: Vec<(String, String)>,
        /// The body.
        body: Vec<u8>,
    },
    /// Waits, then answers 200 with `body` (for timeouts).
    Slow {
        /// How long to wait before answering.
        delay: Duration,
        /// The body.
        body: Vec<u8>,
    },
    /// Echoes the request's head (request line and headers, as received) back, as a proxy that
    /// reflects headers does: with HTTP 200, inside a JSON envelope's `message` with `statusCode`
    /// 400; with any other status, as the plain-text body.
    Echo {
        /// HTTP status.
        status: u16,
    },
    /// Announces `declared` body bytes, sends `sent`, then resets the connection.
    ResetMidBody {
        /// The `content-length` announced.
        declared: usize,
        /// What is actually sent before the reset.
        sent: Vec<u8>,
    },
}

impl Reply {
    /// HTTP 200 with a JSON body.
    pub fn json(body: impl Into<String>) -> Reply {
        Reply::Full { status: 200, headers: Vec::new(), body: body.into().into_bytes() }
    }
    /// `status` with a body.
    pub fn status(status: u16, body: impl Into<String>) -> Reply {
        Reply::Full { status, headers: Vec::new(), body: body.into().into_bytes() }
    }
    /// Adds a header to a [`Reply::Full`].
    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Full { headers, .. } = &mut self {
            headers.push((name.to_string(), value.to_string()));
        }
        self
    }
}

/// A running scripted server; stops when dropped. After the script runs out it repeats the last
/// reply.
pub struct Scripted {
    addr: SocketAddr,
    requests: Arc<AtomicUsize>,
    heads: Heads,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Scripted {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Scripted {
    /// Starts on an ephemeral 127.0.0.1 port.
    pub async fn start(script: Vec<Reply>) -> Scripted {
        Self::start_with(script, None).await
    }

    /// Starts on an ephemeral 127.0.0.1 port, speaking HTTPS with the test certificate of
    /// `tests/fixtures/tls/` (`server.pem`, for `127.0.0.1` and `localhost`, issued by the test
    /// CA `ca.pem`, both valid until 2126; made with `openssl req`/`openssl x509`).
    pub async fn start_tls(script: Vec<Reply>) -> Scripted {
        Self::start_with(script, Some(tls_acceptor())).await
    }

    async fn start_with(script: Vec<Reply>, tls: Option<tokio_rustls::TlsAcceptor>) -> Scripted {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local addr");
        let requests = Arc::new(AtomicUsize::new(0));
        let script = Arc::new(Mutex::new(script.into_iter().collect::<std::collections::VecDeque<_>>()));
        let counter = requests.clone();
        let heads = Heads::default();
        let seen = heads.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (script, counter, seen) = (script.clone(), counter.clone(), seen.clone());
                let tls = tls.clone();
                tokio::spawn(async move {
                    let _ = match tls {
                        None => serve(stream, script, counter, seen).await,
                        Some(tls) => match tls.accept(stream).await {
                            Ok(stream) => serve(stream, script, counter, seen).await,
                            // A client that does not trust the certificate ends the handshake.
                            Err(_) => Ok(()),
                        },
                    };
                });
            }
        });
        Scripted { addr, requests, heads, task }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `https://127.0.0.1:<port>`, for a server started with [`Scripted::start_tls`].
    pub fn https_url(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// Requests received so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// The heads (request line and headers) of the requests received so far, as received.
    pub fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

type Script = Arc<Mutex<std::collections::VecDeque<Reply>>>;
type Heads = Arc<Mutex<Vec<String>>>;

/// The test CA's certificate (PEM), which a client must trust to reach [`Scripted::start_tls`].
pub const TEST_CA_PEM: &str = include_str!("../fixtures/tls/ca.pem");

fn tls_acceptor() -> tokio_rustls::TlsAcceptor {
    use rustls_pki_types::pem::PemObject as _;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_slice_iter(include_bytes!("../fixtures/tls/server.pem"))
        .collect::<Result<Vec<_>, _>>()
        .expect("the test certificate parses");
    let key = PrivateKeyDer::from_pem_slice(include_bytes!("../fixtures/tls/server.key")).expect("the test key parses");
    let provider = std::sync::Arc::new(tokio_rustls::rustls::crypto::aws_lc_rs::default_provider());
    let config = tokio_rustls::rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("default protocol versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("the test certificate and key match");
    tokio_rustls::TlsAcceptor::from(Arc::new(config))
}

/// A connection the server can answer on: plain TCP or TLS over it.
trait Connection: AsyncRead + AsyncWrite + Unpin {
    /// Closes with a TCP reset (RST) instead of a clean end.
    fn reset(self) -> std::io::Result<()>;
}

impl Connection for TcpStream {
    fn reset(self) -> std::io::Result<()> {
        // SO_LINGER 0 makes close send RST instead of FIN: a reset, not a clean end.
        self.set_zero_linger()
    }
}

impl Connection for tokio_rustls::server::TlsStream<TcpStream> {
    fn reset(self) -> std::io::Result<()> {
        self.get_ref().0.set_zero_linger()
    }
}

async fn serve(
    mut stream: impl Connection,
    script: Script,
    counter: Arc<AtomicUsize>,
    heads: Heads,
) -> std::io::Result<()> {
    // Read the head, then `content-length` bytes of body.
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
    };
    let raw_head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    heads.lock().unwrap_or_else(|p| p.into_inner()).push(raw_head.clone());
    let head = raw_head.to_lowercase();
    let length: usize =
        head.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|v| v.trim().parse().ok()).unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    counter.fetch_add(1, Ordering::SeqCst);
    let reply = {
        let mut script = script.lock().unwrap_or_else(|p| p.into_inner());
        if script.len() > 1 { script.pop_front() } else { script.front().cloned() }
    };
    let Some(reply) = reply else { return Ok(()) };
    match reply {
        Reply::Full { status, headers, body } => {
            let mut out = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n", body.len());
            for (name, value) in headers {
                out.push_str(&format!("{name}: {value}\r\n"));
            }
            out.push_str("\r\n");
            stream.write_all(out.as_bytes()).await?;
            stream.write_all(&body).await?;
            stream.shutdown().await
        }
        Reply::Echo { status } => {
            let body = if status == 200 {
                serde_json::json!({"statusCode": 400, "message": raw_head, "data": null}).to_string()
            } else {
                raw_head
            };
            let out =
                format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
            stream.write_all(out.as_bytes()).await?;
            stream.shutdown().await
        }
        Reply::Slow { delay, body } => {
            tokio::time::sleep(delay).await;
            let out = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n", body.len());
            stream.write_all(out.as_bytes()).await?;
            stream.write_all(&body).await?;
            stream.shutdown().await
        }
        Reply::ResetMidBody { declared, sent } => {
            let out = format!("HTTP/1.1 200 OK\r\ncontent-length: {declared}\r\nconnection: close\r\n\r\n");
            stream.write_all(out.as_bytes()).await?;
            stream.write_all(&sent).await?;
            stream.flush().await?;
            stream.reset()
        }
    }
}
