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
//! | N3 | [`retry_backoff`] | a 404 and a payment `POST` are sent three times; no jitter, cap or `Retry-After` | one forced schedule, paused clock, in-memory server |
//! | N4 | [`cancellation_registry`] | `cancelAllRequests()` finds no request in flight | one forced schedule, loopback server, gate |
//! | N5 | [`cert_pinning`] | a pin looked for anywhere in the server's chain, with no validation: a MITM sending the bank CA along gets in | one forced schedule (real TLS 1.3 on loopback, a gate) |
//! | N6 | [`oauth_pkce_state`] | `state` never compared: a forged callback signs the app in as mallory; `+` in a form arrives as a space | one forced schedule (a token endpoint on loopback); proptest round trip |
//! | N7 | [`biometric_capability`] | Face ID only gates an app branch: a face enrolled after sign-in gets the account | the only schedule (one thread; a model of iOS's Keychain rules) |
//! | N8 | [`client_middleware`] | a new client per request reuses no connection | one forced schedule: the server counts TCP accepts |
//! | N9 | [`single_flight_token_refresh`] | three 401s at once refresh the token three times; the log prints the bearer token | one forced schedule (gate) + an order-free count, loopback server |
//! | N10 | [`websocket_generations`] | an old connection's receive loop marks the new one, and a disconnect, failed | one forced schedule: a tokio-tungstenite server on loopback closes connections on gates |
//! | N11 | [`sse_decoder`] | a per-chunk SSE parser loses events cut by a chunk boundary | proptest over streams × line ends × cuts (sampled, fixed seed); a byte-by-byte loopback server |
//! | N12 | [`completion_exactly_once`] | `.newData` is reported before the fetch; the app is suspended mid-fetch; a 500 counts as registered | one forced schedule (gate), loopback server; compile-fail (E0382) |
//! | N13 | [`background_task_deadline`] | the expiration handler does not stop the work: completed twice, past the deadline | one forced schedule on the paused clock |
//! | N14 | [`hermetic_integration_tests`] | results appended on a shared queue miss the report | one forced schedule: the queue held on a gate |
//!
//! Run `cargo run -p networking -- list`; the book's networking part walks through each one.
//! Tests read like a story — see `tests/demos/*.rs`.

use racelab_kit::demo::Chapter;

pub mod background_task_deadline;
pub mod biometric_capability;
pub mod cancellation_registry;
pub mod cert_pinning;
pub mod client_config;
pub mod client_middleware;
pub mod completion_exactly_once;
pub mod fetch_status_handling;
pub mod hermetic_integration_tests;
pub mod loopback;
pub mod oauth_pkce_state;
pub mod retry_backoff;
pub mod single_flight_token_refresh;
pub mod sse_decoder;
pub mod websocket_generations;

/// The chapter's registry: the binary, the `racelab` tour and the output tests all read it.
pub static CHAPTER: Chapter = Chapter {
    name: "networking",
    title: "Networking on loopback",
    demos: &[
        fetch_status_handling::DEMO,
        client_config::DEMO,
        retry_backoff::DEMO,
        cancellation_registry::DEMO,
        cert_pinning::DEMO,
        oauth_pkce_state::DEMO,
        biometric_capability::DEMO,
        client_middleware::DEMO,
        single_flight_token_refresh::DEMO,
        websocket_generations::DEMO,
        sse_decoder::DEMO,
        completion_exactly_once::DEMO,
        background_task_deadline::DEMO,
        hermetic_integration_tests::DEMO,
    ],
    play: &[],
    sidebars: &[],
};
