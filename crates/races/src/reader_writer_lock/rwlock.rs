//! R7: the guide's `ReaderWriterLock<T>` (L4553–4582), on parking_lot's `RwLock`, narrated.
//!
//! The guide builds its lock from a concurrent `DispatchQueue`: `read` is `queue.sync { }` (many
//! at once), `write` is `queue.sync(flags: .barrier) { }` (alone). Rust has the primitive ready-made,
//! so the port wraps `parking_lot::RwLock` and keeps the guide's closure API: `read(|data| …)`,
//! `write(|data| …)`. The closure gets a borrow that cannot escape it, which is what the queue's
//! block gave the Swift version.
//!
//! As a primitive this is fine, and both twins share it. What goes wrong is *using* it: calling
//! `read` again from inside a `read` closure (see `broken.rs`). parking_lot's lock is task-fair —
//! "readers trying to acquire the lock will block even if the lock is unlocked when there are
//! writers waiting" (its docs) — so a second read on the same thread waits behind a queued writer,
//! who waits for the first read: a deadlock. The guide's queue does the same: a block submitted
//! after a barrier does not start until the barrier has run.
//!
//! Left out of the port: the guide's `private let lock = NSLock()` (L4556) is never used, and its
//! `atomicUpdate` (L4577–4581) is `write` again.
//!
//! Every read and write is also recorded for the [`watchdog`](racelab_kit::watchdog)
//! ([`Resource`]): who holds the lock, who waits to write, who was turned away from reading — so a
//! deadlock through this lock is proven, not timed out. "reads" and "stops reading" are
//! [`Step`]s, so gates wait for them by name.
//!
//! The `who` field exists only for narration: it remembers who reads, who writes and who waits to
//! write, so the trace can say "wants to read config (read by A; B waits to write)". It is updated
//! before the line that announces the change ("reads", "stops reading") is said, so a thread that
//! a gate lets go on that line finds it exact.

use std::sync::Mutex as StdMutex;

use parking_lot::RwLock;
use racelab_kit::sync::lock_unpoisoned;
use racelab_kit::trace::{Step, current_actor};
use racelab_kit::wait::Resource;
use racelab_kit::{say, step};

/// "reads config": a reader is inside.
pub const READS: Step = Step("reads");
/// "stops reading config": a reader has finished.
pub const STOPS_READING: Step = Step("stops reading");

// ANCHOR: lock
/// Many readers or one writer, through closures (the guide's `ReaderWriterLock<T>`).
pub struct ReaderWriterLock<T> {
    name: &'static str,
    data: RwLock<T>,
    who: StdMutex<Who>,
    waits: Resource,
}

impl<T> ReaderWriterLock<T> {
    /// A lock called `name` (for the narration) around `initial_value`.
    pub fn new(name: &'static str, initial_value: T) -> Self {
        ReaderWriterLock {
            name,
            data: RwLock::new(initial_value),
            who: StdMutex::new(Who::default()),
            waits: Resource::named(name),
        }
    }

    /// Multiple readers can access simultaneously (`queue.sync { }`).
    pub fn read<U>(&self, operation: impl FnOnce(&T) -> U) -> U {
        say!("wants to read {}{}", self.name, self.who_is_inside());
        let data = self
            .waits
            .read(|| self.data.try_read(), || self.data.read());
        let result = self.reading(operation, &data);
        self.waits.unlock(|| drop(data));
        result
    }

    /// Writers block all other operations (`queue.sync(flags: .barrier) { }`).
    pub fn write<U>(&self, operation: impl FnOnce(&mut T) -> U) -> U {
        say!("wants to write {}{}", self.name, self.who_is_inside());
        let me = current_actor();
        self.who().waiting_writers.push(me.clone());
        let mut data = self.waits.lock(|| self.data.write());
        let mut who = self.who();
        who.waiting_writers.retain(|w| *w != me);
        who.writer = Some(me);
        drop(who);
        say!("writes {}", self.name);
        let result = operation(&mut data);
        self.who().writer = None;
        say!("stops writing {}", self.name);
        self.waits.unlock(|| drop(data));
        result
    }
}
// ANCHOR_END: lock

impl<T> ReaderWriterLock<T> {
    // ANCHOR: read_recursive
    /// Like [`read`](Self::read), but never waits behind a queued writer while any read lock is
    /// held: parking_lot's `read_recursive`. It cannot deadlock on itself — and for the same
    /// reason a stream of overlapping readers can keep a writer out for ever.
    pub fn read_recursive<U>(&self, operation: impl FnOnce(&T) -> U) -> U {
        say!("wants to read {}{}", self.name, self.who_is_inside());
        let data = self.waits.read(
            || self.data.try_read_recursive(),
            || self.data.read_recursive(),
        );
        let result = self.reading(operation, &data);
        self.waits.unlock(|| drop(data));
        result
    }
    // ANCHOR_END: read_recursive

    // ANCHOR: probe
    /// Whether a writer has queued: parking_lot sets its `WRITER_BIT` when a writer arrives,
    /// *before* it waits for the readers inside to leave, and from then on turns new readers away
    /// (`is_locked_exclusive` reads that bit). While the caller holds a read lock no writer can be
    /// inside, so `true` means exactly "a writer is waiting" — and it stays true until that writer
    /// gets in, which it cannot while the caller reads. (Whether the writer is still spinning or
    /// already parked cannot be seen, and does not matter: either way it has claimed the lock.)
    pub fn writer_queued(&self) -> bool {
        self.data.is_locked_exclusive()
    }
    // ANCHOR_END: probe

    fn reading<U>(&self, operation: impl FnOnce(&T) -> U, data: &T) -> U {
        self.who().readers.push(current_actor());
        step!(READS, on self.name);
        let result = operation(data);
        let me = current_actor();
        let mut who = self.who();
        if let Some(i) = who.readers.iter().position(|r| *r == me) {
            who.readers.remove(i);
        }
        drop(who);
        step!(STOPS_READING, on self.name);
        result
    }

    fn who(&self) -> std::sync::MutexGuard<'_, Who> {
        lock_unpoisoned(&self.who)
    }

    /// " (read by A; B waits to write)", " (written by B)", or nothing.
    fn who_is_inside(&self) -> String {
        let who = self.who();
        let mut parts = Vec::new();
        if !who.readers.is_empty() {
            parts.push(format!("read by {}", who.readers.join(", ")));
        }
        if let Some(writer) = &who.writer {
            parts.push(format!("written by {writer}"));
        }
        for waiting in &who.waiting_writers {
            parts.push(format!("{waiting} waits to write"));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!(" ({})", parts.join("; "))
        }
    }
}

/// Who is inside the lock, for the narration.
#[derive(Debug, Default)]
struct Who {
    readers: Vec<String>,
    writer: Option<String>,
    waiting_writers: Vec<String>,
}
