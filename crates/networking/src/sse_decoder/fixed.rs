//! N11's fixed decoder: the HTML standard's "event stream interpretation" as a streaming state
//! machine. Bytes go in as they arrive; a line is cut on `\n`, `\r` or `\r\n` (also when the `\r`
//! ends one chunk and the `\n` starts the next) and only then decoded as UTF-8, so a character cut
//! by a chunk boundary is whole again. `data:` lines are joined with `\n`; `id:` and `retry:` are
//! kept for a reconnect.

use std::mem::take;
use std::time::Duration;

use memchr::memchr2;

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
    /// The data buffer: every `data:` value followed by `\n`, as bytes (decoded at dispatch).
    data: Vec<u8>,
    /// The last event ID buffer (`id:`). Not what a reconnect sends (an `id:` of an event the
    /// connection cut is here too): that is [`reconnect`](SseDecoder::reconnect)'s.
    last_id: String,
    /// The last event ID *string*: the buffer as it was when an event was last dispatched — what
    /// a reconnect sends as `Last-Event-ID` (an `id:` of an event the connection cut is not).
    dispatched_id: String,
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
        while let Some(end) = memchr2(b'\n', b'\r', chunk) {
            if self.line.is_empty() {
                self.process(&chunk[..end], &mut events); // the line as it lies in the chunk
            } else {
                self.line.extend_from_slice(&chunk[..end]); // the rest of a line cut by a chunk
                let line = take(&mut self.line);
                self.process(&line, &mut events);
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
            Some(self.dispatched_id.as_str()).filter(|id| !id.is_empty()),
        )
    }

    /// The connection ended: an event not finished by a blank line is discarded (the standard:
    /// "any pending data must be discarded"), and the next connection is a new stream. What a
    /// reconnect needs — the last event ID and the retry time — is kept.
    ///
    /// **A deliberate deviation.** The standard initializes a new stream's last event ID buffer
    /// to the empty string, so after a reconnect an event without `id:` would set the last event
    /// ID to "" — and the next reconnect would resume from the start. This decoder carries the
    /// last *dispatched* id into the new stream instead (as clients that keep the old buffer do).
    pub fn end_of_stream(&mut self) {
        self.line.clear();
        self.after_cr = false;
        self.started = false;
        self.event_type.clear();
        self.data.clear();
        self.last_id.clone_from(&self.dispatched_id); // the cut event's `id:` goes with it
    }
    // ANCHOR_END: reconnect

    /// The last event ID buffer as the lines so far left it (`id:`), for tests: what a
    /// reconnect sends is [`reconnect`](SseDecoder::reconnect)'s, not this.
    pub fn id_buffer(&self) -> &str {
        &self.last_id
    }

    // ANCHOR: process
    /// One line, per "event stream interpretation". The line is bytes: the field is told apart
    /// on bytes (`:`, a space and the field names are ASCII, never part of a UTF-8 character),
    /// and text is decoded once, where it is kept — the `data` of a whole event at dispatch.
    fn process(&mut self, line: &[u8], events: &mut Vec<Event>) {
        let first = !self.started;
        self.started = true;
        let line = match line.strip_prefix("\u{feff}".as_bytes()) {
            Some(rest) if first => rest, // a byte order mark before the first line
            _ => line,
        };
        if line.is_empty() {
            return self.dispatch(events);
        }
        let colon = line.iter().position(|&b| b == b':'); // a few bytes in: no SIMD set-up
        let (field, value) = match colon {
            Some(0) => return, // a comment
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        match field {
            b"data" => {
                self.data.extend_from_slice(value);
                self.data.push(b'\n');
            }
            b"event" => set_text(&mut self.event_type, value),
            b"id" if !value.contains(&0) => set_text(&mut self.last_id, value),
            b"retry" if !value.is_empty() && value.iter().all(u8::is_ascii_digit) => {
                self.retry = std::str::from_utf8(value).ok().and_then(|v| v.parse().ok());
            }
            _ => {} // an unknown field is ignored
        }
    }

    /// A blank line: the event so far is complete.
    fn dispatch(&mut self, events: &mut Vec<Event>) {
        self.dispatched_id.clone_from(&self.last_id); // the standard's "last event ID string"
        let event_type = take(&mut self.event_type);
        if self.data.is_empty() {
            return;
        }
        let capacity = self.data.capacity(); // the next event's data is likely as long
        let mut data = std::mem::replace(&mut self.data, Vec::with_capacity(capacity));
        data.pop(); // the `\n` after the last `data:` line
        events.push(Event {
            event: if event_type.is_empty() {
                "message".to_owned()
            } else {
                event_type
            },
            data: text(data),
            id: self.last_id.clone(),
        });
    }
    // ANCHOR_END: process
}

/// UTF-8 as the standard decodes it: invalid bytes become U+FFFD. Valid text (the usual case) is
/// checked once and kept without a copy.
fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes)
        .unwrap_or_else(|invalid| String::from_utf8_lossy(invalid.as_bytes()).into_owned())
}

/// Replaces `buffer` with `value` decoded as UTF-8, reusing the buffer's memory.
fn set_text(buffer: &mut String, value: &[u8]) {
    buffer.clear();
    match std::str::from_utf8(value) {
        Ok(value) => buffer.push_str(value),
        Err(_) => buffer.push_str(&String::from_utf8_lossy(value)),
    }
}
