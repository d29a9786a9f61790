//! N11's second lesson: the reconnection the guide promises ("Automatic Reconnection", "Built-in
//! reconnection", L3284, L3297) and does not build. When its stream ends, the guide's
//! `didCompleteWithError` sets `isConnected = false` (L3394–3397) and nothing else; `id:` and
//! `retry:` were never read (L3377–3389), so there is nothing to resume from.
//!
//! * [`broken`] is the guide's `SSEManager`: one connection, and when it ends, it has ended.
//! * [`fixed`] follows the HTML standard's `EventSource`: when the stream ends, wait the last
//!   `retry:` time, connect again with `Last-Event-ID` set to the id of the last event
//!   dispatched (the standard's last event ID string), and stop when the server answers
//!   `204 No Content`. One deliberate deviation: that id is carried into the next stream
//!   (the standard starts each stream's buffer empty; see `SseDecoder::end_of_stream`).
//!
//! A **declared rewrite** (`scripts/twin-diff`): a loop where the guide has none. The key lines:
//! `sleep(delay)` and `server.connect(last_id)` in the fixed `listen`.
//!
//! The server is in memory ([`ScriptedServer`], a script, not a socket): the check is about time
//! (the `retry:` wait), and the paused clock (`racelab_kit::rt::run`) cannot sit beside real
//! sockets — an idle runtime with bytes in the kernel would let it jump. It records when (virtual
//! time) each connection came and the `Last-Event-ID` it carried. **One forced schedule:** one
//! task, and the only timer is the client's own wait.

use std::future::Future;

use racelab_kit::rt;
use racelab_kit::say;
use racelab_kit::trace::{Signed, Trace, traced};

use super::Event;

pub mod broken;
pub mod fixed;

/// The events the server has, as `(id, data)`.
pub const EVENTS: [(&str, &str); 4] = [("1", "one"), ("2", "two"), ("3", "three"), ("4", "four")];
/// How many whole events one connection carries before the server drops it.
pub const PER_CONNECTION: usize = 2;
/// The `retry:` the server sets on its first connection, in milliseconds.
pub const RETRY_MS: u64 = 2000;

/// What a connection answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// `200`, `text/event-stream`: the body, as the chunks it arrives in.
    Stream(Vec<Vec<u8>>),
    /// `204 No Content`: nothing more; the standard says a client must not reconnect.
    NoContent,
}

/// One connection as the server saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    /// When it came, on the paused clock (ms since the scenario started).
    pub at_ms: u128,
    /// The `Last-Event-ID` header it carried.
    pub last_event_id: Option<String>,
}

// ANCHOR: server
/// An SSE server in memory. Each connection resumes after its `Last-Event-ID` (from the start
/// without one), sends [`PER_CONNECTION`] whole events — one per chunk — and drops the connection
/// in the middle of the next one (its `id:` line sent, its `data:` cut). With nothing left to
/// send it answers `204 No Content`.
#[derive(Debug, Default)]
pub struct ScriptedServer {
    /// Every connection, in order.
    pub connections: Vec<Connection>,
}

impl ScriptedServer {
    /// `GET /events` with `Last-Event-ID: last_event_id`.
    pub fn connect(&mut self, last_event_id: Option<&str>) -> impl Future<Output = Answer> {
        let at_ms = rt::now().ms();
        self.connections.push(Connection {
            at_ms,
            last_event_id: last_event_id.map(str::to_owned),
        });
        let first = self.connections.len() == 1;
        let from = last_event_id.map_or(0, |id| {
            EVENTS
                .iter()
                .position(|(sent, _)| *sent == id)
                .map_or(0, |i| i + 1)
        });
        Signed::new("server", async move {
            if from == EVENTS.len() {
                say!(
                    "answers 204 No Content: nothing after id {last:?}",
                    last = EVENTS[from - 1].0
                );
                return Answer::NoContent;
            }
            let mut chunks = Vec::new();
            let to = (from + PER_CONNECTION).min(EVENTS.len());
            for (n, (id, data)) in EVENTS[from..to].iter().enumerate() {
                let retry = if first && n == 0 {
                    format!("retry: {RETRY_MS}\n")
                } else {
                    String::new()
                };
                chunks.push(format!("{retry}id: {id}\ndata: {data}\n\n").into_bytes());
            }
            if let Some((id, data)) = EVENTS.get(to) {
                chunks.push(format!("id: {id}\ndata: {}", &data[..2]).into_bytes()); // cut here
            }
            let ids: Vec<&str> = EVENTS[from..to].iter().map(|(id, _)| *id).collect();
            let cut = if to < EVENTS.len() {
                ", then drops the connection mid-event"
            } else {
                ", then ends"
            };
            say!("answers 200: events {ids:?}{cut}");
            Answer::Stream(chunks)
        })
    }
}
// ANCHOR_END: server

/// What both twins are: the guide's `SSEManager`, reduced to listening.
pub trait Listener {
    /// Listens to `server` until the client stops; returns every event it received.
    fn listen(server: &mut ScriptedServer) -> impl Future<Output = Vec<Event>>;
}

// ANCHOR: check
/// The check: the server had four events; the client must end up with each of them, once.
pub async fn every_event_arrives_once<L: Listener>(
    server: &mut ScriptedServer,
) -> Result<(), String> {
    let events = L::listen(server).await;
    let got: Vec<&str> = events.iter().map(|e| e.data.as_str()).collect();
    let sent: Vec<&str> = EVENTS.iter().map(|(_, data)| *data).collect();
    if got == sent {
        return Ok(());
    }
    Err(format!(
        "the server had {sent:?}; the client received {got:?} over {} connection(s)",
        server.connections.len()
    ))
}
// ANCHOR_END: check

/// Runs the check for `L` on the paused clock, with a trace installed: the outcome, the
/// connections the server saw, the trace.
pub fn run<L: Listener>() -> (Result<(), String>, Vec<Connection>, Trace) {
    let ((outcome, connections), trace) = traced(|_| {
        rt::run_as("client", async {
            let mut server = ScriptedServer::default();
            let outcome = every_event_arrives_once::<L>(&mut server).await;
            (outcome, server.connections)
        })
    });
    (outcome, connections, trace)
}
