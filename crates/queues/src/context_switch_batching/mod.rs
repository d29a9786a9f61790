//! Q5 `context_switch_batching` — one hop to the main thread per item delivers the results in
//! whatever order the workers finish; one hop with the whole batch delivers them in input order.
//!
//! Ports the guide's "Performance › 2. Context Switching" (L523–559; the code is L532–559). The
//! guide's BAD version (L534–545) sends every item to the global queue and every result back to
//! main in its own hop; its GOOD version (L548–558) maps the whole array in one background job and
//! hops to main once. Fewer hops — **right**. But the guide leaves out three things:
//!
//! * the BAD version is not only slower: it shows the results in the order the workers happen to
//!   *finish*, not the input order (the bug this demo catches);
//! * the GOOD version gives up the parallelism: `data.map` runs on one thread, one item at a time
//!   ([`guide_fix`]);
//! * and it gives up latency: nothing shows until the last item is done. Chunked batches (one hop
//!   per chunk) are the middle ground.
//!
//! * **broken** ([`broken`]): the guide's BAD version on a real pool and a real "main" queue.
//! * **fixed** ([`fixed`]): the guide's GOOD version with rayon's `par_iter` instead of `map`:
//!   the items are processed in parallel, `collect` puts them back in input order, and one hop
//!   delivers them.
//! * [`guide_fix`]: the guide's GOOD version as written — right order, one hop, one item at a time.
//!
//! The "main thread" is a [`SerialQueue`](racelab_dispatch::serial_queue::SerialQueue) labelled
//! `main`: an event loop fed by a channel, which is all `DispatchQueue.main` is to a background
//! thread. The global queue is a rayon pool (rayon is already the chapter's pool, Q9) with one
//! worker per item, so every item can be in flight at once. Both, and the scenario, are in
//! [`harness`]; the demo's narration is in [`narrate`].
//!
//! The check, the same for every twin: after processing `a, b, c`, main's screen must read
//! `A, B, C` and main must have been woken once. The scenario forces the worst finishing order —
//! reverse — with gates on named steps: the job for an item starts only when the job for the next
//! item has reached [`FINISHES`]. No sleeps; every run is the same run.

use racelab_kit::demo::Demo;
use racelab_kit::trace::Step;

pub mod broken;
pub mod fixed;
pub mod guide_fix;
pub mod harness;
pub mod narrate;

pub use harness::{App, ITEMS, Outcome, Pace, Twin, run_scenario, scenario};

/// What an item's job says as it ends (the next item's job waits for it under
/// [`Pace::Reversed`]).
pub const FINISHES: Step = Step("finishes");
/// What a twin says as it hops to main: `hops to main with every item`.
pub const HOPS: Step = Step("hops to main");

/// The processed items in input order: what main must show.
pub fn expected() -> Vec<String> {
    ITEMS.iter().map(|s| s.to_uppercase()).collect()
}

// ANCHOR: check
/// The check, the same for every twin: main shows the items in input order, after one hop.
pub fn check(outcome: &Outcome) -> Result<(), String> {
    if outcome.screen != expected() || outcome.hops != 1 {
        return Err(format!(
            "main showed {} (input order: {}) after {} hop(s)",
            outcome.screen.join(", "),
            expected().join(", "),
            outcome.hops
        ));
    }
    Ok(())
}
// ANCHOR_END: check

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "Q5",
    name: "context_switch_batching",
    summary: "one hop to main per item shows results in finishing order; one batched hop shows them in input order",
    run: narrate::demo,
};
