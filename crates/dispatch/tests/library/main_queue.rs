//! `MainQueue`: a serial queue drained by the run loop of the thread that made it. Jobs run on that
//! thread, signed `main`; other threads `dispatch_async` and `sync` onto it; the owner's own `sync`
//! is refused.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use racelab_dispatch::main_queue::MainQueue;
use racelab_dispatch::serial_queue::{SerialQueue, SyncError};
use racelab_kit::say;
use racelab_kit::trace::{Trace, said};

fn soon() -> Instant {
    Instant::now() + racelab_kit::watchdog::GATE_TIMEOUT
}

/// Jobs queued from another thread run on the owning thread, in order, only when it runs its loop.
#[test]
fn jobs_from_other_threads_run_on_the_owner_in_order() {
    let (main, run_loop) = MainQueue::new();
    let owner = std::thread::current().id();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let worker = {
        let (main, seen) = (main.clone(), seen.clone());
        std::thread::spawn(move || {
            for i in 0..5 {
                let seen = seen.clone();
                main.dispatch_async(move || {
                    seen.lock().unwrap().push((i, std::thread::current().id()))
                });
            }
        })
    };
    worker.join().unwrap();
    assert!(
        seen.lock().unwrap().is_empty(),
        "nothing runs outside the loop"
    );
    assert_eq!(run_loop.run_until_idle(), 5);
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen, (0..5).map(|i| (i, owner)).collect::<Vec<_>>());
}

/// `sync` from a background thread returns the value; the owner runs its loop until it is done.
/// Lines of main-queue jobs are signed `main`.
#[test]
fn sync_from_a_background_queue_returns_the_value() {
    let trace = Trace::new();
    let _installed = trace.install();
    let (main, run_loop) = MainQueue::new();
    let done = Arc::new(AtomicBool::new(false));
    let background = SerialQueue::new("background");
    {
        let (main, done) = (main.clone(), done.clone());
        background.dispatch_async(move || {
            say!("fetches the data");
            let shown = main.sync(|| {
                say!("updates the UI");
                7
            });
            say!("hears back {shown:?}");
            // Tell main the way main hears everything: with a job (`run_until` looks after jobs).
            main.dispatch_async(move || done.store(true, Ordering::SeqCst));
        });
    }
    assert!(run_loop.run_until(soon(), || done.load(Ordering::SeqCst)));
    let said: Vec<String> = said(trace.lines());
    assert_eq!(
        said,
        [
            "background: fetches the data",
            "background: waits for main to run its sync job",
            "main: updates the UI",
            "background: hears back Ok(7)",
        ]
    );
}

/// The owner's own `sync` — outside any job, or inside one — is refused at once: nobody else can
/// run the job while the owner waits.
#[test]
fn sync_from_the_owning_thread_is_refused() {
    let (main, run_loop) = MainQueue::new();
    let refused = Err(SyncError::WouldDeadlock {
        label: "main".into(),
    });
    assert_eq!(main.sync(|| ()), refused);
    assert!(main.is_current());
    let inner = Arc::new(Mutex::new(None));
    {
        let (m, inner) = (main.clone(), inner.clone());
        main.dispatch_async(move || *inner.lock().unwrap() = Some(m.sync(|| ())));
    }
    run_loop.run_until_idle();
    assert_eq!(inner.lock().unwrap().clone(), Some(refused));
}

/// Through another queue: the owner syncs onto a serial queue whose job syncs back onto main. The
/// owner is blocked in the first `sync`, so the second could never run — refused via the shared key.
#[test]
fn sync_back_onto_main_through_a_serial_queue_is_refused() {
    let (main, _run_loop) = MainQueue::new();
    let queue = SerialQueue::new("q");
    let m = main.clone();
    let inner = queue.sync(move || (m.is_current(), m.sync(|| ())));
    assert_eq!(
        inner,
        Ok((
            true,
            Err(SyncError::WouldDeadlock {
                label: "main".into()
            })
        ))
    );
}

/// Other threads are not on the main queue, and the owner stops being on it when its loop goes.
#[test]
fn only_the_owner_is_current() {
    let (main, run_loop) = MainQueue::new();
    let m = main.clone();
    assert!(!std::thread::spawn(move || m.is_current()).join().unwrap());
    drop(run_loop);
    assert!(!main.is_current());
}

/// `run_until` gives up at its deadline when the condition never holds, and reports it.
#[test]
fn run_until_stops_at_the_deadline() {
    let (_main, run_loop) = MainQueue::new();
    assert!(!run_loop.run_until(Instant::now() + Duration::from_millis(10), || false));
}

/// Every main queue is labelled `main`.
#[test]
fn the_label_is_main() {
    let (main, _run_loop) = MainQueue::new();
    assert_eq!(main.label(), "main");
}

/// Once the owner's run loop is gone, the owner's own `sync` is still refused as a deadlock, and a
/// `sync` from another thread is told the job never ran instead of waiting forever.
#[test]
fn sync_after_the_run_loop_is_gone_is_refused_not_hung() {
    let (main, run_loop) = MainQueue::new();
    drop(run_loop);
    assert_eq!(
        main.sync(|| ()),
        Err(SyncError::WouldDeadlock {
            label: "main".into()
        })
    );
    let m = main.clone();
    let from_elsewhere = std::thread::spawn(move || m.sync(|| ())).join().unwrap();
    assert_eq!(
        from_elsewhere,
        Err(SyncError::JobPanicked {
            label: "main".into()
        })
    );
}

/// `run_until` returns as soon as `done()` holds — here after the job that makes it true — and
/// when every handle is gone (nothing more can come) it answers at once, long before its deadline.
#[test]
fn run_until_returns_when_done_holds_or_nothing_more_can_come() {
    let (main, run_loop) = MainQueue::new();
    let done = Arc::new(AtomicBool::new(false));
    let d = done.clone();
    main.dispatch_async(move || d.store(true, Ordering::SeqCst));
    assert!(run_loop.run_until(soon(), || done.load(Ordering::SeqCst)));
    drop(main);
    let far = Instant::now() + Duration::from_secs(3600);
    assert!(!run_loop.run_until(far, || false));
}
