//! N10 `websocket_generations` — a WebSocket client that connects again must not let the old
//! connection's receive loop speak for the new one.
//!
//! Ports the guide's `WebSocketManager` (L3056–3274): `connect(to:)`, `disconnect()` and
//! `startReceiving()` (L3133–3187). What the guide gets wrong, confirmed against its code:
//!
//! * `connect(to:)` (L3133–3141) replaces `webSocket` and starts another receive loop, but a loop
//!   started for the old task is still pending; when the old connection ends, its failure branch
//!   (L3181–3184) sets `.failed` — on the manager, whose connection is now the new, live one.
//! * `disconnect()` (L3143–3148) sets `.disconnected` at once; the pending receive then fails and
//!   sets `.failed`, so a disconnect the user asked for ends in `.failed`.
//!
//! * [`broken`] is the guide's manager: each receive loop writes the manager's status when its
//!   connection ends.
//! * [`fixed`] tags each connection with a generation; a loop whose generation is no longer the
//!   manager's current one says nothing, and `disconnect` starts a new generation first.
//!
//! How it is caught: **one forced schedule** over real sockets (a tokio-tungstenite server on
//! `127.0.0.1:0`): the check connects, connects again, has the server close the first connection
//! (a [`Gate`] the check opens), waits for the old loop to end, then disconnects (a Close frame,
//! then reading until the stream ends) and waits for that loop too. Nothing waits on a timer, so
//! the runtime is a plain `current_thread` one on the real clock.

use racelab_kit::demo::setup_failed;
use std::sync::{Arc, Mutex};

use crate::loopback;
use futures_util::StreamExt;
use racelab_kit::demo::{Demo, Report, Variant};
pub use racelab_kit::rt::Gate;
use racelab_kit::say;
use racelab_kit::sync::lock_unpoisoned;
use racelab_kit::trace::{Trace, traced};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub mod broken;
pub mod fixed;

/// `ConnectionStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// `.disconnected`
    Disconnected,
    /// `.connected`
    Connected,
    /// `.failed`
    Failed,
}

/// The manager's status, shared with its receive loops; every change is narrated.
#[derive(Debug, Clone)]
pub struct Shared(Arc<Mutex<Status>>);

impl Default for Shared {
    fn default() -> Self {
        Shared(Arc::new(Mutex::new(Status::Disconnected)))
    }
}

impl Shared {
    /// `connectionStatus = …`.
    pub fn set(&self, status: Status) {
        say!("connectionStatus = {status:?}");
        *lock_unpoisoned(&self.0) = status;
    }

    /// The status now.
    pub fn get(&self) -> Status {
        *lock_unpoisoned(&self.0)
    }
}

/// What both twins are.
pub trait Manager: Default {
    /// `connect(to:)`: open a connection and start its receive loop.
    fn connect(&mut self, url: &str) -> impl Future<Output = Result<(), String>>;
    /// `disconnect()`.
    fn disconnect(&mut self) -> impl Future<Output = ()>;
    /// The status.
    fn status(&self) -> Status;
    /// Hands over the receive loops started so far, oldest first (the check waits for them).
    fn take_loops(&mut self) -> Vec<JoinHandle<()>>;
}

/// The loopback server: accepts WebSocket connections; connection `n` (from 0) is closed by the
/// server when `close[n]` opens. It says nothing, so no line depends on tokio's poll order.
pub async fn serve(close: Vec<Gate>) -> std::io::Result<(String, JoinHandle<()>)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("ws://{}/chat", listener.local_addr()?);
    let server = tokio::spawn(async move {
        for gate in close {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let Ok(mut ws) = tokio_tungstenite::accept_async(tcp).await else {
                    return;
                };
                tokio::select! {
                    biased;
                    () = gate.wait() => {
                        let _ = ws.close(None).await; // send Close…
                        while let Some(Ok(_)) = ws.next().await {} // …and read until the end
                    }
                    () = async { while let Some(Ok(_)) = ws.next().await {} } => {}
                }
            });
        }
    });
    Ok((url, server))
}

// ANCHOR: check
/// Connect, connect again, the server closes the first connection, then disconnect: the status
/// must be `Connected` while the second connection lives, and `Disconnected` at the end.
pub async fn reconnect_then_disconnect<M: Manager>() -> Result<(), String> {
    let close = [
        Gate::new("close connection 1"),
        Gate::new("close connection 2"),
    ];
    let (url, server) = serve(close.to_vec())
        .await
        .map_err(|e| setup_failed(format!("the server could not start: {e}")))?;
    let mut manager = M::default();
    say!("connects");
    manager.connect(&url).await?;
    say!("connects again (a reconnect)");
    manager.connect(&url).await?;
    say!("the server closes connection 1");
    close[0].open();
    let mut loops = manager.take_loops();
    let first = loops.remove(0);
    first
        .await
        .map_err(|e| format!("receive loop 1 failed: {e}"))?;
    let while_live = manager.status();
    say!("disconnects");
    manager.disconnect().await;
    for rest in loops {
        rest.await
            .map_err(|e| format!("a receive loop failed: {e}"))?;
    }
    let at_end = manager.status();
    server.abort();
    let _ = server.await;
    if while_live != Status::Connected {
        return Err(format!(
            "connection 1 ended and set {while_live:?}, but connection 2 was live"
        ));
    }
    if at_end != Status::Disconnected {
        return Err(format!(
            "a disconnect the user asked for ended in {at_end:?}"
        ));
    }
    Ok(())
}
// ANCHOR_END: check

/// Runs the check for one twin on a `current_thread` runtime with I/O, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => loopback::run_as(
            "app",
            reconnect_then_disconnect::<broken::WebSocketManager>(),
        ),
        Variant::Fixed => loopback::run_as(
            "app",
            reconnect_then_disconnect::<fixed::WebSocketManager>(),
        ),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "N10",
    name: "websocket_generations",
    summary: "an old connection's receive loop marks the new one failed; tag each with a generation",
    run: demo,
};

/// The demo: the scenario, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report
        .heading("a WebSocket server on 127.0.0.1: connect, reconnect, old one closes, disconnect");
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        "Connected while connection 2 lived, Disconnected after the disconnect",
    );
    report
}
