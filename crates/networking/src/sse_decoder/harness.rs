//! The loopback plumbing N11's demo shares: the stream, a route that sends it one byte per HTTP
//! chunk (on the chapter's one [`loopback::Server`]), and the chapter's client feeding what
//! arrives to a decoder. Not the lesson.

use std::convert::Infallible;

use axum::Router;
use axum::body::Body;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::routing::get;
use bytes::Bytes;
use futures_util::StreamExt;
use racelab_kit::say;
use racelab_kit::trace::Signed;

use super::{Decoder, Event};
use crate::loopback;

// ANCHOR: stream
/// What the server sends: a comment, an event with two `data:` lines and non-ASCII text (LF),
/// a `retry:` and an emoji (CRLF), and a last event with bare CR line ends.
pub const STREAM: &[u8] = ": a comment, ignored\n\
event: greeting\n\
data: héllo\n\
data: wörld\n\
id: 1\n\
\n\
retry: 2500\r\n\
data: 😀 two\r\n\
id: 2\r\n\
\r\n\
data: three\r\r"
    .as_bytes();
// ANCHOR_END: stream

/// The events in [`STREAM`], per the HTML standard.
pub fn sent() -> Vec<Event> {
    let event = |event: &str, data: &str, id: &str| Event {
        event: event.to_owned(),
        data: data.to_owned(),
        id: id.to_owned(),
    };
    vec![
        event("greeting", "héllo\nwörld", "1"),
        event("message", "😀 two", "2"),
        event("message", "three", "2"),
    ]
}

/// Starts a [`loopback::Server`] serving `GET /events`: `stream` as `text/event-stream`, one byte
/// per HTTP chunk (chunked transfer encoding keeps each one its own frame on the client side).
pub async fn serve_byte_by_byte(stream: &'static [u8]) -> Result<loopback::Server, String> {
    let events = move || {
        Signed::new("server", async move {
            say!(
                "answers GET /events: {} bytes, one per HTTP chunk",
                stream.len()
            );
            let bytes = stream
                .chunks(1)
                .map(|b| Ok::<_, Infallible>(Bytes::from_static(b)));
            let body = Body::from_stream(futures_util::stream::iter(bytes));
            (
                [
                    (CONTENT_TYPE, "text/event-stream"),
                    (CACHE_CONTROL, "no-cache"),
                ],
                body,
            )
        })
    };
    loopback::Server::start(Router::new().route("/events", get(events))).await
}

// ANCHOR: client
/// `GET url` with `client` and feeds every chunk of the body to a new `D`, as it comes.
/// Returns how many chunks arrived and the events decoded.
pub async fn read_events<D: Decoder>(
    client: &reqwest::Client,
    url: &str,
) -> Result<(usize, Vec<Event>), String> {
    let response = client
        .get(url)
        .header(reqwest::header::ACCEPT, "text/event-stream")
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| format!("the request failed: {e}"))?;
    let mut body = response.bytes_stream();
    let mut decoder = D::default();
    let (mut chunks, mut events) = (0, Vec::new());
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| format!("the stream broke: {e}"))?;
        chunks += 1;
        for event in decoder.feed(&chunk) {
            say!(
                "chunk {chunks}: decodes {:?} {:?} (id {:?})",
                event.event,
                event.data,
                event.id
            );
            events.push(event);
        }
    }
    Ok((chunks, events))
}
// ANCHOR_END: client

/// The demo's scenario: serve [`STREAM`] byte by byte, read it, compare with [`sent`].
pub async fn byte_by_byte_over_loopback<D: Decoder>() -> Result<(), String> {
    let client = loopback::client()?; // built before the server starts: no `?` skips its stop
    let server = serve_byte_by_byte(STREAM).await?;
    say!("sends GET /events (Accept: text/event-stream)");
    let read = read_events::<D>(&client, &server.url("/events")).await;
    server.stop().await?;
    let (chunks, events) = read?;
    say!(
        "the stream ended after {chunks} chunks: {} events",
        events.len()
    );
    let sent = sent();
    if events != sent {
        return Err(format!(
            "the server sent {} events one byte at a time; the client decoded {}",
            sent.len(),
            events.len()
        ));
    }
    Ok(())
}
