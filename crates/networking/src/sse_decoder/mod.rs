//! N11 `sse_decoder` — a Server-Sent Events stream arrives in chunks that fall anywhere: a
//! decoder that parses each chunk on its own loses events.
//!
//! Ports the guide's "Server-Sent Events (SSE) Implementation" (L3276–3404): `SSEManager` and
//! its `URLSessionDataDelegate` parser (L3368–3392). What the guide gets wrong, confirmed against
//! its code:
//!
//! * The parser's `currentEvent`/`currentData` are locals of `didReceive` (L3373–3374), so an
//!   event cut by a chunk boundary is lost: `"data: hel"` ends with no blank line and is dropped,
//!   and in `"lo\n\n"` the line `lo` has no field name.
//! * `String(data:encoding:)` (L3370) is `nil` when the chunk ends inside a UTF-8 character; the
//!   `guard … return` then drops the whole chunk, with every complete event in it.
//! * `data:` lines overwrite each other (L3380): `data: a\ndata: b\n\n` gives `b`, not `a\nb`.
//! * `components(separatedBy: .newlines)` (L3372) splits on every newline character, so `\r\n`
//!   is two line ends and the empty line between them ends the event early.
//! * `id:` and `retry:` are ignored, so nothing can resume; the "automatic reconnection" of L3284
//!   and L3297 belongs to the browser's `EventSource`, not to this code. SSE is a streaming
//!   response, not "long polling" (L3295).
//!
//! * [`broken`] is the guide's parser, line for line.
//! * [`fixed`] is the HTML standard's "event stream interpretation" as a state machine that keeps
//!   what a chunk boundary cut — half a character, half a line — between chunks. It hands events
//!   out borrowed (`feed_with`, no allocation per event); `feed` is the owned wrapper.
//!
//! * [`line_ends`] finds every line end eight bytes at a time (why not `memchr`: its docs).
//! * The crate a professional would use, `eventsource-stream`, faces the same property in the
//!   tests (`tests/demos/sse_decoder.rs`), which also pin where it departs from the standard.
//!
//! * [`reconnect`] is the second lesson, the reconnect the guide promises: its own twins (the
//!   guide's manager connects once; the fixed one waits `retry:` and resumes with
//!   `Last-Event-ID`), checked on the paused clock against an in-memory server.
//!
//! The twins are a **declared rewrite** (`scripts/twin-diff`): a parser with no state and a state
//! machine are different shapes. The key lines: the fixed `feed_with` keeps `self.cut_char`,
//! `self.line` and `self.after_cr` between calls, so a character or a line cut by a chunk
//! boundary is whole again, and `process` appends to `self.data` instead of replacing it.
//!
//! How it is caught: [`chunks_decode_like_the_whole`] is the property both twins face — however a
//! stream is cut into chunks, the events are those of the whole stream. The tests run it with
//! proptest (a fixed number of generated streams and cuts, deterministic RNG: **sampled**, the
//! same sample every run) and pin the shrunk counterexample; the demo is **one forced schedule**:
//! a loopback server sends a stream one byte per HTTP chunk and the client reads it with reqwest.

use crate::loopback;
use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::trace::{Trace, traced};

pub mod broken;
pub mod fixed;
pub mod harness;
pub mod line_ends;
pub mod reconnect;

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The event type (`event:`); the fixed decoder says `message` when none was given.
    pub event: String,
    /// The data: the `data:` lines joined with `\n`.
    pub data: String,
    /// The last event ID when the event was dispatched (`id:`).
    pub id: String,
}

/// What both twins are: bytes in as they arrive, the events they complete out.
pub trait Decoder: Default {
    /// Takes the next chunk of the response body; returns the events it completed.
    fn feed(&mut self, chunk: &[u8]) -> Vec<Event>;
}

/// `stream` cut at `cuts` (byte offsets, ascending): the chunks, in order.
pub fn pieces<'a>(stream: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
    let starts = [0].into_iter().chain(cuts.iter().copied());
    let ends = cuts.iter().copied().chain([stream.len()]);
    starts
        .zip(ends)
        .map(|(start, end)| &stream[start..end])
        .collect()
}

/// Cuts `stream` at `cuts` (byte offsets, ascending) and feeds the pieces to a new decoder.
pub fn decode_in_chunks<D: Decoder>(stream: &[u8], cuts: &[usize]) -> Vec<Event> {
    let mut decoder = D::default();
    pieces(stream, cuts)
        .into_iter()
        .flat_map(|chunk| decoder.feed(chunk))
        .collect()
}

// ANCHOR: check
/// The property: the events of `stream` cut at `cuts` are the events of the whole stream.
pub fn chunks_decode_like_the_whole<D: Decoder>(
    stream: &[u8],
    cuts: &[usize],
) -> Result<(), String> {
    let whole = decode_in_chunks::<D>(stream, &[]);
    let chunked = decode_in_chunks::<D>(stream, cuts);
    if chunked == whole {
        return Ok(());
    }
    Err(format!(
        "cut into {} chunks, the stream gave {chunked:?}; whole, it gives {whole:?}",
        cuts.len() + 1
    ))
}
// ANCHOR_END: check

/// Runs the loopback scenario for one twin, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => loopback::run_as(
            "client",
            harness::byte_by_byte_over_loopback::<broken::SseDecoder>(),
        ),
        Variant::Fixed => loopback::run_as(
            "client",
            harness::byte_by_byte_over_loopback::<fixed::SseDecoder>(),
        ),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "N11",
    name: "sse_decoder",
    summary: "an SSE parser that parses each chunk alone loses events; keep the state between chunks",
    run: demo,
};

/// The demo: the scenario, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(format!(
        "a loopback server sends {} events ({} bytes) one byte per HTTP chunk; reqwest reads them",
        harness::sent().len(),
        harness::STREAM.len()
    ));
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        "every event the server sent was decoded, whatever the chunks",
    );
    report
}
