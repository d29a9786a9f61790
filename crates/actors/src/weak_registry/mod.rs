//! A8 `weak_registry` — a registry that holds its handlers only weakly must get a strong owner
//! for each from somewhere, or it calls nothing.
//!
//! Ports the guide's "Memory Leaks in Dispatch Queues" (L869–909): `LeakyManager`, whose
//! `handlers` array only grows, and the "✅ SAFE" `SafeManager`, which wraps each handler in a
//! `WeakHandler { weak var handler: (() -> Void)? }` and filters out the freed ones.
//!
//! * In Swift `SafeManager` does not compile: `weak` applies only to class and class-bound protocol
//!   types, and a closure type is neither (L903).
//! * In Rust it does — `Weak<dyn Fn()>` is fine — so the port shows what the design would do:
//!   `add_handler` makes the only strong reference to the handler and drops it as it returns, so
//!   the weak reference is dead on arrival, the cleanup filter removes it, and the handler never
//!   runs. "Weak" answers *who must not own* the handler; the guide never says who does.
//! * The guide's queue (`queue.async { self.handlers.append(…) }`) serialises access to the array
//!   and is not the lesson; the port is single-threaded (`Rc`, `RefCell`).
//!
//! The check ([`fires_while_subscribed_and_not_after`]): subscribe a handler and keep what
//! `add_handler` returns; calling the handlers must run it once; after the subscriber lets go,
//! calling them must run nothing, and the registry must be empty.
//!
//! * [`broken`] is the guide's `SafeManager`: the handler runs 0 times.
//! * [`fixed`] returns a [`fixed::Subscription`] that owns the handler: while it lives the handler
//!   runs; dropping it frees the handler, and the registry's cleanup removes the dead entry — the
//!   subscription token the guide needed (a `cancel()`/`deinit` that unregisters).
//!
//! How it is caught: **the only schedule** — one thread, no interleaving, the same every run.

use std::cell::Cell;
use std::rc::Rc;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::say;
use racelab_kit::trace::{Trace, traced};

pub mod broken;
pub mod fixed;

/// What the check needs of a registry: the guide's `addHandler`, a way to call every handler, and
/// its size.
pub trait Registry: Default {
    /// What `add_handler` gives back: nothing in the guide, the handler's owner in the fix.
    type Subscription;
    /// `addHandler(_:)`.
    fn add_handler(&self, handler: impl Fn() + 'static) -> Self::Subscription;
    /// Calls every registered handler that is still alive; returns how many ran.
    fn call_handlers(&self) -> usize;
    /// How many handlers the registry holds, after cleaning up freed ones.
    fn held(&self) -> usize;
}

// ANCHOR: check
/// Subscribe, call (the handler must run once), let go, call again (nothing may run), and the
/// registry must be empty.
pub fn fires_while_subscribed_and_not_after<R: Registry>() -> Result<(), String> {
    let manager = R::default();
    let runs = Rc::new(Cell::new(0));
    say!("adds a handler and keeps what add_handler returns");
    let subscription = manager.add_handler({
        let runs = Rc::clone(&runs);
        move || {
            runs.set(runs.get() + 1);
            say!("the handler runs");
        }
    });
    let ran = manager.call_handlers();
    say!(
        "calls the handlers: {ran} ran; the registry holds {}",
        manager.held()
    );
    drop(subscription);
    let after = manager.call_handlers();
    let left = manager.held();
    say!("lets go of its subscription, calls the handlers: {after} ran; {left} held");

    if runs.get() != 1 || ran != 1 {
        return Err(format!(
            "the handler ran {} times while subscribed: nothing held it strongly",
            runs.get()
        ));
    }
    if after != 0 || left != 0 {
        return Err(format!(
            "after its subscriber let go, {after} handler ran and the registry holds {left}"
        ));
    }
    Ok(())
}
// ANCHOR_END: check

/// Runs the check for one twin with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => fires_while_subscribed_and_not_after::<broken::SafeManager>(),
        Variant::Fixed => fires_while_subscribed_and_not_after::<fixed::SafeManager>(),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "A8",
    name: "weak_registry",
    summary: "weak handlers with no strong owner never run: return a subscription",
    run: demo,
};

/// The demo: the scenario, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading("a registry that keeps its handlers weakly (the guide's WeakHandler)");
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        "the handler ran once while subscribed, not after, and the registry emptied",
    );
    report
}
