//! # networking — real HTTP, TLS, WebSocket and SSE on loopback
//!
//! Chapter 3 of racelab: the guide's networking examples. Every server is real and in-process,
//! bound to `127.0.0.1:0` (a literal IP: `localhost` may resolve to `::1`) before its client
//! starts, and holds its answers on [`Gate`](racelab_kit::rt::Gate)s so a test decides the order;
//! "nothing arrived" is proven by a sentinel or a released gate, never by a timeout. Clients are
//! what a professional ships (reqwest without TLS, `.no_proxy()` in tests); N5's TLS is rustls
//! with the `ring` provider. Time-dependent checks stay on the paused clock with in-memory
//! services: with real sockets the runtime can be idle while the kernel still holds bytes.
//!
//! | ID | demo | what goes wrong | how it is caught |
//! |---|---|---|---|
//! | N10 | [`websocket_generations`] | an old connection's receive loop marks the new one, and a disconnect, failed | one forced schedule: a tokio-tungstenite server on loopback closes connections on gates |
//! | N11 | [`sse_decoder`] | a per-chunk SSE parser loses events cut by a chunk boundary | proptest over streams × line ends × cuts (sampled, fixed seed); a byte-by-byte loopback server |
//! | N13 | [`background_task_deadline`] | the expiration handler does not stop the work: completed twice, past the deadline | one forced schedule on the paused clock |
//!
//! Run `cargo run -p networking -- list`; the book's networking part walks through each one.
//! Tests read like a story — see `tests/demos/*.rs`.

use racelab_kit::demo::Chapter;

pub mod background_task_deadline;
pub mod sse_decoder;
pub mod websocket_generations;

/// The chapter's registry: the binary, the `racelab` tour and the output tests all read it.
pub static CHAPTER: Chapter = Chapter {
    name: "networking",
    title: "Networking on loopback",
    demos: &[
        websocket_generations::DEMO,
        sse_decoder::DEMO,
        background_task_deadline::DEMO,
    ],
    play: &[],
};
