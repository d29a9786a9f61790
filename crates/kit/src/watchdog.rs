//! The deadlock watchdog: run a scenario on real threads, and come back — not hang — when it is
//! proven deadlocked.
//!
//! A deadlocked thread cannot be killed or unblocked from outside, so [`watch`] runs the scenario
//! on its own thread (signed `main` in the trace) inside a fresh wait-for registry (see
//! [`crate::wait`]): every thread the scenario spawns through the facade joins it, and every kit
//! wait — [`NamedMutex`](crate::lock::NamedMutex), [`NamedRwLock`](crate::lock::NamedRwLock),
//! [`NamedCondvar`](crate::lock::NamedCondvar), [`Latch`](crate::latch::Latch), `handle.join()`,
//! and any library wait recorded with [`Resource`](crate::wait::Resource) — says what it waits on
//! before it blocks. The watchdog looks at that graph at every change and returns
//! [`Outcome::Deadlocked`] the moment it holds a proof:
//!
//! * a **cycle** — "T0 waits for lock2 held by T1; T1 waits for lock1 held by T0"; or
//! * **everyone blocked** — every live thread of the scenario in a recorded wait that nothing is
//!   left to end ("main waits for consumer to finish; consumer waits for condition; …").
//!
//! The stuck threads are left behind: they hold nothing anyone else needs and die with the
//! process. A proof takes no time to wait for, and depends on none: a slow `fsync` or a thread
//! the OS descheduled is not in a recorded wait, so it can never be read as a deadlock.
//!
//! What no kit wrapper records (a raw `std` lock, a channel of another library) can still hang; for
//! that the watchdog keeps a generous backstop — nothing said, recorded or finished for
//! [`BACKSTOP`] (10 s), or [`HARD_LIMIT`] in all — reported as [`Outcome::Stalled`], a different
//! outcome that no twin's verdict relies on.
//!
//! Timeouts order nothing: deadlocks are forced with gates ([`crate::wait::until`]), so a broken
//! scenario is stuck for certain, and the proof says so as soon as it is.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::trace::{self, Line, Trace};
use crate::wait::Membership;

pub use crate::wait::{BACKSTOP, Blocked, Deadlock, GATE_TIMEOUT, HARD_LIMIT};

/// What became of a scenario under [`watch`].
#[derive(Debug)]
pub enum Outcome<T> {
    /// It finished, with this result.
    Finished(T),
    /// It is proven deadlocked: a cycle of waits, or every thread blocked with nothing left to
    /// wake it.
    Deadlocked(Deadlock),
    /// The backstop: nothing finished, was proven, said or recorded for `idle`. Something waits
    /// where no kit wrapper records it; no verdict relies on this.
    Stalled {
        /// How long it was idle.
        idle: Duration,
    },
}

impl<T> Outcome<T> {
    /// The scenario's result; panics with what became of it otherwise. For tests and twins whose
    /// scenario must finish: `watchdog::watch(…).expect_finished()`.
    #[track_caller]
    pub fn expect_finished(self) -> T {
        match self {
            Outcome::Finished(value) => value,
            Outcome::Deadlocked(proof) => {
                panic!("expected the scenario to finish, but it deadlocked: {proof}")
            }
            Outcome::Stalled { idle } => {
                panic!("expected the scenario to finish, but it stalled for {idle:?}")
            }
        }
    }

    /// The proof; panics if the scenario was not proven deadlocked.
    #[track_caller]
    pub fn expect_deadlock(self) -> Deadlock {
        match self {
            Outcome::Deadlocked(proof) => proof,
            Outcome::Finished(_) => panic!("expected a deadlock, but the scenario finished"),
            Outcome::Stalled { idle } => {
                panic!("expected a proven deadlock, but the scenario only stalled for {idle:?}")
            }
        }
    }
}

/// Runs `scenario` on a new thread named `main` (which inherits the current trace) inside a fresh
/// wait-for registry, and waits until it finishes, is proven deadlocked, or stalls past the
/// backstop. A panic in the scenario is re-raised here.
pub fn watch<T, F>(scenario: F) -> Outcome<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let (done, result) = mpsc::channel();
    let (registry, member) = Membership::new_scope("main");
    let inherit = trace::Inherit::capture("main");
    let handle = std::thread::Builder::new()
        .name("main".to_string())
        .spawn(move || {
            let _signed = inherit.enter();
            let _inside = member.enter();
            // Declared after `_inside`, so dropped before it: on a panic the channel disconnects
            // before `main` leaves the registry, and the watchdog re-raises the panic instead of
            // seeing a scope whose only live threads are parked (a false "deadlock").
            let done = done;
            let value = scenario();
            let _ = done.send(value);
        })
        .expect("spawn the watched scenario");
    let trace = trace::current();
    let started = Instant::now();
    let progress = || (trace.as_ref().map_or(0, Trace::len), registry.changes());
    let (mut last, mut last_progress) = (progress(), started);
    let mut seen = 0;
    loop {
        match result.try_recv() {
            Ok(value) => return Outcome::Finished(value),
            Err(mpsc::TryRecvError::Disconnected) => {
                // The scenario panicked before sending: join re-raises the panic with its message.
                if let Err(panic) = handle.join() {
                    std::panic::resume_unwind(panic);
                }
                unreachable!("a scenario that returns always sends its result")
            }
            Err(mpsc::TryRecvError::Empty) => {}
        }
        if let Some(proof) = registry.prove() {
            // `main` may have sent its result (or panicked) and left the registry between the
            // look at the channel above and the proof: a finished or panicked scenario beside a
            // parked worker is not a deadlock. Look again before saying it is.
            match result.try_recv() {
                Ok(value) => return Outcome::Finished(value),
                Err(mpsc::TryRecvError::Disconnected) => {
                    if let Err(panic) = handle.join() {
                        std::panic::resume_unwind(panic);
                    }
                    unreachable!("a scenario that returns always sends its result")
                }
                Err(mpsc::TryRecvError::Empty) => return Outcome::Deadlocked(proof),
            }
        }
        let now = Instant::now();
        let current = progress();
        if current != last {
            (last, last_progress) = (current, now);
        }
        if now - last_progress >= BACKSTOP || now - started >= HARD_LIMIT {
            return Outcome::Stalled {
                idle: now - last_progress,
            };
        }
        trace::await_change(&mut seen, POLL);
    }
}

/// How often the watchdog looks at the trace.
const POLL: Duration = Duration::from_millis(20);

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
