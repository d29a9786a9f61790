//! N8 `client_middleware` — a layer in front of the HTTP client must share one client, not build
//! a new one per request.
//!
//! Ports the guide's `CustomURLProtocol` ("Custom URLProtocol Implementation", L2856–2927): it
//! takes `custom://` requests, rewrites the scheme, adds `X-Protocol: CustomProtocol`, and sends
//! them on. `URLProtocol` registration is Apple's URL-loading hook and has no portable
//! equivalent; what ports is the idea — a small layer in front of the client — and its bug:
//!
//! * `startLoading` creates a **new `URLSession` for every request** (L2885–2886). A session owns
//!   its connection pool, so no request reuses a connection: every one pays a new TCP (and on
//!   https, TLS) handshake. The sessions also leak: a session keeps its delegate strongly until
//!   it is invalidated, and `stopLoading` (L2891–2895) only drops the reference.
//! * In Rust the same mistake is `reqwest::Client::new()` per request: the reqwest docs say the
//!   `Client` holds a connection pool and is meant to be created once and reused (it is an `Arc`
//!   inside, cheap to clone).
//!
//! The check ([`sequential_loads_share_a_connection`]): a real axum server on `127.0.0.1:0`
//! behind a listener that **counts TCP accepts**; the layer loads [`LOADS`] `custom://` URLs one
//! after another. One connection must carry them all.
//!
//! * [`broken`] builds a client inside `load`: [`LOADS`] requests, [`LOADS`] connections.
//! * [`fixed`] builds it once in `new` and reuses it: 1 connection.
//!
//! How it is caught: **one forced schedule**, counted, not timed. Each load is awaited before the
//! next starts, and the client speaks HTTP/2 with prior knowledge (h2c on loopback): an HTTP/2
//! connection is in the client's pool from its handshake on, so the shared client reuses it for
//! certain. (Over HTTP/1, reqwest hands a finished connection back to its pool from a background
//! task — hyper issue #4134 — and "one connection" would rest on which ready task tokio polls
//! first.) `benches/shared_client.rs` measures what the extra handshakes cost in real time.

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::http::{HeaderMap, Uri};
use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::say;
use racelab_kit::trace::{Trace, traced};
use tokio::net::{TcpListener, TcpStream};

use crate::loopback;
use crate::loopback::{Server, server_says};

pub mod broken;
pub mod fixed;

/// How many `custom://` URLs the check loads, one after another.
pub const LOADS: usize = 5;

/// The guide's `CustomURLProtocol` as a layer in front of reqwest.
pub trait CustomProtocol: Sized {
    /// The layer (the guide registers a class instead: `URLProtocol.registerClass`).
    fn new() -> Result<Self, String>;
    /// `startLoading`: rewrite `custom://` to `http://`, tag the request, send it, return the body.
    fn load(&self, url: &str) -> impl Future<Output = Result<String, String>>;
}

/// A new reqwest client (and so a new, empty connection pool); `.no_proxy()` for loopback.
/// HTTP/2 with prior knowledge (h2c on loopback): an HTTP/2 connection is in the pool from its
/// handshake on, so a shared client reuses it for certain. Over HTTP/1 a finished connection goes
/// back to the pool from a background task, and whether the next request finds it there would
/// depend on which task tokio polls first.
pub fn new_client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .no_proxy()
        .http2_prior_knowledge()
        .build()
        .map_err(|e| e.to_string())
}

/// A TCP listener that counts (and narrates) every connection it accepts.
pub struct CountingListener {
    inner: TcpListener,
    accepts: Arc<AtomicUsize>,
    narrate: bool,
}

impl CountingListener {
    /// Binds `127.0.0.1:0`; `accepts` counts connections. `narrate`: say each accept.
    pub async fn bind(accepts: Arc<AtomicUsize>, narrate: bool) -> Result<Self, String> {
        let inner = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .map_err(|e| format!("the loopback server could not bind 127.0.0.1:0: {e}"))?;
        Ok(CountingListener {
            inner,
            accepts,
            narrate,
        })
    }
}

impl axum::serve::Listener for CountingListener {
    type Io = TcpStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (TcpStream, SocketAddr) {
        let accepted = axum::serve::Listener::accept(&mut self.inner).await;
        let n = self.accepts.fetch_add(1, Ordering::SeqCst) + 1;
        if self.narrate {
            server_says(format!("accepts TCP connection #{n}"));
        }
        accepted
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

/// The loopback API: `/items/<n>` answers `item <n>`; it says which connection header it saw.
async fn item(uri: Uri, headers: HeaderMap) -> String {
    let tag = headers
        .get("x-protocol")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    let name = uri.path().trim_start_matches("/items/");
    server_says(format!("answers {} (X-Protocol: {tag})", uri.path()));
    format!("item {name}")
}

/// Starts the loopback API behind a [`CountingListener`].
pub async fn start_server(accepts: Arc<AtomicUsize>, narrate: bool) -> Result<Server, String> {
    let listener = CountingListener::bind(accepts, narrate).await?;
    Server::serve(listener, Router::new().fallback(item))
}

/// `custom://127.0.0.1:<port>/items/<n>`: the URL the app asks the layer for.
pub fn custom_url(server: &Server, n: usize) -> String {
    server
        .url(&format!("/items/{n}"))
        .replacen("http://", "custom://", 1)
}

/// Loads `n` items one after another with `layer`, each awaited before the next.
pub async fn load_in_turn<M: CustomProtocol>(
    layer: &M,
    server: &Server,
    n: usize,
) -> Result<(), String> {
    for k in 1..=n {
        let body = layer.load(&custom_url(server, k)).await?;
        say!("load(custom://…/items/{k}) gets {body:?}");
    }
    Ok(())
}

// ANCHOR: check
/// Loads [`LOADS`] `custom://` URLs in turn; the server must accept exactly one connection.
pub async fn sequential_loads_share_a_connection<M: CustomProtocol>() -> Result<(), String> {
    let accepts = Arc::new(AtomicUsize::new(0));
    let server = start_server(Arc::clone(&accepts), true).await?;
    let layer = M::new()?;
    let loaded = load_in_turn(&layer, &server, LOADS).await;
    drop(layer);
    server.stop().await?;
    loaded?;
    let opened = accepts.load(Ordering::SeqCst);
    say!("the server accepted {opened} TCP connection(s) for {LOADS} requests");
    if opened != 1 {
        return Err(format!(
            "{LOADS} requests in turn opened {opened} TCP connections: none was reused"
        ));
    }
    Ok(())
}
// ANCHOR_END: check

/// Runs the check for one twin on a loopback runtime, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => loopback::run_as(
            "caller",
            sequential_loads_share_a_connection::<broken::CustomUrlProtocol>(),
        ),
        Variant::Fixed => loopback::run_as(
            "caller",
            sequential_loads_share_a_connection::<fixed::CustomUrlProtocol>(),
        ),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "N8",
    name: "client_middleware",
    summary: "a new client per request reuses no connection; share one client",
    run: demo,
};

/// The demo: the scenario, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(format!(
        "a custom:// layer loads {LOADS} items in turn; the server counts TCP accepts"
    ));
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(outcome.err(), "one TCP connection carried every request");
    report
}
