//! The library's `DispatchSemaphore`, under loom: with one permit it is a lock (no lost update,
//! never two holders) — and with two permits loom finds the lost update, so the model really
//! exercises the permit count; a `new(0)` semaphore hands a signal over without a lost wake-up.
//! Then the real-thread API: `try_wait`, `wait_timeout`, permits returned on drop.

use std::sync::Arc;
use std::time::Duration;

use racelab_dispatch::semaphore::{DispatchSemaphore, TimedOut};
use racelab_kit::explore::explore;
use racelab_kit::say;
use racelab_kit::sync::{AtomicUsizeApi, JoinApi, Loom, Ordering::SeqCst, Primitives, Std};
use racelab_kit::watchdog::GATE_TIMEOUT;

/// Two threads each take a permit and increment a shared count by read-then-write (not atomic, on
/// purpose). Afterwards the count must be 2.
fn two_increments<P: Primitives>(permits: usize) {
    let semaphore = Arc::new(DispatchSemaphore::<P>::new_in(permits));
    let count = Arc::new(P::AtomicUsize::new(0));
    let threads: Vec<_> = ["T0", "T1"]
        .into_iter()
        .map(|name| {
            let (semaphore, count) = (semaphore.clone(), count.clone());
            P::spawn(name, move || {
                let _permit = semaphore.acquire();
                let seen = count.load(SeqCst);
                say!("takes a permit, reads {seen}");
                count.store(seen + 1, SeqCst);
            })
        })
        .collect();
    threads.into_iter().for_each(JoinApi::join);
    let count = count.load(SeqCst);
    if count != 2 {
        panic!("lost update: 2 increments, count {count}");
    }
}

#[test]
fn one_permit_is_a_lock_in_every_interleaving() {
    let search = explore(|| two_increments::<Loom>(1));
    search.assert_holds();
    assert!(search.interleavings > 1);
}

#[test]
fn two_permits_let_both_in_and_loom_finds_the_lost_update() {
    let search = explore(|| two_increments::<Loom>(2));
    let failure = search.expect_failure();
    assert_eq!(failure.message, "lost update: 2 increments, count 1");
}

/// `new(0)` as a signal: T0 waits, main signals; loom would report a lost wake-up as a deadlock.
fn handoff<P: Primitives>() {
    let semaphore = Arc::new(DispatchSemaphore::<P>::new_in(0));
    let s = semaphore.clone();
    let waiter = P::spawn("T0", move || s.wait());
    semaphore.signal();
    waiter.join();
    assert_eq!(semaphore.available(), 0);
}

#[test]
fn a_signal_is_never_lost_in_any_interleaving() {
    explore(handoff::<Loom>).assert_holds();
}

#[test]
fn the_models_hold_on_real_threads() {
    two_increments::<Std>(1);
    handoff::<Std>();
}

/// Permits come back when their guards drop; `try_wait` never blocks.
#[test]
fn permits_return_on_drop_and_try_wait_never_blocks() {
    let semaphore = Arc::new(DispatchSemaphore::new(2));
    let a = semaphore.acquire();
    let b = semaphore.acquire_owned();
    assert_eq!(semaphore.available(), 0);
    assert!(!semaphore.try_wait());
    std::thread::spawn(move || drop(b)).join().unwrap();
    assert_eq!(semaphore.available(), 1);
    drop(a);
    assert_eq!(semaphore.available(), 2);
    assert!(semaphore.try_wait());
    assert_eq!(semaphore.available(), 1);
}

/// `wait_timeout` takes the permit it returns with: the count goes down by one.
#[test]
fn wait_timeout_takes_a_free_permit() {
    let semaphore = DispatchSemaphore::new(2);
    assert_eq!(semaphore.wait_timeout(Duration::ZERO), Ok(()));
    assert_eq!(semaphore.available(), 1);
    assert_eq!(semaphore.wait_timeout(Duration::ZERO), Ok(()));
    assert_eq!(semaphore.available(), 0);
    assert!(!semaphore.try_wait());
}

/// `wait_timeout` waits for a permit that is signalled while it waits (a thread signals once main
/// has released it, right before main starts waiting — well inside the generous timeout), and
/// takes it.
#[test]
fn wait_timeout_takes_a_permit_signalled_while_it_waits() {
    let semaphore = Arc::new(DispatchSemaphore::new(0));
    let (go, gate) = std::sync::mpsc::channel::<()>();
    let s = semaphore.clone();
    let signaller = std::thread::spawn(move || {
        gate.recv_timeout(GATE_TIMEOUT)
            .expect("main opens the gate");
        s.signal();
    });
    go.send(()).unwrap();
    assert_eq!(semaphore.wait_timeout(GATE_TIMEOUT), Ok(()));
    signaller.join().unwrap();
    assert_eq!(semaphore.available(), 0);
}

/// `wait_timeout` gives up when no permit comes, and takes one that is there. (The timeout is
/// the thing under test; nothing is ordered by it.)
#[test]
fn wait_timeout_reports_timed_out() {
    let semaphore = DispatchSemaphore::new(0);
    assert_eq!(
        semaphore.wait_timeout(Duration::from_millis(20)),
        Err(TimedOut)
    );
    semaphore.signal();
    assert_eq!(semaphore.wait_timeout(Duration::ZERO), Ok(()));
}
