//! Timing helpers the criterion benches share.
//!
//! Every "N threads at once" benchmark needs the same measurement: start the threads, hold them
//! behind a barrier so none runs ahead while the others are still being spawned, release them
//! together, and time from the release to the last join — criterion's `iter_custom` then divides
//! by the iterations. Written once here (the benches of `races` and `queues` use it) so every
//! contended number in the book is measured the same way.

use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

/// Runs `work(thread_index)` on each of `threads` fresh threads, released together by a barrier;
/// returns the wall-clock time from the release until every thread has finished.
pub fn on_threads(threads: usize, work: impl Fn(usize) + Send + Sync + 'static) -> Duration {
    let work = Arc::new(work);
    let start = Arc::new(Barrier::new(threads + 1));
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let (work, start) = (work.clone(), start.clone());
            thread::spawn(move || {
                start.wait();
                work(t);
            })
        })
        .collect();
    start.wait();
    let began = Instant::now();
    for h in handles {
        h.join().expect("bench thread");
    }
    began.elapsed()
}
