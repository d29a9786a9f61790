//! Async scenarios on a deterministic runtime: one thread, a paused clock, gates, named tasks.
//!
//! Every async demo and check in racelab runs through [`run`]: a tokio `current_thread` runtime
//! whose clock starts **paused**. Nothing in it waits on the wall clock:
//!
//! * `tokio::time::sleep(200 ms)` takes no real time. When every task is waiting, tokio moves the
//!   paused clock straight to the next timer ("auto-advance"), so "A takes 200 ms, B 50 ms" is an
//!   exact script, the same on a busy CI machine as on a laptop. [`now`] reads that clock, for
//!   narration ("t=150ms").
//! * A [`Gate`] holds a task until the scenario opens it, and tells the scenario when a task has
//!   got there ([`Gate::arrived`]). Gates, not spawn order, fix every order a check relies on:
//!   tokio does not promise which of two ready tasks it polls first.
//! * [`spawn`] names a task, so its [`say!`](crate::say) lines get their own lane.
//! * [`until_stuck`] turns "this never finishes" into a proof instead of a timeout. Paused time
//!   only auto-advances when no task can run, so if a one-hour *virtual* timer fires before the
//!   future finishes, every task was waiting — on something no timer would end, provided the
//!   scenario has no timer that keeps firing (a retry loop or a heartbeat moves the clock in small
//!   steps until the hour is up: then "stuck" means "not done after an hour of virtual time").
//!   This is the async form of "every thread is blocked on a known wait" (see
//!   [`watchdog`](crate::watchdog)).
//!
//! What this cannot see, and so must not be used for:
//!
//! * Work on another OS thread. A plain `std::thread` does **not** stop auto-advance: while it
//!   works, the runtime looks idle, the clock jumps to the next timer, and a `timeout` or
//!   [`until_stuck`] can fire before the thread wakes its task — so a scenario with such a thread
//!   must not race a timer against it. `spawn_blocking` does stop auto-advance while it runs (move
//!   the clock with `tokio::time::advance` then), and a blocked one keeps [`until_stuck`] and the
//!   runtime's shutdown waiting. Either way the scenario runs under
//!   [`watchdog::watch`](crate::watchdog::watch), whose real-time backstop still never decides a
//!   verdict.
//! * Real sockets: with I/O pending, the runtime is idle while the kernel still holds bytes, so a
//!   paused clock can jump past a timeout that real time would not reach. Keep checks that depend
//!   on time on in-memory services and gates.
//!
//! Why tokio's `test-util` feature is a normal dependency of the kit, not a dev-dependency:
//! `cargo run -p actors` prints the very scenario `cargo test` pins, and `start_paused` exists
//! only with that feature.

use std::cell::Cell;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::trace::Signed;

/// How long [`until_stuck`] lets the paused clock run before it calls a scenario stuck. Virtual
/// time: it costs nothing, and it is longer than any timer a racelab scenario sets.
pub const STUCK_AFTER: Duration = Duration::from_secs(3600);

thread_local! {
    static START: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Runs `scenario` to completion on a fresh `current_thread` runtime with the clock paused at
/// t=0 (see the [module docs](self)).
pub fn run<F: Future>(scenario: F) -> F::Output {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a current_thread runtime can always be built");
    /// Restores the previous start when dropped, after the runtime (declared later, dropped
    /// first) has dropped every task left over — whose `Drop` may still read [`now`] — and also
    /// when the scenario panics.
    struct Restore(Option<Instant>);
    impl Drop for Restore {
        fn drop(&mut self) {
            START.with(|start| start.set(self.0));
        }
    }
    let _restore = Restore(START.with(Cell::get));
    let runtime = runtime;
    runtime.block_on(async {
        START.with(|start| start.set(Some(Instant::now())));
        scenario.await
    })
}

/// [`run`], with the scenario's own lines signed `name` (`caller`, `test`) instead of `main`.
pub fn run_as<F: Future>(name: &str, scenario: F) -> F::Output {
    run(Signed::new(name, scenario))
}

/// The paused clock's reading: time since [`run`] started the scenario. Displays as `t=150ms`.
pub fn now() -> Clock {
    let start = START
        .with(Cell::get)
        .expect("rt::now() is called inside rt::run");
    Clock(Instant::now() - start)
}

/// A reading of the scenario's clock (see [`now`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Clock(pub Duration);

impl Clock {
    /// Whole milliseconds since the start.
    pub fn ms(self) -> u128 {
        self.0.as_millis()
    }
}

impl fmt::Display for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "t={}ms", self.ms())
    }
}

/// Spawns `task` on the current runtime with its lines signed `name` (its own lane).
pub fn spawn<F>(name: &str, task: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    tokio::spawn(Signed::new(name, task))
}

/// `future` finished, or the scenario got stuck: an hour of paused time went by without it
/// finishing (see the [module docs](self) for what that proves). Must run inside [`run`].
pub async fn until_stuck<F: Future>(future: F) -> Result<F::Output, Stuck> {
    let _ = now(); // outside `run` the clock is real: fail at once, not after a real hour
    tokio::select! {
        biased;
        output = future => Ok(output),
        () = tokio::time::sleep(STUCK_AFTER) => Err(Stuck { at: now() }),
    }
}

/// Proof that a scenario can never finish by itself: the paused clock reached the backstop timer
/// [`STUCK_AFTER`] away, which it does only while every task waits — on something no timer ended,
/// unless a timer kept firing all hour (see the [module docs](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stuck {
    /// Where the clock jumped to.
    pub at: Clock,
}

impl fmt::Display for Stuck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "stuck: every task was waiting, and the paused clock ran on to {} with nothing done",
            self.at
        )
    }
}

/// A one-shot gate tasks wait at until the scenario opens it — the async twin of
/// [`Latch`](crate::latch::Latch). Clones share the gate.
///
/// ```
/// use racelab_kit::rt::{self, Gate};
/// rt::run(async {
///     let response = Gate::new("response A");
///     let task = rt::spawn("A", {
///         let response = response.clone();
///         async move { response.wait().await; "done" }
///     });
///     response.arrived(1).await; // A is now parked at the gate
///     response.open();
///     assert_eq!(task.await.unwrap(), "done");
/// });
/// ```
#[derive(Debug, Clone)]
pub struct Gate {
    name: Arc<str>,
    state: Arc<watch::Sender<GateState>>,
}

#[derive(Debug, Default)]
struct GateState {
    open: bool,
    arrived: usize,
}

impl Gate {
    /// A closed gate; `name` says what it holds back ("response A").
    pub fn new(name: &str) -> Self {
        Gate {
            name: name.into(),
            state: Arc::new(watch::Sender::new(GateState::default())),
        }
    }

    /// What the gate holds back.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Waits until the gate is open (at once if it already is). Counts as an arrival.
    pub async fn wait(&self) {
        let mut seen = self.state.subscribe();
        self.state.send_modify(|s| s.arrived += 1);
        // The sender lives in `self`, so the channel cannot close while we wait.
        let _ = seen.wait_for(|s| s.open).await;
    }

    /// Opens the gate for every waiter, now and later.
    pub fn open(&self) {
        self.state.send_modify(|s| s.open = true);
    }

    /// Whether [`open`](Self::open) was called.
    pub fn is_open(&self) -> bool {
        self.state.borrow().open
    }

    /// Waits until `n` calls to [`wait`](Self::wait) have begun, in all: the scenario's way to
    /// know a task is parked here before it moves anyone else.
    pub async fn arrived(&self, n: usize) {
        let mut seen = self.state.subscribe();
        let _ = seen.wait_for(|s| s.arrived >= n).await;
    }
}
