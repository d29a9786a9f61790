//! R6 `producer_consumer`: a consumer waits inside `queue.sync`, the producer's barrier never
//! starts — and a queue (and a channel) that delivers.

use racelab_kit::trace::said;
use std::sync::Arc;
use std::sync::mpsc::{self, TrySendError};

use racelab_kit::demo::Variant;
use racelab_kit::explore::{explore, explore_bounded};
use racelab_kit::sync::prelude::*;
use racelab_kit::wait;
use racelab_kit::watchdog::last_words;
use races::producer_consumer::{
    bounded, broken, channel, explore_variant, on_real_threads, run_on_real_threads,
};

/// The trivial case: when the item is already there, the broken queue hands it over — the
/// consumer never waits, so nothing keeps the barrier out.
#[test]
fn broken_producer_consumer_is_right_when_the_item_comes_first() {
    let queue = broken::ProducerConsumerQueue::<Std, u32>::new(1);
    queue.produce(1);
    assert_eq!(queue.consume(), Some(1));
}

/// The search: loom runs the consumer and the producer in every order. The very first order it
/// tries — the consumer first, on the empty queue — leaves every thread blocked.
// ANCHOR: caught
#[test]
fn broken_producer_consumer_deadlocks_on_first_empty_consume() {
    let search = explore_variant(Variant::Broken);
    let failure = search.expect_failure();
    assert!(failure.is_deadlock(), "{}", failure.message);
    assert_eq!(
        search.interleavings, 1,
        "the first order loom tries already fails"
    );
    // The minimal failure: the consumer waits inside queue.sync; the barrier waits for it to leave.
    racelab_testkit::snapshot!("producer_consumer__trace", failure.trace.render());
}
// ANCHOR_END: caught

/// The replay on real threads, as in the guide's pipeline (consumers start with the producer):
/// with the consumer let in first it deadlocks every time; the watchdog proves it — every thread
/// waits and nothing is left to wake any — and each thread's last words say what it waits for.
// ANCHOR: hangs
#[test]
fn broken_producer_consumer_hangs_on_real_threads() {
    let (outcome, trace) = run_on_real_threads(Variant::Broken);
    assert_eq!(
        outcome.expect_deadlock().summary(),
        "main waits for producer to finish; consumer waits for condition; \
         producer waits for queue held by consumer"
    );
    let words: Vec<String> = said(last_words(&trace));
    assert_eq!(
        words,
        [
            "consumer: waits for an item, still inside queue.sync",
            "producer: waits for the barrier: it cannot start while a queue.sync block runs",
        ]
    );
}
// ANCHOR_END: hangs

/// The other side of the same bug: on a full queue the producer waits for space *inside* its
/// barrier, and no consumer can enter queue.sync to make some.
#[test]
fn broken_producer_consumer_deadlocks_when_full() {
    let search = explore(|| {
        let queue = Arc::new(broken::ProducerConsumerQueue::<Loom, u32>::new(1));
        let producer = {
            let queue = queue.clone();
            Loom::spawn("producer", move || {
                queue.produce(1); // now the queue is full
                queue.produce(2);
            })
        };
        let consumer = Loom::spawn("consumer", move || queue.consume());
        producer.join();
        consumer.join();
    });
    let failure = search.expect_failure();
    assert!(failure.is_deadlock(), "{}", failure.message);
    racelab_testkit::snapshot!("producer_consumer__full_trace", failure.trace.render());
}

/// The fixed twin under the very same check: in every interleaving the consumer gets the item.
// ANCHOR: holds
#[test]
fn fixed_producer_consumer_delivers() {
    explore_variant(Variant::Fixed).assert_holds();
}
// ANCHOR_END: holds

/// And on real threads, with the consumer let in first again: it waits, the producer gets in,
/// the consumer gets the item.
#[test]
fn fixed_producer_consumer_delivers_on_real_threads() {
    let (outcome, _trace) = run_on_real_threads(Variant::Fixed);
    outcome.expect_finished();
}

// What else a bounded queue must do — checked on `bounded`, the fixed twin with the guide's smaller
// bugs fixed too.

/// FIFO, with backpressure and shutdown: one producer puts 1 then 2 through a queue of capacity 1
/// (so it must wait for space in some orders) and closes it; the consumer gets 1, 2, then `None`.
#[test]
fn fixed_producer_consumer_keeps_fifo_order() {
    explore(|| {
        let queue = Arc::new(bounded::ProducerConsumerQueue::<Loom, u32>::new(1));
        let producer = {
            let queue = queue.clone();
            Loom::spawn("producer", move || {
                for item in 1..=2 {
                    queue.produce(item).expect("open");
                }
                queue.close();
            })
        };
        let got: Vec<u32> = std::iter::from_fn(|| queue.consume()).collect();
        producer.join();
        assert_eq!(got, [1, 2]);
    })
    .assert_holds();
}

/// `close()`: what is in the queue is still consumed, then `consume` returns `None`, and `produce`
/// hands its item back. Consumers already waiting when it closes are all woken (loom, every order).
#[test]
fn fixed_producer_consumer_close_ends_every_consumer_after_draining() {
    let queue = bounded::ProducerConsumerQueue::<Std, u32>::new(2);
    queue.produce(1).expect("open");
    queue.close();
    assert_eq!(queue.produce(2), Err(2));
    assert_eq!(queue.consume(), Some(1));
    assert_eq!(queue.consume(), None);

    explore(|| {
        let queue = Arc::new(bounded::ProducerConsumerQueue::<Loom, u32>::new(1));
        let consumers = ["C0", "C1"].map(|name| {
            let queue = queue.clone();
            Loom::spawn(name, move || queue.consume())
        });
        queue.close();
        assert_eq!(consumers.map(JoinApi::join), [None, None]);
    })
    .assert_holds();
}

/// Capacity: with one item waiting in a queue of capacity 1, a second `produce` blocks — until a
/// consumer makes space. (Gated on real threads: the consumer takes only once the producer waits.)
#[test]
fn fixed_producer_consumer_blocks_at_capacity() {
    let (outcome, _trace) = on_real_threads(|| {
        let queue = Arc::new(bounded::ProducerConsumerQueue::<Std, u32>::new(1));
        queue.produce(1).expect("open");
        let producer = {
            let queue = queue.clone();
            Std::spawn("producer", move || queue.produce(2))
        };
        wait::until("the producer waits for space", || wait::blocked("producer"));
        let first = queue.consume();
        producer.join().expect("open");
        (first, queue.consume())
    });
    assert_eq!(outcome.expect_finished(), (Some(1), Some(2)));
}

/// The same with the channel a professional would use: `try_send` on a full `sync_channel` says
/// `Full` instead of blocking, and hands the item back.
#[test]
fn fixed_producer_consumer_channel_is_full_at_capacity() {
    let (tx, rx) = mpsc::sync_channel::<u32>(1);
    tx.try_send(1).expect("room for one");
    assert_eq!(tx.try_send(2), Err(TrySendError::Full(2)));
    assert_eq!(rx.recv(), Ok(1));
    tx.try_send(2).expect("room again");
    drop(tx); // close: the receiver drains what is left, then gets Err
    assert_eq!(rx.recv(), Ok(2));
    assert!(rx.recv().is_err());
}

/// The channel under the R6 check on real threads: the consumer waits in `recv()`, gets the
/// item, then `None` once the producer has hung up.
#[test]
fn fixed_producer_consumer_channel_delivers_then_closes() {
    let (outcome, _trace) = on_real_threads(channel::one_item);
    assert_eq!(outcome.expect_finished(), (Some(1), None));
}

/// Two producers and two consumers on a queue of capacity 1: every item is consumed exactly once,
/// and nobody is left waiting. Four threads on one lock are too many to search exhaustively (loom
/// needs 180,000+ interleavings, minutes), so this tries every schedule with at most two
/// preemptions: the bound loom recommends, not a proof.
#[test]
fn fixed_producer_consumer_two_by_two_consumes_each_item_once() {
    let search = explore_bounded(2, || {
        let queue = Arc::new(bounded::ProducerConsumerQueue::<Loom, u32>::new(1));
        let producers = [("P0", 1), ("P1", 2)].map(|(name, item)| {
            let queue = queue.clone();
            Loom::spawn(name, move || queue.produce(item).expect("open"))
        });
        let consumers = ["C0", "C1"].map(|name| {
            let queue = queue.clone();
            Loom::spawn(name, move || queue.consume())
        });
        for producer in producers {
            producer.join();
        }
        let mut got = consumers.map(JoinApi::join);
        got.sort();
        assert_eq!(got, [Some(1), Some(2)]);
    });
    search.assert_holds();
}
