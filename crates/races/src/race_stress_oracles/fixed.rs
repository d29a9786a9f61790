//! R15, fixed: oracles that accept every outcome correct code can produce, and nothing else —
//! and a search that looks at every schedule instead of one.
//!
//! * Array: a correct array ends with exactly `adds − successful removes` items, whatever the
//!   order. The test can only know the successful removes if `remove` says whether it removed
//!   (`remove_first() -> bool`); the guide's `removeItem` returns nothing.
//! * Data: a correct store ends holding the *last* write of *some* writer — any of them. Which
//!   one is the scheduler's business, not a bug.
//! * Counter: the guide's expected value was right; what changes is the search. loom runs the
//!   same check under every interleaving, so the lost update is found on every run — and a pass
//!   means no interleaving loses one, not "we did not happen to see it".

use super::StressOracles;
use super::managers::{ArrayRun, CounterRun, DataRun};
use super::{Search, mismatch, one_of};

// ANCHOR: oracles
/// Checks that pass every outcome correct code can produce.
pub struct Oracles;

impl StressOracles for Oracles {
    /// Every interleaving, with loom (small thread and iteration counts).
    const SEARCH: Search = Search::Loom; // every schedule, not the one the OS picked

    /// Adds minus the removes that really removed something.
    fn array(run: &ArrayRun) -> Result<(), String> {
        let expected = run.adds - run.removed; // only successful removes take an item away
        mismatch("items", expected, run.final_count)
    }

    /// The last write of any one writer.
    fn data(run: &DataRun) -> Result<(), String> {
        let last = run.iterations - 1;
        let expected = (0..run.writers).map(|i| format!("Value {i}-{last}"));
        one_of("final value", expected, &run.final_value) // any writer may finish last
    }

    /// Unchanged: the guide's expected count is right.
    fn counter(run: &CounterRun) -> Result<(), String> {
        mismatch("count", run.threads * run.iterations, run.final_count)
    }
}
// ANCHOR_END: oracles
