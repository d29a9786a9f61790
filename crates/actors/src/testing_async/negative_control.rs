//! A14's second lesson: a test harness must be shown able to fail before its passing means
//! anything.
//!
//! The guide's `testRaceCondition` runs 1,000 increments in a task group and checks the count. On
//! what? It is never run on a counter known to be broken. Here it is — [`test_race_condition`] on
//! [`UnsafeCounter`], whose `increment` reads and then writes — and it passes: on the chapter's
//! `current_thread` runtime no task can run in the middle of another's `increment` (there is no
//! `.await` in it), so no update is ever lost. On a multi-threaded runtime it would pass almost
//! always, which is worse: a flaky pass. The harness proves nothing about races.
//!
//! The negative control is a harness that *does* fail on the unsafe counter: [`model_check`] runs
//! two increments on two threads under loom, every interleaving (the races chapter's R1 check). It
//! finds the lost update; and it passes [`SafeCounter`] — the positive control. No broken/fixed
//! twin files here: the code under test is the same two counters, and what is broken is the
//! harness; the tests run both harnesses on both counters.

use std::sync::Arc;

use racelab_kit::explore::{Exploration, explore};
use racelab_kit::rt;
use racelab_kit::say;
use racelab_kit::sync::prelude::*;
use tokio::task::JoinSet;

/// The guide's `iterations`.
pub const ITERATIONS: usize = 1000;

/// A counter both harnesses can drive.
pub trait Counter: Send + Sync + 'static {
    /// A counter at zero.
    fn new() -> Self;
    /// `increment()`.
    fn increment(&self);
    /// `getCount()`.
    fn get(&self) -> usize;
}

// ANCHOR: counters
/// `count += 1` as a read and a write: loses updates when two threads interleave.
#[derive(Debug)]
pub struct UnsafeCounter<P: Primitives> {
    count: P::AtomicUsize,
}

impl<P: Primitives> Counter for UnsafeCounter<P> {
    fn new() -> Self {
        UnsafeCounter {
            count: P::AtomicUsize::new(0),
        }
    }

    fn increment(&self) {
        let seen = self.count.load(SeqCst);
        say!("reads {seen}");
        self.count.store(seen + 1, SeqCst);
        say!("writes {}", seen + 1);
    }

    fn get(&self) -> usize {
        self.count.load(SeqCst)
    }
}

/// One atomic read-modify-write: never loses an update.
#[derive(Debug)]
pub struct SafeCounter<P: Primitives> {
    count: P::AtomicUsize,
}

impl<P: Primitives> Counter for SafeCounter<P> {
    fn new() -> Self {
        SafeCounter {
            count: P::AtomicUsize::new(0),
        }
    }

    fn increment(&self) {
        let seen = self.count.fetch_add(1, SeqCst);
        say!("adds 1 to {seen}");
    }

    fn get(&self) -> usize {
        self.count.load(SeqCst)
    }
}
// ANCHOR_END: counters

// ANCHOR: guide_harness
/// The guide's `testRaceCondition`: [`ITERATIONS`] tasks increment once each; the count must be
/// [`ITERATIONS`]. `Err` is XCTest's failure message.
pub fn test_race_condition<C: Counter>() -> Result<(), String> {
    rt::run(async {
        let counter = Arc::new(C::new());
        let mut group = JoinSet::new();
        for _ in 0..ITERATIONS {
            let counter = counter.clone();
            group.spawn(async move { counter.increment() });
        }
        while let Some(done) = group.join_next().await {
            done.map_err(|e| e.to_string())?;
        }
        let final_count = counter.get();
        if final_count == ITERATIONS {
            Ok(())
        } else {
            Err(format!(
                "XCTAssertEqual failed: (\"{final_count}\") is not equal to (\"{ITERATIONS}\")"
            ))
        }
    })
}
// ANCHOR_END: guide_harness

// ANCHOR: model_check
/// Two threads, `T0` and `T1`, increment once each; then the count must be 2.
pub fn two_increments<P: Primitives, C: Counter>() {
    let counter = Arc::new(C::new());
    let threads = ["T0", "T1"].map(|name| {
        let counter = counter.clone();
        P::spawn(name, move || counter.increment())
    });
    for thread in threads {
        thread.join();
    }
    let count = counter.get();
    if count != 2 {
        panic!("lost update: 2 increments, but the count is {count}");
    }
}

/// The negative control: [`two_increments`] under loom, in every interleaving.
pub fn model_check<C: Counter>() -> Exploration {
    explore(two_increments::<Loom, C>)
}
// ANCHOR_END: model_check
