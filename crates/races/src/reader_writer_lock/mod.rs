//! R7 `reader_writer_lock` — a read inside a read deadlocks once a writer queues between them.
//!
//! Ports the guide's "Reader-Writer Lock Implementation" (L4493–4614): a `ReaderWriterLock<T>` built
//! from a concurrent queue with barrier writes, and a `ConfigurationManager` on top. As a
//! primitive it is right (see [`rwlock`]). What the guide does not say is that such a lock must
//! never be re-entered — and it recommends the very policy that makes re-entering deadlock:
//! "Consider giving writers priority to prevent starvation" (L4541).
//!
//! * **The deadlock, on real threads.** Thread A summarises the settings: it reads, and from
//!   inside that read calls `get_value`, which reads again. Thread B asks to write in between. A
//!   writer-preferring lock (parking_lot's, and std's on Linux) turns A's second read away because
//!   B is queued; B waits for A's first read to end; A waits for B. Gates force that order — A's
//!   second read waits until B has queued, which [`rwlock::ReaderWriterLock::writer_queued`] can
//!   see — and the [`watchdog`] proves the deadlock at once: every thread waits ("A waits to read
//!   config behind a queued writer; B waits for config held by A") and nothing is left to wake any.
//! * **Not loom.** loom's `RwLock` lets a reader in whenever no writer *holds* the lock, so the
//!   interleaving loom would need does not exist in its model; the fairness policy is the bug here,
//!   and only the real lock has it.
//! * **The fix:** never re-enter. The summary uses the settings its read was handed (`fixed.rs`,
//!   one line). The alternative, `read_recursive`, is shown by [`recursive_reads`]: it cannot
//!   deadlock, and it lets readers overtake a queued writer — the writer starvation the guide
//!   warns about (L4536).
//!
//! The Swift original has the same bug: a `queue.sync` from inside a `queue.sync` block on the
//! same concurrent queue is submitted *after* any barrier queued meanwhile, and "the queue delays
//! the execution of the barrier block (and any tasks submitted after the barrier) until all
//! previously submitted tasks finish" (Apple, Dispatch Barrier). A `write` inside a `read`
//! deadlocks even with no other thread: `sync` with a barrier onto the current queue.
//!
//! [`std_read_twice`] shows that `std::sync::RwLock` behaves the same on Linux (its futex lock
//! refuses new readers while a writer waits); std documents the policy as OS-dependent.
//!
//! [`cache`] and `benches/rwlock_vs_mutex.rs` measure when a reader-writer lock is slower than a
//! mutex, even for a cache that is only read.

use std::collections::HashMap;
use std::sync::{Arc, RwLock as StdRwLock, TryLockError};

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::sync::prelude::*;
use racelab_kit::trace::{Trace, traced};
use racelab_kit::wait::{self, Resource};
use racelab_kit::watchdog::{self, Outcome};
use racelab_kit::{say, step};

pub mod broken;
pub mod cache;
pub mod fixed;
pub mod rwlock;

use broken::Settings;
use rwlock::{READS, ReaderWriterLock, STOPS_READING};

/// What the checks need from either twin; each twin implements it in its own file.
pub trait Manager: Send + Sync + 'static {
    /// A manager holding `initial`.
    fn new(initial: Settings) -> Self;
    /// The summary that reads twice (broken) or once (fixed).
    fn describe(&self, work: impl FnOnce()) -> String;
    /// Sets one setting.
    fn set_value(&self, key: &str, value: &str);
    /// One setting.
    fn get_value(&self, key: &str) -> Option<String>;
    /// The lock, for the gate.
    fn lock(&self) -> &ReaderWriterLock<Settings>;
}

/// The settings every scenario starts with: a light theme and a serif font.
pub fn initial_settings() -> Settings {
    HashMap::from([
        ("theme".to_string(), "light".to_string()),
        ("font".to_string(), "serif".to_string()),
    ])
}

// ANCHOR: gated
/// A calls `describe` while B calls `set_value("theme", "dark")`, on real threads. B starts once A
/// holds its read lock; A's `work` — between its first read and whatever it does next — waits
/// until B has queued for the write lock. Every step then happens in one order, so the narration
/// is the same on every run. Returns A's summary.
pub fn gated<M: Manager>(manager: Arc<M>) -> Outcome<String> {
    watchdog::watch(move || {
        let a = {
            let manager = manager.clone();
            Std::spawn("A", move || {
                let queued = || manager.lock().writer_queued();
                manager.describe(|| {
                    wait::until("B queues for the write lock", queued);
                    say!("sees B queued for the write lock: new readers must wait");
                })
            })
        };
        wait::until("A reads", || wait::reached("A", READS));
        let b = {
            let manager = manager.clone();
            Std::spawn("B", move || manager.set_value("theme", "dark"))
        };
        let summary = a.join();
        b.join();
        say!("A's summary: {summary}");
        summary
    })
}
// ANCHOR_END: gated

/// Runs the gated scenario for one twin and returns its trace.
pub fn run_gated(variant: Variant) -> (Outcome<String>, Trace) {
    match variant {
        Variant::Broken => {
            let manager = Arc::new(broken::ConfigurationManager::new(initial_settings()));
            traced(|_| gated(manager))
        }
        Variant::Fixed => {
            let manager = Arc::new(fixed::ConfigurationManager::new(initial_settings()));
            traced(|_| gated(manager))
        }
    }
}

// ANCHOR: read_recursive
/// The other way out: `read_recursive`. A reads, B queues to write, A reads again with
/// `read_recursive` — and gets in. Then C, a plain reader that arrives *after* B, also uses
/// `read_recursive` while A still reads, and gets in ahead of B too. With `read` C would have
/// waited; with `read_recursive`, as long as some reader is inside, B never gets its turn.
pub fn recursive_reads() -> Outcome<()> {
    watchdog::watch(move || {
        let lock = Arc::new(ReaderWriterLock::new("config", initial_settings()));
        let a = {
            let lock = lock.clone();
            Std::spawn("A", move || {
                lock.read(|_| {
                    wait::until("B queues", || lock.writer_queued());
                    say!("sees B queued for the write lock");
                    lock.read_recursive(|_| {});
                    wait::until("C stops reading", || wait::reached("C", STOPS_READING));
                })
            })
        };
        wait::until("A reads", || wait::reached("A", READS));
        let b = {
            let lock = lock.clone();
            Std::spawn("B", move || lock.write(|_| {}))
        };
        wait::until("A stops its inner read", || {
            wait::reached("A", STOPS_READING)
        });
        let c = {
            let lock = lock.clone();
            Std::spawn("C", move || lock.read_recursive(|_| {}))
        };
        a.join();
        b.join();
        c.join();
    })
}
// ANCHOR_END: read_recursive

// ANCHOR: std_read_twice
/// The same three steps on `std::sync::RwLock`, no wrapper: A reads; B asks to write; once B has
/// queued, A reads again. "Queued" is seen through `try_read`: while A holds a read lock, std's
/// futex lock (Linux) refuses another reader only when a writer is waiting. Whether the second
/// `read` then blocks is the platform's policy — std leaves it to the OS. (`waits` records each
/// wait for the watchdog, which is what lets it prove the deadlock.)
pub fn std_read_twice() -> Outcome<()> {
    watchdog::watch(move || {
        let lock = Arc::new(StdRwLock::new(0));
        let waits = Arc::new(Resource::new("the RwLock"));
        let a = {
            let (lock, waits) = (lock.clone(), waits.clone());
            Std::spawn("A", move || {
                let outer = waits.read(|| lock.try_read().ok(), || lock.read().unwrap());
                step!(READS);
                let refused = || matches!(lock.try_read(), Err(TryLockError::WouldBlock));
                wait::until("try_read is refused", refused);
                say!("sees try_read refused: B is queued");
                say!("wants to read again");
                let inner = waits.read(|| lock.try_read().ok(), || lock.read().unwrap());
                say!("reads again");
                waits.unlock(|| drop(inner));
                waits.unlock(|| drop(outer));
            })
        };
        wait::until("A reads", || wait::reached("A", READS));
        let b = {
            let (lock, waits) = (lock.clone(), waits.clone());
            Std::spawn("B", move || {
                say!("wants to write");
                let write = waits.lock(|| lock.write().unwrap());
                say!("writes");
                waits.unlock(|| drop(write));
            })
        };
        a.join();
        b.join();
    })
}
// ANCHOR_END: std_read_twice

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "R7",
    name: "reader_writer_lock",
    summary: "a read inside a read deadlocks once a writer queues between them; never re-enter",
    run: demo,
};

/// The demo: the gated scenario on real threads, under the watchdog.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading("real threads: A summarises the settings while B changes the theme");
    let (outcome, trace) = run_gated(variant);
    report.trace(&trace);
    let bug = match outcome {
        Outcome::Finished(_) => {
            report.line("=> both threads finished.");
            None
        }
        Outcome::Deadlocked(proof) => Some(format!("deadlock: {}", report.deadlocked(&proof))),
        // The backstop proves nothing: it can fail the fixed twin, never catch the broken one.
        Outcome::Stalled { idle } => report.stall(idle, &trace),
    };
    report.conclude(
        bug,
        "A's summary finishes while B waits to write; then B writes",
    );
    report
}
