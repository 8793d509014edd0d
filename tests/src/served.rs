//! An axum app served on an ephemeral 127.0.0.1 port until dropped: what every HTTP stand-in of
//! the tests runs on.

use std::net::SocketAddr;

use axum::Router;

/// A running server; stops when dropped.
pub struct Served {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Served {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Served {
    /// Serves `app` on a free 127.0.0.1 port.
    pub async fn start(app: Router) -> Served {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local addr");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Served { addr, task }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}
