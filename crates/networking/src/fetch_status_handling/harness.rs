//! Loopback plumbing the networking demos share, not the lesson: a runtime that can do I/O, a
//! real axum server on `127.0.0.1:0` that the scenario stops itself, and the test client.
//!
//! The runtime is a `current_thread` one on the **real** clock (the kit's [`rt::run`] has no I/O
//! driver, and a paused clock with real sockets can jump while the kernel still holds bytes).
//! Nothing a verdict reads depends on time: the scenarios order themselves by awaiting answers.
//!
//! [`rt::run`]: racelab_kit::rt::run

use std::net::{Ipv4Addr, SocketAddr};

use axum::Router;
use racelab_kit::trace::as_actor;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Narrates `text` in the server's lane. axum runs each connection in a task of its own that no
/// [`Signed`](racelab_kit::trace::Signed) wraps, so a handler signs its lines itself.
pub fn server_says(text: impl std::fmt::Display) {
    as_actor("server", || racelab_kit::say!("{text}"));
}

/// A real axum server on `127.0.0.1:<ephemeral>`, bound before any client starts.
pub struct Server {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Server {
    /// Binds `127.0.0.1:0` (a literal IP, never `localhost`) and serves `app` until [`stop`].
    ///
    /// [`stop`]: Server::stop
    pub async fn start(app: Router) -> Result<Server, String> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .map_err(|e| format!("the loopback server could not bind 127.0.0.1:0: {e}"))?;
        Self::serve(listener, app)
    }

    /// Serves `app` on a listener the caller bound (and may have wrapped, see N8).
    pub fn serve<L>(listener: L, app: Router) -> Result<Server, String>
    where
        L: axum::serve::Listener<Addr = SocketAddr>,
    {
        let addr = listener
            .local_addr()
            .map_err(|e| format!("the loopback server has no address: {e}"))?;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
        });
        Ok(Server { addr, stop, task })
    }

    /// `http://127.0.0.1:<port><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Stops the server and waits until it has closed every connection.
    pub async fn stop(self) -> Result<(), String> {
        let _ = self.stop.send(());
        match self.task.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(format!("the loopback server failed: {e}")),
            Err(e) => Err(format!("the loopback server task failed: {e}")),
        }
    }
}

/// The client every test and demo uses: reqwest without TLS, and no proxy (a proxy set in the
/// environment must never see loopback traffic).
pub fn client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .map_err(|e| format!("the HTTP client could not be built: {e}"))
}
