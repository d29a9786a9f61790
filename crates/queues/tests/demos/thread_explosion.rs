//! Q4 `thread_explosion`: items that block — a thread per item runs all of them at once, on as
//! many threads; a pool of k threads, or k semaphore permits, runs k.

use queues::thread_explosion::{K, Manager, N, Outcome, explosion, scenario};

/// The trivial case: with no more items than the limit, a thread per item is within it.
#[test]
fn broken_thread_explosion_is_fine_for_a_few_items() {
    let outcome = scenario(Manager::ThreadPerItem, K);
    assert_eq!(explosion(&outcome), None, "{outcome:?}");
}

/// The explosion, forced: every item blocks until main has seen all N running, each on its own
/// thread — so the peak is N, every run, and the check `peak <= K` fails.
// ANCHOR: caught
#[test]
fn broken_thread_explosion_runs_every_item_at_once_on_its_own_thread() {
    let outcome = scenario(Manager::ThreadPerItem, N);
    assert_eq!(
        outcome,
        Outcome {
            items: N,
            running_held: N,
            handed_held: N,
            peak: N,
            done: N,
            threads: N,
        }
    );
    assert_eq!(
        explosion(&outcome).as_deref(),
        Some("thread explosion: 64 items ran at once on 64 threads (the limit was 4)")
    );
}
// ANCHOR_END: caught

/// The pool under the same check: K items run and hold the pool's K threads; the other N − K are
/// queued (all N handed over at once: no backpressure), and the peak never passes K.
// ANCHOR: pool
#[test]
fn fixed_thread_explosion_pool_runs_at_most_k_on_k_threads() {
    let outcome = scenario(Manager::Pool, N);
    assert_eq!(
        outcome,
        Outcome {
            items: N,
            running_held: K,
            handed_held: N,
            peak: K,
            done: N,
            threads: K,
        }
    );
    assert_eq!(explosion(&outcome), None);
}
// ANCHOR_END: pool

/// K semaphore permits under the same check: K run, and the caller itself is held back — only K
/// items handed over while the first K are blocked. (Each item still gets a thread of its own,
/// one after another: the semaphore limits width, not thread creation.)
// ANCHOR: throttled
#[test]
fn fixed_thread_explosion_semaphore_limits_width_and_pushes_back() {
    let outcome = scenario(Manager::Throttled, N);
    assert_eq!(
        outcome,
        Outcome {
            items: N,
            running_held: K,
            handed_held: K,
            peak: K,
            done: N,
            threads: N,
        }
    );
    assert_eq!(explosion(&outcome), None);
}
// ANCHOR_END: throttled
