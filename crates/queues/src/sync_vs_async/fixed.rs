//! Q9, fixed: the same job, with rayon's `ThreadPool::install` instead of the naive `sync`.
//!
//! `install` blocks like `sync`, but first looks at who is calling: on one of the pool's own
//! workers it simply runs the closure right there, inline, which is all a blocking call onto the
//! pool could ever achieve. (GCD's `dispatch_sync` does the same: it runs the block on the calling
//! thread when it can.) The trace shows that the heavy work ran on the worker that asked for it.

use racelab_kit::say;

use rayon::ThreadPool as Pool;

// ANCHOR: process
/// The heavy work.
pub fn perform_heavy_operation() {
    say!("performs the heavy operation");
}

/// A job on the pool that hands the heavy work to the pool and waits for it.
pub fn process(pool: &Pool) {
    say!("runs a job on the pool");
    pool.install(perform_heavy_operation); // already on the pool: runs inline, no wait
}
// ANCHOR_END: process
