//! The deadlock watchdog: run a scenario on real threads, and give up on it — not hang — when it
//! stops making progress.
//!
//! A deadlocked thread cannot be killed or unblocked from outside, so the watchdog runs the scenario
//! on its own thread (signed `main` in the trace) and waits for its result with a timeout. On
//! timeout it reports [`Watched::Hung`] with each thread's last words — "T0: wants B (held by
//! T1)" — and leaves the stuck threads behind: they hold nothing anyone else needs and die with the
//! process. This is how every deadlock demo and test in racelab exits by itself.
//!
//! The timeout is not what orders anything: deadlocks are forced with gates, so a broken scenario
//! is stuck for certain and the timeout only bounds how long we look at it.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::sync::{JoinApi, Primitives, Std};
use crate::trace::{Line, Trace};

/// How long deadlock demos wait before declaring a deadlock. Forced deadlocks never resolve, and
/// the fixed scenarios finish in microseconds, so this only bounds the wait.
pub const DEADLOCK_TIMEOUT: Duration = Duration::from_millis(1000);

/// What became of a watched scenario.
#[derive(Debug)]
pub enum Watched<T> {
    /// It finished, with this result.
    Finished(T),
    /// It was still running when the timeout passed.
    Hung {
        /// How long we waited.
        waited: Duration,
    },
}

/// Runs `scenario` on a new thread named `main` (which inherits the current trace) and waits up to
/// `timeout` for it. A panic in the scenario is re-raised here.
pub fn run<T, F>(timeout: Duration, scenario: F) -> Watched<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let (done, result) = mpsc::channel();
    let handle = Std::spawn("main", move || {
        let value = scenario();
        let _ = done.send(value);
    });
    match result.recv_timeout(timeout) {
        Ok(value) => Watched::Finished(value),
        Err(mpsc::RecvTimeoutError::Timeout) => Watched::Hung { waited: timeout },
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            // The scenario panicked before sending: join re-raises the panic with its message.
            JoinApi::join(handle);
            unreachable!("a scenario that returns always sends its result")
        }
    }
}

/// Each thread's last line, in order of first appearance: what every thread was doing when the
/// world stopped.
pub fn last_words(trace: &Trace) -> Vec<Line> {
    let mut last: Vec<Line> = Vec::new();
    for line in trace.lines() {
        match last.iter_mut().find(|l| l.actor == line.actor) {
            Some(slot) => *slot = line,
            None => last.push(line),
        }
    }
    last
}

/// A gate on state that says nothing: polls `ready` until it returns true, or `timeout` passes.
/// Returns whether it became true.
///
/// For conditions no thread narrates — "a writer has queued inside parking_lot's `RwLock`", "the
/// deadlock detector sees a cycle" — where [`Trace::wait_for`] has no line to wait for. It orders
/// nothing by time: it waits for the condition itself, yielding between looks, and the timeout only
/// bounds how long a demo that went wrong keeps looking. Never use it under loom.
pub fn wait_until(timeout: Duration, mut ready: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if ready() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::yield_now();
    }
}
