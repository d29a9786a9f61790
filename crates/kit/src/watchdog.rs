//! The deadlock watchdog: run a scenario on real threads, and give up on it — not hang — when it
//! stops making progress.
//!
//! A deadlocked thread cannot be killed or unblocked from outside, so the watchdog runs the scenario
//! on its own thread (signed `main` in the trace) and watches two things: its result, and the
//! trace installed on the calling thread. Every step a demo narrates is progress. When the trace
//! has not grown for the idle timeout ([`DEADLOCK_TIMEOUT`]), the watchdog reports
//! [`Watched::Hung`]; the demo then prints each thread's last words — "T0: wants B (held by T1)" —
//! and the stuck threads are left behind: they hold nothing anyone else needs and die with the
//! process. This is how every deadlock demo and test in racelab exits by itself.
//!
//! Why idle time and not a deadline: a correct scenario on a loaded CI machine (fsyncs, two cores
//! shared with loom searches and compilers) may take seconds in total, but it keeps saying
//! things; a deadlocked one says nothing ever again. A scenario with no trace installed falls back
//! to the idle timeout as a plain deadline. [`HARD_LIMIT`] bounds any scenario that keeps talking.
//!
//! Timeouts order nothing: deadlocks are forced with gates, so a broken scenario is stuck for
//! certain and the timeout only bounds how long we look at it.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::sync::{Primitives, Std};
use crate::trace::{self, Line, Trace};

/// How long a watched scenario may go without a new trace line before it counts as stuck.
pub const DEADLOCK_TIMEOUT: Duration = Duration::from_millis(1000);

/// The bound for a gate (`Trace::wait_for`) in a real-thread scenario. Gates open in microseconds;
/// this generous bound only turns a mistake in a scenario into a clear panic instead of a hang.
pub const GATE_TIMEOUT: Duration = Duration::from_secs(10);

/// No watched scenario runs longer than this, however much it says.
pub const HARD_LIMIT: Duration = Duration::from_secs(60);

/// How often the watchdog looks at the trace.
const POLL: Duration = Duration::from_millis(20);

/// What became of a watched scenario.
#[derive(Debug)]
pub enum Watched<T> {
    /// It finished, with this result.
    Finished(T),
    /// It stopped making progress: nothing new was said for `waited`.
    Hung {
        /// The idle time after which it counted as stuck.
        waited: Duration,
    },
}

impl<T> Watched<T> {
    /// The scenario's result; panics (naming how long it was idle) if it did not finish. For tests
    /// and twins whose scenario must finish: `watchdog::run(…).expect_finished()`.
    #[track_caller]
    pub fn expect_finished(self) -> T {
        match self {
            Watched::Finished(value) => value,
            Watched::Hung { waited } => {
                panic!("expected the scenario to finish, but it made no progress for {waited:?}")
            }
        }
    }
}

/// Runs `scenario` on a new thread named `main` (which inherits the current trace) and waits for
/// it until the trace has been silent for `idle`. A panic in the scenario is re-raised here.
pub fn run<T, F>(idle: Duration, scenario: F) -> Watched<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let (done, result) = mpsc::channel();
    let handle = Std::spawn("main", move || {
        let value = scenario();
        let _ = done.send(value);
    });
    let trace = trace::current();
    let started = Instant::now();
    let (mut said, mut last_progress) = (trace.as_ref().map_or(0, Trace::len), started);
    loop {
        match result.recv_timeout(POLL) {
            Ok(value) => return Watched::Finished(value),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                // The scenario panicked before sending: join re-raises the panic with its message.
                handle.join();
                unreachable!("a scenario that returns always sends its result")
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let now = Instant::now();
                let len = trace.as_ref().map_or(0, Trace::len);
                if len != said {
                    (said, last_progress) = (len, now);
                }
                if now - last_progress >= idle || now - started >= HARD_LIMIT {
                    return Watched::Hung { waited: idle };
                }
            }
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
