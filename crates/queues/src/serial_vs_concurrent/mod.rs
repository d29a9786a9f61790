//! Q8 `serial_vs_concurrent` — a serial queue runs one job at a time, in order; it does **not**
//! run them on one thread. Code that keeps a queue's state in a thread-local breaks on a GCD-style
//! serial queue.
//!
//! Ports the guide's "Custom Serial Queues", "Custom Concurrent Queues" and "Serial vs Concurrent"
//! (L1606–1773). Its demos are right (serial: A then B; concurrent: A and B may overlap), and so is
//! most of its prose. Two lines are not:
//!
//! * L1752, "**Single Thread**: Typically uses one thread for execution" — wrong for GCD. A serial
//!   queue promises one block at a time in FIFO order, not a thread: its blocks run on whichever
//!   thread of the shared pool is free, consecutive blocks may run on different threads, and one
//!   thread runs many queues' blocks. Thread-local state and thread-bound APIs break.
//! * L1631 and L1751, "Prevents race conditions automatically" — only for state that is touched
//!   *exclusively* through that queue (see Q1: a second queue, or a read from outside, reopens
//!   the race).
//!
//! The crate builds the serial queue twice: [`SerialQueue`] (one dedicated thread, obviously
//! serial) and [`PoolSerialQueue`], the way GCD does it — a
//! drain job that runs one job on a shared [`ConcurrentQueue`] and resubmits itself. Both run jobs
//! FIFO, one at a time (the tests measure it with a gauge); only the first runs them on one thread.
//!
//! * **The check**: a database session runs `INSERT` then `UPDATE` as two jobs on its serial queue
//!   `db.queue`; the session must open exactly **one** connection.
//! * **broken** ([`broken`]): the connection is cached in a `thread_local!` ("the queue's thread").
//!   Right on the dedicated-thread queue; on the pool queue the `UPDATE` runs on another thread and
//!   opens a second connection.
//! * **fixed** ([`fixed`]): the session holds its connection itself: one connection, whichever
//!   thread runs the job.
//!
//! Deterministic, no timing: the pool has two threads, and two jobs of *other* work on it (as on
//! any shared pool) are gated so that the pool's FIFO order alone decides who runs what — the
//! `INSERT` on one thread, the `UPDATE` on the other. See [`on_pool`].
//!
//! **Why a model, not the library**: the library's `SerialQueue` owns a dedicated thread, which is
//! exactly why a thread-local works there. GCD drains a serial queue on a shared pool instead;
//! [`pool_serial_queue_model`] models that design in this folder (on the library's
//! `ConcurrentQueue`) so the demo can show the difference, and the library keeps the simpler queue.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::ThreadId;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::trace::{Step, Trace, traced};
use racelab_kit::{say, step, wait};

use pool_serial_queue_model::PoolSerialQueue;
use racelab_dispatch::concurrent_queue::ConcurrentQueue;
use racelab_dispatch::serial_queue::SerialQueue;

pub mod broken;
pub mod fixed;
pub mod pool_serial_queue_model;

/// The serial queue's label.
pub const LABEL: &str = "db.queue";
/// The shared pool's label (it stands for a GCD global queue).
pub const POOL: &str = "global";

/// What a connection says as it runs a statement: `runs UPDATE on connection #1 on thread 2`.
pub const RUNS: Step = Step("runs");
/// What a job of other work says as it starts: `other work #1 starts on thread 1`.
pub const OTHER_WORK: Step = Step("other work");

/// A database that counts the connections opened to it, and numbers the threads that use it in
/// the order it first sees them (thread 1, thread 2), so that the narration is the same on every
/// run.
#[derive(Default)]
pub struct Database {
    opened: AtomicUsize,
    threads: Mutex<Vec<ThreadId>>,
}

/// An open connection.
pub struct Connection {
    number: usize,
}

impl Database {
    /// Opens a new connection.
    pub fn open(&self) -> Connection {
        let number = self.opened.fetch_add(1, Ordering::SeqCst) + 1;
        say!("opens connection #{number} on thread {}", self.thread());
        Connection { number }
    }

    /// How many connections were opened.
    pub fn opened(&self) -> usize {
        self.opened.load(Ordering::SeqCst)
    }

    /// The calling thread's number: 1 for the first thread seen, 2 for the next…
    pub fn thread(&self) -> usize {
        let mut threads = self.threads.lock().unwrap();
        let me = std::thread::current().id();
        match threads.iter().position(|t| *t == me) {
            Some(i) => i + 1,
            None => {
                threads.push(me);
                threads.len()
            }
        }
    }
}

impl Connection {
    /// Runs one statement.
    pub fn execute(&self, db: &Database, sql: &str) {
        let (number, thread) = (self.number, db.thread());
        step!(RUNS, on sql, " on connection #{number} on thread {thread}");
    }
}

/// What the scenarios need from a session; both twins have it.
pub trait Session: Send + Sync + 'static {
    /// A session on `db`.
    fn new(db: Arc<Database>) -> Self;
    /// Runs one statement (called only from the session's queue).
    fn execute(&self, sql: &str);
}

/// The session's two statements, as jobs.
fn statement<S: Session>(session: &Arc<S>, sql: &'static str) -> impl FnOnce() + Send + 'static {
    let session = session.clone();
    move || session.execute(sql)
}

/// On the dedicated-thread [`SerialQueue`]: `INSERT`, then `UPDATE`. Returns how many connections
/// the session opened. (`main` waits for the `UPDATE` with a gate, which also keeps its own lines
/// out of the narration.)
pub fn on_own_thread<S: Session>(trace: &Trace) -> usize {
    let db = Arc::new(Database::default());
    let session = Arc::new(S::new(db.clone()));
    let queue = SerialQueue::new(LABEL);
    queue.dispatch_async(statement(&session, "INSERT"));
    queue.dispatch_async(statement(&session, "UPDATE"));
    wait::until("UPDATE runs", || trace.reached(LABEL, RUNS, Some("UPDATE")));
    db.opened()
}

// ANCHOR: on_pool
/// On the GCD-style [`PoolSerialQueue`] over a 2-thread pool that also runs other work:
/// `INSERT`, then `UPDATE`. Returns how many connections the session opened.
///
/// The pool starts jobs in FIFO order: `[other work #1, drain(INSERT), other work #2,
/// drain(UPDATE)]`. Other work #1 holds one thread until other work #2 has started, and #2 holds
/// the other thread until the `UPDATE` has run. So the `INSERT` runs on the thread #1 left free,
/// #2 can only start on that same thread, and the `UPDATE` on the thread #1 then gives back.
pub fn on_pool<S: Session>(trace: &Trace) -> usize {
    let db = Arc::new(Database::default());
    let session = Arc::new(S::new(db.clone()));
    let pool = ConcurrentQueue::global(POOL, 2);
    let queue = PoolSerialQueue::new(LABEL, &pool);
    // Other work #n starts, then holds its thread until `who` has reached `step` on `subject`.
    let other_work = |n: &'static str, (who, step, subject): (&'static str, Step, &'static str)| {
        let (trace, db) = (trace.clone(), db.clone());
        move || {
            step!(OTHER_WORK, on n, " starts on thread {}", db.thread());
            let what = format!("{who} {step} {subject}");
            wait::until(what, || trace.reached(who, step, Some(subject)));
        }
    };
    pool.dispatch_async(other_work("#1", (POOL, OTHER_WORK, "#2")));
    wait::until("#1 starts", || trace.reached(POOL, OTHER_WORK, Some("#1"))); // orders the narration only
    queue.dispatch_async(statement(&session, "INSERT"));
    pool.dispatch_async(other_work("#2", (LABEL, RUNS, "UPDATE")));
    queue.dispatch_async(statement(&session, "UPDATE"));
    wait::until("UPDATE runs", || trace.reached(LABEL, RUNS, Some("UPDATE")));
    db.opened()
}
// ANCHOR_END: on_pool

/// Runs one twin on the pool queue with a fresh trace: (connections opened, the trace).
pub fn run_on_pool(variant: Variant) -> (usize, Trace) {
    traced(|trace| match variant {
        Variant::Broken => on_pool::<broken::Session>(trace),
        Variant::Fixed => on_pool::<fixed::Session>(trace),
    })
}

/// Runs one twin on the dedicated-thread queue with a fresh trace: (connections opened, the trace).
pub fn run_on_own_thread(variant: Variant) -> (usize, Trace) {
    traced(|trace| match variant {
        Variant::Broken => on_own_thread::<broken::Session>(trace),
        Variant::Fixed => on_own_thread::<fixed::Session>(trace),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "Q8",
    name: "serial_vs_concurrent",
    summary: "a serial queue is one job at a time, not one thread: a thread-local connection is opened twice on a GCD-style queue",
    run: demo,
};

/// The demo: the session on a dedicated-thread serial queue, then on a GCD-style one.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(format!(
        "real threads: INSERT then UPDATE on SerialQueue(\"{LABEL}\"), which has a thread of its own"
    ));
    let (own, trace) = run_on_own_thread(variant);
    report.trace(&trace);
    report.line(format!("=> {own} connection(s) opened."));
    report.heading(format!(
        "real threads: the same on a GCD-style serial queue \"{LABEL}\" over a 2-thread pool \"{POOL}\" that also runs other work"
    ));
    let (pooled, trace) = run_on_pool(variant);
    report.trace(&trace);
    report.line(format!("=> {pooled} connection(s) opened."));
    let bug = match (own, pooled) {
        (1, 1) => None,
        (1, n) => Some(format!(
            "the serial queue's UPDATE ran on another thread and opened connection #{n}"
        )),
        (n, _) => Some(format!("{n} connections on a queue with its own thread")),
    };
    report.conclude(
        bug,
        "one connection on both serial queues, though the pool queue ran its jobs on two threads",
    );
    report
}
