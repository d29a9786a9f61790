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
//! | N1 | [`fetch_status_handling`] | `statusCode == 200` calls a 204 a failure | one forced schedule: a loopback API answers each status class |
//! | N2 | [`client_config`] | `uploadData` calls `201 Created` a failure | one forced schedule: a loopback upload API |
//! | N8 | [`client_middleware`] | a new client per request reuses no connection | one forced schedule: the server counts TCP accepts |
//! | N14 | [`hermetic_integration_tests`] | results appended on a shared queue miss the report | one forced schedule: the queue held on a gate |
//!
//! Run `cargo run -p networking -- list`; the book's networking part walks through each one.
//! Tests read like a story — see `tests/demos/*.rs`.

use racelab_kit::demo::Chapter;

pub mod client_config;
pub mod client_middleware;
pub mod fetch_status_handling;
pub mod hermetic_integration_tests;

/// The chapter's registry: the binary, the `racelab` tour and the output tests all read it.
pub static CHAPTER: Chapter = Chapter {
    name: "networking",
    title: "Networking on loopback",
    demos: &[
        fetch_status_handling::DEMO,
        client_config::DEMO,
        client_middleware::DEMO,
        hermetic_integration_tests::DEMO,
    ],
    play: &[],
};
