//! N11's fixed decoder: the HTML standard's "event stream interpretation" as a streaming state
//! machine. Bytes go in as they arrive and are decoded as UTF-8 first, as the standard says; a
//! character a chunk boundary cuts waits for the rest of its bytes. Lines are cut on `\n`, `\r`
//! or `\r\n` (also when the `\r` ends one chunk and the `\n` starts the next); `data:` lines are
//! joined with `\n`; `id:` and `retry:` are kept for a reconnect.
//!
//! Events are handed out borrowed ([`SseDecoder::feed_with`]: the text lives in the decoder's
//! reused buffers), so a stream decodes with no allocation per event; [`Decoder::feed`] is the
//! owned wrapper the twins share. Valid text is checked once per chunk with `simdutf8` (SIMD),
//! and a line that lies inside one chunk is parsed where it lies, without a copy.

use std::borrow::Cow;
use std::mem::take;
use std::time::Duration;

use super::line_ends::line_ends;
use super::{Decoder, Event};

/// One dispatched event, borrowed from the decoder's buffers for the length of the callback that
/// receives it (the next event reuses them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventRef<'a> {
    /// The event type (`event:`), `message` when none was given.
    pub event: &'a str,
    /// The data: the `data:` lines joined with `\n`.
    pub data: &'a str,
    /// The last event ID when the event was dispatched (`id:`).
    pub id: &'a str,
}

impl From<EventRef<'_>> for Event {
    fn from(event: EventRef<'_>) -> Event {
        Event {
            event: event.event.to_owned(),
            data: event.data.to_owned(),
            id: event.id.to_owned(),
        }
    }
}

/// The decoder's state survives between chunks: that is the whole fix.
#[derive(Debug, Default)]
pub struct SseDecoder {
    /// The first bytes of a UTF-8 character the last chunk cut (at most three).
    cut_char: Vec<u8>,
    /// The text of the line not ended yet.
    line: String,
    /// The last chunk ended with `\r`: a `\n` first in the next one ends no second line.
    after_cr: bool,
    /// A line has been seen (a byte order mark is stripped from the first one only).
    started: bool,
    /// The event type buffer (`event:`).
    event_type: String,
    /// The data buffer: every `data:` value followed by `\n`.
    data: String,
    /// The last event ID buffer (`id:`). Not what a reconnect sends (an `id:` of an event the
    /// connection cut is here too): that is [`reconnect`](SseDecoder::reconnect)'s.
    last_id: String,
    /// The last event ID *string*: the buffer as it was when an event was last dispatched — what
    /// a reconnect sends as `Last-Event-ID` (an `id:` of an event the connection cut is not).
    dispatched_id: String,
    /// The reconnection time in milliseconds (`retry:`), if the server set one.
    pub retry: Option<u64>,
}

impl SseDecoder {
    // ANCHOR: feed
    /// Takes the next chunk of the response body and calls `on_event` with each event it
    /// completes, borrowed from the decoder's buffers for the length of that call.
    ///
    /// ```
    /// use networking::sse_decoder::fixed::SseDecoder;
    ///
    /// let mut decoder = SseDecoder::default();
    /// let mut seen = Vec::new();
    /// // `é` is two bytes, C3 A9: the first chunk ends between them.
    /// for chunk in [&b"data: h\xc3"[..], b"\xa9llo\n", b"\n"] {
    ///     decoder.feed_with(chunk, |event| seen.push(format!("{}: {}", event.event, event.data)));
    /// }
    /// assert_eq!(seen, ["message: héllo"]);
    /// ```
    pub fn feed_with(&mut self, chunk: &[u8], mut on_event: impl FnMut(EventRef<'_>)) {
        let joined; // a copy of this chunk, behind the first bytes of a character the last one cut
        let bytes = if self.cut_char.is_empty() {
            chunk
        } else {
            joined = [take(&mut self.cut_char).as_slice(), chunk].concat();
            joined.as_slice()
        };
        let text = self.decode(bytes);
        let mut start = 0; // where the next line starts in `text`
        if self.after_cr && !text.is_empty() {
            self.after_cr = false;
            if text.starts_with('\n') {
                start = 1; // the `\n` of a `\r\n` that the chunk boundary cut in two
            }
        }
        for end in line_ends(text.as_bytes()) {
            if end < start {
                continue; // the `\n` of a `\r\n`, already passed
            }
            if self.line.is_empty() {
                self.process(&text[start..end], &mut on_event); // the line as it lies in the chunk
            } else {
                self.line.push_str(&text[start..end]); // the rest of a line cut by a chunk
                let line = take(&mut self.line);
                self.process(&line, &mut on_event);
                self.line = line;
                self.line.clear();
            }
            start = end + 1;
            if text.as_bytes()[end] == b'\r' {
                match text.as_bytes().get(start) {
                    Some(b'\n') => start += 1,
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
        }
        self.line.push_str(&text[start..]);
    }
    // ANCHOR_END: feed

    // ANCHOR: decode
    /// The bytes as text, per the standard's "UTF-8 decode": valid text (the usual case) is
    /// borrowed as it is after one SIMD check; bytes that are not UTF-8 become U+FFFD; the first
    /// bytes of a character cut by the end of the chunk wait in `cut_char` for the rest.
    fn decode<'a>(&mut self, mut bytes: &'a [u8]) -> Cow<'a, str> {
        let mut replaced = String::new(); // stays empty unless a byte is not UTF-8
        let valid = loop {
            let error = match simdutf8::compat::from_utf8(bytes) {
                Ok(valid) => break valid,
                Err(error) => error,
            };
            let (valid, rest) = bytes.split_at(error.valid_up_to());
            let valid = simdutf8::basic::from_utf8(valid).expect("valid up to here");
            let Some(invalid) = error.error_len() else {
                self.cut_char.extend_from_slice(rest); // the chunk ended inside a character
                break valid;
            };
            replaced.push_str(valid);
            replaced.push('\u{fffd}');
            bytes = &rest[invalid..];
        };
        if replaced.is_empty() {
            Cow::Borrowed(valid)
        } else {
            replaced.push_str(valid);
            Cow::Owned(replaced)
        }
    }
    // ANCHOR_END: decode
}

// ANCHOR: owned
impl Decoder for SseDecoder {
    /// The owned wrapper: each event's text copied into an [`Event`].
    fn feed(&mut self, chunk: &[u8]) -> Vec<Event> {
        let mut events = Vec::new();
        self.feed_with(chunk, |event| events.push(event.into()));
        events
    }
}
// ANCHOR_END: owned

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
        self.cut_char.clear();
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
    /// One line, per "event stream interpretation". The field is told apart by the first `:`
    /// (ASCII, so slicing there never splits a character).
    fn process(&mut self, line: &str, on_event: &mut impl FnMut(EventRef<'_>)) {
        let line = if self.started {
            line
        } else {
            self.started = true;
            line.strip_prefix('\u{feff}').unwrap_or(line) // a byte order mark before the first line
        };
        if line.is_empty() {
            return self.dispatch(on_event);
        }
        let colon = line.bytes().position(|b| b == b':'); // a few bytes in: no SIMD set-up
        let (field, value) = match colon {
            Some(0) => return, // a comment
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(' ').unwrap_or(value))
            }
            None => (line, ""),
        };
        match field {
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            "event" => value.clone_into(&mut self.event_type),
            "id" if value.bytes().all(|b| b != 0) => value.clone_into(&mut self.last_id),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                if let Ok(ms) = value.parse() {
                    self.retry = Some(ms); // (digits too many for a u64 change nothing)
                }
            }
            _ => {} // an unknown field is ignored
        }
    }

    /// A blank line: the event so far is complete. It is handed out borrowed, then the buffers
    /// are cleared (their memory is kept for the next event).
    fn dispatch(&mut self, on_event: &mut impl FnMut(EventRef<'_>)) {
        self.dispatched_id.clone_from(&self.last_id); // the standard's "last event ID string"
        if let Some(data) = self.data.strip_suffix('\n') {
            // the `\n` after the last `data:` line is not part of the data
            on_event(EventRef {
                event: Some(self.event_type.as_str())
                    .filter(|event| !event.is_empty())
                    .unwrap_or("message"),
                data,
                id: &self.last_id,
            });
        }
        self.event_type.clear();
        self.data.clear();
    }
    // ANCHOR_END: process
}
