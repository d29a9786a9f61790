//! Q9, broken: a job on a 1-thread pool calls the pool's naive `sync`.
//!
//! This version is problematic.
//!
//! A hazard of porting `sync` to a fixed-size Rust pool, not a bug GCD has: the guide's
//! `DispatchQueue.global().sync { performHeavyOperation() }` (L1809–1812) runs inline on the
//! caller in libdispatch (`_dispatch_sync_f_slow`, `src/queue.c`), so it never waits for a
//! worker. Ported as "submit, then wait" and made from code that is itself running on the pool,
//! the job submits the heavy work and blocks its worker waiting for it, but the heavy work needs a
//! free worker, and the only one is the one waiting.

use racelab_kit::say;

use super::naive_pool_model::NaivePool as Pool;

// ANCHOR: process
/// The heavy work.
pub fn perform_heavy_operation() {
    say!("performs the heavy operation");
}

/// A job on the pool that hands the heavy work to the pool and waits for it.
pub fn process(pool: &Pool) {
    say!("runs a job on the pool");
    pool.sync(perform_heavy_operation); // submit, then block this worker until it has run
}
// ANCHOR_END: process
