//! Q8 `serial_vs_concurrent`: both serial queues run their jobs in order, one at a time; only the
//! dedicated-thread one runs them on one thread — so a connection cached in a thread-local is
//! opened twice on the GCD-style queue.

use std::sync::{Arc, Mutex};

use queues::serial_vs_concurrent::pool_serial_queue_model::PoolSerialQueue;
use queues::serial_vs_concurrent::{run_on_own_thread, run_on_pool};
use racelab_dispatch::concurrent_queue::ConcurrentQueue;
use racelab_dispatch::serial_queue::SerialQueue;
use racelab_kit::demo::Variant;
use racelab_kit::gauge::Gauge;

/// 100 jobs, each entering a gauge, recording its number, leaving: (the order they ran in, the
/// most jobs ever inside at once).
fn fifo_and_peak(
    dispatch: impl Fn(Box<dyn FnOnce() + Send>),
    wait: impl FnOnce(),
) -> (Vec<usize>, usize) {
    let order = Arc::new(Mutex::new(Vec::new()));
    let gauge = Arc::new(Gauge::new());
    for i in 0..100 {
        let (order, gauge) = (order.clone(), gauge.clone());
        dispatch(Box::new(move || {
            let _inside = gauge.enter();
            order.lock().unwrap().push(i);
            std::hint::black_box((0..200).sum::<u64>());
        }));
    }
    wait();
    let order = order.lock().unwrap().clone();
    (order, gauge.peak())
}

/// What the guide gets right, for both serial queues: FIFO, and never two jobs at once (a gauge).
/// The pool queue's pool has 4 threads, so it *could* overlap jobs — it does not.
#[test]
fn fixed_serial_vs_concurrent_both_serial_queues_run_fifo_one_at_a_time() {
    let own = SerialQueue::new("own");
    let (order, peak) = fifo_and_peak(|job| own.dispatch_async(job), || own.sync(|| ()).unwrap());
    assert_eq!((order, peak), ((0..100).collect(), 1));

    let pool = ConcurrentQueue::new("pool", 4);
    let pooled = PoolSerialQueue::new("pooled", &pool);
    let (order, peak) = fifo_and_peak(
        |job| pooled.dispatch_async(job),
        || pooled.sync(|| ()).unwrap(),
    );
    assert_eq!((order, peak), ((0..100).collect(), 1));
}

/// The trivial case: on a queue with a thread of its own, the thread-local connection is right —
/// which is what makes the mistake tempting.
#[test]
fn broken_serial_vs_concurrent_is_right_on_a_dedicated_thread() {
    let (opened, trace) = run_on_own_thread(Variant::Broken);
    assert_eq!(opened, 1, "{}", trace.render());
}

/// On the GCD-style queue the UPDATE runs on the other pool thread, finds no connection in that
/// thread's thread-local, and opens a second one. Forced by the pool's FIFO order, every run.
// ANCHOR: caught
#[test]
fn broken_serial_vs_concurrent_opens_a_second_connection_on_the_pool() {
    let (opened, trace) = run_on_pool(Variant::Broken);
    assert_eq!(opened, 2);
    racelab_testkit::snapshot!("serial_vs_concurrent__trace", trace.render());
}
// ANCHOR_END: caught

/// The fixed twin under the same check, on both queues: one connection.
// ANCHOR: holds
#[test]
fn fixed_serial_vs_concurrent_opens_one_connection_on_either_queue() {
    assert_eq!(run_on_own_thread(Variant::Fixed).0, 1);
    let (opened, trace) = run_on_pool(Variant::Fixed);
    assert_eq!(opened, 1);
    // …and the pool queue really did move: the INSERT on thread 2, the UPDATE on thread 1.
    let said = trace.render();
    assert!(
        said.contains("runs INSERT on connection #1 on thread 2"),
        "{said}"
    );
    assert!(
        said.contains("runs UPDATE on connection #1 on thread 1"),
        "{said}"
    );
}
// ANCHOR_END: holds
