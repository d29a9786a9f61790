//! The loopback auth server N9's check runs against: plumbing, not the lesson.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::{get, post};
use racelab_kit::rt::{self, Gate};
use racelab_kit::say;
use racelab_kit::sync::lock_unpoisoned;
use racelab_kit::trace::Signed;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// The server's token state: only `t{generation}` is valid; it starts at `t1`, so `t0` has expired.
#[derive(Debug)]
struct Tokens {
    generation: u32,
    refreshes: usize,
}

/// An axum server on `127.0.0.1:0`: `GET /profile` answers 200 for the current token and 401
/// otherwise (the first round of 401s waits at a gate); `POST /refresh` issues the next token and
/// retires the old one.
#[derive(Debug)]
pub struct AuthServer {
    base: String,
    tokens: Arc<Mutex<Tokens>>,
    task: JoinHandle<()>,
}

impl AuthServer {
    /// Binds, then serves in a task named `server`. Bound before any client starts.
    pub async fn start(stale: Gate) -> Result<AuthServer, String> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| format!("the server could not bind 127.0.0.1:0: {e}"))?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("the server has no address: {e}"))?;
        let tokens = Arc::new(Mutex::new(Tokens {
            generation: 1,
            refreshes: 0,
        }));
        let profile = {
            let tokens = Arc::clone(&tokens);
            move |headers: HeaderMap| {
                let tokens = Arc::clone(&tokens);
                let stale = stale.clone();
                Signed::new("server", async move {
                    let current = format!("Bearer t{}", lock_unpoisoned(&tokens).generation);
                    let sent = headers
                        .get(header::AUTHORIZATION)
                        .and_then(|v| v.to_str().ok());
                    if sent == Some(current.as_str()) {
                        return (StatusCode::OK, "profile".to_string());
                    }
                    if !stale.is_open() {
                        say!("GET /profile with an expired token: holds the 401");
                        stale.wait().await;
                    }
                    (StatusCode::UNAUTHORIZED, "expired".to_string())
                })
            }
        };
        let refresh = {
            let tokens = Arc::clone(&tokens);
            move || {
                let tokens = Arc::clone(&tokens);
                Signed::new("server", async move {
                    let mut tokens = lock_unpoisoned(&tokens);
                    tokens.generation += 1;
                    tokens.refreshes += 1;
                    say!(
                        "POST /refresh #{}: issues t{}",
                        tokens.refreshes,
                        tokens.generation
                    );
                    format!("t{}", tokens.generation)
                })
            }
        };
        let router = Router::new()
            .route("/profile", get(profile))
            .route("/refresh", post(refresh));
        let task = rt::spawn("server", async move {
            if let Err(e) = axum::serve(listener, router).await {
                say!("stopped: {e}");
            }
        });
        Ok(AuthServer {
            base: format!("http://{addr}"),
            tokens,
            task,
        })
    }

    /// `http://127.0.0.1:port`.
    pub fn base(&self) -> String {
        self.base.clone()
    }

    /// How many times `POST /refresh` was called.
    pub fn refreshes(&self) -> usize {
        lock_unpoisoned(&self.tokens).refreshes
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
