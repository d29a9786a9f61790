//! The kit's small synchronization helpers, each held to what its documentation promises: the
//! `Gauge` (now and peak), the `Latch` (closed until opened, for good; who is blocked on it), the
//! `NamedMutex` (its name, its holder, its data) and `lock_unpoisoned` / `Joined::thread` of the
//! sync facade. Written for `scripts/mutants`, which showed these promises untested; every wait
//! here is on something the test can see (a waiter counted in, a channel), never on the clock.

use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use racelab_kit::gauge::Gauge;
use racelab_kit::latch::Latch;
use racelab_kit::lock::NamedMutex;
use racelab_kit::sync::{Primitives, Std, lock_unpoisoned};
use racelab_kit::watchdog::GATE_TIMEOUT;

/// Waits until `ready()` holds, looking again after each yield; panics after the gate timeout
/// (a bound on a broken test, not a timing assumption).
fn until(what: &str, ready: impl Fn() -> bool) {
    let deadline = Instant::now() + GATE_TIMEOUT;
    while !ready() {
        assert!(Instant::now() < deadline, "gave up waiting until {what}");
        std::thread::yield_now();
    }
}

/// `now` counts who is inside (each guard counts itself out when dropped); `peak` is the most
/// there ever were at once, and stays.
#[test]
fn a_gauge_counts_who_is_inside_and_keeps_the_peak() {
    let gauge = Gauge::new();
    assert_eq!((gauge.now(), gauge.peak()), (0, 0));
    let a = gauge.enter();
    let b = gauge.enter();
    assert_eq!((gauge.now(), gauge.peak()), (2, 2));
    drop(a);
    assert_eq!((gauge.now(), gauge.peak()), (1, 2));
    let c = gauge.enter();
    assert_eq!((gauge.now(), gauge.peak()), (2, 2));
    let d = gauge.enter();
    assert_eq!((gauge.now(), gauge.peak()), (3, 3));
    drop((b, c, d));
    assert_eq!((gauge.now(), gauge.peak()), (0, 3));
}

/// A closed latch: not open, nobody counted as waiting; a bounded wait on it gives up, says so, and
/// leaves nobody counted.
#[test]
fn a_closed_latch_times_out_and_counts_nobody_afterwards() {
    let latch = Latch::new();
    assert!(!latch.is_open());
    assert_eq!(latch.waiting(), 0);
    assert!(!latch.wait_timeout(Duration::ZERO));
    assert_eq!(latch.waiting(), 0);
    assert!(!latch.is_open());
}

/// `wait` blocks until the latch opens: the waiter is counted in while it is blocked, still finds
/// the latch closed there, returns once it is opened — and then nobody is counted.
#[test]
fn wait_blocks_until_the_latch_opens() {
    let latch = Arc::new(Latch::new());
    let (returned, returned_rx) = mpsc::channel();
    let waiter = {
        let latch = latch.clone();
        std::thread::spawn(move || {
            latch.wait();
            returned.send(latch.is_open()).unwrap();
        })
    };
    until("the waiter is blocked", || latch.waiting() == 1);
    assert!(!latch.is_open());
    latch.open();
    assert_eq!(
        returned_rx.recv_timeout(GATE_TIMEOUT),
        Ok(true),
        "wait returned while the latch was still closed"
    );
    waiter.join().unwrap();
    assert_eq!(latch.waiting(), 0);
}

/// A bounded wait that the opening ends in time returns `true`, and counts the waiter out.
#[test]
fn wait_timeout_returns_true_when_opened_while_it_waits() {
    let latch = Arc::new(Latch::new());
    let waiter = {
        let latch = latch.clone();
        std::thread::spawn(move || latch.wait_timeout(GATE_TIMEOUT))
    };
    until("the waiter is blocked", || latch.waiting() == 1);
    latch.open();
    assert!(waiter.join().unwrap(), "the waiter saw the latch open");
    assert_eq!(latch.waiting(), 0);
}

/// Once open, a latch stays open: waiting on it returns at once, is not counted, and opening it
/// again changes nothing.
#[test]
fn an_open_latch_stays_open_and_lets_everyone_through() {
    let latch = Latch::new();
    latch.open();
    latch.wait();
    assert!(latch.wait_timeout(Duration::ZERO));
    latch.open();
    assert!(latch.is_open());
    assert_eq!(latch.waiting(), 0);
}

/// A named mutex keeps its name, knows who holds it (and that nobody does once the guard is
/// dropped), and guards its data.
#[test]
fn a_named_mutex_knows_its_name_holder_and_data() {
    let lock = NamedMutex::<Std, u32>::new("ledger", 41);
    assert_eq!(lock.name(), "ledger");
    assert_eq!(lock.holder(), None);
    let held_by = Std::spawn("T1", {
        let lock = Arc::new(lock);
        move || {
            let mut guard = lock.lock();
            *guard += 1;
            let held_by = lock.holder();
            drop(guard);
            (held_by, lock.holder(), *lock.lock())
        }
    })
    .join();
    assert_eq!(held_by, (Some("T1".to_string()), None, 42));
}

/// `lock_unpoisoned` hands back the data of a mutex that a panicking thread poisoned.
#[test]
fn lock_unpoisoned_takes_the_data_of_a_poisoned_mutex() {
    let data = Arc::new(Mutex::new(7));
    let d = data.clone();
    let panicked = std::thread::spawn(move || {
        let _guard = d.lock().unwrap();
        panic!("poisons the lock");
    })
    .join();
    assert!(panicked.is_err() && data.is_poisoned());
    assert_eq!(*lock_unpoisoned(&data), 7);
}

/// A spawned thread's handle names the thread it was given.
#[test]
fn a_spawned_thread_is_named() {
    let handle = Std::spawn("T1", || ());
    assert_eq!(handle.thread().name(), Some("T1"));
    handle.join();
}
