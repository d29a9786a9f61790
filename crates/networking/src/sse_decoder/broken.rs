//! N11's broken decoder: the guide's `urlSession(_:dataTask:didReceive:)` (L3368–3392), ported
//! line for line. This version is problematic: it keeps no state between chunks, so an event that
//! a chunk boundary cuts in two is lost; a chunk that ends inside a UTF-8 character is dropped
//! whole; `data:` lines overwrite each other; and `\r\n` counts as two line ends.

use std::mem::take;

use super::Event;

/// `class SSEManager`'s parser. No field: the guide's `currentEvent` and `currentData` are locals
/// of `didReceive`, so every chunk starts from nothing.
#[derive(Debug, Default)]
pub struct SseDecoder;

/// Foundation's `CharacterSet.newlines`: U+000A–U+000D, U+0085, U+2028, U+2029, each on its own.
fn is_newline(c: char) -> bool {
    matches!(c, '\n'..='\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Foundation's `CharacterSet.whitespaces`: tab and the Unicode space separators.
fn is_whitespace(c: char) -> bool {
    c.is_whitespace() && !is_newline(c)
}

// ANCHOR: feed
impl super::Decoder for SseDecoder {
    fn feed(&mut self, data: &[u8]) -> Vec<Event> {
        // guard let text = String(data: data, encoding: .utf8) else { return }
        let Ok(text) = std::str::from_utf8(data) else {
            return Vec::new();
        };
        // text.components(separatedBy: .newlines)
        let lines = text.split(is_newline);
        let mut current_event = String::new();
        let mut current_data = String::new();
        let mut events = Vec::new();

        for line in lines {
            if let Some(rest) = line.strip_prefix("event:") {
                current_event = rest.trim_matches(is_whitespace).to_owned();
            } else if let Some(rest) = line.strip_prefix("data:") {
                current_data = rest.trim_matches(is_whitespace).to_owned();
            } else if line.is_empty() && !current_data.is_empty() {
                // End of event
                events.push(Event {
                    event: take(&mut current_event),
                    data: take(&mut current_data),
                    id: String::new(),
                });
            }
        }
        events
    }
}
// ANCHOR_END: feed
