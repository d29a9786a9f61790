//! N10's broken `WebSocketManager`: the guide's `connect(to:)`, `disconnect()` and
//! `startReceiving()` (L3133–3187). This version is problematic: every receive loop writes the
//! manager's status when its connection ends — also a loop of a connection the manager has
//! already replaced or closed.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use racelab_kit::{rt, say};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::{Shared, Status};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// `class WebSocketManager`.
#[derive(Default)]
pub struct WebSocketManager {
    status: Shared,
    web_socket: Option<SplitSink<Socket, Message>>,
    loops: Vec<JoinHandle<()>>,
    connections: u32,
    generation: Arc<AtomicU64>,
}

// ANCHOR: receive
/// `startReceiving()`: receive until the connection ends, then report the failure.
async fn start_receiving(
    mut socket: SplitStream<Socket>,
    status: Shared,
    n: u32,
    _generation: (Arc<AtomicU64>, u64), // counted by the manager, checked by nobody
) {
    while let Some(Ok(_message)) = socket.next().await {}
    say!("connection {n} ended");
    status.set(Status::Failed);
}
// ANCHOR_END: receive

impl super::Manager for WebSocketManager {
    async fn connect(&mut self, url: &str) -> Result<(), String> {
        let (socket, _) = tokio_tungstenite::connect_async(url)
            .await
            .map_err(|e| format!("the connection failed: {e}"))?;
        self.connections += 1;
        let n = self.connections;
        let mine = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let (sink, stream) = socket.split();
        self.web_socket = Some(sink);
        self.status.set(Status::Connected);
        let generation = (self.generation.clone(), mine);
        let receiving = start_receiving(stream, self.status.clone(), n, generation);
        self.loops
            .push(rt::spawn(&format!("receive {n}"), receiving));
        Ok(())
    }

    async fn disconnect(&mut self) {
        let socket = self.web_socket.take();
        self.status.set(Status::Disconnected);
        if let Some(mut socket) = socket {
            let _ = socket.close().await; // a Close frame; the receive loop reads to the end
        }
    }

    fn status(&self) -> Status {
        self.status.get()
    }

    fn take_loops(&mut self) -> Vec<JoinHandle<()>> {
        std::mem::take(&mut self.loops)
    }
}
