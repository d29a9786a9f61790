//! N11's fixed decoder: the HTML standard's "event stream interpretation" as a streaming state
//! machine. Bytes go in as they arrive; a line is cut on `\n`, `\r` or `\r\n` (also when the `\r`
//! ends one chunk and the `\n` starts the next) and only then decoded as UTF-8, so a character cut
//! by a chunk boundary is whole again. `data:` lines are joined with `\n`; `id:` and `retry:` are
//! kept for a reconnect.

use std::mem::take;
use std::time::Duration;

use super::Event;

/// The decoder's state survives between chunks: that is the whole fix.
#[derive(Debug, Default)]
pub struct SseDecoder {
    /// The bytes of the line not ended yet (maybe half a UTF-8 character).
    line: Vec<u8>,
    /// The last chunk ended with `\r`: a `\n` first in the next one ends no second line.
    after_cr: bool,
    /// A line has been seen (a UTF-8 BOM is stripped from the first one only).
    started: bool,
    /// The event type buffer (`event:`).
    event_type: String,
    /// The data buffer: every `data:` value followed by `\n`.
    data: String,
    /// The last event ID buffer (`id:`), sent back as `Last-Event-ID` on a reconnect.
    pub last_id: String,
    /// The reconnection time in milliseconds (`retry:`), if the server set one.
    pub retry: Option<u64>,
}

// ANCHOR: feed
impl super::Decoder for SseDecoder {
    fn feed(&mut self, mut chunk: &[u8]) -> Vec<Event> {
        let mut events = Vec::new();
        if self.after_cr && !chunk.is_empty() {
            self.after_cr = false;
            if chunk[0] == b'\n' {
                chunk = &chunk[1..]; // the `\n` of a `\r\n` that the chunk boundary cut in two
            }
        }
        while let Some(end) = chunk.iter().position(|&b| b == b'\n' || b == b'\r') {
            if self.line.is_empty() {
                self.process(&String::from_utf8_lossy(&chunk[..end]), &mut events); // UTF-8 after the split
            } else {
                self.line.extend_from_slice(&chunk[..end]); // the rest of a line cut by a chunk
                let line = take(&mut self.line);
                self.process(&String::from_utf8_lossy(&line), &mut events);
                self.line = line;
                self.line.clear();
            }
            let cr = chunk[end] == b'\r';
            chunk = &chunk[end + 1..];
            if cr {
                match chunk.first() {
                    Some(b'\n') => chunk = &chunk[1..],
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
        }
        self.line.extend_from_slice(chunk);
        events
    }
}
// ANCHOR_END: feed

/// The reconnection time when the server sent no `retry:` (the standard leaves it to the user
/// agent; a few seconds is usual).
pub const DEFAULT_RETRY: Duration = Duration::from_secs(3);

impl SseDecoder {
    // ANCHOR: reconnect
    /// After the stream ends: how long to wait before connecting again, and the `Last-Event-ID`
    /// header to send (none if no `id:` was seen).
    pub fn reconnect(&self) -> (Duration, Option<&str>) {
        let delay = self.retry.map_or(DEFAULT_RETRY, Duration::from_millis);
        (
            delay,
            Some(self.last_id.as_str()).filter(|id| !id.is_empty()),
        )
    }
    // ANCHOR_END: reconnect

    // ANCHOR: process
    /// One line, per "event stream interpretation".
    fn process(&mut self, line: &str, events: &mut Vec<Event>) {
        let first = !self.started;
        self.started = true;
        let line = match line.strip_prefix('\u{feff}') {
            Some(rest) if first => rest, // a byte order mark before the first line
            _ => line,
        };
        if line.is_empty() {
            return self.dispatch(events);
        }
        if line.starts_with(':') {
            return; // a comment
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "event" => value.clone_into(&mut self.event_type),
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            "id" if !value.contains('\0') => value.clone_into(&mut self.last_id),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok();
            }
            _ => {} // an unknown field is ignored
        }
    }

    /// A blank line: the event so far is complete.
    fn dispatch(&mut self, events: &mut Vec<Event>) {
        let event_type = take(&mut self.event_type);
        if self.data.is_empty() {
            return;
        }
        let capacity = self.data.capacity(); // the next event's data is likely as long
        let mut data = std::mem::replace(&mut self.data, String::with_capacity(capacity));
        data.pop(); // the `\n` after the last `data:` line
        events.push(Event {
            event: if event_type.is_empty() {
                "message".to_owned()
            } else {
                event_type
            },
            data,
            id: self.last_id.clone(),
        });
    }
    // ANCHOR_END: process
}
