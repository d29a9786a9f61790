//! R6, the fix to ship: a bounded channel.
//!
//! [`fixed`](super::fixed) writes a bounded queue out by hand to show how one works. In real code,
//! reach for a channel that already is one:
//!
//! * [`std::sync::mpsc::sync_channel(cap)`](std::sync::mpsc::sync_channel) — `send` blocks while
//!   `cap` items wait, `try_send` returns `Full` instead, and `recv` returns `Err` once every
//!   `Sender` is dropped and the channel is drained: "close" is simply dropping the sender;
//! * `crossbeam_channel::bounded(cap)` — the same, with many consumers (`Receiver: Clone`) and
//!   `select!`;
//! * `tokio::sync::mpsc::channel(cap)` in async code — `send(..).await` waits for space without
//!   blocking a thread.
//!
//! This module runs the R6 check over `sync_channel`: a consumer waits in `recv()` on the empty
//! channel, then a producer sends one item and hangs up.

use std::sync::mpsc;

use racelab_kit::sync::prelude::*;
use racelab_kit::trace::Step;
use racelab_kit::{say, step, wait};

/// The consumer's step the producer is let in after.
pub const CALLS_RECV: Step = Step("calls rx.recv()");

// ANCHOR: channel
/// A consumer calls `recv()` on an empty `sync_channel(1)`; then a producer sends 1 and drops its
/// `Sender`. Returns what the consumer's first and second `recv()` gave: `(Some(1), None)`.
pub fn one_item() -> (Option<u32>, Option<u32>) {
    let (tx, rx) = mpsc::sync_channel::<u32>(1); // bounded: a second unreceived send would block
    let consumer = Std::spawn("consumer", move || {
        step!(CALLS_RECV, " on the empty channel");
        let first = rx.recv().ok();
        let second = rx.recv().ok(); // Err, not a hang: every Sender is gone and nothing is left
        (first, second)
    });
    wait::until("the consumer calls recv", || {
        wait::reached("consumer", CALLS_RECV)
    });
    let producer = Std::spawn("producer", move || {
        tx.send(1).expect("the consumer is still receiving");
        drop(tx); // hanging up is how a channel is closed
        say!("sends 1 and hangs up");
    });
    producer.join();
    consumer.join()
}
// ANCHOR_END: channel
