//! The loopback auth server N9's check runs against: plumbing, not the lesson.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::{get, post};
use racelab_kit::rt::Gate;
use racelab_kit::say;
use racelab_kit::sync::lock_unpoisoned;
use racelab_kit::trace::Signed;

use crate::loopback::Server;

/// The server's token state: only `<prefix><generation>` is valid; it starts at `t1` (prefix `t`),
/// so `t0` has expired.
#[derive(Debug)]
struct Tokens {
    prefix: &'static str,
    generation: u32,
    refreshes: usize,
}

/// The chapter's loopback [`Server`] with an auth API: `GET /profile` answers 200 for the current
/// token and 401 otherwise (the first round of 401s waits at a gate); `POST /refresh` issues the
/// next token and retires the old one.
#[derive(Debug)]
pub struct AuthServer {
    server: Server,
    tokens: Arc<Mutex<Tokens>>,
}

impl AuthServer {
    /// Binds, then serves; its tokens are `t1`, `t2`, … Bound before any client starts; `stop`
    /// opens `stale` first.
    pub async fn start(stale: Gate) -> Result<AuthServer, String> {
        Self::start_issuing(stale, "t").await
    }

    /// The same server, its tokens `<prefix>1`, `<prefix>2`, … (a prefix no log line could hold
    /// by chance makes "the log holds the token" a sharp test).
    pub async fn start_issuing(stale: Gate, prefix: &'static str) -> Result<AuthServer, String> {
        let tokens = Arc::new(Mutex::new(Tokens {
            prefix,
            generation: 1,
            refreshes: 0,
        }));
        let held = stale.clone();
        let profile = {
            let tokens = Arc::clone(&tokens);
            move |headers: HeaderMap| {
                let tokens = Arc::clone(&tokens);
                let stale = stale.clone();
                Signed::new("server", async move {
                    let current = {
                        let tokens = lock_unpoisoned(&tokens);
                        format!("Bearer {}{}", tokens.prefix, tokens.generation)
                    };
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
                    let token = format!("{}{}", tokens.prefix, tokens.generation);
                    say!("POST /refresh #{}: issues {token}", tokens.refreshes);
                    token
                })
            }
        };
        let router = Router::new()
            .route("/profile", get(profile))
            .route("/refresh", post(refresh));
        let server = Server::start(router).await?.holding(&held);
        Ok(AuthServer { server, tokens })
    }

    /// `http://127.0.0.1:port`.
    pub fn base(&self) -> String {
        self.server.base()
    }

    /// How many times `POST /refresh` was called.
    pub fn refreshes(&self) -> usize {
        lock_unpoisoned(&self.tokens).refreshes
    }

    /// Stops the server (see [`Server::stop`]).
    pub async fn stop(self) -> Result<(), String> {
        self.server.stop().await
    }
}
