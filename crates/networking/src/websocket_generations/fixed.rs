//! N10's fixed `WebSocketManager`: every connection carries a generation; a receive loop whose
//! generation is no longer the manager's says nothing, and `disconnect()` starts a new
//! generation before it closes.

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
/// `startReceiving()`: receive until the connection ends, then report the failure — if this
/// connection is still the manager's.
async fn start_receiving(
    mut socket: SplitStream<Socket>,
    status: Shared,
    n: u32,
    (current, mine): (Arc<AtomicU64>, u64), // the manager's generation, and this connection's
) {
    while let Some(Ok(_message)) = socket.next().await {}
    say!("connection {n} ended");
    if current.load(Ordering::SeqCst) == mine {
        status.set(Status::Failed);
    } else {
        say!("generation {mine} is stale: leaves the status alone"); // not this loop's to set
    }
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
        self.generation.fetch_add(1, Ordering::SeqCst); // this loop's end is no failure now
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
