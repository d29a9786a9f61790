//! R15, broken: the guide's stress-test oracles — the checks that decide "race detected".
//!
//! This version is problematic.
//!
//! `RaceConditionStressTester` (L6785–6980) runs each workload once on real threads and compares
//! the result with an expected value. Two of its three expected values are wrong for *correct*
//! code, and the third is only as good as the one schedule the OS happened to pick:
//!
//! * `testArrayRaceCondition` expects 0 items (L6865): it assumes every remover try removed an
//!   item. But a remover removes only when it sees one (L6856–6857), and removers may run before
//!   the adders. A perfectly thread-safe array ends with items left — "race detected".
//! * `testDataRaceCondition` expects `"Value 4-(n-1)"` (L6914): it assumes writer 4, spawned last,
//!   finishes last. Whichever writer the scheduler finishes last wins — "race detected".
//! * `testCounterRaceCondition` expects `10 × n` (L6814): right. But one run on real threads is
//!   one schedule; if the threads happen not to overlap, the broken counter passes.

use super::StressOracles;
use super::managers::{ArrayRun, CounterRun, DataRun};
use super::{Search, mismatch};

// ANCHOR: oracles
/// The guide's three checks.
pub struct Oracles;

impl StressOracles for Oracles {
    /// "Run it and look": one run on real threads, whatever order the OS picks (L6802–6813).
    const SEARCH: Search = Search::OneRealRun;

    /// L6864–6867.
    fn array(run: &ArrayRun) -> Result<(), String> {
        let expected = run.adds - run.remove_tries; // "Should be 0": as if every try removed one
        mismatch("items", expected, run.final_count)
    }

    /// L6913–6916.
    fn data(run: &DataRun) -> Result<(), String> {
        let last = run.iterations - 1;
        let expected = format!("Value {}-{last}", run.writers - 1); // as if the last writer spawned finishes last
        mismatch("final value", expected.as_str(), run.final_value.as_str())
    }

    /// L6813–6816: this one is right.
    fn counter(run: &CounterRun) -> Result<(), String> {
        mismatch("count", run.threads * run.iterations, run.final_count)
    }
}
// ANCHOR_END: oracles
