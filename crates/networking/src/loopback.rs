//! The one way this chapter runs a scenario that uses real sockets.
//!
//! [`racelab_kit::rt::run`] has no I/O driver on purpose: its clock is paused, and a paused clock
//! beside real sockets can jump while the kernel still holds bytes (the runtime looks idle). So a
//! scenario with a loopback server runs here instead: a fresh `current_thread` runtime with I/O
//! and the **real** clock, its lines signed `name`. Nothing in such a scenario waits on a timer —
//! gates fix every order — so real time is never what a verdict depends on. Checks that *are*
//! about time (retries, deadlines) run on `rt::run` with in-memory services instead.

use std::future::Future;

use racelab_kit::trace::Signed;

/// Runs `scenario` to completion on a fresh `current_thread` runtime with I/O and the real clock,
/// its lines signed `name`.
pub fn run_as<F: Future>(name: &str, scenario: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current_thread runtime with I/O can always be built")
        .block_on(Signed::new(name, scenario))
}
