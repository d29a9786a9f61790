//! R3's second lesson — the memory ordering the guide's "Atomic Operations" section promised but
//! never shows: data published through a flag.
//!
//! A writer stores data, then raises a flag; a reader that sees the flag must see the data. With a
//! `Relaxed` flag ([`broken`]) the reader can read stale data; with `Release`/`Acquire`
//! ([`fixed`]) it cannot. loom runs [`publish_once`] under every interleaving.

use std::sync::Arc;

use racelab_kit::demo::Variant;
use racelab_kit::explore::{Exploration, explore};
use racelab_kit::sync::prelude::*;

pub mod broken;
pub mod fixed;

/// What the publication check needs; each twin's `Message` implements it in its own file.
pub trait Message: Send + Sync + 'static {
    /// Nothing published yet.
    fn new() -> Self;
    /// Publishes `value`.
    fn send(&self, value: usize);
    /// The value, if the flag says it is there.
    fn receive(&self) -> Option<usize>;
}

/// What the writer publishes.
pub const DATA: usize = 42;

// ANCHOR: check_message
/// A `writer` sends [`DATA`] while a `reader` receives: if the reader sees the flag, it must see
/// the data.
pub fn publish_once<P: Primitives, M: Message>() {
    let message = Arc::new(M::new());
    let writer = {
        let message = message.clone();
        P::spawn("writer", move || message.send(DATA))
    };
    let reader = P::spawn("reader", move || message.receive());
    writer.join();
    if let Some(data) = reader.join()
        && data != DATA
    {
        panic!("stale read: the reader saw the flag up but data = {data}, not {DATA}");
    }
}
// ANCHOR_END: check_message

/// Runs the publication check under loom for one twin.
pub fn explore_message(variant: Variant) -> Exploration {
    match variant {
        Variant::Broken => explore(publish_once::<Loom, broken::Message<Loom>>),
        Variant::Fixed => explore(publish_once::<Loom, fixed::Message<Loom>>),
    }
}
