//! N11's reconnect, fixed: the HTML standard's `EventSource` when the stream ends — the
//! incomplete event is discarded, the client waits the reconnection time the server set with
//! `retry:` and connects again with `Last-Event-ID` set to the id of the last event it
//! dispatched; a `204 No Content` ends it. (It keeps that id for the next stream, where the
//! standard starts empty: a deliberate deviation, see `SseDecoder::end_of_stream`.) A declared
//! rewrite (a loop where the guide has none).

use racelab_kit::{rt, say};

use super::super::{Decoder, Event, fixed::SseDecoder};
use super::{Answer, ScriptedServer};

/// The manager, with the decoder's state kept across connections.
#[derive(Debug)]
pub struct SseManager;

// ANCHOR: listen
impl super::Listener for SseManager {
    async fn listen(server: &mut ScriptedServer) -> Vec<Event> {
        let mut events = Vec::new();
        let mut decoder = SseDecoder::default();
        loop {
            let (_, last_id) = decoder.reconnect();
            match last_id {
                Some(id) => say!("connects with Last-Event-ID: {id}"),
                None => say!("connects (no event id yet)"),
            }
            let Answer::Stream(chunks) = server.connect(last_id).await else {
                say!("204: stops reconnecting");
                break;
            };
            for chunk in chunks {
                for event in decoder.feed(&chunk) {
                    say!("receives {:?} (id {})", event.data, event.id);
                    events.push(event);
                }
            }
            decoder.end_of_stream(); // a cut event is discarded, its `id:` with it
            let (delay, last_id) = decoder.reconnect();
            let last = last_id.unwrap_or("none");
            let ms = delay.as_millis();
            say!("the stream ended; waits {ms} ms (retry:); last event id {last}");
            tokio::time::sleep(delay).await; // virtual time on the paused clock
            say!("{}: reconnects", rt::now());
        }
        events
    }
}
// ANCHOR_END: listen
