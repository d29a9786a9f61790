//! The loopback server N4's check runs against: plumbing, not the lesson.

use axum::Router;
use axum::routing::get;
use racelab_kit::rt::{self, Gate};
use racelab_kit::say;
use racelab_kit::trace::Signed;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// An axum server on `127.0.0.1:0` whose `GET /report` waits at a gate, then answers
/// `report.pdf`.
#[derive(Debug)]
pub struct Server {
    base: String,
    task: JoinHandle<()>,
}

impl Server {
    /// Binds, then serves in a task named `server`. Bound before any client starts.
    pub async fn start(answer: Gate) -> Result<Server, String> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| format!("the server could not bind 127.0.0.1:0: {e}"))?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("the server has no address: {e}"))?;
        let router = Router::new().route(
            "/report",
            get(move || {
                // axum runs each connection in a task of its own: sign its lines `server`.
                Signed::new("server", async move {
                    say!("has GET /report; holds the answer at the gate");
                    answer.wait().await;
                    "report.pdf"
                })
            }),
        );
        let task = rt::spawn("server", async move {
            if let Err(e) = axum::serve(listener, router).await {
                say!("stopped: {e}");
            }
        });
        Ok(Server {
            base: format!("http://{addr}"),
            task,
        })
    }

    /// `http://127.0.0.1:port`.
    pub fn base(&self) -> String {
        self.base.clone()
    }

    /// A client for this server: no TLS, no proxy.
    pub fn client(&self) -> Result<reqwest::Client, String> {
        reqwest::Client::builder()
            .no_proxy()
            .build()
            .map_err(|e| format!("the client could not be built: {e}"))
    }

    /// Stops the server and waits until its task is gone.
    pub async fn stop(self) {
        self.task.abort();
        let _ = self.task.await;
    }
}
