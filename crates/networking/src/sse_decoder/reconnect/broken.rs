//! N11's reconnect, broken: the guide's `SSEManager.connect(to:)` (L3351–3359) and
//! `didCompleteWithError` (L3394–3401). This version is problematic: it connects once, and when
//! the stream ends it sets `isConnected = false` — no reconnection, and the `id:` and `retry:`
//! it would need were never read. The guide's parser (the broken decoder) reads these chunks
//! right: each holds whole events, so only the missing reconnect loses anything.

use racelab_kit::say;

use super::super::{Decoder, Event, broken::SseDecoder};
use super::{Answer, ScriptedServer};

/// The guide's manager.
#[derive(Debug)]
pub struct SseManager;

// ANCHOR: listen
impl super::Listener for SseManager {
    async fn listen(server: &mut ScriptedServer) -> Vec<Event> {
        let mut events = Vec::new();
        say!("connects");
        if let Answer::Stream(chunks) = server.connect(None).await {
            for chunk in chunks {
                for event in SseDecoder.feed(&chunk) {
                    say!("receives {:?}", event.data);
                    events.push(event);
                }
            }
        }
        // didCompleteWithError: isConnected = false, and nothing else
        say!("the stream ended: isConnected = false");
        events
    }
}
// ANCHOR_END: listen
