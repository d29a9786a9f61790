//! The one way this chapter runs a scenario that uses real sockets, and its one loopback server.
//!
//! [`racelab_kit::rt::run`] has no I/O driver on purpose: its clock is paused, and a paused clock
//! beside real sockets can jump while the kernel still holds bytes (the runtime looks idle). So a
//! scenario with a loopback server runs here instead: a fresh `current_thread` runtime with I/O
//! and the **real** clock, its lines signed `name`. Nothing in such a scenario waits on a timer —
//! gates fix every order — so real time is never what a verdict depends on. Checks that *are*
//! about time (retries, deadlines) run on `rt::run` with in-memory services instead.
//!
//! [`Server`] is the axum server every HTTP demo starts (N1, N2, N4, N6, N8, N9, N11, N12,
//! N14), and [`client`] the reqwest client they talk to it with.

use racelab_kit::demo::setup_failed;
use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};

use axum::Router;
use racelab_kit::rt::Gate;
use racelab_kit::trace::{Signed, as_actor};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Runs `scenario` to completion on a fresh `current_thread` runtime with I/O and the real clock,
/// its lines signed `name`.
pub fn run_as<F: Future>(name: &str, scenario: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current_thread runtime with I/O can always be built")
        .block_on(Signed::new(name, scenario))
}

/// Narrates `text` in the server's lane. axum runs each connection in a task of its own that no
/// [`Signed`] wraps, so a handler signs its lines itself (or wraps its future in
/// `Signed::new("server", …)`).
pub fn server_says(text: impl std::fmt::Display) {
    as_actor("server", || racelab_kit::say!("{text}"));
}

/// A real axum server on `127.0.0.1:<ephemeral>`, bound before any client starts.
///
/// **How it stops, and why that cannot hang.** [`stop`](Server::stop) first opens every gate the
/// server was told its handlers wait on ([`holding`](Server::holding)), then shuts down
/// gracefully: the listener closes, idle keep-alive connections close, and a request in flight
/// gets its answer before its connection closes; `stop` returns when the last connection is
/// gone. A graceful shutdown waits for its handlers, so a handler parked at a closed gate while
/// its client still waits would make it wait forever (a check that ends early, a request still
/// held; a client that has gone away is noticed — hyper drops the handler when the connection
/// closes): opening the gates first is what rules that out, and the chapter's handlers wait on
/// nothing else. The test below pins it (without `holding` it hangs). Aborting the serve
/// task instead would return at once but leave axum's connection tasks running on their own (they
/// are spawned, not owned by the serve task), so a handler could still narrate after `stop` and
/// the pinned traces would depend on when.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
    gates: Vec<Gate>,
}

impl Server {
    /// Binds `127.0.0.1:0` (a literal IP, never `localhost`) and serves `app` until [`stop`].
    ///
    /// [`stop`]: Server::stop
    pub async fn start(app: Router) -> Result<Server, String> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .map_err(|e| {
                setup_failed(format!(
                    "the loopback server could not bind 127.0.0.1:0: {e}"
                ))
            })?;
        Self::serve(listener, app)
    }

    /// Serves `app` on a listener the caller bound (and may have wrapped, see N8).
    pub fn serve<L>(listener: L, app: Router) -> Result<Server, String>
    where
        L: axum::serve::Listener<Addr = SocketAddr>,
    {
        let addr = listener
            .local_addr()
            .map_err(|e| setup_failed(format!("the loopback server has no address: {e}")))?;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
        });
        Ok(Server {
            addr,
            stop,
            task,
            gates: Vec::new(),
        })
    }

    /// Tells the server its handlers may wait at `gate`: [`stop`](Server::stop) opens it first.
    pub fn holding(mut self, gate: &Gate) -> Self {
        self.gates.push(gate.clone());
        self
    }

    /// `http://127.0.0.1:<port><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base(&self) -> String {
        self.url("")
    }

    /// Opens the gates it holds, then stops gracefully and waits until every connection is closed.
    pub async fn stop(self) -> Result<(), String> {
        for gate in &self.gates {
            gate.open(); // no handler may stay parked: a graceful shutdown waits for it
        }
        let _ = self.stop.send(());
        match self.task.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(setup_failed(format!("the loopback server failed: {e}"))),
            Err(e) => Err(setup_failed(format!(
                "the loopback server task failed: {e}"
            ))),
        }
    }
}

/// Starts a [`Server`] with one route: `GET path` says `held` in the server's lane, waits at
/// `gate`, then answers `body` (N4's report, N12's pushed content). It holds `gate`.
pub async fn start_held(
    path: &str,
    gate: &Gate,
    held: &'static str,
    body: &'static str,
) -> Result<Server, String> {
    let wait = gate.clone();
    let handler = move || {
        let wait = wait.clone();
        // axum runs each connection in a task of its own: sign its lines `server`.
        Signed::new("server", async move {
            racelab_kit::say!("{held}");
            wait.wait().await;
            body
        })
    };
    let app = Router::new().route(path, axum::routing::get(handler));
    Ok(Server::start(app).await?.holding(gate))
}

/// The client every test and demo uses: reqwest without TLS, and no proxy (a proxy set in the
/// environment must never see loopback traffic).
pub fn client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .map_err(|e| setup_failed(format!("the HTTP client could not be built: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;

    /// `stop` returns while a handler is parked at a closed gate the server holds and its client
    /// still waits for the answer — the case a plain graceful shutdown waits on for ever (a
    /// scenario that ends early, with a request still held). The client gets the answer.
    #[test]
    fn stop_returns_with_a_handler_parked_at_a_held_gate() {
        let (stopped, answer) = run_as("test", async {
            let gate = Gate::new("the answer");
            let app = Router::new().route(
                "/held",
                get({
                    let gate = gate.clone();
                    move || async move {
                        gate.wait().await;
                        "late"
                    }
                }),
            );
            let server = Server::start(app).await.unwrap().holding(&gate);
            let request = tokio::spawn({
                let (client, url) = (client().unwrap(), server.url("/held"));
                async move { client.get(url).send().await?.text().await }
            });
            gate.arrived(1).await; // the handler is parked, the client waits
            let stopped = server.stop().await;
            (stopped, request.await.unwrap().map_err(|e| e.to_string()))
        });
        assert_eq!(stopped, Ok(()));
        assert_eq!(answer.as_deref(), Ok("late"));
    }
}
