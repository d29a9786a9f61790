//! R2: six correct counters, for measuring what "correct" costs (`cargo bench -p races`).
//!
//! The guide offers four ways to make a counter safe — a serial queue (L340–355, L4015–4030), an
//! actor (L357–368), `NSLock` (L4172–4187) and a `DispatchSemaphore` (L4189–4205) — and claims the
//! serial queue has "minimal performance overhead compared to locks" (L3976, L3996). These are the
//! Rust counterparts, all correct, all behind one [`Count`] trait so the benchmark treats them alike:
//!
//! | type | Swift counterpart | one `increment` is |
//! |---|---|---|
//! | [`StdMutexCounter`] | `NSLock` | lock, add, unlock |
//! | [`ParkingLotCounter`] | `os_unfair_lock` | the same, with parking_lot's smaller, spin-then-park lock |
//! | [`RwLockCounter`] | concurrent queue + barrier write | a write lock |
//! | [`AtomicCounter`] | (what the guide's "AtomicCounter" should have been) | one `fetch_add` |
//! | [`SerialQueueCounter`] | `queue.sync { count += 1 }` | a hop to the queue's thread and back |
//! | [`ActorCounter`] | `await actor.increment()` | a message to a tokio task and an awaited reply |
//!
//! Note on the serial queue: GCD's `dispatch_sync` runs the block on the *calling* thread when the
//! queue is idle, so uncontended it costs about a lock. A serial queue that really is a thread
//! (as here, and as `queue.async` + waiting, or an actor, always is) pays for two thread hand-offs.
//!
//! No `DispatchSemaphore` twin: a semaphore used as a mutex costs about the same as a mutex but has
//! no owner — any thread may `signal` it, and the OS cannot boost the holder's priority (R9/R10).
//! tokio's `Semaphore` is for limiting concurrency, not for mutual exclusion.

use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::mpsc;
use std::thread;

/// A correct, shareable counter.
pub trait Count: Send + Sync {
    /// Adds one.
    fn increment(&self);
    /// Reads the count.
    fn get(&self) -> usize;
}

/// `std::sync::Mutex<usize>`.
#[derive(Debug, Default)]
pub struct StdMutexCounter(std::sync::Mutex<usize>);

impl Count for StdMutexCounter {
    fn increment(&self) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) += 1;
    }
    fn get(&self) -> usize {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// `parking_lot::Mutex<usize>`.
#[derive(Debug, Default)]
pub struct ParkingLotCounter(parking_lot::Mutex<usize>);

impl Count for ParkingLotCounter {
    fn increment(&self) {
        *self.0.lock() += 1;
    }
    fn get(&self) -> usize {
        *self.0.lock()
    }
}

/// `std::sync::RwLock<usize>`, incremented under the write lock.
#[derive(Debug, Default)]
pub struct RwLockCounter(std::sync::RwLock<usize>);

impl Count for RwLockCounter {
    fn increment(&self) {
        *self.0.write().unwrap_or_else(|p| p.into_inner()) += 1;
    }
    fn get(&self) -> usize {
        *self.0.read().unwrap_or_else(|p| p.into_inner())
    }
}

/// `AtomicUsize::fetch_add(1, Relaxed)`.
#[derive(Debug, Default)]
pub struct AtomicCounter(AtomicUsize);

impl Count for AtomicCounter {
    fn increment(&self) {
        self.0.fetch_add(1, Relaxed);
    }
    fn get(&self) -> usize {
        self.0.load(Relaxed)
    }
}

// ANCHOR: serial_queue
/// A job for a [`SerialQueue`] that owns state `S`.
type Job<S> = Box<dyn FnOnce(&mut S) + Send>;

/// A serial queue that is really a thread: one worker owns the state and runs jobs in order.
/// `sync` sends a job and blocks until its reply arrives, like `queue.sync`.
pub struct SerialQueue<S> {
    jobs: mpsc::Sender<Job<S>>,
}

impl<S: Send + 'static> SerialQueue<S> {
    /// Starts the worker thread, which owns `state` until the queue is dropped.
    pub fn new(label: &str, mut state: S) -> Self {
        let (jobs, inbox) = mpsc::channel::<Job<S>>();
        thread::Builder::new()
            .name(label.to_string())
            .spawn(move || {
                for job in inbox {
                    job(&mut state);
                }
            })
            .expect("spawn the queue's thread");
        SerialQueue { jobs }
    }

    /// Runs `f` on the queue's thread, after every job sent before it, and returns its result.
    pub fn sync<R: Send + 'static>(&self, f: impl FnOnce(&mut S) -> R + Send + 'static) -> R {
        let (reply, answer) = mpsc::sync_channel(1);
        self.jobs
            .send(Box::new(move |state| {
                let _ = reply.send(f(state));
            }))
            .expect("the queue's thread outlives the queue");
        answer.recv().expect("the queue's thread runs every job")
    }
}
// ANCHOR_END: serial_queue

/// The guide's `SafeCounter`: `queue.sync { count += 1 }` on a serial queue.
pub struct SerialQueueCounter(SerialQueue<usize>);

impl Default for SerialQueueCounter {
    fn default() -> Self {
        SerialQueueCounter(SerialQueue::new("counter.queue", 0))
    }
}

impl Count for SerialQueueCounter {
    fn increment(&self) {
        self.0.sync(|count| *count += 1);
    }
    fn get(&self) -> usize {
        self.0.sync(|count| *count)
    }
}

// ANCHOR: actor
enum Message {
    Increment(tokio::sync::oneshot::Sender<()>),
    Get(tokio::sync::oneshot::Sender<usize>),
}

/// The guide's `ActorCounter`: a tokio task owns the count; callers send it messages and await
/// the reply, as `await counter.increment()` does.
#[derive(Clone)]
pub struct ActorCounter {
    mailbox: tokio::sync::mpsc::Sender<Message>,
}

impl ActorCounter {
    /// Spawns the actor on the current tokio runtime.
    pub fn spawn() -> Self {
        let (mailbox, mut inbox) = tokio::sync::mpsc::channel(64);
        tokio::spawn(async move {
            let mut count = 0usize;
            while let Some(message) = inbox.recv().await {
                match message {
                    Message::Increment(done) => {
                        count += 1;
                        let _ = done.send(());
                    }
                    Message::Get(reply) => {
                        let _ = reply.send(count);
                    }
                }
            }
        });
        ActorCounter { mailbox }
    }

    /// Adds one; returns when the actor has done it.
    pub async fn increment(&self) {
        let (done, wait) = tokio::sync::oneshot::channel();
        self.mailbox
            .send(Message::Increment(done))
            .await
            .expect("the actor lives while a handle does");
        wait.await.expect("the actor answers every message");
    }

    /// Reads the count.
    pub async fn get(&self) -> usize {
        let (reply, wait) = tokio::sync::oneshot::channel();
        self.mailbox
            .send(Message::Get(reply))
            .await
            .expect("the actor lives while a handle does");
        wait.await.expect("the actor answers every message")
    }
}
// ANCHOR_END: actor

/// Runs `threads` × `per_thread` increments on every variant and returns each final count (the
/// fixed demo prints them; a test checks each is exact).
pub fn variants_count(threads: usize, per_thread: usize) -> Vec<(&'static str, usize)> {
    fn run(counter: &dyn Count, threads: usize, per_thread: usize) -> usize {
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| (0..per_thread).for_each(|_| counter.increment()));
            }
        });
        counter.get()
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("a tokio runtime");
    let actor = runtime.block_on(async {
        let actor = ActorCounter::spawn();
        let tasks: Vec<_> = (0..threads)
            .map(|_| {
                let actor = actor.clone();
                tokio::spawn(async move {
                    for _ in 0..per_thread {
                        actor.increment().await;
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("increment task");
        }
        actor.get().await
    });
    vec![
        (
            "std Mutex",
            run(&StdMutexCounter::default(), threads, per_thread),
        ),
        (
            "parking_lot Mutex",
            run(&ParkingLotCounter::default(), threads, per_thread),
        ),
        (
            "RwLock (write)",
            run(&RwLockCounter::default(), threads, per_thread),
        ),
        (
            "AtomicUsize fetch_add",
            run(&AtomicCounter::default(), threads, per_thread),
        ),
        (
            "serial queue (sync)",
            run(&SerialQueueCounter::default(), threads, per_thread),
        ),
        ("tokio actor", actor),
    ]
}
