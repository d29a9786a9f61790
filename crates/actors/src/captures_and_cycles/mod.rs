//! A7 `captures_and_cycles` — what a closure captures decides who keeps whom alive.
//!
//! Ports the guide's "Memory Management" (L441–484) and "Strong/Weak Reference Cycles in Async
//! Contexts" (L805–867). Two lessons, one of them the guide's and one it gets wrong:
//!
//! * **A real cycle** (L452–460): `RetainCycleExample` stores a completion handler whose closure
//!   captures `self`. The object owns the closure, the closure owns the object: with reference
//!   counting (Swift's ARC, Rust's `Rc`) neither count can reach zero. [`broken`] is that cycle
//!   with `Rc`; [`fixed`] captures a `Weak` and upgrades it when the handler runs (the guide's
//!   `[weak self]`, L463–472, which is right).
//! * **Not a cycle** (L808–825, [`data_manager`]): a closure handed to a background thread that
//!   captures `self` strongly only *extends* `self`'s life until the closure ends; nothing points
//!   back from `self` to the closure. The guide's "Strong reference to self creates retain cycle"
//!   (L813) is false. What *is* wrong there, `SafeDataManager` keeps: it writes `self.data` on a
//!   global-queue thread (L835) while other code reads it — a data race `[weak self]` does not
//!   touch. Rust rejects both the thread that borrows `self` and the unsynchronised write
//!   (compile-fail cases `captures_and_cycles_*.rs`).
//!
//! The check ([`handler_runs_then_the_object_is_freed`]): make the object, set up its handler,
//! call it once (it must do its work), drop the last outside handle, and require that the object
//! was dropped — a `Drop` flag says so.
//!
//! How it is caught: **one schedule, the only one** — single-threaded and deterministic; there is
//! no interleaving to explore. The "not a cycle" scenario runs on a real thread, its order fixed by
//! a latch (the thread waits until the caller has dropped its handle).

use std::cell::Cell;
use std::rc::Rc;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::say;
use racelab_kit::trace::{Trace, traced};

pub mod broken;
pub mod data_manager;
pub mod fixed;

/// What the check needs of a twin: the guide's three members, and a `Drop` that sets `dropped`.
pub trait Example {
    /// A fresh object that sets `dropped` when it is dropped.
    fn new(dropped: Rc<Cell<bool>>) -> Rc<Self>;
    /// `setupHandler()`: store a completion handler that calls `doSomething()`.
    fn setup_handler(self: &Rc<Self>);
    /// `completionHandler?()`.
    fn call_handler(&self);
}

// ANCHOR: check
/// Set up the handler, call it, drop the last outside handle: the object must be dropped.
pub fn handler_runs_then_the_object_is_freed<E: Example>() -> Result<(), String> {
    let dropped = Rc::new(Cell::new(false));
    let example = E::new(Rc::clone(&dropped));
    say!("sets up the completion handler and calls it");
    example.setup_handler();
    example.call_handler();
    let watch = Rc::downgrade(&example);
    say!(
        "drops its handle; the object's strong count was {}",
        Rc::strong_count(&example)
    );
    drop(example);
    if dropped.get() {
        return Ok(());
    }
    Err(format!(
        "never dropped: {} strong reference left, held by the object's own handler",
        watch.strong_count()
    ))
}
// ANCHOR_END: check

/// Runs the check for one twin with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => handler_runs_then_the_object_is_freed::<broken::RetainCycleExample>(),
        Variant::Fixed => handler_runs_then_the_object_is_freed::<fixed::RetainCycleExample>(),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "A7",
    name: "captures_and_cycles",
    summary: "a handler that captures its owner is a cycle; a thread's is not",
    run: demo,
};

/// The demo: the cycle (twin by twin), then the guide's "not a cycle" claim, the same for both.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading("a stored completion handler that calls self.doSomething()");
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report
        .heading("not a cycle: a thread's closure holds an Arc of the manager (the same in both)");
    let (claim, trace) = traced(|_| data_manager::strong_capture_in_a_thread_is_not_a_cycle());
    report.trace(&trace);
    report.conclude(
        outcome.err().or(claim.err()),
        "the handler ran and the object was dropped with its last outside handle",
    );
    report
}
