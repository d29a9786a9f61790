//! The loopback plumbing N11's demo shares: the stream, a server that sends it one byte per HTTP
//! chunk, and a reqwest client that feeds what arrives to a decoder. Not the lesson.

use racelab_kit::demo::setup_failed;
use std::convert::Infallible;
use std::io;

use axum::Router;
use axum::body::Body;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::routing::get;
use bytes::Bytes;
use futures_util::StreamExt;
use racelab_kit::say;
use racelab_kit::trace::Signed;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::{Decoder, Event};

// ANCHOR: stream
/// What the server sends: a comment, an event with two `data:` lines and non-ASCII text (LF),
/// a `retry:` and an emoji (CRLF), and a last event with bare CR line ends.
pub const STREAM: &[u8] = ": a comment, ignored\n\
event: greeting\n\
data: héllo\n\
data: wörld\n\
id: 1\n\
\n\
retry: 3000\r\n\
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

/// A running loopback server; [`Server::stop`] ends it.
#[derive(Debug)]
pub struct Server {
    /// `http://127.0.0.1:<port>/events`.
    pub url: String,
    stop: oneshot::Sender<()>,
    task: JoinHandle<io::Result<()>>,
}

/// Binds `127.0.0.1:0` and serves `GET /events`: `stream` as `text/event-stream`, one byte per
/// HTTP chunk (chunked transfer encoding keeps each one its own frame on the client side).
pub async fn serve_byte_by_byte(stream: &'static [u8]) -> io::Result<Server> {
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
    serve(Router::new().route("/events", get(events))).await
}

/// Binds `127.0.0.1:0` and serves `app` until [`Server::stop`].
pub async fn serve(app: Router) -> io::Result<Server> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    Ok(Server {
        url: format!("http://{addr}/events"),
        stop,
        task,
    })
}

impl Server {
    /// Stops accepting, lets open responses finish, and waits for the server task.
    pub async fn stop(self) -> Result<(), String> {
        let _ = self.stop.send(());
        match self.task.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(setup_failed(format!("the server failed: {e}"))),
            Err(e) => Err(setup_failed(format!("the server task failed: {e}"))),
        }
    }
}

// ANCHOR: client
/// `GET url` with reqwest (no proxy) and feeds every chunk of the body to a new `D`, as it comes.
/// Returns how many chunks arrived and the events decoded.
pub async fn read_events<D: Decoder>(url: &str) -> Result<(usize, Vec<Event>), String> {
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .map_err(|e| format!("no HTTP client: {e}"))?;
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
    let server = serve_byte_by_byte(STREAM)
        .await
        .map_err(|e| setup_failed(format!("the server could not start: {e}")))?;
    say!("sends GET /events (Accept: text/event-stream)");
    let read = read_events::<D>(&server.url).await;
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
